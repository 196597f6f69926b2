# The two commands of the Quick start: `make demo` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup check lint unit integration bench clean

demo: setup check
	$(BIN)/gemeentedelers demo

test: setup check lint
	$(BIN)/pytest -q -p no:cacheprovider

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# Fails with install instructions (not a stack trace) when Java or the emulators are missing.
check: setup
	$(BIN)/gemeentedelers dev check

lint: setup
	$(BIN)/ruff check .

unit: setup
	$(BIN)/pytest -q -m "not integration and not browser"

integration: setup check
	$(BIN)/pytest -q -m integration

bench: setup check
	$(BIN)/gemeentedelers bench intake
	$(BIN)/python tests/bench/round1.py

clean:
	rm -rf $(VENV) .local build
