"The method tables (smoke profile): every method's row with its cost, mean and spread over seeds, resumable, plotted."
import json
from pathlib import Path
import pytest
from conftest import needs_data
from rro.pipeline import PROFILES
from rro.reproduce import reproduce_methods, methods_table, cost_figure, COST_COLUMNS

P = PROFILES["smoke"]

@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    root = tmp_path_factory.mktemp("methods")
    return root, reproduce_methods("sql", "smoke", root, seeds=(0, 1), log=lambda *a: None)

@needs_data
def test_every_method_has_a_row_with_its_cost(rows):
    root, rows = rows
    assert list(rows) == ["sft", "eto", "ipr", "fixed", "rro", "fixed-N1", "rro-N1"]
    for m, r in rows.items():
        assert r["n"] == P.n_test and "avg_reward_std" in r, m
        if m == "sft": continue
        assert r["seeds"] == [0, 1] and all(k in r for k in COST_COLUMNS), m
        assert r["tasks"] == P.methods.n_explore and r["generated_tokens"] > 0 and r["env_steps"] > 0, m
    cap = P.methods.explore.cap
    assert rows["fixed"]["candidates_per_step"] == cap and 1 <= rows["rro"]["candidates_per_step"] <= cap
    assert rows["eto"]["mc_rollouts"] == 0 and rows["ipr"]["mc_rollouts"] > 0 and rows["fixed"]["mc_rollouts"] > 0
    # one candidate per step leaves nothing to compare: no pairs, so the agent stays the SFT agent
    assert rows["fixed-N1"]["pairs"] == 0 and rows["fixed-N1"]["avg_reward"] == rows["sft"]["avg_reward"]

@needs_data
def test_methods_with_pairs_train_a_dpo_agent_per_seed(rows):
    root, rows = rows
    for seed in (0, 1):
        d = Path(root)/"methods"/"sql"/f"ipr-s{seed}"
        row = json.loads((d/"row.json").read_text())
        assert row["pairs"] > 0 and row["dpo_trained"] and (d/"agent"/"config.json").exists()
        assert len((d/"eval.jsonl").read_text().splitlines()) == P.n_test  # the DPO'd agent's own evaluation rows
    assert rows["ipr"]["pairs"] == (json.loads((Path(root)/"methods/sql/ipr-s0/row.json").read_text())["pairs"]
                                    + json.loads((Path(root)/"methods/sql/ipr-s1/row.json").read_text())["pairs"]) / 2

@needs_data
def test_a_second_run_reuses_every_finished_run(rows):
    root, first = rows
    stamp = {p: p.stat().st_mtime_ns for p in Path(root).glob("methods/sql/*/row.json")}
    assert reproduce_methods("sql", "smoke", root, seeds=(0, 1), log=lambda *a: None) == first
    assert {p: p.stat().st_mtime_ns for p in Path(root).glob("methods/sql/*/row.json")} == stamp

@needs_data
def test_table_and_cost_figure(rows, tmp_path):
    _, rows = rows
    table = methods_table(rows)
    assert len(table.splitlines()) == 2 + len(rows) and "±" in table.splitlines()[3]  # eto's line: mean ± std over 2 seeds
    cost_figure(rows, tmp_path/"cost.png", title="smoke")
    assert (tmp_path/"cost.png").stat().st_size > 5000

@needs_data
def test_further_rounds_explore_with_the_previous_agent_and_add_their_cost(rows):
    from dataclasses import replace
    from rro.pipeline import env_tasks
    from rro.reproduce import explored_tasks, run_method
    root, _ = rows
    p = replace(P, methods=replace(P.methods, iterations=2))
    env, train, test = env_tasks("sql", p)
    tasks, experts = explored_tasks("sql", env, train, p)
    row = run_method("sql", env, tasks, experts, test, str(Path(root)/"sft-sql"), p, "ipr", P.methods.explore.cap, 0,
                     Path(root)/"two-rounds", log=lambda *a: None)
    d = Path(root)/"two-rounds"/"methods"/"sql"/"ipr-s0"
    first = json.loads((Path(root)/"methods/sql/ipr-s0/row.json").read_text())
    assert len(row["rounds"]) == 2 and row["rounds"][0]["generated_tokens"] == first["generated_tokens"]  # round 1 = the 1-round run
    assert row["generated_tokens"] == sum(r["generated_tokens"] for r in row["rounds"]) and row["pairs"] == sum(r["pairs"] for r in row["rounds"])
    manifest = json.loads((d/"round2"/"explore"/"manifest.json").read_text())
    assert manifest["policy"] == str(d/"agent") and (d/"round2"/"agent"/"config.json").exists()  # round 2 explored with round 1's agent

@needs_data
def test_rising_share_after_training_explores_again_with_the_dpo_agent(rows, tmp_path):
    import shutil
    from dataclasses import replace
    from rro.pipeline import env_tasks
    from rro.reproduce import explored_tasks, rising_after_training
    root, first = rows
    p = replace(P, methods=replace(P.methods, rising_after=True))
    again = reproduce_methods("sql", p, root, seeds=(0, 1), log=lambda *a: None)
    for m in ("fixed", "rro"):
        assert len(again[m]["rising_share_after_by_third"]) == 3
        assert {k: again[m][k] for k in COST_COLUMNS} == {k: first[m][k] for k in COST_COLUMNS}  # a measurement, not a cost
        for seed in (0, 1):  # explored again exactly where DPO trained an agent (smoke SQL finds few pairs)
            d = Path(root)/"methods"/"sql"/f"{m}-N{P.methods.explore.cap}-s{seed}"
            assert (d/"explore-after"/"summary.json").exists() == (d/"agent"/"config.json").exists()
    # an agent in place (here a copy of the SFT agent): it explores the tasks again, once
    d = tmp_path/"methods"/"sql"/"rro-N2-s0"
    shutil.copytree(Path(root)/"sft-sql", d/"agent")
    env, train, _ = env_tasks("sql", p)
    tasks, experts = explored_tasks("sql", env, train, p)
    shares = rising_after_training("sql", env, tasks, experts, p, "rro", 2, 0, tmp_path, log=lambda *a: None)
    summary = json.loads((d/"explore-after"/"summary.json").read_text())
    assert len(shares) == 3 and shares == summary["rising_share_by_third"] and summary["tasks"] == len(tasks)
    stamp = (d/"explore-after"/"summary.json").stat().st_mtime_ns
    assert rising_after_training("sql", env, tasks, experts, p, "rro", 2, 0, tmp_path, log=lambda *a: None) == shares
    assert (d/"explore-after"/"summary.json").stat().st_mtime_ns == stamp
