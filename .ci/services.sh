#!/usr/bin/env bash
# Redis and PostgreSQL on loopback for the scale-out tests (Debian packages).
#
#   eval "$(.ci/services.sh start)"   starts both (idempotent) and prints the exports:
#                                     TEST_REDIS_URL, TEST_DATABASE_URL
#   .ci/services.sh stop              stops what `start` started
#
# Everything lives under $STRATBOARD_SERVICES_DIR (default /tmp/stratboard-services):
# Redis with an fsync-always append-only file, PostgreSQL initialised there with trust
# auth for loopback only. Ports: $STRATBOARD_REDIS_PORT (56379), $STRATBOARD_PG_PORT (55432).
# As root, PostgreSQL runs as the `postgres` user (initdb refuses root).
set -euo pipefail

dir="${STRATBOARD_SERVICES_DIR:-/tmp/stratboard-services}"
redis_port="${STRATBOARD_REDIS_PORT:-56379}"
pg_port="${STRATBOARD_PG_PORT:-55432}"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"

log() { echo "$*" >&2; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_redis() {
  mkdir -p "$dir/redis"
  if redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1; then return; fi
  redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes \
    --dir "$dir/redis" --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" \
    --appendonly yes --appendfsync always --save '' >&2
  for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && return
    sleep 0.1
  done
  log "redis-server did not start; see $dir/redis/redis.log"
  exit 1
}

start_postgres() {
  if [ -z "$pg_bin" ]; then log "PostgreSQL binaries not found under /usr/lib/postgresql"; exit 1; fi
  local data="$dir/pg/data"
  mkdir -p "$dir/pg"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir/pg"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    as_pg "$pg_bin/initdb" -D "$data" -A trust -U stratboard -E UTF8 --no-instructions >/dev/null
  fi
  if ! as_pg "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$pg_bin/pg_ctl" -D "$data" -l "$dir/pg/postgres.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir/pg -c fsync=on" start >/dev/null
  fi
  if ! "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U stratboard -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'stratboard_test'" | grep -q 1; then
    "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U stratboard stratboard_test
  fi
}

case "${1:-start}" in
  start)
    start_redis
    start_postgres
    echo "export TEST_REDIS_URL=redis://127.0.0.1:$redis_port"
    echo "export TEST_DATABASE_URL=postgres://stratboard@127.0.0.1:$pg_port/stratboard_test"
    ;;
  stop)
    redis-cli -h 127.0.0.1 -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    if [ -n "$pg_bin" ] && [ -f "$dir/pg/data/PG_VERSION" ]; then
      as_pg "$pg_bin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    log "usage: $0 start|stop"
    exit 2
    ;;
esac
