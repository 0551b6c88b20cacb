/*
** Unit tests of the rules of unit changes (src/plan/units.c): a rename or a
** succession needs a real day after the day the unit took its name, a new
** name, and a shape that is a merger or a split.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "plan/plan.h"

static void test_change_needs_a_day_after_the_name(void **state) {
  (void)state;
  char err[200];
  assert_int_equal(unit_change_check(NULL, "2019-01-01", err, sizeof err), 0);
  assert_int_equal(unit_change_check("2019-01-01", "2019-01-02", err, sizeof err), 0);
  assert_int_equal(unit_change_check("2019-01-01", "2019-01-01", err, sizeof err), -1);
  assert_string_equal(err, "the change on 2019-01-01 is not after 2019-01-01, when the unit took its name");
  assert_int_equal(unit_change_check("2019-01-01", "2018-12-31", err, sizeof err), -1);
  static const char *const bad[] = {"2019-02-29", "2019-13-01", "2019-1-1", "2019-01-01 ", "", "20190101"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(unit_change_check(NULL, bad[i], err, sizeof err), -1);
    assert_non_null(strstr(err, "is not a day written YYYY-MM-DD"));
    assert_non_null(strstr(err, bad[i]));
  }
  assert_int_equal(unit_change_check(NULL, "2028-02-29", err, sizeof err), 0);
}

static void test_rename_needs_another_name(void **state) {
  (void)state;
  char err[200];
  assert_int_equal(unit_rename_check("市环保局", NULL, "市生态环境局", "2019-01-01", err, sizeof err), 0);
  assert_int_equal(unit_rename_check("市环保局", NULL, "市环保局", "2019-01-01", err, sizeof err), -1);
  assert_string_equal(err, "the unit is already named '市环保局'");
  assert_int_equal(unit_rename_check("市环保局", NULL, "", "2019-01-01", err, sizeof err), -1);
  assert_string_equal(err, "the new name is empty");
  assert_int_equal(unit_rename_check("市生态环境局", "2019-01-01", "市新局", "2018-06-01", err, sizeof err), -1);
}

static void test_succession_kinds(void **state) {
  (void)state;
  assert_string_equal(unit_succession_kind(1, 1), "merger");
  assert_string_equal(unit_succession_kind(3, 1), "merger");
  assert_string_equal(unit_succession_kind(1, 2), "split");
  assert_null(unit_succession_kind(2, 2));
  assert_null(unit_succession_kind(0, 1));
  assert_null(unit_succession_kind(1, 0));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_change_needs_a_day_after_the_name),
    cmocka_unit_test(test_rename_needs_another_name),
    cmocka_unit_test(test_succession_kinds),
  };
  return cmocka_run_group_tests_name("unit changes", tests, NULL, NULL);
}
