# Two commands on a fresh machine: `make run` serves the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050
WORKERS ?= 2

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
	$(BIN)/gunicorn app:server --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-dev lint
	$(BIN)/python -m pytest

# Benchmarks at 10^3, 10^5 and 10^6 rows on SQLite (see benchmarks/README.md for more).
bench: install-dev
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) node_modules instance
