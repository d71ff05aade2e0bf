#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a loopback port for the *.ci.test.ts tests and prints its
# URL (the only line on stdout). Trust authentication on 127.0.0.1 only, fsync off: test use only.
#   export MMSP_TEST_PG_URL=$(packages/store-postgres/scripts/start-test-db.sh)
# Stop it with: pg_ctl -D <dir>/data stop  (the dir is printed on stderr; as root: su postgres -c …)
# Usage: start-test-db.sh [port]   (default: a free port chosen by the kernel)
# initdb refuses to run as root: as root the cluster is created and run by the `postgres` user
# (Debian's postgresql package creates it).
set -euo pipefail
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL not found under /usr/lib/postgresql/*/bin (apt-get install -y postgresql)" >&2; exit 1; }
port=${1:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
dir=$(mktemp -d /tmp/mmsp-pg.XXXXXX)
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir" && chmod 700 "$dir"
run "'$PG_BIN/initdb' -D '$dir/data' -U mmsp -A trust --no-sync -E UTF8 >'$dir/initdb.log' 2>&1" \
  || { cat "$dir/initdb.log" >&2; exit 1; }
run "'$PG_BIN/pg_ctl' -D '$dir/data' -l '$dir/pg.log' -w -t 30 \
  -o \"-p $port -c listen_addresses=127.0.0.1 -k '$dir' -c fsync=off -c max_connections=200\" start >/dev/null" \
  || { cat "$dir/pg.log" >&2; exit 1; }
echo "postgres test server: dir $dir (stop: $PG_BIN/pg_ctl -D $dir/data stop)" >&2
echo "postgres://mmsp@127.0.0.1:$port/postgres"
