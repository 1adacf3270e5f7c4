# tipstats: `make all` builds everything from the raw sources; `make test` proves it.
# Both create (or reuse) the virtual environment .venv by themselves.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
# Independent targets (figures, notebooks, tables, claims) run in parallel, one job per core by default
# (`make JOBS=1 ...` for one at a time); a target's output is printed whole when it is done.
# (nproc obeys OMP_NUM_THREADS, which this Makefile exports: a make run by a recipe, as `make bench`'s, got one job)
JOBS ?= $(shell env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc 2>/dev/null || echo 2)
MAKEFLAGS += --jobs=$(JOBS) --output-sync=target
# One BLAS thread: the event-study fits are small least-squares problems that threads only slow down, and a
# thread count that varies between machines could change the last digits of the results.
export OPENBLAS_NUM_THREADS = 1
export OMP_NUM_THREADS = 1
# diff-diff's Rust backend likewise (one thread per core by default; tipstats.cache.one_thread sets it too)
export RAYON_NUM_THREADS = 1

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TIPSTATS := $(VENV)/bin/tipstats

SRC := $(shell find src/tipstats -name '*.py' -o -name '*.mplstyle' | sort)
# What the processed data depend on: the data layer only (a figure change does not rebuild data).
DATA_SRC := $(shell find src/tipstats/pipeline src/tipstats/schemas -name '*.py' | sort) \
	$(addprefix src/tipstats/,__init__.py countries.py datasets.py errors.py facts.py io.py metadata.py paths.py raw.py sources.py)
