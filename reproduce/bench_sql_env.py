"""Step latency of the InterCode-SQL environment (a benchmark, not a test).

    RRO_DATA_DIR=../shared/data .venv/bin/python reproduce/bench_sql_env.py

Times every `env.step` of two workloads: the oracle on all 1034 tasks (gold query, submit) and GPT-4's recorded
episodes replayed action by action (then submit). Caches start cold: a fresh environment, a fresh process.
Target: p50 <= 2 ms.
"""
import argparse, json, statistics
from rro.envs.sql import SqlEnv, load_sql_tasks, intercode_file
from rro.data import import_intercode_runs, step_latencies

def pct(xs, q): xs = sorted(xs); return xs[min(len(xs) - 1, int(q * len(xs)))]

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    tasks, env = load_sql_tasks(), SqlEnv()
    runs = import_intercode_runs(intercode_file("ic_sql_multiturn_gpt-4_10_turns.json"))
    work = {"oracle": [(i, [t.data["gold"], "submit"]) for i, t in tasks.items()],
            "gpt4_replay": [(r.task_id, [s.action for s in r.steps] + ["submit"]) for r in runs]}
    res = {}
    for name, eps in work.items():
        ms = [r["seconds"] * 1000 for r in step_latencies(env, tasks, eps)]
        res[name] = {"steps": len(ms), "p50_ms": round(pct(ms, 0.5), 3), "p95_ms": round(pct(ms, 0.95), 3),
                     "mean_ms": round(statistics.fmean(ms), 3), "max_ms": round(max(ms), 1)}
    if args.json: print(json.dumps(res)); return
    for name, r in res.items():
        print(f"{name:12} steps {r['steps']:5}  p50 {r['p50_ms']:7.3f} ms  p95 {r['p95_ms']:7.3f} ms  "
              f"mean {r['mean_ms']:7.3f} ms  max {r['max_ms']:7.1f} ms")

if __name__ == "__main__": main()
