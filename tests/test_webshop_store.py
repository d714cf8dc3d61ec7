"WebShop's catalogue on disk (rro.envs.webshop.store): at 10,000 products the same pages, rankings, rewards and goals as in memory."
import dataclasses, json, pickle, random
import pytest
from rro.core import DataFileError, run_episode
from rro.rollout import env_identity
from rro.envs.webshop.catalogue import generate_catalogue, build_goals
from rro.envs.webshop.store import StoreCatalogue, open_store
from rro.envs.webshop.env import (WebShopEnv, WebShopConfig, GoalTasks, oracle_agent, first_result_agent, RandomAgent,
                                  fuzz_actions, session_state)

N = 10_000

@pytest.fixture(scope="module")
def envs(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    mp = pytest.MonkeyPatch(); mp.setenv("RRO_CACHE_DIR", str(cache))
    mem, disk = (WebShopEnv(WebShopConfig(n_products=N, store=s)) for s in ("memory", "disk"))
    yield mem, disk
    mp.undo()

def test_the_store_is_what_the_disk_env_reads(envs):
    mem, disk = envs
    assert isinstance(disk.catalogue, StoreCatalogue) and not isinstance(mem.catalogue, StoreCatalogue)
    assert len(disk.catalogue.products) == len(mem.catalogue.products) == N
    assert env_identity(disk) == env_identity(mem)  # where the catalogue is kept does not change results: resumed runs match

def test_goals_and_splits_are_the_same(envs):
    mem, disk = envs
    assert json.dumps(list(disk.goals)) == json.dumps(mem.goals)
    assert json.dumps(list(disk.catalogue.goals(human=True))) == json.dumps(build_goals(mem.catalogue, human=True))
    for split in ("train", "test"):
        ours, theirs = disk.tasks(split), mem.tasks(split)
        assert isinstance(ours, GoalTasks) and len(ours) == len(theirs)
        assert [t.id for t in ours] == [t.id for t in theirs]
        assert [json.dumps(dataclasses.asdict(t)) for t in ours[:300]] == [json.dumps(dataclasses.asdict(t)) for t in theirs[:300]]

def test_every_ranking_is_the_same(envs):
    mem, disk = envs
    queries = [t.instruction for t in mem.tasks("test")] + [g["instruction_text"] for g in mem.goals[::25]]
    queries += [p["Title"] for p in mem.catalogue.products[::50]] + ["", "the of", "8.5 oz", "zzzz", "B0" + "X" * 8]
    for q in queries: assert disk.index.search(q) == mem.index.search(q), q

def _episodes(env, agents, tasks):
    return [[(s.action, s.observation, s.reward, json.dumps(s.info, sort_keys=True)) for s in run_episode(env, t, agent).steps]
            for agent in agents for t in tasks]

def test_every_page_and_reward_is_the_same(envs):
    mem, disk = envs
    tasks = mem.tasks("test")
    assert [json.dumps(dataclasses.asdict(t)) for t in disk.tasks("test")] == [json.dumps(dataclasses.asdict(t)) for t in tasks]
    ours = _episodes(disk, [oracle_agent, first_result_agent, RandomAgent(disk, 0), RandomAgent(disk, 1)], tasks)
    theirs = _episodes(mem, [oracle_agent, first_result_agent, RandomAgent(mem, 0), RandomAgent(mem, 1)], tasks)
    assert sum(map(len, theirs)) > 1500 and ours == theirs
    assert sum(r for ep in theirs[:200] for *_, r, _ in ep) >= 198  # the oracle buys what it should (it scores 99.x)

def test_hostile_and_paging_actions_give_the_same_pages(envs):
    mem, disk = envs
    train = mem.tasks("train")
    for seed in range(3):
        rngs = [random.Random(seed), random.Random(seed)]
        for t in train[seed * 400:(seed + 1) * 400:4]:
            for env in envs: env.reset(t)
            for _ in range(10):
                actions = [fuzz_actions(env, rng) for env, rng in zip(envs, rngs)]
                assert actions[0] == actions[1]
                outs = [env.step(actions[0]) for env in envs]
                assert outs[0] == outs[1] and session_state(mem) == session_state(disk), actions[0]
                if outs[0][2]: break

def test_a_disk_env_pickles_as_its_path(envs):
    mem, disk = envs
    blob = pickle.dumps(disk)
    assert len(blob) < len(pickle.dumps(mem)) // 100  # not the products, not the index
    again, task = pickle.loads(blob), disk.tasks("test")[7]
    assert run_episode(again, task, oracle_agent).reward == run_episode(mem, task, oracle_agent).reward
    assert [s.observation for s in run_episode(again.fork(), task, first_result_agent).steps] == \
           [s.observation for s in run_episode(mem, task, first_result_agent).steps]

def test_a_damaged_products_file_names_the_byte_and_leaves_no_store(tmp_path):
    src = generate_catalogue(300, out_dir=tmp_path/"shop")
    whole = (src/"items_shuffle.json").read_bytes()
    cache = tmp_path/"cache"
    (src/"items_shuffle.json").write_bytes(whole[:len(whole) // 2])
    with pytest.raises(DataFileError, match=rf"items_shuffle.json: ends at byte {len(whole) // 2} inside product record \d+"):
        open_store(src, cache_dir=cache)
    assert list((cache/"webshop"/"store").iterdir()) == []
    (src/"items_shuffle.json").write_bytes(whole.replace(b'"asin": ', b'"asin" ', 1))
    with pytest.raises(DataFileError, match=r"not valid JSON at byte 9 inside product record 0 \(Expecting .:. delimiter\)"):
        WebShopEnv(WebShopConfig(catalogue_dir=str(src), store="disk"))
    bad = json.loads(whole); bad[5]["name"] = 3
    (src/"items_shuffle.json").write_text(json.dumps(bad))
    with pytest.raises(DataFileError, match=r"items_shuffle.json, record 5: field 'name' must be text"):
        open_store(src, cache_dir=cache)
    assert list((cache/"webshop"/"store").iterdir()) == []

def test_a_changed_source_rebuilds_the_store(tmp_path):
    src = generate_catalogue(300, out_dir=tmp_path/"shop")
    first = open_store(src, cache_dir=tmp_path/"cache")
    prods = json.loads((src/"items_shuffle.json").read_text())
    prods[0]["name"] = "Renamed Product"
    (src/"items_shuffle.json").write_text(json.dumps(prods))
    again = open_store(src, cache_dir=tmp_path/"cache")
    assert again.path == first.path and again.products[0]["Title"] == "Renamed Product"
    assert [p.name for p in (tmp_path/"cache"/"webshop"/"store").iterdir()] == [first.path.name]
