"Interchange (rro.interchange): rro's files round-trip through ShareGPT, ETO, IPR and TRL; ETO's files train with `rro sft` and `rro dpo`."
import json, os, random, subprocess, sys
from pathlib import Path
import pytest
from rro.interchange import FORMATS, read_chats, read_pairs, write_chats, write_pairs, read_records
from rro.core import DataFileError

CLI = [sys.executable, "-c", "from rro.cli import main; main()"]

@pytest.fixture(scope="module")
def rro_files(tmp_path_factory):
    "rro's own SFT data (the oracle's WebShop demonstrations) and pairs (an RRO exploration), as rro writes them."
    from rro.envs.webshop.env import WebShopEnv, WebShopConfig
    from rro.data import webshop_expert
    from rro.train import export_sharegpt
    from rro.explore import explore, ExploreConfig, LadderEnv, ladder_task
    from rro.policy import Completion
    d = tmp_path_factory.mktemp("rro")
    env = WebShopEnv(WebShopConfig(n_products=200))
    train = env.tasks("train")[:12]
    trajs = [t for t in (webshop_expert(env, task) for task in train) if t.reward > 0]
    sft = export_sharegpt(d/"sft.jsonl", {t.id: t for t in train}, trajs)
    class Letters:  # a seeded policy: each reply depends on (seed, conversation, sample)
        def generate(self, convs, cfg, valid_actions=None):
            return [[Completion(f"Thought: t\nAction: {random.Random(f'{cfg.seed}|{c}|{k}').choice('abcd')}", 10, 3) for k in range(cfg.n)] for c in convs]
    tasks = [ladder_task(i, {"a": (i % 3) / 4, "b": 0.5, "c": 1 - (i % 4) / 4, "d": 0.1}) for i in range(8)]
    explore(Letters(), LadderEnv(depth=4), tasks, d/"x", ExploreConfig(strategy="rro", mc_rollouts=2, max_steps=4, cap=3), progress=False)
    return {"sft": sft, "pairs": d/"x"/"pairs.jsonl", "dir": d}

@pytest.mark.parametrize("fmt", FORMATS)
def test_rro_files_round_trip_through_every_format(rro_files, fmt, tmp_path):
    chats, pairs = read_chats(rro_files["sft"]), read_pairs(rro_files["pairs"])
    assert len(chats) >= 5 and len(pairs) >= 5
    assert read_chats(write_chats(tmp_path/"c", chats, fmt)) == chats
    assert read_pairs(write_pairs(tmp_path/"p", pairs, fmt)) == pairs
    if fmt == "rro":  # rro's own files come back byte for byte
        assert (tmp_path/"c").read_bytes() == rro_files["sft"].read_bytes()
        assert (tmp_path/"p").read_bytes() == rro_files["pairs"].read_bytes()

