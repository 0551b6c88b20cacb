#!/bin/sh
# Water benchmark against DuckDB (issue 4), run by bench/run.sh with the
# build folder as $1: bench_water at 100 sections x 2 years (a few minutes
# on two cores) writes its readings as CSV, DuckDB (@duckdb/node-api, a
# devDependency: `npm ci`) evaluates the same periods over them, and the
# ratios are printed. Further arguments go to bench_water_duckdb.mjs,
# e.g. the issue's full size: sh bench/bench_water_duckdb.sh BUILD --years 10
set -eu
BUILD=${1:-build-bench}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")/.."
[ -x "$BUILD/bench/bench_water" ] || { echo "bench_water_duckdb: $BUILD/bench/bench_water not built" >&2; exit 1; }
[ -d node_modules/@duckdb/node-api ] || { echo "bench_water_duckdb: @duckdb/node-api is missing: npm ci" >&2; exit 1; }
exec node bench/bench_water_duckdb.mjs --build "$BUILD" "$@"
