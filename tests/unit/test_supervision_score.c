/*
** Unit tests of the annual assessment (supervision/score.h): worked examples
** whose every number is computed by hand in the comments, n/a parts scaled
** (折算), rounding half up, the deduction cap and the floor at 0, grade
** boundaries, shared ranks, units without tasks, and configuration and fact
** errors naming what is wrong. Runs from the source root (meson's workdir)
** to read data/supervision/assessment.json.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "supervision/score.h"
#include "util/buf.h"

/* The configuration the worked examples use, written out here so that
** editing the data file does not change what these tests prove (it holds
** the same numbers today). */
#define WEIGHTS "\"weights\": {\"completion\": 50, \"timeliness\": 15, \"reports\": 15, \"quality\": 20}"
#define DEDUCTIONS "\"deductions\": {\"cuiban\": 0.5, \"duban\": 1, \"guapai\": 2}, \"deduction_cap\": 10"
#define GRADES \
  "\"grades\": [{\"code\": \"excellent\", \"zh\": \"优秀\", \"en\": \"Excellent\", \"min\": 90}," \
  " {\"code\": \"good\", \"zh\": \"良好\", \"en\": \"Good\", \"min\": 80}," \
  " {\"code\": \"pass\", \"zh\": \"合格\", \"en\": \"Pass\", \"min\": 60}," \
  " {\"code\": \"fail\", \"zh\": \"不合格\", \"en\": \"Fail\", \"min\": 0}]"
#define CONFIG_TEXT "{" WEIGHTS ", " DEDUCTIONS ", " GRADES "}"

enum { EXCELLENT, GOOD, PASS, FAIL };

static struct assessment_config config(const char *text) {
  struct assessment_config c;
  char err[256] = "";
  if (assessment_config_parse(text, &c, err, sizeof err)) fail_msg("config refused: %s", err);
  return c;
}

/* ---- configuration ---------------------------------------------------- */

static void test_config_data_file(void **state) {
  (void)state;
  char *text = test_read_file("data/supervision/assessment.json", NULL);
  struct assessment_config c = config(text);
  free(text);
  /* Hundredths of a point. */
  assert_int_equal(c.weight[SCORE_COMPLETION], 5000);
  assert_int_equal(c.weight[SCORE_TIMELINESS], 1500);
  assert_int_equal(c.weight[SCORE_REPORTS], 1500);
  assert_int_equal(c.weight[SCORE_QUALITY], 2000);
  assert_int_equal(c.deduction[NOTICE_CUIBAN], 50);
  assert_int_equal(c.deduction[NOTICE_DUBAN], 100);
  assert_int_equal(c.deduction[NOTICE_GUAPAI], 200);
  assert_int_equal(c.deduction_cap, 1000);
  assert_int_equal(c.ngrades, 4);
  assert_string_equal(c.grades[0].zh, "优秀");
  assert_string_equal(c.grades[3].en, "Fail");
  assert_int_equal(c.grades[2].min, 6000);
  struct assessment_config same = config(CONFIG_TEXT);
  assert_memory_equal(&c, &same, sizeof c);   /* the tests use today's defaults */
}

/* TEXT is refused with exactly MESSAGE, and *OUT is left alone. */
static void refused(const char *text, const char *message) {
  struct assessment_config c = {.ngrades = 99};
  char err[256] = "";
  assert_int_equal(assessment_config_parse(text, &c, err, sizeof err), -1);
  assert_string_equal(err, message);
  assert_int_equal(c.ngrades, 99);
}

