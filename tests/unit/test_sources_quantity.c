/*
** Unit tests of discharged quantities (sources/quantity.h): unit
** conversion to kg, a day's quantity from a day's load, monthly and
** yearly sums, the permitted annual quantity's warnings at their
** boundaries, and totals.json.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "test_sources_common.h"
#include "hj212/hj212.h"
#include "sources/quantity.h"
#include "sources/validity.h"
#include "supervision/period.h"

static struct src_totals_config C;

static int setup(void **state) {
  (void)state;
  char err[200];
  char *json = test_read_file("data/sources/totals.json", NULL);
  int rc = src_totals_config_parse(json, &C, err, sizeof err);
  free(json);
  return rc;
}

static void test_units(void **state) {
  (void)state;
  double f;
  assert_int_equal(src_unit_kg_factor("毫克/升", &f), 0);
  assert_double_equal(f, 1e-3, 0);
  assert_int_equal(src_unit_kg_factor("毫克/立方米", &f), 0);
  assert_double_equal(f, 1e-6, 0);
  assert_int_equal(src_unit_kg_factor("微克/升", &f), 0);
  assert_double_equal(f, 1e-6, 0);
  assert_int_equal(src_unit_kg_factor("无量纲", &f), -1);
  assert_int_equal(src_unit_kg_factor("mg/L", &f), -1);
}

static void test_day_quantity(void **state) {
  (void)state;
  /* COD 40 mg/L over 24 hours of 250 m3 (6000 m3): 240000 g = 240 kg. */
  struct src_rules r = sources_rules_or_die();
  struct src_water_hour h[24];
  for (int i = 0; i < 24; i++) h[i] = (struct src_water_hour){(int64_t)i * SRC_HOUR, 40, 0, 250, 0};
  struct src_water_day d;
  src_water_day(&r, h, 24, 0, NULL, 0, &d);
  double f;
  src_unit_kg_factor("毫克/升", &f);
  assert_double_equal(d.load * f, 240, 1e-9);
  /* SO2 120 mg/m3 over 1e6 m3: 120 kg. */
  src_unit_kg_factor("毫克/立方米", &f);
  assert_double_equal(120 * 1e6 * f, 120, 1e-9);
}

/* Line 4 of tests/data/hj212/public_packets.txt: a real hourly upload
** (CN 2061) of a flue-gas outlet, whose logger computed the hour's
** quantity itself: a24088 (非甲烷总烃) Avg 0.933 mg/m3 over a00000-Cou
** 19191.973 m3 gives 0.933 x 19191.973 x 1e-6 = 0.017906 kg, which the
** station sent as a24088-Cou=0.018 (kg, 3 decimals). */
static void test_real_packet_quantity(void **state) {
  (void)state;
  char *text = test_read_file("tests/data/hj212/public_packets.txt", NULL);
  char *line = text;
  for (int i = 1; i < 4; i++) line = strchr(line, '\n') + 1;
  size_t len = (size_t)(strchr(line, '\n') - line);
  struct hj212_codes *codes = test_hj212_codes();
  static struct hj212_packet p;
  /* The data segment: after "##" and the 4-digit length, before the CRC. */
  assert_int_equal(hj212_parse(line + 6, len - 10, codes, &p), HJ212_OK);
  const struct hj212_pollutant *nmhc = hj212_pollutant(&p, "a24088"), *flow = hj212_pollutant(&p, "a00000");
  assert_non_null(nmhc);
  assert_non_null(flow);
  struct src_rules r = sources_rules_or_die();
  struct src_gas_hour g = {0, nmhc->v[HJ212_AVG], nmhc->flag, NAN, 0};
  struct src_mean m;
  src_gas_hour(&r, &g, NAN, NULL, 0, &m);
  assert_true(m.valid);
  assert_int_equal(src_value_verdict(&r, flow->flag, 0, SRC_HOUR, NULL, 0), SRC_VALID);
  double factor;
  assert_int_equal(src_unit_kg_factor(nmhc->info->unit, &factor), 0);
  double kg = m.value * flow->v[HJ212_COU] * factor;
  assert_double_equal(kg, 0.933 * 19191.973e-6, 1e-12);
  assert_double_equal(kg, nmhc->v[HJ212_COU], 0.0005);
  hj212_codes_free(codes);
  free(text);
}

