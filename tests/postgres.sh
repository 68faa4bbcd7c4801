#!/usr/bin/env bash
# Starts (or finds running) a private PostgreSQL for the tests and benchmarks, on loopback only,
# and prints its URL. Debian's package, installed with apt-get when missing. The cluster lives in
# $PGDATA_DIR (a directory under /tmp by default: the server runs as `postgres` when this runs as
# root, and that user must reach it), listens on 127.0.0.1:$PGPORT and trusts local connections:
# it holds only test databases.
#
#   tests/postgres.sh start   # prints postgres://postgres@127.0.0.1:54329/postgres
#   tests/postgres.sh stop
set -euo pipefail

PGPORT=${PGPORT:-54329}
PGDATA_DIR=${PGDATA_DIR:-/tmp/rostrum-postgres-$(id -u)}
URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"

bindir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Runs a PostgreSQL program as the user that owns the cluster: `postgres` when we are root
# (PostgreSQL refuses to run as root), ourselves otherwise.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    if [ -z "$(bindir)" ]; then
        echo "installing PostgreSQL (Debian's package)" >&2
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo=sudo
        $sudo apt-get update -qq
        # The package's own cluster is not started: this script runs one of its own.
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
    fi
    local bin
    bin=$(bindir)
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        mkdir -p "$PGDATA_DIR"
        [ "$(id -u)" = 0 ] && chown postgres: "$PGDATA_DIR"
        chmod 700 "$PGDATA_DIR"
        as_owner "$bin/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_owner "$bin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        # Enough connections for the tests running side by side (each store holds three or four).
        as_owner "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 \
            -o "-h 127.0.0.1 -p $PGPORT -k $PGDATA_DIR -c max_connections=400 -c shared_buffers=128MB" start >/dev/null
    fi
    echo "$URL"
}

stop() {
    local bin
    bin=$(bindir)
    [ -n "$bin" ] && [ -f "$PGDATA_DIR/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null || true
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
