/*
** Unit tests of GB 18918-2002 一级A (sources/gb18918.h): the tables as
** loaded, NH3-N's limit by water temperature and TP's by construction
** date at their boundaries, pH's range, days that cannot be judged, the
** monthly compliance rate, and the loader's errors.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_sources_common.h"
#include "sources/gb18918.h"
#include "supervision/period.h"

static struct gb18918 S;
static char *TABLE, *ITEMS;
static size_t TABLE_LEN, ITEMS_LEN;
static int COD, NH3N, TP, PH;

static int D(const char *text) {
  int day;
  if (day_parse(text, &day)) fail_msg("bad date %s", text);
  return day;
}

static int setup(void **state) {
  (void)state;
  char err[200];
  TABLE = test_read_file("data/standards/gb18918_1a.csv", &TABLE_LEN);
  ITEMS = test_read_file("data/sources/gb18918_items.csv", &ITEMS_LEN);
  if (gb18918_load(&S, TABLE, TABLE_LEN, ITEMS, ITEMS_LEN, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  COD = gb18918_find(&S, "w01018");
  NH3N = gb18918_find(&S, "w21003");
  TP = gb18918_find(&S, "w21011");
  PH = gb18918_find(&S, "w01001");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  free(TABLE);
  free(ITEMS);
  return 0;
}

static void test_table_as_loaded(void **state) {
  (void)state;
  assert_int_equal(S.n, 7);
  assert_true(COD >= 0 && NH3N >= 0 && TP >= 0 && PH >= 0);
  assert_int_equal(gb18918_find(&S, "w99999"), -1);
  assert_double_equal(S.item[COD].limit.value, 50, 0);
  assert_double_equal(S.item[gb18918_find(&S, "w21001")].limit.value, 15, 0);
  assert_double_equal(S.item[gb18918_find(&S, "w01017")].limit.value, 10, 0);
  assert_double_equal(S.item[gb18918_find(&S, "w01012")].limit.value, 10, 0);
  assert_true(S.item[NH3N].has_cold);
  assert_double_equal(S.item[NH3N].limit.value, 5, 0);
  assert_double_equal(S.item[NH3N].cold_limit, 8, 0);
  assert_double_equal(S.item[NH3N].cold_c, 12, 0);
  assert_double_equal(S.item[TP].limit.value, 0.5, 0);
  assert_double_equal(S.item[TP].early_limit, 1, 0);
  assert_int_equal(S.item[TP].built_before_day, D("2006-01-01"));
  assert_int_equal(S.item[PH].limit.kind, SRC_LIMIT_RANGE);
}

/* A day with only item I present, mean M, water temperature TEMP. */
static struct gb18918_day one_item(int i, double m, double temp, int built) {
  struct gb18918_day_input in = {.water_temp = temp};
  struct gb18918_day out;
  in.present[i] = in.valid[i] = 1;
  in.mean[i] = m;
  gb18918_day(&S, built, &in, &out);
  return out;
}

static void test_nh3n_by_water_temperature(void **state) {
  (void)state;
  int built = D("2010-05-01");
  /* 12.0 ℃ is "≤ 12": limit 8, so 6 mg/L complies. */
  struct gb18918_day d = one_item(NH3N, 6, 12.0, built);
  assert_int_equal(d.verdict[NH3N], GB18918_COMPLIANT);
  assert_double_equal(d.limit[NH3N], 8, 0);
  assert_true(d.compliant);
  /* 12.1 ℃: limit 5, 6 mg/L exceeds by (6 - 5) / 5 = 0.2. */
  d = one_item(NH3N, 6, 12.1, built);
  assert_int_equal(d.verdict[NH3N], GB18918_EXCEEDED);
  assert_double_equal(d.limit[NH3N], 5, 0);
  assert_double_equal(d.multiple[NH3N], 0.2, 1e-12);
  assert_false(d.compliant);
  assert_true(d.judged);
  /* At a limit is within it: 8 at 5 ℃, 5 at 20 ℃. */
  assert_int_equal(one_item(NH3N, 8, 5, built).verdict[NH3N], GB18918_COMPLIANT);
  assert_int_equal(one_item(NH3N, 8.01, 5, built).verdict[NH3N], GB18918_EXCEEDED);
  assert_int_equal(one_item(NH3N, 5, 20, built).verdict[NH3N], GB18918_COMPLIANT);
  /* No valid water temperature: not judged, the day not judged. */
  d = one_item(NH3N, 1, NAN, built);
  assert_int_equal(d.verdict[NH3N], GB18918_NOT_JUDGED);
  assert_false(d.judged);
  assert_false(d.compliant);
  /* Other items do not need a temperature. */
  assert_int_equal(one_item(COD, 30, NAN, built).verdict[COD], GB18918_COMPLIANT);
}

