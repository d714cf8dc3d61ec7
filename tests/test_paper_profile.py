"""The paper profile run small on the CPU with a tiny Gemma-2 stand-in: `rro reproduce --model` with budgets writes both
method tables, and papermill takes the same model and budgets as notebook parameters."""
import json, os, subprocess, sys
from pathlib import Path
from conftest import needs_data
from rro.families import build_family_model
from rro.policy import INSTRUCTIONS

ROOT = Path(__file__).resolve().parent.parent
SMALL = ["--train-limit", "6", "--test-limit", "2", "--explore-limit", "1", "--sft-steps", "1", "--dpo-steps", "1"]
SET = ["max_new_tokens=16", "methods.explore.max_new_tokens=16", "methods.explore.max_steps=2", "methods.explore.cap=2",
       "methods.explore.mc_rollouts=1"]

@needs_data
def test_paper_profile_runs_small_with_a_model(tmp_path):
    model = build_family_model("gemma2", list(INSTRUCTIONS.values()) * 20, tmp_path/"gemma", vocab_size=600)
    out = tmp_path/"out"
    r = subprocess.run([sys.executable, "-c", "from rro.cli import main; main()", "reproduce", "--profile", "paper", "--model", str(model),
                        "--out", str(out), "--only", "sft.ipynb", "webshop.ipynb", "sql.ipynb", *SMALL, "--seeds", "1", "--curve-caps",
                        "--set", *SET, "--json"], capture_output=True, text=True, timeout=1200, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout)
    assert res["model"] == str(model) and res["settings"]["test_limit"] == 2
    for env in ("webshop", "sql"):  # both method tables, every method with its cost, on the budgets given
        table = (out/f"{env}.md").read_text()
        assert all(f"| {m} |" in table for m in ("sft", "eto", "ipr", "fixed", "rro")), table
        summary = json.loads((out/"summary.json").read_text())[env]
        assert summary["rro"]["n"] == 2 and summary["rro"]["tasks"] == 1 and summary["rro"]["candidates_per_step"] <= 2
        card = json.loads((out/"work"/f"sft-{env}"/"rro_agent.json").read_text())
        assert (card["profile"], card["base"], card["reply_tokens"]) == ("paper", str(model), 16)
        assert json.loads((out/"work"/f"sft-{env}"/"sft_log.json").read_text())["steps"] == 1
    assert "Base model: " + str(model) in (out/"sft.md").read_text()
    # papermill by hand, with the same model and budgets: the SFT agents are found trained and reused
    pm = subprocess.run([sys.executable, "-m", "papermill", "reproduce/sft.ipynb", str(tmp_path/"sft.ipynb"), "-p", "profile", "paper",
                         "-p", "model", str(model), "-p", "train_limit", "6", "-p", "test_limit", "2", "-p", "sft_steps", "1",
                         "-p", "overrides", json.dumps({"max_new_tokens": 16}), "-p", "out_dir", str(tmp_path/"pm"),
                         "-p", "work_dir", str(out/"work"), "-p", "data_dir", os.environ["RRO_DATA_DIR"], "--kernel", "python3"],
                        capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert pm.returncode == 0, pm.stderr[-3000:]
    assert "evaluated by an earlier run" in (tmp_path/"pm"/"sft.md").read_text()
    # a whole run into the same directory refuses the small run's SFT agent rather than reusing it
    again = subprocess.run([sys.executable, "-c", "from rro.cli import main; main()", "reproduce", "--profile", "paper", "--model", str(model),
                            "--out", str(out), "--only", "sft.ipynb", "--train-limit", "6", "--test-limit", "2", "--sft-steps", "2",
                            "--set", *SET], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert again.returncode != 0 and "trained otherwise (max_steps=1 (now 2))" in again.stderr
