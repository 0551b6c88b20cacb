/*
** Unit tests of section, basin and trophic-state evaluation
** (water/evaluate.h) and of the classify conversion (water/classify.h),
** with worked examples of each rule of the 2011 method.
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
#include "water/evaluate.h"

static struct water_standard std;

static int idx(const char *code) {
  int i = water_item_index(&std, code);
  assert_true(i >= 0);
  return i;
}

/* Values from "CODE=value CODE=value ...", the rest NAN. */
static void values_of(const char *spec, double *v) {
  for (int i = 0; i < std.n; i++) v[i] = NAN;
  char copy[512];
  snprintf(copy, sizeof copy, "%s", spec);
  char *save = NULL;
  for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
    char *eq = strchr(tok, '=');
    assert_non_null(eq);
    *eq = 0;
    int below;
    assert_int_equal(water_parse_value(eq + 1, &v[idx(tok)], &below), 0);
  }
}

static void evaluate(const char *spec, enum water_body body, water_mask assessed,
                     struct water_result *r) {
  double v[WATER_MAX_ITEMS];
  values_of(spec, v);
  water_evaluate(&std, body, v, assessed, r);
}

static void assert_main(const struct water_result *r, const char *expected) {
  struct buf b = {0};
  water_main_pollutants_text(&std, r, &b);
  assert_string_equal(buf_str(&b), expected);
  buf_free(&b);
}

static void test_section_worst_wins(void **state) {
  (void)state;
  struct water_result r;
  evaluate("PH=7.8 DO=8.1 CODMN=4.4 NH3N=0.3 TP=0.12", WATER_RIVER, 0, &r);
  assert_int_equal(r.cls, 3);
  assert_int_equal(r.item[idx("DO")].cls, 1);
  assert_int_equal(r.item[idx("NH3N")].cls, 2);
  assert_int_equal(water_class_rating(r.cls), WATER_RATING_GOOD);
  assert_int_equal(r.n_main, 0);                 /* Ⅰ–Ⅲ: no main pollutants */
  assert_main(&r, "");
  /* one item beyond Ⅴ makes the section 劣Ⅴ */
  evaluate("PH=7.8 DO=8.1 CODMN=4.4 NH3N=2.5 TP=0.12", WATER_RIVER, 0, &r);
  assert_int_equal(r.cls, 6);
  assert_string_equal(water_rating_label(water_class_rating(r.cls)), "重度污染");
  assert_main(&r, "氨氮(1.50)");
  /* nothing measured: no class */
  evaluate("WT=12.5", WATER_RIVER, 0, &r);
  assert_int_equal(r.cls, 0);
}

static void test_section_ph_out_of_range(void **state) {
  (void)state;
  struct water_result r;
  evaluate("PH=9.6 DO=8.1 CODMN=1.5", WATER_RIVER, 0, &r);
  assert_int_equal(r.cls, 6);
  assert_main(&r, "pH");                         /* no multiple for pH */
}

static void test_lake_tp_and_tn(void **state) {
  (void)state;
  struct water_result r;
  /* TP 0.03: class Ⅱ in a river, Ⅲ in a lake */
  evaluate("DO=8 CODMN=3 NH3N=0.2 TP=0.03", WATER_RIVER, 0, &r);
  assert_int_equal(r.cls, 2);
  evaluate("DO=8 CODMN=3 NH3N=0.2 TP=0.03", WATER_LAKE, 0, &r);
  assert_int_equal(r.cls, 3);
  /* a reservoir with TN 1.8 (Ⅴ) is still class Ⅱ; TN reported on its own */
  evaluate("PH=8.1 DO=9.2 CODMN=1.9 NH3N=0.05 TP=0.021 TN=1.8", WATER_LAKE, 0, &r);
  assert_int_equal(r.cls, 2);
  assert_int_equal(r.tn_class, 5);
  assert_int_equal(r.item[idx("TN")].counted, 0);
  /* TN 2.3 is 劣Ⅴ on its own and the class does not move */
  evaluate("PH=8.1 DO=9.2 CODMN=1.9 NH3N=0.05 TP=0.021 TN=2.3", WATER_LAKE, 0, &r);
  assert_int_equal(r.cls, 2);
  assert_int_equal(r.tn_class, 6);
  /* in a river TN neither counts nor is reported */
  evaluate("DO=9.2 CODMN=1.9 TN=7.04", WATER_RIVER, 0, &r);
  assert_int_equal(r.cls, 1);
  assert_int_equal(r.tn_class, 0);
}

