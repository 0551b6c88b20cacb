/*
** Content codings of replies (encoding.h).
*/
#include "http/encoding.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* The q-value of the element [P, END) of an Accept-Encoding list: 1 when
** it has none. */
static double qvalue(const char *p, const char *end) {
  const char *semi = memchr(p, ';', (size_t)(end - p));
  while (semi) {
    const char *q = semi + 1 + strspn(semi + 1, " \t");
    if ((*q == 'q' || *q == 'Q') && q[1] == '=') return strtod(q + 2, NULL);
    semi = memchr(semi + 1, ';', (size_t)(end - semi - 1));
  }
  return 1;
}

/* Whether the element [P, END) names CODING. */
static int names(const char *p, const char *end, const char *coding) {
  size_t n = strcspn(p, "; \t,");
  if (p + n > end) n = (size_t)(end - p);
  return n == strlen(coding) && !strncasecmp(p, coding, n);
}

int http_accepts_gzip(struct http_request *req) {
  const char *list = http_header(req, "Accept-Encoding");
  double gzip = -1, any = -1;
  for (const char *p = list; p && *p;) {
    p += strspn(p, " \t,");
    const char *end = p + strcspn(p, ",");
    if (names(p, end, "gzip") || names(p, end, "x-gzip")) gzip = qvalue(p, end);
    else if (names(p, end, "*")) any = qvalue(p, end);
    p = end;
  }
  return gzip >= 0 ? gzip > 0 : any > 0;
}

int http_compressible(const char *type) {
  return type && (!strncmp(type, "text/", 5) || !strncmp(type, "application/json", 16) ||
                  !strncmp(type, "image/svg+xml", 13));
}

unsigned char *http_gzip(const void *data, size_t len, size_t *outlen) {
  z_stream z = {0};
  /* 15 + 16: a window of 32 KiB with gzip's header and trailer */
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return NULL;
  size_t cap = deflateBound(&z, (uLong)len);
  unsigned char *out = malloc(cap);
  z.next_in = (Bytef *)data;
  z.avail_in = (uInt)len;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  int done = out && deflate(&z, Z_FINISH) == Z_STREAM_END;
  *outlen = z.total_out;
  deflateEnd(&z);
  if (!done) {
    free(out);
    return NULL;
  }
  return out;
}
