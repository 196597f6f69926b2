# The two commands of the Quick start: `make demo` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup check lint unit integration bench clean browser checkov lock axe

demo: setup check
	$(BIN)/gemeentedelers demo

test: setup check lint browser axe checkov
	$(BIN)/pytest -q -p no:cacheprovider

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# checkov pins its own HCL parser, so it gets a virtual environment of its own (tests/unit/infra runs it offline).
CHECKOV_VENV ?= .venv-checkov
CHECKOV_VERSION := 3.3.30
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)

checkov: $(CHECKOV_STAMP)

$(CHECKOV_STAMP):
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install -q 'checkov==$(CHECKOV_VERSION)'
	touch $(CHECKOV_STAMP)

# Re-resolve the functions' locked dependencies (needs the package index) and regenerate what Terraform reads.
lock: setup
	$(BIN)/python infra/lock.py --update
	$(BIN)/python infra/catalogue.py

# Fails with install instructions (not a stack trace) when Java or the emulators are missing.
check: setup
	$(BIN)/gemeentedelers dev check

lint: setup
	$(BIN)/ruff check .

# Headless Chromium and chromedriver from Debian for tests/browser (apt-get as root or via sudo; no-op when present).
browser:
	scripts/install-browser.sh

# axe-core (the accessibility checker the browser tests inject into every page) from npm, at the locked version.
AXE := tests/browser/node_modules/axe-core/axe.min.js
axe: $(AXE)

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $(AXE)

unit: setup
	$(BIN)/pytest -q -m "not integration and not browser"

integration: setup check
	$(BIN)/pytest -q -m integration

bench: setup check
	$(BIN)/gemeentedelers bench intake
	$(BIN)/gemeentedelers bench console
	$(BIN)/gemeentedelers bench edition
	$(BIN)/python tests/bench/round1.py
	$(BIN)/python tests/bench/deploy.py
	$(BIN)/python tests/bench/editions.py

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .local build
