#!/usr/bin/env bash
# Where the CPU goes in the small-rooms scenario: starts a jchat server from JAR on a fresh SQLite
# file, runs `chat bench --clients 2000 --rooms 1000 --senders-per-room 2 --window 4`, and over a
# window of the measured time prints, per server thread, the share of a core it ran and the share
# it waited in the run queue (/proc/PID/task/*/stat and schedstat), the message log writer's CPU
# time per message sent, the load generator's CPU and the whole machine's user/system/idle split.
# The writer's microseconds per message change far less from run to run than deliveries/s do, so
# they show what a change to the send path costs even when throughput is lost in the noise.
#
#   benchmarks/scripts/threads.sh JAR [PORT] [extra chat server options...]
#   SKIP (default 6) seconds after the bench starts, the window (6 s) begins; DURATION (default
#   10s) is the bench's measured time (make it at least SKIP + 7 s); JAVA_OPTS replaces the
#   launcher's JVM options; BENCH_OPTS adds options to the bench (--refs, say).
# Loopback only; the server is stopped by its PID.
set -euo pipefail
jar="$1"; port="${2:-5650}"; shift $(( $# > 2 ? 2 : $# ))
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
skip="${SKIP:-6}"
java ${JAVA_OPTS:--XX:+UseParallelGC -Xms32m -Xmn16m} -jar "$jar" server "$port" --host 127.0.0.1 \
  --db "$work/chat.db" --rate-limit 0 --read-limit 0 --metrics off "$@" > "$work/server.log" 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null || true; wait $spid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port/api/health" > /dev/null 2>&1 && break
  sleep 0.1
done
java -jar "$here/chat-cli/target/chat.jar" bench --url "ws://127.0.0.1:$port/ws" --clients 2000 \
  --rooms 1000 --senders-per-room 2 --window 4 --warmup 3s --duration "${DURATION:-10s}" ${BENCH_OPTS:-} \
  > "$work/bench.out" 2>&1 &
bpid=$!

threads() { # pid -> "name cpu_ticks runq_ns" per thread
  for t in /proc/"$1"/task/*; do
    echo "$(tr ' ' _ < "$t/comm") $(awk '{print $14 + $15}' "$t/stat") $(awk '{print $2}' "$t/schedstat")"
  done
}
sleep "$skip"
head -1 /proc/stat > "$work/cpu1"; threads $spid > "$work/t1"; awk '{print $14 + $15}' /proc/$bpid/stat > "$work/b1"
t1=$(date +%s.%N); sleep 6; t2=$(date +%s.%N)
head -1 /proc/stat > "$work/cpu2"; threads $spid > "$work/t2"; awk '{print $14 + $15}' /proc/$bpid/stat > "$work/b2"
wait $bpid
tail -1 "$work/bench.out" > "$work/report.json"
python3 - "$work" "$t1" "$t2" <<'PY'
import collections, json, os, sys
work, t1, t2 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
dt, hz = t2 - t1, os.sysconf('SC_CLK_TCK')
report = json.load(open(f'{work}/report.json'))
def threads(name):
    cpu, wait = collections.Counter(), collections.Counter()
    for line in open(f'{work}/{name}'):
        n, c, w = line.split()
        cpu[n] += int(c); wait[n] += int(w)
    return cpu, wait
(c1, w1), (c2, w2) = threads('t1'), threads('t2')
print(f"delivered/s {report['deliveredPerSec']:.0f}  p50 {report['p50Ms']} ms  p99 {report['p99Ms']} ms"
      f"  errors {report['errors']}  failures {report['failures']}")
total = 0
for n in sorted(c2, key=lambda n: c1[n] - c2[n]):
    ran = (c2[n] - c1[n]) / hz / dt
    total += ran
    if ran < 0.01:
        continue
    line = f"  {n:18s} ran {ran * 100:5.1f}%  waited {(w2[n] - w1[n]) / 1e9 / dt * 100:5.1f}%"
    if n.startswith('jchat-message-l'):
        line += f"  ({ran / report['sentPerSec'] * 1e6:.2f} us of CPU per message)"
    print(line)
bench = (int(open(f'{work}/b2').read()) - int(open(f'{work}/b1').read())) / hz / dt
a = list(map(int, open(f'{work}/cpu1').read().split()[1:]))
b = list(map(int, open(f'{work}/cpu2').read().split()[1:]))
d = [y - x for x, y in zip(a, b)]; cores = os.cpu_count(); share = lambda i: d[i] / sum(d) * cores * 100
print(f"  server {total * 100:.0f}%, load generator {bench * 100:.0f}%; machine: user {share(0):.0f}%"
      f" system {share(2):.0f}% softirq {share(6):.0f}% idle {share(3):.0f}% (of {cores * 100}%)")
PY