static void test_config_errors(void **state) {
  (void)state;
  refused("{\"weights\": {\"completion\": 50, \"timeliness\": 15, \"reports\": 15, \"quality\": 15}, "
          DEDUCTIONS ", " GRADES "}",
          "assessment.json: weights must add up to 100 (they add up to 95.00)");
  refused("{\"weights\": {\"completion\": 50, \"timeliness\": 15, \"reports\": 15, \"quality\": \"20\"}, "
          DEDUCTIONS ", " GRADES "}",
          "assessment.json: weights.quality must be a number 0..100 with at most 2 decimals");
  refused("{\"weights\": {\"completion\": 50, \"timeliness\": 15, \"reports\": 15, \"quality\": 19.999}, "
          DEDUCTIONS ", " GRADES "}",
          "assessment.json: weights.quality must be a number 0..100 with at most 2 decimals");
  refused("{\"weights\": {\"completion\": 0, \"timeliness\": 50, \"reports\": 30, \"quality\": 20}, "
          DEDUCTIONS ", " GRADES "}",
          "assessment.json: weights.completion must be a number 0.01..100 with at most 2 decimals");
  refused("{\"weights\": {\"completion\": 50, \"timeliness\": 15, \"reports\": 15, \"qualty\": 20}, "
          DEDUCTIONS ", " GRADES "}",
          "assessment.json: unknown field \"weights.qualty\"");
  refused("{\"weights\": {\"completion\": 50, \"timeliness\": 15, \"reports\": 35}, "
          DEDUCTIONS ", " GRADES "}",
          "assessment.json: weights.quality is missing");
  refused("{" WEIGHTS ", " DEDUCTIONS ", " GRADES ", \"bonus\": 5}",
          "assessment.json: unknown field \"bonus\"");
  refused("{" WEIGHTS ", " GRADES "}", "assessment.json: deductions must be an object");
  refused("{" WEIGHTS ", \"deductions\": {\"cuiban\": 0.5, \"duban\": 1, \"guapai\": 2}, " GRADES "}",
          "assessment.json: deduction_cap is missing");
  refused("{" WEIGHTS ", \"deductions\": {\"cuiban\": 0.5, \"duban\": -1, \"guapai\": 2}, "
          "\"deduction_cap\": 10, " GRADES "}",
          "assessment.json: deductions.duban must be a number 0..100 with at most 2 decimals");
  refused("{" WEIGHTS ", " DEDUCTIONS ", \"grades\": []}",
          "assessment.json: grades must be an array of 1..8 grades");
  refused("{" WEIGHTS ", " DEDUCTIONS ", \"grades\": ["
          "{\"code\": \"a\", \"zh\": \"优秀\", \"en\": \"A\", \"min\": 80},"
          "{\"code\": \"b\", \"zh\": \"良好\", \"en\": \"B\", \"min\": 80}]}",
          "assessment.json: grades[1].min must be below grades[0].min (highest first)");
  refused("{" WEIGHTS ", " DEDUCTIONS ", \"grades\": ["
          "{\"code\": \"a\", \"zh\": \"优秀\", \"en\": \"A\", \"min\": 90},"
          "{\"code\": \"b\", \"zh\": \"合格\", \"en\": \"B\", \"min\": 60}]}",
          "assessment.json: grades[1].min must be 0 so that every score has a grade");
  refused("{" WEIGHTS ", " DEDUCTIONS ", \"grades\": ["
          "{\"code\": \"a\", \"zh\": \"\", \"en\": \"A\", \"min\": 0}]}",
          "assessment.json: grades[0].zh must be a non-empty string of at most 31 bytes");
  refused("{" WEIGHTS ", " DEDUCTIONS ", \"grades\": ["
          "{\"code\": \"a\", \"zh\": \"优\", \"en\": \"A\", \"min\": 0, \"max\": 100}]}",
          "assessment.json: unknown field \"grades[0].max\"");
  refused("{" WEIGHTS ", " DEDUCTIONS ", \"grades\": [3]}",
          "assessment.json: grades[0] must be an object");
  refused("{" WEIGHTS ",\n" DEDUCTIONS ",\n \"grades\": [}",
          "assessment.json: line 3: unexpected token near '}'");
  refused("7", "assessment.json: line 1: '[' or '{' expected near '7'");
}

/* ---- worked examples -------------------------------------------------- */

