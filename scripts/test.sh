#!/usr/bin/env bash
# Run the whole suite. PostgreSQL and Redis are used when reachable (DATABASE_URL / REDIS_URL, or the
# defaults on 127.0.0.1); under CI=true they are required and a missing one is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# The Makefile exports the app's settings for `make run`; pytest-django would prefer that variable to the
# ini file's test settings, so name the test settings here.
export DJANGO_SETTINGS_MODULE=config.settings.test

if [ -z "${DATABASE_URL:-}" ] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/cwt"
fi
if [ -z "${REDIS_URL:-}" ] && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  export REDIS_URL="redis://127.0.0.1:6379/14"
fi
if [ "${CI:-}" = "true" ]; then
  case "${DATABASE_URL:-}" in postgres*) ;; *) echo "CI needs PostgreSQL (DATABASE_URL)"; exit 1;; esac
  [ -n "${REDIS_URL:-}" ] || { echo "CI needs Redis (REDIS_URL)"; exit 1; }
fi
# Lint and format first: a few seconds, and a failure here needs no database to explain.
.venv/bin/ruff check . || { echo "ruff check failed (ruff check --fix . fixes the simple ones)"; exit 1; }
.venv/bin/ruff format --check . || { echo "Not formatted: run .venv/bin/ruff format ."; exit 1; }
echo "Database: ${DATABASE_URL:-sqlite (embedded)}  Redis: ${REDIS_URL:-none}"
$PY manage.py makemigrations --check --dry-run >/dev/null || { echo "Models changed without a migration"; exit 1; }
mkdir -p test-artifacts
# In parallel (pytest-xdist): one process per core, at most 4 (TEST_WORKERS=n to choose, 0 for one process). Each has
# its own test database and Redis keys (config/settings/test.py); CONTRIBUTING.md says what a test must do to be safe.
WORKERS=${TEST_WORKERS:-$(nproc 2>/dev/null || echo 2)}
[ "$WORKERS" -le 4 ] || WORKERS=4
PARALLEL=()
[ "$WORKERS" -le 1 ] || PARALLEL=(-n "$WORKERS" --dist loadgroup)
exec $PY -m pytest "${PARALLEL[@]}" "$@"
