/*
** Shared by the water unit tests: the GB 3838 tables read from the source
** tree (tests run from the source root), and a file reader.
*/
#ifndef QS_TEST_WATER_COMMON_H
#define QS_TEST_WATER_COMMON_H
#include "support.h"
#include "util/buf.h"
#include "water/standard.h"
#include <stdio.h>
#include <stdlib.h>

/* The whole file at PATH appended to OUT; stops the test run if unreadable. */
static inline void read_file_or_die(const char *path, struct buf *out) {
  size_t len;
  char *text = test_read_file(path, &len);
  buf_append(out, text, len);
  free(text);
}

/* GB 3838 loaded from data/standards/ with the decimals by date, as the
** binary loads its embedded copies; aborts if it does not load. */
static inline void load_standard_or_die(struct water_standard *s) {
  struct buf t = {0}, e = {0}, d = {0};
  char err[200];
  read_file_or_die("data/standards/gb3838_table1.csv", &t);
  read_file_or_die("data/standards/gb3838_evaluation.csv", &e);
  read_file_or_die("data/standards/cnemc_decimals.csv", &d);
  if (water_standard_load(s, buf_str(&t), t.len, buf_str(&e), e.len, err, sizeof err) ||
      water_standard_load_decimals(s, buf_str(&d), d.len, err, sizeof err)) {
    fprintf(stderr, "standard: %s\n", err);
    exit(1);
  }
  buf_free(&t);
  buf_free(&e);
  buf_free(&d);
}

#endif