/* Unit A: 4 tasks, 3 completed, 2 of them on time; 6 milestones due, 5 met
** on time; 12 reports due, 11 on time; 2 催办 and 1 督办; the 3 completed
** tasks rated 3, 4 and 5. */
static const struct unit_facts UNIT_A = {
  .name = "市农业局", .tasks_total = 4, .tasks_completed = 3, .tasks_on_time = 2,
  .milestones_due = 6, .milestones_on_time = 5, .reports_due = 12, .reports_on_time = 11,
  .notices = {2, 1, 0}, .ratings = {0, 0, 1, 1, 1},
};

/* Unit B: everything done on time, all rated 5, no notice. */
static const struct unit_facts UNIT_B = {
  .name = "市林业局", .tasks_total = 5, .tasks_completed = 5, .tasks_on_time = 5,
  .milestones_due = 5, .milestones_on_time = 5, .reports_due = 12, .reports_on_time = 12,
  .ratings = {0, 0, 0, 0, 5},
};

/* Unit C: 2 tasks, 1 completed on time, no milestone, no report due yet,
** nothing rated; 6 挂牌督办. */
static const struct unit_facts UNIT_C = {
  .name = "郧西县", .tasks_total = 2, .tasks_completed = 1, .tasks_on_time = 1,
  .notices = {0, 0, 6},
};

/* Unit D: no tasks this year (a 催办 received anyway). */
static const struct unit_facts UNIT_D = {.name = "市统计局", .notices = {1, 0, 0}};

static void test_unit_a_breakdown(void **state) {
  (void)state;
  struct assessment_config c = config(CONFIG_TEXT);
  struct unit_score s;
  char err[256] = "";
  assert_int_equal(score_units(&c, &UNIT_A, 1, &s, err, sizeof err), 0);
  assert_int_equal(s.assessed, 1);
  /* completion 50 × 3/4 = 37.50 */
  assert_string_equal(s.part[SCORE_COMPLETION].formula, "50 × 3 / 4 = 37.50");
  assert_true(s.part[SCORE_COMPLETION].points == 37.5);
  /* timeliness 15 × (2 + 5) / (4 + 6) = 15 × 7/10 = 10.50 */
  assert_string_equal(s.part[SCORE_TIMELINESS].formula, "15 × 7 / 10 = 10.50");
  assert_int_equal(s.part[SCORE_TIMELINESS].num, 7);
  assert_int_equal(s.part[SCORE_TIMELINESS].den, 10);
  /* reports 15 × 11/12 = 13.75 */
  assert_string_equal(s.part[SCORE_REPORTS].formula, "15 × 11 / 12 = 13.75");
  /* quality 20 × (3 + 4 + 5) / (5 × 3) = 20 × 12/15 = 16.00 */
  assert_string_equal(s.part[SCORE_QUALITY].formula, "20 × 12 / (5 × 3) = 16.00");
  /* base 37.50 + 10.50 + 13.75 + 16.00 = 77.75 */
  assert_string_equal(s.base_formula, "37.50 + 10.50 + 13.75 + 16.00 = 77.75");
  assert_true(s.base == 77.75);
  /* deduction 2 × 0.5 + 1 × 1 + 0 × 2 = 2.00, under the cap of 10 */
  assert_string_equal(s.deduction_formula,
                      "cuiban 2 × 0.5 + duban 1 × 1 + guapai 0 × 2 = 2.00, cap 10 → 2.00");
  assert_true(s.deduction == 2);
  /* score 77.75 − 2.00 = 75.75: 60 <= 75.75 < 80, 合格 */
  assert_string_equal(s.score_formula, "77.75 − 2.00 = 75.75");
  assert_true(s.score == 75.75);
  assert_int_equal(s.score_centi, 7575);
  assert_int_equal(s.grade, PASS);
  assert_int_equal(s.rank, 1);
}

