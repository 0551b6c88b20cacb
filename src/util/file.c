/*
** Whole-file reads (file.h).
*/
#include "util/file.h"
#include "util/buf.h"
#include "util/encoding.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *file_read_max(const char *path, size_t max, size_t *len) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) return NULL;
  struct buf b = {0};
  char chunk[65536];
  size_t n;
  int failed = 0;
  while (!failed && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (n > max - b.len) failed = EFBIG;
    else buf_append(&b, chunk, n);
  }
  if (!failed && ferror(f)) failed = EIO;
  if (f != stdin) fclose(f);
  if (failed) {
    buf_free(&b);
    errno = failed;
    return NULL;
  }
  buf_append(&b, "", 0);
  *len = b.len;
  return b.data;
}

char *file_read(const char *path, size_t *len) { return file_read_max(path, SIZE_MAX, len); }

char *file_read_text(const char *path, const char *encoding, size_t max, size_t *len,
                     char *err, size_t errlen) {
  size_t raw_len;
  char *raw = file_read_max(path, max, &raw_len);
  if (!raw && errno == EFBIG) {
    snprintf(err, errlen, "larger than %zu MiB, the most this import reads", max >> 20);
    return NULL;
  }
  if (!raw) {
    snprintf(err, errlen, "cannot read: %s", strerror(errno));
    return NULL;
  }
  const char *used;
  char *text = text_decode(raw, raw_len, encoding, len, &used, err, errlen);
  free(raw);
  return text;
}
