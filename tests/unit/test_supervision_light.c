/*
** Unit tests of the supervision core's calendar (supervision/period.h) and
** traffic lights (supervision/light.h): date validation, periods and their
** keys, and each light rule at its boundaries, with the expected results
** worked out by hand in the comments. Runs from the source root (meson's
** workdir) to read data/supervision/lights.json.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "supervision/light.h"
#include "supervision/period.h"
#include "util/buf.h"

/* The day of TEXT, which must be a valid date. */
static int D(const char *text) {
  int day;
  if (day_parse(text, &day)) fail_msg("bad date %s in a test", text);
  return day;
}

/* ---- days ------------------------------------------------------------- */

static void test_day_known_values(void **state) {
  (void)state;
  /* Reference values from Python's datetime.date(...) - date(1970, 1, 1). */
  assert_int_equal(D("1970-01-01"), 0);
  assert_int_equal(D("1969-12-31"), -1);
  assert_int_equal(D("2026-03-01"), 20513);
  assert_int_equal(D("2024-02-29"), 19782);
  assert_int_equal(D("2000-03-01"), 11017);
  assert_int_equal(D("0001-01-01"), -719162);
  assert_int_equal(D("9999-12-31"), 2932896);
}

static void test_day_rejects(void **state) {
  (void)state;
  const char *bad[] = {"2026-02-30", "2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01",
                       "2026-00-10", "2026-01-00", "2026-01-32", "0000-01-01", "2026-1-01",
                       "2026-01-1", "26-01-01", " 2026-01-01", "2026-01-01 ", "2026/01/01",
                       "2026-01-0a", "+026-01-01", "", "2026-01-01T00"};
  int day = 12345;
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    if (!day_parse(bad[i], &day)) fail_msg("accepted \"%s\"", bad[i]);
    assert_int_equal(day, 12345);   /* untouched on error */
  }
  assert_int_equal(day_parse(NULL, &day), -1);
  assert_int_equal(day_from_ymd(2026, 2, 30, &day), -1);
  assert_int_equal(day_from_ymd(10000, 1, 1, &day), -1);
  assert_int_equal(day_valid(D("0001-01-01")), 1);
  assert_int_equal(day_valid(D("0001-01-01") - 1), 0);
  assert_int_equal(day_valid(D("9999-12-31") + 1), 0);
  assert_int_equal(day_valid(DAY_NONE), 0);
  /* Leap years: divisible by 4, not by 100 unless by 400. */
  assert_int_equal(day_parse("2000-02-29", &day), 0);
  assert_int_equal(day_parse("2028-02-29", &day), 0);
}

/* Every day of 1899..2101 formats and parses back to itself, and the next
** day is the next date: the conversions agree across months, leap days and
** centuries. */
static void test_day_round_trip(void **state) {
  (void)state;
  int first = D("1899-01-01"), last = D("2101-12-31");
  int py = 1898, pm = 12, pd = 31;
  for (int day = first; day <= last; day++) {
    char text[DAY_TEXT_SIZE];
    int y, m, d, back;
    day_format(day, text);
    assert_int_equal(day_parse(text, &back), 0);
    assert_int_equal(back, day);
    day_to_ymd(day, &y, &m, &d);
    int next_day = d == pd + 1 && m == pm && y == py;
    int next_month = d == 1 && ((m == pm + 1 && y == py) || (m == 1 && pm == 12 && y == py + 1));
    assert_true(next_day || next_month);
    py = y, pm = m, pd = d;
  }
  char text[DAY_TEXT_SIZE];
  day_format(D("2026-11-05"), text);
  assert_string_equal(text, "2026-11-05");
}

/* ---- periods ---------------------------------------------------------- */

static void test_period_of_day_and_keys(void **state) {
  (void)state;
  char key[PERIOD_KEY_SIZE];
  struct period p = period_of_day(PERIOD_MONTH, D("2026-11-30"));
  period_key(&p, key);
  assert_string_equal(key, "2026-11");
  p = period_of_day(PERIOD_QUARTER, D("2026-11-30"));
  period_key(&p, key);
  assert_string_equal(key, "2026-Q4");
  /* Quarter boundaries: Mar 31 is Q1, Apr 1 is Q2. */
  p = period_of_day(PERIOD_QUARTER, D("2026-03-31"));
  assert_int_equal(p.index, 1);
  p = period_of_day(PERIOD_QUARTER, D("2026-04-01"));
  assert_int_equal(p.index, 2);
}

