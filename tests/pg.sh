#!/bin/sh
# A throw-away PostgreSQL 15 server for the tests (issue 13):
#   tests/pg.sh start DIR   initdb into DIR/data, listen on a unix socket in
#                           DIR only (no TCP), print the URI of a database
#                           template for the tests: postgresql:///qingshui?host=DIR
#   tests/pg.sh restart DIR stop it (fast: its connections are cut) and start it again
#   tests/pg.sh stop DIR    stop it (fast) and remove DIR
# Run as root, the server runs as the unprivileged user postgres (Debian's
# postgresql-15 package creates it; PostgreSQL refuses to run as root).
# The binaries are Debian's, in /usr/lib/postgresql/15/bin (scripts/deps.sh).
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?usage: tests/pg.sh start|restart|stop DIR}
dir=${2:?usage: tests/pg.sh start|restart|stop DIR}

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  [ -x "$PGBIN/initdb" ] || { echo "pg.sh: no $PGBIN/initdb: run scripts/deps.sh" >&2; exit 1; }
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_server "$PGBIN/initdb" -D "$dir/data" -U qingshui --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # fsync off: a test server loses nothing that matters if the machine dies.
  as_server "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses='' -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "postgresql:///postgres?host=$dir&user=qingshui"
  ;;
restart)
  as_server "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w restart >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  ;;
stop)
  as_server "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: tests/pg.sh start|restart|stop DIR" >&2; exit 2 ;;
esac
