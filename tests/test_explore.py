"Exploration (rro.explore): a killed run resumes to byte-identical pairs; `rro explore` runs a real model end to end."
import json, os, signal, subprocess, sys, textwrap, time
from pathlib import Path
import pytest

# A policy whose every reply depends only on (seed, conversation, sample index), like HFPolicy's seeded batches depend
# only on their own chunk: what makes a resumed run reproduce an uninterrupted one. It sleeps so a run can be killed mid-way.
SCRIPT = textwrap.dedent('''
    import random, sys, time
    from rro.explore import explore, ExploreConfig, LadderEnv, ladder_task
    from rro.policy import Completion
    class SeededLetters:
        def generate(self, convs, cfg, valid_actions=None):
            time.sleep(0.05)
            return [[Completion(f"Thought: t\\nAction: {random.Random(f'{cfg.seed}|{c}|{k}').choice('abcd')}", 10, 3)
                     for k in range(cfg.n)] for c in convs]
    tasks = [ladder_task(i, {"a": (i % 3) / 4, "b": 0.5, "c": 1 - (i % 4) / 4, "d": 0.1}) for i in range(12)]
    cfg = ExploreConfig(strategy=sys.argv[2], mc_rollouts=3, max_steps=4, cap=3, chunk=2)
    print(explore(SeededLetters(), LadderEnv(depth=4), tasks, sys.argv[1], cfg, progress=False))
''')

def _run(tmp, out, strategy):
    return subprocess.Popen([sys.executable, "-c", SCRIPT, str(out), strategy], cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

@pytest.mark.parametrize("strategy", ["rro", "fixed"])
def test_sigkill_then_rerun_gives_identical_pairs_and_ledger(tmp_path, strategy):
    whole, killed = tmp_path/"whole", tmp_path/"killed"
    assert _run(tmp_path, whole, strategy).wait(timeout=300) == 0
    p = _run(tmp_path, killed, strategy)
    deadline = time.time() + 300
    while not (killed/"chunks"/"00001.json").exists():  # two of six chunks written
        assert p.poll() is None and time.time() < deadline, "the run ended before it could be killed"
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL); p.wait()
    assert not (killed/"pairs.jsonl").exists()
    assert _run(tmp_path, killed, strategy).wait(timeout=300) == 0
    a, b = (whole/"pairs.jsonl").read_bytes(), (killed/"pairs.jsonl").read_bytes()
    assert len(a.splitlines()) > 5 and a == b
    sa, sb = (json.loads((d/"summary.json").read_text()) for d in (whole, killed))
    sa.pop("explore_wall_s"); sb.pop("explore_wall_s")
    assert sa == sb and sa["mc_rollouts"] > 0

def test_explore_command_with_a_model(tmp_path):
    "`rro explore` drives HFPolicy on WebShop (random tiny weights: the counts, not the rewards, are the point)."
    from rro.policy import build_tiny_model, TinyModelConfig
    model = build_tiny_model(["Thought: search\nAction: search[red shoes]", "click[Buy Now]"] * 20, tmp_path/"m",
                             TinyModelConfig(vocab_size=300, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2))
    r = subprocess.run([sys.executable, "-c", "from rro.cli import main; main()", "explore", "--env", "webshop", "--agent", str(model),
                        "--profile", "smoke", "--limit", "3", "--chunk", "2", "--cap", "2", "--mc-rollouts", "2", "--max-new-tokens", "8",
                        "--max-steps", "3", "--out", str(tmp_path/"x"), "--json", "--quiet"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["tasks"] == 3 and 1 <= res["candidates_per_step"] <= 2
    assert res["mc_rollouts"] >= 3 * 2  # at least the start states' rollouts
    assert res["generated_tokens"] > 0 and res["env_steps"] >= 0 and (tmp_path/"x"/"pairs.jsonl").exists()

def test_dpo_command_trains_and_resumes_nothing_twice(tmp_path):
    "`rro dpo` trains on a pairs file; an empty pairs file is a clear error; a finished model is not retrained."
    from rro.policy import build_tiny_model, TinyModelConfig
    from rro.core import write_jsonl
    model = build_tiny_model(["Thought: a\nAction: click[Buy Now]", "search[red shoes]"] * 20, tmp_path/"m",
                             TinyModelConfig(vocab_size=300, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2))
    prompt = [{"role": "user", "content": "Task: buy red shoes"}]
    pairs = [{"prompt": prompt, "chosen": [{"role": "assistant", "content": "Thought: a\nAction: search[red shoes]"}],
              "rejected": [{"role": "assistant", "content": "Thought: a\nAction: click[Buy Now]"}]}] * 4
    write_jsonl(tmp_path/"pairs.jsonl", pairs); write_jsonl(tmp_path/"none.jsonl", [])
    cli = [sys.executable, "-c", "from rro.cli import main; main()", "dpo", "--agent", str(model), "--max-steps", "2", "--batch-size", "2", "--json"]
    r = subprocess.run(cli + ["--pairs", str(tmp_path/"none.jsonl"), "--out", str(tmp_path/"d0")], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "no preference pairs" in r.stderr
    r = subprocess.run(cli + ["--pairs", str(tmp_path/"pairs.jsonl"), "--out", str(tmp_path/"d")], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["pairs"] == 4 and (tmp_path/"d"/"config.json").exists() and (tmp_path/"d"/"dpo_log.json").exists()
    again = subprocess.run(cli + ["--pairs", str(tmp_path/"pairs.jsonl"), "--out", str(tmp_path/"d")], capture_output=True, text=True, timeout=600)
    res2 = json.loads(again.stdout)
    assert {k: v for k, v in res2.items() if k != "wall_s"} == {k: v for k, v in res.items() if k != "wall_s"}
