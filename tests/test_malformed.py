"""Every field of a WebShop catalogue and of an InterCode task file, corrupted three ways (wrong type, missing, empty):
each case either errors at load with the file and the record named, or is legal (WebShop's own data has it) and
then works through a whole episode. Never a raw exception, never a failure in the middle of an episode."""
import json, shutil
from pathlib import Path
import pytest
from rro.core import DataFileError, run_episode
from rro.envs.webshop.catalogue import FIELDS, TEXT, TEXTS, generate_catalogue, load_catalogue
from rro.envs.webshop.env import WebShopEnv, WebShopConfig, goal_task, oracle_agent, SUB_PAGES, BUY

WRONG = {TEXT: 123, TEXTS: "organic", "an object": "colour", "a text or a list of texts": 5, "a list of objects": "great",
         "a text or a number": ["4.5"]}
EMPTY = {TEXT: "", TEXTS: [], "an object": {}, "a text or a list of texts": "", "a list of objects": [], "a text or a number": ""}

@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    d = tmp_path_factory.mktemp("shop")
    src = generate_catalogue(300, seed=3)
    for f in ("items_shuffle.json", "items_ins_v2.json", "items_human_ins.json"): shutil.copy(src/f, d/f)
    return d

def corrupt(shop, tmp_path, file, edit):
    d = tmp_path/"shop"; shutil.copytree(shop, d)
    data = json.loads((d/file).read_text()); edit(data); (d/file).write_text(json.dumps(data))
    return d

def works(d, asin):
    "A whole episode on the corrupted product: search, open it, every sub page, buy; the oracle on its goals."
    env = WebShopEnv(WebShopConfig(catalogue_dir=str(d)))
    goals = [(i, g) for i, g in enumerate(env.goals) if g["asin"] == asin]
    for i, g in goals[:2]: assert 0 <= run_episode(env, goal_task(i, g), oracle_agent).reward <= 1
    i, g = goals[0] if goals else (0, env.goals[0])
    env.reset(goal_task(i, {**g, "asin": asin}))
    env.step(f"search[{env.catalogue.by_asin[asin]['Title']}]")
    env.page, env.asin = "item", asin  # open it directly: the search need not rank it first
    for sub in SUB_PAGES: env.step(f"click[{sub}]"); env.step("click[< Prev]")
    _, r, done, _ = env.step(f"click[{BUY}]")
    assert done and 0 <= r <= 1

def cases(kind):
    for field, (what, required, empty_ok) in FIELDS[kind].items():
        yield field, "wrong type", WRONG[what], True
        yield field, "missing", None, required
        yield field, "empty", EMPTY[what], not empty_ok

@pytest.mark.parametrize("field,how,value,fails", list(cases("product")))
def test_product_field(shop, tmp_path, field, how, value, fails):
    products = json.loads((shop/"items_shuffle.json").read_text())
    k = next(i for i, p in enumerate(products) if p.get("customization_options"))  # a product with options and a goal
    asin = products[k]["asin"]
    def edit(ps):
        if how == "missing": ps[k].pop(field, None)
        else: ps[k][field] = value
    d = corrupt(shop, tmp_path, "items_shuffle.json", edit)
    if fails:
        with pytest.raises(DataFileError, match=rf"items_shuffle.json, record {k}: field '{field}'"): load_catalogue(d)
    elif field != "asin": works(d, asin)

@pytest.mark.parametrize("field,how,value,fails", list(cases("attribute")))
def test_attribute_field(shop, tmp_path, field, how, value, fails):
    attrs = json.loads((shop/"items_ins_v2.json").read_text())
    asin = next(a for a, r in attrs.items() if r.get("instruction"))
    def edit(a):
        if how == "missing": a[asin].pop(field, None)
        else: a[asin][field] = value
    d = corrupt(shop, tmp_path, "items_ins_v2.json", edit)
    # an instruction without its attributes cannot be scored: refused too
    fails = fails or (field == "instruction_attributes" and how in ("missing", "empty"))
    if fails:
        with pytest.raises(DataFileError, match=rf"items_ins_v2.json, record '{asin}'"): load_catalogue(d)
    else: works(d, asin)

