"""rro's WebShop against WebShop's released code, side by side on the same catalogue (a measurement, not a test).

    .venv/bin/python reproduce/compare_webshop.py --webshop /path/to/WebShop [--products 1000] [--tasks 200] [--reward-cases 10000]
                                                  [--write-reward-cases tests/data/webshop_released_rewards.json]

Setup: see reproduce/webshop_original.py (a checkout of WebShop's code, Java 17, Debian's Lucene 8.7, flask, bs4).
1. Goals: every goal rro builds against every goal WebShop's `get_goals` builds from `random.seed(seed)`: instruction,
   price bound, options, attributes, weight.
2. Rewards: `--reward-cases` purchases in WebShop's schema (a goal and a product of the same query, of another
   query, or the goal's own; options of the product, of the goal, or none; a price under or over the bound), scored
   by goal.py's `get_reward` and by `rro.envs.webshop.reward.webshop_reward`; with `--write-reward-cases`, the released
   rewards are written for the regression test (tests/test_webshop_released.py), which then needs no WebShop code.
3. Pages: the same action sequences in both text environments (the oracle, WebShop's first-result rule, a seeded
   random clicker, a pager that walks past the last results page and through the sub pages, and a fuzzer of odd
   actions), the observation after every step compared as text; each difference is classified by page.
"""
import argparse, contextlib, json, random, sys, time
from collections import Counter
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from webshop_original import original_text_env
from rro.core import Step
from rro.envs.webshop.catalogue import generate_catalogue
from rro.envs.webshop.env import WebShopEnv, WebShopConfig, oracle_agent, first_result_agent, RandomAgent, fuzz_actions, NEXT, PREV, BUY
from rro.envs.webshop.reward import webshop_reward, noun_tagger

GOAL_FIELDS = ("asin", "instruction_text", "price_upper", "goal_options", "attributes", "weight")

def pager(task, steps):
    "Search, page past the last page, come back, open the first product, walk its sub pages, buy."
    plan = [f"search[{task.instruction}]"] + [f"click[{NEXT}]"] * 6 + [f"click[{PREV}]"] * 6
    if len(steps) < len(plan): return plan[len(steps)]
    k = len(steps) - len(plan)
    first = next((p for p in steps[-1].observation.split(" [SEP] ") if p.startswith("B0") and len(p) == 10), None) if k == 0 else None
    tail = [f"click[{first}]" if first else "click[Back to Search]", "click[Description]", f"click[{PREV}]", "click[Features]",
            f"click[{PREV}]", "click[Reviews]", f"click[{PREV}]", "search[   ]", f"click[{BUY}]"]
    return tail[min(k, len(tail) - 1)]

class Fuzzer:
    def __init__(self, env, seed): self.env, self.rng = env, random.Random(seed)
    def __call__(self, task, steps): return fuzz_actions(self.env, self.rng) if steps else f"search[{task.instruction}]"

