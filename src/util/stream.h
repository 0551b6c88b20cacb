/*
** Writing to a libuv stream without waiting (stream.c): what the socket
** takes now is written at once, the rest is queued with a copy.
*/
#ifndef QS_UTIL_STREAM_H
#define QS_UTIL_STREAM_H
#include <stddef.h>
#include <uv.h>

/* Send LEN bytes of DATA on S; DATA may be reused as soon as this returns.
** A failed write shows up as the stream's read error. */
void stream_send(uv_stream_t *s, const char *data, size_t len);

#endif
