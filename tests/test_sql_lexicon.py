"SQL's decoding aid (SqlEnvConfig.lexicon): it holds InterCode's gold queries, its regex agrees with its reader, and a model decoding under it writes only queries in it."
import re
import pytest
from conftest import needs_data
from rro.core import Lexicon, Step
from rro.envs.sql import SqlEnv, SqlEnvConfig, demo_sql_tasks, parse_sql_action

def _gold(t): return t.data["gold"].strip().rstrip(";").strip()

@needs_data
def test_lexicon_holds_the_gold_queries(tasks):
    "977 of InterCode's 1,034 gold queries are in their database's lexicon (the rest compare with a value the question does not say)."
    env = SqlEnv(SqlEnvConfig(lexicon=True))
    held = []
    for t in tasks.values():
        env.reset(t)
        held.append(env.valid_actions()[-1].accepts(_gold(t)))
    assert sum(held) >= 970, sum(held)

@needs_data
def test_pattern_agrees_with_the_reader_on_real_queries(tasks):
    "What vLLM/SGLang get (`Lexicon.pattern`) accepts what HFPolicy's reader accepts, wherever brackets balance."
    env = SqlEnv(SqlEnvConfig(lexicon=True))
    for t in list(tasks.values())[::10]:
        env.reset(t)
        lx = env.valid_actions()[-1]
        rx = re.compile(lx.pattern())
        g = _gold(t)
        for q in (g, g[: len(g) // 2], g.upper(), g + " 'zzz'", g.replace(" ", "", 1)):
            if q.count("(") == q.count(")"): assert bool(rx.fullmatch(q)) == lx.accepts(q), (t.id, q)

def test_constrained_model_writes_only_lexicon_queries(tmp_path):
    "Walks through the constraint, each token drawn at random among those it allows, end in a listed action or a query the lexicon holds."
    import random
    from rro.policy import HFPolicy, build_tiny_model, TinyModelConfig, INSTRUCTIONS
    demo = demo_sql_tasks()
    texts = list(INSTRUCTIONS.values()) * 20 + [_gold(t) for t in demo.values()] * 5
    model = build_tiny_model(texts, tmp_path/"m", TinyModelConfig(vocab_size=600, hidden_size=32, intermediate_size=64,
                                                                 num_hidden_layers=2, num_attention_heads=2))
    pol = HFPolicy(str(model))
    env = SqlEnv(SqlEnvConfig(lexicon=True))
    task = demo["demo-1"]
    env.reset(task)
    acts = env.valid_actions()
    lx, tok = acts[-1], pol.tokenizer
    allowed = pol._constraint([acts], 0)
    rng, queries = random.Random(0), 0
    for walk in range(40):
        ids = tok("Thought: I know the tables.\nAction: " + ("```sql\n" if walk % 4 else ""), add_special_tokens=False)["input_ids"]
        for _ in range(120):
            nxt = rng.choice(list(allowed(0, ids)))
            if nxt == pol.turn_end: break
            ids = ids + [int(nxt)]
        else: continue  # still writing after 120 tokens: nothing to check but that every step had a choice
        action = tok.decode(ids, skip_special_tokens=True).split("\nAction: ", 1)[1]
        if action in acts[:-1]: continue
        assert action.startswith("```sql\n") and action.endswith("\n```"), action
        assert lx.accepts(action[len("```sql\n"):-len("\n```")]), action
        queries += 1
    assert queries >= 5, queries  # seed 0: 9 of the 30 walks that open a query close it within 120 tokens
