# Two commands for a fresh clone: `make reproduce` and `make test`. Each sets itself up on first use:
# a local virtual environment with the package and its dependencies (torch pinned to the CPU wheel).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.rro-installed
PROFILE ?= mini
SEEDS ?= 0
CURVE ?=
SHELL := /bin/bash
export HF_HUB_OFFLINE = 1
export TRANSFORMERS_OFFLINE = 1
export HF_DATASETS_OFFLINE = 1
export HF_HUB_DISABLE_TELEMETRY = 1
export MPLBACKEND = Agg
# the real InterCode data beside the checkout, unless the caller points elsewhere
ifeq ($(RRO_DATA_DIR),)
  ifneq ($(wildcard ../shared/data/intercode/ic_spider_dev.json),)
    export RRO_DATA_DIR := $(abspath ../shared/data)
  endif
endif

.PHONY: setup test reproduce export docs clean-venv

setup: $(STAMP)

# pip skips what is already installed; the stamp skips pip when nothing it reads changed.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0 -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name rro --display-name "rro (venv)" >/dev/null
	touch $(STAMP)

export: setup
	$(BIN)/nbdev-export

# 1. the package is what the notebooks export; 2. the notebooks' own tests; 3. pytest (its closing line ends the output)
SNAPSHOT = find rro -type f -name '*.py' | sort | xargs sha256sum
test: setup
	@before="$$($(SNAPSHOT))"; $(BIN)/nbdev-export; after="$$($(SNAPSHOT))"; \
	  if [ "$$before" != "$$after" ]; then echo "rro/ differed from what nbdev-export makes of nbs/ (now re-exported):"; \
	  diff <(echo "$$before") <(echo "$$after"); echo "edit the notebooks, never rro/; export and commit both"; exit 1; fi
	$(BIN)/nbdev-test
	$(BIN)/python -m pytest -q tests

# SEEDS=3 runs exploration and DPO with seeds 0, 1, 2 (mean and std in the tables); 0 = the profile's seeds.
# CURVE="2 4" sets the further N of the cost figures, CURVE=none leaves them out; unset = the profile's.
reproduce: setup
	$(BIN)/rro reproduce --profile $(PROFILE) --seeds $(SEEDS) $(if $(CURVE),--curve-caps $(filter-out none,$(CURVE)))

# The documentation site in _docs/: the notebooks run (as nbdev-test runs them) and rendered with the API reference
# and README.md as the start page (nbs/_build_docs.py); then a headless Chromium visits every page (tests/test_docs.py).
# Needs Debian's chromium (`apt install chromium`).
docs: setup
	$(BIN)/python -m pip install -q -e ".[dev,docs]"
	$(BIN)/python nbs/_build_docs.py
	RRO_DOCS_TEST=1 $(BIN)/python -m pytest -q tests/test_docs.py
