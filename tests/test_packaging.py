"Packaging: the declared dependencies are what the package imports, and a fresh `pip install .` imports and runs with only them."
import ast, os, re, subprocess, sys, tomllib, venv
from importlib.metadata import packages_distributions
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT/"pyproject.toml").read_text())["project"]
# declared and not imported: what the package needs at run time without an import statement
UNIMPORTED = {"accelerate": "transformers' Trainer and `accelerate launch`", "intercode-bench": "its Spider dump is read as data",
              "ipykernel": "the kernel papermill runs the notebooks in"}
# imported and not a dependency: each behind an extra or a guard
OPTIONAL = {"openai": "extra openai", "ray": "extra ray", "vllm": "extra vllm", "spacy": "WebShop's noun tagger where installed (else a heuristic)"}

def _name(req: str) -> str: return re.split(r"[\s<>=!~\[;]", req, maxsplit=1)[0].lower().replace("_", "-")

def imported_distributions() -> dict:
    "{distribution: [files]} for every module the package imports that is not in the standard library."
    dists, out = packages_distributions(), {}
    for f in (ROOT/"rro").rglob("*.py"):
        for n in ast.walk(ast.parse(f.read_text())):
            mods = [a.name for a in n.names] if isinstance(n, ast.Import) else [n.module] if isinstance(n, ast.ImportFrom) and n.level == 0 and n.module else []
            for m in mods:
                top = m.split(".")[0]
                if top in sys.stdlib_module_names or top == "rro": continue
                for d in dists.get(top, [top]): out.setdefault(d.lower().replace("_", "-"), set()).add(str(f.relative_to(ROOT)))
    return out

def test_dependencies_are_what_the_package_imports():
    declared = {_name(r) for r in PROJECT["dependencies"]}
    used = imported_distributions()
    missing = {d: sorted(f) for d, f in used.items() if d not in declared and d not in OPTIONAL}
    assert not missing, f"imported but not declared: {missing}"
    unused = declared - set(used) - set(UNIMPORTED)
    assert not unused, f"declared but never imported: {sorted(unused)}"
    extras = {_name(r) for rs in PROJECT["optional-dependencies"].values() for r in rs}
    assert {"openai", "ray", "vllm"} <= extras

def test_version_is_one_string():
    import rro
    r = subprocess.run([sys.executable, "-m", "rro.cli", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == f"rro {rro.__version__}"

@pytest.mark.skipif(os.environ.get("RRO_SKIP_FRESH_INSTALL") == "1", reason="RRO_SKIP_FRESH_INSTALL=1")
def test_a_fresh_venv_installs_the_package_and_runs_with_only_its_dependencies(tmp_path):
    "`pip install .` into an empty venv (torch from the CPU wheel, as the Makefile pins it), then imports and --help, outside the checkout."
    import shutil
    src, env_dir = tmp_path/"src", tmp_path/"venv"  # a copy of the checkout, so that the build leaves nothing in it
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "_docs*", "results", ".cache", "build", "*.egg-info", "__pycache__"))
    venv.create(env_dir, with_pip=True)
    py = env_dir/"bin"/"python"
    r = subprocess.run([str(py), "-m", "pip", "install", "-q", "torch==2.13.0", str(src)], capture_output=True, text=True, timeout=1500)
    assert r.returncode == 0, r.stderr[-3000:]
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    run = lambda *a: subprocess.run(list(a), capture_output=True, text=True, timeout=300, cwd=tmp_path, env=clean_env)
    r = run(str(py), "-c", "import rro, rro.train, rro.reproduce, rro.cli, rro.interchange; print(rro.__file__)")
    assert r.returncode == 0, r.stderr
    assert str(env_dir) in r.stdout  # the installed copy, not the checkout
    for args in (["reproduce", "--help"], ["--version"], ["export", "--help"]):
        r = run(str(env_dir/"bin"/"rro"), *args)
        assert r.returncode == 0 and r.stdout.strip(), (args, r.stderr)
    pip = run(str(py), "-m", "pip", "check")
    assert pip.returncode == 0, pip.stdout
