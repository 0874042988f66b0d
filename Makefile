# ntm-analysis: run `make help` for the list of targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
AXE    := tests/a11y/node_modules/.package-lock.json

.DEFAULT_GOAL := help
.PHONY: help venv reports inventory clean-data test lint lab bench-clean bench-report mutation \
        distclean

help: ## List the targets, one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab,test,cluster,pdf]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

venv: $(STAMP) ## Create .venv and install the project with its lab, test, cluster and pdf extras

reports: $(STAMP) ## Main job: inventory, clean data/raw, then every report into reports/
	$(BIN)/ntm inventory
	$(BIN)/ntm clean
	$(BIN)/ntm report

inventory: $(STAMP) ## List every raw file with its row count and source
	$(BIN)/ntm inventory

clean-data: $(STAMP) ## Clean data/raw into data/processed (ntm clean)
	$(BIN)/ntm clean

test: $(STAMP) ## Run ruff and the whole test suite (finds or installs a browser and axe-core first)
	$(BIN)/ruff check src tests notebooks bench scripts
	$(BIN)/python tests/browser.py --ensure
	@# axe-core, pinned by tests/a11y/package-lock.json, for the accessibility tests (installed
	@# again when the lock file is newer than the record npm keeps of the install)
	@if [ ! -f $(AXE) ] || [ tests/a11y/package-lock.json -nt $(AXE) ]; then \
	  if command -v npm >/dev/null; then npm ci --prefix tests/a11y --no-audit --no-fund; \
	  else echo "NO NPM: the accessibility tests are skipped (apt-get install npm)"; fi; fi
	$(BIN)/python -m pytest

lint: $(STAMP) ## Check the code with ruff
	$(BIN)/ruff check src tests notebooks bench scripts

lab: $(STAMP) ## Open JupyterLab on the project's environment
	$(BIN)/jupyter lab notebooks

bench-clean: $(STAMP) ## Benchmark ntm clean on a generated national-scale sheet
	$(BIN)/python bench/bench_clean.py

bench-report: $(STAMP) ## Benchmark ntm report against the hand-written papermill+nbconvert loop
	$(BIN)/python bench/bench_report.py $(BENCH_ARGS)

mutation: $(STAMP) ## Planted bugs, mutmut over the pure modules, a sample of the rest (TESTING.md)
	$(BIN)/python -m pip install --quiet -e '.[mutation]'
	$(BIN)/python tests/known_bugs.py
	$(BIN)/mutmut run --max-children $$(nproc)
	$(BIN)/python tests/mutation_score.py
	$(BIN)/python tests/mutation_sample.py map
	$(BIN)/python tests/mutation_sample.py run --per-package 30 --jobs $$(nproc)

distclean: ## Remove .venv, data/processed outputs and reports/
	rm -rf $(VENV) reports mutants
	find data/processed -mindepth 1 ! -name .gitkeep -delete
