"""Real chat model families (random-init Gemma-2, Qwen2.5 and Llama-3.2 stand-ins with their authors' templates, built by
`rro.families`): every stage from the command line, where a reply ends, and which tokens the losses see."""
import json, os, subprocess, sys
import pytest
import torch
from rro.core import Task, Step, parse_react
from rro.families import FAMILIES, build_family_model
from rro.policy import HFPolicy, GenerationConfig, INSTRUCTIONS, ONE_SHOT, conversation, format_turn, end_of_turn
from rro.rollout import Ledger
from rro.train import sft_trainer, dpo_trainer, SFTStageConfig, DPOStageConfig

# text to train the stand-ins' tokenizers on: the prompts and replies the agents read and write
TEXTS = [*INSTRUCTIONS.values()] + [f"{format_turn(t, a)}\nObservation: {o}" for ex in ONE_SHOT.values() for _, turns in ex for t, a, o in turns]
TEXTS *= 20
TASK = Task("0", "webshop", "i need a long lasting deodorant for sensitive skin, and price lower than 20.00 dollars")
STEPS = [Step("search[long lasting deodorant]", "Back to Search [SEP] Page 1 (Total results: 50) [SEP] B0AB12CD34 [SEP] Nolo Deodorant", thought="I will search."),
         Step("click[B0AB12CD34]", "Back to Search [SEP] < Prev [SEP] Nolo Deodorant [SEP] Buy Now", thought="The first result matches.")]

def _rro(*args, env=None):
    return subprocess.run([sys.executable, "-c", "from rro.cli import main; main()", *map(str, args)], capture_output=True, text=True,
                          timeout=900, env={**os.environ, **(env or {})})

def _ok(r) -> dict:
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout)

@pytest.fixture(scope="module", params=list(FAMILIES))
def family(request, tmp_path_factory):
    return request.param, build_family_model(request.param, TEXTS, tmp_path_factory.mktemp(request.param)/"base", vocab_size=600)

# each family also takes one of the memory settings of the paper profile, so that each runs on the CPU somewhere
SFT_EXTRA = {"gemma2": [], "qwen2": ["--lora", "--gradient-checkpointing"], "llama3": ["--per-device-batch", "2"]}
DPO_EXTRA = {"gemma2": ["--lora"], "qwen2": [], "llama3": ["--precompute-ref", "--gradient-checkpointing"]}

def test_every_stage_runs_from_the_command_line(family, tmp_path):
    "rro sft -> rro eval -> rro explore -> rro dpo -> rro eval with the family's model, its card carrying the settings along."
    name, base = family
    sft = _ok(_rro("sft", "--env", "webshop", "--profile", "smoke", "--model", base, "--out", tmp_path/"sft", "--max-steps", 3,
                   *SFT_EXTRA[name], "--json"))
    assert sft["steps"] == 3 and sft["base"] == str(base) and sft["train_chats"] > 0
    card = json.loads((tmp_path/"sft"/"rro_agent.json").read_text())
    assert (card["env"], card["profile"], card["stage"], card["base"]) == ("webshop", "smoke", "sft", str(base))
    ev = _ok(_rro("eval", "--env", "webshop", "--agent", tmp_path/"sft", "--limit", 3, "--max-steps", 3, "--json", "--quiet"))
    assert ev["n"] == 3 and ev["settings_from"].endswith("rro_agent.json")
    assert (ev["reply_tokens"], ev["constrain_actions"]) == (card["reply_tokens"], card["constrain_actions"])  # as trained
    ex = _ok(_rro("explore", "--env", "webshop", "--agent", tmp_path/"sft", "--strategy", "eto", "--limit", 3, "--max-steps", 3,
                  "--out", tmp_path/"x", "--json", "--quiet"))
    assert ex["tasks"] == 3 and ex["profile"] == "smoke" and ex["pairs"] >= 1  # the expert's success against the agent's try
    dpo = _ok(_rro("dpo", "--agent", tmp_path/"sft", "--pairs", tmp_path/"x"/"pairs.jsonl", "--out", tmp_path/"dpo",
                   "--max-steps", 2, "--batch-size", 2, *DPO_EXTRA[name], "--json"))
    assert dpo["pairs"] == ex["pairs"] and dpo["steps"] == 2 and (tmp_path/"dpo"/"config.json").exists()
    assert json.loads((tmp_path/"dpo"/"dpo_log.json").read_text())["config"]["lora"] == ("--lora" in DPO_EXTRA[name])
    assert json.loads((tmp_path/"dpo"/"rro_agent.json").read_text())["stage"] == "dpo"
    again = _ok(_rro("eval", "--env", "webshop", "--agent", tmp_path/"dpo", "--limit", 2, "--max-steps", 2, "--json", "--quiet"))
    assert again["n"] == 2 and again["settings_from"].endswith("rro_agent.json")

