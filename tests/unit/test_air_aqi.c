/*
** The AQI core (air.h): the IAQI at and on both sides of every breakpoint
** of both editions, written out here from HJ 633-2012 Table 1 and
** HJ 633—2026 (not read from the CSVs, so a wrong table fails); the switch
** of edition at the hour ending 2026-03-01 01:00; the rules past a table's
** top; missing and not-measured items; primary pollutants and ties; levels;
** rounding; the means and their validity.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "test_air_common.h"

static struct air_standard std;

static const double iaqi_levels[8] = {0, 50, 100, 150, 200, 300, 400, 500};

/* One table as the standard prints it: key, mode, breakpoints (-1 ends). */
struct printed { int key; enum air_mode mode; double bp[8]; };

static const struct printed table_2012[] = {
  {AIR_PM25, AIR_REALTIME, {0, 35, 75, 115, 150, 250, 350, 500}},
  {AIR_PM10, AIR_REALTIME, {0, 50, 150, 250, 350, 420, 500, 600}},
  {AIR_SO2, AIR_REALTIME, {0, 150, 500, 650, 800, -1}},
  {AIR_NO2, AIR_REALTIME, {0, 100, 200, 700, 1200, 2340, 3090, 3840}},
  {AIR_CO, AIR_REALTIME, {0, 5, 10, 35, 60, 90, 120, 150}},
  {AIR_O3, AIR_REALTIME, {0, 160, 200, 300, 400, 800, 1000, 1200}},
  {AIR_PM25, AIR_DAILY, {0, 35, 75, 115, 150, 250, 350, 500}},
  {AIR_PM10, AIR_DAILY, {0, 50, 150, 250, 350, 420, 500, 600}},
  {AIR_SO2, AIR_DAILY, {0, 50, 150, 475, 800, 1600, 2100, 2620}},
  {AIR_NO2, AIR_DAILY, {0, 40, 80, 180, 280, 565, 750, 940}},
  {AIR_CO, AIR_DAILY, {0, 2, 4, 14, 24, 36, 48, 60}},
  {AIR_O3, AIR_DAILY, {0, 160, 200, 300, 400, 800, 1000, 1200}},
  {AIR_O3_8H, AIR_DAILY, {0, 100, 160, 215, 265, 800, -1}},
};

/* 2026: PM2.5 100 at 60 and PM10 100 at 120, the rest unchanged. */
static struct printed table_2026[sizeof table_2012 / sizeof table_2012[0]];

static void make_2026(void) {
  memcpy(table_2026, table_2012, sizeof table_2012);
  for (size_t i = 0; i < sizeof table_2026 / sizeof table_2026[0]; i++) {
    if (table_2026[i].key == AIR_PM25) table_2026[i].bp[2] = 60;
    if (table_2026[i].key == AIR_PM10) table_2026[i].bp[2] = 120;
  }
}

static long hour(const char *text) {
  long h;
  assert_int_equal(air_hour_parse(text, &h), 0);
  return h;
}

/* An input where only KEY is present, at C; the rest not measured. */
static struct air_input only(int key, double c) {
  struct air_input in = {.so2_24h = -1};
  for (int k = 0; k < AIR_NKEYS; k++) in.state[k] = AIR_NOT_MEASURED;
  in.state[key] = AIR_PRESENT;
  in.value[key] = c;
  return in;
}

/* The IAQI the standard's formula gives at C between the printed breakpoints, rounded up. */
static int expected_iaqi(const double *bp, double c) {
  int k = 1;
  while (c > bp[k]) k++;
  double x = (iaqi_levels[k] - iaqi_levels[k - 1]) / (bp[k] - bp[k - 1]) * (c - bp[k - 1]) +
             iaqi_levels[k - 1];
  return (int)ceil(x - 1e-9);
}

static int aqi_of(const struct air_edition *e, enum air_mode mode, struct air_input in) {
  struct air_result r;
  air_aqi(&std, e, mode, &in, &r);
  assert_true(r.published);
  return r.aqi;
}

