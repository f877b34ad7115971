# balancedue - developer commands.  `make demo` and `make test` work on a fresh machine with
# Python 3.11+: each creates .venv and installs what it needs.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.DEFAULT_GOAL := help
.PHONY: help demo test lint typecheck unit bench clean

help:  ## List the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/ -/'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "balancedue needs Python 3.11 or newer ($(PYTHON) is older)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)  ## Analyze the bundled sample notice and write its PDF and HTML reports
	@mkdir -p out
	$(BIN)/balancedue analyze examples/sample-cp14.pdf --records examples/sample-records.json \
		--today 2025-06-10 --pdf out/sample-report.pdf --html out/sample-report.html

lint: $(STAMP)  ## ruff
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)  ## mypy (strict for rules/ and engine/)
	$(BIN)/mypy

unit: $(STAMP)  ## pytest only (the case-store tests also run on a private PostgreSQL server when one can be had)
	bash scripts/chromium-for-tests.sh
	bash scripts/postgres-for-tests.sh $(BIN)/python -m pytest

test: lint typecheck unit  ## Lint, type-check and run every test

bench: $(STAMP)  ## Benchmarks (pytest-benchmark)
	$(BIN)/python -m pytest benchmarks --benchmark-only -p no:cacheprovider -o testpaths=benchmarks -s

clean:  ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .benchmarks
