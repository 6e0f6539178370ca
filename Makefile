# legalbase: `make run` sets everything up and serves; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run setup test test-fast bench lint clean

run: setup
	$(BIN)/legalbase serve

setup: $(INSTALLED)
	$(BIN)/legalbase setup

test: $(INSTALLED)
	@bash .ci/debian-packages
	$(BIN)/pytest

# Everything but the slow, served and browser tests: the loop while editing.
test-fast: $(INSTALLED)
	$(BIN)/pytest -m "not slow and not served and not browser"

bench: $(INSTALLED)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Style, formatting, the arrows between the package's parts (pyproject.toml, importlinter), types.
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "legalbase membutuhkan Python 3.11 atau lebih baru ($(PYTHON))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache *.egg-info
