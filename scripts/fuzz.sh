#!/bin/sh
# Build and run the libFuzzer targets for a bounded time each: FUZZ_SECONDS
# (default 60). fuzz/fuzz_hj212.c (the HJ 212 core) and fuzz/fuzz_http.c
# (HTTP requests through the server's dispatch); FUZZ_TARGETS picks some
# ("hj212 http" by default). Crashes are written to build-fuzz/ and make the
# script fail. Run from the source root.
set -eu
SECONDS_MAX=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-hj212 http}
OUT=build-fuzz
mkdir -p "$OUT"
# Everything instrumented for coverage, in its own clang build.
if [ ! -f "$OUT/build.ninja" ]; then
  CC=${FUZZ_CC:-clang} meson setup "$OUT" -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
fi

# seeds: each public packet as a bare segment and as a framed stream
seed_hj212() {
  mkdir -p "$OUT/corpus"
  i=0
  while IFS= read -r line; do
    i=$((i + 1))
    printf '%s' "${line#??????}" | head -c -4 > "$OUT/corpus/seg$i"
    printf '\017%s\r\n%s\r\n' "$line" "$line" > "$OUT/corpus/stream$i"
  done < tests/data/hj212/public_packets.txt
}

# seeds: one request per line of fuzz/http_seeds.txt (caller byte, then the
# request with \n for line breaks), anonymous, as the administrator, a unit and a
# leader; and the database the requests go to (fuzz/fuzz_http.c)
seed_http() {
  ninja -C "$OUT" qingshui
  export FUZZ_HTTP_DB="$OUT/fuzz_http.db" QINGSHUI_PWHASH=min
  rm -f "$FUZZ_HTTP_DB"*
  "$OUT/qingshui" init --db "$FUZZ_HTTP_DB" > /dev/null
  "$OUT/qingshui" plan import --db "$FUZZ_HTTP_DB" data/plans/shiyan-plan-2018-8.txt > /dev/null
  "$OUT/qingshui" water sections --db "$FUZZ_HTTP_DB" data/water/sections_demo.csv > /dev/null
  echo fuzz-password-1 | "$OUT/qingshui" user add unit1 --role unit --unit 市环保局 --db "$FUZZ_HTTP_DB"
  echo fuzz-password-1 | "$OUT/qingshui" user add leader1 --role leader --db "$FUZZ_HTTP_DB"
  mkdir -p "$OUT/corpus_http"
  i=0
  while IFS= read -r line; do
    i=$((i + 1))
    printf '\000%b' "$line" > "$OUT/corpus_http/anon$i"
    printf '\001%b' "$line" > "$OUT/corpus_http/admin$i"
    printf '\002%b' "$line" > "$OUT/corpus_http/unit$i"
    printf '\003%b' "$line" > "$OUT/corpus_http/leader$i"
  done < fuzz/http_seeds.txt
}

for target in $TARGETS; do
  ninja -C "$OUT" "fuzz_$target"
  if [ "$target" = hj212 ]; then corpus="$OUT/corpus"; else corpus="$OUT/corpus_$target"; fi
  "seed_$target"
  "$OUT/fuzz_$target" -max_total_time="$SECONDS_MAX" -max_len=4096 \
    -artifact_prefix="$OUT/$target-" "$corpus"
done