static void test_scaled_when_parts_do_not_apply(void **state) {
  (void)state;
  struct assessment_config c = config(CONFIG_TEXT);
  struct unit_score s;
  char err[256] = "";
  assert_int_equal(score_units(&c, &UNIT_C, 1, &s, err, sizeof err), 0);
  /* completion 50 × 1/2 = 25.00; timeliness 15 × (1 + 0)/(2 + 0) = 7.50 */
  assert_string_equal(s.part[SCORE_COMPLETION].formula, "50 × 1 / 2 = 25.00");
  assert_string_equal(s.part[SCORE_TIMELINESS].formula, "15 × 1 / 2 = 7.50");
  /* reports and quality have nothing to measure */
  assert_int_equal(s.part[SCORE_REPORTS].applicable, 0);
  assert_string_equal(s.part[SCORE_REPORTS].formula, "n/a: no reports due");
  assert_string_equal(s.part[SCORE_QUALITY].formula, "n/a: no rated task");
  /* 折算 over the weights that apply, 50 + 15 = 65:
  ** (25.00 + 7.50) / 65 × 100 = 50.00 */
  assert_string_equal(s.base_formula, "(25.00 + 7.50) / 65 × 100 = 50.00");
  /* 6 × 2 = 12 points of deduction, capped at 10 */
  assert_string_equal(s.deduction_formula,
                      "cuiban 0 × 0.5 + duban 0 × 1 + guapai 6 × 2 = 12.00, cap 10 → 10.00");
  /* 50.00 − 10.00 = 40.00: 不合格 */
  assert_string_equal(s.score_formula, "50.00 − 10.00 = 40.00");
  assert_int_equal(s.grade, FAIL);
}

static void test_rounding_half_up(void **state) {
  (void)state;
  struct assessment_config c = config(CONFIG_TEXT);
  /* 3 tasks, 2 completed, none on time; 5 milestones due, 1 met on time;
  ** 3 reports due, 1 on time; one task rated 4. */
  struct unit_facts f = {.tasks_total = 3, .tasks_completed = 2, .milestones_due = 5,
                         .milestones_on_time = 1, .reports_due = 3, .reports_on_time = 1,
                         .ratings = {0, 0, 0, 1, 0}};
  struct unit_score s;
  char err[256] = "";
  assert_int_equal(score_units(&c, &f, 1, &s, err, sizeof err), 0);
  /* 50 × 2/3 = 33.333... -> 33.33 */
  assert_string_equal(s.part[SCORE_COMPLETION].formula, "50 × 2 / 3 = 33.33");
  /* 15 × (0 + 1) / (3 + 5) = 1.875 -> 1.88 (half up) */
  assert_string_equal(s.part[SCORE_TIMELINESS].formula, "15 × 1 / 8 = 1.88");
  /* 15 × 1/3 = 5.00; 20 × 4 / (5 × 1) = 16.00 */
  assert_string_equal(s.part[SCORE_REPORTS].formula, "15 × 1 / 3 = 5.00");
  assert_string_equal(s.part[SCORE_QUALITY].formula, "20 × 4 / (5 × 1) = 16.00");
  /* The base is the sum of the printed parts: 33.33 + 1.88 + 5 + 16 = 56.21 */
  assert_string_equal(s.base_formula, "33.33 + 1.88 + 5.00 + 16.00 = 56.21");
  assert_string_equal(s.score_formula, "56.21 − 0.00 = 56.21");
  assert_int_equal(s.grade, FAIL);
}

static void test_floor_at_zero(void **state) {
  (void)state;
  struct assessment_config c = config(CONFIG_TEXT);
  /* 10 tasks, 1 completed late; 1 report due, late; nothing rated;
  ** 5 挂牌督办. */
  struct unit_facts f = {.tasks_total = 10, .tasks_completed = 1, .reports_due = 1,
                         .notices = {0, 0, 5}};
  struct unit_score s;
  char err[256] = "";
  assert_int_equal(score_units(&c, &f, 1, &s, err, sizeof err), 0);
  /* 50 × 1/10 = 5.00, 15 × 0/10 = 0, 15 × 0/1 = 0, quality n/a:
  ** (5.00 + 0.00 + 0.00) / 80 × 100 = 6.25 */
  assert_string_equal(s.base_formula, "(5.00 + 0.00 + 0.00) / 80 × 100 = 6.25");
  /* 5 × 2 = 10.00 = the cap; 6.25 − 10.00 < 0: the score is 0 */
  assert_string_equal(s.score_formula, "max(0, 6.25 − 10.00) = 0.00");
  assert_true(s.score == 0);
  assert_int_equal(s.assessed, 1);
  assert_int_equal(s.grade, FAIL);
}

