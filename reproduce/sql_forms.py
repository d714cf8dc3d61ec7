"""How new are InterCode-SQL's test queries to an agent trained on the split's training questions? (a measurement)

    .venv/bin/python reproduce/sql_forms.py [--profile mini] [--kinds query database random] [--json]

A query's form masks its strings and numbers (`rro.data.query_form`: `SELECT name FROM singer WHERE age > 30` and
`... age > 41` share one); its skeleton masks the tables and columns too (`rro.data.query_skeleton`:
`select x from x where x > #`). For each split kind it counts the test tasks whose gold query has the form of a
training query on the same database (what an agent could have learnt to write there), and those whose skeleton is a
training query's on any database (the shape alone), first among the real training questions, then with the profile's
templated questions added (`rro.pipeline.sql_train_tasks`, what SFT learns from). By hardness, the same-database count
with templated questions. Needs `RRO_DATA_DIR` (or `--data-dir`) to point at InterCode-SQL's data.
"""
import argparse, json
from collections import Counter
from rro.data import sql_split, query_form, query_skeleton, SPLIT_KINDS
from rro.envs.sql import SqlEnv, load_sql_tasks
from rro.pipeline import PROFILES, sql_train_tasks

def novelty(train: list, test: list) -> dict:
    "How many `test` tasks have the form of a `train` task on their database, and the skeleton of one on any."
    same = {(t.data["db"], query_form(t.data["gold"])) for t in train}
    shapes = {query_skeleton(t.data["gold"]) for t in train}
    hit = [(t.data["db"], query_form(t.data["gold"])) in same for t in test]
    return {"test": len(test), "same_db": sum(hit), "skeleton": sum(query_skeleton(t.data["gold"]) in shapes for t in test),
            "same_db_by_hardness": dict(Counter(t.data.get("hardness", "?") for t, h in zip(test, hit) if h)),
            "test_by_hardness": dict(Counter(t.data.get("hardness", "?") for t in test))}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="mini", choices=sorted(PROFILES), help="whose templated questions and split seed")
    ap.add_argument("--kinds", nargs="+", default=list(SPLIT_KINDS), choices=SPLIT_KINDS, help="split kinds to measure")
    ap.add_argument("--data-dir", default=None, help="InterCode-SQL's data (default: $RRO_DATA_DIR)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    a = ap.parse_args()
    p, env, tasks = PROFILES[a.profile], SqlEnv(), load_sql_tasks(data_dir=a.data_dir)
    out = {}
    for kind in a.kinds:
        sp = sql_split(tasks, kind, seed=p.seed)
        test = [tasks[i] for i in sp["test"]]
        out[kind] = {"real": novelty([tasks[i] for i in sp["train"]], test),
                     "real+templated": novelty(sql_train_tasks(env, tasks, p, kind), test)}
    if a.json: print(json.dumps(out, indent=1)); return
    print(f"profile {a.profile}: {p.sql_templated} templated training questions, split seed {p.seed}")
    print("| split | training queries | test | same form, same database | same skeleton, any database | same database, by hardness |")
    print("|---|---|---|---|---|---|")
    for kind, r in out.items():
        for src, n in r.items():
            hard = ", ".join(f"{h} {n['same_db_by_hardness'].get(h, 0)}/{c}" for h, c in sorted(n["test_by_hardness"].items()))
            print(f"| {kind} | {src} | {n['test']} | {n['same_db']} | {n['skeleton']} | {hard} |")

if __name__ == "__main__": main()