/* At each breakpoint the IAQI of its column; one published step (1 µg/m³,
** CO 0.1 mg/m³) below and above it, the interpolation on that side. */
static void check_breakpoints(const struct air_edition *e, const struct printed *t, size_t n) {
  int checked = 0;
  for (size_t i = 0; i < n; i++) {
    int nbp = 0;
    while (nbp < 8 && t[i].bp[nbp] >= 0) nbp++;
    double step = t[i].key == AIR_CO ? 0.1 : 1;
    assert_int_equal(e->table[t[i].mode][t[i].key].n, nbp);
    for (int k = 0; k < nbp; k++) {
      double c = t[i].bp[k];
      assert_int_equal(aqi_of(e, t[i].mode, only(t[i].key, c)), (int)iaqi_levels[k]);
      if (k > 0) {
        int below = aqi_of(e, t[i].mode, only(t[i].key, c - step));
        assert_int_equal(below, expected_iaqi(t[i].bp, c - step));
        assert_true(below <= iaqi_levels[k] && below > iaqi_levels[k - 1]);
      }
      if (k < nbp - 1) {
        int above = aqi_of(e, t[i].mode, only(t[i].key, c + step));
        assert_int_equal(above, expected_iaqi(t[i].bp, c + step));
        assert_true(above > iaqi_levels[k] && above <= iaqi_levels[k + 1]);
      }
      checked++;
    }
  }
  assert_true(checked > 80);
}

static void test_breakpoints_2012(void **state) {
  (void)state;
  const struct air_edition *e = air_edition_at(&std, hour("2022-06-15 15:00"));
  assert_string_equal(e->name, "HJ 633-2012");
  check_breakpoints(e, table_2012, sizeof table_2012 / sizeof table_2012[0]);
}

static void test_breakpoints_2026(void **state) {
  (void)state;
  make_2026();
  const struct air_edition *e = air_edition_at(&std, hour("2026-03-15 15:00"));
  assert_string_equal(e->name, "HJ 633—2026");
  check_breakpoints(e, table_2026, sizeof table_2026 / sizeof table_2026[0]);
}

/* The hour ending 2026-03-01 00:00 (also written 2026-02-28 24:00) is the
** last of 2012's table, the hour ending 01:00 the first of 2026's. */
static void test_edition_switch(void **state) {
  (void)state;
  const struct air_edition *last = air_edition_at(&std, hour("2026-03-01 00:00"));
  const struct air_edition *first = air_edition_at(&std, hour("2026-03-01 01:00"));
  assert_ptr_equal(air_edition_at(&std, hour("2026-02-28 24:00")), last);
  assert_string_equal(last->name, "HJ 633-2012");
  assert_string_equal(first->name, "HJ 633—2026");
  assert_int_equal(aqi_of(last, AIR_REALTIME, only(AIR_PM25, 75)), 100);
  assert_int_equal(aqi_of(first, AIR_REALTIME, only(AIR_PM25, 75)), 114);
  assert_int_equal(aqi_of(last, AIR_REALTIME, only(AIR_PM10, 150)), 100);
  assert_int_equal(aqi_of(first, AIR_REALTIME, only(AIR_PM10, 150)), 112);
  /* air.md's example of rounding up: 81.25 is 82 */
  assert_int_equal(aqi_of(last, AIR_REALTIME, only(AIR_PM25, 60)), 82);
  long h;
  assert_int_equal(air_hour_parse("2026-03-01 25:00", &h), -1);
  assert_int_equal(air_hour_parse("2026-03-01 01:30", &h), -1);
  assert_int_equal(air_hour_parse("2026-02-30 01:00", &h), -1);
}

