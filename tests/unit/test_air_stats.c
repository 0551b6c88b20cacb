/*
** City statistics (stats.h): HJ 663 percentiles, the composite index on the
** one published case whose rounding order it shows, a month's days by
** level and 优良天数比例, validity by days, and the ranking with ties on
** Hubei's published 2023 ranking of 17 cities.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "air/stats.h"
#include "test_air_common.h"
#include "util/csv.h"

#define HUBEI "tests/data/air/hubei_17cities_composite_index_2023.csv"

static struct air_standard std;

static void test_percentile(void **state) {
  (void)state;
  double v[20];
  for (int i = 0; i < 10; i++) v[i] = 10 - i;   /* unsorted 10..1 */
  assert_true(fabs(air_percentile(v, 10, 90) - 9.1) < 1e-9);   /* k = 1 + 9·0.9 = 9.1 */
  for (int i = 0; i < 20; i++) v[i] = (i * 7) % 20 + 1;        /* 1..20 shuffled */
  assert_true(fabs(air_percentile(v, 20, 95) - 19.05) < 1e-9); /* k = 19.05 */
  assert_true(fabs(air_percentile(v, 20, 100) - 20) < 1e-9);
  assert_true(fabs(air_percentile(v, 20, 0) - 1) < 1e-9);
  v[0] = 4;
  assert_true(fabs(air_percentile(v, 1, 90) - 4) < 1e-9);
  assert_true(isnan(air_percentile(v, 0, 90)));
}

/* 河源 2022-02 (air.md §4): SO2 3, NO2 13, PM10 16, PM2.5 13, CO P95 0.9,
** O3 P90 87: single indices rounded half to even then summed, 1.73 as
** published (the unrounded sum is 1.744). */
static void test_composite_index(void **state) {
  (void)state;
  double value[AIR_NKEYS], single[AIR_NKEYS];
  for (int k = 0; k < AIR_NKEYS; k++) value[k] = NAN;
  value[AIR_SO2] = 3;
  value[AIR_NO2] = 13;
  value[AIR_PM10] = 16;
  value[AIR_PM25] = 13;
  value[AIR_CO] = 0.9;
  value[AIR_O3_8H] = 87;
  unsigned main;
  double index = air_composite_index(&std, value, single, &main);
  assert_true(fabs(index - 1.73) < 1e-9);
  assert_true(fabs(single[AIR_NO2] - 0.32) < 1e-9);   /* 0.325, half to even */
  assert_true(fabs(single[AIR_CO] - 0.22) < 1e-9);    /* 0.225 */
  assert_true(fabs(single[AIR_O3_8H] - 0.54) < 1e-9);
  assert_int_equal(main, 1u << AIR_O3_8H);
  assert_true(isnan(single[AIR_O3]));
  /* equal largest single indices are both main pollutants */
  value[AIR_PM25] = 19;   /* 0.5429: 0.54 as O3's 0.54375 */
  air_composite_index(&std, value, single, &main);
  assert_int_equal(main, 1u << AIR_O3_8H | 1u << AIR_PM25);
  value[AIR_SO2] = NAN;
  assert_true(isnan(air_composite_index(&std, value, single, &main)));
  assert_int_equal(main, 0);
}

static void test_min_days(void **state) {
  (void)state;
  assert_int_equal(air_min_days(&std.validity, "2023"), 324);
  assert_int_equal(air_min_days(&std.validity, "2023-02"), 25);
  assert_int_equal(air_min_days(&std.validity, "2023-11"), 27);
  assert_int_equal(air_min_days(&std.validity, "2023-13"), -1);
  assert_int_equal(air_min_days(&std.validity, "23-1"), -1);
}

