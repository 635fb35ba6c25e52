#!/usr/bin/env bash
# A throwaway cluster on loopback for benchmarks and trying things out: a PostgreSQL (Debian's
# binaries, initdb in a temporary directory), a Redis, and NODES jchat nodes on ports BASE,
# BASE+1, ... sharing them (--db postgresql://... --bus redis://...). Everything stops, by PID,
# when this script gets Ctrl-C or SIGTERM, and the directory is deleted. Node i serves its
# Prometheus metrics on 127.0.0.1:BASE+200+i.
#   benchmarks/scripts/cluster.sh [NODES] [BASE] [extra chat server options...]
#   e.g. benchmarks/scripts/cluster.sh 3 5301 --rate-limit 0
# Needs chat-cli/target/chat.jar (./mvnw -q -DskipTests package) and the postgresql and
# redis-server packages (./test installs both).
set -euo pipefail
nodes=${1:-3}
base=${2:-5301}
shift $(( $# > 2 ? 2 : $# ))
cd "$(dirname "$0")/../.."
jar=chat-cli/target/chat.jar
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/jchat-cluster-XXXX)
pids=()
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$dir"
  as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi
pgport=$((base + 100))
redisport=$((base + 101))

stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_pg[@]}" "$bin/initdb" -D "$dir/pg" -U chat --auth=trust -E UTF8 --no-locale >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
  -o "-p $pgport -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
"${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p $pgport -U chat chat
redis-server --port $redisport --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
  >"$dir/redis.log" 2>&1 &
pids+=($!)
db="postgresql://chat@127.0.0.1:$pgport/chat"
bus="redis://127.0.0.1:$redisport"
for i in $(seq 0 $((nodes - 1))); do
  port=$((base + i))
  java -XX:+UseParallelGC -jar "$jar" server $port --db "$db" --bus "$bus" \
    --metrics "127.0.0.1:$((base + 200 + i))" "$@" \
    >"$dir/node$i.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do grep -q "listening" "$dir/node$i.log" && break; sleep 0.2; done
  grep "listening" "$dir/node$i.log" || { cat "$dir/node$i.log"; exit 1; }
done
echo "cluster: $nodes nodes on ports $base..$((base + nodes - 1)), $db, $bus; Ctrl-C stops it"
wait "${pids[1]}"
