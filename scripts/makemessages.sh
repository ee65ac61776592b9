#!/usr/bin/env bash
# Refresh every catalogue, then apply the Chinese kept in JSON maps beside it.
# Each app has <app>/locale/zh_Hans/LC_MESSAGES/django.po and JSON maps <app>/locale/zh_Hans.*.json
# ({"English msgid": "中文"}); core, config and templates/ use locale/ at the top. Prints what is left.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$(pwd)/.venv/bin/python"
APPS="campaign evaluation inspections volunteers publicity reports"
status=0
for app in $APPS; do
  mkdir -p "$app/locale"
  (cd "$app" && "$PY" ../manage.py makemessages -l zh_Hans --no-obsolete -v0)
done
ignores=(--ignore=.venv/* --ignore=node_modules/* --ignore=staticfiles/* --ignore=var/* --ignore=tests/* --ignore=benchmarks/*)
for app in $APPS; do ignores+=("--ignore=$app/*"); done
"$PY" manage.py makemessages -l zh_Hans --no-obsolete -v0 "${ignores[@]}"
for dir in locale $(for a in $APPS; do echo "$a/locale"; done); do
  po="$dir/zh_Hans/LC_MESSAGES/django.po"
  [ -f "$po" ] || continue
  for map in "$dir"/zh_Hans.*.json; do
    [ -f "$map" ] && "$PY" scripts/po.py fill "$po" "$map" >/dev/null || true
  done
  "$PY" scripts/po.py untranslated "$po" || status=1
done
exit $status
