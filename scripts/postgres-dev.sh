#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1, for the test suites and benchmarks against a real build database.
#
#   scripts/postgres-dev.sh start   install PostgreSQL from Debian packages if missing, start a fresh cluster owned by
#                                   the postgres user (PostgreSQL refuses to run as root), create user and database
#                                   osiris; prints the environment the tests read (also written to $PG_DIR/env)
#   scripts/postgres-dev.sh stop    stop the server and delete the cluster
#
# Settings (environment): PG_DIR (default /tmp/osiris-postgres), PG_PORT (default 55432).
set -euo pipefail

PG_DIR=${PG_DIR:-/tmp/osiris-postgres}
PG_PORT=${PG_PORT:-55432}
DATA=$PG_DIR/data

bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

install_postgres() {
  if [ -n "$(bin_dir)" ]; then
    return
  fi
  echo "Installing PostgreSQL from Debian packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # the package's own cluster is not used: ours lives in $PG_DIR, on our port
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  install_postgres
  stop_quietly
  local bin
  bin=$(bin_dir)
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PG_DIR"
  fi
  # C collation: names sort by code point, as the embedded database sorts them
  as_postgres "$bin/initdb" -D "$DATA" -U postgres --auth=trust --locale=C --encoding=UTF8 >/dev/null
  cat >> "$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 300
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  as_postgres "$bin/pg_ctl" -D "$DATA" -l "$PG_DIR/postgres.log" -w -t 60 start >/dev/null
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE USER osiris PASSWORD 'osiris'" -c "CREATE DATABASE osiris OWNER osiris" >/dev/null
  cat > "$PG_DIR/env" <<ENV
export OSIRIS_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/osiris
export OSIRIS_TEST_POSTGRES_USER=osiris
export OSIRIS_TEST_POSTGRES_PASSWORD=osiris
ENV
  cat "$PG_DIR/env"
}

stop_quietly() {
  local bin
  bin=$(bin_dir)
  if [ -n "$bin" ] && [ -f "$DATA/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
