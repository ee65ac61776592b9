#!/usr/bin/env bash
# Each app keeps its own catalogue in <app>/locale; core, config and templates/ use locale/ at the top.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$(pwd)/.venv/bin/python"
APPS="campaign inspections volunteers publicity reports"
for app in $APPS; do
  mkdir -p "$app/locale"
  (cd "$app" && "$PY" ../manage.py makemessages -l zh_Hans --no-obsolete -v0)
done
ignores=(--ignore=.venv/* --ignore=node_modules/* --ignore=staticfiles/* --ignore=var/* --ignore=tests/* --ignore=benchmarks/*)
for app in $APPS; do ignores+=("--ignore=$app/*"); done
"$PY" manage.py makemessages -l zh_Hans --no-obsolete -v0 "${ignores[@]}"