@pytest.mark.parametrize("field,how,value,fails", list(cases("human instruction")))
def test_human_instruction_field(shop, tmp_path, field, how, value, fails):
    human = json.loads((shop/"items_human_ins.json").read_text())
    asin = next(iter(human))
    def edit(h):
        if how == "missing": h[asin][0].pop(field, None)
        else: h[asin][0][field] = value
    d = corrupt(shop, tmp_path, "items_human_ins.json", edit)
    if fails:
        with pytest.raises(DataFileError, match=rf"items_human_ins.json, record '{asin}', instruction 0: field '{field}'"): load_catalogue(d)
    else: works(d, asin)

@pytest.mark.parametrize("file,value,message", [
    ("items_shuffle.json", [], "holds no products"), ("items_shuffle.json", {"a": 1}, "expected a JSON list"),
    ("items_shuffle.json", ["x"], "record 0: expected an object"), ("items_ins_v2.json", [], "expected a JSON dict"),
    ("items_human_ins.json", None, "expected a list of instructions"), ("items_human_ins.json", "dict", "expected a list of instructions")])
def test_whole_files(shop, tmp_path, file, value, message):
    def edit(data):
        if file == "items_human_ins.json":
            a = next(iter(data)); data[a] = {"instruction": "x"} if value == "dict" else 7
    d = corrupt(shop, tmp_path, file, edit)
    if file != "items_human_ins.json": (d/file).write_text(json.dumps(value))
    with pytest.raises(DataFileError, match=message) as e: load_catalogue(d)
    assert file in str(e.value)
    (d/file).write_text('{"cut": ')
    with pytest.raises(DataFileError, match=f"{file}: not valid JSON"): load_catalogue(d)
    (d/file).unlink(); (d/file).mkdir()
    with pytest.raises(DataFileError, match=f"{file}: cannot read"): load_catalogue(d)

SQL_WRONG = {"db": 123, "gold": ["SELECT 1"], "query": {"q": 1}, "hardness": 3}

@pytest.mark.parametrize("field", ["db", "gold", "query", "hardness"])
@pytest.mark.parametrize("how", ["wrong type", "missing", "empty"])
def test_sql_task_field(tmp_path, field, how):
    from rro.envs.sql import load_sql_tasks
    recs = [{"db": "pets_1", "gold": "SELECT count(*) FROM pets", "query": "How many pets?", "hardness": "easy"} for _ in range(3)]
    if how == "missing": del recs[2][field]
    else: recs[2][field] = SQL_WRONG[field] if how == "wrong type" else ""
    p = tmp_path/"tasks.json"; p.write_text(json.dumps(recs))
    if field == "hardness" and how != "wrong type":  # optional, and may be blank
        assert len(load_sql_tasks(p)) == 3; return
    with pytest.raises(DataFileError, match=rf"tasks.json, record 2: (missing )?field '{field}'"): load_sql_tasks(p)

def test_broken_gold_query_is_refused_at_load(tmp_path):
    from rro.envs.sql import load_sql_tasks
    p = tmp_path/"tasks.json"
    p.write_text(json.dumps([{"db": "pets_1", "gold": "SELECT count(*) FROM pets", "query": "How many pets?"},
                             {"db": "pets_1", "gold": "SELEC nonsense FROM", "query": "?"}]))
    with pytest.raises(DataFileError, match=r"tasks.json, record 1: the gold query fails on database 'pets_1': You have an error"):
        load_sql_tasks(p)
    p.write_text(json.dumps([{"db": "nope_db", "gold": "SELECT 1", "query": "?"}]))
    with pytest.raises(DataFileError, match=r"tasks.json, record 0: unknown database 'nope_db'"): load_sql_tasks(p)

def test_intercode_file_keeps_its_corrupt_gold_as_intercode_does(tasks):
    from rro.envs.sql import SqlEnv
    corrupt = [t for t in tasks.values() if "corrupt_gold" in t.data]
    assert len(corrupt) == 15  # MySQL 8 refuses these gold queries; InterCode scores them against no rows
    assert SqlEnv().gold_rows(corrupt[0]) == []
