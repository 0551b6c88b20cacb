/*
** Unit tests of the patrol rules of river chiefs (src/rivers/rules.c,
** patrol.c): the rules file as shipped loads (every set), each refusal of
** a bad file names the field; a patrol exactly at the minimum length and
** duration counts and one just under does not, with the code and the
** sentence; coverage and staying near the segment; the periods of quotas
** (ISO weeks across a year's end, the 旬 of a leap February, quarters);
** and who is behind on an injected day.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rivers/patrol.h"
#include "test_rivers_common.h"
#include "supervision/period.h"
#include "support.h"

static struct patrol_rules rules;

static int load_shipped(void **state) {
  (void)state;
  char *text = test_read_file("data/rivers/patrol_rules.json", NULL), err[300];
  int rc = patrol_rules_load(text, NULL, &rules, err, sizeof err);
  if (rc) fprintf(stderr, "%s\n", err);
  free(text);
  return rc;
}

static void the_shipped_rules(void **state) {
  (void)state;
  assert_string_equal(rules.set, "hubei");
  assert_near(rules.track.max_speed_mps * 3.6, 120, 1e-9);
  assert_near(rules.track.near_m, 100, 0);
  const struct level_rule *village = &rules.level[LEVEL_VILLAGE], *city = &rules.level[LEVEL_CITY];
  assert_int_equal(village->period, PATROL_WEEK);
  assert_int_equal(rules.level[LEVEL_TOWNSHIP].period, PATROL_XUN);
  assert_int_equal(rules.level[LEVEL_COUNTY].period, PATROL_MONTH);
  assert_int_equal(city->period, PATROL_QUARTER);
  assert_near(village->min_duration_s, 600, 0);
  assert_near(village->min_length_m, 1000, 0);
  char *text = test_read_file("data/rivers/patrol_rules.json", NULL), err[300];
  struct patrol_rules other;
  assert_int_equal(patrol_rules_load(text, "sixian", &other, err, sizeof err), 0);
  assert_int_equal(other.level[LEVEL_VILLAGE].patrols, 2);
  assert_false(other.level[LEVEL_CITY].present);
  assert_int_equal(patrol_rules_load(text, "beijing", &other, err, sizeof err), -1);
  assert_non_null(strstr(err, "no rule set \"beijing\""));
  free(text);
}

static void expect_bad_rules(const char *levels, const char *message) {
  char text[1024], err[300];
  snprintf(text, sizeof text, "{\"in_force\":\"x\",\"track\":{\"max_speed_kmh\":120,\"gap_s\":300,"
           "\"near_m\":100,\"sample_m\":10},\"sets\":{\"x\":{\"source\":\"s\",\"levels\":{%s}}}}", levels);
  struct patrol_rules r;
  assert_int_equal(patrol_rules_load(text, NULL, &r, err, sizeof err), -1);
  if (!strstr(err, message)) fail_msg("\"%s\" lacks \"%s\"", err, message);
}

static void bad_rules_name_the_field(void **state) {
  (void)state;
  expect_bad_rules("\"镇\":{\"period\":\"week\",\"patrols\":1}", "sets.x.levels.镇: not 市, 县, 乡 or 村");
  expect_bad_rules("\"村\":{\"period\":\"day\",\"patrols\":1}", "sets.x.levels.村.period");
  expect_bad_rules("\"村\":{\"period\":\"week\",\"patrols\":1.5}", "sets.x.levels.村.patrols: a whole number");
  expect_bad_rules("\"村\":{\"period\":\"week\",\"patrols\":1,\"min_coverage\":2}", "sets.x.levels.村.min_coverage: a number from 0 to 1");
  expect_bad_rules("\"村\":{\"period\":\"week\",\"patrols\":1,\"min_length\":2}", "sets.x.levels.村.min_length: unknown key");
}

/* A patrol of LENGTH metres and DURATION seconds. */
static struct track_stats patrol(double length, double duration) {
  return (struct track_stats){.points = 100, .length_m = length, .duration_s = duration};
}

static void minimums_at_their_boundaries(void **state) {
  (void)state;
  struct patrol_verdict v;
  struct track_stats at = patrol(1000, 600), under = patrol(999.9, 599);
  patrol_judge(&rules, LEVEL_VILLAGE, &at, NULL, &v);
  assert_true(v.valid);
  assert_int_equal(v.count, 0);
  patrol_judge(&rules, LEVEL_VILLAGE, &under, NULL, &v);
  assert_false(v.valid);
  assert_int_equal(v.count, 2);
  assert_string_equal(v.reasons[0].code, "too_short");
  assert_string_equal(v.reasons[0].message, "巡河里程 999.9 米,少于村级河湖长每次巡河的 1000 米");
  assert_string_equal(v.reasons[1].code, "too_brief");
  assert_string_equal(v.reasons[1].message, "巡河时长 9 分 59 秒,少于村级河湖长每次巡河的 10 分钟");
}

static void coverage_and_staying_near(void **state) {
  (void)state;
  struct patrol_verdict v;
  struct track_stats s = patrol(2000, 3600);
  struct coverage enough = {.coverage = 0.5, .on_segment = 0.5}, away = {.coverage = 0.49, .on_segment = 0.2};
  patrol_judge(&rules, LEVEL_VILLAGE, &s, &enough, &v);
  assert_true(v.valid);
  patrol_judge(&rules, LEVEL_VILLAGE, &s, &away, &v);
  assert_false(v.valid);
  assert_int_equal(v.count, 2);
  assert_string_equal(v.reasons[0].code, "low_coverage");
  assert_string_equal(v.reasons[0].message, "轨迹覆盖河段 49%,少于要求的 50%");
  assert_string_equal(v.reasons[1].code, "off_segment");
  assert_string_equal(v.reasons[1].message, "轨迹只有 20% 在河段 100 米以内,少于要求的 50%: 未沿河段巡查");
  patrol_judge(&rules, LEVEL_CITY, &s, &(struct coverage){.coverage = 0.05, .on_segment = 0.5}, &v);
  assert_true(v.valid);   /* a 市 chief covers a twentieth of a long river */
}

