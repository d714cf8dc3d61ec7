"""WebShop environment speed and memory (a benchmark, not a test).

    .venv/bin/python reproduce/bench_webshop.py [--search-products 100000] [--json]
    .venv/bin/python reproduce/bench_webshop.py --products 1181436 [--store disk|memory] [--keep DIR] [--json]

Without --products (the in-memory catalogue):
1. Step latency at 1,000 products: every `env.step` of the oracle, first-result and random agents on the 200 test
   goals (target p50 <= 5 ms).
2. At 100,000 generated products: catalogue generation and loading time, index build time and its peak traced
   memory, and search latency over 200 goal instructions (target p50 <= 50 ms). The process's peak RSS is printed
   at the end.

With --products N (WebShop at full scale is 1,181,436), each phase in its own process:
1. build: the generated catalogue streamed to disk, then the store and the search index built from its files
   (`open_store`), with the build's peak RSS and the size of everything on disk;
2. serve: a fresh process opens the env on what was built (startup time), runs the oracle, first-result and random
   agents and a pager on the 200 test goals, and prints p50/p95 per step type (search, click on an item, click on an
   option, buy, other clicks) and its resident memory while serving (steady and peak);
3. eight envs: one process opens 8 envs on the same catalogue and runs them side by side (their memory together).
`--store memory` runs the same phases on the in-memory catalogue instead, for comparison at sizes it can hold.
"""
import argparse, json, os, re, resource, shutil, subprocess, sys, tempfile, time, tracemalloc
from pathlib import Path
from rro.core import Step
from rro.data import latency_summary, agent_step_latencies
from rro.envs.webshop.catalogue import generate_catalogue, load_catalogue, build_goals
from rro.envs.webshop.search import SearchIndex
from rro.envs.webshop.env import WebShopEnv, WebShopConfig, oracle_agent, first_result_agent, RandomAgent, BUY

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

# -- at scale: each phase in a child process, so that its memory is its own -----------------------------------------
def _rss_mb() -> dict:
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return {"rss_mb": round(int(status["VmRSS"].split()[0]) / 1024, 1), "peak_rss_mb": round(int(status["VmHWM"].split()[0]) / 1024, 1)}

def _child(phase: str, args) -> dict:
    "Run a phase in a fresh interpreter; its JSON result, with the child's peak RSS from the kernel."
    cmd = [sys.executable, __file__, "--phase", phase, "--products", str(args.products), "--dir", str(args.dir), "--store", args.store]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, env={**os.environ, "RRO_CACHE_DIR": str(Path(args.dir)/"cache")})
    out = p.stdout.read(); _, status, usage = os.wait4(p.pid, 0)
    if status: raise SystemExit(f"phase {phase} failed (exit status {status >> 8})")
    res = json.loads(out.decode().strip().splitlines()[-1])
    res["child_max_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    return res

def _config(args) -> WebShopConfig:
    return WebShopConfig(catalogue_dir=str(Path(args.dir)/"shop"), store=args.store)

def phase_build(args) -> dict:
    t0 = time.perf_counter()
    generate_catalogue(args.products, seed=0, out_dir=Path(args.dir)/"shop", progress=True)
    gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    env = WebShopEnv(_config(args))
    built = time.perf_counter() - t0
    return {"generate_s": round(gen, 1), "store_and_index_s" if args.store == "disk" else "load_and_index_s": round(built, 1),
            "products": len(env.catalogue.products)}

def _kind(action: str, env) -> str:
    if action.startswith("search["): return "search"
    if action == f"click[{BUY}]": return "buy"
    arg = action[6:-1].lower()
    kind = env.clickables().get(arg, ("other",))[0]
    return {"product": "click item", "option": "click option"}.get(kind, "click other")

class Pager:
    "Searches the instruction, pages forward and back, opens an item and its sub-pages, goes back to search."
    script = ["click[Next >]", "click[Next >]", "click[< Prev]", "ITEM", "click[Description]", "click[< Prev]",
              "click[Features]", "click[< Prev]", "click[Reviews]", "click[Back to Search]"]
    def __call__(self, task, steps):
        if not steps: return f"search[{task.instruction}]"
        a = self.script[(len(steps) - 1) % len(self.script)]
        if a == "ITEM":
            found = re.findall(r"\[SEP\] (B0[A-Z0-9]{8}) \[SEP\]", steps[-1].observation)
            return f"click[{found[0]}]" if found else "click[< Prev]"
        return a

def _serve(envs: list, tasks: list, agents_of) -> dict:
    secs = {}
    for t in tasks:
        for env in envs:
            for agent in agents_of(env):
                env.reset(t); steps = []
                while not env.done and len(steps) < 10:
                    a = agent(t, steps); kind = _kind(a, env)
                    t0 = time.perf_counter(); obs, r, done, info = env.step(a); secs.setdefault(kind, []).append(time.perf_counter() - t0)
                    steps.append(Step(a, obs, r, info=info))
    return {k: latency_summary(v) for k, v in sorted(secs.items())}

def phase_serve(args) -> dict:
    t0 = time.perf_counter()
    env = WebShopEnv(_config(args))
    opened = time.perf_counter() - t0
    tasks = env.tasks("test")
    ready = time.perf_counter() - t0
    before = _rss_mb()
    steps = _serve([env], list(tasks), lambda e: [oracle_agent, first_result_agent, RandomAgent(e, 0), Pager()])
    return {"startup_s": round(opened, 2), "startup_with_test_tasks_s": round(ready, 2), "rss_after_startup_mb": before["rss_mb"],
            "steps": steps, **_rss_mb(), "goals": len(env.goals)}

def phase_eight(args) -> dict:
    t0 = time.perf_counter()
    envs = [WebShopEnv(_config(args)) for _ in range(8)]
    opened = time.perf_counter() - t0
    steps = _serve(envs, list(envs[0].tasks("test"))[:50], lambda e: [oracle_agent, RandomAgent(e, 1)])
    return {"envs": 8, "startup_s": round(opened, 2), "steps": sum(s["steps"] for s in steps.values()),
            "search_p50_ms": steps["search"]["p50_ms"], **_rss_mb()}

def _du_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20, 1)