static void test_period_days(void **state) {
  (void)state;
  struct period p;
  assert_int_equal(period_parse("2024-02", &p), 0);
  assert_int_equal(period_first_day(&p), D("2024-02-01"));
  assert_int_equal(period_last_day(&p), D("2024-02-29"));   /* leap year */
  assert_int_equal(period_parse("2026-02", &p), 0);
  assert_int_equal(period_last_day(&p), D("2026-02-28"));
  assert_int_equal(period_parse("2026-Q4", &p), 0);
  assert_int_equal(period_first_day(&p), D("2026-10-01"));
  assert_int_equal(period_last_day(&p), D("2026-12-31"));
  assert_int_equal(period_parse("2026-Q1", &p), 0);
  assert_int_equal(period_last_day(&p), D("2026-03-31"));
}

static void test_period_prev_next(void **state) {
  (void)state;
  char key[PERIOD_KEY_SIZE];
  struct period p, q;
  assert_int_equal(period_parse("2026-01", &p), 0);
  q = period_prev(&p);
  period_key(&q, key);
  assert_string_equal(key, "2025-12");
  q = period_next(&q);
  period_key(&q, key);
  assert_string_equal(key, "2026-01");
  assert_int_equal(period_parse("2026-Q1", &p), 0);
  q = period_prev(&p);
  period_key(&q, key);
  assert_string_equal(key, "2025-Q4");
  q = period_next(&p);
  period_key(&q, key);
  assert_string_equal(key, "2026-Q2");
  assert_int_equal(period_parse("2026-12", &p), 0);
  q = period_next(&p);
  period_key(&q, key);
  assert_string_equal(key, "2027-01");
}

static void test_period_parse_rejects(void **state) {
  (void)state;
  const char *bad[] = {"2026-00", "2026-13", "2026-Q0", "2026-Q5", "2026-Q", "2026-1", "26-11",
                       "2026-11 ", "2026-q4", "2026-11-01", "0000-01", "2026_11", "", "2026-1a"};
  struct period p = {PERIOD_MONTH, 1, 1};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (!period_parse(bad[i], &p)) fail_msg("accepted \"%s\"", bad[i]);
  assert_int_equal(period_parse(NULL, &p), -1);
  assert_int_equal(p.year, 1);   /* untouched on error */
  /* A key parses back to what period_key wrote. */
  assert_int_equal(period_parse("2026-Q4", &p), 0);
  assert_int_equal(p.kind, PERIOD_QUARTER);
  assert_int_equal(p.year, 2026);
  assert_int_equal(p.index, 4);
  enum period_kind k;
  assert_int_equal(period_kind_parse("quarter", &k), 0);
  assert_int_equal(k, PERIOD_QUARTER);
  assert_string_equal(period_kind_name(k), "quarter");
  assert_int_equal(period_kind_parse("week", &k), -1);
}

/* ---- configuration ---------------------------------------------------- */

static void test_config_data_file(void **state) {
  (void)state;
  char *text = test_read_file("data/supervision/lights.json", NULL);
  struct light_config c;
  char err[200] = "";
  assert_int_equal(light_config_parse(text, &c, err, sizeof err), 0);
  assert_int_equal(c.period, PERIOD_MONTH);
  assert_int_equal(c.warn_days, 3);
  assert_int_equal(c.far_behind_points, 30);
  assert_int_equal(c.report_grace_days, 5);
  free(text);
}

/* TEXT is refused with exactly MESSAGE, and *OUT is left alone. */
static void refused(const char *text, const char *message) {
  struct light_config c = {.warn_days = -7};
  char err[200] = "";
  assert_int_equal(light_config_parse(text, &c, err, sizeof err), -1);
  assert_string_equal(err, message);
  assert_int_equal(c.warn_days, -7);
}

