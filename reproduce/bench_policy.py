"""Batched generation against one conversation at a time (a benchmark, not a test).

    .venv/bin/python reproduce/bench_policy.py [--conversations 64] [--new-tokens 32] [--model DIR] [--hidden-size 512 --layers 8]
                                               [--device cuda] [--dtype bfloat16]

Builds the tiny default model (mini size, random weights; --hidden-size/--layers make it wider and deeper) unless
--model names one, writes 64 real first-turn
conversations (32 InterCode-SQL, 32 WebShop), and generates greedy replies both ways, the same prompts, a fixed
number of new tokens. Prints tokens/s both ways, the speed-up, and whether the greedy outputs are identical.
"""
import argparse, tempfile, time
from rro.core import Step
from rro.envs.sql import demo_sql_tasks
from rro.envs.webshop.env import WebShopEnv
from rro.policy import HFPolicy, GenerationConfig, conversation, build_tiny_model, TinyModelConfig

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conversations", type=int, default=64)
    ap.add_argument("--new-tokens", type=int, nargs="+", default=[32, 96])
    ap.add_argument("--batch-size", type=int, nargs="+", default=[16, 64])
    ap.add_argument("--model", default=None, help="an HF model id or directory (default: a fresh tiny model)")
    ap.add_argument("--hidden-size", type=int, default=None, help="width of the fresh tiny model (default: the mini size)")
    ap.add_argument("--layers", type=int, default=None, help="depth of the fresh tiny model (default: the mini size)")
    ap.add_argument("--device", default="auto", help="cpu, cuda, ... (default: the GPU when there is one)")
    ap.add_argument("--dtype", default="float32", help="torch dtype of the model's weights")
    args = ap.parse_args()
    ws = WebShopEnv()
    tasks = list(demo_sql_tasks().values())[:args.conversations // 2]
    tasks += ws.tasks("train")[:args.conversations - len(tasks)]
    convs = []
    for t in tasks:
        e = ws.fork() if t.env == "webshop" else None
        steps = [Step(f"search[{t.instruction}]", e.reset(t) and e.step(f"search[{t.instruction}]")[0], thought="search")] if e else []
        convs.append(conversation(t, steps))
    size = TinyModelConfig()
    if args.hidden_size: size.hidden_size, size.intermediate_size = args.hidden_size, 3 * args.hidden_size
    if args.layers: size.num_hidden_layers = args.layers
    model = args.model or str(build_tiny_model([m["content"] for c in convs for m in c] * 5, tempfile.mkdtemp(), size))
    pol = HFPolicy(model, dtype=args.dtype, device=args.device)
    n_sql = sum(t.env == "sql" for t in tasks)
    print(f"{len(convs)} conversations ({n_sql} SQL first turns, {len(convs) - n_sql} WebShop second turns), "
          f"{sum(p.numel() for p in pol.model.parameters()) / 1e6:.2f}M parameters, {pol.cache or 'dynamic'} KV cache, "
          f"{pol.device}, {args.dtype}, prefill {pol.prefill}")
    for nt in args.new_tokens:
        cfg = GenerationConfig(max_new_tokens=nt, min_new_tokens=nt)
        pol.generate(convs[:2], cfg)  # warm-up
        t0 = time.perf_counter(); single = [pol.generate([c], cfg)[0] for c in convs]; ts = time.perf_counter() - t0
        n_tok = sum(o[0].generated_tokens for o in single)
        prompt = sum(o[0].prompt_tokens for o in single) / len(single)
        print(f"\n{nt} new tokens each (mean prompt {prompt:.0f} tokens); one by one: {ts:6.2f} s, {n_tok / ts:6.0f} generated tokens/s")
        for bs in args.batch_size:
            pol.batch_size = bs
            t0 = time.perf_counter(); batched = pol.generate(convs, cfg); tb = time.perf_counter() - t0
            same = sum(a[0].text == b[0].text for a, b in zip(batched, single))
            print(f"  batch {bs:3}: {tb:6.2f} s, {n_tok / tb:6.0f} generated tokens/s, speed-up {ts / tb:4.1f}x, "
                  f"identical greedy outputs {same}/{len(convs)}")

if __name__ == "__main__": main()
