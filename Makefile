# Two commands on a fresh machine: `make run` serves the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050
WORKERS ?= 2
# The results the workers compute, shared between them (each computes half the warm-up and
# reads what the other computed); REDIS_URL, when set, shares them between machines instead.
RESULTS_DIR ?= instance/results
# pytest processes (pytest-xdist): in one process the suite kept one of two cores busy most of
# the time (35 min 40 s, 3 Dec 2026); in two it took 25 min 1 s. Each file stays in one
# process (--dist loadfile), so a file's server, browser or database is started once. Files go
# out in the order pytest collects them, the heavy app, browser and database tests before the
# many quick unit tests: sorted by their number of tests, the one-test quick benchmark (about
# 4 minutes) came last and ran alone.
TEST_PROCESSES ?= 2

.PHONY: run test lint db install install-dev clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev node_modules/.package-lock.json

db: install
	$(BIN)/python -m dashboard init-db

run: db
	DASHBOARD_RESULTS_DIR=$(RESULTS_DIR) $(BIN)/gunicorn app:server --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-dev lint
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile --no-loadscope-reorder

# Benchmarks at 10^3, 10^5 and 10^6 rows on SQLite (see benchmarks/README.md for more).
bench: install-dev
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) node_modules instance