static void test_config_errors(void **state) {
  (void)state;
#define FIELDS "\"far_behind_points\": 30, \"report_grace_days\": 5"
  refused("{\"period\": \"month\", \"warn_days\": \"7\", " FIELDS "}",
          "lights.json: warn_days must be an integer 0..365");
  refused("{\"period\": \"month\", \"warn_days\": 366, " FIELDS "}",
          "lights.json: warn_days must be an integer 0..365");
  refused("{\"period\": \"month\", \"warn_days\": 3.5, " FIELDS "}",
          "lights.json: warn_days must be an integer 0..365");
  refused("{\"period\": \"month\", \"warn_days\": -1, " FIELDS "}",
          "lights.json: warn_days must be an integer 0..365");
  refused("{\"period\": \"month\", " FIELDS "}", "lights.json: warn_days is missing");
  refused("{\"period\": \"week\", \"warn_days\": 3, " FIELDS "}",
          "lights.json: period must be \"month\" or \"quarter\"");
  refused("{\"period\": \"month\", \"warn_days\": 3, \"far_behind_points\": 0, "
          "\"report_grace_days\": 5}",
          "lights.json: far_behind_points must be an integer 1..100");
  refused("{\"period\": \"month\", \"warn_days\": 3, \"far_behind_points\": 30, "
          "\"report_grace_days\": 400}",
          "lights.json: report_grace_days must be an integer 0..365");
  refused("{\"period\": \"month\", \"warn_day\": 3, " FIELDS "}",
          "lights.json: unknown field \"warn_day\"");
  refused("[1]", "lights.json: the top level must be an object");
  refused("{\"period\": \"month\",\n \"warn_days\": }",
          "lights.json: line 2: unexpected token near '}'");
  refused("{\"period\": \"month\", \"period\": \"month\"}",
          "lights.json: line 1: duplicate object key near '\"period\"'");
  refused(NULL, "lights.json: line 1: '[' or '{' expected near end of file");
#undef FIELDS
}

/* ---- lights ----------------------------------------------------------- */

/* Thresholds used by the light tests, explicit so that editing the data
** file does not change what these tests prove. */
static const struct light_config CONFIG = {
  .warn_days = 3, .far_behind_points = 30, .report_grace_days = 5, .period = PERIOD_MONTH,
};

/* A ten-day task, 2026-03-01 to 2026-03-11, so that each day is 10 % of the
** schedule, with one milestone due 2026-03-06 (day 5). Reports are not due
** within these dates (the March report is due by 2026-04-05). */
struct fixture {
  struct light_milestone milestone;
  struct light_task task;
  struct light_result result;
};

static int setup(void **state) {
  struct fixture *f = xcalloc(1, sizeof *f);
  f->milestone = (struct light_milestone){D("2026-03-06"), DAY_NONE};
  f->task = (struct light_task){
    .start_day = D("2026-03-01"), .end_day = D("2026-03-11"), .completed_day = DAY_NONE,
    .percent = 0, .percent_day = DAY_NONE, .milestones = &f->milestone, .nmilestones = 1,
  };
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  light_result_free(&f->result);
  free(f);
  return 0;
}

/* The light of F's task on TODAY with percent PERCENT. */
static enum light_color light(struct fixture *f, const char *today, double percent) {
  light_result_free(&f->result);
  f->task.percent = percent;
  f->task.percent_day = percent > 0 ? D("2026-03-01") : DAY_NONE;
  assert_int_equal(light_compute(&f->task, D(today), &CONFIG, &f->result), 0);
  return f->result.color;
}

/* The reasons of the last light as "CODE:days,..." for compact checks. */
static const char *codes(struct fixture *f) {
  static char text[256];
  text[0] = 0;
  for (size_t i = 0; i < f->result.nreasons; i++) {
    size_t len = strlen(text);
    snprintf(text + len, sizeof text - len, "%s%s:%d", i ? "," : "",
             light_code_name(f->result.reasons[i].code), f->result.reasons[i].days);
  }
  return text;
}

