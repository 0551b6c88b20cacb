/*
** Unit tests of one item's evaluation (water/quality.h): values as
** measured, round half to even, the class of a value and of a set of
** values, with the method's edge cases.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include "test_water_common.h"
#include "water/quality.h"

static struct water_standard std;

static const struct water_item *item(const char *code) {
  int i = water_item_index(&std, code);
  assert_true(i >= 0);
  return &std.item[i];
}

/* Class of the raw value TEXT of item CODE in a river (or lake). */
static int cls(const char *code, enum water_body body, const char *text) {
  double v;
  int below;
  assert_int_equal(water_parse_value(text, &v, &below), 0);
  const struct water_item *it = item(code);
  return water_value_class(it, body, water_round(v, it->decimals));
}

static void test_standard_loaded(void **state) {
  (void)state;
  assert_int_equal(std.n, 24);                      /* 25 rows, TP_LAKE folded into TP */
  assert_int_equal(__builtin_popcountll(water_class_indicators(&std)), 21);
  assert_int_equal(item("TP")->has_lake_limits, 1);
  assert_true(item("TP")->lake_limit[1] == 0.025);
  assert_int_equal(item("WT")->has_limits, 0);
  assert_int_equal(item("PH")->decimals, 0);
  assert_int_equal(item("TP")->decimals, 3);
  assert_int_equal(item("TN")->in_class, 0);
  assert_int_equal(item("CN")->priority, 1);
  assert_int_equal(water_item_index(&std, "codmn"), water_item_index(&std, "CODMN"));
}

static void test_standard_errors(void **state) {
  (void)state;
  struct water_standard s;
  char err[200];
  const char t1[] = "code,name_zh,name_en,unit,direction,I,II,III,IV,V,notes\n"
                    "DO,x,x,mg/L,lower,7.5,6,5,3,2,\n"
                    "X,x,x,mg/L,sideways,1,2,3,4,5,\n";
  const char ev[] = "code,short_zh,decimals,class_indicator,priority,mean,source\n"
                    "DO,溶解氧,1,1,0,arithmetic,s\n";
  assert_int_equal(water_standard_load(&s, t1, strlen(t1), ev, strlen(ev), err, sizeof err), -1);
  assert_string_equal(err, "gb3838_table1.csv line 3: malformed item row");
  const char t2[] = "code,name_zh,name_en,unit,direction,I,II,III,IV,V,notes\n"
                    "DO,x,x,mg/L,lower,7.5,6,5,3,2,\n"
                    "CODMN,x,x,mg/L,upper,2,4,6,10,15,\n";
  assert_int_equal(water_standard_load(&s, t2, strlen(t2), ev, strlen(ev), err, sizeof err), -1);
  assert_string_equal(err, "gb3838_evaluation.csv: no row for item CODMN");
}

