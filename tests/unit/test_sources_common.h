/*
** Shared by the pollution-source unit tests: the rules and tables of
** data/sources/ read from the source tree (tests run from the source
** root), as the binary will load its embedded copies.
*/
#ifndef QS_TEST_SOURCES_COMMON_H
#define QS_TEST_SOURCES_COMMON_H
#include "support.h"
#include "sources/validity.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* cmocka before 1.1.8 has no assert_double_equal: the same check, that
** |A - B| <= EPS, with both values in the message. */
#ifndef assert_double_equal
#define assert_double_equal(a, b, eps) sources_near((a), (b), (eps), __FILE__, __LINE__)
static inline void sources_near(double a, double b, double eps, const char *file, int line) {
  if (!(fabs(a - b) <= eps)) fail_msg("%s:%d: %.17g is not %.17g (within %g)", file, line, a, b, eps);
}
#endif

/* data/sources/data_flags.csv and validity.json; stops the run if they
** do not load. */
static inline struct src_rules sources_rules_or_die(void) {
  size_t flen;
  char err[200];
  char *flags = test_read_file("data/sources/data_flags.csv", &flen);
  char *json = test_read_file("data/sources/validity.json", NULL);
  struct src_rules r;
  if (src_rules_load(&r, flags, flen, json, err, sizeof err)) {
    fprintf(stderr, "rules: %s\n", err);
    exit(1);
  }
  free(flags);
  free(json);
  return r;
}

/* The time of hour HOUR of day DAY (days since 1970-01-01), read as UTC
** as the core reads the stations' DataTime. */
#define SRC_T(day, hour) ((int64_t)(day) * SRC_DAY + (int64_t)(hour) * SRC_HOUR)

#endif
