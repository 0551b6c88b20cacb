/*
** Unit tests of problem escalation (src/rivers/problem.c): the deadlines
** file as shipped; a problem left open climbs 村 → 乡 → 县 → 市 one
** step each time it is open the day after its deadline, with the dates
** worked out by hand across the end of February 2026 (28 days), a leap
** February (2028) and a year's end, and stays at 市 counting the days
** overdue; one closed on its deadline never escalates, one closed a day
** later escalated once; a bad history is refused.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rivers/problem.h"
#include "supervision/period.h"
#include "support.h"

static struct problem_kinds kinds;

static int load_shipped(void **state) {
  (void)state;
  char *text = test_read_file("data/rivers/problem_deadlines.json", NULL), err[300];
  int rc = problem_kinds_load(text, &kinds, err, sizeof err);
  if (rc) fprintf(stderr, "%s\n", err);
  free(text);
  return rc;
}

static int unload(void **state) {
  (void)state;
  problem_kinds_free(&kinds);
  return 0;
}

static int day(const char *text) {
  int d;
  if (day_parse(text, &d)) fail_msg("bad day %s", text);
  return d;
}

static void expect_step(const struct escalation *e, int i, const char *on, enum river_level from,
                        enum river_level to, const char *deadline) {
  assert_true(i < e->steps);
  assert_int_equal(e->step[i].day, day(on));
  assert_int_equal(e->step[i].from, from);
  assert_int_equal(e->step[i].to, to);
  assert_int_equal(e->step[i].deadline, day(deadline));
}

static void shipped_kinds(void **state) {
  (void)state;
  assert_int_equal(kinds.count, 8);
  const struct problem_kind *bank = problem_kind_find(&kinds, "河岸");
  assert_non_null(bank);
  assert_int_equal(bank->days, 7);
  assert_null(problem_kind_find(&kinds, "天气"));
}

/* 河岸 (7 days, 7 more at each level above), assigned to a 村 chief on
** 2026-01-25: deadline 02-01; open on 02-02: 乡, deadline 02-09; 02-10:
** 县, 02-17; 02-18: 市, 02-25; on 03-03 six days overdue (February 2026
** has 28 days). */
static void an_open_problem_climbs_to_the_city(void **state) {
  (void)state;
  struct problem_history h = {problem_kind_find(&kinds, "河岸"), LEVEL_VILLAGE, day("2026-01-25"), DAY_NONE};
  struct escalation e;
  assert_int_equal(problem_escalate(&h, day("2026-02-01"), &e), 0);
  assert_int_equal(e.steps, 0);
  assert_int_equal(e.level, LEVEL_VILLAGE);
  assert_int_equal(e.deadline, day("2026-02-01"));
  assert_int_equal(e.overdue_days, 0);
  assert_int_equal(problem_escalate(&h, day("2026-02-02"), &e), 0);
  assert_int_equal(e.steps, 1);
  expect_step(&e, 0, "2026-02-02", LEVEL_VILLAGE, LEVEL_TOWNSHIP, "2026-02-09");
  assert_int_equal(problem_escalate(&h, day("2026-03-03"), &e), 0);
  assert_int_equal(e.steps, 3);
  expect_step(&e, 1, "2026-02-10", LEVEL_TOWNSHIP, LEVEL_COUNTY, "2026-02-17");
  expect_step(&e, 2, "2026-02-18", LEVEL_COUNTY, LEVEL_CITY, "2026-02-25");
  assert_int_equal(e.level, LEVEL_CITY);
  assert_int_equal(e.overdue_days, 6);
}

