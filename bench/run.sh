#!/bin/sh
# Run every benchmark built in $1/bench (optimised build by `make bench`),
# from the source root, each printing its own figures. Benchmarks written
# in other languages live beside them as bench_*.sh and are run too.
set -eu
BUILD=${1:-build-bench}
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
found=0
for b in "$BUILD"/bench/bench_*; do
  [ -x "$b" ] && [ -f "$b" ] || continue
  found=1
  echo "== $(basename "$b")"
  "$b" "$BUILD"
done
for s in bench/bench_*.sh; do
  [ -f "$s" ] || continue
  found=1
  echo "== $(basename "$s")"
  sh "$s" "$BUILD"
done
[ "$found" = 1 ] || echo "no benchmarks built yet"
