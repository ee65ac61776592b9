# 创文通: `make run` serves the demo city with a worker and beat; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.base

.PHONY: run test setup system-deps messages check-messages clean

system-deps:
	@bash scripts/install-system-deps.sh

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q ".[test]"
	@touch $@

setup: system-deps $(VENV)/.installed
	@mkdir -p var
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
	$(PY) manage.py collectstatic --noinput -v0

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runall --port $(PORT)

test: setup
	@bash scripts/test.sh

# Refresh the translation catalogues (core and templates/ at the top, each app in its own locale/).
messages: setup
	@bash scripts/makemessages.sh

clean:
	rm -rf var staticfiles test-artifacts