/* Past the top of a table: 500; SO2 1-hour above 800 takes the 24-hour IAQI
** in 2012 (nothing without it) and 200 in 2026; O3 8-hour above 800 gives
** way to the 1-hour O3 in 2012 and is 300 in 2026. */
static void test_above_top(void **state) {
  (void)state;
  const struct air_edition *e12 = air_edition_at(&std, hour("2025-01-01 01:00"));
  const struct air_edition *e26 = air_edition_at(&std, hour("2026-06-01 01:00"));
  assert_int_equal(aqi_of(e12, AIR_REALTIME, only(AIR_PM25, 900)), 500);
  assert_int_equal(aqi_of(e26, AIR_REALTIME, only(AIR_CO, 151)), 500);
  struct air_input so2 = only(AIR_SO2, 801);
  so2.so2_24h = 100;
  assert_int_equal(aqi_of(e12, AIR_REALTIME, so2), 75);
  assert_int_equal(aqi_of(e26, AIR_REALTIME, so2), 200);
  struct air_result r;
  so2.so2_24h = -1;
  air_aqi(&std, e12, AIR_REALTIME, &so2, &r);
  assert_false(r.published);
  struct air_input o3 = only(AIR_O3_8H, 801);
  o3.state[AIR_O3] = AIR_PRESENT;
  o3.value[AIR_O3] = 900;
  assert_int_equal(aqi_of(e12, AIR_DAILY, o3), 350);
  air_aqi(&std, e12, AIR_DAILY, &o3, &r);
  assert_int_equal(r.primary, 1u << AIR_O3);
  o3.value[AIR_O3] = 500;
  assert_int_equal(aqi_of(e26, AIR_DAILY, o3), 300);
  air_aqi(&std, e26, AIR_DAILY, &o3, &r);
  assert_int_equal(r.primary, 1u << AIR_O3_8H);
  /* the real-time AQI has no 8-hour O3 */
  assert_int_equal(e12->table[AIR_REALTIME][AIR_O3_8H].n, 0);
}

/* A full hour: every item present, small values (PM2.5 20 gives 29). */
static struct air_input clean_hour(void) {
  struct air_input in = {.so2_24h = -1};
  const double v[AIR_NKEYS] = {[AIR_PM10] = 25, [AIR_PM25] = 20, [AIR_O3] = 60,
                               [AIR_SO2] = 5, [AIR_NO2] = 20, [AIR_CO] = 0.5};
  for (int k = 0; k < AIR_NKEYS; k++) {
    in.state[k] = k == AIR_O3_8H ? AIR_NOT_MEASURED : AIR_PRESENT;
    in.value[k] = v[k];
  }
  return in;
}

static void test_missing_items(void **state) {
  (void)state;
  const struct air_edition *e12 = air_edition_at(&std, hour("2022-06-15 15:00"));
  const struct air_edition *e26 = air_edition_at(&std, hour("2026-03-15 15:00"));
  struct air_result r;
  struct air_input in = clean_hour();
  air_aqi(&std, e12, AIR_REALTIME, &in, &r);
  assert_true(r.published);
  assert_int_equal(r.aqi, 29);
  assert_int_equal(r.primary, 0);
  /* a missing O3 withholds an AQI of 100 or less ... */
  in.state[AIR_O3] = AIR_MISSING;
  air_aqi(&std, e12, AIR_REALTIME, &in, &r);
  assert_false(r.published);
  assert_null(r.level);
  in.value[AIR_PM10] = 151;  /* 100.5: 101 */
  air_aqi(&std, e12, AIR_REALTIME, &in, &r);
  assert_true(r.published);
  assert_int_equal(r.aqi, 101);
  /* ... but an item not measured is ignored whatever the AQI */
  in = clean_hour();
  in.state[AIR_O3] = AIR_NOT_MEASURED;
  air_aqi(&std, e12, AIR_REALTIME, &in, &r);
  assert_true(r.published);
  assert_int_equal(r.aqi, 29);
  /* both PM items missing: never published, even at 300 */
  in = clean_hour();
  in.state[AIR_PM10] = in.state[AIR_PM25] = AIR_MISSING;
  in.value[AIR_O3] = 800;
  air_aqi(&std, e12, AIR_REALTIME, &in, &r);
  assert_false(r.published);
  /* an empty PM10 beside a PM2.5: missing in 2012, hidden from 2026 */
  in = clean_hour();
  in.state[AIR_PM10] = AIR_MISSING;
  air_aqi(&std, e12, AIR_REALTIME, &in, &r);
  assert_false(r.published);
  air_aqi(&std, e26, AIR_REALTIME, &in, &r);
  assert_true(r.published);
  assert_int_equal(r.aqi, 29);
  /* the hidden PM10 needs the PM2.5 beside it */
  in.state[AIR_PM25] = AIR_NOT_MEASURED;
  air_aqi(&std, e26, AIR_REALTIME, &in, &r);
  assert_false(r.published);
}

