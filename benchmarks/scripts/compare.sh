#!/usr/bin/env bash
# Side-by-side load runs of jchat and the peer servers with `chat bench`, alternating servers
# within each round, so that every server sees the same machine state in turn.
#
#   benchmarks/scripts/compare.sh PEERS_DIR ROUNDS OUT_FILE [SCENARIO...]
#
# PEERS_DIR holds the built peers (a copy of shared/peers: node-ws with node_modules, netty with
# target/netty-chat-peer.jar, c-epoll with ws-epoll). Scenarios: fan30 fan60 fan100 fan150 small idle
# storm history. Each run appends one JSON line (the bench report plus "server" and "scenario") to
# OUT_FILE; idle runs add the server's resident memory before and while holding 10,000 sockets.
# storm: 10,000 members drop at once and resume with join since (`chat bench storm`); history:
# pages per second from a room of a million messages (`chat bench history`, jchat only: the peers
# keep no history; the room is filled on the first history run of each round, so the database
# file lives for the whole script).
# Servers (SERVERS, default "jchat netty node-ws c-epoll"): jchat on SQLite, jchat-pg (the same
# server on PostgreSQL: the script runs initdb in its temporary directory once, with PostgreSQL's
# defaults, so fsync on, gives each run a fresh database and history one database for the whole
# script, and stops it at the end; needs Debian's postgresql), and the peers.
# Loopback only; every process it starts is stopped by PID.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
peers="$1"; rounds="$2"; out="$3"; shift 3
scenarios=("${@:-fan30 fan60 small idle}")
[ $# -gt 0 ] && scenarios=("$@")
jar="$here/chat-cli/target/chat.jar"
work="$(mktemp -d)"
port=5600
pg_bin=""; pg_port=5599; as_pg=()

stop_postgres() {
  [ -n "$pg_bin" ] && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop > /dev/null 2>&1 || true
}
trap 'stop_postgres; rm -rf "$work"' EXIT

start_postgres() { # once, on first use by a jchat-pg run
  [ -n "$pg_bin" ] && return 0
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$work"
    as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U chat --auth=trust -E UTF8 --no-locale > /dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
    -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c max_connections=100" start > /dev/null
}

start_jchat() { # port db-path-or-url
  "$here/chat" server "$1" --host 127.0.0.1 --db "$2" --rate-limit 0 --read-limit 0 --metrics off \
    > "$work/server.log" 2>&1 &
  SPID=$!; LOGIN=""
}

start_server() { # name -> sets SPID and URL, LOGIN
  port=$((port + 1))
  case "$1" in
    jchat)
      db="$work/jchat-$port.db"
      [ "${2:-}" = history ] && db="$work/jchat-history.db"
      start_jchat "$port" "$db" ;;
    jchat-pg)
      start_postgres
      dbname="jchat_$port"
      [ "${2:-}" = history ] && dbname="jchat_history"
      "${as_pg[@]}" "$pg_bin/psql" -h 127.0.0.1 -p $pg_port -U chat -d postgres -qtAc \
        "SELECT 1 FROM pg_database WHERE datname = '$dbname'" | grep -q 1 \
        || "${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p $pg_port -U chat "$dbname"
      start_jchat "$port" "postgresql://chat@127.0.0.1:$pg_port/$dbname" ;;
    node-ws)
      (cd "$peers/node-ws" && exec node server.js "$port") > "$work/server.log" 2>&1 &
      SPID=$!; LOGIN="--no-login" ;;
    netty)
      java -jar "$peers/netty/target/netty-chat-peer.jar" "$port" > "$work/server.log" 2>&1 &
      SPID=$!; LOGIN="--no-login" ;;
    c-epoll)
      "$peers/c-epoll/ws-epoll" "$port" > "$work/server.log" 2>&1 &
      SPID=$!; LOGIN="--no-login" ;;
  esac
  URL="ws://127.0.0.1:$port/ws"
  for _ in $(seq 1 600); do # up to a minute: a loaded machine starts a JVM slowly
    # alive too: another process may hold the port and answer for a server that failed to bind
    curl -fs "http://127.0.0.1:$port/api/health" > /dev/null 2>&1 && kill -0 "$SPID" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server $1 did not come up" >&2; return 1
}

