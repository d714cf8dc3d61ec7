"""Build the documentation site (`make docs`): the notebooks run as nbdev-test runs them, then MkDocs renders them.

nbdev's own site needs quarto, whose PyPI package downloads the binary from GitHub while it installs; where that
cannot be reached (as on the machines this project is built on) nothing from a package registry provides quarto. So
the site is rendered by MkDocs (mkdocs-jupyter for the notebooks, mkdocstrings for the API reference), from the
same notebooks: they run with `nbdev-test --save` (so `#| slow`, `#| gpu` and `#| eval: false` cells are skipped
exactly as in the tests), nbdev's directive lines (`#| export`, ...) are dropped from the code shown, `#| hide`
cells are left out, and README.md is the start page.

    python nbs/_build_docs.py [--out _docs] [--no-run]
"""
import argparse, json, os, re, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT/"_docs_src"  # mkdocs.yml here, the pages under docs/
SRC = BUILD/"docs"

def notebooks() -> list:
    return sorted(p for p in (ROOT/"nbs").glob("*.ipynb") if not p.name.startswith(("_", ".")))

def module_of(nb: dict) -> str | None:
    "The module a notebook exports (`#| default_exp x` -> rro.x)."
    for c in nb["cells"]:
        m = re.search(r"^#\|\s*default_exp\s+(\S+)", "".join(c["source"]), re.M)
        if m: return "rro." + m.group(1)
    return None

def clean(path: Path):
    "Drop `#| hide` cells and nbdev's directive lines from a notebook that is to be shown."
    nb = json.loads(path.read_text())
    keep = []
    for c in nb["cells"]:
        c["metadata"] = {k: v for k, v in c.get("metadata", {}).items() if k == "tags"}  # execnb's timings are not valid nbformat
        src = "".join(c["source"])
        if c["cell_type"] == "code":
            if re.search(r"^#\|\s*hide\s*$", src, re.M) or re.search(r"^#\|\s*default_exp", src, re.M): continue
            src = re.sub(r"^#\|[^\n]*\n?", "", src, flags=re.M)
            if not src.strip() and not c.get("outputs"): continue
            c["source"] = src
        keep.append(c)
    nb["cells"] = keep
    path.write_text(json.dumps(nb, indent=1))

def build(out: Path, run: bool = True):
    shutil.rmtree(BUILD, ignore_errors=True); SRC.mkdir(parents=True)
    nbs = notebooks()
    for p in nbs: shutil.copy(p, SRC/p.name)
    if run:  # outputs (tables, figures) come from running the notebooks, as the tests run them
        r = subprocess.run([str(Path(sys.executable).parent/"nbdev-test"), str(SRC), "--save"], cwd=ROOT)
        if r.returncode: raise SystemExit("a notebook failed while the site was built (see above)")
    api = SRC/"api"; api.mkdir()
    nav_nbs, nav_api = [], []
    for p in nbs:
        nb = json.loads((SRC/p.name).read_text())
        title = next((l[2:].strip() for c in nb["cells"] if c["cell_type"] == "markdown"
                      for l in "".join(c["source"]).splitlines() if l.startswith("# ")), p.stem)
        mod = module_of(nb)
        clean(SRC/p.name)
        nav_nbs.append({f"{title}": p.name})
        if mod:
            (api/f"{mod}.md").write_text(f"# `{mod}`\n\nFrom `nbs/{p.name}` ([the notebook](../{p.name})).\n\n::: {mod}\n")
            nav_api.append({mod: f"api/{mod}.md"})
    readme = (ROOT/"README.md").read_text()
    (SRC/"index.md").write_text(readme)
    cfg = {
        "site_name": "rro", "site_description": "RRO (arXiv 2505.20737): step-level exploration for LLM agents, as literate notebooks",
        "docs_dir": str(SRC), "site_dir": str(out), "use_directory_urls": True,
        "theme": {"name": "material", "font": False, "features": ["navigation.sections"]},  # font: no Google Fonts
        "nav": [{"Home": "index.md"}, {"Notebooks": nav_nbs}, {"API reference": nav_api}],
        "markdown_extensions": ["tables", "admonition", {"toc": {"permalink": True}}],
        "plugins": ["search", {"mkdocs-jupyter": {"execute": False, "include_source": True, "include_requirejs": False,
                                                  "ignore_h1_titles": False}},
                    {"mkdocstrings": {"handlers": {"python": {"paths": [str(ROOT)], "options": {
                        "show_source": False, "docstring_style": None, "members_order": "source", "show_root_heading": False,
                        "filters": ["!^_"]}}}}}],
    }
    (BUILD/"mkdocs.yml").write_text(json.dumps(cfg, indent=1))  # YAML is a superset of JSON
    r = subprocess.run([str(Path(sys.executable).parent/"mkdocs"), "build", "--strict", "-f", str(BUILD/"mkdocs.yml")], cwd=ROOT,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if r.returncode: raise SystemExit("mkdocs build failed (see above)")
    print(f"site: {out}/index.html ({len(nav_nbs)} notebooks, {len(nav_api)} API pages)")

if __name__ == "__main__":
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--out", default=str(ROOT/"_docs"), help="where the site goes")
    a.add_argument("--no-run", action="store_true", help="render the notebooks as they are, without running them")
    args = a.parse_args()
    build(Path(args.out), run=not args.no_run)