static void test_primary_and_ties(void **state) {
  (void)state;
  const struct air_edition *e = air_edition_at(&std, hour("2022-06-15 15:00"));
  struct air_result r;
  struct air_input in = clean_hour();
  in.value[AIR_PM25] = 35;   /* exactly 50: no primary pollutant */
  air_aqi(&std, e, AIR_REALTIME, &in, &r);
  assert_int_equal(r.aqi, 50);
  assert_int_equal(r.primary, 0);
  in.value[AIR_PM25] = 36;   /* 52 */
  air_aqi(&std, e, AIR_REALTIME, &in, &r);
  assert_int_equal(r.aqi, 52);
  assert_int_equal(r.primary, 1u << AIR_PM25);
  in.value[AIR_PM10] = 52;   /* 51 */
  in.value[AIR_PM25] = 36;
  in.value[AIR_O3] = 163;    /* 54 */
  air_aqi(&std, e, AIR_REALTIME, &in, &r);
  assert_int_equal(r.primary, 1u << AIR_O3);
  in.value[AIR_PM10] = 150;  /* 100 */
  in.value[AIR_PM25] = 75;   /* 100 */
  in.value[AIR_O3] = 200;    /* 100 */
  air_aqi(&std, e, AIR_REALTIME, &in, &r);
  assert_int_equal(r.aqi, 100);
  assert_int_equal(r.primary, 1u << AIR_PM10 | 1u << AIR_PM25 | 1u << AIR_O3);
  assert_string_equal(std.key[std.order[0]], "pm10");
  assert_string_equal(std.key[std.order[1]], "pm2_5");
  assert_string_equal(std.key[std.order[2]], "o3");
}

static void test_levels(void **state) {
  (void)state;
  const int edges[][2] = {{0, 1}, {50, 1}, {51, 2}, {100, 2}, {101, 3}, {150, 3}, {151, 4},
                          {200, 4}, {201, 5}, {300, 5}, {301, 6}, {500, 6}};
  for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
    assert_int_equal(air_level_of(&std, edges[i][0])->level, edges[i][1]);
  const struct air_level *l = air_level_of(&std, 301);
  assert_string_equal(l->name, "严重污染");
  assert_string_equal(l->colour, "褐红色");
  assert_string_equal(l->rgb, "#7E0023");
  assert_non_null(strstr(l->advice, "避免户外活动"));
  const char *names[] = {"优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"};
  for (int i = 0; i < AIR_NLEVELS; i++) {
    assert_string_equal(std.level[i].name, names[i]);
    assert_true(std.level[i].effect[0] && std.level[i].advice[0]);
  }
}

/* Concentrations are rounded (half to even) at their decimals before the
** lookup: CO 5.05 is 5.0 (IAQI 50), 5.15 is 5.2 (52). */
static void test_rounding(void **state) {
  (void)state;
  const struct air_edition *e = air_edition_at(&std, hour("2022-06-15 15:00"));
  assert_int_equal(aqi_of(e, AIR_REALTIME, only(AIR_CO, 5.05)), 50);
  assert_int_equal(aqi_of(e, AIR_REALTIME, only(AIR_CO, 5.15)), 52);
  assert_int_equal(aqi_of(e, AIR_REALTIME, only(AIR_PM25, 35.5)), 52);   /* 36 */
  assert_int_equal(aqi_of(e, AIR_REALTIME, only(AIR_PM25, 34.5)), 49);   /* 34 */
  /* CO 0.7 mg/m3 is 7 exactly, not 8 (floating-point slack) */
  assert_int_equal(aqi_of(e, AIR_REALTIME, only(AIR_CO, 0.7)), 7);
  assert_true(fabs(air_round(0.325, 2) - 0.32) < 1e-12);
  assert_true(fabs(air_round(0.335, 2) - 0.34) < 1e-12);
  assert_true(fabs(air_round(2.5, 0) - 2) < 1e-12);
  assert_true(fabs(air_round(0.2286, 2) - 0.23) < 1e-12);
}