stop_server() {
  kill "$SPID" 2>/dev/null || true
  wait "$SPID" 2>/dev/null || true
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# the java child of the ./chat launcher (exec keeps the PID, but be safe)
server_pid() { echo "$SPID"; }

bench() { java -jar "$jar" bench --url "$URL" $LOGIN "$@" 2>/dev/null | tail -1; }

run() { # server scenario
  local name="$1" scenario="$2" json extra=""
  if [ "$scenario" = history ] && [ "$name" != jchat ] && [ "$name" != jchat-pg ]; then return 0; fi
  start_server "$name" "$scenario"
  case "$scenario" in
    fan30)  json=$(bench --clients 1000 --rooms 10 --senders-per-room 1 --rate 30 --warmup 3s --duration 10s) ;;
    fan60)  json=$(bench --clients 1000 --rooms 10 --senders-per-room 1 --rate 60 --warmup 3s --duration 10s) ;;
    fan100) json=$(bench --clients 1000 --rooms 10 --senders-per-room 1 --rate 100 --warmup 3s --duration 10s) ;;
    fan150) json=$(bench --clients 1000 --rooms 10 --senders-per-room 1 --rate 150 --warmup 3s --duration 10s) ;;
    small)  json=$(bench --clients 2000 --rooms 1000 --senders-per-room 2 --window 4 --warmup 3s --duration 10s) ;;
    storm)
      json=$(java -jar "$jar" bench storm --url "$URL" $LOGIN --clients 10000 --room-size 10 --missed 3 \
        --rate 2 --source-addresses 4 2>/dev/null | tail -1 || true) ;;
    history)
      json=$(java -jar "$jar" bench history --url "$URL" --messages 1000000 --readers 8 --duration 10s \
        --server-pid "$(server_pid)" 2>/dev/null | tail -1 || true) ;;
    idle)
      bench --clients 200 --rooms 10 --senders-per-room 0 --warmup 0s --duration 1s > /dev/null
      local before; before=$(rss_kb "$(server_pid)")
      java -jar "$jar" bench --url "$URL" $LOGIN --clients 10000 --rooms 10 --senders-per-room 0 \
        --warmup 0s --duration 12s > "$work/idle.out" 2>&1 &
      local bp=$!
      for _ in $(seq 1 120); do grep -q "holding" "$work/idle.out" && break; sleep 0.5; done
      sleep 5
      local during; during=$(rss_kb "$(server_pid)")
      wait "$bp" || true
      json=$(tail -1 "$work/idle.out")
      extra=",\"rssBeforeKb\":$before,\"rssAt10kKb\":$during,\"bytesPerConnection\":$(( (during - before) * 1024 / 10000 ))" ;;
  esac
  stop_server
  extra="$extra,\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"at\":\"$(date -u +%FT%TZ)\""
  echo "${json%\}},\"server\":\"$name\",\"scenario\":\"$scenario\"$extra}" >> "$out"
  echo "$name $scenario: $(echo "$json" | grep -oE '"(deliveredPerSec|p50Ms|p99Ms|resumeSeconds|joinP99Ms|gaps|duplicates|stormSteadyP99Ms|[a-zA-Z]+PagesPerSec)":[0-9.]+' | tr '\n' ' ') $extra" >&2
}

for r in $(seq 1 "$rounds"); do
  for scenario in "${scenarios[@]}"; do
    # rotate the order each round so no server always runs first
    servers=(${SERVERS:-jchat netty node-ws c-epoll})
    n=${#servers[@]}; k=$(( (r - 1) % n ))
    for i in $(seq 0 $((n - 1))); do run "${servers[$(( (i + k) % n ))]}" "$scenario"; done
  done
done
