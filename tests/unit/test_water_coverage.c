/*
** Unit tests of the coverage of assessment periods (water/coverage.h):
** days and months against the rule's minimum, a period in progress on an
** injected today, the 0 of 0 case, labels and JSON.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "water/coverage.h"

/* The Shiyan 2016 rule's minimum (data/water/rules/shiyan-2016.json). */
static const struct water_minimum MIN = {.month_days = 1, .quarter_days = 2, .year_months = 8};
static const struct water_minimum AUTOMATIC = {.month_days = 20, .quarter_days = 60, .year_months = 10};

static void test_month_thresholds(void **state) {
  (void)state;
  struct water_coverage c;
  assert_int_equal(water_days_coverage("2026-02", 0, &MIN, "2026-12-04", &c), 0);
  assert_int_equal(c.expected, 28);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_INSUFFICIENT);
  water_days_coverage("2026-02", 1, &MIN, "2026-12-04", &c);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_FINAL);
  /* a rule for automatic stations asks for 20 days */
  water_days_coverage("2026-03", 19, &AUTOMATIC, "2026-12-04", &c);
  assert_int_equal(c.expected, 31);
  assert_int_equal(c.min, 20);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_INSUFFICIENT);
  assert_string_equal(water_coverage_label(&c), "数据不足");
  water_days_coverage("2026-03", 20, &AUTOMATIC, "2026-12-04", &c);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_FINAL);
  assert_string_equal(water_coverage_label(&c), "");
  water_days_coverage("2028-02", 29, &AUTOMATIC, "2028-03-01", &c);
  assert_int_equal(c.expected, 29);
  water_days_coverage("2026-Q1", 2, &MIN, "2026-12-04", &c);
  assert_int_equal(c.expected, 90);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_FINAL);
  water_days_coverage("2026-Q1", 1, &MIN, "2026-12-04", &c);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_INSUFFICIENT);
}

static void test_in_progress(void **state) {
  (void)state;
  struct water_coverage c;
  /* 4 days of December on 2026-12-04: enough for a month, but not over */
  water_days_coverage("2026-12", 4, &MIN, "2026-12-04", &c);
  assert_int_equal(c.in_progress, 1);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_PROVISIONAL);
  assert_string_equal(water_coverage_label(&c), "进行中");
  assert_string_equal(water_verdict_code(water_coverage_verdict(&c)), "in_progress");
  /* the last day is still in progress; the day after, final */
  water_days_coverage("2026-12", 31, &MIN, "2026-12-31", &c);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_PROVISIONAL);
  water_days_coverage("2026-12", 31, &MIN, "2027-01-01", &c);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_FINAL);
  /* a year with one month of data on 2026-12-04: not judged, and not over */
  water_year_coverage(2026, 1, 3, &MIN, "2026-12-04", &c);
  assert_int_equal(c.expected, 36);
  assert_int_equal(c.min, 24);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_INSUFFICIENT);
  assert_string_equal(water_coverage_label(&c), "数据不足（进行中）");
  water_year_coverage(2026, 33, 3, &MIN, "2026-12-04", &c);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_PROVISIONAL);
  water_year_coverage(2025, 24, 3, &MIN, "2026-12-04", &c);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_FINAL);
  water_year_coverage(2025, 23, 3, &MIN, "2026-12-04", &c);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_INSUFFICIENT);
  assert_string_equal(water_verdict_code(water_coverage_verdict(&c)), "insufficient");
}

static void test_zero_of_zero_and_text(void **state) {
  (void)state;
  struct water_coverage c;
  struct buf b = {0};
  water_year_coverage(2025, 0, 0, &MIN, "2026-12-04", &c);
  assert_int_equal(water_coverage_verdict(&c), WATER_VERDICT_INSUFFICIENT);
  water_coverage_text(&c, &b);
  assert_string_equal(buf_str(&b), "—");
  buf_reset(&b);
  water_days_coverage("2026-12", 4, &MIN, "2026-12-04", &c);
  water_coverage_text(&c, &b);
  assert_string_equal(buf_str(&b), "4 / 31 天");
  buf_free(&b);
  json_t *j = water_coverage_json(&c);
  assert_int_equal(json_integer_value(json_object_get(j, "have")), 4);
  assert_int_equal(json_integer_value(json_object_get(j, "expected")), 31);
  assert_string_equal(json_string_value(json_object_get(j, "status")), "in_progress");
  assert_string_equal(json_string_value(json_object_get(j, "text")), "4 / 31 天");
  assert_true(json_is_true(json_object_get(j, "in_progress")));
  json_decref(j);
}

static void test_bad_keys(void **state) {
  (void)state;
  struct water_coverage c;
  assert_int_equal(water_days_coverage("2026-13", 1, &MIN, "2026-12-04", &c), -1);
  assert_int_equal(water_days_coverage("2026", 1, &MIN, "2026-12-04", &c), -1);
  assert_int_equal(water_days_coverage("2026-12", 1, &MIN, "2026-12-40", &c), -1);
  assert_int_equal(water_year_coverage(2026, 1, 1, &MIN, "today", &c), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_month_thresholds),
    cmocka_unit_test(test_in_progress),
    cmocka_unit_test(test_zero_of_zero_and_text),
    cmocka_unit_test(test_bad_keys),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