/* A month of 30 days: 10 优, 15 良, 4 轻度污染, and one day without an AQI
** (its PM2.5 missing, the rest at most 100). */
static void test_period_stats(void **state) {
  (void)state;
  struct air_day_record days[30];
  const struct air_edition *e = &std.edition[0];
  for (int i = 0; i < 30; i++) {
    struct air_input in = {.so2_24h = -1};
    double pm25 = i < 10 ? 20 : i < 25 ? 50 : 90;
    const double v[AIR_NKEYS] = {[AIR_PM10] = 40, [AIR_PM25] = pm25, [AIR_O3] = 100,
                                 [AIR_O3_8H] = 80 + i, [AIR_SO2] = 8, [AIR_NO2] = 25,
                                 [AIR_CO] = 0.6 + 0.1 * (i % 10)};
    for (int k = 0; k < AIR_NKEYS; k++) {
      in.state[k] = i == 29 && k == AIR_PM25 ? AIR_MISSING : AIR_PRESENT;
      in.value[k] = v[k];
      days[i].value[k] = in.state[k] == AIR_PRESENT ? v[k] : NAN;
    }
    air_aqi(&std, e, AIR_DAILY, &in, &days[i].aqi);
  }
  struct air_stats st;
  air_period_stats(&std, days, 30, air_min_days(&std.validity, "2023-11"), &st);
  assert_int_equal(st.days, 30);
  assert_int_equal(st.rated_days, 29);
  assert_int_equal(st.level_days[0], 10);
  assert_int_equal(st.level_days[1], 15);
  assert_int_equal(st.level_days[2], 4);
  assert_true(fabs(st.good_ratio - 100.0 * 25 / 29) < 1e-9);
  assert_int_equal(st.valid_days[AIR_PM25], 29);
  assert_true(fabs(st.value[AIR_PM25] - 45) < 1e-9);   /* (200 + 750 + 360) / 29 = 45.17 */
  assert_true(st.complete);
  assert_true(fabs(st.value[AIR_O3_8H] - 106) < 1e-9); /* P90 of 80..109: k 27.1, 106.1 */
  assert_true(fabs(st.value[AIR_CO] - 1.5) < 1e-9);    /* P95 of 0.6..1.5 ×3: 1.5 */
  assert_true(isnan(st.value[AIR_O3]));
  assert_false(isnan(st.composite));
  air_period_stats(&std, days, 26, 27, &st);
  assert_false(st.complete);
}

/* Hubei 2023: the ranks computed from the published indices are the
** published ranks, ties included (随州 and 潜江 5th, 仙桃 and 天门 7th ...). */
static void test_ranking_hubei(void **state) {
  (void)state;
  size_t len;
  char *text = test_read_file(HUBEI, &len);
  struct csv_reader r;
  double index[32];
  int published[32], rank[32], n = 0, ties = 0;
  csv_init(&r, text, len);
  assert_int_equal(csv_next(&r), 1);
  int c_rank = csv_column(&r, "rank"), c_index = csv_column(&r, "composite_index");
  assert_true(c_rank >= 0 && c_index >= 0);
  while (csv_next(&r) == 1) {
    assert_true(n < 32);
    published[n] = atoi(r.fields[c_rank]);
    index[n++] = atof(r.fields[c_index]);
  }
  free(text);
  /* the cities in reverse, so that the input order cannot carry the ranks */
  for (int i = 0; i < n / 2; i++) {
    double x = index[i];
    index[i] = index[n - 1 - i];
    index[n - 1 - i] = x;
    int p = published[i];
    published[i] = published[n - 1 - i];
    published[n - 1 - i] = p;
  }
  air_rank(index, n, rank);
  for (int i = 0; i < n; i++) {
    assert_int_equal(rank[i], published[i]);
    for (int j = 0; j < i; j++) ties += rank[j] == rank[i];
  }
  assert_int_equal(n, 17);
  assert_int_equal(ties, 4);
}

int main(void) {
  air_test_load(&std);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_percentile),
    cmocka_unit_test(test_composite_index),
    cmocka_unit_test(test_min_days),
    cmocka_unit_test(test_period_stats),
    cmocka_unit_test(test_ranking_hubei),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