static void test_means(void **state) {
  (void)state;
  const struct air_validity *v = &std.validity;
  assert_int_equal(v->day_min_hours, 20);
  assert_int_equal(v->o3_8h_min_hours, 6);
  assert_int_equal(v->o3_8h_max_min_windows, 14);
  double h[24];
  for (int i = 0; i < 24; i++) h[i] = i < 20 ? 10 + i : NAN;
  assert_true(fabs(air_mean(h, 24, 20) - 19.5) < 1e-9);
  h[19] = NAN;
  assert_true(isnan(air_mean(h, 24, 20)));
  /* O3: hour i (ending i+1 o'clock) holds 100 + i; the best window is the
  ** last, hours 16..23: mean 119.5 */
  for (int i = 0; i < 24; i++) h[i] = 100 + i;
  assert_true(fabs(air_o3_8h_max(v, h) - 119.5) < 1e-9);
  /* 6 of 8 values still make a window: drop hours 22 and 23 */
  h[22] = h[23] = NAN;
  assert_true(fabs(air_o3_8h_max(v, h) - (116 + 117 + 118 + 119 + 120 + 121) / 6.0) < 1e-9);
  /* three missing hours at the end leave that window out */
  h[21] = NAN;
  assert_true(fabs(air_o3_8h_max(v, h) - (115 + 116 + 117 + 118 + 119 + 120) / 6.0) < 1e-9);
  /* 14 valid windows of the 17 (ending at index 7..23) are enough, 13 are
  ** not. Hours 0..6 missing: the windows ending at 7..11 hold 1..5 values,
  ** 12 windows are valid */
  for (int i = 0; i < 24; i++) h[i] = i < 7 ? NAN : 50;
  assert_true(isnan(air_o3_8h_max(v, h)));
  for (int i = 0; i < 24; i++) h[i] = i < 3 ? NAN : 50;   /* 16 valid: 7 holds 5 values */
  assert_true(fabs(air_o3_8h_max(v, h) - 50) < 1e-9);
  for (int i = 0; i < 24; i++) h[i] = i < 5 ? NAN : 50;   /* ending at 7, 8, 9: 3, 4, 5 values */
  assert_true(fabs(air_o3_8h_max(v, h) - 50) < 1e-9);      /* 14 windows valid */
  h[5] = NAN;                                              /* 13 windows valid */
  assert_true(isnan(air_o3_8h_max(v, h)));
}

/* A day of hours into the daily AQI: 24-hour means on the 24-hour tables,
** the daily maximum 8-hour O3. */
static void test_daily(void **state) {
  (void)state;
  double hours[AIR_NKEYS][24];
  for (int i = 0; i < 24; i++) {
    hours[AIR_PM25][i] = 80;       /* 2012 24-hour table: 106.25, so 107 */
    hours[AIR_PM10][i] = 100;
    hours[AIR_SO2][i] = i < 19 ? 10 : NAN;   /* 19 hours: no valid mean */
    hours[AIR_NO2][i] = 30;
    hours[AIR_CO][i] = 1.0;
    hours[AIR_O3][i] = 150;        /* 1-hour max 150: 47; 8-hour 150: 92 */
    hours[AIR_O3_8H][i] = NAN;
  }
  struct air_input day;
  air_day_input(&std.validity, hours, 0, &day);
  assert_int_equal(day.state[AIR_SO2], AIR_MISSING);
  assert_int_equal(day.state[AIR_O3_8H], AIR_PRESENT);
  assert_true(fabs(day.value[AIR_O3_8H] - 150) < 1e-9);
  struct air_result r;
  air_aqi(&std, air_edition_at(&std, hour("2025-07-01 01:00")), AIR_DAILY, &day, &r);
  assert_true(r.published);
  assert_int_equal(r.aqi, 107);            /* PM2.5 80 on 35..75..115: 106.25 up */
  assert_int_equal(r.iaqi[AIR_O3_8H], 92); /* 100..160: 91.67 up */
  assert_int_equal(r.iaqi[AIR_O3], 47);
  assert_int_equal(r.iaqi[AIR_NO2], 38);   /* 24-hour NO2 table: 37.5 up */
  assert_int_equal(r.primary, 1u << AIR_PM25);
  air_day_input(&std.validity, hours, 1u << AIR_SO2, &day);
  assert_int_equal(day.state[AIR_SO2], AIR_NOT_MEASURED);
}

