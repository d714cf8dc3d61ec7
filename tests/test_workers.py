"""Exploration and evaluation on Ray workers (`rro.workers`): the same bytes as one worker, and a killed run resumes to them.
A small agent trained here explores WebShop with RRO on 16 tasks; a Ray head started by the test holds the workers."""
import json, os, signal, subprocess, sys, time
from pathlib import Path
import pytest
from rro.pipeline import profile_with, env_tasks, expert_chats, base_model, sft_model, prompt_config
from rro.serving import PolicyRecipe
from rro.evaluate import evaluate
from rro.workers import RayRunner
from test_serving import free_port

EXPLORE = ["--strategy", "rro", "--limit", "16", "--chunk", "4", "--cap", "3", "--mc-rollouts", "1", "--max-steps", "5", "--json", "--quiet"]

@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    "An SFT agent on the mini profile's WebShop data, at a size that trains in half a minute: good enough to buy sometimes."
    root = tmp_path_factory.mktemp("agent")
    p = profile_with("mini", None, {"tiny.hidden_size": 64, "tiny.intermediate_size": 192, "tiny.num_hidden_layers": 2, "tiny.vocab_size": 2048},
                     train_limit=200, sft_steps=120)
    env, train, test = env_tasks("webshop", p)
    chats = expert_chats("webshop", env, train, root, first_page=True, prompt=prompt_config(p, "webshop"))
    return sft_model("webshop", p, base_model(p, {"webshop": chats}, root), chats, root), env, test

@pytest.fixture(scope="module")
def head():
    "A local Ray cluster of two CPUs, as `ray start --head` makes one."
    ray = str(Path(sys.executable).with_name("ray"))
    port = free_port()
    subprocess.run([ray, "start", "--head", f"--port={port}", "--num-cpus=2", "--object-store-memory=200000000", "--disable-usage-stats",
                    "--include-dashboard=false"], check=True, capture_output=True, timeout=120)
    try: yield f"127.0.0.1:{port}"
    finally:
        import ray as _ray
        if _ray.is_initialized(): _ray.shutdown()  # this process's own connection first
        subprocess.run([ray, "stop", "--force"], capture_output=True, timeout=120)

def explore_cmd(model, out, *extra):
    return [sys.executable, "-c", "from rro.cli import main; main()", "explore", "--env", "webshop", "--agent", model, "--out", str(out), *EXPLORE, *extra]

def same_exploration(a: Path, b: Path):
    "Pairs and records byte for byte; the ledger's totals equal (wall time aside)."
    assert (a/"pairs.jsonl").read_bytes() == (b/"pairs.jsonl").read_bytes()
    assert (a/"records.jsonl").read_bytes() == (b/"records.jsonl").read_bytes()
    sa, sb = (json.loads((d/"summary.json").read_text()) for d in (a, b))
    sa.pop("explore_wall_s"); sb.pop("explore_wall_s")
    assert sa == sb

def test_two_workers_write_what_one_writes_and_a_killed_run_resumes(agent, head, tmp_path):
    model, *_ = agent
    one = subprocess.run(explore_cmd(model, tmp_path/"one", "--workers", "1"), capture_output=True, text=True, timeout=900)
    assert one.returncode == 0, one.stderr[-3000:]
    res = json.loads(one.stdout)
    assert res["tasks"] == 16 and res["pairs"] > 0 and res["workers"] == 1  # something to compare
    two = subprocess.run(explore_cmd(model, tmp_path/"two", "--workers", "2", "--ray-address", head), capture_output=True, text=True, timeout=900)
    assert two.returncode == 0, two.stderr[-3000:]
    assert json.loads(two.stdout)["workers"] == 2
    same_exploration(tmp_path/"one", tmp_path/"two")
    # killed with SIGKILL once the first chunk is written, then run again
    cut = tmp_path/"cut"
    proc = subprocess.Popen(explore_cmd(model, cut, "--workers", "2", "--ray-address", head), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    written = lambda: len(list((cut/"chunks").glob("*.json"))) if (cut/"chunks").exists() else 0
    deadline = time.time() + 600
    while written() < 1:
        assert proc.poll() is None and time.time() < deadline, "the run ended before it could be killed"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL); proc.wait()
    assert not (cut/"pairs.jsonl").exists() and written() < 4
    again = subprocess.run(explore_cmd(model, cut, "--workers", "2", "--ray-address", head), capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stderr[-3000:]
    same_exploration(tmp_path/"one", cut)

def test_evaluation_rows_on_workers_are_the_rows_of_one(agent, head, tmp_path):
    model, env, test = agent
    p = profile_with("mini")
    kw = dict(prompt=prompt_config(p, "webshop"), chunk=2, progress=False)
    from rro.policy import GenerationConfig
    gen = GenerationConfig(max_new_tokens=64, constrain_actions=True)
    here = evaluate(PolicyRecipe(model), env, test[:8], tmp_path/"here.jsonl", gen, **kw)
    there = evaluate(PolicyRecipe(model), env, test[:8], tmp_path/"there.jsonl", gen, runner=RayRunner(2, head), **kw)
    assert here == there and (tmp_path/"here.jsonl").read_bytes() == (tmp_path/"there.jsonl").read_bytes()