static void test_tp_by_construction_date(void **state) {
  (void)state;
  /* Built 2005-12-31: 1 mg/L; built 2006-01-01: 0.5. */
  struct gb18918_day d = one_item(TP, 0.8, 20, D("2005-12-31"));
  assert_int_equal(d.verdict[TP], GB18918_COMPLIANT);
  assert_double_equal(d.limit[TP], 1, 0);
  d = one_item(TP, 0.8, 20, D("2006-01-01"));
  assert_int_equal(d.verdict[TP], GB18918_EXCEEDED);
  assert_double_equal(d.limit[TP], 0.5, 0);
  assert_double_equal(d.multiple[TP], 0.6, 1e-12);
  assert_int_equal(one_item(TP, 1.0, 20, D("1998-06-01")).verdict[TP], GB18918_COMPLIANT);
  assert_int_equal(one_item(TP, 1.01, 20, D("1998-06-01")).verdict[TP], GB18918_EXCEEDED);
  assert_int_equal(one_item(TP, 0.1, 20, DAY_NONE).verdict[TP], GB18918_NOT_JUDGED);
}

static void test_ph_range(void **state) {
  (void)state;
  assert_int_equal(one_item(PH, 6.0, 20, 0).verdict[PH], GB18918_COMPLIANT);
  assert_int_equal(one_item(PH, 9.0, 20, 0).verdict[PH], GB18918_COMPLIANT);
  struct gb18918_day d = one_item(PH, 9.3, 20, 0);
  assert_int_equal(d.verdict[PH], GB18918_EXCEEDED);
  assert_true(isnan(d.multiple[PH]));
  assert_int_equal(one_item(PH, 5.9, 20, 0).verdict[PH], GB18918_EXCEEDED);
}

static void test_day_of_several_items(void **state) {
  (void)state;
  struct gb18918_day_input in = {.water_temp = 15};
  struct gb18918_day d;
  in.present[COD] = in.valid[COD] = 1;
  in.mean[COD] = 42;
  in.present[NH3N] = 1;         /* an invalid day of NH3-N */
  in.mean[NH3N] = 2;
  gb18918_day(&S, D("2012-01-01"), &in, &d);
  assert_int_equal(d.verdict[COD], GB18918_COMPLIANT);
  assert_int_equal(d.verdict[NH3N], GB18918_INVALID);
  assert_int_equal(d.verdict[TP], GB18918_ABSENT);
  assert_false(d.judged);
  in.valid[NH3N] = 1;
  gb18918_day(&S, D("2012-01-01"), &in, &d);
  assert_true(d.judged);
  assert_true(d.compliant);
  /* Nothing monitored: not judged. */
  struct gb18918_day_input none = {.water_temp = 15};
  gb18918_day(&S, D("2012-01-01"), &none, &d);
  assert_false(d.judged);
  assert_false(d.compliant);
}

