/*
** Unit tests of the 统一社会信用代码 check (sources/credit.h): published
** codes, the check characters' edge values, and each error with its
** position.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "sources/credit.h"

/* Codes found published online, as collected in python-stdnum's
** tests/test_cn_uscc.doctest (arthurdejong/python-stdnum); 91420684...
** is registered in 宜城市, Hubei. Chosen to cover a check character X,
** an organisation check digit X, letters in the subject identifier, an
** individual business (92...), a public institution (12...). */
static const char *const PUBLISHED[] = {
  "121200004013590816", "91110000600037341L", "91110000710926094P", "91120224064012553U",
  "911522010783710635", "9115220107837757XE", "9115220107837941X1", "91310115MA1K3BTP2B",
  "9131012056010553X5", "91340603MA2UJXXCXF", "91420684MA4927PJ7B", "9144030071526726XG",
  "9144060573144633XL", "91620105L015101280", "91620105MA73NBBLXE", "92340602MA2PBMEM24",
  "92340621MA2PBKRXXG", "92340603MA2PBN17X5", "91440300568520498A", "913505007821784439",
  "91371082775260043P", "914112810713741814", "92340604MA2PENA300",
};

static void check_fails(const char *code, enum credit_error e, int position, char expected) {
  struct credit_result r;
  assert_int_equal(credit_code_check(code, strlen(code), &r), -1);
  assert_int_equal(r.error, e);
  assert_int_equal(r.position, position);
  assert_int_equal(r.expected, expected);
  char where[32];
  snprintf(where, sizeof where, "position %d", position);
  if (e != CREDIT_E_LENGTH) assert_non_null(strstr(r.message, where));
}

static void test_published_codes_pass(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof PUBLISHED / sizeof PUBLISHED[0]; i++) {
    struct credit_result r;
    if (credit_code_check(PUBLISHED[i], 18, &r)) fail_msg("%s: %s", PUBLISHED[i], r.message);
    assert_int_equal(r.error, CREDIT_OK);
  }
}

static void test_check_characters(void **state) {
  (void)state;
  /* 91110000600037341: the sum of value x weight is 538 = 31 x 17 + 11,
  ** and 31 - 11 = 20 is 'L' (0-9 A-H J K L: the 21st character). */
  assert_int_equal(credit_check_character("91110000600037341"), 'L');
  /* 92340604MA2PENA30: the sum is a multiple of 31, so 31 is written 0. */
  assert_int_equal(credit_check_character("92340604MA2PENA30"), '0');
  /* GB 11714: 60003734: 6x3 + 3x5 + 7x8 + 3x4 + 4x2 = 109; 11 - 109 mod 11 = 1. */
  assert_int_equal(credit_org_check_character("60003734"), '1');
  /* 07837757: 0 + 49 + 72 + 30 + 35 + 56 + 20 + 14 = 276, 276 mod 11 = 1: 10, written X. */
  assert_int_equal(credit_org_check_character("07837757"), 'X');
  /* MA2PENA3: 66 + 70 + 18 + 250 + 70 + 184 + 40 + 6 = 704 = 64 x 11: 11, written 0. */
  assert_int_equal(credit_org_check_character("MA2PENA3"), '0');
  /* MA1K3BTP: M22 A10 K20 B11 T29 P25: 66+70+9+200+15+88+116+50 = 614, 11 - 9 = 2. */
  assert_int_equal(credit_org_check_character("MA1K3BTP"), '2');
}

static void test_wrong_check_character(void **state) {
  (void)state;
  check_fails("91110000600037341N", CREDIT_E_CHECK, 18, 'L');
  check_fails("92340604MA2PENA301", CREDIT_E_CHECK, 18, '0');
}

static void test_wrong_organisation_check(void **state) {
  (void)state;
  /* One digit of the subject identifier mistyped: the GB 11714 check at
  ** position 17 no longer holds (60003735 -> 11 - 111 mod 11 = 10: X). */
  check_fails("91110000600037351L", CREDIT_E_ORG_CHECK, 17, 'X');
  check_fails("9115220107837757YE", CREDIT_E_ORG_CHECK, 17, 'X');
}

static void test_length(void **state) {
  (void)state;
  check_fails("91110000600037341", CREDIT_E_LENGTH, 18, 0);
  check_fails("91110000600037341LL", CREDIT_E_LENGTH, 19, 0);
  check_fails("", CREDIT_E_LENGTH, 1, 0);
  struct credit_result r;
  credit_code_check("9111", 4, &r);
  assert_non_null(strstr(r.message, "4 characters"));
}

static void test_characters_outside_the_set(void **state) {
  (void)state;
  /* I O Z S V are not in the set, nor lower case, nor punctuation. */
  check_fails("9111000060003734IL", CREDIT_E_CHARACTER, 17, 0);
  check_fails("91110000O00037341L", CREDIT_E_CHARACTER, 9, 0);
  check_fails("Z1110000600037341L", CREDIT_E_CHARACTER, 1, 0);
  check_fails("9111000060003734SL", CREDIT_E_CHARACTER, 17, 0);
  check_fails("91110000600037341V", CREDIT_E_CHARACTER, 18, 0);
  check_fails("91310115ma1k3btp2b", CREDIT_E_CHARACTER, 9, 0);
  check_fails("91110000-00037341L", CREDIT_E_CHARACTER, 9, 0);
}

static void test_division_code_digits(void **state) {
  (void)state;
  check_fails("9111A000600037341L", CREDIT_E_DIVISION, 5, 0);
  check_fails("91X10000600037341L", CREDIT_E_DIVISION, 3, 0);
  /* Positions 1 and 2 are only checked against the set: Y1 (其他) passes
  ** the format and fails only on its check character. */
  check_fails("Y1110000600037341L", CREDIT_E_CHECK, 18, credit_check_character("Y1110000600037341"));
}

static void test_result_may_be_null(void **state) {
  (void)state;
  assert_int_equal(credit_code_check("91110000600037341L", 18, NULL), 0);
  assert_int_equal(credit_code_check("91110000600037341N", 18, NULL), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_published_codes_pass),
    cmocka_unit_test(test_check_characters),
    cmocka_unit_test(test_wrong_check_character),
    cmocka_unit_test(test_wrong_organisation_check),
    cmocka_unit_test(test_length),
    cmocka_unit_test(test_characters_outside_the_set),
    cmocka_unit_test(test_division_code_digits),
    cmocka_unit_test(test_result_may_be_null),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