static void test_on_schedule_is_green(void **state) {
  struct fixture *f = *state;
  /* 03-03: 2 of 10 days gone, expected 20 %. Reported 20: not behind, even
  ** though the milestone is due in exactly warn_days (3) days. */
  assert_int_equal(light(f, "2026-03-03", 20), LIGHT_GREEN);
  assert_string_equal(codes(f), "");
  assert_true(f->result.expected == 20);
  /* Before the start nothing is expected. */
  assert_int_equal(light(f, "2026-02-20", 0), LIGHT_GREEN);
  assert_true(f->result.expected == 0);
}

static void test_due_soon_and_behind_is_yellow(void **state) {
  struct fixture *f = *state;
  /* 03-03, expected 20, reported 19: behind by 1 point; the milestone is
  ** due in 3 days = warn_days, so it is "due soon". */
  assert_int_equal(light(f, "2026-03-03", 19), LIGHT_YELLOW);
  assert_string_equal(codes(f), "MILESTONE_DUE_SOON_BEHIND:3");
  const struct light_reason *r = &f->result.reasons[0];
  assert_int_equal(r->milestone, 0);
  assert_true(r->expected == 20 && r->actual == 19);
  assert_int_equal(r->actual_day, D("2026-03-01"));
  /* 03-02, expected 10, reported 0: behind, but the milestone is 4 days
  ** away, one more than warn_days: still green. */
  assert_int_equal(light(f, "2026-03-02", 0), LIGHT_GREEN);
  /* 03-06, due today: 0 days left counts as due soon; expected 50, 40. */
  assert_int_equal(light(f, "2026-03-06", 40), LIGHT_YELLOW);
  assert_string_equal(codes(f), "MILESTONE_DUE_SOON_BEHIND:0");
  /* Behind with nothing due soon is not yellow by itself (03-02, 5 %). */
  assert_int_equal(light(f, "2026-03-02", 5), LIGHT_GREEN);
}

static void test_milestone_overdue_is_red(void **state) {
  struct fixture *f = *state;
  /* 03-07, one day after the milestone's due day, milestone not done;
  ** expected 60, reported 60 (on schedule otherwise). */
  assert_int_equal(light(f, "2026-03-07", 60), LIGHT_RED);
  assert_string_equal(codes(f), "MILESTONE_OVERDUE:1");
  assert_int_equal(f->result.reasons[0].milestone, 0);
  /* The same day with the milestone done (late or not): green. */
  f->milestone.done_day = D("2026-03-07");
  assert_int_equal(light(f, "2026-03-07", 60), LIGHT_GREEN);
}

static void test_far_behind_boundary(void **state) {
  struct fixture *f = *state;
  f->milestone.done_day = D("2026-03-05");   /* isolate the lag rule */
  /* 03-06, expected 50. Reported 20: lag 30 = far_behind_points: red. */
  assert_int_equal(light(f, "2026-03-06", 20), LIGHT_RED);
  assert_string_equal(codes(f), "FAR_BEHIND:0");
  assert_true(f->result.reasons[0].expected == 50 && f->result.reasons[0].actual == 20);
  /* Reported 21: lag 29, below the threshold: no reason (nothing due). */
  assert_int_equal(light(f, "2026-03-06", 21), LIGHT_GREEN);
  /* With the milestone open and due today, lag 29 is yellow, lag 30 is red
  ** with both reasons, red first. */
  f->milestone.done_day = DAY_NONE;
  assert_int_equal(light(f, "2026-03-06", 21), LIGHT_YELLOW);
  assert_int_equal(light(f, "2026-03-06", 20), LIGHT_RED);
  assert_string_equal(codes(f), "FAR_BEHIND:0,MILESTONE_DUE_SOON_BEHIND:0");
}

static void test_fractional_schedule(void **state) {
  struct fixture *f = *state;
  /* A three-day task 03-01..03-04 on 03-03: expected 200/3 = 66.666...
  ** Reported 66.66 is (just) behind, 66.67 is not: the comparison is exact
  ** (66.66 × 3 = 199.98 < 200 <= 66.67 × 3), not on a rounded value. */
  f->task.end_day = D("2026-03-04");
  f->task.nmilestones = 0;
  assert_int_equal(light(f, "2026-03-03", 66.66), LIGHT_YELLOW);   /* due in 1 day */
  assert_string_equal(codes(f), "TASK_DUE_SOON_BEHIND:1");
  assert_int_equal(light(f, "2026-03-03", 66.67), LIGHT_GREEN);
  assert_true(fabs(f->result.expected - 200.0 / 3) < 1e-9);
}