static void test_month_rate(void **state) {
  (void)state;
  /* 30 days: COD 42 every day; NH3-N 4 on days 0-19 at 15 ℃ (compliant),
  ** 6 on days 20-24 at 15 ℃ (exceeding), 6 on days 25-27 at 10 ℃ (limit 8,
  ** compliant), no temperature on days 28-29 (not judged).
  ** NH3-N: 23 of 28 judged days; COD 30 of 30; the plant 23 of 28. */
  struct gb18918_day days[30];
  for (int i = 0; i < 30; i++) {
    struct gb18918_day_input in = {.water_temp = i < 25 ? 15 : i < 28 ? 10 : NAN};
    in.present[COD] = in.valid[COD] = in.present[NH3N] = in.valid[NH3N] = 1;
    in.mean[COD] = 42;
    in.mean[NH3N] = i < 20 ? 4 : 6;
    gb18918_day(&S, D("2012-01-01"), &in, &days[i]);
  }
  struct gb18918_month m;
  gb18918_month(&S, days, 30, &m);
  assert_int_equal(m.judged[COD], 30);
  assert_double_equal(m.rate[COD], 100, 1e-12);
  assert_int_equal(m.judged[NH3N], 28);
  assert_int_equal(m.compliant[NH3N], 23);
  assert_double_equal(m.rate[NH3N], 100.0 * 23 / 28, 1e-12);
  assert_int_equal(m.days_judged, 28);
  assert_int_equal(m.days_compliant, 23);
  assert_double_equal(m.rate_all, 100.0 * 23 / 28, 1e-12);
  assert_true(isnan(m.rate[TP]));
  gb18918_month(&S, days, 0, &m);
  assert_true(isnan(m.rate_all));
}

static void expect_load_error(const char *table, const char *items, const char *part) {
  struct gb18918 s;
  char err[300];
  assert_int_equal(gb18918_load(&s, table, strlen(table), items, strlen(items), err, sizeof err), -1);
  if (!strstr(err, part)) fail_msg("'%s' not in '%s'", part, err);
}

static void test_load_errors(void **state) {
  (void)state;
  const char *hdr = "code,hj212_code,cold_at_or_below_c,built_before,limit_1A_before,source\n";
  char items[512];
  expect_load_error("code,limit\nCOD,50\n", ITEMS, "header needs code, limit_1A");
  expect_load_error("code,limit_1A\nCOD,fifty\n", ITEMS, "line 2: limit_1A 'fifty'");
  expect_load_error("code,limit_1A\nNH3N,5(8\n", ITEMS, "line 2: limit_1A '5(8'");
  expect_load_error("code,limit_1A\nNH3N,5(x)\n", ITEMS, "line 2");
  expect_load_error("code,limit_1A\nCOD,50\nCOD,60\n", ITEMS, "line 3: a second row for COD");
  /* The items table: an unknown code, a missing row, conditions that do
  ** not fit the limit. */
  expect_load_error(TABLE, "code,hj212_code\n", "header needs");
  snprintf(items, sizeof items, "%sXX,w01018,,,,s\n", hdr);
  expect_load_error(TABLE, items, "line 2: code XX is not in");
  snprintf(items, sizeof items, "%sCOD,w01018,,,,s\n", hdr);
  expect_load_error(TABLE, items, "no row for BOD5");
  snprintf(items, sizeof items, "%sCOD,w01018,,,,s\nCOD,w01018,,,,s\n", hdr);
  expect_load_error(TABLE, items, "line 3: a second row for COD");
  expect_load_error("code,limit_1A\nCOD,50\n", "code,hj212_code,cold_at_or_below_c,built_before,limit_1A_before\nCOD,w01018,12,,\n", "cold_at_or_below_c");
  expect_load_error("code,limit_1A\nNH3N,5(8)\n", "code,hj212_code,cold_at_or_below_c,built_before,limit_1A_before\nNH3N,w21003,,,\n", "cold_at_or_below_c");
  expect_load_error("code,limit_1A\nTP,0.5\n", "code,hj212_code,cold_at_or_below_c,built_before,limit_1A_before\nTP,w21011,,2006-01-01,\n", "go together");
  expect_load_error("code,limit_1A\nTP,0.5\n", "code,hj212_code,cold_at_or_below_c,built_before,limit_1A_before\nTP,w21011,,2006-13-01,1\n", "built_before");
  expect_load_error("code,limit_1A\nTP,0.5\n", "code,hj212_code,cold_at_or_below_c,built_before,limit_1A_before\nTP,,,,\n", "hj212_code");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_table_as_loaded),
    cmocka_unit_test(test_nh3n_by_water_temperature),
    cmocka_unit_test(test_tp_by_construction_date),
    cmocka_unit_test(test_ph_range),
    cmocka_unit_test(test_day_of_several_items),
    cmocka_unit_test(test_month_rate),
    cmocka_unit_test(test_load_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