/* The real files, except OVERRIDE_NAME whose text is OVERRIDE_TEXT. */
struct override { const char *name, *text; struct air_files files; };

static const char *find_override(const char *name, size_t *len, void *ctx) {
  struct override *o = ctx;
  if (strcmp(name, o->name)) return air_test_find(name, len, &o->files);
  *len = strlen(o->text);
  return o->text;
}

/* Loading with NAME replaced by TEXT fails with a message containing WANT. */
static void assert_refused(const char *name, const char *text, const char *want) {
  struct override o = {name, text, {.n = 0}};
  struct air_standard s;
  char err[256] = "";
  int rc = air_standard_load(&s, find_override, &o, err, sizeof err);
  for (int i = 0; i < o.files.n; i++) free(o.files.text[i]);
  assert_int_equal(rc, -1);
  if (!strstr(err, want)) fail_msg("'%s' does not say '%s'", err, want);
}

/* A malformed table stops the load with its file, line and field. */
static void test_bad_tables(void **state) {
  (void)state;
  const char *head = "edition,first_hour,iaqi_table,so2_1h_above_top,o3_8h_above_top,"
                     "empty_pm10_beside_pm25\n";
  char text[512];
  snprintf(text, sizeof text, "%sHJ 633-2012,2012-01-01 01:30,data/standards/hj633_iaqi.csv,"
           "24h,1h,missing\n", head);
  assert_refused("data/air/editions.csv", text,
                 "data/air/editions.csv line 2, field first_hour");
  snprintf(text, sizeof text, "%sHJ 633-2012,2012-01-01 01:00,data/standards/hj633_iaqi.csv,"
           "24h,1h,sometimes\n", head);
  assert_refused("data/air/editions.csv", text, "field empty_pm10_beside_pm25");
  assert_refused("data/standards/hj633_2026_iaqi.csv",
                 "pollutant,averaging_time,bp_iaqi_0,bp_iaqi_50,bp_iaqi_100\n"
                 "PM25,24h,0,35,30\n",
                 "data/standards/hj633_2026_iaqi.csv line 2, field PM25");
  assert_refused("data/standards/hj633_2026_iaqi.csv",
                 "pollutant,averaging_time,bp_iaqi_0,bp_iaqi_50,bp_iaqi_100\nPM25,24h,0,35,60\n",
                 "no table 'PM10 24h'");
  assert_refused("data/air/validity.csv", "rule,value,source\nday_min_hours,20,x\n",
                 "a rule is missing");
  assert_refused("data/air/validity.csv", "rule,value,source\nday_min_hours,twenty,x\n",
                 "data/air/validity.csv line 2, field value");
  assert_refused("data/air/pollutants.csv",
                 "key,realtime_table,daily_table,decimals,published_name\npm1,,,0,x\n",
                 "data/air/pollutants.csv line 2, field key");
  assert_refused("data/air/levels.csv",
                 "level,aqi_min,aqi_max,name_zh,grade_zh,colour_zh,rgb,health_effect,advice\n"
                 "1,0,50,优,一级,绿色,#00E400,a,b\n2,52,100,良,二级,黄色,#FFFF00,a,b\n",
                 "data/air/levels.csv line 3, field aqi_min");
}

int main(void) {
  air_test_load(&std);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_breakpoints_2012),
    cmocka_unit_test(test_breakpoints_2026),
    cmocka_unit_test(test_edition_switch),
    cmocka_unit_test(test_above_top),
    cmocka_unit_test(test_missing_items),
    cmocka_unit_test(test_primary_and_ties),
    cmocka_unit_test(test_levels),
    cmocka_unit_test(test_rounding),
    cmocka_unit_test(test_means),
    cmocka_unit_test(test_daily),
    cmocka_unit_test(test_bad_tables),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
