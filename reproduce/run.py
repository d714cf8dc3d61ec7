"""Run the reproduction notebooks headless with papermill and collect their reports under results/<profile>/.

    .venv/bin/python reproduce/run.py --profile mini      # what `make reproduce` runs

Each notebook in NOTEBOOKS runs with the parameters below; its executed copy is kept next to its report, so every
number in a report can be traced to the cell that printed it.
"""
import argparse, os, sys, time
from pathlib import Path
import papermill as pm

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ["sql_env.ipynb", "webshop_env.ipynb", "sft.ipynb"]  # later stages add the method tables and cost curves here
PROFILES = ("smoke", "mini", "paper")

def main():
    ap = argparse.ArgumentParser(description="run the reproduction notebooks")
    ap.add_argument("--profile", default="mini", choices=PROFILES, help="reproduction profile")
    ap.add_argument("--out", default=None, help="output directory (default: results/<profile>)")
    ap.add_argument("--data-dir", default=os.environ.get("RRO_DATA_DIR"), help="directory holding intercode/*.json")
    args = ap.parse_args()
    out = Path(args.out or ROOT/"results"/args.profile); out.mkdir(parents=True, exist_ok=True)
    for nb in NOTEBOOKS:
        t0 = time.time()
        print(f"[reproduce] {nb} ({args.profile}) ...", file=sys.stderr)
        params = {"profile": args.profile, "out_dir": str(out)}
        if nb in ("sql_env.ipynb", "sft.ipynb"): params["data_dir"] = args.data_dir or ""
        if nb == "sft.ipynb": params["work_dir"] = str(out/"work")
        pm.execute_notebook(str(ROOT/"reproduce"/nb), str(out/nb), cwd=str(ROOT), kernel_name="python3", progress_bar=True,
                            parameters=params)
        print(f"[reproduce] {nb} done in {time.time() - t0:.0f} s", file=sys.stderr)
    for md in sorted(out.glob("*.md")): print(md.read_text())
    print(f"reports, figures and summary.json in {out}", file=sys.stderr)

if __name__ == "__main__": main()