def at_scale(args) -> dict:
    made = not args.dir
    args.dir = args.dir or tempfile.mkdtemp(prefix="bench-webshop-", dir=os.environ.get("TMPDIR", "/tmp"))
    try:
        res = {"products": args.products, "store": args.store, "build": _child("build", args)}
        res["disk_mb"] = {"catalogue_files": _du_mb(Path(args.dir)/"shop"), "store_and_index": _du_mb(Path(args.dir)/"cache")}
        res["serve"] = _child("serve", args)
        res["eight_envs"] = _child("eight", args)
        return res
    finally:
        if made: shutil.rmtree(args.dir, ignore_errors=True)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--search-products", type=int, default=100_000, help="catalogue size for the in-memory search benchmark")
    ap.add_argument("--products", type=int, help="benchmark a catalogue of this size end to end (WebShop's full one: 1181436)")
    ap.add_argument("--store", choices=["disk", "memory"], default="disk", help="with --products: the catalogue on disk or in memory")
    ap.add_argument("--dir", "--keep", dest="dir", default="", help="with --products: build here and keep it (default: a temporary directory)")
    ap.add_argument("--phase", choices=["build", "serve", "eight"], help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    if args.phase: print(json.dumps({"build": phase_build, "serve": phase_serve, "eight": phase_eight}[args.phase](args))); return
    if args.products:
        res = at_scale(args)
        if args.json: print(json.dumps(res)); return
        b, s, e = res["build"], res["serve"], res["eight_envs"]
        print(f"{res['products']:,} products, store: {res['store']}")
        print(f"build: generate {b['generate_s']} s + {'store and index' if args.store == 'disk' else 'load and index'} "
              f"{b.get('store_and_index_s', b.get('load_and_index_s'))} s, peak RSS {b['child_max_rss_mb']} MB; on disk {res['disk_mb']}")
        print(f"serve: startup {s['startup_s']} s ({s['startup_with_test_tasks_s']} s with the test tasks), {s['goals']:,} goals, "
              f"RSS {s['rss_after_startup_mb']} MB after startup, {s['rss_mb']} MB after serving, peak {s['peak_rss_mb']} MB")
        for k, v in s["steps"].items(): print(f"  {k:13s} {v['steps']:6d} steps  p50 {v['p50_ms']} ms  p95 {v['p95_ms']} ms  max {v['max_ms']} ms")
        print(f"8 envs in one process: startup {e['startup_s']} s, {e['steps']} steps (search p50 {e['search_p50_ms']} ms), "
              f"RSS {e['rss_mb']} MB, peak {e['peak_rss_mb']} MB")
        return
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
