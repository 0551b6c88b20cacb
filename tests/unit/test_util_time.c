/*
** Unit tests of China time for people (util/time.h): UTC text and unix
** seconds shown at UTC+8 across midnight, the year's end and a leap day,
** the forms of UTC text the database holds, what is refused, and today's
** date with and without QINGSHUI_TODAY. The expected values were worked
** out by hand (UTC + 8 hours) and checked with Python's zoneinfo
** Asia/Shanghai.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/time.h"

/* TIME_CHINA_TEXT of UTC with SECONDS, which must succeed. */
static const char *china(const char *utc, int seconds) {
  static char out[TIME_TEXT_SIZE];
  if (time_china_text(utc, seconds, out)) fail_msg("refused %s", utc);
  return out;
}

static void test_text_across_midnight(void **state) {
  (void)state;
  assert_string_equal(china("2026-12-04T01:21:48Z", 1), "2026-12-04 09:21:48");
  assert_string_equal(china("2026-12-04T15:59:59Z", 1), "2026-12-04 23:59:59");
  assert_string_equal(china("2026-12-04T16:00:00Z", 1), "2026-12-05 00:00:00");
  assert_string_equal(china("2026-12-04T16:00:00Z", 0), "2026-12-05 00:00");
  assert_string_equal(china("2026-06-30T23:30:00Z", 0), "2026-07-01 07:30");
}

static void test_text_year_end_and_leap_day(void **state) {
  (void)state;
  assert_string_equal(china("2026-12-31T15:50:00Z", 0), "2026-12-31 23:50");
  assert_string_equal(china("2026-12-31T16:00:00Z", 0), "2027-01-01 00:00");
  assert_string_equal(china("2027-01-31T16:30:00Z", 0), "2027-02-01 00:30");
  assert_string_equal(china("2028-02-28T16:00:00Z", 0), "2028-02-29 00:00");
  assert_string_equal(china("2028-02-29T15:30:00Z", 0), "2028-02-29 23:30");
  assert_string_equal(china("2028-02-29T16:00:00Z", 0), "2028-03-01 00:00");
  assert_string_equal(china("2027-02-28T16:00:00Z", 0), "2027-03-01 00:00");   /* no leap day */
}

static void test_text_forms(void **state) {
  (void)state;
  assert_string_equal(china("2026-12-04T01:21:48.123Z", 1), "2026-12-04 09:21:48");   /* the audit log */
  assert_string_equal(china("2026-12-04 01:21:48", 1), "2026-12-04 09:21:48");        /* SQLite datetime() */
  char out[TIME_TEXT_SIZE] = "untouched";
  const char *bad[] = {NULL, "", "2026-12-04", "2026-12-04T01:21Z", "2026-12-04T01:21:48+08:00",
                       "2026-13-04T01:21:48Z", "2026-02-30T01:21:48Z", "2026-12-04T24:00:00Z",
                       "2026-12-04T01:21:48Zx", "2026-12-04X01:21:48Z", "2026-1-4T01:21:48Z"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(time_china_text(bad[i], 1, out), -1);
  assert_string_equal(out, "untouched");
}

static void test_epoch(void **state) {
  (void)state;
  char out[TIME_TEXT_SIZE];
  time_china_epoch(0, 1, out);
  assert_string_equal(out, "1970-01-01 08:00:00");
  time_china_epoch(-8 * 3600 - 1, 1, out);   /* before the epoch, across midnight */
  assert_string_equal(out, "1969-12-31 23:59:59");
  time_china_epoch(1798732800, 0, out);      /* 2026-12-31T16:00:00Z */
  assert_string_equal(out, "2027-01-01 00:00");
  time_china_epoch(1835452800, 0, out);      /* 2028-02-29T16:00:00Z */
  assert_string_equal(out, "2028-03-01 00:00");
}

static void test_today(void **state) {
  (void)state;
  char out[11];
  setenv("QINGSHUI_TODAY", "2028-02-29", 1);
  time_today(out);
  assert_string_equal(out, "2028-02-29");
  /* not a date: the real clock's China date, whatever TZ says */
  setenv("QINGSHUI_TODAY", "2028-02-30", 1);
  setenv("TZ", "Pacific/Kiritimati", 1);
  tzset();
  char now[TIME_TEXT_SIZE];
  time_t t = time(NULL);
  time_today(out);
  time_china_epoch((int64_t)t, 0, now);
  assert_memory_equal(out, now, 10);
  unsetenv("QINGSHUI_TODAY");
  unsetenv("TZ");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_text_across_midnight),
    cmocka_unit_test(test_text_year_end_and_leap_day),
    cmocka_unit_test(test_text_forms),
    cmocka_unit_test(test_epoch),
    cmocka_unit_test(test_today),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