def _force(model, **bias):
    "Give the output layer a bias: the model then writes the biased tokens whatever it reads (ties broken by the larger bias)."
    b = torch.zeros(model.lm_head.out_features)
    for i, v in bias.items(): b[int(i)] = v
    model.lm_head.bias = torch.nn.Parameter(b)

@pytest.mark.parametrize("prefill", ["each", "batch"])
def test_generation_stops_at_the_end_of_turn(family, prefill):
    "A model forced to close its turn stops there, in both prefill modes and under constrained decoding; the ledger counts only that far."
    name, base = family
    pol = HFPolicy(str(base), prefill=prefill)
    eot, x = end_of_turn(pol.tokenizer), pol.tokenizer.convert_tokens_to_ids("x")
    _force(pol.model, **{str(eot): 20.0, str(x): 10.0})
    convs = [conversation(TASK, []), conversation(TASK, STEPS)]  # two lengths: the batch pads
    led = Ledger()
    outs = pol.generate(convs, GenerationConfig(max_new_tokens=20, min_new_tokens=3))  # "x" three times, then the end of turn
    led.count([c for (c,) in outs])
    for (o,) in outs:
        assert (o.token_ids, o.generated_tokens, o.text) == ([x, x, x, eot], 4, "xxx"), (name, o)
    assert led.generated_tokens == 8
    outs = pol.generate(convs, GenerationConfig(max_new_tokens=256, constrain_actions=True), valid_actions=[["click[Buy Now]"]] * 2)
    for (o,) in outs:  # the grammar's thought and action, then the template's own end of turn, not the tokenizer's eos
        assert parse_react(o.text).action == "click[Buy Now]" and o.token_ids[-1] == eot, (name, o.text)
        assert o.generated_tokens == len(o.token_ids) < 256

def _runs(ids, keep) -> list:
    "Token ids of each maximal run of kept positions."
    runs, cur = [], []
    for i, k in zip(ids, keep):
        if k: cur.append(i)
        elif cur: runs.append(cur); cur = []
    return runs + ([cur] if cur else [])

def test_loss_masks_cover_exactly_the_agents_replies(family, tmp_path):
    "SFT's labels and DPO's completion masks, as the trainers prepare them, are each agent reply and its end of turn, nothing else."
    name, base = family
    chat = conversation(TASK, STEPS) + [{"role": "assistant", "content": format_turn("It has what I need.", "click[Buy Now]")}]
    replies = [m["content"] for m in chat if m["role"] == "assistant"]
    sft = sft_trainer(str(base), [chat], tmp_path/"s", SFTStageConfig(max_steps=1, batch_size=1, max_length=2048))
    tok, row = sft.processing_class, sft.train_dataset[0]
    eot = end_of_turn(tok)
    runs = _runs(row["input_ids"], [l != -100 for l in row["labels"]])
    assert [tok.decode(r, skip_special_tokens=True) for r in runs] == replies, name
    assert all(r[-1] == eot and eot not in r[:-1] for r in runs)
    prompt = conversation(TASK, [])
    pair = {"prompt": prompt, "chosen": chat[1:], "rejected": chat[1:2]}  # a whole trajectory tail (ETO) against one reply
    dpo = dpo_trainer(str(base), [pair], tmp_path/"d", DPOStageConfig(max_steps=1, batch_size=1, max_length=2048))
    batch = dpo.data_collator([dpo.train_dataset[0]])
    for side, want in ((0, replies), (1, replies[:1])):
        runs = _runs(batch["input_ids"][side].tolist(), batch["completion_mask"][side].tolist())
        assert [tok.decode(r, skip_special_tokens=True) for r in runs] == want, (name, side)
        assert all(r[-1] == eot for r in runs)

def test_a_hub_id_loads_from_the_cache_offline(tmp_path):
    "`--agent owner/name` loads a model from the Hugging Face cache with HF_HUB_OFFLINE=1; one that is not there is a clear error."
    snap = tmp_path/"hub"/"models--rro-test--tiny-gemma"/"snapshots"/("0" * 40)
    build_family_model("gemma2", TEXTS, snap, vocab_size=400)
    (tmp_path/"hub"/"models--rro-test--tiny-gemma"/"refs").mkdir()
    (tmp_path/"hub"/"models--rro-test--tiny-gemma"/"refs"/"main").write_text("0" * 40)
    env = {"HF_HUB_CACHE": str(tmp_path/"hub"), "HF_HUB_OFFLINE": "1"}
    ev = _ok(_rro("eval", "--env", "webshop", "--agent", "rro-test/tiny-gemma", "--limit", 1, "--max-steps", 1, "--json", "--quiet", env=env))
    assert ev["n"] == 1 and ev["settings_from"] == "profile mini"  # no card: the profile's settings
    r = _rro("eval", "--env", "webshop", "--agent", "rro-test/not-there", "--limit", 1, "--json", env=env)
    assert r.returncode == 2 and "cannot load model 'rro-test/not-there'" in r.stderr
