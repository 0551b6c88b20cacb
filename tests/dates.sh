#!/bin/sh
# The suite on the dates and machine time zones where it used to break:
# runs the integration and browser suites (tests/run.sh with
# SUITES="integration browser"; `make test` runs the unit tests) with the
# browser's clock and the server's date fixed by QINGSHUI_TEST_NOW (the
# harnesses turn it into playwright's clock and QINGSHUI_TODAY), at
#   a month's end          2027-01-31 12:00 China time
#   a year's end           2026-12-31 23:50 China time
#   a leap day             2028-02-29 12:00 China time
#   across midnight        2026-06-30 16:00 UTC = 2026-07-01 00:00 China time
# each with the machine's TZ, America/Los_Angeles (UTC-8/-7, a day behind
# China) and Pacific/Kiritimati (UTC+14, ahead of it) for every process.
# Usage: tests/dates.sh [BUILD] (default build-test, built as by `make test`);
# DATES and ZONES (space-separated) choose a subset. Ends with one line
# "N passed, N failed" over every run.
set -u
BUILD=${1:-build-test}
cd "$(dirname "$0")/.."
DATES=${DATES:-"2027-01-31T12:00:00+08:00 2026-12-31T23:50:00+08:00 2028-02-29T12:00:00+08:00 2026-06-30T16:00:00Z"}
ZONES=${ZONES:-"machine America/Los_Angeles Pacific/Kiritimati"}
passed=0
failed=0
for now in $DATES; do
  for zone in $ZONES; do
    start=$(date +%s)
    if [ "$zone" = machine ]; then
      out=$(QINGSHUI_TEST_NOW=$now SUITES="integration browser" sh tests/run.sh "$BUILD" 2>&1)
    else
      out=$(TZ=$zone QINGSHUI_TEST_NOW=$now SUITES="integration browser" sh tests/run.sh "$BUILD" 2>&1)
    fi
    last=$(echo "$out" | tail -1)
    p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
    f=$(echo "$last" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
    p=${p:-0}; f=${f:-1}
    passed=$((passed + p)); failed=$((failed + f))
    echo "$now TZ=$zone: $p passed, $f failed ($(($(date +%s) - start)) s)"
    [ "$f" -eq 0 ] || echo "$out" | grep -v ': [0-9]* passed, 0 failed' | tail -80
  done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