def test_eto_and_ipr_read_what_is_written(rro_files, tmp_path):
    "FastChat's train.py json.loads the SFT file; IPR's train_dpo.py reads from/value prompt, chosen, rejected, alternating from human."
    write_chats(tmp_path/"sft.json", read_chats(rro_files["sft"]), "ipr")
    recs = json.loads((tmp_path/"sft.json").read_text())
    assert isinstance(recs, list) and all({"id", "conversations"} <= set(r) for r in recs)
    assert all(c["from"] in ("human", "gpt") for r in recs for c in r["conversations"])
    write_pairs(tmp_path/"pairs.json", read_pairs(rro_files["pairs"]), "eto")
    for r in json.loads((tmp_path/"pairs.json").read_text()):
        for side in ("chosen", "rejected"):
            turns = r["prompt"] + r[side]
            assert [t["from"] for t in turns] == ["human", "gpt"] * (len(turns) // 2)  # FastChat asserts this alternation

def test_datasets_reads_every_file_rro_writes(rro_files, tmp_path):
    import datasets
    files = [rro_files["sft"], rro_files["pairs"], rro_files["dir"]/"x"/"summary.json"]
    files += sorted((rro_files["dir"]/"x"/"chunks").glob("*.json"))[:1]
    for fmt in FORMATS:
        files += [write_chats(tmp_path/f"c.{fmt}.json", read_chats(rro_files["sft"]), fmt),
                  write_pairs(tmp_path/f"p.{fmt}.json", read_pairs(rro_files["pairs"]), fmt)]
    for f in files:
        ds = datasets.load_dataset("json", data_files=str(f), split="train", cache_dir=str(tmp_path/"cache"))
        assert ds.num_rows >= 1, f

def test_malformed_records_name_file_record_and_message(tmp_path):
    (tmp_path/"p.json").write_text(json.dumps([{"prompt": [{"from": "human", "value": "x"}], "chosen": [{"from": "gpt", "value": "a"}],
                                               "rejected": [{"from": "gpt", "value": "b"}]},
                                              {"prompt": [{"from": "human", "value": "x"}], "chosen": [{"from": "robot", "value": "a"}],
                                               "rejected": [{"from": "gpt", "value": "b"}]}]))
    with pytest.raises(DataFileError, match=r"p\.json, record 1, chosen, message 0: unknown speaker 'robot'"): read_pairs(tmp_path/"p.json")
    (tmp_path/"c.jsonl").write_text('{"conversations": [{"from": "human", "value": "x"}]}\n')
    with pytest.raises(DataFileError, match=r"c\.jsonl, record 0: the chat has no assistant"): read_chats(tmp_path/"c.jsonl")
    (tmp_path/"cut.json").write_text('[{"id": 1, "conversations": [')
    with pytest.raises(DataFileError, match=r"cut\.json: not a valid JSON array"): read_records(tmp_path/"cut.json")

ETO_INSTRUCTION = [{"from": "human", "value": "You are web shopping.\nI will give you instructions about what to do.\nAction: click[something]"},
                   {"from": "gpt", "value": "OK"}]

def test_eto_files_train_with_rro_sft_and_dpo(tmp_path):
    "ETO's trajectory file (a JSON array, from/value, its instruction turn and 'OK') trains `rro sft --data`; ETO's pair file trains `rro dpo`."
    from rro.envs.webshop.env import WebShopEnv, WebShopConfig
    from rro.data import webshop_expert
    env = WebShopEnv(WebShopConfig(n_products=200))
    trajs, eto = [], []
    for i, task in enumerate(env.tasks("train")[:10]):
        t = webshop_expert(env, task)
        turns = ETO_INSTRUCTION + [{"from": "human", "value": task.instruction}]
        for s in t.steps:
            turns += [{"from": "gpt", "value": f"Thought: {s.thought}\nAction: {s.action}"}, {"from": "human", "value": f"Observation:\n{s.observation}"}]
        eto.append({"id": i, "conversations": turns[:-1], "reward": t.reward})  # ends with the agent's last reply
    (tmp_path/"webshop_sft.json").write_text(json.dumps(eto, indent=4))
    pairs = [{"id": str(r["id"]), "prompt": r["conversations"][:3], "chosen": r["conversations"][3:],
              "rejected": [{"from": "gpt", "value": "Thought: buy it.\nAction: click[Buy Now]"}]} for r in eto]
    (tmp_path/"webshop_pm.json").write_text(json.dumps(pairs, indent=4))
    env_vars = {**os.environ, "TMPDIR": str(tmp_path)}
    r = subprocess.run(CLI + ["sft", "--env", "webshop", "--profile", "smoke", "--data", str(tmp_path/"webshop_sft.json"), "--max-steps", "2",
                              "--out", str(tmp_path/"sft"), "--json", "--quiet"], capture_output=True, text=True, timeout=600, env=env_vars)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["train_chats"] == 10 and res["steps"] == 2 and res["loss_first"] is not None
    r = subprocess.run(CLI + ["dpo", "--agent", str(tmp_path/"sft"), "--pairs", str(tmp_path/"webshop_pm.json"), "--max-steps", "2",
                              "--batch-size", "2", "--out", str(tmp_path/"dpo"), "--json"], capture_output=True, text=True, timeout=600, env=env_vars)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["pairs"] == 10 and res["steps"] == 2 and res["loss_first"] is not None
    assert "2/2" in r.stderr  # transformers' progress bar, on stderr
    # rro eval without --out keeps nothing: TMPDIR holds only what was there before
    before = set(tmp_path.iterdir())
    r = subprocess.run(CLI + ["eval", "--env", "webshop", "--agent", str(tmp_path/"dpo"), "--products", "200", "--limit", "2",
                              "--max-steps", "2", "--json", "--quiet"], capture_output=True, text=True, timeout=600, env=env_vars)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["rows"] is None and set(tmp_path.iterdir()) == before

def test_export_command_and_version(rro_files, tmp_path):
    r = subprocess.run(CLI + ["export", "--in", str(rro_files["pairs"]), "--format", "ipr", "--out", str(tmp_path/"ipr.json"), "--json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["kind"] == "pairs" and read_pairs(tmp_path/"ipr.json") == read_pairs(rro_files["pairs"])
    r = subprocess.run(CLI + ["export", "--in", str(tmp_path/"missing.json"), "--format", "trl", "--out", str(tmp_path/"x")], capture_output=True, text=True)
    assert r.returncode == 2 and "missing.json: no such file" in r.stderr
    import rro
    r = subprocess.run(CLI + ["--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == f"rro {rro.__version__}"