static void test_year_totals(void **state) {
  (void)state;
  int jan1, feb28, mar1, dec31, prev;
  day_parse("2026-01-01", &jan1);
  day_parse("2026-02-28", &feb28);
  day_parse("2026-03-01", &mar1);
  day_parse("2026-12-31", &dec31);
  day_parse("2025-12-31", &prev);
  struct src_day_quantity d[] = {{jan1, 1, 100}, {feb28, 0, 40.5}, {mar1, 1, 10},
                                 {dec31, 1, 1.25}, {prev, 1, 999}};
  struct src_year_totals t;
  src_year_totals(d, 5, 2026, &t);
  assert_int_equal(t.year, 2026);
  assert_double_equal(t.month_kg[0], 100, 0);
  assert_double_equal(t.month_kg[1], 40.5, 0);
  assert_int_equal(t.invalid_days[1], 1);
  assert_double_equal(t.month_kg[2], 10, 0);
  assert_double_equal(t.month_kg[11], 1.25, 0);
  assert_double_equal(t.year_kg, 151.75, 1e-12);
  src_year_totals(d, 5, 2025, &t);
  assert_double_equal(t.year_kg, 999, 0);
}

static void test_quota_boundaries(void **state) {
  (void)state;
  struct src_quota q;
  /* 10 t permitted: 7999.99 kg ok, 8000 kg warning, 10000 kg reached. */
  src_quota_check(&C, 7999.99, 10, &q);
  assert_int_equal(q.state, SRC_QUOTA_OK);
  src_quota_check(&C, 8000, 10, &q);
  assert_int_equal(q.state, SRC_QUOTA_WARNING);
  assert_double_equal(q.ratio, 0.8, 1e-12);
  assert_double_equal(q.used_t, 8, 1e-12);
  src_quota_check(&C, 9999.9, 10, &q);
  assert_int_equal(q.state, SRC_QUOTA_WARNING);
  src_quota_check(&C, 10000, 10, &q);
  assert_int_equal(q.state, SRC_QUOTA_REACHED);
  src_quota_check(&C, 12500, 10, &q);
  assert_double_equal(q.ratio, 1.25, 1e-12);
  /* No permitted quantity. */
  src_quota_check(&C, 100, NAN, &q);
  assert_int_equal(q.state, SRC_QUOTA_NONE);
  assert_true(isnan(q.ratio));
  src_quota_check(&C, 100, 0, &q);
  assert_int_equal(q.state, SRC_QUOTA_NONE);
}

static void test_config_errors(void **state) {
  (void)state;
  struct src_totals_config c = {0};
  char err[200];
  assert_double_equal(C.warn_ratio, 0.8, 0);
  assert_double_equal(C.reached_ratio, 1.0, 0);
  assert_int_equal(src_totals_config_parse("{", &c, err, sizeof err), -1);
  assert_non_null(strstr(err, "line 1"));
  assert_int_equal(src_totals_config_parse("{\"warn_ratio\":0.8}", &c, err, sizeof err), -1);
  assert_non_null(strstr(err, "reached_ratio"));
  assert_int_equal(src_totals_config_parse("{\"warn_ratio\":\"x\",\"reached_ratio\":1}", &c, err, sizeof err), -1);
  assert_non_null(strstr(err, "warn_ratio"));
  assert_int_equal(src_totals_config_parse("{\"warn_ratio\":1,\"reached_ratio\":1}", &c, err, sizeof err), -1);
  assert_non_null(strstr(err, "below"));
  assert_double_equal(c.warn_ratio, 0, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_units),
    cmocka_unit_test(test_day_quantity),
    cmocka_unit_test(test_real_packet_quantity),
    cmocka_unit_test(test_year_totals),
    cmocka_unit_test(test_quota_boundaries),
    cmocka_unit_test(test_config_errors),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
