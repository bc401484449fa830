# Quartier: `make run` serves the demo, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
APPS := core accounts areas directory offers search alerts networks venues events monitoring projects participation concerns statements publications api api/hsds
# Local development defaults; production sets these in its environment.
export QUARTIER_VAR_DIR ?= $(CURDIR)/var
DEV_ENV := QUARTIER_DEBUG=1 QUARTIER_SECURE_COOKIES=0

.PHONY: run test install install-dev messages compilemessages lint typecheck format check-migrations \
	test-sqlite test-postgres chromium demo worker clean bench bench-search mutation \
	check-scaleout

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

compilemessages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	cd quartier && ../$(PY) -P -m quartier compilemessages --ignore '.venv' -v 0

# Extract strings of each app into its own catalogue (quartier/<app>/locale), the rest into
# quartier/locale. Needs GNU gettext.
messages: $(VENV)/.installed
	for app in $(APPS); do (cd quartier/$$app && $(CURDIR)/$(PY) -P -m quartier makemessages -l de -l en --no-obsolete --no-location -v 0 --ignore 'hsds/*'); done
	cd quartier && ../$(PY) -P -m quartier makemessages -l de -l en --no-obsolete --no-location -v 0 $(foreach app,$(APPS),--ignore '$(app)/*')

demo: $(VENV)/.installed compilemessages
	$(DEV_ENV) $(PY) -m quartier migrate --noinput -v 0
	$(DEV_ENV) $(PY) -m quartier seed_demo

run: demo
	@echo "Quartier runs on http://127.0.0.1:8000 (Ctrl+C stops it)."
	@trap 'kill 0' EXIT; \
	$(DEV_ENV) $(PY) -m quartier db_worker --interval 1 >var/worker.log 2>&1 & \
	$(DEV_ENV) $(PY) -m quartier runserver 127.0.0.1:8000

worker: $(VENV)/.installed
	$(PY) -m quartier db_worker

# Debian's chromium for the browser tests (a test tool's own browser download does not work
# on our machines).
# WeasyPrint (PDF) needs Pango and HarfBuzz's subsetter; chromium usually brings them along,
# but the PDF tests must not depend on that.
chromium:
	@test -x /usr/bin/chromium && ldconfig -p | grep -q libharfbuzz-subset.so.0 || { \
		echo "Installing Debian's chromium and WeasyPrint's libraries for the tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; }

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs over all of quartier except the modules listed in pyproject.toml.
typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-migrations: $(VENV)/.installed
	$(PY) -m quartier makemigrations --check --dry-run -v 1

PYTEST := $(BIN)/pytest -n 2 --dist loadgroup -p no:cacheprovider --durations=15

test-sqlite: $(VENV)/.installed-dev compilemessages chromium
	env -u DATABASE_URL $(PYTEST) $(PYTEST_ARGS)

# PostgreSQL: runs when QUARTIER_TEST_DATABASE_URL is set; under CI=true it must be set.
# It leaves out the tests that use no database (they ran in test-sqlite; docs/testing.md
# "Suite time"); its summary says so.
test-postgres: $(VENV)/.installed-dev compilemessages chromium
	@if [ -n "$$QUARTIER_TEST_DATABASE_URL" ]; then \
		DATABASE_URL="$$QUARTIER_TEST_DATABASE_URL" $(PYTEST) -m "not e2e" --database-tests-only $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but QUARTIER_TEST_DATABASE_URL is not set: the PostgreSQL run must not be skipped." >&2; exit 1; \
	else \
		echo "QUARTIER_TEST_DATABASE_URL is not set: skipping the PostgreSQL run."; \
	fi

test: lint typecheck check-migrations test-sqlite test-postgres

# The OParl consumers the tests run (tests/oparl/test_consumers.py runs this too): idempotent,
# about three minutes the first time; needs ../shared beside the project.
.PHONY: oparl-peers
oparl-peers:
	../shared/peers/oparl/setup $${OPARL_PEER_DIR:-/tmp/oparl-peers}

# Mutation testing of the privacy and booking rules (tests/mutate.py, docs/testing.md): long,
# niced, not part of `make test`. Fails when a mutant survives (a missing test).
mutation: $(VENV)/.installed-dev compilemessages
	nice -n 19 $(PY) -m tests.mutate $(MUTATE)

bench: $(VENV)/.installed-dev
	@echo "See bench/README.md for each benchmark's command."

# Search at 100,000 offers (bench/README.md); installs wrk, not part of `make test`.
bench-search: $(VENV)/.installed-dev
	command -v wrk >/dev/null || apt-get install -y wrk
	QUARTIER_VAR_DIR=/tmp/bench-var100 $(PY) -m quartier migrate
	QUARTIER_VAR_DIR=/tmp/bench-var100 $(PY) bench/generate_county.py --offers 100000
	QUARTIER_VAR_DIR=/tmp/bench-var100 bench/search/run.sh | tee bench/search/results/latest.txt
	$(PY) bench/search/summarise.py bench/search/results/latest.txt

# The production profile on one machine (docs/operations.md "Scale-out"): Redis, two app
# servers behind nginx, the worker, PostgreSQL; installs redis-server and nginx if missing.
check-scaleout: $(VENV)/.installed-dev compilemessages
	$(PY) deploy/check_scaleout.py

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static .pytest_cache

# Screenshots of the start, search, offer, area, event, month and dashboard pages at 375 and
# 1280 px into var/screenshots, and the lab figures of the first view (LCP, CLS, bytes) of the
# start, search and offer pages (bench/frontend/pages.py; docs/performance.md). Each serves the
# demo itself with gunicorn, unless BASE names a running installation.
.PHONY: screenshots lab-vitals
screenshots: $(VENV)/.installed-dev compilemessages chromium
	$(PY) bench/frontend/pages.py screenshots $(if $(BASE),--base $(BASE))

lab-vitals: $(VENV)/.installed-dev compilemessages chromium
	$(PY) bench/frontend/pages.py vitals $(if $(BASE),--base $(BASE))