static void test_main_pollutants_order(void **state) {
  (void)state;
  struct water_result r;
  /* three Ⅴ items ranked by multiple vs Ⅲ; BOD5 (Ⅳ) left out */
  evaluate("DO=6.5 CODMN=12 NH3N=1.8 TP=0.35 BOD5=5", WATER_RIVER, 0, &r);
  assert_int_equal(r.cls, 5);
  assert_true(fabs(r.item[idx("CODMN")].multiple - 1.0) < 1e-12);
  assert_true(fabs(r.item[idx("TP")].multiple - 0.75) < 1e-12);
  assert_main(&r, "高锰酸盐指数(1.00)、氨氮(0.80)、总磷(0.75)");
  /* worse class first even with a smaller multiple */
  evaluate("CODMN=14 NH3N=2.1", WATER_RIVER, 0, &r);
  assert_main(&r, "氨氮(1.10)、高锰酸盐指数(1.33)");
  /* lead beyond Ⅲ comes first: heavy metals have priority */
  evaluate("CODMN=12 NH3N=1.8 TP=0.35 PB=0.06", WATER_RIVER, 0, &r);
  assert_main(&r, "铅(0.20)、高锰酸盐指数(1.00)、氨氮(0.80)");
  /* DO has no multiple: after the items of its class that have one */
  evaluate("DO=3.5 CODMN=7", WATER_RIVER, 0, &r);
  assert_int_equal(r.cls, 4);
  assert_main(&r, "高锰酸盐指数(0.17)、溶解氧");
  /* lake: the multiple is against the lake Ⅲ limit of TP (0.05) */
  evaluate("TP=0.08 DO=8", WATER_LAKE, 0, &r);
  assert_main(&r, "总磷(0.60)");
}

static void test_assessed_subset(void **state) {
  (void)state;
  /* Hubei's cross-boundary rule assesses CODMn and NH3-N only */
  water_mask hubei = ((water_mask)1 << idx("CODMN")) | ((water_mask)1 << idx("NH3N"));
  struct water_result r;
  evaluate("CODMN=3.5 NH3N=0.4 TP=0.35", WATER_RIVER, hubei, &r);
  assert_int_equal(r.cls, 2);
  assert_int_equal(r.item[idx("TP")].cls, 5);   /* still classed, not counted */
  assert_int_equal(r.item[idx("TP")].counted, 0);
}

static void test_compliance(void **state) {
  (void)state;
  struct water_result r;
  struct water_miss miss[8];
  evaluate("PH=7.6 DO=5.5 CODMN=4.4 NH3N=0.3 TP=0.12", WATER_RIVER, 0, &r);
  assert_int_equal(r.cls, 3);
  assert_int_equal(water_compliance(&std, &r, 3, miss, 8), 0);
  int n = water_compliance(&std, &r, 2, miss, 8);
  assert_int_equal(n, 3);                        /* DO, CODMn, TP miss Ⅱ */
  assert_int_equal(miss[0].item, idx("DO"));
  assert_true(miss[0].target_limit == 6);
  assert_true(fabs(miss[0].multiple - 0.5 / 6) < 1e-12);
  assert_int_equal(miss[1].item, idx("CODMN"));
  assert_true(miss[1].target_limit == 4);
  assert_true(fabs(miss[1].multiple - 0.1) < 1e-12);
  assert_int_equal(miss[2].item, idx("TP"));
  assert_true(fabs(miss[2].multiple - 0.2) < 1e-12);
  /* worst class first; pH has no limit to miss by */
  evaluate("PH=5.2 CODMN=4.4", WATER_RIVER, 0, &r);
  n = water_compliance(&std, &r, 2, miss, 8);
  assert_int_equal(n, 2);
  assert_int_equal(miss[0].item, idx("PH"));
  assert_true(isnan(miss[0].target_limit) && isnan(miss[0].multiple));
  /* room for one only */
  assert_int_equal(water_compliance(&std, &r, 2, miss, 1), 1);
}

