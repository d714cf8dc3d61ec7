"WebShop: the oracle and the rule baseline on the generated shop, 10,000 hostile actions, malformed catalogue files."
import json, random
from pathlib import Path
import pytest
from rro.core import DataFileError, run_episode
from rro.envs.webshop.catalogue import generate_products, load_catalogue, build_goals, webshop_split
from rro.envs.webshop.search import SearchIndex
from rro.envs.webshop.env import (WebShopEnv, oracle_agent, first_result_agent, RandomAgent, fuzz_actions, session_state,
                                  parse_webshop_action)

@pytest.fixture(scope="module")
def env(): return WebShopEnv()

def _score(env, agent, tasks):
    trajs = [run_episode(env, t, agent) for t in tasks]
    return 100 * sum(t.reward for t in trajs) / len(trajs), sum(t.reward >= 1 for t in trajs) / len(trajs)

def test_oracle_and_rule_baseline_on_the_200_test_goals(env):
    tasks = env.tasks("test")
    assert len(tasks) == 200
    assert _score(env, oracle_agent, tasks)[0] >= 99
    first, success = _score(env, first_result_agent, tasks)
    assert 35 <= first <= 55 and success <= 0.15  # WebShop's own rule baseline: 45.6, 9.6% (Yao et al., 2022)
    assert _score(env, RandomAgent(env, 0), tasks)[0] < first

def test_ten_thousand_random_and_malformed_actions(env):
    rng, n, tasks = random.Random(1), 0, env.tasks("train")
    while n < 10_000:
        env.reset(tasks[n % len(tasks)])
        while not env.done and n < 10_000:
            a, before = fuzz_actions(env, rng), session_state(env)
            obs, reward, done, info = env.step(a)  # must not raise
            n += 1
            assert isinstance(obs, str) and isinstance(reward, float)
            if not info["valid"]:
                assert session_state(env)[:-2] == before[:-2], a
                name, arg = parse_webshop_action(a)
                assert not (name == "search" and arg and arg.strip())

def test_same_seed_same_shop():
    assert generate_products(200, seed=3) == generate_products(200, seed=3)
    assert generate_products(200, seed=3)[0] != generate_products(200, seed=4)[0]

def _write(d: Path, products, attrs=None):
    (d/"items_shuffle.json").write_text(json.dumps(products)); (d/"items_ins_v2.json").write_text(json.dumps(attrs or {}))

def test_loader_follows_webshop(tmp_path):
    products, attrs, _ = generate_products(5, seed=1)
    dup = dict(products[0]); bad = dict(products[1], asin="nan"); long = dict(products[2], asin="B0123456789X")
    products[3]["customization_options"] = {"Color": [{"value": "Black/White", "image": None}], "Size": None}
    products[4]["pricing"] = "$10.00 - $20.00"
    _write(tmp_path, products + [dup, bad, long], attrs)
    cat = load_catalogue(tmp_path, price_seed=7)
    assert [p["asin"] for p in cat.products] == [p["asin"] for p in products]  # bad and duplicate ASINs skipped
    assert cat.products[3]["options"] == {"color": ["black | white"]}
    p4 = cat.products[4]
    assert p4["Price"] == "$10.0 to $20.0" and 10 <= cat.prices[p4["asin"]] <= 20
    assert load_catalogue(tmp_path, price_seed=7).prices == cat.prices
    attrs.pop(products[0]["asin"]); _write(tmp_path, products, attrs)
    assert load_catalogue(tmp_path).products[0]["Attributes"] == ["DUMMY_ATTR"]

@pytest.mark.parametrize("mutate, message", [
    (lambda ps: ps.__setitem__(1, "not a record"), "record 1: expected an object"),
    (lambda ps: ps[2].pop("name"), "record 2: field 'name' is missing"),
    (lambda ps: ps[0].__setitem__("pricing", "about ten dollars"), r"record 0: no '\$' price"),
    (lambda ps: ps[0].__setitem__("pricing", 12.5), "record 0: field 'pricing' must be text"),
    (lambda ps: ps[3].__setitem__("customization_options", {"color": ["red"]}), "option 'color' must be a list of"),
])
def test_malformed_products_name_file_and_record(tmp_path, mutate, message):
    products, attrs, _ = generate_products(5, seed=2)
    mutate(products); _write(tmp_path, products, attrs)
    with pytest.raises(DataFileError, match=message) as e: load_catalogue(tmp_path)
    assert "items_shuffle.json" in str(e.value)

def test_malformed_files(tmp_path):
    (tmp_path/"items_shuffle.json").write_text('[{"asin": "B01", "name": ')
    (tmp_path/"items_ins_v2.json").write_text("{}")
    with pytest.raises(DataFileError, match="items_shuffle.json: not valid JSON"): load_catalogue(tmp_path)
    _write(tmp_path, generate_products(2)[0]); (tmp_path/"items_ins_v2.json").write_text("[]")
    with pytest.raises(DataFileError, match="items_ins_v2.json: expected a JSON dict"): load_catalogue(tmp_path)
    with pytest.raises(DataFileError, match="no such product file"): load_catalogue(tmp_path/"nowhere")

def test_human_goals_and_split(env):
    goals = build_goals(env.catalogue, human=True)
    assert goals and all(g["goal_options"] and g["attributes"] for g in goals)
    s = webshop_split(env.goals)
    assert len(s["test"]) == 200 and not {env.goals[i]["asin"] for i in s["test"]} & {env.goals[i]["asin"] for i in s["train"]}

def test_index_cache_round_trip(env, tmp_path):
    cached = SearchIndex.cached(env.catalogue, tmp_path)
    again = SearchIndex.cached(env.catalogue, tmp_path)
    q = env.goals[0]["instruction_text"]
    assert cached.search(q) == again.search(q) == SearchIndex.build(env.catalogue).search(q)

def test_odd_queries_search_without_crashing():
    "A lone 's (once stemmed to '' and a crash in bm25s: a model's search[men 's]), stop words only, punctuation: Lucene's terms, no crash."
    from rro.envs.webshop.env import WebShopEnv
    from rro.envs.webshop.search import analyze
    env = WebShopEnv()
    assert analyze(["'s", "men 's shoes", "the and of", "--"]) == [["s"], ["men", "s", "shoe"], [], []]  # as Lucene's EnglishAnalyzer
    assert env.index.search("the and of") == [] and env.index.search("--") == [] and isinstance(env.index.search("'s"), list)
    env.reset(env.tasks("test")[0])
    obs, r, done, info = env.step("search[the and of]")
    assert not done and "Total results: 0" in obs
