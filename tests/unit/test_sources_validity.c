/*
** Unit tests of valid data (sources/validity.h): the flag table of every
** generation, marked windows at their boundaries, the thresholds of
** validity.json, hourly and flow-weighted daily means, 折算, the capture
** and transmission rates, and the loaders' errors. Expected values are
** worked out by hand in the comments.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "test_sources_common.h"

static struct src_rules R;

/* Day 20454 is 2026-01-01. */
#define DAY0 20454

static void test_loaded_thresholds(void **state) {
  (void)state;
  assert_int_equal(R.hour_min_valid_minutes, 45);
  assert_int_equal(R.day_min_valid_hours, 18);
  assert_int_equal(R.unflagged_valid, 1);
  assert_int_equal(R.event_max_gap, SRC_DAY);
}

static void test_flags(void **state) {
  (void)state;
  assert_int_equal(src_value_verdict(&R, 'N', 0, SRC_HOUR, NULL, 0), SRC_VALID);
  /* Every other flag of 2005 (P), 2017 and 2025 is invalid. */
  for (const char *f = "FMSDCTBP"; *f; f++)
    assert_int_equal(src_value_verdict(&R, *f, 0, SRC_HOUR, NULL, 0), SRC_BAD_FLAG);
  /* Letters in no table, and bytes that are not letters, are unknown. */
  assert_int_equal(src_value_verdict(&R, 'X', 0, SRC_HOUR, NULL, 0), SRC_UNKNOWN_FLAG);
  assert_int_equal(src_value_verdict(&R, 'n', 0, SRC_HOUR, NULL, 0), SRC_UNKNOWN_FLAG);
  assert_int_equal(src_value_verdict(&R, (char)0xE4, 0, SRC_HOUR, NULL, 0), SRC_UNKNOWN_FLAG);
  /* No flag: valid by validity.json; invalid when so configured. */
  assert_int_equal(src_value_verdict(&R, 0, 0, SRC_HOUR, NULL, 0), SRC_VALID);
  struct src_rules strict = R;
  strict.unflagged_valid = 0;
  assert_int_equal(src_value_verdict(&strict, 0, 0, SRC_HOUR, NULL, 0), SRC_BAD_FLAG);
  /* Only F is a stop. */
  assert_true(src_period_stopped(&R, 'F', 0, SRC_HOUR, NULL, 0));
  assert_false(src_period_stopped(&R, 'M', 0, SRC_HOUR, NULL, 0));
  assert_false(src_period_stopped(&R, 'X', 0, SRC_HOUR, NULL, 0));
}

static void test_window_boundaries(void **state) {
  (void)state;
  /* 维护 from 10:00 to 11:30: the 09:00 hour ends as it starts, the 10:00
  ** and 11:00 hours overlap it, the 11:30 minute does not. */
  struct src_window w = {SRC_T(DAY0, 10), SRC_T(DAY0, 11) + 1800, SRC_WINDOW_MAINTENANCE};
  assert_int_equal(src_value_verdict(&R, 'N', SRC_T(DAY0, 9), SRC_HOUR, &w, 1), SRC_VALID);
  assert_int_equal(src_value_verdict(&R, 'N', SRC_T(DAY0, 10), SRC_HOUR, &w, 1), SRC_MARKED);
  assert_int_equal(src_value_verdict(&R, 'N', SRC_T(DAY0, 11), SRC_HOUR, &w, 1), SRC_MARKED);
  assert_int_equal(src_value_verdict(&R, 'N', SRC_T(DAY0, 11) + 1740, SRC_MINUTE, &w, 1), SRC_MARKED);
  assert_int_equal(src_value_verdict(&R, 'N', SRC_T(DAY0, 11) + 1800, SRC_MINUTE, &w, 1), SRC_VALID);
  assert_int_equal(src_value_verdict(&R, 'N', SRC_T(DAY0, 12), SRC_HOUR, &w, 1), SRC_VALID);
  /* A 维护 window is not a stop; a 停运 window is. */
  assert_false(src_period_stopped(&R, 'N', SRC_T(DAY0, 10), SRC_HOUR, &w, 1));
  w.kind = SRC_WINDOW_STOPPED;
  assert_true(src_period_stopped(&R, 'N', SRC_T(DAY0, 10), SRC_HOUR, &w, 1));
  assert_false(src_period_stopped(&R, 'N', SRC_T(DAY0, 9), SRC_HOUR, &w, 1));
}

/* Minutes 0..N-1 of the hour H of DAY0 with value 10 + minute, flag N. */
static size_t minutes(struct src_sample *m, int n) {
  for (int i = 0; i < n; i++) m[i] = (struct src_sample){SRC_T(DAY0, 8) + i * 60, 10.0 + i, 'N'};
  return (size_t)n;
}

