"""The paper profile on one GPU, checked: SFT and DPO steps and rollouts of a random-init Gemma-2 2B (a check, not a test).

    python reproduce/gpu_check.py [--out DIR] [--budget-s 450]   # on a GPU machine; no hub access needed
    python reproduce/gpu_check.py --tiny                         # the same code paths at tiny size, on the CPU (tests run this)

It builds a `Gemma2ForCausalLM` with Gemma-2 2B's published configuration (`rro.families.GEMMA2_2B`: 2.6 billion
parameters, a 256,000-token vocabulary), Gemma's chat template and special tokens, and random weights, and then
runs, with the paper profile's own settings (`rro.pipeline.PROFILES["paper"]`):

1. SFT: a few optimizer steps of TRL's SFTTrainer as `rro.train.train_sft` builds it: batches of 32 chats of up to
   4,096 tokens, split into forward passes of `per_device_batch`, bf16 mixed precision, gradient checkpointing;
2. DPO: a few steps of the agent-only DPOTrainer (`rro.train.dpo_trainer`), reference log-probs precomputed;
3. rollouts with `rro.policy.HFPolicy` in bf16 at the paper's sampling (temperature 1, replies of 256 tokens): 64
   conversations in one batched call, a few of them one at a time, and M = 5 rollouts of 8 states;

and prints, stage by stage, the peak GPU memory beside `rro.memory`'s estimate, optimizer steps/s, generated
tokens/s and the batched-against-one-at-a-time speed-up, then one JSON object (also written to DIR/gpu_check.json).
A stage that would start after `--budget-s` seconds is skipped and says so.

The chats are synthetic ReAct episodes in the project's prompt format, long enough to fill `max_length`: the point is
memory and speed at the paper's shapes, not what the model learns.

The lent GPU machine of this workplace has torch, transformers, peft and accelerate but not TRL, datasets or what
`rro.pipeline` imports; carry them as wheels (see the device tool's README), e.g. from the repository root:
    python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \\
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .whl \\
        trl==1.16.0 datasets==5.2.0 dill multiprocess transformers==5.24.0 sqlglot bm25s PyStemmer
and there: pip install --no-index --no-deps --target /tmp/site .whl/*.whl; PYTHONPATH=/tmp/site:. python3 reproduce/gpu_check.py --out $OUT
"""
import argparse, contextlib, json, random, sys, tempfile, time
from dataclasses import asdict, replace
from pathlib import Path

T0 = time.perf_counter()

def say(**kv):
    "One line of results as they come (a run cut short still shows what it measured)."
    print(json.dumps(kv), flush=True)

def synthetic_chats(n: int, tok, max_length: int, seed: int = 0) -> list:
    "`n` WebShop-like ReAct chats, each grown turn by turn until it reaches `max_length` tokens (or 10 turns)."
    from rro.core import Task, Step
    from rro.policy import conversation, format_turn
    rng = random.Random(seed)
    words = ("deodorant sensitive skin long lasting natural travel size pack of two unscented aluminum free women men fresh "
             "scent ounce bottle shampoo conditioner hair color red blue green black white small medium large price rating").split()
    page = lambda k: " [SEP] ".join(f"B0{rng.randrange(10**8):08d} [SEP] " + " ".join(rng.choices(words, k=12)) + f" [SEP] ${rng.randrange(5, 90)}.99"
                                    for _ in range(k))
    chats = []
    for i in range(n):
        task = Task(str(i), "webshop", "i need " + " ".join(rng.choices(words, k=10)) + ", and price lower than 40.00 dollars")
        steps = []
        while len(steps) < 10:
            steps.append(Step(f"click[B0{rng.randrange(10**8):08d}]", "Back to Search [SEP] Next > [SEP] " + page(10),
                              thought="The " + " ".join(rng.choices(words, k=6)) + " looks right."))
            chat = conversation(task, steps[:-1]) + [{"role": "assistant", "content": format_turn(steps[-1].thought, steps[-1].action)}]
            if len(tok.apply_chat_template(chat, tokenize=True, return_dict=False)) >= max_length: break
        chats.append(chat)
    return chats

