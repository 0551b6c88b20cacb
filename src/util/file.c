/*
** Whole-file reads (file.h).
*/
#include "util/file.h"
#include "util/buf.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

char *file_read(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) return NULL;
  struct buf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
  int failed = ferror(f);
  if (f != stdin) fclose(f);
  if (failed) {
    buf_free(&b);
    errno = EIO;
    return NULL;
  }
  buf_append(&b, "", 0);
  *len = b.len;
  return b.data;
}
