"""Seconds per SFT (or DPO) step under each LM head (`SFTStageConfig.lm_head`, `DPOStageConfig.lm_head`) on a profile's own demonstrations, and the losses logged.

    .venv/bin/python reproduce/bench_sft.py --work /tmp/bench-sft --steps 40        # mini: WebShop step chats and SQL chats
    .venv/bin/python reproduce/bench_sft.py --work /tmp/bench-sft --steps 12 --dpo  # DPO on pairs of demonstrated replies
"""
import argparse, json, random, time
from dataclasses import replace
from pathlib import Path
from rro.pipeline import PROFILES, env_tasks, expert_chats, base_model, prompt_config, sft_config
from rro.train import sft_trainer, dpo_trainer

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--profile", default="mini"); ap.add_argument("--work", required=True, help="demonstrations, base model, runs")
ap.add_argument("--steps", type=int, default=40, help="optimizer steps per head and env")
ap.add_argument("--repeat", type=int, default=2, help="runs per head, alternating fused and plain (a process's first run pays a warm-up)")
ap.add_argument("--dpo", action="store_true", help="time DPO (the profile's DPO settings) instead of SFT: 200 pairs per env, "
                "each a demonstration's prompt with its own last reply chosen and another demonstration's rejected (a timing load, not a training set)")
a = ap.parse_args()
p, root = PROFILES[a.profile], Path(a.work)
chats = {}
for e in ("webshop", "sql"):
    env, train, _ = env_tasks(e, p)
    chats[e] = expert_chats(e, env, train, root, first_page=p.webshop_first_page, prompt=prompt_config(p, e))
base = str(base_model(p, chats, root))
rng = random.Random(0)
for e in ("webshop", "sql"):
    if a.dpo:
        cs = rng.sample(chats[e], 400)
        pairs = [{"prompt": c[:-1], "chosen": c[-1:], "rejected": d[-1:]} for c, d in zip(cs[:200], cs[200:])]
    for head in ("fused", "plain") * a.repeat:
        if a.dpo:
            cfg = replace(p.methods.dpo, max_steps=a.steps, save_steps=10**6, logging_steps=a.steps, lm_head=head)
            tr = dpo_trainer(base, pairs, root/f"dpo-{e}-{head}-run", cfg, progress=False)
        else:
            cfg = replace(sft_config(p, e), max_steps=a.steps, save_steps=10**6, logging_steps=a.steps, lm_head=head)
            tr = sft_trainer(base, chats[e], root/f"{e}-{head}-run", cfg, progress=False)
        t0 = time.perf_counter(); tr.train(); dt = time.perf_counter() - t0
        print(json.dumps({"env": e, "stage": "dpo" if a.dpo else "sft", "lm_head": head, "steps": a.steps, "s_per_step": round(dt / a.steps, 3),
                          "loss": [round(r["loss"], 4) for r in tr.state.log_history if "loss" in r]}), flush=True)
