# 创文通: `make run` serves the demo city with a worker and beat; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.base

# Dependencies are pinned, with hashes, in requirements/lock.txt (the app and its test tools) and
# requirements/production.txt (the app only; the Docker image). Both are compiled from pyproject.toml by
# pip-tools; `make lock` recompiles them with the newest versions pyproject.toml allows.
LOCK := requirements/lock.txt
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links

.PHONY: run test setup system-deps messages check-messages clean lock

system-deps:
	@bash scripts/install-system-deps.sh

# Installs exactly the lock (pip included); the project itself ships no package (pyproject.toml: packages = []),
# so there is nothing more to install.
$(VENV)/.installed: $(LOCK)
	@test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --require-hashes -r $(LOCK)
	@touch $@

# Upgrade the dependencies: recompile both locks, then `make test` installs and tests them. Commit the locks.
lock: $(VENV)/.installed
	$(PIP_COMPILE) --extra test -o $(LOCK) pyproject.toml
	$(PIP_COMPILE) -o requirements/production.txt pyproject.toml

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
