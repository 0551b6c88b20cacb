/*
** Growable buffers and allocation helpers that abort on exhaustion, but
** for buffers in request threads (buf.h).
*/
#include "util/buf.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) { fputs("qingshui: out of memory\n", stderr); abort(); }
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) { fputs("qingshui: out of memory\n", stderr); abort(); }
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) { fputs("qingshui: out of memory\n", stderr); abort(); }
  return q;
}

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

/* Room for EXTRA more bytes and the NUL: 0, or -1 if memory ran out
** (the buffer is then unchanged). */
static int buf_try_reserve(struct buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return 0;
  if (extra > ((size_t)-1) / 4 - b->len) return -1;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  char *data = realloc(b->data, cap);
  if (!data) return -1;
  b->data = data;
  b->cap = cap;
  return 0;
}

/* Per thread: does running out of memory abort (the default), or mark the
** thread failed (request threads, buf_soft_oom)? */
static _Thread_local int soft_oom, oom_seen;

void buf_soft_oom(void) { soft_oom = 1; }

int buf_take_oom(void) {
  int seen = oom_seen;
  oom_seen = 0;
  return seen;
}

/* Room for EXTRA more bytes: 0, or -1 (the append is skipped) in a soft thread. */
static int buf_reserve(struct buf *b, size_t extra) {
  if (!buf_try_reserve(b, extra)) return 0;
  if (!soft_oom) { fputs("qingshui: out of memory\n", stderr); abort(); }
  oom_seen = 1;
  return -1;
}

int buf_try_append(struct buf *b, const void *data, size_t len) {
  if (buf_try_reserve(b, len)) return -1;
  memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = 0;
  return 0;
}

void buf_append(struct buf *b, const void *data, size_t len) {
  if (buf_reserve(b, len)) return;
  memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_printf(struct buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n <= 0 || buf_reserve(b, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void buf_reset(struct buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = 0;
}

void buf_free(struct buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

const char *buf_str(const struct buf *b) { return b->data ? b->data : ""; }

int errorf(char *err, size_t errlen, const char *prefix, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = snprintf(err, errlen, "%s: ", prefix);
  if (n >= 0 && (size_t)n < errlen) vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}
