/*
** Unit-test support (support.h), on the program's own file reader.
*/
#include "support.h"
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
