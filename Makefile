# Kaohe: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Kaohe needs Python 3.12 or newer; use the first one found (pyenv's copies included).
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d /root/.pyenv/versions/3.1[2-9]*/bin/python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p; break; }; done)

# System packages: Chromium (browser tests), CJK fonts (screenshots, printed pages), gettext (msgfmt),
# Pango and HarfBuzz (WeasyPrint lays out the PDF report cards and tables with them).
APT_PACKAGES := chromium fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# Only the settings read at build time need a key; the real one is the server's business.
BUILD_ENV := SECRET_KEY=kaohe-build-only DJANGO_SETTINGS_MODULE=kaohe.web.settings
STAMPS := var/stamps
STATIC_SOURCES := $(shell find kaohe -path '*/static/*' -type f 2>/dev/null)
PO_FILES := $(wildcard kaohe/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

# Tests that never touch the database (engine, workbook, command line, benchmark, examples)
# run once, on SQLite; everything else runs again on PostgreSQL when one is reachable.
NO_DB_TESTS := tests/engine tests/workbook tests/cli tests/bench tests/examples
PG_ADMIN_URL := postgres://postgres@127.0.0.1:5432/postgres
PYTEST := $(BIN)/python -m pytest -n 2 --dist worksteal -q
define DROP_DATABASES
import sys, psycopg
with psycopg.connect("$(PG_ADMIN_URL)", autocommit=True) as c:
    for name in sys.argv[1:]:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
endef
export DROP_DATABASES

.PHONY: install test test-fast bench demo examples screenshots clean check-python system-packages

check-python:
	@test -n "$(PYTHON)" || { echo "Kaohe needs Python 3.12 or newer (python3.12 / python3.13 not found)." >&2; exit 1; }

$(BIN)/kaohe: pyproject.toml | check-python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(BIN)/kaohe

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	  echo "NOTE: system packages missing:$$missing. Install them as root (apt-get install$$missing);"; \
	  echo "      without chromium the browser tests are skipped, without gettext the English translation is not built."; \
	  exit 0; fi; \
	echo "Installing system packages:$$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

# Front-end libraries from the npm registry (bootstrap, htmx, echarts), served by Django; never a CDN.
node_modules/.kaohe-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# English translation: .po is committed, .mo is built here.
%.mo: %.po | $(BIN)/kaohe system-packages
	@if command -v msgfmt >/dev/null; then \
	  $(BUILD_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=var -v 0; \
	else echo "NOTE: msgfmt (gettext) missing: the English translation is not compiled."; fi

$(STAMPS)/collectstatic: node_modules/.kaohe-stamp $(STATIC_SOURCES) | $(BIN)/kaohe
	@mkdir -p $(STAMPS)
	$(BUILD_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	@touch $@

install: $(BIN)/kaohe system-packages node_modules/.kaohe-stamp $(MO_FILES) $(STAMPS)/collectstatic

# The whole suite on SQLite, then the database tests again on PostgreSQL if one answers on
# 127.0.0.1:5432 as user postgres (a fresh, randomly named database, dropped afterwards). The browser
# tests walk the pages, not the database layer: they run once, on PostgreSQL (production's database)
# when it answers, else on SQLite.
test: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_ADMIN_URL)', connect_timeout=3).close()" 2>/dev/null; \
	then pg=1; browser="--ignore=tests/browser"; where="browser tests on PostgreSQL"; else pg=0; browser=""; where="browser tests included"; fi; \
	echo "== make test, run 1 of 2: SQLite (embedded; pytest-django's in-memory test database), all tests ($$where) =="; \
	env -u DATABASE_URL SECRET_KEY=kaohe-test-only $(PYTEST) $$browser || exit 1; \
	if [ $$pg = 0 ]; then echo "== make test, run 2 of 2: PostgreSQL not reachable on 127.0.0.1:5432 as user postgres: skipped =="; exit 0; fi; \
	name=kaohe_ci_$$($(BIN)/python -c "import secrets; print(secrets.token_hex(4))"); \
	drop() { $(BIN)/python -c "$$DROP_DATABASES" $$name test_$$name test_$${name}_gw0 test_$${name}_gw1; }; \
	drop; trap drop EXIT; \
	echo "== make test, run 2 of 2: PostgreSQL at 127.0.0.1:5432 (database test_$$name), tests that use the database =="; \
	SECRET_KEY=kaohe-test-only DATABASE_URL=postgres://postgres@127.0.0.1:5432/$$name \
	  $(PYTEST) --create-db -p no:cacheprovider $(addprefix --ignore=,$(NO_DB_TESTS))
	@echo "== make test: SQLite and PostgreSQL runs passed =="

test-fast: install
	SECRET_KEY=kaohe-test-only $(BIN)/python -m pytest -q -x -m "not slow"

# The pictures in docs/screenshots/, taken by the browser tests on the demo city.
screenshots: install
	KAOHE_SCREENSHOTS=1 SECRET_KEY=kaohe-test-only $(BIN)/python -m pytest -q -p no:xdist tests/browser

# The engine first (it rewrites docs/benchmarks.md), then the survey benchmarks (each replaces its own section):
# the answering page under load and the import of 15 million answers, both on the local PostgreSQL.
bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/survey_load.py --seconds 20
	DATABASE_URL=$(PG_ADMIN_URL) $(BIN)/python bench/survey_import.py

examples: install
	$(BIN)/python examples/build.py

# The web platform on the Suining-style example city, in the embedded SQLite database
# (var/kaohe.sqlite3), served by gunicorn on http://127.0.0.1:8000 until Ctrl-C.
demo: install
	@test -s var/secret_key || { umask 077; $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key; }
	@export SECRET_KEY="$$(cat var/secret_key)" DEBUG=False ALLOWED_HOSTS=127.0.0.1,localhost; \
	unset DATABASE_URL; \
	$(BIN)/python manage.py migrate --noinput -v 0 && \
	$(BIN)/python manage.py load_demo && \
	echo "Kaohe is at http://127.0.0.1:8000/ (Ctrl-C stops it). Demo passwords only: change them before real use." && \
	exec $(BIN)/gunicorn kaohe.web.wsgi --bind 127.0.0.1:8000 --workers 2 --access-logfile -

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis node_modules $(STAMPS) var/static $(MO_FILES)
