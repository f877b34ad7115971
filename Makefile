# balancedue - developer commands.  `make demo` and `make test` work on a fresh machine with
# Python 3.11+: each creates .venv and installs what it needs.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
LOCK   := requirements/lock.txt
FUZZ_SECONDS ?= 60

.DEFAULT_GOAL := help
.PHONY: help demo test lint typecheck unit bench clean lock audit fuzz

help:  ## List the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/ -/'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "balancedue needs Python 3.11 or newer ($(PYTHON) is older)"; exit 2; }
	$(PYTHON) -m venv $(VENV)

# Exact versions, every file checked against its hash; then the project itself, nothing else.
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# Byte-code for the package, as a wheel install has it: a start then reads compiled modules
	@# even where PYTHONDONTWRITEBYTECODE is set (common in containers).
	$(BIN)/python -m compileall -q src > /dev/null
	@touch $(STAMP)

demo: $(STAMP)  ## Analyze the bundled sample notice and write its PDF and HTML reports
	@mkdir -p out
	$(BIN)/balancedue analyze examples/sample-cp14.pdf --records examples/sample-records.json \
		--today 2025-06-10 --pdf out/sample-report.pdf --html out/sample-report.html

lint: $(STAMP)  ## ruff
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)  ## mypy (strict for the whole package; Django calls in web/ are untyped)
	$(BIN)/mypy

# The suite runs in parallel (pytest-xdist, one worker per core): tests that share the
# PostgreSQL server or drive Chromium are kept in one worker each (xdist groups, see
# tests/conftest.py).  TEST_WORKERS=0 runs it in one process.  After the whole session a privacy
# scan reads everything it wrote (tests/privacy_scan.py) and fails the run on a full SSN/ITIN/EIN.
TEST_WORKERS ?= auto

unit: $(STAMP)  ## pytest only, in parallel (the case-store tests also run on a private PostgreSQL server when one can be had)
	bash scripts/chromium-for-tests.sh
	bash scripts/postgres-for-tests.sh $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

test: lint typecheck unit  ## Lint, type-check and run every test

# The batch benchmark's mailbag: NOTICES files, a tenth of them photos (make bench NOTICES=200 for a quick run).
NOTICES ?= 1000

bench: $(STAMP)  ## Benchmarks: in-process (pytest-benchmark), then whole processes as a person runs them
	BALANCEDUE_BENCH_NOTICES=$(NOTICES) $(BIN)/python -m pytest benchmarks --benchmark-only -p no:cacheprovider -o testpaths=benchmarks -s
	$(BIN)/python benchmarks/whole_process.py --runs 5

lock: | $(BIN)/python  ## Regenerate requirements/*lock.txt (exact versions and hashes) from pyproject.toml
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml requirements/build.in --extra dev --generate-hashes \
		--python-version 3.11 --python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock" \
		--quiet -o $(LOCK)
	$(BIN)/uv pip compile requirements/fuzz.in --generate-hashes \
		--python-version 3.11 --python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock" \
		--quiet -o requirements/fuzz-lock.txt

audit: $(STAMP)  ## Check the locked packages for published vulnerabilities
	$(BIN)/python requirements/audit.py

fuzz: $(STAMP)  ## Fuzz every target for FUZZ_SECONDS seconds each (atheris)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/fuzz-lock.txt
	$(BIN)/python fuzz/run_all.py --seconds $(FUZZ_SECONDS)

clean:  ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .benchmarks
