"""Step latency of the InterCode-SQL environment (a benchmark, not a test).

    RRO_DATA_DIR=../shared/data .venv/bin/python reproduce/bench_sql_env.py [--json]

Times every `env.step` of two workloads: the oracle on all 1034 tasks (gold query, submit) and GPT-4's recorded
episodes replayed action by action (then submit). Each starts from a fresh environment: caches are cold.
Target: p50 <= 2 ms.
"""
import argparse, json
from rro.envs.sql import SqlEnv, load_sql_tasks, intercode_file
from rro.data import import_intercode_runs, step_latencies, latency_workloads, latency_summary

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    tasks = load_sql_tasks()
    runs = import_intercode_runs(intercode_file("ic_sql_multiturn_gpt-4_10_turns.json"))
    res = {name: latency_summary([r["seconds"] for r in step_latencies(SqlEnv(), tasks, eps)])
           for name, eps in latency_workloads(tasks, runs).items()}
    if args.json: print(json.dumps(res)); return
    for name, r in res.items():
        print(f"{name:12} steps {r['steps']:5}  p50 {r['p50_ms']:7.3f} ms  p95 {r['p95_ms']:7.3f} ms  "
              f"mean {r['mean_ms']:7.3f} ms  max {r['max_ms']:7.1f} ms")

if __name__ == "__main__": main()
