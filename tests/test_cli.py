"The `rro` command: `--json` prints exactly one JSON object on stdout, progress goes to stderr."
import json, os, subprocess, sys
from conftest import needs_data

def _rro(*args):
    return subprocess.run([sys.executable, "-c", "from rro.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300, env=os.environ)

@needs_data
def test_eval_oracle_json_is_one_object():
    r = _rro("eval", "--env", "sql", "--agent", "oracle", "--split", "test", "--limit", "30", "--json")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1
    res = json.loads(lines[0])
    assert res["n"] == 30 and 0 <= res["avg_reward"] <= 100 and 0 <= res["success_rate"] <= 1
    assert "eval sql/oracle" in r.stderr  # the progress bar went to stderr

def test_unknown_agent_is_a_clear_error():
    r = _rro("eval", "--env", "sql", "--agent", "gpt-7")
    assert r.returncode != 0 and "unknown agent 'gpt-7'" in r.stderr

@needs_data
def test_eval_of_an_examples_agent_shows_the_examples_it_was_trained_with(tmp_path, monkeypatch):
    "`rro eval` of an agent whose SQL prompts show solved questions ranks them from the training tasks its reproduction used."
    from dataclasses import replace
    from rro import cli
    from rro.pipeline import PROFILES, env_tasks, write_agent_card
    from rro.policy import build_tiny_model, TinyModelConfig
    # 300 templated tasks, not mini's 2,000: the card has to carry them for `rro eval` to rank the same pool
    p = replace(PROFILES["mini"], sql_examples=1, sql_templated=300, n_test=200)
    model = build_tiny_model(["SELECT name FROM singer"] * 20, tmp_path/"m",
                             TinyModelConfig(vocab_size=300, hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2))
    write_agent_card(model, p, "sql", "base", "sft")
    seen = {}
    def evaluate(recipe, env, tasks, rows, *a, **kw):
        seen["tasks"] = tasks
        return {"n": len(tasks)}
    monkeypatch.setattr(cli, "evaluate", evaluate)
    cli.cmd_eval(cli.parser().parse_args(["eval", "--env", "sql", "--agent", str(model), "--split", "test", "--quiet"]))
    want = {t.id: t.data["examples"] for t in env_tasks("sql", p)[2]}
    assert len(seen["tasks"]) == 200 and set(want) == {t.id for t in seen["tasks"]}
    assert all(t.data["examples"] == want[t.id] for t in seen["tasks"])
