/*
** What the river tests share: comparing doubles. cmocka's
** assert_float_equal converts to float (7 digits: 0.008 m at 110 km) and
** casts only its first token, so metres and seconds are compared here.
*/
#ifndef QS_TEST_RIVERS_COMMON_H
#define QS_TEST_RIVERS_COMMON_H
#include <math.h>

/* Fail, with both values, unless A is within TOLERANCE of B. */
#define assert_near(a, b, tolerance) assert_near_at((a), (b), (tolerance), #a, __FILE__, __LINE__)

static inline void assert_near_at(double a, double b, double tolerance, const char *what,
                                  const char *file, int line) {
  if (!(fabs(a - b) <= tolerance))
    fail_msg("%s:%d: %s = %.6f, expected %.6f (within %g)", file, line, what, a, b, tolerance);
}

#endif
