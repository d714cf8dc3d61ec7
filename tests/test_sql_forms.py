"reproduce/sql_forms.py: which test queries count as seen in form (same database) and in skeleton (any database)."
import importlib.util
from pathlib import Path
from rro.core import Task

spec = importlib.util.spec_from_file_location("sql_forms", Path(__file__).parents[1]/"reproduce"/"sql_forms.py")
sf = importlib.util.module_from_spec(spec); spec.loader.exec_module(sf)

def task(i, db, gold, hardness="easy"): return Task(f"t{i}", "sql", "?", {"db": db, "gold": gold, "hardness": hardness})

def test_novelty_counts_forms_per_database_and_skeletons_across():
    train = [task(0, "concert", "SELECT name FROM singer WHERE age > 30"), task(1, "concert", "SELECT count(*) FROM stadium")]
    test = [task(2, "concert", "select name from singer where age>41;"),          # the form of t0, on its database
            task(3, "pets", "SELECT name FROM singer WHERE age > 30", "medium"),   # the same text on another database: only the skeleton
            task(4, "pets", "SELECT count(*) FROM pets"),                          # the skeleton of t1
            task(5, "pets", "SELECT max(weight) FROM pets", "hard")]               # new in both
    n = sf.novelty(train, test)
    assert (n["test"], n["same_db"], n["skeleton"]) == (4, 1, 3)
    assert n["same_db_by_hardness"] == {"easy": 1} and n["test_by_hardness"] == {"easy": 2, "medium": 1, "hard": 1}
