"""WebShop environment speed and memory (a benchmark, not a test).

    .venv/bin/python reproduce/bench_webshop.py [--search-products 100000] [--json]

1. Step latency at 1,000 products: every `env.step` of the oracle, first-result and random agents on the 200 test
   goals (target p50 <= 5 ms).
2. At 100,000 generated products: catalogue generation and loading time, index build time and its peak traced
   memory, and search latency over 200 goal instructions (target p50 <= 50 ms). The process's peak RSS is printed
   at the end.
"""
import argparse, json, resource, tempfile, time, tracemalloc
from pathlib import Path
from rro.data import latency_summary, agent_step_latencies
from rro.envs.webshop.catalogue import generate_catalogue, load_catalogue, build_goals
from rro.envs.webshop.search import SearchIndex
from rro.envs.webshop.env import WebShopEnv, oracle_agent, first_result_agent, RandomAgent

def step_latency() -> dict:
    env = WebShopEnv()
    return latency_summary(agent_step_latencies(env, [oracle_agent, first_result_agent, RandomAgent(env, 0)], env.tasks("test")))

def search_at_scale(n: int) -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter(); path = generate_catalogue(n, seed=0, out_dir=d); out["generate_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter(); cat = load_catalogue(path); out["load_s"] = round(time.perf_counter() - t0, 1)
        tracemalloc.start()
        t0 = time.perf_counter(); index = SearchIndex.build(cat); out["index_build_s"] = round(time.perf_counter() - t0, 1)
        out["index_build_peak_traced_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
        queries = [g["instruction_text"] for g in build_goals(cat)[:200]]
        secs = []
        for q in queries:
            t0 = time.perf_counter(); index.search(q); secs.append(time.perf_counter() - t0)
        out["search"] = latency_summary(secs)
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--search-products", type=int, default=100_000, help="catalogue size for the search benchmark")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    res = {"step_at_1000": step_latency(), f"at_{args.search_products}": search_at_scale(args.search_products),
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    if args.json: print(json.dumps(res)); return
    s = res["step_at_1000"]
    print(f"step latency, 1,000 products: {s['steps']} steps  p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  max {s['max_ms']} ms")
    b = res[f"at_{args.search_products}"]
    print(f"{args.search_products:,} products: generate {b['generate_s']} s, load {b['load_s']} s, index build {b['index_build_s']} s "
          f"(peak traced {b['index_build_peak_traced_mb']} MB)")
    print(f"search latency: {b['search']['steps']} queries  p50 {b['search']['p50_ms']} ms  p95 {b['search']['p95_ms']} ms")
    print(f"peak RSS of this process: {res['peak_rss_mb']} MB")

if __name__ == "__main__": main()
