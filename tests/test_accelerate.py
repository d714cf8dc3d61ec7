"""`accelerate launch` runs `rro sft` and `rro dpo` on several processes (here two, on the CPU with gloo, with the configs the
repository ships): at the same global batch the losses are a one-process run's."""
import json, subprocess, sys
from pathlib import Path
import pytest
from rro.core import write_jsonl
from rro.data import webshop_expert
from rro.pipeline import PROFILES, env_tasks, expert_chats, base_model
from rro.policy import conversation, format_turn

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT/"reproduce"/"accelerate"
P = PROFILES["smoke"]
TRAIN = ["--max-steps", "3", "--batch-size", "4", "--logging-steps", "1", "--json"]

@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    "The smoke profile's tiny base model and preference pairs from the WebShop oracle (its reply against a click on Back to Search)."
    root = tmp_path_factory.mktemp("acc")
    env, train, _ = env_tasks("webshop", P)
    base = base_model(P, {"webshop": expert_chats("webshop", env, train, root)}, root)
    pairs = []
    for t in train[:8]:
        tr = webshop_expert(env, t)
        for j in range(1, len(tr.steps)):
            s = tr.steps[j]
            pairs.append({"env": "webshop", "prompt": conversation(t, tr.steps[:j]),
                          "chosen": [{"role": "assistant", "content": format_turn(s.thought, s.action)}],
                          "rejected": [{"role": "assistant", "content": format_turn(s.thought, "click[Back to Search]")}]})
    write_jsonl(root/"pairs.jsonl", pairs)
    return root, base

def rro(*args, launch=None):
    cmd = ([sys.executable, "-m", "accelerate.commands.launch", *launch, "-m", "rro.cli"] if launch else
           [sys.executable, "-m", "rro.cli"]) + [str(a) for a in args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1, r.stdout  # one process speaks
    return json.loads(lines[0])

def losses(out: Path, log: str) -> list: return [r["loss"] for r in json.loads((out/log).read_text())["loss"]]

@pytest.mark.parametrize("launch", [["--config_file", CONFIGS/"cpu_2proc.yaml"],
                                    ["--config_file", CONFIGS/"fsdp_8gpu.yaml", "--num_processes", "2", "--cpu"]], ids=["ddp", "fsdp"])
def test_sft_on_two_processes_has_the_losses_of_one(setup, launch, tmp_path):
    root, base = setup
    rro("sft", "--env", "webshop", "--profile", "smoke", "--model", base, "--out", tmp_path/"one", *TRAIN)
    two = rro("sft", "--env", "webshop", "--profile", "smoke", "--model", base, "--out", tmp_path/"two", *TRAIN, launch=launch)
    assert two["steps"] == 3
    a, b = losses(tmp_path/"one", "sft_log.json"), losses(tmp_path/"two", "sft_log.json")
    assert len(a) == 3 and max(abs(x - y) for x, y in zip(a, b)) < 1e-4, (a, b)
    assert (tmp_path/"two"/"model.safetensors").exists() and (tmp_path/"two"/"rro_agent.json").exists()  # saved whole, once

def test_dpo_on_two_processes_has_the_losses_of_one(setup, tmp_path):
    root, base = setup
    args = ["dpo", "--agent", base, "--pairs", root/"pairs.jsonl", *TRAIN]
    rro(*args, "--out", tmp_path/"one")
    rro(*args, "--out", tmp_path/"two", launch=["--config_file", CONFIGS/"cpu_2proc.yaml"])
    a, b = losses(tmp_path/"one", "dpo_log.json"), losses(tmp_path/"two", "dpo_log.json")
    assert len(a) == 3 and max(abs(x - y) for x, y in zip(a, b)) < 1e-4, (a, b)