static void test_hour_from_minutes(void **state) {
  (void)state;
  struct src_sample m[62];
  struct src_mean h;
  /* 45 valid minutes 10..54: mean 32, valid (the threshold is 45). */
  src_hour_from_minutes(&R, m, minutes(m, 45), SRC_T(DAY0, 8), NULL, 0, &h);
  assert_int_equal(h.n_valid, 45);
  assert_true(h.valid);
  assert_double_equal(h.value, 32.0, 1e-12);
  /* 44: invalid, the mean still given. */
  src_hour_from_minutes(&R, m, minutes(m, 44), SRC_T(DAY0, 8), NULL, 0, &h);
  assert_false(h.valid);
  assert_double_equal(h.value, 31.5, 1e-12);
  /* 60 minutes, 16 of them flagged C: 44 valid, invalid. Minutes of the
  ** next hour are not this hour's. */
  size_t n = minutes(m, 62);
  for (int i = 0; i < 16; i++) m[i].flag = 'C';
  src_hour_from_minutes(&R, m, n, SRC_T(DAY0, 8), NULL, 0, &h);
  assert_int_equal(h.n_valid, 44);
  assert_false(h.valid);
  /* A NAN value does not count; no valid minute: NAN. */
  m[20].v = NAN;
  src_hour_from_minutes(&R, m, n, SRC_T(DAY0, 8), NULL, 0, &h);
  assert_int_equal(h.n_valid, 43);
  src_hour_from_minutes(&R, m, n, SRC_T(DAY0, 20), NULL, 0, &h);
  assert_int_equal(h.n_valid, 0);
  assert_true(isnan(h.value));
}

static void test_water_day_flow_weighted(void **state) {
  (void)state;
  struct src_water_hour h[24];
  /* 18 hours: 6 at COD 40 mg/L x 100 m3, 6 at 60 x 300, 6 at 30 x 200.
  ** sum CQ = 6 x (4000 + 18000 + 6000) = 168000; sum Q = 3600;
  ** mean 46.666..., not the arithmetic 43.33. */
  for (int i = 0; i < 18; i++) {
    double c = i < 6 ? 40 : i < 12 ? 60 : 30, q = i < 6 ? 100 : i < 12 ? 300 : 200;
    h[i] = (struct src_water_hour){SRC_T(DAY0, i), c, 'N', q, 'N'};
  }
  struct src_water_day d;
  src_water_day(&R, h, 18, SRC_T(DAY0, 0), NULL, 0, &d);
  assert_int_equal(d.valid_hours, 18);
  assert_true(d.valid);
  assert_double_equal(d.load, 168000, 1e-9);
  assert_double_equal(d.volume, 3600, 1e-9);
  assert_double_equal(d.mean, 168000.0 / 3600, 1e-12);
  /* The flow of one hour flagged D: that hour leaves the mean and the
  ** day (17 hours) is invalid: 168000 - 18000 over 3300. */
  h[6].q_flag = 'D';
  src_water_day(&R, h, 18, SRC_T(DAY0, 0), NULL, 0, &d);
  assert_int_equal(d.valid_hours, 17);
  assert_false(d.valid);
  assert_double_equal(d.mean, 150000.0 / 3300, 1e-12);
  /* A concentration flagged M, a negative volume, an hour of the next
  ** day, a 停运 window over hours 0-1: left out. */
  h[6].q_flag = 'N';
  h[7].c_flag = 'M';
  h[8].q = -5;
  h[17].t = SRC_T(DAY0 + 1, 0);
  struct src_window w = {SRC_T(DAY0, 0), SRC_T(DAY0, 2), SRC_WINDOW_STOPPED};
  src_water_day(&R, h, 18, SRC_T(DAY0, 0), &w, 1, &d);
  assert_int_equal(d.valid_hours, 13);
  /* No flow at all: no mean, but the hours count. */
  for (int i = 0; i < 18; i++) h[i] = (struct src_water_hour){SRC_T(DAY0, i), 20, 'N', 0, 'N'};
  src_water_day(&R, h, 18, SRC_T(DAY0, 0), NULL, 0, &d);
  assert_true(d.valid);
  assert_true(isnan(d.mean));
  assert_double_equal(d.load, 0, 0);
}

