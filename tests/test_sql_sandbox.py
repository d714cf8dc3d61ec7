"Hostile SQL from a model: nothing changes on disk, every step answers within 3 s with an error observation."
import hashlib, time
from pathlib import Path
import pytest
from rro.core import Task
from rro.envs.sql import SqlEnv, SqlEnvConfig

T = "museum"
HOSTILE = [
    f"DELETE FROM {T}", f"UPDATE {T} SET Name = 'x'", f"INSERT INTO {T} VALUES (99, 'x', 1, '2000')",
    f"REPLACE INTO {T} VALUES (1, 'x', 1, '2000')", f"INSERT OR REPLACE INTO {T} VALUES (1, 'x', 1, '2000')",
    f"DROP TABLE {T}", "CREATE TABLE t (a int)", "CREATE TEMP TABLE t AS SELECT 1", f"ALTER TABLE {T} ADD COLUMN z int",
    f"CREATE INDEX i ON {T}(Name)", "CREATE VIEW v AS SELECT 1", "CREATE VIRTUAL TABLE f USING fts5(a)",
    f"CREATE TRIGGER tr AFTER INSERT ON {T} BEGIN DELETE FROM {T}; END",
    "ATTACH DATABASE '/tmp/rro-evil.db' AS evil", "ATTACH DATABASE ':memory:' AS m", "DETACH DATABASE main",
    "PRAGMA writable_schema = 1", "PRAGMA journal_mode = DELETE", "PRAGMA query_only = 0", f"PRAGMA table_info({T})",
    "VACUUM", "VACUUM INTO '/tmp/rro-copy.db'", "REINDEX", "ANALYZE", "BEGIN TRANSACTION", "SAVEPOINT a", "COMMIT",
    "SELECT load_extension('/tmp/evil.so')", "SELECT writefile('/tmp/rro-x', 'y')", "SELECT fts3_tokenizer('simple')",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c",
    "SELECT count(*) FROM " + ", ".join(f"{T} t{i}" for i in range(12)),
    "SELECT * FROM visit a, visit b, visit c, visit d, visit e, visit f",
    "SELECT zeroblob(2000000000)", "SELECT randomblob(1000000000)", "SELECT concat(printf('%.*c', 900000, 'x'), printf('%.*c', 900000, 'y'))",
    "SELECT replace(hex(zeroblob(10000000)), '0', 'x')",
    f"SELECT group_concat(a.Name || b.Name || c.Name) FROM {T} a, {T} b, {T} c, {T} d, {T} e, {T} f, {T} g",
    "SELECT 'a' || " * 1 + "'" + "x" * 30000 + "'",
    "SELECT " + "(" * 5000 + "1" + ")" * 5000,
    "SELECT sleep(10)", "SELECT 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' REGEXP '(a|aa)+$'",
    "USE information_schema", "SELECT * FROM other_db.museum",
    f"DELETE FROM {T}; SELECT 1", f"```sql\nDROP TABLE {T};\n```",
]

def _snapshot(d: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir()) if p.is_file()}

def test_hostile_statements_change_nothing_and_answer_fast():
    assert len(HOSTILE) >= 30
    env = SqlEnv(SqlEnvConfig(max_steps=10_000))
    before = _snapshot(env.db_dir)
    env.reset(Task("h", "sql", "hostile", {"db": "museum_visit", "gold": "SELECT 1"}))
    slow = []
    for sql in HOSTILE:
        t0 = time.perf_counter()
        obs, reward, done, info = env.step(sql)
        dt = time.perf_counter() - t0
        if dt > 3: slow.append((sql[:60], dt))
        assert obs.startswith("Error executing query:"), (sql[:80], obs[:200])
        assert info["action_executed"] is False and not done
    assert not slow, slow
    assert _snapshot(env.db_dir) == before
    rows, err = env.execute(f"SELECT count(*) FROM {T}", "museum_visit")
    assert err is None and rows == [(8,)]  # the table is still whole

def test_only_first_statement_runs():
    env = SqlEnv()
    env.reset(Task("h", "sql", "hostile", {"db": "museum_visit", "gold": "SELECT 1"}))
    obs, *_ = env.step(f"SELECT count(*) FROM {T}; DROP TABLE {T}")
    assert obs == "[(8,)]"
    assert env.execute(f"SELECT count(*) FROM {T}", "museum_visit")[0] == [(8,)]

def test_row_cap_is_an_error_not_a_truncated_answer():
    env = SqlEnv(SqlEnvConfig(max_rows=5))
    env.reset(Task("h", "sql", "q", {"db": "museum_visit", "gold": "SELECT 1"}))
    obs, *_ = env.step(f"SELECT * FROM {T}")
    assert obs == "Error executing query: the result has more than 5 rows"

def test_nothing_runs_or_scores_after_submit():
    env = SqlEnv()
    env.reset(Task("h", "sql", "q", {"db": "museum_visit", "gold": f"SELECT count(*) FROM {T}"}))
    env.step(f"SELECT count(*) FROM {T}")
    obs, reward, done, _ = env.step("submit")
    assert (obs, reward, done) == ("[(8,)]", 1.0, True)
    for a in ["submit", f"SELECT 1 FROM {T}", f"DELETE FROM {T}"]:
        assert env.step(a) == ("[(8,)]", 0.0, True, {"action_executed": False, "reason": "the episode is over"})
    assert env.steps == 2
