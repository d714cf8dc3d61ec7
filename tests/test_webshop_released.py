"""WebShop's released reward (goal.py, princeton-nlp/WebShop master 64fa2a5) on 10,000 stored purchases: rro's gives the same.

The purchases and goal.py's rewards were written by `reproduce/compare_webshop.py --write-reward-cases` (which runs
WebShop's code; see reproduce/webshop_original.py); this test needs only rro.
"""
import json
from collections import Counter
from pathlib import Path
import pytest
from rro.envs.webshop.env import WebShopEnv, WebShopConfig
from rro.envs.webshop.reward import webshop_reward, noun_tagger

CASES = Path(__file__).parent/"data"/"webshop_released_rewards.json"

@pytest.fixture(scope="module")
def stored():
    d = json.loads(CASES.read_text())
    env = WebShopEnv(WebShopConfig(n_products=d["products"], seed=d["seed"], noun_tagger="heuristic"))
    return d, env, noun_tagger("heuristic")

def _rewards(d, env, nouns, variant):
    return [webshop_reward(env.catalogue.by_asin[c["asin"]], env.goals[c["goal"]], c["price"], c["options"], nouns, variant=variant)[0]
            for c in d["cases"]]

def test_every_stored_purchase_scores_as_goal_py(stored):
    d, env, nouns = stored
    assert len(d["cases"]) >= 10_000 and len(d["cases"]) == len(d["released_reward"])
    ours = _rewards(d, env, nouns, "released")
    wrong = [(i, d["cases"][i], r0, r1) for i, (r0, r1) in enumerate(zip(d["released_reward"], ours)) if abs(r0 - r1) > 1e-12]
    assert not wrong, wrong[:3]

def test_the_cases_reach_every_branch(stored):
    "Goal's own product, other products; goal options, product options, none; prices under and over the bound."
    d, env, _ = stored
    kinds = Counter()
    for c in d["cases"]:
        g = env.goals[c["goal"]]
        kinds["own product" if c["asin"] == g["asin"] else "other product"] += 1
        kinds["no options" if not c["options"] else "goal options" if c["options"] == g["goal_options"] else "other options"] += 1
        kinds["over bound" if c["price"] > g["price_upper"] else "within bound"] += 1
    assert min(kinds.values()) >= 500, kinds
    assert len(set(d["released_reward"])) >= 20 and 0.2 < sum(d["released_reward"]) / len(d["cases"]) < 0.8  # neither all 0 nor all 1

def test_the_unmerged_variant_is_a_different_reward(stored):
    d, env, nouns = stored
    variant = _rewards(d, env, nouns, "6ba9969")
    differ = sum(abs(a - b) > 1e-12 for a, b in zip(d["released_reward"], variant))
    assert 0.02 * len(variant) < differ < 0.5 * len(variant), differ