static void test_reference_o2(void **state) {
  (void)state;
  double v;
  /* SO2 100 mg/m3 at 9% O2 to a coal boiler's 6%: 100 x 15/12 = 125. */
  assert_int_equal(src_reference_o2(100, 9, 6, &v), 0);
  assert_double_equal(v, 125, 1e-12);
  /* At 3% measured and 6% reference: 100 x 15/18 = 83.33. */
  assert_int_equal(src_reference_o2(100, 3, 6, &v), 0);
  assert_double_equal(v, 100.0 * 15 / 18, 1e-12);
  /* Incineration's 11% at 11% measured: unchanged. */
  assert_int_equal(src_reference_o2(80, 11, 11, &v), 0);
  assert_double_equal(v, 80, 0);
  /* 21% O2 (air) divides by zero; out-of-range or NAN values refused. */
  assert_int_equal(src_reference_o2(100, 21, 6, &v), -1);
  assert_int_equal(src_reference_o2(100, -0.1, 6, &v), -1);
  assert_int_equal(src_reference_o2(100, 9, 21, &v), -1);
  assert_int_equal(src_reference_o2(NAN, 9, 6, &v), -1);
  assert_int_equal(src_reference_o2(100, NAN, 6, &v), -1);
}

static void test_gas_hour(void **state) {
  (void)state;
  struct src_gas_hour g = {SRC_T(DAY0, 3), 100, 'N', 9, 'N'};
  struct src_mean m;
  src_gas_hour(&R, &g, 6, NULL, 0, &m);
  assert_true(m.valid);
  assert_double_equal(m.value, 125, 1e-12);
  /* No 折算 asked: as measured, the O2 not needed. */
  g.o2_flag = 'D';
  src_gas_hour(&R, &g, NAN, NULL, 0, &m);
  assert_true(m.valid);
  assert_double_equal(m.value, 100, 0);
  /* 折算 asked with an invalid O2, or O2 at 21: invalid. */
  src_gas_hour(&R, &g, 6, NULL, 0, &m);
  assert_false(m.valid);
  g.o2_flag = 'N';
  g.o2 = 21;
  src_gas_hour(&R, &g, 6, NULL, 0, &m);
  assert_false(m.valid);
  assert_true(isnan(m.value));
  /* The concentration in a 校准 window: invalid. */
  g.o2 = 9;
  struct src_window w = {SRC_T(DAY0, 3) + 600, SRC_T(DAY0, 3) + 900, SRC_WINDOW_CALIBRATION};
  src_gas_hour(&R, &g, 6, &w, 1, &m);
  assert_false(m.valid);
}

static void test_capture_rate(void **state) {
  (void)state;
  /* One day: hours 0-1 flagged F (stopped), hour 2 M, hour 3 missing,
  ** hour 4 sent twice (the first counts), hours 4-23 N: valid 20 of 22. */
  struct src_sample h[25];
  size_t n = 0;
  for (int i = 0; i < 24; i++) {
    if (i == 3) continue;
    h[n++] = (struct src_sample){SRC_T(DAY0, i), 5, i < 2 ? 'F' : i == 2 ? 'M' : 'N'};
  }
  h[n++] = (struct src_sample){SRC_T(DAY0, 4), 5, 'D'};
  struct src_capture c;
  assert_int_equal(src_capture_rate(&R, h, n, SRC_T(DAY0, 0), SRC_T(DAY0 + 1, 0), NULL, 0, &c), 0);
  assert_int_equal(c.expected, 24);
  assert_int_equal(c.stopped, 2);
  assert_int_equal(c.valid, 20);
  assert_double_equal(c.rate, 100.0 * 20 / 22, 1e-12);
  /* A 停运 window over hours 10-11 (with data flagged N): stopped too:
  ** 18 valid of 20. A 故障 window over hour 12: invalid, not stopped. */
  struct src_window w[2] = {{SRC_T(DAY0, 10), SRC_T(DAY0, 12), SRC_WINDOW_STOPPED},
                            {SRC_T(DAY0, 12), SRC_T(DAY0, 13), SRC_WINDOW_FAULT}};
  assert_int_equal(src_capture_rate(&R, h, n, SRC_T(DAY0, 0), SRC_T(DAY0 + 1, 0), w, 2, &c), 0);
  assert_int_equal(c.stopped, 4);
  assert_int_equal(c.valid, 17);
  assert_double_equal(c.rate, 100.0 * 17 / 20, 1e-12);
  /* Every hour stopped: no rate. Bad bounds refused. */
  struct src_window all = {SRC_T(DAY0, 0), SRC_T(DAY0 + 1, 0), SRC_WINDOW_STOPPED};
  assert_int_equal(src_capture_rate(&R, h, n, SRC_T(DAY0, 0), SRC_T(DAY0 + 1, 0), &all, 1, &c), 0);
  assert_true(isnan(c.rate));
  assert_int_equal(src_capture_rate(&R, h, n, SRC_T(DAY0, 1), SRC_T(DAY0, 1), NULL, 0, &c), -1);
  assert_int_equal(src_capture_rate(&R, h, n, SRC_T(DAY0, 0) + 60, SRC_T(DAY0, 2), NULL, 0, &c), -1);
}

