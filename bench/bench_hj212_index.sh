#!/bin/sh
# The HJ 212 writer's cost of an index of hj212_packet that starts from the
# station, (station_id, data_time, cn), which issue 15 proposed for one
# station's readings: in turns, ROUNDS times, a server on a new database of
# 1,000 stations with the index and one without (the packet key alone), each
# fed by the simulator at a fixed 30,000 packets/s (each station every
# 33 ms) for SECONDS s, as (d) of bench_hj212_e2e.sh; per committed packet,
# the CPU of the writer thread (hj212-writer) and of the checkpoints
# (hj212-ckpt), then the medians. Figures only, no thresholds.
# Usage: sh bench/bench_hj212_index.sh BUILD [SECONDS] [ROUNDS]
set -eu
BUILD=${1:-build-bench}
SECONDS_EACH=${2:-12}
ROUNDS=${3:-5}
Q="$BUILD/qingshui"
DIR=$(mktemp -d /tmp/qingshui-bench-index-XXXXXX)
DB="$DIR/q.db"
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
ulimit -n "$(ulimit -Hn)"

ticks() {   # user + system ticks of the server's thread named $1
  for t in /proc/"$SERVER"/task/*; do
    [ "$(cat "$t/comm")" = "$1" ] && awk '{print $14 + $15}' "$t/stat"
  done | awk '{s += $1} END {print s + 0}'
}

# One run: a new database ($1 = with | without the index), the simulator
# at 30,000/s; appends "writer_us ckpt_us packets" to $DIR/$1.txt.
run_one() {
  rm -f "$DB" "$DB-wal" "$DB-shm"
  "$Q" init --db "$DB" > /dev/null
  "$Q" simulate --stations 1000 --register-db "$DB" --register-only 2> /dev/null
  if [ "$1" = with ]; then
    sqlite3 "$DB" "CREATE INDEX hj212_packet_station ON hj212_packet(station_id, data_time, cn)"
  fi
  "$Q" serve --db "$DB" --listen 127.0.0.1:0 --hj212 127.0.0.1:0 \
    --hj212-max-connections 20000 --hj212-max-per-address 20000 > "$DIR/serve.out" 2> "$DIR/serve.err" &
  SERVER=$!
  for _ in $(seq 100); do grep -q '^hj212 listening' "$DIR/serve.out" 2>/dev/null && break; sleep 0.1; done
  target=$(sed -n 's|^hj212 listening on ||p' "$DIR/serve.out")
  w0=$(ticks hj212-writer); c0=$(ticks hj212-ckpt)
  "$Q" simulate --stations 1000 --interval 0.0333 --window 1 --duration "$SECONDS_EACH" \
    --progress 0 --target "$target" > /dev/null 2>&1
  w1=$(ticks hj212-writer); c1=$(ticks hj212-ckpt)
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  n=$(sqlite3 "$DB" "SELECT count(*) FROM hj212_packet")
  echo "$w0 $w1 $c0 $c1 $n" | awk -v hz="$(getconf CLK_TCK)" -v label="$1" -v out="$DIR/$1.txt" '{
    n = $5 > 0 ? $5 : 1
    w = ($2 - $1) / hz * 1e6 / n; c = ($4 - $3) / hz * 1e6 / n
    printf "    %-7s index: %d packets, writer %.2f us, checkpoints %.2f us a packet\n", label, $5, w, c
    print w, c, $5 >> out }'
}

median() { sort -n | awk '{v[NR] = $1} END {if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }

for round in $(seq "$ROUNDS"); do
  echo "round $round"
  run_one with
  run_one without
done
for v in with without; do
  echo "$v the index: median writer $(cut -d' ' -f1 "$DIR/$v.txt" | median) us," \
    "checkpoints $(cut -d' ' -f2 "$DIR/$v.txt" | median) us a packet"
done
