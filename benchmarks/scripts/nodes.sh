#!/usr/bin/env bash
# The cost of the bus: the same load with each room's members dealt over 1, 2 and 3 nodes of one
# cluster (PostgreSQL + Redis + nodes, all on this machine; see cluster.sh), ROUNDS rounds.
# Prints "round nodes deliveredPerSec p50Ms p99Ms errors failures load" per run; raw JSON lines go
# to benchmarks/results/nodes-DATE.jsonl. Loopback only.
#   benchmarks/scripts/nodes.sh [ROUNDS] [chat bench options...]
# Default load: 1,000 clients in 10 rooms of 100, one sender per room at 30/s (30,000 deliveries/s), 5 s warm-up, 10 s measured.
set -u
cd "$(dirname "$0")/../.."
rounds=${1:-3}
shift $(( $# > 0 ? 1 : 0 ))
load=("$@")
[ ${#load[@]} -gt 0 ] || load=(--clients 1000 --rooms 10 --senders-per-room 1 --rate 30 --warmup 5s --duration 10s)
jar=chat-cli/target/chat.jar
out=benchmarks/results/nodes-$(date -u +%Y-%m-%d).jsonl
base=5311
for round in $(seq 1 "$rounds"); do
  for n in 1 2 3; do
    log=$(mktemp /tmp/nodes-XXXX.log)
    benchmarks/scripts/cluster.sh 3 $base --rate-limit 0 >"$log" 2>&1 &
    cluster=$!
    for _ in $(seq 1 300); do grep -q "Ctrl-C" "$log" && break; sleep 0.2; done
    spread=()
    [ "$n" -ge 2 ] && spread=(--spread "ws://127.0.0.1:$((base + 1))/ws")
    [ "$n" -ge 3 ] && spread=(--spread "ws://127.0.0.1:$((base + 1))/ws,ws://127.0.0.1:$((base + 2))/ws")
    line=$(timeout 180 java -jar "$jar" bench --url "ws://127.0.0.1:$base/ws" "${spread[@]}" \
      "${load[@]}" 2>/dev/null | tail -1)
    kill -TERM "$cluster"
    wait "$cluster" 2>/dev/null
    rm -f "$log"
    echo "{\"round\":$round,\"nodes\":$n,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":$line}" >>"$out"
    echo "$round $n $(echo "$line" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(d["deliveredPerSec"], d["p50Ms"], d["p99Ms"], d["errors"], d["failures"])') $(cut -d' ' -f1 /proc/loadavg)"
  done
done
