"""Seconds per SFT step under each LM head (`SFTStageConfig.lm_head`) on a profile's own demonstrations, and the losses logged.

    .venv/bin/python reproduce/bench_sft.py --work /tmp/bench-sft --steps 40   # mini: WebShop step chats and SQL chats
"""
import argparse, json, time
from dataclasses import replace
from pathlib import Path
from rro.pipeline import PROFILES, env_tasks, expert_chats, base_model, prompt_config, sft_config
from rro.train import sft_trainer

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--profile", default="mini"); ap.add_argument("--work", required=True, help="demonstrations, base model, runs")
ap.add_argument("--steps", type=int, default=40, help="optimizer steps per head and env")
a = ap.parse_args()
p, root = PROFILES[a.profile], Path(a.work)
chats = {}
for e in ("webshop", "sql"):
    env, train, _ = env_tasks(e, p)
    chats[e] = expert_chats(e, env, train, root, first_page=p.webshop_first_page, prompt=prompt_config(p, e))
base = base_model(p, chats, root)
for e in ("webshop", "sql"):
    for head in ("plain", "fused"):
        cfg = replace(sft_config(p, e), max_steps=a.steps, save_steps=10**6, logging_steps=a.steps, lm_head=head)
        tr = sft_trainer(base, chats[e], root/f"{e}-{head}", cfg, progress=False)
        t0 = time.perf_counter(); tr.train(); dt = time.perf_counter() - t0
        print(json.dumps({"env": e, "lm_head": head, "steps": a.steps, "s_per_step": round(dt / a.steps, 3),
                          "loss": [round(r["loss"], 4) for r in tr.state.log_history if "loss" in r]}), flush=True)
