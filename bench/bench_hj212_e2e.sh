#!/bin/sh
# HJ 212 end to end (issue 3), run by bench/run.sh with the build folder as $1:
#   (a) 1,000 simulated stations, each on its own connection, sending as fast
#       as acknowledgements come, one packet in flight per station (as data
#       loggers do), then four, against `qingshui serve` on loopback:
#       acknowledged packets/s (an acknowledgement means committed), p50/p99
#       from send to 9014, and the CPU each side spent per packet, user and
#       kernel apart (server and simulator share this machine's cores);
#   (b) resident memory (VmRSS) of the server with 10,000 idle connections;
#   (c) the transport's ceiling: the same simulator against hj212_floor, a
#       server that answers each packet at once and stores nothing;
#   (d) the CPU per packet at a fixed 30,000 packets/s (each station every
#       33 ms), below what the cores can carry: a steadier figure to compare
#       builds by than (a), whose closed loop moves 15% from run to run.
# The closed loop of (a) with one packet in flight, and (c), are run ROUNDS
# times in turns, each with the share of the cores the virtual machine's
# host took meanwhile (steal) and left idle: on a shared host the same
# binary gives 42,000-56,000 packets/s, and the steal says why. Then the
# medians, and the median of each pair's ratio to the ceiling, which the
# host's speed moves less.
# Figures only, no thresholds.
# Usage: sh bench/bench_hj212_e2e.sh BUILD [SECONDS] [ROUNDS]
set -eu
BUILD=${1:-build-bench}
SECONDS_EACH=${2:-12}
ROUNDS=${3:-5}
Q="$BUILD/qingshui"
[ -x "$Q" ] || { echo "bench_hj212_e2e: $Q not built" >&2; exit 1; }
# 10,000 connections need 10,000 descriptors in each process
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt 10100 ]; then
  echo "bench_hj212_e2e: fd limit $(ulimit -n) is below 10100; (b) needs root or a higher hard limit" >&2
fi
DIR=$(mktemp -d /tmp/qingshui-bench-hj212-XXXXXX)
SERVER=
FLOOR_PID=
cleanup() {
  for p in $SERVER $FLOOR_PID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

DB="$DIR/q.db"

# A server on a new database with $1 stations registered. Every measured
# run has one of its own: the simulator's load mode starts its DataTimes
# 30 days back from now, so a second run against the same database would
# resend what the first stored, and duplicates cost the writer next to
# nothing (a second run measured that way gave 54,000-61,000 packets/s
# where a fresh one gave 46,000-50,000).
fresh_server() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -f "$DB" "$DB-wal" "$DB-shm"
  "$Q" init --db "$DB" > /dev/null
  "$Q" simulate --stations "$1" --register-db "$DB" --register-only 2> /dev/null
  "$Q" serve --db "$DB" --listen 127.0.0.1:0 --hj212 127.0.0.1:0 \
    --hj212-max-connections 20000 --hj212-max-per-address 20000 > "$DIR/serve.out" 2> "$DIR/serve.err" &
  SERVER=$!
  for _ in $(seq 100); do
    grep -q '^hj212 listening' "$DIR/serve.out" 2>/dev/null && break
    sleep 0.1
  done
  HTTP=$(sed -n 's|^listening on http://\([^ ]*\).*|\1|p' "$DIR/serve.out")
  HJ212=$(sed -n 's|^hj212 listening on ||p' "$DIR/serve.out")
  [ -n "$HJ212" ] || { echo "bench_hj212_e2e: server did not start: $(cat "$DIR/serve.err")" >&2; exit 1; }
}

