# Kaohe: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Kaohe needs Python 3.12 or newer; use the first one found (pyenv's copies included).
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d /root/.pyenv/versions/3.1[2-9]*/bin/python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p; break; }; done)

.PHONY: install test test-fast bench demo examples clean check-python

check-python:
	@test -n "$(PYTHON)" || { echo "Kaohe needs Python 3.12 or newer (python3.12 / python3.13 not found)." >&2; exit 1; }

$(BIN)/kaohe: pyproject.toml | check-python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(BIN)/kaohe

install: $(BIN)/kaohe

test: install
	SECRET_KEY=kaohe-test-only $(BIN)/python -m pytest -n 2 -q

test-fast: install
	$(BIN)/python -m pytest -q -x -m "not slow"

bench: install
	$(BIN)/python bench/run.py

examples: install
	$(BIN)/python examples/build.py

demo: install
	@echo "== The Suining-style city example, computed by the engine =="
	$(BIN)/kaohe compute examples/suining_city.xlsx --format csv | head -40
	@echo
	@echo "== One unit's report card =="
	$(BIN)/kaohe explain examples/suining_city.xlsx --unit $$($(BIN)/python -c "import json;print(json.load(open('examples/suining_city.json'))['units'][0]['id'])")

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
