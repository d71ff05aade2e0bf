#!/usr/bin/env bash
# Starts a throwaway redis-server on a loopback port for the *.ci.test.ts tests and prints its URL
# (the only line on stdout). No persistence; the data directory is a fresh temp dir.
#   export MMSP_TEST_REDIS_URL=$(packages/store-redis/scripts/start-test-redis.sh)
# Stop it with: kill "$(cat "$MMSP_TEST_REDIS_DIR/redis.pid")"  (the dir is printed on stderr)
# Usage: start-test-redis.sh [port]   (default: a free port chosen by the kernel)
set -euo pipefail
REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}
[ -x "$REDIS_SERVER" ] || { echo "redis-server not found (apt-get install -y redis-server)" >&2; exit 1; }
port=${1:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
dir=$(mktemp -d /tmp/mmsp-redis.XXXXXX)
"$REDIS_SERVER" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
for _ in $(seq 1 100); do
  if redis-cli -p "$port" ping >/dev/null 2>&1 || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "redis test server: dir $dir (pid file $dir/redis.pid)" >&2
    echo "redis://127.0.0.1:$port"
    exit 0
  fi
  sleep 0.1
done
echo "redis-server did not start on port $port; log:" >&2; cat "$dir/redis.log" >&2; exit 1
