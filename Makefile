# ProfitLens: `make run` and `make test` do everything on a fresh machine.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/data/dagster
export DO_NOT_TRACK := 1
# Local settings (see .env.example) apply to every target.
-include .env
export
WAREHOUSE_DIR := $(or $(PROFITLENS_WAREHOUSE_DIR),data/warehouse)
LANDING_DIR := $(or $(PROFITLENS_LANDING_DIR),data/landing)
PUBLISHED := $(WAREHOUSE_DIR)/profitlens.duckdb
# What a build reads: a newer file here makes `make run` rebuild, otherwise it reuses the warehouse.
BUILD_INPUTS = $(shell find $(LANDING_DIR) dbt_models/models dbt_models/macros dbt_models/data-tests dbt_models/seeds \
	dagster_project -type f -not -path '*/__pycache__/*' 2>/dev/null) dbt_models/dbt_project.yml

.PHONY: run setup data build app dev test browser bench lint lock clean

run: setup data build app ## set up, generate demo exports if none, build, serve on 127.0.0.1:8501

setup: $(VENV)/.installed

# .venv's interpreter: PYTHON, else the first Python 3.11 that can create a venv, Debian's
# first. Debian builds it with profile-guided and link-time optimization, a plain source build
# (pyenv's default) without: dbt's single Python thread is faster on it, and an incremental
# night at scale 1 takes about a second less (docs/operations.md). Looked for only when .venv
# is created.
# Bytecode is compiled at install (pip does it, uv is told to): with PYTHONDONTWRITEBYTECODE set,
# as on CI, every dbt or Dagster process would otherwise recompile dbt's sources (5 s -> 2.7 s
# to import dbt here, paid once per dbt command).
$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || { python="$(PYTHON)"; \
	  for candidate in /usr/bin/python3.11 python3.11 python3; do \
	    [ -n "$$python" ] && break; \
	    "$$candidate" -c 'import ensurepip, sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null \
	      && python="$$(command -v "$$candidate")"; \
	  done; \
	  [ -n "$$python" ] || { echo "No Python 3.11 able to create a virtual environment: install python3.11 and python3.11-venv (Debian), or set PYTHON=/path/to/python3.11." >&2; exit 1; }; \
	  echo "Creating $(VENV) with $$python."; "$$python" -m venv $(VENV); }
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv \
	  && $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock \
	  || $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . 2>/dev/null \
	  || $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@
	@echo "Environment ready in $(VENV)."

data: setup
	@$(BIN)/profitlens generate --if-empty

build: setup data $(PUBLISHED)

$(PUBLISHED): $(BUILD_INPUTS)
	@$(BIN)/profitlens build

app: setup
	@$(BIN)/profitlens app

dev: setup ## Dagster UI and daemon (schedules run) on 127.0.0.1:3000
	@mkdir -p $(DAGSTER_HOME) && test -f $(DAGSTER_HOME)/dagster.yaml \
	  || printf 'telemetry:\n  enabled: false\n' > $(DAGSTER_HOME)/dagster.yaml
	@$(BIN)/dg dev --host 127.0.0.1 --port 3000

browser: ## headless Chromium for the end-to-end test (Debian packages; never a downloaded browser)
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] \
	  && (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) \
	  || echo "Chromium is missing: install Debian's chromium to run the browser test."; }

test: setup browser ## the whole suite, slow tests included
	@$(BIN)/python -m pytest

bench: setup
	@$(BIN)/python -m benchmarks.run

lint: setup
	@$(BIN)/ruff check . && $(BIN)/ruff format --check .

lock: ## re-pin: install the direct dependencies' newest versions, then write every exact version
	@$(BIN)/uv pip install --python $(BIN)/python -e '.[test]'
	@{ head -2 requirements.lock; $(BIN)/uv pip freeze --python $(BIN)/python --exclude-editable; } > requirements.lock.new \
	  && mv requirements.lock.new requirements.lock

clean: ## remove the built warehouse (keeps exports)
	rm -rf $(WAREHOUSE_DIR) $(DAGSTER_HOME) dbt_models/target