static void test_parse_value(void **state) {
  (void)state;
  double v;
  int below;
  assert_int_equal(water_parse_value("0.032", &v, &below), 0);
  assert_true(v == 0.032 && !below);
  assert_int_equal(water_parse_value(" 7.5 ", &v, &below), 0);
  assert_true(v == 7.5);
  assert_int_equal(water_parse_value(".5", &v, &below), 0);
  assert_true(v == 0.5);
  /* below the detection limit counts as half the limit */
  assert_int_equal(water_parse_value("0.01L", &v, &below), 0);
  assert_true(v == 0.005 && below);
  assert_int_equal(water_parse_value("", &v, &below), 1);
  const char *bad[] = {"L", "abc", "-1", "1e3", "1.2.3", "0x10", "inf", "nan", "0.01 L", "5l"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(water_parse_value(bad[i], &v, &below), -1);
}

static void test_round_half_even(void **state) {
  (void)state;
  assert_true(water_round(0.045, 2) == 0.04);     /* tie, 4 even: down */
  assert_true(water_round(0.055, 2) == 0.06);     /* tie, 5 odd: up (the double is above) */
  assert_true(water_round(0.065, 2) == 0.06);     /* tie, 6 even: down (the double is below) */
  assert_true(water_round(0.0455, 2) == 0.05);    /* above the tie */
  assert_true(water_round(2.25, 1) == 2.2);
  assert_true(water_round(2.35, 1) == 2.4);
  assert_true(water_round(8.5, 0) == 8);
  assert_true(water_round(9.5, 0) == 10);
  assert_true(water_round(0.1249999, 3) == 0.125);
  assert_true(water_round(0.9996, 3) == 1.0);     /* carry into a new digit */
  assert_true(water_round(7.25, -1) == 7.25);     /* no decimals given: unchanged */
  /* a result of 0 keeps one significant digit */
  assert_true(water_round(0.0004, 3) == 0.0004);
  assert_true(water_round(0.00049, 3) == 0.0005);
  assert_true(water_round(0.0006, 3) == 0.001);
  assert_true(water_round(0.0, 3) == 0.0);
  /* a mean that is a decimal tie is treated as one */
  assert_true(water_round((0.04 + 0.05) / 2, 2) == 0.04);
  assert_true(water_round((4.1 + 4.2 + 4.2) / 3, 1) == 4.2);
}

static void test_value_on_limit(void **state) {
  (void)state;
  assert_int_equal(cls("CODMN", WATER_RIVER, "2"), 1);
  assert_int_equal(cls("CODMN", WATER_RIVER, "2.0"), 1);
  assert_int_equal(cls("CODMN", WATER_RIVER, "2.04"), 1);   /* rounds to 2.0 */
  assert_int_equal(cls("CODMN", WATER_RIVER, "2.05"), 1);   /* tie: 2.0 */
  assert_int_equal(cls("CODMN", WATER_RIVER, "2.06"), 2);   /* 2.1 */
  assert_int_equal(cls("CODMN", WATER_RIVER, "15"), 5);
  assert_int_equal(cls("CODMN", WATER_RIVER, "15.05"), 5);
  assert_int_equal(cls("CODMN", WATER_RIVER, "15.06"), 6);
  assert_int_equal(cls("NH3N", WATER_RIVER, "1.004"), 3);   /* 1.00 meets Ⅲ */
  assert_int_equal(cls("NH3N", WATER_RIVER, "1.005"), 3);   /* tie: 1.00 */
  assert_int_equal(cls("NH3N", WATER_RIVER, "1.015"), 4);   /* tie: 1.02 */
  assert_int_equal(cls("NH3N", WATER_RIVER, "2.006"), 6);
  assert_int_equal(cls("TP", WATER_RIVER, "0.2"), 3);
  assert_int_equal(cls("TP", WATER_RIVER, "0.2004"), 3);
  assert_int_equal(cls("TP", WATER_RIVER, "0.2005"), 3);    /* tie: 0.200 */
  assert_int_equal(cls("TP", WATER_RIVER, "0.2015"), 4);    /* tie: 0.202 */
}

static void test_shared_limits(void **state) {
  (void)state;
  /* COD Ⅰ = Ⅱ = 15: a value meeting 15 is the best class, Ⅰ */
  assert_int_equal(cls("COD", WATER_RIVER, "15"), 1);
  assert_int_equal(cls("COD", WATER_RIVER, "15.04"), 1);
  assert_int_equal(cls("COD", WATER_RIVER, "15.06"), 3);    /* 15.1: past Ⅱ too */
  assert_int_equal(cls("BOD5", WATER_RIVER, "3"), 1);
  assert_int_equal(cls("BOD5", WATER_RIVER, "3.1"), 3);
  assert_int_equal(cls("CU", WATER_RIVER, "0.5"), 2);       /* Cu Ⅱ..Ⅴ = 1.0 */
  assert_int_equal(cls("CU", WATER_RIVER, "1.0"), 2);
  assert_int_equal(cls("CU", WATER_RIVER, "1.1"), 6);
  assert_int_equal(cls("HG", WATER_RIVER, "0.00005"), 1);
  assert_int_equal(cls("HG", WATER_RIVER, "0.00006"), 3);
}

static void test_do_higher_is_better(void **state) {
  (void)state;
  assert_int_equal(cls("DO", WATER_RIVER, "9.3"), 1);
  assert_int_equal(cls("DO", WATER_RIVER, "7.5"), 1);
  assert_int_equal(cls("DO", WATER_RIVER, "7.45"), 2);      /* tie: 7.4 */
  assert_int_equal(cls("DO", WATER_RIVER, "7.46"), 1);      /* 7.5 */
  assert_int_equal(cls("DO", WATER_RIVER, "5.0"), 3);
  assert_int_equal(cls("DO", WATER_RIVER, "2.0"), 5);
  assert_int_equal(cls("DO", WATER_RIVER, "1.94"), 6);
}

static void test_ph_range(void **state) {
  (void)state;
  assert_int_equal(cls("PH", WATER_RIVER, "6"), 1);
  assert_int_equal(cls("PH", WATER_RIVER, "9"), 1);
  assert_int_equal(cls("PH", WATER_RIVER, "9.49"), 1);      /* rounds to 9 */
  assert_int_equal(cls("PH", WATER_RIVER, "9.5"), 6);       /* tie: 10, out of range */
  assert_int_equal(cls("PH", WATER_RIVER, "5.5"), 1);       /* tie: 6 */
  assert_int_equal(cls("PH", WATER_RIVER, "5.49"), 6);
  assert_int_equal(cls("PH", WATER_RIVER, "10.2"), 6);
}

static void test_below_detection(void **state) {
  (void)state;
  assert_int_equal(cls("NH3N", WATER_RIVER, "0.025L"), 1);   /* 0.0125 -> 0.01 */
  assert_int_equal(cls("CN", WATER_RIVER, "0.004L"), 1);     /* 0.002 */
  assert_int_equal(cls("HG", WATER_RIVER, "0.00004L"), 1);   /* 0.00002 */
  /* a detection limit above Ⅰ whose half still meets it */
  assert_int_equal(cls("VPHENOL", WATER_RIVER, "0.003L"), 1); /* 0.0015 */
  /* in a set: half the limit enters the mean */
  double v[2];
  int below;
  assert_int_equal(water_parse_value("0.025L", &v[0], &below), 0);
  assert_int_equal(water_parse_value("0.10", &v[1], &below), 0);
  double r;
  assert_int_equal(water_set_class(item("NH3N"), WATER_RIVER, v, 2, &r), 1);
  assert_true(r == 0.06);                                    /* 0.05625 */
}

static void test_lake_tp(void **state) {
  (void)state;
  assert_int_equal(cls("TP", WATER_RIVER, "0.03"), 2);
  assert_int_equal(cls("TP", WATER_LAKE, "0.03"), 3);
  assert_int_equal(cls("TP", WATER_LAKE, "0.025"), 2);
  assert_int_equal(cls("TP", WATER_LAKE, "0.0255"), 3);      /* tie: 0.026 */
  assert_int_equal(cls("TP", WATER_LAKE, "0.21"), 6);
  assert_int_equal(cls("CODMN", WATER_LAKE, "4"), 2);        /* other items unchanged */
}

static void test_set_class(void **state) {
  (void)state;
  /* pH through [H+]: 5 and 9 average to 5.30, not 7 */
  double ph[] = {5.0, 9.0};
  double r;
  assert_int_equal(water_set_class(item("PH"), WATER_RIVER, ph, 2, &r), 6);
  assert_true(r == 5);
  struct water_acc acc = {0};
  water_acc_add(&acc, item("PH"), 5.0);
  water_acc_add(&acc, item("PH"), 9.0);
  assert_true(fabs(water_acc_mean(&acc, item("PH")) - 5.30099) < 1e-5);
  /* CODMn 3.9 and 4.2: mean 4.05, a tie, 4.0: class Ⅱ */
  double codmn[] = {3.9, 4.2};
  assert_int_equal(water_set_class(item("CODMN"), WATER_RIVER, codmn, 2, &r), 2);
  assert_true(r == 4.0);
  /* NH3-N 0.04 and 0.05: 0.045, a tie, 0.04 */
  double nh3n[] = {0.04, 0.05};
  water_set_class(item("NH3N"), WATER_RIVER, nh3n, 2, &r);
  assert_true(r == 0.04);
  assert_int_equal(water_set_class(item("NH3N"), WATER_RIVER, nh3n, 0, &r), 0);
  assert_true(isnan(r));
}

static void test_acc_merge(void **state) {
  (void)state;
  /* a month from two halves equals the month from all its values */
  const struct water_item *it = item("TP");
  struct water_acc a = {0}, b = {0}, all = {0};
  double v[] = {0.02, 0.031, 0.044, 0.05, 0.019};
  for (int i = 0; i < 5; i++) {
    water_acc_add(i < 2 ? &a : &b, it, v[i]);
    water_acc_add(&all, it, v[i]);
  }
  water_acc_merge(&a, &b);
  assert_int_equal(a.n, 5);
  assert_true(water_acc_mean(&a, it) == water_acc_mean(&all, it));
}

static void test_labels(void **state) {
  (void)state;
  assert_string_equal(water_class_label(1), "Ⅰ");
  assert_string_equal(water_class_label(5), "Ⅴ");
  assert_string_equal(water_class_label(6), "劣Ⅴ");
  assert_string_equal(water_class_label(0), "");
  assert_string_equal(water_rating_label(water_class_rating(1)), "优");
  assert_string_equal(water_rating_label(water_class_rating(2)), "优");
  assert_string_equal(water_rating_label(water_class_rating(3)), "良好");
  assert_string_equal(water_rating_label(water_class_rating(4)), "轻度污染");
  assert_string_equal(water_rating_label(water_class_rating(5)), "中度污染");
  assert_string_equal(water_rating_label(water_class_rating(6)), "重度污染");
  assert_string_equal(water_rating_label(water_class_rating(0)), "");
}

int main(void) {
  load_standard_or_die(&std);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_standard_loaded),
    cmocka_unit_test(test_standard_errors),
    cmocka_unit_test(test_parse_value),
    cmocka_unit_test(test_round_half_even),
    cmocka_unit_test(test_value_on_limit),
    cmocka_unit_test(test_shared_limits),
    cmocka_unit_test(test_do_higher_is_better),
    cmocka_unit_test(test_ph_range),
    cmocka_unit_test(test_below_detection),
    cmocka_unit_test(test_lake_tp),
    cmocka_unit_test(test_set_class),
    cmocka_unit_test(test_acc_merge),
    cmocka_unit_test(test_labels),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
