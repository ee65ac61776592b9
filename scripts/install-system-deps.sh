#!/usr/bin/env bash
# Debian packages the app needs: a CJK font (or PDFs show boxes), poppler-utils (tests read PDFs),
# gettext (catalogues), Pango (WeasyPrint), Chromium (browser tests), docker-compose (validates the
# production compose file; no engine needed). Installed only when missing.
set -euo pipefail
missing=()
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v msgfmt >/dev/null || missing+=(gettext)
command -v chromium >/dev/null || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -qi 'wenquanyi\|noto.*cjk' || missing+=(fonts-wqy-microhei fontconfig)
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
command -v pg_isready >/dev/null || missing+=(postgresql-client)
command -v redis-cli >/dev/null || missing+=(redis-tools)
command -v docker-compose >/dev/null || missing+=(docker-compose)  # `docker-compose config` validates the production file
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
