"reproduce/mc_agreement.py: how agreement of M = m with the reference M is counted."
import importlib.util
from pathlib import Path
from types import SimpleNamespace as R

spec = importlib.util.spec_from_file_location("mc_agreement", Path(__file__).parents[1]/"reproduce"/"mc_agreement.py")
mc = importlib.util.module_from_spec(spec); spec.loader.exec_module(mc)

def cand(*rewards): return {"value": sum(rewards) / len(rewards), "rollouts": [R(reward=r) for r in rewards]}

def test_agreement_counts_best_pairs_and_rises():
    # one state worth 0.5 (by all its rollouts, 0 by its first); three candidates
    cands = [[cand(1, 0, 0, 0), cand(0, 1, 1, 1), {"value": 0.0, "rollouts": []}]]  # the last one ended the episode
    state = [[R(reward=0), R(reward=1), R(reward=1), R(reward=0)]]
    res = mc.compare(cands, state, 4)
    one, four = res[1], res[4]
    assert four == {"best_agrees": 1.0, "pairs": 3, "pairs_same": 1.0, "pairs_reversed": 0.0, "pairs_tied": 0.0, "rise_agrees": 1.0}
    # the reference: 0.25, 0.75, 0.0; M = 1 sees 1, 0, 0.0: it picks the first, not the reference's best,
    # and of the three pairs keeps one in order, reverses one (first vs second) and ties one (second vs third)
    third = round(1 / 3, 3)
    assert one["best_agrees"] == 0.0
    assert (one["pairs"], one["pairs_same"], one["pairs_reversed"], one["pairs_tied"]) == (3, third, third, third)
    # rises above the state's value: reference (0.5) only the second; M = 1 (state 0) only the first: they agree on the third
    assert one["rise_agrees"] == third