static void test_task_deadline(void **state) {
  struct fixture *f = *state;
  f->task.nmilestones = 0;
  /* 03-11 is the end day: expected 100. Reported 100: green. */
  assert_int_equal(light(f, "2026-03-11", 100), LIGHT_GREEN);
  /* Reported 90: lag 10, not far, but the end day is today: yellow. */
  assert_int_equal(light(f, "2026-03-11", 90), LIGHT_YELLOW);
  assert_string_equal(codes(f), "TASK_DUE_SOON_BEHIND:0");
  /* 03-08, 3 days before the end (= warn_days), expected 70, reported 69. */
  assert_int_equal(light(f, "2026-03-08", 69), LIGHT_YELLOW);
  assert_string_equal(codes(f), "TASK_DUE_SOON_BEHIND:3");
  /* 03-12, one day after the end, not completed (even at 100 %): red. */
  assert_int_equal(light(f, "2026-03-12", 100), LIGHT_RED);
  assert_string_equal(codes(f), "TASK_OVERDUE:1");
  /* 03-21, ten days late at 50 %: overdue and far behind (100 − 50 >= 30). */
  assert_int_equal(light(f, "2026-03-21", 50), LIGHT_RED);
  assert_string_equal(codes(f), "TASK_OVERDUE:10,FAR_BEHIND:0");
}

static void test_start_equals_end(void **state) {
  struct fixture *f = *state;
  /* A one-day task on 03-10: nothing expected before, everything on it. */
  f->task.start_day = f->task.end_day = D("2026-03-10");
  f->task.nmilestones = 0;
  assert_int_equal(light(f, "2026-03-09", 0), LIGHT_GREEN);
  assert_true(f->result.expected == 0);
  assert_int_equal(light(f, "2026-03-10", 100), LIGHT_GREEN);
  assert_true(f->result.expected == 100);
  /* 0 % on the day: lag 100 (red) and due today while behind (yellow). */
  assert_int_equal(light(f, "2026-03-10", 0), LIGHT_RED);
  assert_string_equal(codes(f), "FAR_BEHIND:0,TASK_DUE_SOON_BEHIND:0");
  assert_int_equal(light(f, "2026-03-11", 100), LIGHT_RED);
  assert_string_equal(codes(f), "TASK_OVERDUE:1");
}

static void test_done(void **state) {
  struct fixture *f = *state;
  /* Completed on the end day: done, nothing to say, even with the
  ** milestone left open and the date far past. */
  f->task.completed_day = D("2026-03-11");
  assert_int_equal(light(f, "2026-06-01", 80), LIGHT_DONE);
  assert_string_equal(codes(f), "");
  /* Completed two days late: done, with the delay for information. */
  f->task.completed_day = D("2026-03-13");
  assert_int_equal(light(f, "2026-06-01", 100), LIGHT_DONE);
  assert_string_equal(codes(f), "COMPLETED_LATE:2");
}

static void test_invalid_task(void **state) {
  struct fixture *f = *state;
  f->task.end_day = f->task.start_day - 1;
  assert_int_equal(light_compute(&f->task, D("2026-03-01"), &CONFIG, &f->result), -1);
  f->task.end_day = f->task.start_day + 10;
  f->task.percent = 100.5;
  assert_int_equal(light_compute(&f->task, D("2026-03-01"), &CONFIG, &f->result), -1);
  f->task.percent = NAN;
  assert_int_equal(light_compute(&f->task, D("2026-03-01"), &CONFIG, &f->result), -1);
  f->task.percent = -1;
  assert_int_equal(light_compute(&f->task, D("2026-03-01"), &CONFIG, &f->result), -1);
  f->task.percent = 0;
  assert_int_equal(light_compute(&f->task, D("2026-03-01"), &CONFIG, &f->result), 0);
  assert_int_equal(light_compute(&f->task, DAY_NONE, &CONFIG, &f->result), -1);
  f->milestone.due_day = DAY_NONE;   /* due days are required */
  assert_int_equal(light_compute(&f->task, D("2026-03-01"), &CONFIG, &f->result), -1);
  f->milestone.due_day = D("2026-03-06");
  f->task.completed_day = D("9999-12-31") + 1;
  assert_int_equal(light_compute(&f->task, D("2026-03-01"), &CONFIG, &f->result), -1);
  light_result_free(&f->result);
  assert_int_equal(f->result.nreasons, 0);
}