static int day(const char *text) {
  int d;
  if (day_parse(text, &d)) fail_msg("bad day %s", text);
  return d;
}

static void expect_period(enum patrol_period kind, const char *on, const char *key, const char *first,
                          const char *last) {
  int f, l;
  char k[PATROL_PERIOD_KEY_SIZE];
  patrol_period_of(kind, day(on), &f, &l, k);
  assert_string_equal(k, key);
  assert_int_equal(f, day(first));
  assert_int_equal(l, day(last));
}

static void periods(void **state) {
  (void)state;
  expect_period(PATROL_WEEK, "2026-12-02", "2026-W49", "2026-11-30", "2026-12-06");
  expect_period(PATROL_WEEK, "2027-01-01", "2026-W53", "2026-12-28", "2027-01-03");   /* 2026 has 53 */
  expect_period(PATROL_WEEK, "2025-12-29", "2026-W01", "2025-12-29", "2026-01-04");
  expect_period(PATROL_XUN, "2028-02-29", "2028-02-3", "2028-02-21", "2028-02-29");
  expect_period(PATROL_XUN, "2026-12-10", "2026-12-1", "2026-12-01", "2026-12-10");
  expect_period(PATROL_XUN, "2026-12-11", "2026-12-2", "2026-12-11", "2026-12-20");
  expect_period(PATROL_XUN, "2026-12-31", "2026-12-3", "2026-12-21", "2026-12-31");
  expect_period(PATROL_MONTH, "2026-02-28", "2026-02", "2026-02-01", "2026-02-28");
  expect_period(PATROL_QUARTER, "2026-12-31", "2026-Q4", "2026-10-01", "2026-12-31");
}

static void who_is_behind(void **state) {
  (void)state;
  const struct chief chiefs[] = {
      {"村甲", LEVEL_VILLAGE}, {"村乙", LEVEL_VILLAGE}, {"村丙", LEVEL_VILLAGE},
      {"市丁", LEVEL_CITY},    {"村戊", LEVEL_VILLAGE},
  };
  const struct patrol_record patrols[] = {
      {"村甲", day("2026-11-24"), 1}, {"村甲", day("2026-11-30"), 1},   /* last week and this week */
      {"村乙", day("2026-11-25"), 1}, {"村乙", day("2026-12-01"), 0},   /* this week's does not count */
      {"村丙", day("2026-12-02"), 1},                                   /* this week only: missed last */
      {"市丁", day("2026-08-01"), 1}, {"市丁", day("2026-10-09"), 1},
      {"村戊", day("2026-11-27"), 1}, {"村戊", day("2026-12-03"), 1},   /* tomorrow's not yet */
  };
  struct chief_standing out[5];
  size_t n = patrol_behind(&rules, chiefs, 5, patrols, 9, day("2026-12-02"), out);
  assert_int_equal(n, 3);
  assert_string_equal(out[0].chief_id, "村乙");
  assert_string_equal(out[0].period, "2026-W49");
  assert_int_equal(out[0].done, 0);
  assert_int_equal(out[0].required, 1);
  assert_int_equal(out[0].days_left, 4);
  assert_false(out[0].missed_previous);
  assert_string_equal(out[1].chief_id, "村丙");
  assert_int_equal(out[1].done, 1);
  assert_string_equal(out[1].previous, "2026-W48");
  assert_true(out[1].missed_previous);
  assert_int_equal(out[1].previous_done, 0);
  assert_string_equal(out[2].chief_id, "村戊");
  assert_int_equal(out[2].done, 0);
  /* The next day 村戊's patrol counts; on the first day of 2027 the 市
  ** chief's 2026-Q4 patrol is last quarter's: none this quarter yet. */
  n = patrol_behind(&rules, chiefs + 4, 1, patrols, 9, day("2026-12-03"), out);
  assert_int_equal(n, 0);
  n = patrol_behind(&rules, chiefs + 3, 1, patrols, 9, day("2027-01-01"), out);
  assert_int_equal(n, 1);
  assert_string_equal(out[0].period, "2027-Q1");
  assert_string_equal(out[0].previous, "2026-Q4");
  assert_int_equal(out[0].previous_done, 1);
  assert_false(out[0].missed_previous);
  assert_int_equal(out[0].days_left, 89);
}

static void levels(void **state) {
  (void)state;
  enum river_level l;
  assert_int_equal(river_level_parse("乡", &l), 0);
  assert_int_equal(l, LEVEL_TOWNSHIP);
  assert_int_equal(river_level_parse("village", &l), 0);
  assert_int_equal(l, LEVEL_VILLAGE);
  assert_int_equal(river_level_parse("省", &l), -1);
  assert_string_equal(river_level_name(LEVEL_COUNTY), "县");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_shipped_rules),
      cmocka_unit_test(bad_rules_name_the_field),
      cmocka_unit_test(minimums_at_their_boundaries),
      cmocka_unit_test(coverage_and_staying_near),
      cmocka_unit_test(periods),
      cmocka_unit_test(who_is_behind),
      cmocka_unit_test(levels),
  };
  return cmocka_run_group_tests(tests, load_shipped, NULL);
}
