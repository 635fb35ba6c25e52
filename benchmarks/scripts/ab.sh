#!/usr/bin/env bash
# Two builds of the server side by side, alternating, with the same load generator: the small-rooms
# scenario (2,000 clients in 1,000 rooms of 2, 4 unacknowledged sends per sender), ROUNDS rounds.
# Prints "round which deliveredPerSec p99Ms errors failures load L1 L5 L15" per run. Loopback only.
#   benchmarks/scripts/ab.sh OLD.jar NEW.jar [ROUNDS]
# where each jar is a chat-cli/target/chat.jar (for example built from another checkout).
set -u
old=$1
new=$2
rounds=${3:-3}
port=5291
for round in $(seq 1 "$rounds"); do
  for which in old new; do
    jar=$old
    [ "$which" = new ] && jar=$new
    dir=$(mktemp -d /tmp/ab-XXXX)
    java -XX:+UseParallelGC -Xms32m -Xmn16m -jar "$jar" server $port --db "$dir/chat.db" \
      --rate-limit 0 --metrics off >"$dir/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do grep -q "listening" "$dir/server.log" && break; sleep 0.2; done
    line=$(timeout 120 java -jar "$new" bench --url "ws://127.0.0.1:$port/ws" --clients 2000 \
      --rooms 1000 --senders-per-room 2 --window 4 --duration 10s 2>/dev/null | tail -1)
    kill "$pid"
    wait "$pid" 2>/dev/null
    echo "$round $which $(echo "$line" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(d["deliveredPerSec"], d["p99Ms"], d["errors"], d["failures"])') load $(cut -d' ' -f1-3 /proc/loadavg)"
    rm -rf "$dir"
  done
done