def reward_cases(env: WebShopEnv, n: int, seed: int = 0) -> list:
    "`n` (goal index, product, options, price) purchases that reach every branch of the reward."
    rng, goals, prods = random.Random(seed), env.goals, env.catalogue.products
    by_query = {}
    for p in prods: by_query.setdefault(p["query"], []).append(p)
    cases = []
    for _ in range(n):
        gi = rng.randrange(len(goals)); g = goals[gi]
        kind = rng.random()
        p = env.catalogue.by_asin[g["asin"]] if kind < 0.3 else rng.choice(by_query[g["query"]]) if kind < 0.7 else rng.choice(prods)
        o = rng.random()
        if o < 0.35 and isinstance(g["goal_options"], dict): opts = dict(g["goal_options"])
        elif o < 0.8: opts = {k: rng.choice(v) for k, v in p["options"].items() if v and rng.random() < 0.8}
        else: opts = {}
        price = g["price_upper"] * rng.choice([0.5, 0.99, 1.0, 1.01, 2.0]) if g["price_upper"] < 1e6 else env.catalogue.prices[p["asin"]]
        cases.append({"goal": gi, "asin": p["asin"], "options": opts, "price": round(price, 4)})
    return cases

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--webshop", required=True, help="a checkout of WebShop's code (princeton-nlp/WebShop master)")
    ap.add_argument("--products", type=int, default=1000); ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tasks", type=int, default=200, help="test tasks each agent runs on")
    ap.add_argument("--reward-cases", type=int, default=10000)
    ap.add_argument("--write-reward-cases", default=None, help="write the cases and the released rewards here (JSON)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    cat_dir = generate_catalogue(args.products, args.seed)
    t0 = time.time()
    with contextlib.redirect_stdout(sys.stderr): orig = original_text_env(args.webshop, cat_dir, args.seed)  # it prints
    ours = WebShopEnv(WebShopConfig(n_products=args.products, seed=args.seed, noun_tagger="heuristic", max_steps=1000))  # WebShop has no step limit
    res = {"products": args.products, "load_s": round(time.time() - t0, 1)}
    # 1. goals
    og, rg = orig.server.goals, ours.goals
    okeys = sorted(json.dumps({k: g[k] for k in GOAL_FIELDS}, sort_keys=True) for g in og)
    rkeys = sorted(json.dumps({k: g[k] for k in GOAL_FIELDS}, sort_keys=True) for g in rg)
    res["goals"] = {"webshop": len(og), "rro": len(rg), "identical": okeys == rkeys}
    # 2. rewards
    import web_agent_site.engine.goal as goal_py
    cases = reward_cases(ours, args.reward_cases, args.seed)
    nouns, released, agree = noun_tagger("heuristic"), [], 0
    for c in cases:
        g, p = rg[c["goal"]], ours.catalogue.by_asin[c["asin"]]
        r0 = goal_py.get_reward(orig.server.product_item_dict[c["asin"]], g, c["price"], c["options"])
        r1 = webshop_reward(p, g, c["price"], c["options"], nouns)[0]
        released.append(r0); agree += abs(r0 - r1) < 1e-12
    res["rewards"] = {"cases": len(cases), "agree": agree, "mean_released": round(sum(released) / len(released), 4)}
    if args.write_reward_cases:
        Path(args.write_reward_cases).write_text(json.dumps({"products": args.products, "seed": args.seed, "cases": cases,
                                                             "released_reward": released}, separators=(",", ":")))
    # 3. pages
    key = {}
    for i, g in enumerate(orig.server.goals): key.setdefault((g["asin"], g["instruction_text"]), i)
    agents = {"oracle": lambda e: oracle_agent, "first": lambda e: first_result_agent, "random": lambda e: RandomAgent(e, args.seed),
              "pager": lambda e: pager, "fuzz": lambda e: Fuzzer(e, args.seed)}
    pages, diffs = {}, Counter()
    for name, make in agents.items():
        same = steps_n = 0
        for t in ours.tasks("test")[:args.tasks]:
            orig.reset(session=key[(t.data["asin"], t.instruction)]); ours.reset(t)
            agent, steps = make(ours), []
            for _ in range(15):
                a = agent(t, steps)
                kind = ours.page
                so, ro, do, _ = orig.step(a if isinstance(a, str) else "")
                sr, rr, dr, _ = ours.step(a)
                steps_n += 1
                if so == sr and abs(ro - rr) < 1e-12: same += 1
                else:
                    parts_o, parts_r = so.split(" [SEP] "), sr.split(" [SEP] ")
                    j = next((j for j, (x, y) in enumerate(zip(parts_o, parts_r)) if x != y), min(len(parts_o), len(parts_r)))
                    diffs[f"{kind} -> {ours.page}: webshop {parts_o[j:j + 1]} / rro {parts_r[j:j + 1]}"[:200]] += 1
                steps.append(Step(a if isinstance(a, str) else "", sr, rr))
                if dr or do: break
        pages[name] = {"steps": steps_n, "identical": same, "share": round(same / steps_n, 4)}
    res["pages"] = pages
    res["page_differences"] = dict(diffs.most_common(20))
    total = sum(v["steps"] for v in pages.values())
    res["pages_identical_share"] = round(sum(v["identical"] for v in pages.values()) / total, 4)
    print(json.dumps(res) if args.json else json.dumps(res, indent=1))

if __name__ == "__main__": main()
