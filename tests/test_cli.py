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