/* ---- reports ---------------------------------------------------------- */

/* A year-long task at 100 % (never behind), so that only reports matter. */
static enum light_color report_light(struct fixture *f, const struct light_config *c,
                                     const char *today, const char *const *reported, size_t n) {
  light_result_free(&f->result);
  f->task = (struct light_task){
    .start_day = D("2026-01-01"), .end_day = D("2026-12-31"), .completed_day = DAY_NONE,
    .percent = 100, .percent_day = D("2026-01-15"), .reported = reported, .nreported = n,
  };
  assert_int_equal(light_compute(&f->task, D(today), c, &f->result), 0);
  return f->result.color;
}

/* A task created with the defaults on any day of 2026, 2027 and 2028 (a
** leap year): it starts that day and runs to 31 December (or 1 January
** when made on 31 December); with no report
** and nothing done it is green on the day it is made, and the first
** REPORT_MISSING names the period it starts in, the day after that
** period's deadline, which is after its start. For months and quarters. */
static void test_new_task_defaults_never_red(void **state) {
  struct fixture *f = *state;
  for (int q = 0; q < 2; q++) {
    struct light_config c = CONFIG;
    c.period = q ? PERIOD_QUARTER : PERIOD_MONTH;
    for (int made = D("2026-01-01"); made <= D("2028-12-31"); made++) {
      int y, m, d;
      day_to_ymd(made, &y, &m, &d);
      light_result_free(&f->result);
      f->task = (struct light_task){
        .start_day = task_default_start(y, made), .end_day = task_default_due(y, made),
        .completed_day = DAY_NONE, .percent = 0, .percent_day = DAY_NONE,
      };
      assert_int_equal(f->task.start_day, made);
      assert_int_equal(light_compute(&f->task, made, &c, &f->result), 0);
      if (f->result.color != LIGHT_GREEN) fail_msg("made %d: not green", made);
      struct period first = period_of_day(c.period, made);
      int deadline = light_report_deadline(&first, &c);
      assert_true(deadline > made);
      if (deadline + 1 > f->task.end_day) continue;   /* the year ends first: TASK_OVERDUE */
      for (int day = made; day <= deadline; day++) {
        light_result_free(&f->result);
        assert_int_equal(light_compute(&f->task, day, &c, &f->result), 0);
        for (size_t i = 0; i < f->result.nreasons; i++)
          if (f->result.reasons[i].code == LIGHT_REPORT_MISSING) fail_msg("made %d: missing on %d", made, day);
        if (day > made + 3 && day < deadline - 2) day = deadline - 2;   /* the days between: the same rule */
      }
      light_result_free(&f->result);
      assert_int_equal(light_compute(&f->task, deadline + 1, &c, &f->result), 0);
      char key[PERIOD_KEY_SIZE];
      period_key(&first, key);
      int found = 0;
      for (size_t i = 0; i < f->result.nreasons; i++)
        found |= f->result.reasons[i].code == LIGHT_REPORT_MISSING && !strcmp(f->result.reasons[i].period, key);
      if (!found) fail_msg("made %d: no REPORT_MISSING for %s on its deadline's next day", made, key);
    }
  }
}

/* The defaults of a task of another year: the whole of that year. */
static void test_new_task_defaults_other_year(void **state) {
  (void)state;
  assert_int_equal(task_default_start(2027, D("2026-12-04")), D("2027-01-01"));
  assert_int_equal(task_default_due(2027, D("2027-01-01")), D("2027-12-31"));
  assert_int_equal(task_default_start(2025, D("2026-12-04")), D("2025-01-01"));
  assert_int_equal(task_default_start(2026, D("2026-12-04")), D("2026-12-04"));
  assert_int_equal(task_default_due(2028, D("2028-12-30")), D("2028-12-31"));
  /* given on its year's last day: one day to do it */
  assert_int_equal(task_default_due(2026, D("2026-12-31")), D("2027-01-01"));
}

