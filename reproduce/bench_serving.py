"""Rollout engines and workers, measured on the same prompts (a benchmark, not a test).

    .venv/bin/python reproduce/bench_serving.py [--model DIR] [--conversations 64] [--new-tokens 48] [--tasks 16]

1. Rollout tokens/s of `HFPolicy` (in this process, batched) and of `OpenAIPolicy` against `transformers serve` on
   127.0.0.1, without and with its continuous batching (`--continuous-batching`), at several numbers of requests in
   flight; greedy replies to the same WebShop conversations (first and second turns), so every engine writes the same
   replies and the tokens/s compare like with like (the replies are checked equal where the server is exact).
2. Exploration wall time (RRO, the smoke profile's settings, `--tasks` WebShop tasks) with one worker in this process
   and with two Ray workers (`rro.workers.RayRunner` on a local cluster).

Without `--model` it first trains the smoke profile's WebShop SFT agent (about 20 s), so that replies are real ones.
"""
import argparse, contextlib, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def serve(model: str, continuous: bool):
    "Start `transformers serve` on a free port; return (process, API root) once it answers."
    port, cli = free_port(), Path(sys.executable).with_name("transformers")
    cmd = [str(cli) if cli.exists() else "transformers", "serve", model, "--host", "127.0.0.1", "--port", str(port), "--device", "cpu",
           "--dtype", "float32"] + (["--continuous-batching"] if continuous else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(360):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2): return proc, f"http://127.0.0.1:{port}/v1"
        except OSError: time.sleep(0.5)
    proc.kill(); raise TimeoutError("transformers serve did not answer")

def timed(fn):
    t = time.perf_counter(); out = fn(); return out, time.perf_counter() - t

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="a model directory (default: train the smoke profile's WebShop SFT agent)")
    ap.add_argument("--conversations", type=int, default=64)
    ap.add_argument("--new-tokens", type=int, default=48)
    ap.add_argument("--tasks", type=int, default=16, help="WebShop tasks explored, with 1 and 2 workers")
    args = ap.parse_args()
    from rro.core import Step
    from rro.explore import explore
    from rro.pipeline import PROFILES, env_tasks, expert_chats, base_model, sft_model, prompt_config, explore_config
    from rro.policy import HFPolicy, GenerationConfig, conversation
    from rro.reproduce import explored_tasks
    from rro.serving import OpenAIPolicy, PolicyRecipe
    from rro.workers import RayRunner
    p = PROFILES["smoke"]
    env, train, test = env_tasks("webshop", p)
    work = Path(tempfile.mkdtemp(prefix="bench_serving-"))
    model = args.model
    if not model:
        chats = expert_chats("webshop", env, train, work)
        with contextlib.redirect_stdout(sys.stderr):  # TRL's loss lines
            model = sft_model("webshop", p, base_model(p, {"webshop": chats}, work), chats, work)
    tasks = (env.tasks("train") + test)[:(args.conversations + 1) // 2]
    convs = []
    for t in tasks:
        e = env.fork(); e.reset(t)
        convs += [conversation(t, []), conversation(t, [Step(f"search[{t.instruction}]", e.step(f"search[{t.instruction}]")[0], thought="I will search.")])]
    convs = convs[:args.conversations]
    gen = GenerationConfig(max_new_tokens=args.new_tokens)
    rows = []
    def row(name, outs, s, ref=None):
        tok = sum(c.generated_tokens for o in outs for c in o)
        same = "" if ref is None else f"{sum(a[0].text == b[0].text for a, b in zip(outs, ref))}/{len(outs)}"
        rows.append((name, s, tok, tok / s, same)); print(f"{name:<46} {s:7.2f} s {tok:6} tokens {tok / s:8.0f} tokens/s  same replies {same}", flush=True)
    hf = HFPolicy(model, batch_size=16)
    hf.generate(convs[:2], gen)  # warm-up
    ref, s = timed(lambda: hf.generate(convs, gen)); row("HFPolicy, batches of 16", ref, s)
    one, s = timed(lambda: [hf.generate([c], gen)[0] for c in convs]); row("HFPolicy, one conversation at a time", one, s, ref)
    for continuous in (False, True):
        proc, url = serve(model, continuous)
        try:
            for k in ((1, 8) if not continuous else (1, 8, 32)):
                pol = OpenAIPolicy(model, url, concurrency=k)
                pol.generate(convs[:2], gen)  # warm-up (the server loads the model on first use)
                outs, s = timed(lambda: pol.generate(convs, gen))
                row(f"transformers serve{' --continuous-batching' if continuous else ''}, {k} in flight", outs, s, ref)
        finally: proc.terminate(); proc.wait(30)
    print(f"\nExploration, RRO, {args.tasks} WebShop tasks (smoke settings: N = {p.methods.explore.cap}, M = {p.methods.explore.mc_rollouts}):", flush=True)
    from dataclasses import replace
    xtasks, _ = explored_tasks("webshop", env, train, replace(p, methods=replace(p.methods, n_explore=args.tasks)))
    cfg = explore_config(p, "webshop", strategy="rro", cap=p.methods.explore.cap, seed=0, chunk=max(1, args.tasks // 4))
    walls = {}
    for workers in (1, 2):
        runner = RayRunner(workers) if workers > 1 else None
        res, s = timed(lambda: explore(PolicyRecipe(model), env, xtasks, work/f"explore-{workers}", cfg, prompt=prompt_config(p, "webshop"),
                                       runner=runner, progress=False))
        walls[workers] = s
        print(f"  {workers} worker(s): {s:6.1f} s wall ({res['generated_tokens']} tokens, {res['pairs']} pairs)", flush=True)
    same = (work/"explore-1"/"pairs.jsonl").read_bytes() == (work/"explore-2"/"pairs.jsonl").read_bytes()
    print(f"  pairs byte-identical: {same}; speed-up {walls[1] / walls[2]:.2f}x on {os.cpu_count()} CPU cores")
    shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__": main()
