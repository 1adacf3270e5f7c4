# tipstats: `make all` builds everything from the raw sources; `make test` proves it.
# Both create (or reuse) the virtual environment .venv by themselves.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TIPSTATS := $(VENV)/bin/tipstats

SRC := $(shell find src/tipstats -name '*.py' -o -name '*.mplstyle' | sort)
RAW := $(shell find data/raw -type f | sort)
REFERENCE := $(wildcard data/reference/*.csv)
PROCESSED := data/processed/datapackage.json

.PHONY: help setup data figures notebooks tables claims report all test lint format bench clean lab

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "}; /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 2>&1 | { grep -v "is ignored: it is neither" || true; }
	$(PY) -m pip install --quiet -e ".[dev]" 2>&1 | { grep -v "is ignored: it is neither" || true; }
	@touch $@

setup: $(STAMP) ## create or update the virtual environment .venv (package + dev tools)

$(PROCESSED): $(STAMP) $(RAW) $(REFERENCE) $(SRC)
	$(TIPSTATS) build

data: $(PROCESSED) ## build data/processed from data/raw (validated, all or nothing)

all: setup data ## everything: data, figures, executed notebooks, tables, claims, HTML report

test: $(PROCESSED) ## run the test suite (and ruff)
	$(PY) -m ruff check src tests tools
	$(PY) -m ruff format --check src tests tools
	$(PY) -m pytest -n 2 --dist loadgroup

lint: $(STAMP) ## ruff check and format check
	$(PY) -m ruff check src tests tools
	$(PY) -m ruff format --check src tests tools

format: $(STAMP) ## format the code with ruff
	$(PY) -m ruff format src tests tools
	$(PY) -m ruff check --fix src tests tools

lab: $(STAMP) ## open the notebooks in Jupyter Lab
	$(VENV)/bin/jupyter lab notebooks/

clean: ## remove generated reports and the virtual environment (keeps data/processed)
	rm -rf reports/figures reports/notebooks reports/tables reports/site reports/claims.md reports/bench.json $(VENV) .pytest_cache .ruff_cache
