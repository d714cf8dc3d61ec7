"""Hostile SQL (tests/hostile_sql.py) through `SqlEnv.step`, in a process of its own so that its peak memory is
the sandbox's: every step returns within 3 s, the process stays under 1 GB, every database file is unchanged."""
import json, os, subprocess, sys
from pathlib import Path
from hostile_sql import HOSTILE

ROOT = Path(__file__).resolve().parents[1]

def test_hostile_sql_is_bounded_and_changes_nothing():
    assert len(HOSTILE) >= 60
    out = subprocess.run([sys.executable, str(ROOT/"reproduce"/"bench_hostile.py"), "--json"], capture_output=True, text=True,
                         timeout=900, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-3000:]
    r = json.loads(out.stdout)
    assert r["actions"] == len(HOSTILE)
    assert r["files_unchanged"] and r["files"] == 20
    slow = [(x["name"], x["step_s"]) for x in r["rows"] if x["step_s"] > 3.0]
    assert not slow, slow
    assert r["peak_mb"] < 1024, r["peak_mb"]
    by_name = {x["name"]: x for x in r["rows"]}
    for name in ("insert", "drop table", "attach", "vacuum into", "pragma query_only off", "printf 1e9", "regexp compile bomb 8",
                 "endless cte", "wide rows 200x60x1MB", "one row 199 columns of 1MB", "one row 1999 columns", "over the length cap"):
        assert by_name[name]["observation"].startswith("Error executing query:"), (name, by_name[name]["observation"])
    assert by_name["two statements"]["observation"] == "[(1,)]"  # the first statement only; the DROP never runs