class StepClock:
    "A TrainerCallback keeping the time of each optimizer step."
    def __new__(cls):
        from transformers import TrainerCallback
        class _Clock(TrainerCallback):
            def __init__(self): self.times = []
            def on_step_end(self, args, state, control, **kw): self.times.append(time.perf_counter())
        return _Clock()

def cuda_peak(torch, dev) -> dict:
    if dev != "cuda": return {}
    return {"peak_allocated_gb": round(torch.cuda.max_memory_allocated() / 1e9, 2), "peak_reserved_gb": round(torch.cuda.max_memory_reserved() / 1e9, 2)}

def reset(torch, dev):
    import gc
    gc.collect()
    if dev == "cuda": torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats()

def train_stage(name, make_trainer, steps, torch, dev, estimate) -> dict:
    "Build a trainer, run `steps` optimizer steps, and measure them."
    reset(torch, dev)
    t0 = time.perf_counter()
    trainer = make_trainer()
    built = time.perf_counter()
    clock = StepClock(); trainer.add_callback(clock)
    with contextlib.redirect_stdout(sys.stderr): trainer.train()  # TRL's loss lines: stdout keeps only this script's JSON
    after_first = clock.times[-1] - clock.times[0] if len(clock.times) > 1 else None
    out = {"stage": name, "optimizer_steps": trainer.state.global_step, "build_s": round(built - t0, 1),
           "train_s": round(time.perf_counter() - built, 1),
           "steps_per_s_after_first": round((len(clock.times) - 1) / after_first, 4) if after_first else None,
           "loss": [round(r["loss"], 4) for r in trainer.state.log_history if "loss" in r],
           **cuda_peak(torch, dev), "estimate_gb": estimate}
    del trainer
    return out