RAW := $(shell find data/raw -type f | sort)
REFERENCE := $(wildcard data/reference/*.csv)
PROCESSED := data/processed/datapackage.json

# $(call step,NAME,COMMAND): one line per step ("NAME  target"); the command's own output is shown only when
# it fails, with its exit status (a "warning:" line is always shown). `make V=1 ...` runs the commands as they
# are, output and all.
ifeq ($(V),1)
step = $(2)
else
step = @printf '%-10s %s\n' '$(1)' '$@'; log=$$(mktemp); \
	if ( $(2) ) > "$$log" 2>&1; then grep '^warning:' "$$log" >&2 || true; rm -f "$$log"; \
	else status=$$?; cat "$$log" >&2; rm -f "$$log"; echo "make: $(1) $@ failed (exit $$status)" >&2; exit $$status; fi
endif

.PHONY: help setup lock test-min data figures notebooks tables claims exports report all test generate lint format bench clean clean-outputs lab

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "}; /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The environment is the lock file's: uv (pinned with its hashes in tools/uv-requirements.txt) is bootstrapped
# into the venv by pip, then installs exactly the versions of uv.lock (`--locked`: fails if the lock is stale).
# The venv is made without pip (installing pip into it took 4 of a fresh clone's 7 s of setup): $(PYTHON)'s own
# pip installs uv into it (`pip --python`, pip 22.3 or later); without such a pip, the venv gets one (ensurepip).
UV_REQUIREMENTS := tools/uv-requirements.txt
UV := $(VENV)/bin/uv
# uv never downloads a Python of its own: the venv's interpreter is the one of $(PYTHON).
export UV_PYTHON_DOWNLOADS := never
PIP_INTO_VENV = if $(PYTHON) -m pip --python $(PY) --version >/dev/null 2>&1; then pip="$(PYTHON) -m pip --python $(PY)"; \
	else $(PY) -m ensurepip --default-pip >/dev/null && pip="$(PY) -m pip"; fi; \
	$$pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r $(UV_REQUIREMENTS)
$(UV): $(UV_REQUIREMENTS)
	$(call step,setup,{ test -x $(PY) || $(PYTHON) -m venv --without-pip $(VENV); } && { $(PIP_INTO_VENV); })
	@touch $@

# Bytecode: the steps below write it as they import (PYTHONDONTWRITEBYTECODE, set on some CI machines, is not
# passed on), so each module is compiled once, when first used: about 2,400 modules, 5 s of CPU. Compiling all
# 11,000 modules of the environment at setup (`uv sync --compile-bytecode`) took 19 s, most of a fresh clone's setup.
unexport PYTHONDONTWRITEBYTECODE
$(STAMP): pyproject.toml uv.lock $(UV)
	$(call step,setup,UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --quiet --locked --extra dev --python $(PY))
	@touch $@

setup: $(STAMP) ## create or update the virtual environment .venv: exactly the versions of uv.lock (package + dev tools)

# After a new environment, the libraries the later steps import are compiled to bytecode by one process while
# the data build runs on the other core: in a fresh clone the first imports otherwise compile them inside the
# tables, exports, figures and notebook steps, some twice at once (about 12 s of their CPU). Nothing waits for it.
WARM_IMPORTS := statsmodels.api scipy.stats scipy.optimize diff_diff matplotlib.pyplot matplotlib_inline.backend_inline \
	nbclient nbconvert ipykernel.kernelapp xlsxwriter pyarrow.parquet pandera.pandas
BYTECODE := .make/bytecode
$(BYTECODE): $(STAMP)
	@mkdir -p $(@D)
	$(call step,bytecode,$(PY) -c "import importlib; import sys; [importlib.import_module(m) for m in sys.argv[1:]]" $(WARM_IMPORTS))
	@touch $@

lock: $(UV) ## update uv.lock after a change to pyproject.toml (LOCK_ARGS=--upgrade: newest versions the ranges allow)
	$(UV) lock $(LOCK_ARGS)

# The tests run make themselves: they get no jobserver of this make (MAKEFLAGS), as from a shell.
TEST_ENV := env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

# The wheel's dependencies are ranges (it is a library): this job proves their lower bounds. A separate venv,
# every direct dependency at the lowest version pyproject.toml allows (uv's --resolution lowest-direct).
VENV_MIN := .venv-min
test-min: $(UV) ## the test suite in .venv-min, every direct dependency at its lowest allowed version
	@test -x $(VENV_MIN)/bin/python || $(UV) venv --quiet --seed --python $(PYTHON) $(VENV_MIN)
	$(UV) pip install --quiet --python $(VENV_MIN)/bin/python --resolution lowest-direct -e ".[dev]"
	$(TEST_ENV) $(VENV_MIN)/bin/python -m pytest -n 2 -m "not browser" -W ignore::DeprecationWarning

$(PROCESSED): $(STAMP) $(RAW) $(REFERENCE) $(DATA_SRC)
	$(call step,data,$(TIPSTATS) build)
	@touch $@

data: $(PROCESSED) ## build data/processed from data/raw (validated, all or nothing)

# Each dataset's checksum stamp (see mk/reports.mk); $(call datasets,a b c): the stamps of a, b and c.
DATA_STAMPS := .make/data
datasets = $(foreach d,$(1),$(DATA_STAMPS)/$(d).cksum)

TABLES := reports/tables/manifest.txt

include mk/datasets.mk
include mk/reports.mk

ANALYSIS_SRC := $(shell find src/tipstats/analysis -name '*.py' | sort)
CLAIMS_SRC := $(shell find src/tipstats/claims_audit -name "*.py" | sort) src/tipstats/render.py

$(TABLES): $(STAMP) $(ANALYSIS_SRC) $(call datasets,convictions legislation population)
	@mkdir -p $(@D)
	@mkdir -p .make
	$(call step,tables,$(PY) -m tipstats analysis --out-dir $(@D) > .make/tables-manifest.tmp)
	@mv -f .make/tables-manifest.tmp $@

tables: $(TABLES) ## the convictions analysis tables in reports/tables/

# The figures and the claims audit draw the convictions analysis from the results cache the tables step fills
# (tipstats.cache): after it, not beside it, or both would compute the same estimators at the same time.
$(FIGURES_INDEX) reports/claims.md: $(TABLES)

reports/claims.md: $(STAMP) $(CLAIMS_SRC) $(ANALYSIS_SRC) $(CLAIMS_REGISTRY) $(call datasets,$(ALL_DATASETS))
	$(call step,claims,$(PY) -m tipstats claims --format markdown --output $@)

claims: reports/claims.md ## the claims audit of A/76/120 as a markdown table (reports/claims.md)

# The datasets in the formats of `tipstats export` that the site offers beside the CSV (the export extra).
EXPORT_FORMATS := xlsx parquet dta
EXPORTS := $(foreach f,$(EXPORT_FORMATS),reports/exports/$(f)/codebook.md)
reports/exports/%/codebook.md: $(STAMP) src/tipstats/export.py $(call datasets,$(ALL_DATASETS))
	$(call step,export,$(TIPSTATS) export --format $* $(@D))

exports: $(EXPORTS) ## the datasets as xlsx, parquet and dta in reports/exports/ (downloads of the site)

SITE := reports/site/index.html
$(SITE): tools/build_site.py $(FIGURES_INDEX) $(NOTEBOOK_PAGES) $(TABLES) $(EXPORTS) reports/claims.md $(PROCESSED)
	$(call step,report,$(PY) tools/build_site.py)

report: $(SITE) ## the static HTML report in reports/site/ (opens from the file system)

# The order is the parallel build's: the two longest single jobs (the tables, which the figures, the claims and
# notebook 03 wait for, and the exports) start first, the notebooks and figures fill the cores after them.
all: setup $(BYTECODE) data tables exports notebooks figures claims report ## everything: data, tables, exports, executed notebooks, figures, claims, HTML report

# The browser test needs Debian's chromium and chromium-driver; installed here when missing (as root).
CHROMIUM := .make/chromium
$(CHROMIUM):
	@mkdir -p $(@D)
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "installing chromium and chromium-driver (Debian packages) for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi
	@touch $@

test: all $(CHROMIUM) ## run ruff and the test suite (builds what is missing first)
	$(PY) -m ruff check src tests tools
	$(PY) -m ruff format --check src tests tools
	$(TEST_ENV) $(PY) -m pytest -n 2

bench: all ## benchmarks as a user feels them (first load in a user install, warm loads, make all, claims, memory); writes reports/bench.json
	$(PY) tools/bench.py

generate: $(STAMP) ## regenerate src/tipstats/_loaders.py and mk/datasets.mk from the dataset registry
	$(TIPSTATS) generate

lint: $(STAMP) ## ruff check and format check
	$(PY) -m ruff check src tests tools
	$(PY) -m ruff format --check src tests tools

format: $(STAMP) ## format the code with ruff
	$(PY) -m ruff format src tests tools
	$(PY) -m ruff check --fix src tests tools

lab: $(STAMP) ## open the notebooks in Jupyter Lab
	$(VENV)/bin/jupyter lab notebooks/

clean-outputs: ## remove every generated output (processed data, reports, make stamps); keeps .venv
	rm -rf data/processed reports/figures reports/notebooks reports/tables reports/exports reports/site reports/claims.md .make/data

clean: ## remove generated reports and the virtual environment (keeps the committed data/processed)
	rm -rf reports/figures reports/notebooks reports/tables reports/exports reports/site reports/claims.md reports/bench.json \
		.make $(VENV) $(VENV_MIN) .venv-bench-user .pytest_cache .ruff_cache
