# hadra — `make run` serves the chat on embedded defaults; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: run test system-deps venv train-env web web-test contract contract-check lint secrets clean-var stop staff screenshots

run: venv web
	$(PY) -m embedded run

venv: $(VENV)/.installed

# The CPU Ollama ships inside Intel's wheel, installed without its (GPU, torch) dependencies.
$(VENV)/.installed: pyproject.toml embedded/ollama-cpu-requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "hadra needs Python 3.11+"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[embedded,dev]"
	$(PIP) install -q --no-deps -r embedded/ollama-cpu-requirements.txt
	touch $@

# The training stack lives in its own venv so the chat server stays light (finetune/constraints.txt
# says why it is a full lock installed without dependencies). Torch first and alone: the CPU build.
TRAIN_VENV := .venv-train
TRAIN_PY := $(TRAIN_VENV)/bin/python
train-env: $(TRAIN_VENV)/.installed

$(TRAIN_VENV)/.installed: pyproject.toml finetune/constraints.txt finetune/requirements-cpu.txt
	test -x $(TRAIN_PY) || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_PY) -m pip install -q --upgrade pip
	$(TRAIN_PY) -m pip install -q torch==2.13.0
	$(TRAIN_PY) -m pip install -q -c finetune/constraints.txt -e .
	$(TRAIN_PY) -m pip install -q --no-deps -r finetune/requirements-cpu.txt
	$(TRAIN_PY) -m finetune tools
	touch $@

# The web app is built once, and again only when its sources change.
ifneq ($(wildcard web/package.json),)
web: web/dist/index.html
web-test: web/node_modules/.package-lock.json
	cd web && npm test
else
web web-test:
	@echo "web/: no app yet"
endif

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

web/dist/index.html: web/node_modules/.package-lock.json web/package.json web/tsconfig.json $(shell find web/src web/public web/index.html web/vite.config.* -type f 2>/dev/null)
	cd web && npm run build

# The web app's wire types (web/src/contract.ts), generated from the contract's JSON Schema.
CONTRACT_TYPES := set -o pipefail; $(PY) -m contract | (cd web && npm run --silent contract)
contract: venv web/node_modules/.package-lock.json
	$(CONTRACT_TYPES) > web/src/contract.ts.new && mv web/src/contract.ts.new web/src/contract.ts
contract-check: venv web/node_modules/.package-lock.json
	@$(CONTRACT_TYPES) | cmp -s - web/src/contract.ts || { echo "web/src/contract.ts is stale (contract/ changed): run make contract"; exit 1; }

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

secrets:
	$(PYTHON) scripts/secret_scan.py

system-deps:
	@scripts/system-deps.sh

test: system-deps venv train-env web secrets lint contract-check web-test
	$(PY) -m pytest

# A staff (admin) account: make staff USERNAME=amine EMAIL=amine@example.org (asks for the password,
# or reads HADRA_STAFF_PASSWORD). Uses the embedded database unless MONGODB_URI is set.
staff: venv
	$(PY) -m embedded manage create_staff_user --username "$(USERNAME)" --email "$(EMAIL)"

# Screenshots for the README, taken by the browser tests from the real UI in headless Chromium.
screenshots: venv web
	HADRA_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/e2e -q

stop:
	$(PY) -m embedded stop

clean-var: stop
	rm -rf var
