#!/bin/sh
# Run every test against the build in $1 (built with ASan+UBSan by
# `make test`): cmocka unit tests through meson, the integration tests
# (Python, real binary on loopback), the browser tests (playwright-core +
# Debian's Chromium), then the integration tests marked "# stores: ... pg"
# again on a PostgreSQL server started here (tests/pg.sh) and stopped at
# the end. Ends with one line "N passed, N failed".
# SUITES="integration browser" runs only those (tests/dates.sh does);
# the suites are unit, integration, browser and pg.
set -u
BUILD=${1:-build-test}
SUITES=${SUITES:-unit integration browser pg}
wants() { case " $SUITES " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p tests/output
passed=0
failed=0

add() { passed=$((passed + $1)); failed=$((failed + $2)); }

# One integration test file T, its log tests/output/PREFIX-NAME.log.
integration() {
  log="tests/output/$2$(basename "$1" .py).log"
  python3 "$1" "$BUILD" > "$log" 2>&1
  rc=$?
  line=$(grep '^integration: ' "$log" | tail -1)
  p=$(echo "$line" | sed -n 's/.* \([0-9]*\) passed.*/\1/p')
  f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  echo "$2$(basename "$1"): $p passed, $f failed"
  [ "$rc" -eq 0 ] || tail -60 "$log"
  add "$p" "$f"
}

# Unit tests: meson counts one test per executable; count their cmocka cases.
if wants unit; then
meson test -C "$BUILD" --print-errorlogs > tests/output/unit.log 2>&1
unit_rc=$?
p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$BUILD"/meson-logs/testlog.txt | awk '{s += $1} END {print s + 0}')
f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$BUILD"/meson-logs/testlog.txt | awk '{s += $1} END {print s + 0}')
if [ "$unit_rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # a crash counts as a failure
echo "unit: $p passed, $f failed"
[ "$unit_rc" -eq 0 ] || cat tests/output/unit.log
add "$p" "$f"
fi

if wants integration; then
  for t in tests/integration/test_*.py; do integration "$t" ""; done
fi

if wants browser; then
BUILD="$BUILD" node --test tests/browser/ > tests/output/browser.log 2>&1
rc=$?
p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' tests/output/browser.log)
f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' tests/output/browser.log)
p=${p:-0}; f=${f:-0}
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
echo "browser: $p passed, $f failed (screenshots in tests/output/)"
[ "$rc" -eq 0 ] || tail -60 tests/output/browser.log
add "$p" "$f"
fi

if wants pg; then
  pgdir=$(mktemp -d /tmp/qingshui-pg.XXXXXX)
  if QINGSHUI_TEST_PG=$(tests/pg.sh start "$pgdir"); then
    export QINGSHUI_TEST_PG
    trap 'tests/pg.sh stop "$pgdir"' EXIT
    export QINGSHUI_TEST_STORE=pg
    for t in $(grep -l '^# stores:.* pg' tests/integration/test_*.py); do integration "$t" "pg-"; done
    unset QINGSHUI_TEST_STORE
  else
    echo "pg: the PostgreSQL test server did not start (tests/pg.sh)"
    add 0 1
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
