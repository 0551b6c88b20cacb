/*
** Writing to a libuv stream (stream.h).
**
** Why not uv_write alone: a request costs a copy of the bytes (the caller's
** buffer is reused at once) and, once it completes, libuv re-arms the
** descriptor in epoll: a system call for every reply of the HJ 212
** receiver and every packet of the simulator. uv_try_write writes what the
** socket takes now, the usual case, with neither; only what it does not
** take goes through a request, and only behind requests already queued, so
** bytes never overtake each other.
*/
#include "util/stream.h"
#include "util/buf.h"
#include <stdlib.h>
#include <string.h>

static void on_written(uv_write_t *w, int status) {
  (void)status;
  free(w);
}

void stream_send(uv_stream_t *s, const char *data, size_t len) {
  if (uv_stream_get_write_queue_size(s) == 0) {
    uv_buf_t now = uv_buf_init((char *)data, (unsigned)len);
    int n = uv_try_write(s, &now, 1);
    if (n == (int)len) return;
    if (n > 0) {
      data += n;
      len -= (size_t)n;
    }
  }
  uv_write_t *w = xmalloc(sizeof *w + len);
  memcpy(w + 1, data, len);
  uv_buf_t b = uv_buf_init((char *)(w + 1), (unsigned)len);
  if (uv_write(w, s, &b, 1, on_written)) free(w);
}
