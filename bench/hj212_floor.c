/*
** The transport's ceiling for bench_hj212_e2e.sh: a libuv server that
** answers every HJ 212 packet with its 9014 at once (framed, CRC-checked
** and parsed like the receiver does, so the simulator accepts the reply)
** but stores nothing and waits for no commit. The simulator against it
** shows what 1,000 connections of ping-pong cost on this machine by
** themselves; the receiver can only be slower.
** Usage: hj212_floor ADDR:PORT  (prints "listening on ADDR:PORT")
*/
#include "hj212/hj212.h"
#include "util/buf.h"
#include "util/stream.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

struct conn {
  uv_tcp_t tcp;
  struct hj212_framer framer;
};

static char readbuf[65536];
static struct hj212_packet packet;

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *b) {
  (void)h;
  (void)suggested;
  *b = uv_buf_init(readbuf, sizeof readbuf);
}

static void on_closed(uv_handle_t *h) { free(h->data); }

static void read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *b) {
  struct conn *c = s->data;
  if (n < 0) { uv_close((uv_handle_t *)s, on_closed); return; }
  const char *p = b->base;
  size_t len = (size_t)n;
  char replies[4096];
  size_t used = 0;
  struct hj212_frame fr;
  enum hj212_reason why;
  enum hj212_frame_result r;
  while ((r = hj212_framer_next(&c->framer, &p, &len, &fr, &why)) != HJ212_FRAME_NEED_MORE) {
    if (r != HJ212_FRAME_OK || hj212_parse(fr.segment, fr.len, NULL, &packet) != HJ212_OK) continue;
    if (used + 256 > sizeof replies) {
      stream_send(s, replies, used);
      used = 0;
    }
    used += hj212_build_reply(replies + used, sizeof replies - used, &packet, 9014, 0);
  }
  if (used) stream_send(s, replies, used);
}

static void on_connection(uv_stream_t *server, int status) {
  if (status < 0) return;
  struct conn *c = xcalloc(1, sizeof *c);
  uv_tcp_init(server->loop, &c->tcp);
  c->tcp.data = c;
  if (uv_accept(server, (uv_stream_t *)&c->tcp)) { uv_close((uv_handle_t *)&c->tcp, on_closed); return; }
  uv_tcp_nodelay(&c->tcp, 1);
  uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb);
}

int main(int argc, char **argv) {
  const char *colon = argc == 2 ? strrchr(argv[1], ':') : NULL;
  if (!colon) { fprintf(stderr, "usage: hj212_floor ADDR:PORT\n"); return 2; }
  char host[64];
  snprintf(host, sizeof host, "%.*s", (int)(colon - argv[1]), argv[1]);
  struct sockaddr_in sa;
  uv_tcp_t server;
  if (uv_ip4_addr(host, atoi(colon + 1), &sa)) { fprintf(stderr, "bad address %s\n", argv[1]); return 2; }
  uv_tcp_init(uv_default_loop(), &server);
  if (uv_tcp_bind(&server, (struct sockaddr *)&sa, 0) ||
      uv_listen((uv_stream_t *)&server, 1024, on_connection)) {
    fprintf(stderr, "cannot listen on %s\n", argv[1]);
    return 1;
  }
  struct sockaddr_storage bound;
  int blen = sizeof bound;
  uv_tcp_getsockname(&server, (struct sockaddr *)&bound, &blen);
  printf("listening on %s:%d\n", host, ntohs(((struct sockaddr_in *)&bound)->sin_port));
  fflush(stdout);
  return uv_run(uv_default_loop(), UV_RUN_DEFAULT);
}
