/*
** Unit-test support (support.h), on the program's own file reader.
*/
#include "support.h"
#include "hj212/hj212.h"
#include "util/file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

char *test_read_file(const char *path, size_t *len) {
  size_t n;
  char *text = file_read(path, &n);
  if (!text) {
    fprintf(stderr, "cannot read %s: %s (tests run from the source root)\n", path, strerror(errno));
    exit(1);
  }
  if (len) *len = n;
  return text;
}

struct hj212_codes *test_hj212_codes(void) {
  size_t len;
  char err[160];
  char *csv = test_read_file("data/hj212/factor_codes.csv", &len);
  struct hj212_codes *codes = hj212_codes_load(csv, len, err, sizeof err);
  free(csv);
  if (!codes) {
    fprintf(stderr, "data/hj212/factor_codes.csv: %s\n", err);
    exit(1);
  }
  return codes;
}