static void test_basin_by_share(void **state) {
  (void)state;
  double p13, pw;
  const int good[] = {1, 2, 3, 3, 4};
  assert_int_equal(water_basin_rating_by_share(good, 5, &p13, &pw), WATER_RATING_GOOD);
  assert_true(p13 == 0.8 && pw == 0);
  const int edge[] = {2, 2, 2, 2, 2, 2, 2, 2, 2, 6};   /* exactly 90% */
  assert_int_equal(water_basin_rating_by_share(edge, 10, &p13, &pw), WATER_RATING_EXCELLENT);
  const int q75[] = {1, 2, 3, 4};                      /* exactly 75% */
  assert_int_equal(water_basin_rating_by_share(q75, 4, NULL, NULL), WATER_RATING_GOOD);
  const int light[] = {4, 4, 4, 4, 1};
  assert_int_equal(water_basin_rating_by_share(light, 5, NULL, NULL), WATER_RATING_LIGHT);
  const int moderate[] = {4, 4, 4, 6, 1};             /* 劣Ⅴ 20% */
  assert_int_equal(water_basin_rating_by_share(moderate, 5, NULL, NULL), WATER_RATING_MODERATE);
  const int heavy[] = {6, 6, 4, 4, 1};                /* 劣Ⅴ 40% */
  assert_int_equal(water_basin_rating_by_share(heavy, 5, NULL, NULL), WATER_RATING_HEAVY);
  const int none[] = {0, 0};
  assert_int_equal(water_basin_rating_by_share(none, 2, NULL, NULL), WATER_RATING_NONE);
}

static void test_basin_rating_rule(void **state) {
  (void)state;
  /* fewer than 5 sections: mean of each indicator, then single factor */
  double a[WATER_MAX_ITEMS], b[WATER_MAX_ITEMS], c[WATER_MAX_ITEMS];
  values_of("PH=7 CODMN=3 NH3N=0.2", a);
  values_of("PH=8 CODMN=5 NH3N=0.3", b);
  values_of("PH=9 CODMN=7.3 NH3N=1.2", c);
  const double *rows[] = {a, b, c};
  struct water_result res[3], mean;
  for (int k = 0; k < 3; k++) water_evaluate(&std, WATER_RIVER, rows[k], 0, &res[k]);
  assert_int_equal(res[2].cls, 4);
  enum water_rating rt = water_basin_rating(&std, WATER_RIVER, res, rows, 3, 0, &mean);
  assert_int_equal(mean.cls, 3);                 /* CODMn 5.1, NH3-N 0.57 */
  assert_true(mean.item[idx("CODMN")].value == 5.1);
  assert_true(mean.item[idx("PH")].value == 7);  /* [H+] mean: 7.43 -> 7 */
  assert_int_equal(rt, WATER_RATING_GOOD);
  /* five or more: proportions, and main pollutants by exceedance rate */
  struct water_result five[5];
  const char *spec[] = {"CODMN=3 NH3N=1.2", "CODMN=7 NH3N=1.6", "CODMN=8 TP=0.5",
                        "CODMN=2", "CODMN=3"};
  for (int k = 0; k < 5; k++) evaluate(spec[k], WATER_RIVER, 0, &five[k]);
  assert_int_equal(water_basin_rating(&std, WATER_RIVER, five, NULL, 5, 0, NULL),
                   WATER_RATING_MODERATE);       /* Ⅰ–Ⅲ 40%, 劣Ⅴ 20% */
  int items[3];
  double rate[3];
  int n = water_basin_main_pollutants(&std, five, 5, items, rate);
  assert_int_equal(n, 3);
  assert_int_equal(items[0], idx("CODMN"));      /* 2 of 5 sections, tie: table order */
  assert_true(rate[0] == 0.4);
  assert_int_equal(items[1], idx("NH3N"));
  assert_int_equal(items[2], idx("TP"));
}

static void test_tli(void **state) {
  (void)state;
  /* chl-a 10 mg/m³, TP 0.05, TN 1.0, SD 1.0 m, CODMn 4 mg/L:
  ** parts 50.006, 45.709, 54.530, 51.180, 37.979; weights 0.2663 ... */
  double t = water_tli(10, 0.05, 1.0, 1.0, 4);
  assert_true(fabs(t - 48.0181) < 1e-4);
  assert_string_equal(water_tli_grade(t), "中营养");
  /* one parameter only: its own index */
  assert_true(fabs(water_tli(NAN, 0.05, NAN, NAN, NAN) - 45.7093) < 1e-4);
  assert_true(isnan(water_tli(NAN, NAN, NAN, NAN, NAN)));
  assert_string_equal(water_tli_grade(29.9), "贫营养");
  assert_string_equal(water_tli_grade(30), "中营养");
  assert_string_equal(water_tli_grade(50), "中营养");
  assert_string_equal(water_tli_grade(50.1), "轻度富营养");
  assert_string_equal(water_tli_grade(60), "轻度富营养");
  assert_string_equal(water_tli_grade(70), "中度富营养");
  assert_string_equal(water_tli_grade(70.1), "重度富营养");
}

