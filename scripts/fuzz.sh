#!/bin/sh
# Build and run the HJ 212 libFuzzer target (fuzz/fuzz_hj212.c) for a
# bounded time: FUZZ_SECONDS (default 60). Crashes are written to
# build-fuzz/ and make the script fail. Run from the source root.
set -eu
SECONDS_MAX=${FUZZ_SECONDS:-60}
OUT=build-fuzz
mkdir -p "$OUT"
# The pure core, instrumented for coverage, in its own clang build.
if [ ! -f "$OUT/build.ninja" ]; then
  CC=${FUZZ_CC:-clang} meson setup "$OUT" -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
fi
ninja -C "$OUT" fuzz_hj212
# seeds: each public packet as a bare segment and as a framed stream
mkdir -p "$OUT/corpus"
i=0
while IFS= read -r line; do
  i=$((i + 1))
  printf '%s' "${line#??????}" | head -c -4 > "$OUT/corpus/seg$i"
  printf '\017%s\r\n%s\r\n' "$line" "$line" > "$OUT/corpus/stream$i"
done < tests/data/hj212/public_packets.txt
"$OUT/fuzz_hj212" -max_total_time="$SECONDS_MAX" -max_len=4096 \
  -artifact_prefix="$OUT/" "$OUT/corpus"
