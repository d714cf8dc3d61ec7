"`reproduce/gpu_check.py --tiny`: the GPU check's every stage (build, SFT, DPO, rollouts) runs on the CPU at tiny size."
import json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def test_gpu_check_runs_every_stage_at_tiny_size(tmp_path):
    r = subprocess.run([sys.executable, "reproduce/gpu_check.py", "--tiny", "--out", str(tmp_path)], capture_output=True, text=True,
                       timeout=600, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = [json.loads(l) for l in r.stdout.splitlines()]  # stdout is JSON lines only, the summary last
    summary = json.loads((tmp_path/"gpu_check.json").read_text())
    assert lines[-1] == summary
    stages = {s["stage"]: s for s in summary["stages"]}
    assert list(stages) == ["build", "sft", "dpo", "rollouts"] and not any("error" in s or "skipped" in s for s in stages.values())
    for name in ("sft", "dpo"):
        assert stages[name]["optimizer_steps"] == 1 and stages[name]["loss"] and stages[name]["estimate_gb"]["total"] > 0
    roll = stages["rollouts"]
    assert roll["batched_tokens_per_s"] > 0 and roll["one_at_a_time_tokens_per_s"] > 0 and roll["mc_tokens_per_s"] > 0
