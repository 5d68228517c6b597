# Gigworks: `make run` starts the marketplace with demo data; `make test` runs every test.
# Everything is installed into the project folder: .venv/ (Python) and .tools/ (Node 22, bun,
# Meilisearch from the npm registry). Chromium comes from Debian's packages for the browser tests.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TOOLS := .tools
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export NPM_CONFIG_REGISTRY ?= https://registry.npmjs.org/
export PYTHONUNBUFFERED := 1
# `make run` offers "Sign in with Dev SSO" through the local OpenID provider.
RUN_ENV := OIDC_PROVIDERS=$${OIDC_PROVIDERS-dev}
# A local PostgreSQL that answers makes the tests run on it too (see README).
TEST_POSTGRES_URL ?= $(shell pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo postgresql+psycopg2://postgres@127.0.0.1:5432/postgres)
export TEST_POSTGRES_URL

# `make test` spreads the suite over both cores (pytest-xdist; the e2e tests stay on one worker,
# see tests/conftest.py). PYTEST_WORKERS=0 runs it in one process; PYTEST_ARGS adds options,
# e.g. `make test-integration PYTEST_ARGS="-k stripe"`.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
# pytest exits 5 when it collected no test (e.g. a -k that matches nothing): say so, exit 0.
define pytest
	@$(2) $(PY) -m pytest $(1) $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: nothing ran"; status=0; fi; \
	exit $$status
endef

.PHONY: install run run-scaled test test-unit test-integration test-e2e test-e2e-scaled lint format bench chromium clean

install: $(VENV)/.installed $(TOOLS)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Gigworks needs Python 3.11 or newer")'
	@echo "==> Python packages into $(VENV)/ (first time: a minute or two)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --progress-bar on -r requirements.txt
	@touch $@

$(TOOLS)/.installed: $(TOOLS)/package.json $(TOOLS)/package-lock.json
	@if command -v npm >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "==> Installing npm from Debian's packages (it fetches Node 22, bun and Meilisearch)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	else \
		echo "npm is needed to fetch Node 22, bun and Meilisearch: run 'sudo apt-get install -y npm'."; exit 1; \
	fi
	@echo "==> Node 22, bun and Meilisearch into $(TOOLS)/ (from the npm registry, pinned by package-lock.json)"
	@cd $(TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

chromium:
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "==> Installing Chromium from Debian's packages (for the browser tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else \
		echo "Chromium is needed for the browser tests: run 'sudo apt-get install -y chromium' and try again."; exit 1; \
	fi

run: install
	@$(RUN_ENV) $(PY) -m devservices run

# The scaled topology: PostgreSQL + Redis (DATABASE_URL / REDIS_URL, else this machine's
# loopback servers), WORKERS backend workers and two worker processes (docs/operations.md).
WORKERS ?= 2
run-scaled: install
	@$(RUN_ENV) $(PY) -m devservices run --scaled --workers $(WORKERS)

# Second pass: the e2e suite again on PostgreSQL + Redis + 2 backend workers (skipped, with the
# reason, when PostgreSQL does not answer or redis-server is not installed).
test: install chromium lint
	$(call pytest,-n $(PYTEST_WORKERS))
	@echo "==> The e2e suite again on the scaled topology (PostgreSQL, Redis, 2 backend workers)"
	$(call pytest,-p no:xdist tests/e2e,E2E_TOPOLOGY=scaled)

test-e2e-scaled: install chromium
	$(call pytest,-p no:xdist tests/e2e,E2E_TOPOLOGY=scaled)

test-unit: install
	$(call pytest,tests/unit)

test-integration: install
	$(call pytest,-n $(PYTEST_WORKERS) tests/integration)

test-e2e: install chromium
	$(call pytest,tests/e2e)

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: install
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

bench: install
	@$(PY) bench/seed_bench.py --gigs 100000
	@$(PY) bench/reindex_bench.py --gigs 100000
	@$(PY) bench/editor_bench.py
	@$(PY) bench/event_cost.py  # backend CPU and updates per event kind
	@$(PY) bench/meili_client_bench.py --calls 1000  # CPU per Meilisearch call on the search path
	@$(PY) bench/search_bench.py --gigs 100000  # search: service, websocket, Chromium, SQL, lag

clean:
	rm -rf .web .states