static void test_report_grace_boundary(void **state) {
  struct fixture *f = *state;
  const char *feb[] = {"2026-01", "2026-02"};
  const char *mar[] = {"2026-01", "2026-02", "2026-03"};
  /* 04-05 is the last day of March's grace (03-31 + 5): March is not yet
  ** due; the latest due is February (deadline 03-05), which was reported. */
  assert_int_equal(report_light(f, &CONFIG, "2026-04-05", feb, 2), LIGHT_GREEN);
  /* 04-06: March is due and missing, one day past its deadline. */
  assert_int_equal(report_light(f, &CONFIG, "2026-04-06", feb, 2), LIGHT_YELLOW);
  assert_string_equal(codes(f), "REPORT_MISSING:1");
  assert_string_equal(f->result.reasons[0].period, "2026-03");
  assert_int_equal(report_light(f, &CONFIG, "2026-04-06", mar, 3), LIGHT_GREEN);
  /* On 04-05 with nothing reported, the missing one is February, due
  ** 03-05, 31 days ago; older gaps (January) are not repeated. */
  assert_int_equal(report_light(f, &CONFIG, "2026-04-05", NULL, 0), LIGHT_YELLOW);
  assert_string_equal(codes(f), "REPORT_MISSING:31");
  assert_string_equal(f->result.reasons[0].period, "2026-02");
}

static void test_report_periods_outside_task(void **state) {
  struct fixture *f = *state;
  /* January 2026, 01-10: the latest due is December 2025 (deadline 01-05),
  ** before the task began: nothing owed. */
  assert_int_equal(report_light(f, &CONFIG, "2026-01-10", NULL, 0), LIGHT_GREEN);
  /* The task ends 12-31; December's report is owed until 2027-01-05 and is
  ** missing from 01-06 (the task is also overdue by then). */
  assert_int_equal(report_light(f, &CONFIG, "2027-01-05", (const char *[]){"2026-11"}, 1),
                   LIGHT_RED);
  assert_string_equal(codes(f), "TASK_OVERDUE:5");
  assert_int_equal(report_light(f, &CONFIG, "2027-01-06", (const char *[]){"2026-11"}, 1),
                   LIGHT_RED);
  assert_string_equal(codes(f), "TASK_OVERDUE:6,REPORT_MISSING:1");
  /* A task that starts on a period's last day owes that period's report. */
  struct period jan;
  assert_int_equal(period_parse("2026-01", &jan), 0);
  assert_int_equal(light_report_required(D("2026-01-31"), D("2026-03-31"), &jan,
                                         D("2026-02-06"), &CONFIG), 1);
  assert_int_equal(light_report_required(D("2026-02-01"), D("2026-03-31"), &jan,
                                         D("2026-02-06"), &CONFIG), 0);
  assert_int_equal(light_report_deadline(&jan, &CONFIG), D("2026-02-05"));
}

static void test_report_quarters_and_long_grace(void **state) {
  struct fixture *f = *state;
  /* Quarterly, 15 days' grace: on 07-16 the latest due is Q2 (06-30 + 15 =
  ** 07-15), missing since 1 day. */
  struct light_config q = {.warn_days = 3, .far_behind_points = 30, .report_grace_days = 15,
                           .period = PERIOD_QUARTER};
  assert_int_equal(report_light(f, &q, "2026-07-16", (const char *[]){"2026-Q1"}, 1),
                   LIGHT_YELLOW);
  assert_string_equal(f->result.reasons[0].period, "2026-Q2");
  assert_int_equal(report_light(f, &q, "2026-07-15", (const char *[]){"2026-Q1"}, 1),
                   LIGHT_GREEN);
  /* Monthly with 40 days' grace, longer than a month: on 04-06, March is
  ** due 05-10 and February 04-09, so the latest due is January (03-12). */
  struct light_config m = CONFIG;
  m.report_grace_days = 40;
  assert_int_equal(report_light(f, &m, "2026-04-06", NULL, 0), LIGHT_YELLOW);
  assert_string_equal(f->result.reasons[0].period, "2026-01");
  assert_int_equal(f->result.reasons[0].days, D("2026-04-06") - D("2026-03-12"));
}