static void test_not_assessed_without_tasks(void **state) {
  (void)state;
  struct assessment_config c = config(CONFIG_TEXT);
  struct unit_score s;
  char err[256] = "";
  assert_int_equal(score_units(&c, &UNIT_D, 1, &s, err, sizeof err), 0);
  assert_int_equal(s.assessed, 0);
  assert_true(s.score == 0);
  assert_int_equal(s.grade, -1);
  assert_int_equal(s.rank, 0);
  for (int p = 0; p < SCORE_PARTS; p++) {
    assert_int_equal(s.part[p].applicable, 0);
    assert_string_equal(s.part[p].formula, "n/a: no tasks");
  }
  assert_string_equal(s.base_formula, "not assessed: no tasks");
  assert_string_equal(s.score_formula, "not assessed: no tasks");
}

static void test_ranks_share_ties(void **state) {
  (void)state;
  struct assessment_config c = config(CONFIG_TEXT);
  /* Scores: A 75.75, B 100.00, C 40.00, D not assessed, E = A 75.75.
  ** Ranks: B 1; A and E share 2; C is 4 (three units score higher);
  ** D has none and pushes nobody down. */
  struct unit_facts e = UNIT_A;
  e.name = "市水利和湖泊局";
  const struct unit_facts facts[] = {UNIT_A, UNIT_B, UNIT_C, UNIT_D, e};
  struct unit_score s[5];
  char err[256] = "";
  assert_int_equal(score_units(&c, facts, 5, s, err, sizeof err), 0);
  /* B: 50 + 15 × 10/10 + 15 + 20 × 25/25 = 100.00, 优秀 */
  assert_string_equal(s[1].base_formula, "50.00 + 15.00 + 15.00 + 20.00 = 100.00");
  assert_int_equal(s[1].grade, EXCELLENT);
  assert_int_equal(s[1].rank, 1);
  assert_int_equal(s[0].rank, 2);
  assert_int_equal(s[4].rank, 2);
  assert_int_equal(s[2].rank, 4);
  assert_int_equal(s[3].rank, 0);
}

static void test_grade_boundaries(void **state) {
  (void)state;
  /* Completion alone decides; each 催办 costs 0.01. */
  struct assessment_config c = config(
      "{\"weights\": {\"completion\": 100, \"timeliness\": 0, \"reports\": 0, \"quality\": 0}, "
      "\"deductions\": {\"cuiban\": 0.01, \"duban\": 0, \"guapai\": 0}, \"deduction_cap\": 100, "
      GRADES "}");
  const struct { int total, completed, cuiban; int grade; double score; } cases[] = {
    {10, 9, 0, EXCELLENT, 90.00},   /* 100 × 9/10 = 90.00: exactly the minimum */
    {10, 9, 1, GOOD, 89.99},        /* 90.00 − 0.01 */
    {5, 4, 0, GOOD, 80.00},
    {5, 4, 1, PASS, 79.99},
    {5, 3, 0, PASS, 60.00},
    {5, 3, 1, FAIL, 59.99},
    {5, 0, 0, FAIL, 0.00},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct unit_facts f = {.tasks_total = cases[i].total, .tasks_completed = cases[i].completed,
                           .notices = {cases[i].cuiban, 0, 0}};
    struct unit_score s;
    char err[256] = "";
    assert_int_equal(score_units(&c, &f, 1, &s, err, sizeof err), 0);
    assert_int_equal(s.score_centi, (long)(cases[i].score * 100 + 0.5));
    assert_int_equal(s.grade, cases[i].grade);
  }
}

/* ---- facts that cannot be ---------------------------------------------- */

static void facts_refused(struct unit_facts f, const char *message) {
  struct assessment_config c = config(CONFIG_TEXT);
  const struct unit_facts facts[] = {UNIT_B, f};
  struct unit_score s[2];
  char err[256] = "";
  assert_int_equal(score_units(&c, facts, 2, s, err, sizeof err), -1);
  assert_string_equal(err, message);
}