metric() {   # the value of one /metrics line
  curl -s "http://$HTTP/metrics" | awk -v m="$1" '$1 == m {print $2}'
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status"; }
cpu_ticks() { awk '{print $14, $15}' "/proc/$SERVER/stat"; }   # user, system
thread_ticks() {   # "name ticks" for each thread of the server (hj212-loop, hj212-writer, ...)
  for t in /proc/"$SERVER"/task/*; do
    echo "$(cat "$t/comm") $(awk '{print $14 + $15}' "$t/stat")"
  done
}

# The host's share of the cores (steal) and the idle share since the last
# call, in percent: "steal idle".
host_shares() {
  set -- $(awk '/^cpu / {print $5 + $6, $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit}' /proc/stat)
  if [ -n "${HOST0:-}" ]; then
    echo "$HOST0 $*" | awk '{t = $6 - $3; if (t <= 0) t = 1; printf "%.1f %.1f\n", ($5 - $2) * 100 / t, ($4 - $1) * 100 / t}'
  fi
  HOST0="$*"
}

median() { sort -n | awk '{v[NR] = $1} END {if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }

# One closed-loop run (one packet in flight, 1,000 stations) against $1: a
# line with $2, the rate, p99 and the host's shares; the rate and p99 are
# appended to $3.
closed_loop() {
  host_shares > /dev/null
  line=$("$Q" simulate --stations 1000 --interval 0 --window 1 --duration "$SECONDS_EACH" \
           --progress 0 --target "$1" 2> /dev/null)
  shares=$(host_shares)
  echo "$line" | awk -v label="$2" -v shares="$shares" -v out="$3" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    split(shares, h, " ")
    printf "    %s: %s acknowledged/s, p99 %s ms (host steal %s%%, idle %s%%)\n", label, v["ack_per_s"], v["p99_ms"], h[1], h[2]
    print v["ack_per_s"], v["p99_ms"] >> out }'
}

# One run of the simulator against $2 with $1 packets in flight per station,
# labelled $3, each station sending every $4 s (0: as fast as answered):
# throughput, latency, and CPU per packet of the server (the process
# $SERVER) and of the simulator
load() {
  cpu0=$(cpu_ticks)
  threads0=$(thread_ticks)
  line=$("$Q" simulate --stations 1000 --interval "${4:-0}" --window "$1" --duration "$SECONDS_EACH" \
           --progress 0 --target "$2" 2> /dev/null)
  cpu1=$(cpu_ticks)
  threads1=$(thread_ticks)
  echo "$line" | awk -v label="$3" -v w="$1" -v cpu="$cpu0 $cpu1" -v hz="$(getconf CLK_TCK)" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    split(cpu, t, " ")
    n = v["acknowledged"] > 0 ? v["acknowledged"] : 1
    printf "%s, 1000 stations, %s in flight each, %s s: %s acknowledged/s, send->ack p50 %s ms, p99 %s ms, max %s ms; retried %s, gave up %s\n",
      label, w, v["duration_s"], v["ack_per_s"], v["p50_ms"], v["p99_ms"], v["max_ms"], v["retried"], v["gave_up"]
    printf "    CPU per acknowledged packet: server %.1f us user + %.1f us kernel, simulator %.1f us user + %.1f us kernel\n",
      (t[3] - t[1]) / hz * 1e6 / n, (t[4] - t[2]) / hz * 1e6 / n, v["user_s"] * 1e6 / n, v["sys_s"] * 1e6 / n }'
  acked=$(echo "$line" | sed -n 's/.* acknowledged=\([0-9]*\).*/\1/p')
  printf '%s\n--\n%s\n' "$threads0" "$threads1" | awk -v n="${acked:-0}" -v hz="$(getconf CLK_TCK)" '
    $1 == "--" { after = 1; next }
    { if (after) d[$1] += $2; else d[$1] -= $2 }
    END {
      out = ""
      for (k in d) if (d[k] > 0 && n > 0) out = out sprintf("%s %.1f us, ", k, d[k] / hz * 1e6 / n)
      if (out != "") print "    server threads per packet (user + kernel): " substr(out, 1, length(out) - 2)
    }'
}

"$BUILD/bench/hj212_floor" 127.0.0.1:0 > "$DIR/floor.out" 2>&1 &
FLOOR_PID=$!
for _ in $(seq 50); do grep -q '^listening' "$DIR/floor.out" 2>/dev/null && break; sleep 0.1; done
FLOOR=$(sed -n 's|^listening on ||p' "$DIR/floor.out")

# (a) and (c): closed loops in turns, then the medians
echo "    load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$ROUNDS"); do
  fresh_server 1000
  closed_loop "$HJ212" "(a) qingshui serve, round $round" "$DIR/a.txt"
  closed_loop "$FLOOR" "(c) hj212_floor,    round $round" "$DIR/c.txt"
done
echo "(a) qingshui serve, 1,000 stations, one packet in flight each, $ROUNDS runs of $SECONDS_EACH s:" \
  "median $(cut -d' ' -f1 "$DIR/a.txt" | median) acknowledged/s" \
  "($(cut -d' ' -f1 "$DIR/a.txt" | sort -n | sed -n '1p;$p' | paste -sd- -)), median p99 $(cut -d' ' -f2 "$DIR/a.txt" | median) ms"
echo "(c) transport ceiling (hj212_floor: answers at once, stores nothing): median $(cut -d' ' -f1 "$DIR/c.txt" | median) packets/s" \
  "($(cut -d' ' -f1 "$DIR/c.txt" | sort -n | sed -n '1p;$p' | paste -sd- -))"
echo "    (a) / (c), run by run: median $(paste -d' ' "$DIR/a.txt" "$DIR/c.txt" | awk '{printf "%.3f\n", $1 / ($3 > 0 ? $3 : 1)}' | median)"

# (a) once more with CPU per packet by thread, and with four in flight
for window in 1 4; do
  fresh_server 1000
  load "$window" "$HJ212" "(a) qingshui serve"
  packets=$(sqlite3 "$DB" "SELECT count(*) FROM hj212_packet" 2>/dev/null || echo "?")
  echo "    server committed $(metric qingshui_hj212_committed_total) packets, the database holds $packets" \
    "($(du -m "$DB" "$DB-wal" 2>/dev/null | awk '{s += $1} END {print s}') MB)"
done

# (d) CPU per packet at a fixed rate
fresh_server 1000
load 1 "$HJ212" "(d) qingshui serve at a fixed 30,000 packets/s" 0.0333

# (b) memory with 10,000 idle connections (a packet an hour each)
fresh_server 10000
base=$(rss_kb)
"$Q" simulate --stations 10000 --interval 3600 --duration 3600 --progress 0 --target "$HJ212" \
  > /dev/null 2>&1 &
SIM=$!
open=0
for _ in $(seq 300); do
  open=$(metric qingshui_hj212_connections)
  [ "$open" -ge 10000 ] && break
  sleep 0.2
done
sleep 1
full=$(rss_kb)
kill "$SIM" 2>/dev/null || true
wait "$SIM" 2>/dev/null || true
echo "(b) $open idle connections: server RSS $((full / 1024)) MB (before: $((base / 1024)) MB, $(( (full - base) * 1024 / (open > 0 ? open : 1) )) bytes per connection)"

# (c) once more with CPU per packet
kill "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null || true
SERVER=$FLOOR_PID
load 1 "$FLOOR" "(c) transport ceiling (hj212_floor: answers at once, stores nothing)"