/* ---- names and JSON --------------------------------------------------- */

static void test_result_json(void **state) {
  struct fixture *f = *state;
  /* 03-07: expected 60; the milestone is overdue by 1 day; 20 % reported
  ** on 03-04 gives a lag of 60 − 20 = 40 >= 30: far behind. */
  f->task.percent_day = D("2026-03-04");
  light_result_free(&f->result);
  f->task.percent = 20;
  assert_int_equal(light_compute(&f->task, D("2026-03-07"), &CONFIG, &f->result), 0);
  json_t *j = light_result_json(&f->result);
  char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
  assert_string_equal(text,
      "{\"color\":\"red\",\"expected\":60.0,\"reasons\":["
      "{\"code\":\"MILESTONE_OVERDUE\",\"days\":1,\"milestone\":0},"
      "{\"actual\":20.0,\"actual_day\":\"2026-03-04\",\"code\":\"FAR_BEHIND\",\"days\":0,"
      "\"expected\":60.0}]}");
  free(text);
  json_decref(j);
  assert_string_equal(light_color_name(LIGHT_DONE), "done");
  assert_string_equal(light_code_name(LIGHT_REPORT_MISSING), "REPORT_MISSING");
}

static void test_result_json_report(void **state) {
  struct fixture *f = *state;
  assert_int_equal(report_light(f, &CONFIG, "2026-04-06", NULL, 0), LIGHT_YELLOW);
  json_t *j = light_result_json(&f->result);
  /* Expected on 04-06: 95 of 364 days, 100 × 95 / 364 = 26.0989 -> 26.1.
  ** (Without JSON_REAL_PRECISION jansson would print 26.100000000000001.) */
  char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
  assert_string_equal(text, "{\"color\":\"yellow\",\"expected\":26.1,\"reasons\":["
                            "{\"code\":\"REPORT_MISSING\",\"days\":1,\"period\":\"2026-03\"}]}");
  free(text);
  json_decref(j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_day_known_values),
    cmocka_unit_test(test_day_rejects),
    cmocka_unit_test(test_day_round_trip),
    cmocka_unit_test(test_period_of_day_and_keys),
    cmocka_unit_test(test_period_days),
    cmocka_unit_test(test_period_prev_next),
    cmocka_unit_test(test_period_parse_rejects),
    cmocka_unit_test(test_config_data_file),
    cmocka_unit_test(test_config_errors),
    cmocka_unit_test_setup_teardown(test_on_schedule_is_green, setup, teardown),
    cmocka_unit_test_setup_teardown(test_due_soon_and_behind_is_yellow, setup, teardown),
    cmocka_unit_test_setup_teardown(test_milestone_overdue_is_red, setup, teardown),
    cmocka_unit_test_setup_teardown(test_far_behind_boundary, setup, teardown),
    cmocka_unit_test_setup_teardown(test_fractional_schedule, setup, teardown),
    cmocka_unit_test_setup_teardown(test_task_deadline, setup, teardown),
    cmocka_unit_test_setup_teardown(test_start_equals_end, setup, teardown),
    cmocka_unit_test_setup_teardown(test_done, setup, teardown),
    cmocka_unit_test_setup_teardown(test_invalid_task, setup, teardown),
    cmocka_unit_test_setup_teardown(test_new_task_defaults_never_red, setup, teardown),
    cmocka_unit_test_setup_teardown(test_new_task_defaults_other_year, setup, teardown),
    cmocka_unit_test_setup_teardown(test_report_grace_boundary, setup, teardown),
    cmocka_unit_test_setup_teardown(test_report_periods_outside_task, setup, teardown),
    cmocka_unit_test_setup_teardown(test_report_quarters_and_long_grace, setup, teardown),
    cmocka_unit_test_setup_teardown(test_result_json, setup, teardown),
    cmocka_unit_test_setup_teardown(test_result_json_report, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