def rollout_stage(model_dir, convs, states, new_tokens, single, torch, dev) -> dict:
    "Generated tokens/s batched, one conversation at a time, and for M = 5 rollouts per state, at the paper's sampling."
    from rro.policy import HFPolicy, GenerationConfig
    reset(torch, dev)
    pol = HFPolicy(model_dir, batch_size=len(convs))
    cfg = GenerationConfig(temperature=1.0, max_new_tokens=new_tokens, min_new_tokens=new_tokens, seed=0)
    pol.generate(convs[:2], replace(cfg, max_new_tokens=4, min_new_tokens=4))  # warm-up
    sync = (lambda: torch.cuda.synchronize()) if dev == "cuda" else (lambda: None)
    def timed(fn):
        sync(); t = time.perf_counter(); out = fn(); sync(); return out, time.perf_counter() - t
    batched, tb = timed(lambda: pol.generate(convs, cfg))
    one, ts = timed(lambda: [pol.generate([c], cfg)[0] for c in convs[:single]])
    mc, tm = timed(lambda: pol.generate(states, replace(cfg, n=5)))
    tok = lambda outs: sum(c.generated_tokens for o in outs for c in o)
    b, s, m = tok(batched) / tb, tok(one) / ts, tok(mc) / tm
    return {"stage": "rollouts", "dtype": pol.dtype, "prefill": pol.prefill, "conversations": len(convs),
            "mean_prompt_tokens": round(sum(o[0].prompt_tokens for o in batched) / len(batched)), "new_tokens": new_tokens,
            "batched_tokens_per_s": round(b, 1), "one_at_a_time_tokens_per_s": round(s, 1), "speedup": round(b / s, 2),
            "mc_states": len(states), "mc_rollouts_per_state": 5, "mc_tokens_per_s": round(m, 1), **cuda_peak(torch, dev)}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tiny", action="store_true", help="tiny model and shapes on the CPU: the same code paths, for the tests")
    ap.add_argument("--out", default=None, help="write gpu_check.json here")
    ap.add_argument("--budget-s", type=float, default=450, help="skip a stage that would start later than this many seconds in")
    ap.add_argument("--sft-steps", type=int, default=3, help="SFT optimizer steps")
    ap.add_argument("--dpo-steps", type=int, default=2, help="DPO optimizer steps")
    args = ap.parse_args()
    import torch
    from transformers import AutoConfig, AutoTokenizer
    from rro.families import GEMMA2_2B, TINY, build_family_model
    from rro.memory import training_memory, param_count
    from rro.pipeline import PROFILES
    from rro.policy import INSTRUCTIONS
    from rro.train import sft_trainer, dpo_trainer
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    paper = PROFILES["paper"]
    sft, dpo = replace(paper.sft, max_steps=args.sft_steps, save_steps=10**6, logging_steps=1), \
               replace(paper.methods.dpo, max_steps=args.dpo_steps, save_steps=10**6, logging_steps=1)
    size, new_tokens, n_convs, single = dict(GEMMA2_2B), paper.methods.explore.max_new_tokens, 64, 4
    if args.tiny:  # the same stages at a size the CPU runs in seconds
        size = {**TINY, "max_position_embeddings": 1024}
        sft, dpo = (replace(c, batch_size=4, per_device_batch=2, max_length=256, max_steps=1) for c in (sft, dpo))
        new_tokens, n_convs, single = 8, 4, 2
    say(device=torch.cuda.get_device_name(0) if dev == "cuda" else "cpu", torch=torch.__version__,
        bf16=bool(dev == "cuda" and torch.cuda.is_bf16_supported()), sft=asdict(sft), dpo=asdict(dpo))
    work = Path(tempfile.mkdtemp(prefix="gpu_check-"))
    t = time.perf_counter()
    with torch.device(dev):  # initialise the 2.6B weights where they will run
        model_dir = str(build_family_model("gemma2", list(INSTRUCTIONS.values()) * 50, work/"gemma", vocab_size=4000,
                                           dtype="bfloat16" if dev == "cuda" else "float32", **size))
    conf = AutoConfig.from_pretrained(model_dir)
    results = [{"stage": "build", "parameters": param_count(conf), "build_s": round(time.perf_counter() - t, 1)}]
    say(**results[-1])
    tok = AutoTokenizer.from_pretrained(model_dir)
    chats = synthetic_chats(sft.batch_size * sft.max_steps, tok, sft.max_length)
    lengths = sorted(len(tok.apply_chat_template(c, tokenize=True, return_dict=False)) for c in chats)
    say(chats=len(chats), tokens_median=lengths[len(lengths) // 2], tokens_max=lengths[-1])
    def stage(name, fn):
        if time.perf_counter() - T0 > args.budget_s:
            results.append({"stage": name, "skipped": f"past the {args.budget_s:.0f} s budget"})
        else:
            try: results.append(fn())
            except Exception as e:  # report what broke and go on to the next stage
                results.append({"stage": name, "error": f"{type(e).__name__}: {e}"[:2000]})
        say(**results[-1])
    stage("sft", lambda: train_stage("sft", lambda: sft_trainer(model_dir, chats, work/"sft", sft), sft.max_steps, torch, dev,
                                     training_memory(conf, sft)))
    pairs = [{"prompt": c[:-1], "chosen": c[-1:], "rejected": [{"role": "assistant", "content": c[-1]["content"].replace("click[", "click[B")}]}
             for c in synthetic_chats(dpo.batch_size * dpo.max_steps, tok, dpo.max_length, seed=1)]
    stage("dpo", lambda: train_stage("dpo", lambda: dpo_trainer(model_dir, pairs, work/"dpo", dpo), dpo.max_steps, torch, dev,
                                     training_memory(conf, dpo)))
    prompts = [c[:-1] for c in synthetic_chats(n_convs, tok, min(2048, sft.max_length) if not args.tiny else 128, seed=2)]
    stage("rollouts", lambda: rollout_stage(model_dir, prompts, prompts[:8], new_tokens, single, torch, dev))
    summary = {"device": dev, "wall_s": round(time.perf_counter() - T0, 1), "stages": results}
    print(json.dumps(summary), flush=True)
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        (Path(args.out)/"gpu_check.json").write_text(json.dumps(summary, indent=1))
    return 0 if all("error" not in r for r in results) else 1

if __name__ == "__main__": sys.exit(main())
