import os
for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"): os.environ.setdefault(k, "1")
from pathlib import Path
import pytest

DATA = os.environ.get("RRO_DATA_DIR")

def _has_data() -> bool: return bool(DATA) and (Path(DATA)/"intercode"/"ic_spider_dev.json").exists()

needs_data = pytest.mark.skipif(not _has_data(), reason="RRO_DATA_DIR with intercode/ic_spider_dev.json is not set (.ci/run sets it)")

@pytest.fixture(scope="session")
def env():
    from rro.envs.sql import SqlEnv
    return SqlEnv()

@pytest.fixture(scope="session")
def tasks():
    if not _has_data(): pytest.skip("needs RRO_DATA_DIR")
    from rro.envs.sql import load_sql_tasks
    return load_sql_tasks()
