#!/usr/bin/env bash
# The reconnect storm (as compare.sh runs it: 10,000 members in rooms of 10 drop at once, each
# missed 3 messages) against a fresh server on Java 17, on Java 25, and on Java 25 with an
# ahead-of-time cache (JEP 483/514/515) that one storm trained, alternating, ROUNDS rounds. The
# load generator always runs on the default java. Prints "which round resumeSeconds joinP99Ms
# gaps duplicates stormSteadyP99Ms serverCpuTicks load" per run. Loopback only; every server is
# stopped by its PID.
#
#   benchmarks/scripts/storm-aot.sh JAVA25_HOME [ROUNDS]
#
# The cache is tied to the exact jar path and JDK build, so the jar is copied to a work directory
# first and the cache trained and used there. See docs/operations.md, "Faster warm-up on Java 25".
set -euo pipefail
java25="$1/bin/java"
rounds="${2:-3}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
port=5702
spid=""
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$work"' EXIT
cp "$here/chat-cli/target/chat.jar" "$work/chat.jar"

storm() { # which java opts...
  local which="$1" java="$2"; shift 2
  rm -f "$work/s.db"*
  "$java" "$@" -XX:+UseParallelGC -Xms32m -Xmn16m -jar "$work/chat.jar" server "$port" \
    --host 127.0.0.1 --db "$work/s.db" --rate-limit 0 --read-limit 0 --metrics off \
    > "$work/server-$which.log" 2>&1 &
  spid=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/api/health" > /dev/null 2>&1 && break
    sleep 0.1
  done
  local json
  json=$(java -jar "$work/chat.jar" bench storm --url "ws://127.0.0.1:$port/ws" --clients 10000 \
    --room-size 10 --missed 3 --rate 2 --source-addresses 4 2>/dev/null | tail -1 || true)
  local ticks
  ticks=$(awk '{print $14 + $15}' "/proc/$spid/stat")
  kill -TERM "$spid"
  wait "$spid" 2>/dev/null || true # a clean exit: the training run writes its cache now
  spid=""
  echo "$which $round $(echo "$json" | grep -oE '"(resumeSeconds|joinP99Ms|gaps|duplicates|stormSteadyP99Ms)":[0-9.]+' | tr '\n' ' ')serverCpuTicks $ticks load $(cut -d' ' -f1-3 /proc/loadavg)"
}

round=0
storm train-25 "$java25" -XX:AOTCacheOutput="$work/chat.aot"
[ -f "$work/chat.aot" ] || { echo "no AOT cache was written" >&2; exit 1; }
for round in $(seq 1 "$rounds"); do
  storm java-17 java
  storm java-25 "$java25"
  storm java-25-aot "$java25" -XX:AOTCache="$work/chat.aot"
done