/* 河面 (3 and 3) at a 乡 chief on 2028-02-22: deadline 02-25; 02-26 县,
** 02-29 (a leap day); 03-01 市, 03-04. */
static void across_a_leap_february(void **state) {
  (void)state;
  struct problem_history h = {problem_kind_find(&kinds, "河面"), LEVEL_TOWNSHIP, day("2028-02-22"), DAY_NONE};
  struct escalation e;
  assert_int_equal(problem_escalate(&h, day("2028-03-01"), &e), 0);
  assert_int_equal(e.steps, 2);
  expect_step(&e, 0, "2028-02-26", LEVEL_TOWNSHIP, LEVEL_COUNTY, "2028-02-29");
  expect_step(&e, 1, "2028-03-01", LEVEL_COUNTY, LEVEL_CITY, "2028-03-04");
  assert_int_equal(e.overdue_days, 0);
}

/* 涉水活动 (3) at a 村 chief on 2026-12-30: deadline 2027-01-02, up on 01-03. */
static void across_a_year_end(void **state) {
  (void)state;
  struct problem_history h = {problem_kind_find(&kinds, "涉水活动"), LEVEL_VILLAGE, day("2026-12-30"), DAY_NONE};
  struct escalation e;
  assert_int_equal(problem_escalate(&h, day("2027-01-03"), &e), 0);
  assert_int_equal(e.steps, 1);
  expect_step(&e, 0, "2027-01-03", LEVEL_VILLAGE, LEVEL_TOWNSHIP, "2027-01-06");
}

static void closing_stops_the_climb(void **state) {
  (void)state;
  const struct problem_kind *bank = problem_kind_find(&kinds, "河岸");
  struct problem_history on_time = {bank, LEVEL_VILLAGE, day("2026-01-25"), day("2026-02-01")};
  struct problem_history a_day_late = {bank, LEVEL_VILLAGE, day("2026-01-25"), day("2026-02-02")};
  struct escalation e;
  assert_int_equal(problem_escalate(&on_time, day("2026-06-30"), &e), 0);
  assert_int_equal(e.steps, 0);
  assert_int_equal(e.overdue_days, 0);
  assert_int_equal(problem_escalate(&a_day_late, day("2026-06-30"), &e), 0);
  assert_int_equal(e.steps, 1);
  assert_int_equal(e.level, LEVEL_TOWNSHIP);
  /* A problem assigned at 市 has nowhere to go: it is overdue there. */
  struct problem_history city = {bank, LEVEL_CITY, day("2026-01-25"), day("2026-02-05")};
  assert_int_equal(problem_escalate(&city, day("2026-06-30"), &e), 0);
  assert_int_equal(e.steps, 0);
  assert_int_equal(e.overdue_days, 4);
  struct problem_history backwards = {bank, LEVEL_VILLAGE, day("2026-01-25"), day("2026-01-24")};
  assert_int_equal(problem_escalate(&backwards, day("2026-06-30"), &e), -1);
}

static void bad_deadlines_name_the_entry(void **state) {
  (void)state;
  struct problem_kinds k;
  char err[300];
  assert_int_equal(problem_kinds_load("{\"source\":\"s\",\"kinds\":[{\"kind\":\"a\",\"days\":3,\"upper_days\":3},"
                                      "{\"kind\":\"b\",\"days\":0,\"upper_days\":3}]}", &k, err, sizeof err), -1);
  assert_non_null(strstr(err, "kinds[1].days: a whole number of days"));
  assert_int_equal(problem_kinds_load("{\"source\":\"s\",\"kinds\":[{\"kind\":\"a\",\"days\":3,\"upper_days\":3},"
                                      "{\"kind\":\"a\",\"days\":3,\"upper_days\":3}]}", &k, err, sizeof err), -1);
  assert_non_null(strstr(err, "kinds[1].kind: a listed twice"));
  assert_int_equal(problem_kinds_load("{\"kinds\":[]}", &k, err, sizeof err), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(shipped_kinds),
      cmocka_unit_test(an_open_problem_climbs_to_the_city),
      cmocka_unit_test(across_a_leap_february),
      cmocka_unit_test(across_a_year_end),
      cmocka_unit_test(closing_stops_the_climb),
      cmocka_unit_test(bad_deadlines_name_the_entry),
  };
  return cmocka_run_group_tests(tests, load_shipped, unload);
}
