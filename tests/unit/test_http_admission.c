/*
** Unit tests of the HTTP admission limits (http/admission.h): the body
** budget held and given back, the heavy slots, and the per-address rate as
** a token bucket over injected times.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "http/admission.h"

static void budget_is_held_and_given_back(void **state) {
  (void)state;
  struct admission *a = admission_new(1000, 1, 10);
  size_t one = 0, two = 0;
  assert_int_equal(admission_hold(a, &one, 600), 0);
  assert_int_equal(one, 600);
  assert_int_equal(admission_hold(a, &two, 500), -1);   /* 1100 > 1000 */
  assert_int_equal(two, 0);
  assert_int_equal(admission_hold(a, &two, 400), 0);
  assert_int_equal(admission_hold(a, &one, 601), -1);   /* growing counts too */
  admission_release(a, &one);
  assert_int_equal(one, 0);
  assert_int_equal(admission_hold(a, &two, 1000), 0);   /* all of it, once alone */
  admission_release(a, &two);
  admission_free(a);
}

static void heavy_slots_are_shared(void **state) {
  (void)state;
  struct admission *a = admission_new(1000, 2, 100);
  assert_int_equal(admission_heavy_enter(a, "192.0.2.1", 0), 0);
  assert_int_equal(admission_heavy_enter(a, "192.0.2.2", 0), 0);
  assert_int_equal(admission_heavy_enter(a, "192.0.2.3", 0), 503);
  admission_heavy_leave(a);
  assert_int_equal(admission_heavy_enter(a, "192.0.2.3", 0), 0);
  admission_free(a);
}

static void rate_per_address_refills_over_time(void **state) {
  (void)state;
  struct admission *a = admission_new(1000, 100, 2);   /* 2 a minute */
  assert_int_equal(admission_heavy_enter(a, "192.0.2.1", 100), 0);
  assert_int_equal(admission_heavy_enter(a, "192.0.2.1", 100), 0);
  assert_int_equal(admission_heavy_enter(a, "192.0.2.1", 100), 429);
  assert_int_equal(admission_heavy_enter(a, "192.0.2.2", 100), 0);    /* another address */
  assert_int_equal(admission_heavy_enter(a, "192.0.2.1", 129), 429);  /* 0.97 of a token */
  assert_int_equal(admission_heavy_enter(a, "192.0.2.1", 131), 0);    /* 1.03 */
  assert_int_equal(admission_heavy_enter(a, "192.0.2.1", 131), 429);
  assert_int_equal(admission_heavy_enter(a, "192.0.2.1", 10000), 0);  /* refilled to 2, no more */
  assert_int_equal(admission_heavy_enter(a, "192.0.2.1", 10000), 0);
  assert_int_equal(admission_heavy_enter(a, "192.0.2.1", 10000), 429);
  admission_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(budget_is_held_and_given_back),
    cmocka_unit_test(heavy_slots_are_shared),
    cmocka_unit_test(rate_per_address_refills_over_time),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
