"""Result files tied to what made them: a resume with another agent or other tasks refuses, a second writer on the
same output refuses (and a killed writer's lock dies with it), a cut manifest is reported with its file's name."""
import json, subprocess, sys, time
from pathlib import Path
import pytest
from rro.core import DataFileError, OutputBusyError, output_lock, Task
from rro.envs.sql import SqlEnv, demo_sql_tasks
from rro.evaluate import evaluate
from rro.explore import explore, ExploreConfig
from rro.rollout import ScriptedPolicy

def agent(name="agent-a", action="SHOW TABLES"):
    pol = ScriptedPolicy(lambda c: f"Thought: t\nAction: {action}" if len(c) == 1 else "Thought: t\nAction: submit")
    pol.name = name
    return pol

@pytest.fixture
def demo(): return list(demo_sql_tasks().values())[:3]

def test_resume_with_another_agent_or_other_tasks_refuses(tmp_path, demo):
    env, rows = SqlEnv(), tmp_path/"rows.jsonl"
    first = evaluate(agent(), env, demo, rows, progress=False)
    assert evaluate(agent(), env, demo, rows, progress=False) == first  # the same run resumes (nothing left to do)
    with pytest.raises(ValueError, match=r"rows.jsonl.manifest.json: this evaluation was made by other settings \(agent differ\)"):
        evaluate(agent("agent-b"), env, demo, rows, progress=False)
    moved = [Task(demo[0].id, "sql", "another question", dict(demo[0].data)), *demo[1:]]  # same id, another task
    with pytest.raises(ValueError, match="was made for another task"): evaluate(agent(), env, moved, rows, progress=False)
    assert len(rows.read_text().splitlines()) == 3  # nothing was added or lost
    assert evaluate(agent("agent-b"), env, demo, rows, progress=False, restart=True)["n"] == 3

def hold_lock(path):
    "A process that holds `path`'s output lock until killed."
    p = subprocess.Popen([sys.executable, "-c", f"import time; from rro.core import output_lock\nwith output_lock({str(path)!r}):\n"
                          "    print('held', flush=True); time.sleep(600)"], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    return p

def test_a_second_writer_refuses_and_a_killed_one_leaves_no_lock(tmp_path, demo):
    env, rows, d = SqlEnv(), tmp_path/"rows.jsonl", tmp_path/"explore"
    d.mkdir()
    for target in (rows, d):
        p = hold_lock(target)
        try:
            with pytest.raises(OutputBusyError, match="another process is writing"):
                if target == rows: evaluate(agent(), env, demo, rows, progress=False)
                else: explore(agent(), env, demo, d, ExploreConfig(mc_rollouts=1, max_steps=3, cap=2), progress=False)
        finally: p.kill(); p.wait()  # kill -9: the OS drops the lock with the process
    assert evaluate(agent(), env, demo, rows, progress=False)["n"] == 3

def test_cut_manifests_are_named(tmp_path, demo):
    env, rows, d = SqlEnv(), tmp_path/"rows.jsonl", tmp_path/"explore"
    evaluate(agent(), env, demo, rows, progress=False)
    m = rows.with_name("rows.jsonl.manifest.json"); m.write_text(m.read_text()[:20])
    with pytest.raises(DataFileError, match=r"rows.jsonl.manifest.json: the manifest of this evaluation is not valid JSON"):
        evaluate(agent(), env, demo, rows, progress=False)
    cfg = ExploreConfig(mc_rollouts=1, max_steps=3, cap=2, chunk=1)
    explore(agent(), env, demo, d, cfg, progress=False)
    (d/"manifest.json").write_text((d/"manifest.json").read_text()[:30])
    with pytest.raises(DataFileError, match=r"explore/manifest.json: the manifest of this exploration is not valid JSON"):
        explore(agent(), env, demo, d, cfg, progress=False)
    (d/"manifest.json").unlink(); explore(agent(), env, demo, d, cfg, progress=False)  # a new manifest, the chunks reused
    (d/"chunks"/"00001.json").write_text('{"pairs": [')
    with pytest.raises(DataFileError, match=r"chunks/00001.json: the chunk file is not valid JSON"):
        explore(agent(), env, demo, d, cfg, progress=False)
