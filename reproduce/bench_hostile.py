"""Hostile input: SQL against the sandbox (each action's step time, the process's peak memory, the database files'
sha256 before and after) and replies of a megabyte of one character through every parser (a measurement, not a
test; tests/test_sql_hostile.py and tests/test_parsers.py assert the same bounds).

    .venv/bin/python reproduce/bench_hostile.py [--json] [--parsers]

The actions are tests/hostile_sql.py's: writes and schema changes, other databases, SQL functions that run long or
build huge values, regular expressions that compile or backtrack forever, endless recursion, cartesian products,
huge results, long strings under MySQL's collation, deep nesting. Each runs as one `SqlEnv.step` on a fresh episode.
"""
import argparse, hashlib, json, resource, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[1]/"tests"))
from hostile_sql import HOSTILE
from rro.core import Task
from rro.core import parse_react
from rro.envs.sql import SqlEnv, parse_sql_action
from rro.envs.webshop.env import parse_webshop_action

def peak_mb() -> float: return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def file_hashes(db_dir: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(db_dir.glob("*.sqlite"))}

def run(log=print) -> dict:
    env = SqlEnv()
    before = file_hashes(env.db_dir)
    for db in sorted({db for _, db, _ in HOSTILE}): env.connection(db)  # opening the databases is not part of a step
    start_mb, rows = peak_mb(), []
    for name, db, action in HOSTILE:
        env.reset(Task("hostile", "sql", "hostile input", {"db": db, "gold": "SELECT 1"}))
        t = time.perf_counter()
        obs, reward, done, info = env.step(action)
        rows.append({"name": name, "step_s": round(time.perf_counter() - t, 3), "peak_mb": round(peak_mb()), "executed": info["action_executed"],
                     "observation": obs[:100]})
        log(f"{rows[-1]['step_s']:7.3f} s {rows[-1]['peak_mb']:6d} MB  {name}: {obs[:90]!r}")
    after = file_hashes(env.db_dir)
    return {"actions": len(rows), "slowest_s": max(r["step_s"] for r in rows), "peak_mb": round(peak_mb()), "start_peak_mb": round(start_mb),
            "files_unchanged": before == after, "files": len(after), "rows": rows}

CHARS = list("\n \t[](){}`;:'\"aA\\") + ["é", "\x00"]

def parsers(n: int = 1_000_000) -> dict:
    "Slowest parse, in ms, of a reply of `n` copies of one character (bare and after each env's openings)."
    worst = {}
    for env, parse in (("react", parse_react), ("sql", parse_sql_action), ("webshop", parse_webshop_action)):
        for c in CHARS:
            for prefix in ("", "Action: ", "```sql", "search[", "click["):
                s = prefix + c * n
                t = time.perf_counter(); parse(s); ms = (time.perf_counter() - t) * 1000
                if ms > worst.get(env, (0,))[0]: worst[env] = (round(ms, 2), repr(prefix + c))
    return {env: {"ms": ms, "reply": what} for env, (ms, what) in worst.items()}

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0]); ap.add_argument("--json", action="store_true")
    ap.add_argument("--parsers", action="store_true", help="only the parsers")
    a = ap.parse_args()
    if a.parsers:
        out = parsers()
        print(json.dumps(out) if a.json else "\n".join(f"{k}: slowest {v['ms']} ms on 1 MB of {v['reply']}" for k, v in out.items()))
        sys.exit()
    out = run(log=(lambda *_: None) if a.json else print)
    if a.json: print(json.dumps(out))
    else: print(f"{out['actions']} actions; slowest step {out['slowest_s']} s; peak memory {out['peak_mb']} MB "
                f"(before the first step {out['start_peak_mb']} MB); {out['files']} database files unchanged: {out['files_unchanged']}")
