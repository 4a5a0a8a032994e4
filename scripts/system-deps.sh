#!/usr/bin/env bash
# Debian packages the test suite needs, installed only when missing:
#   chromium    the browser the Playwright tests drive (never a downloaded one)
#   postgresql  a real database server for the history store's PostgreSQL tests
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: please install: ${missing[*]} (Debian packages)" >&2
  exit 1
fi
echo "system-deps: apt-get install ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
