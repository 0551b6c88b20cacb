/*
** Rounding by the rules in force on a reading's date
** (data/standards/cnemc_decimals.csv, water_standard_on): the national
** real-time system's decimals of November 2025 before 2026-01-01, those it
** publishes in 2026 from then on; values that land on either side of a
** limit depending on the period; the table's loader errors.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "test_water_common.h"
#include "water/classify.h"
#include "water/quality.h"

static struct water_standard std;

static int decimals_on(const char *when, const char *code) {
  return water_standard_on(&std, when)->item[water_item_index(&std, code)].decimals;
}

/* The class of raw value V of CODE in a river, rounded by WHEN's rules. */
static int class_on(const char *when, const char *code, double v) {
  const struct water_item *it = &water_standard_on(&std, when)->item[water_item_index(&std, code)];
  return water_value_class(it, WATER_RIVER, water_round(v, it->decimals));
}

static void test_decimals_by_period(void **state) {
  (void)state;
  const char *codes[] = {"PH", "DO", "CODMN", "NH3N", "TP"};
  const int in2025[] = {0, 1, 1, 2, 3}, in2026[] = {2, 2, 2, 3, 3};
  for (int k = 0; k < 5; k++) {
    assert_int_equal(decimals_on("2025-11-18 16:00", codes[k]), in2025[k]);
    assert_int_equal(decimals_on("2025-12-31 23:00", codes[k]), in2025[k]);
    assert_int_equal(decimals_on("2026-01-01 00:00", codes[k]), in2026[k]);
    assert_int_equal(decimals_on("2026-03-15", codes[k]), in2026[k]);
  }
  /* a period takes the rules of its first day */
  assert_int_equal(decimals_on("2025", "PH"), 0);
  assert_int_equal(decimals_on("2025-Q4", "PH"), 0);
  assert_int_equal(decimals_on("2025-12", "PH"), 0);
  assert_int_equal(decimals_on("2026", "PH"), 2);
  assert_int_equal(decimals_on("2026-Q1", "PH"), 2);
  assert_int_equal(decimals_on("2026-01", "PH"), 2);
  /* items the table does not name keep their decimals; no date: the earliest rules */
  assert_int_equal(decimals_on("2026-06-01", "TN"), 2);
  assert_int_equal(decimals_on("2026-06-01", "COD"), 1);
  assert_ptr_equal(water_standard_on(&std, NULL), &std);
  assert_ptr_equal(water_standard_on(&std, ""), &std);
}

static void test_limits_on_both_sides(void **state) {
  (void)state;
  /* pH 9.2: 9 in 2025 (inside 6-9, no constraint), 9.20 in 2026 (劣Ⅴ) */
  assert_int_equal(class_on("2025-11-10 08:00", "PH", 9.2), 1);
  assert_int_equal(class_on("2026-02-10 08:00", "PH", 9.2), 6);
  assert_int_equal(class_on("2026-02-10 08:00", "PH", 9.004), 1);   /* 9.00 */
  /* DO 5.97: 6.0 meets Ⅱ (>= 6) in 2025; 5.97 is Ⅲ in 2026 */
  assert_int_equal(class_on("2025-11-10 08:00", "DO", 5.97), 2);
  assert_int_equal(class_on("2026-02-10 08:00", "DO", 5.97), 3);
  /* CODMn 6.03: 6.0 meets Ⅲ (<= 6) in 2025; 6.03 is Ⅳ in 2026 */
  assert_int_equal(class_on("2025-11-10 08:00", "CODMN", 6.03), 3);
  assert_int_equal(class_on("2026-02-10 08:00", "CODMN", 6.03), 4);
  /* NH3-N 0.5004: 0.50 Ⅱ both ways; 0.5006: 0.50 Ⅱ in 2025, 0.501 Ⅲ in 2026 */
  assert_int_equal(class_on("2025-11-10 08:00", "NH3N", 0.5006), 2);
  assert_int_equal(class_on("2026-02-10 08:00", "NH3N", 0.5006), 3);
}

/* water classify rounds each row by its own time. */
static void test_classify_by_row_time(void **state) {
  (void)state;
  const char in[] = "section,type,time,PH,DO,CODMN\n"
                    "a,river,2025-11-10 08:00,9.2,5.97,6.03\n"
                    "a,river,2026-02-10 08:00,9.2,7.5,2.0\n"
                    "a,river,2026-02-10 08:00,7.5,5.97,2.0\n"
                    "a,river,2026-02-10 08:00,7.5,7.5,6.03\n";
  struct buf out = {0};
  char err[200];
  assert_int_equal(water_classify_csv(&std, in, sizeof in - 1, &out, err, sizeof err), 0);
  const char *o = buf_str(&out);
  assert_non_null(strstr(o, "a,river,2025-11-10 08:00,9.2,5.97,6.03,3,Ⅲ,"));
  assert_non_null(strstr(o, "a,river,2026-02-10 08:00,9.2,7.5,2.0,6,劣Ⅴ,"));
  assert_non_null(strstr(o, "a,river,2026-02-10 08:00,7.5,5.97,2.0,3,Ⅲ,"));
  assert_non_null(strstr(o, "a,river,2026-02-10 08:00,7.5,7.5,6.03,4,Ⅳ,"));
  buf_free(&out);
  const char bad[] = "section,type,time,PH\na,river,2026-13-01 08:00,7\n";
  assert_int_equal(water_classify_csv(&std, bad, sizeof bad - 1, &out, err, sizeof err), -1);
  assert_string_equal(err, "line 2, field time: '2026-13-01 08:00' does not start with a date YYYY-MM-DD");
  buf_free(&out);
}

static void expect_error(const char *csv, const char *message) {
  struct water_standard s = std;
  char err[200];
  s.nera = 0;
  assert_int_equal(water_standard_load_decimals(&s, csv, strlen(csv), err, sizeof err), -1);
  assert_string_equal(err, message);
  assert_int_equal(s.nera, 0);
}

static void test_table_errors(void **state) {
  (void)state;
  expect_error("item,from,decimals\n", "cnemc_decimals.csv line 1: header lacks code, from, decimals");
  expect_error("code,from,decimals\nXX,2026-01-01,2\n",
               "cnemc_decimals.csv line 2, field code: 'XX' is not a GB 3838 item");
  expect_error("code,from,decimals\nPH,2026-02-30,2\n",
               "cnemc_decimals.csv line 2, field from: '2026-02-30' is not a date YYYY-MM-DD on or after ");
  expect_error("code,from,decimals\nPH,2026-03-01,2\nDO,2026-01-01,2\n",
               "cnemc_decimals.csv line 3, field from: '2026-01-01' is not a date YYYY-MM-DD on or after 2026-03-01");
  expect_error("code,from,decimals\nPH,2026-01-01,two\n",
               "cnemc_decimals.csv line 2, field decimals: 'two' is not 0..10");
}

int main(void) {
  load_standard_or_die(&std);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_decimals_by_period),
    cmocka_unit_test(test_limits_on_both_sides),
    cmocka_unit_test(test_classify_by_row_time),
    cmocka_unit_test(test_table_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