static void test_inconsistent_facts(void **state) {
  (void)state;
  struct unit_facts f = UNIT_A;
  f.tasks_completed = 5;
  facts_refused(f, "unit 1 (市农业局): tasks_completed exceeds tasks_total");
  f = UNIT_A;
  f.tasks_on_time = 4;
  facts_refused(f, "unit 1 (市农业局): tasks_on_time exceeds tasks_completed");
  f = UNIT_A;
  f.milestones_on_time = 7;
  facts_refused(f, "unit 1 (市农业局): milestones_on_time exceeds milestones_due");
  f = UNIT_A;
  f.reports_on_time = 13;
  facts_refused(f, "unit 1 (市农业局): reports_on_time exceeds reports_due");
  f = UNIT_A;
  f.ratings[0] = 1;   /* 4 ratings for 3 completed tasks */
  facts_refused(f, "unit 1 (市农业局): more ratings than tasks_completed");
  f = UNIT_A;
  f.notices[NOTICE_DUBAN] = -1;
  f.name = NULL;
  facts_refused(f, "unit 1 (unnamed): a count is negative");
}

/* ---- names and JSON --------------------------------------------------- */

static void test_names(void **state) {
  (void)state;
  enum notice_level l;
  assert_int_equal(notice_level_parse("guapai", &l), 0);
  assert_int_equal(l, NOTICE_GUAPAI);
  assert_string_equal(notice_level_name(l), "guapai");
  assert_int_equal(notice_level_parse("挂牌督办", &l), -1);
  assert_int_equal(notice_level_parse(NULL, &l), -1);
  assert_string_equal(score_part_name(SCORE_REPORTS), "reports");
}

static void test_score_json(void **state) {
  (void)state;
  struct assessment_config c = config(CONFIG_TEXT);
  const struct unit_facts facts[] = {UNIT_A, UNIT_D};
  struct unit_score s[2];
  char err[256] = "";
  assert_int_equal(score_units(&c, facts, 2, s, err, sizeof err), 0);
  json_t *j = unit_score_json(&c, &s[0]);
  assert_true(json_is_true(json_object_get(j, "assessed")));
  assert_true(json_real_value(json_object_get(j, "score")) == 75.75);
  assert_int_equal(json_integer_value(json_object_get(j, "rank")), 1);
  assert_string_equal(json_string_value(json_object_get(json_object_get(j, "grade"), "zh")), "合格");
  json_t *q = json_object_get(json_object_get(j, "parts"), "quality");
  assert_int_equal(json_integer_value(json_object_get(q, "num")), 12);
  assert_int_equal(json_integer_value(json_object_get(q, "den")), 15);
  assert_string_equal(json_string_value(json_object_get(q, "formula")), "20 × 12 / (5 × 3) = 16.00");
  assert_string_equal(json_string_value(json_object_get(json_object_get(j, "formulas"), "score")),
                      "77.75 − 2.00 = 75.75");
  json_decref(j);
  j = unit_score_json(&c, &s[1]);
  assert_true(json_is_false(json_object_get(j, "assessed")));
  assert_true(json_is_null(json_object_get(j, "grade")));
  assert_true(json_is_null(json_object_get(j, "rank")));
  assert_true(json_is_null(json_object_get(j, "score")));
  json_decref(j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_config_data_file),
    cmocka_unit_test(test_config_errors),
    cmocka_unit_test(test_unit_a_breakdown),
    cmocka_unit_test(test_scaled_when_parts_do_not_apply),
    cmocka_unit_test(test_rounding_half_up),
    cmocka_unit_test(test_floor_at_zero),
    cmocka_unit_test(test_not_assessed_without_tasks),
    cmocka_unit_test(test_ranks_share_ties),
    cmocka_unit_test(test_grade_boundaries),
    cmocka_unit_test(test_inconsistent_facts),
    cmocka_unit_test(test_names),
    cmocka_unit_test(test_score_json),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
