/*
** Content codings of replies: whether a client accepts gzip, and gzip
** itself (zlib) for the replies built at run time. The embedded files are
** gzipped at build time (scripts/embed.py).
*/
#ifndef QS_HTTP_ENCODING_H
#define QS_HTTP_ENCODING_H
#include "http/server.h"
#include <stddef.h>

/* Replies built at run time of at least this many bytes are gzipped for a
** client that accepts it; smaller ones gain less than a packet. */
#define HTTP_GZIP_MIN 1024

/* Whether REQ's Accept-Encoding allows gzip (RFC 9110 12.5.3: gzip,
** x-gzip or * with a q-value above 0, gzip's own q-value first). */
int http_accepts_gzip(struct http_request *req);

/* Whether a reply of CONTENT_TYPE is text that compresses (JSON, any text/ type,
** JavaScript, SVG): those vary with Accept-Encoding. */
int http_compressible(const char *content_type);

/* DATA (LEN bytes) gzipped at zlib's fastest level, in a malloc'd buffer
** of *OUTLEN bytes; NULL when out of memory. */
unsigned char *http_gzip(const void *data, size_t len, size_t *outlen);

#endif
