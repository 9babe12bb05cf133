# Jusoor — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
# The suite in two passes: most of it on two workers, one per core (a test module stays on one
# worker, so its module fixtures are built once); then the tests that drive real processes
# (Chromium, Jusoor nodes on loopback, Spark's JVM) on their own, so their timeouts measure
# Jusoor, not the other worker. `make unit PYTEST_ARGS="tests/cases -x"` runs what you name,
# in one pass.
PARALLEL_PASS := -n 2 --dist loadscope -m "not nodes and not browser and not spark"
PROCESS_PASS := -m "nodes or browser or spark"

.PHONY: run test lint typecheck unit bench lock i18n-update install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install -q --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

install: $(VENV)/.installed

# The demo node, and its peers Egypt, Tunisia and Mauritania as nodes of their own (var/peers/);
# Ctrl-C stops them all, a second run reuses them (docs/EXCHANGE.md, "The demo's peers").
run: $(VENV)/.installed
	$(BIN)/jusoor serve --init-demo

test: $(VENV)/.installed lint typecheck unit

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.installed
	$(BIN)/mypy

unit: $(VENV)/.installed
ifdef PYTEST_ARGS
	$(BIN)/pytest $(PYTEST_ARGS)
else
	$(BIN)/pytest $(PARALLEL_PASS)
	$(BIN)/pytest $(PROCESS_PASS)
endif

bench: $(VENV)/.installed
	$(BIN)/python bench/names_eval.py
	$(BIN)/python bench/monitor_bench.py
	$(BIN)/python bench/linkage_bench.py
	$(BIN)/python bench/linkage_unseen_bench.py  # --people 100000 for the large file
	$(BIN)/python bench/febrl_bench.py
	$(BIN)/python bench/exchange_bench.py
	$(BIN)/python bench/stats_engine.py  # JUSOOR_BENCH_STATS_1M=1 adds 1,000,000 cases

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: $(BIN)/python
	$(BIN)/python -m pip install -q uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

i18n-update: $(VENV)/.installed
	$(BIN)/jusoor i18n update

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
