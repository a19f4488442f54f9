# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/tandem
# Test processes (pytest-xdist): one per CPU; each has its own test database.
TEST_WORKERS ?= auto

.PHONY: run test test-sqlite test-postgres lint bench install install-test chromium postgres clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test chromium tests/browser/node_modules/.installed

# axe-core for the browser tests' accessibility audit, pinned by package-lock.json; the stamp
# keeps a second run from touching the registry.
tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $@

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster 15 main start || \
		pg_ctlcluster --skip-systemctl-redirect 15 main start

# Local use: DEBUG on unless you say otherwise; SQLite in WAL mode under var/.
# `make run PORT=8001` serves there; links in e-mails follow unless SITE_URL is set (honcho
# gives each later process PORT+100, so the worker is told SITE_URL, not left to derive it).
run: export DEBUG ?= 1
run: export PORT ?= 8000
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	DEBUG=1 $(BIN)/mypy src
	$(BIN)/lint-imports --no-logo
	$(BIN)/djlint src --lint --quiet

test: install-test lint test-sqlite test-postgres

# Every test of the models, services, pages and API runs on both databases (each pass ends
# with its 15 slowest steps: where the suite's time goes), but for the generated API requests
# (schemathesis), on PostgreSQL only: its storage refuses what SQLite keeps. The browser tests
# run once each: the page audit (axe-core, page widths: HTML and CSS) against a server on
# SQLite, the way `make run` serves; the flows people go through against a server on
# PostgreSQL, the way a shared installation serves.
test-sqlite:
	env -u DATABASE_URL $(BIN)/pytest -q -n $(TEST_WORKERS) --durations=15 -m "not browser or page_audit"

test-postgres: postgres
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/1} $(BIN)/pytest -q -n $(TEST_WORKERS) --durations=15 -m "not page_audit"

# Options: make bench BENCH_ARGS="--datasets demo --duration 3" (see bench/run.py --help).
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles tests/browser/node_modules
