#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server (Debian's packages) for the tests that need a real one, on
# 127.0.0.1:${KRATIX_TEST_PG_PORT:-54329} with trust auth. Idempotent. The data lives under /tmp,
# not in the checkout: the postgres user may not be able to enter the checkout's folders.
# Prints the connection string on stdout.
set -euo pipefail

port="${KRATIX_TEST_PG_PORT:-54329}"
dir="${TMPDIR:-/tmp}/kratix-test-postgres-$port"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"

if [ -z "$bin" ]; then
  echo "postgres: no PostgreSQL server installed (apt-get install postgresql)" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: run it as the postgres user Debian's package creates.
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

if ! as_pg "$bin/pg_isready -q -h 127.0.0.1 -p $port" 2>/dev/null; then
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$bin/initdb -D '$dir/data' -A trust -U postgres" >/dev/null
  fi
  as_pg "$bin/pg_ctl -D '$dir/data' -l '$dir/server.log' -w \
    -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" start" >/dev/null
fi
echo "postgresql://postgres@127.0.0.1:$port"