/* Run classify on IN; returns its rc with the output or error in OUT. */
static int classify(const char *in, struct buf *out) {
  char err[256];
  buf_reset(out);
  int rc = water_classify_csv(&std, in, strlen(in), out, err, sizeof err);
  if (rc) {
    buf_reset(out);
    buf_puts(out, err);
  }
  return rc;
}

static void test_classify_csv(void **state) {
  (void)state;
  struct buf out = {0};
  const char *in =
    "section,type,time,PH,DO,CODMN,NH3N,TP,TN\n"
    "神定河口,river,2025-11-18 16:00,7.9,8.6,3.9,0.31,0.152,7.04\n"
    "\"陶岔, 渠首\",lake,2025-11-18 16:00,8.1,9.2,1.9,0.025L,0.021,1.8\n"
    "泗河口,river,2025-11-18 16:00,7.6,4.4,6.2,2.3,0.41,9\n"
    "空,river,2025-11-18 16:00,,,,,,\n";
  assert_int_equal(classify(in, &out), 0);
  assert_string_equal(buf_str(&out),
    "section,type,time,PH,DO,CODMN,NH3N,TP,TN,class,class_label,rating,main_pollutants\n"
    "神定河口,river,2025-11-18 16:00,7.9,8.6,3.9,0.31,0.152,7.04,3,Ⅲ,良好,\n"
    "\"陶岔, 渠首\",lake,2025-11-18 16:00,8.1,9.2,1.9,0.025L,0.021,1.8,2,Ⅱ,优,\n"
    "泗河口,river,2025-11-18 16:00,7.6,4.4,6.2,2.3,0.41,9,6,劣Ⅴ,重度污染,"
    "氨氮(1.30)、总磷(1.05)、高锰酸盐指数(0.03)\n"
    "空,river,2025-11-18 16:00,,,,,,,,,,\n");
  buf_free(&out);
}

static void test_classify_errors(void **state) {
  (void)state;
  struct buf out = {0};
  assert_int_equal(classify("", &out), -1);
  assert_string_equal(buf_str(&out), "line 1: no header");
  assert_int_equal(classify("name,type,time,PH\n", &out), -1);
  assert_string_equal(buf_str(&out), "line 1, field 1: the header must start with section,type,time");
  assert_int_equal(classify("section,type,time,PH,XYZ\n", &out), -1);
  assert_string_equal(buf_str(&out), "line 1, field XYZ: not an item code of GB 3838 Table 1");
  assert_int_equal(classify("section,type,time,PH,ph\n", &out), -1);
  assert_string_equal(buf_str(&out), "line 1, field ph: repeated item code of GB 3838 Table 1");
  const char *head = "section,type,time,PH,NH3N\n";
  struct { const char *row, *err; } cases[] = {
    {"a,river,2026-01-05,7,0.5\nb,sea,2026-01-05,7,0.5\n", "line 3, field type: 'sea' is not river, lake or reservoir"},
    {"a,river,2026-01-05,7,abc\n", "line 2, field NH3N: 'abc' is not a value (a number, optionally followed by L)"},
    {"a,river,2026-01-05,15,0.5\n", "line 2, field PH: '15' is not a value (a number, optionally followed by L)"},
    {"a,river,2026-01-05,7\n", "line 2, field 5: 4 fields where the header has 5"},
    {"a,river,2026-01-05,7,0.5,9\n", "line 2, field 6: 6 fields where the header has 5"},
    {",river,2026-01-05,7,0.5\n", "line 2, field section: empty"},
    {"a,river,2026-01-05,7,\"0.5\n", "line 2: unterminated quoted field"},
    {"a,river,t,7,0.5\n", "line 2, field time: 't' does not start with a date YYYY-MM-DD"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char in[256];
    snprintf(in, sizeof in, "%s%s", head, cases[i].row);
    assert_int_equal(classify(in, &out), -1);
    assert_string_equal(buf_str(&out), cases[i].err);
  }
  buf_free(&out);
}

int main(void) {
  load_standard_or_die(&std);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_section_worst_wins),
    cmocka_unit_test(test_section_ph_out_of_range),
    cmocka_unit_test(test_lake_tp_and_tn),
    cmocka_unit_test(test_main_pollutants_order),
    cmocka_unit_test(test_assessed_subset),
    cmocka_unit_test(test_compliance),
    cmocka_unit_test(test_basin_by_share),
    cmocka_unit_test(test_basin_rating_rule),
    cmocka_unit_test(test_tli),
    cmocka_unit_test(test_classify_csv),
    cmocka_unit_test(test_classify_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