static void test_transmission_rate(void **state) {
  (void)state;
  /* Hourly reporting over a day: 22 distinct hours, hour 5 sent twice
  ** (once at :00, once at :30), one packet of the next day and one from
  ** before: 22 of 24. */
  int64_t t[26];
  size_t n = 0;
  for (int i = 0; i < 24; i++)
    if (i != 7 && i != 8) t[n++] = SRC_T(DAY0, i);
  t[n++] = SRC_T(DAY0, 5) + 1800;
  t[n++] = SRC_T(DAY0 + 1, 0);
  t[n++] = SRC_T(DAY0, 0) - 1;
  int got, want;
  double rate;
  assert_int_equal(src_transmission_rate(t, n, SRC_T(DAY0, 0), SRC_T(DAY0 + 1, 0), SRC_HOUR, &got, &want, &rate), 0);
  assert_int_equal(got, 22);
  assert_int_equal(want, 24);
  assert_double_equal(rate, 100.0 * 22 / 24, 1e-12);
  /* Minute data (interval 60) over the same day: 1440 expected. */
  assert_int_equal(src_transmission_rate(t, n, SRC_T(DAY0, 0), SRC_T(DAY0 + 1, 0), 60, &got, &want, &rate), 0);
  assert_int_equal(want, 1440);
  assert_int_equal(got, 23);
  assert_int_equal(src_transmission_rate(t, n, 0, 10, 60, &got, &want, &rate), -1);
  assert_int_equal(src_transmission_rate(t, n, 0, 3600, 0, &got, &want, &rate), -1);
}

static void expect_load_error(const char *flags, const char *json, const char *part) {
  struct src_rules r = R, before = R;
  char err[200];
  assert_int_equal(src_rules_load(&r, flags, strlen(flags), json, err, sizeof err), -1);
  if (!strstr(err, part)) fail_msg("'%s' not in '%s'", part, err);
  assert_memory_equal(&r, &before, sizeof r);
}

static void test_load_errors(void **state) {
  (void)state;
  const char *flags = "flag,generation,valid,stopped,meaning,source\nN,2017,1,0,x,y\n";
  const char *json = "{\"hour_min_valid_minutes\":45,\"day_min_valid_hours\":18,"
                     "\"unflagged_valid\":true,\"event_max_gap_seconds\":0}";
  struct src_rules r;
  char err[200];
  assert_int_equal(src_rules_load(&r, flags, strlen(flags), json, err, sizeof err), 0);
  assert_int_equal(src_value_verdict(&r, 'F', 0, 1, NULL, 0), SRC_UNKNOWN_FLAG);
  expect_load_error("flag,valid\nN,1\n", json, "header needs");
  expect_load_error("flag,generation,valid,stopped\nN,2017,1,0\nN,2005,0,0\n", json, "line 3: flag N disagrees");
  expect_load_error("flag,generation,valid,stopped\nNN,2017,1,0\n", json, "line 2: flag 'NN'");
  expect_load_error("flag,generation,valid,stopped\nN,2017,yes,0\n", json, "line 2: valid and stopped");
  expect_load_error("flag,generation,valid,stopped\nN,2017\n", json, "line 2: too few");
  expect_load_error(flags, "{", "validity.json: line 1");
  expect_load_error(flags, "{\"hour_min_valid_minutes\":61,\"day_min_valid_hours\":18,"
                    "\"unflagged_valid\":true,\"event_max_gap_seconds\":0}", "hour_min_valid_minutes");
  expect_load_error(flags, "{\"hour_min_valid_minutes\":45,\"day_min_valid_hours\":25,"
                    "\"unflagged_valid\":true,\"event_max_gap_seconds\":0}", "day_min_valid_hours");
  expect_load_error(flags, "{\"hour_min_valid_minutes\":45,\"day_min_valid_hours\":18,"
                    "\"unflagged_valid\":1,\"event_max_gap_seconds\":0}", "unflagged_valid");
  expect_load_error(flags, "{\"hour_min_valid_minutes\":45,\"day_min_valid_hours\":18,"
                    "\"unflagged_valid\":true}", "event_max_gap_seconds");
}

static int setup(void **state) {
  (void)state;
  R = sources_rules_or_die();
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_loaded_thresholds),
    cmocka_unit_test(test_flags),
    cmocka_unit_test(test_window_boundaries),
    cmocka_unit_test(test_hour_from_minutes),
    cmocka_unit_test(test_water_day_flow_weighted),
    cmocka_unit_test(test_reference_o2),
    cmocka_unit_test(test_gas_hour),
    cmocka_unit_test(test_capture_rate),
    cmocka_unit_test(test_transmission_rate),
    cmocka_unit_test(test_load_errors),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
