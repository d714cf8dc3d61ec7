"""What M (rollouts per candidate) does to exploration's decisions (a measurement, not a test).

    .venv/bin/python reproduce/mc_agreement.py --work results/mini/work [--env webshop] [--states 40] [--m 8] [--json]

On states an explorer meets (the explored training tasks of a profile, along the trajectories RRO took there, or
the expert's where no exploration is on disk), each of `--candidates` sampled candidates and the state itself are
scored with `--m` Monte Carlo rollouts of the profile's SFT agent. Since the rollouts are independent, the mean of
the first m of them is an M = m estimate, so one run compares every M up to `--m` with the M = `--m` estimate on the
same candidates:
- the best candidate: how often M = m picks one that M = `--m` also ranks best;
- ordered pairs: of candidate pairs that M = `--m` tells apart, the share M = m orders the same way, the other way,
  or calls a tie (a tie makes no pair; the wrong way makes a pair that teaches the opposite);
- rising decisions: of the candidates, the share whose "rises above the state's value" (RRO's stop rule) agrees.
"""
import argparse, json, random, statistics, time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from rro.core import read_jsonl, run_episode
from rro.explore import score_candidates, mc_values
from rro.pipeline import PROFILES, env_tasks, explore_config, prompt_config
from rro.reproduce import explored_tasks, method_dir
from rro.rollout import Ledger
from rro.serving import PolicyRecipe

def states_of(env, tasks: list, experts: dict, records: dict, n: int, seed: int) -> list:
    "Up to `n` (task, prefix) states: every step of the recorded (or expert) trajectory of each task, in a seeded order."
    out = []
    for t in tasks:
        actions = records.get(t.id) or [s.action for s in experts[t.id].steps]
        steps = run_episode(env, t, lambda task, done: actions[len(done)], max_steps=len(actions) - 1).steps if len(actions) > 1 else []
        out += [(t, steps[:d]) for d in range(len(steps) + 1)]
    random.Random(seed).shuffle(out)
    return out[:n]

def best(values: list) -> int: return max(range(len(values)), key=lambda i: values[i])  # the first of the best, as exploration takes it

def compare(cands: list, state_rollouts: list, m_max: int) -> dict:
    "Agreement of every M = m with M = m_max on these states' candidates."
    res = {}
    for m in range(1, m_max + 1):
        agree_best = pairs_same = pairs_flip = pairs_tie = rises_same = n_pairs = n_cands = 0
        for cs, sro in zip(cands, state_rollouts):
            full = [c["value"] if not c["rollouts"] else statistics.fmean(r.reward for r in c["rollouts"][:m_max]) for c in cs]
            part = [c["value"] if not c["rollouts"] else statistics.fmean(r.reward for r in c["rollouts"][:m]) for c in cs]
            top = max(full)
            agree_best += full[best(part)] == top
            for i in range(len(cs)):
                for j in range(i + 1, len(cs)):
                    if full[i] == full[j]: continue
                    n_pairs += 1
                    if part[i] == part[j]: pairs_tie += 1
                    elif (part[i] > part[j]) == (full[i] > full[j]): pairs_same += 1
                    else: pairs_flip += 1
            prev_full = statistics.fmean(r.reward for r in sro[:m_max]) if sro else 0.0
            prev_part = statistics.fmean(r.reward for r in sro[:m]) if sro else 0.0
            for f, p in zip(full, part):
                n_cands += 1; rises_same += (f > prev_full) == (p > prev_part)
        res[m] = {"best_agrees": round(agree_best / len(cands), 3),
                  "pairs": n_pairs, "pairs_same": round(pairs_same / max(n_pairs, 1), 3),
                  "pairs_reversed": round(pairs_flip / max(n_pairs, 1), 3), "pairs_tied": round(pairs_tie / max(n_pairs, 1), 3),
                  "rise_agrees": round(rises_same / max(n_cands, 1), 3)}
    return res

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", default="results/mini/work", help="a reproduction's work directory (its sft-<env> agent, its explorations)")
    ap.add_argument("--profile", default="mini")
    ap.add_argument("--env", choices=["webshop", "sql"], default="webshop")
    ap.add_argument("--states", type=int, default=40, help="states scored")
    ap.add_argument("--candidates", type=int, default=3, help="candidates sampled per state")
    ap.add_argument("--m", type=int, default=8, help="rollouts per candidate (and per state): the reference estimate")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    p = PROFILES[args.profile]
    work = Path(args.work)
    agent = work/f"sft-{args.env}"
    if not (agent/"config.json").exists(): raise SystemExit(f"{agent}: no SFT agent (run `make reproduce` or the sft notebook first)")
    env, train, _ = env_tasks(args.env, p, args.data_dir)
    tasks, experts = explored_tasks(args.env, env, train, p)
    rec_file = method_dir(work, args.env, "rro", p.methods.explore.cap, 0)/"explore"/"records.jsonl"
    records = {r["task_id"]: r["actions"] for r in read_jsonl(rec_file)} if rec_file.exists() else {}
    states = states_of(env, tasks, experts, records, args.states, args.seed)
    cfg = replace(explore_config(p, args.env, strategy="fixed", cap=args.candidates, seed=args.seed), mc_rollouts=args.m)
    policy, ledger, counts, prompt = PolicyRecipe(str(agent), p.engine, p.methods.batch_size)(), Ledger(), Counter(), prompt_config(p, args.env)
    t0 = time.time()
    cands = score_candidates(policy, policy, env, states, args.candidates, cfg, ledger, counts, args.seed * 7 + 1, prompt)
    _, state_rollouts = mc_values(policy, env, [(t, pre, None) for t, pre in states], cfg, ledger, args.seed * 7 + 2, prompt)
    res = {"env": args.env, "states": len(states), "candidates": args.candidates, "m_reference": args.m,
           "from": "rro's explored trajectories" if records else "expert trajectories", "rollouts": counts["mc_rollouts"] + args.m * len(states),
           "wall_s": round(time.time() - t0, 1), "by_m": compare(cands, state_rollouts, args.m)}
    if args.json: print(json.dumps(res)); return
    print(f"{res['env']}: {res['states']} states ({res['from']}), {args.candidates} candidates each, reference M = {args.m}; "
          f"{res['rollouts']} rollouts in {res['wall_s']} s")
    print("| M | best candidate agrees | pairs told apart by the reference: same order / reversed / tied | rise decision agrees |")
    print("|---|---|---|---|")
    for m, r in res["by_m"].items():
        print(f"| {m} | {r['best_agrees']:.3f} | {r['pairs_same']:.3f} / {r['pairs_reversed']:.3f} / {r['pairs_tied']:.3f} (of {r['pairs']}) | {r['rise_agrees']:.3f} |")

if __name__ == "__main__": main()
