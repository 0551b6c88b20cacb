/*
** Benchmark of the HJ 212 parser on one core: the 18 public packets
** (tests/data/hj212/public_packets.txt), framed and repeated into a 1 MB
** stream, delivered in 4 KB reads to the framer, each frame parsed with the
** code table. Prints packets/s and MB/s for framing+CRC+parsing, and for
** the CRC alone. Run from the source root (it reads data/ and tests/data/).
** Target: >= 2 M packets/s.
**
** Rates are per CPU-second of the benchmark's thread
** (CLOCK_THREAD_CPUTIME_ID): that is "on one core", and it holds on a
** machine shared with other work, where wall-clock rates drop with the
** load. The wall-clock rate is printed beside it.
*/
#include "hj212/hj212.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A span of time measured on both clocks. */
struct span {
  double cpu0, wall0, cpu, wall;
};

static void span_start(struct span *s) {
  s->cpu0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
  s->wall0 = clock_s(CLOCK_MONOTONIC);
}

/* Update the elapsed times; returns the CPU time so far. */
static double span_now(struct span *s) {
  s->cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - s->cpu0;
  s->wall = clock_s(CLOCK_MONOTONIC) - s->wall0;
  return s->cpu;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  struct buf b = {0};
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
  fclose(f);
  *len = b.len;
  return b.data;
}

/* The packets file as a framed stream repeated up to about 1 MB. */
static void build_stream(const char *path, struct buf *out, size_t *npackets) {
  size_t len;
  char *text = slurp(path, &len);
  struct buf once = {0};
  size_t n = 0;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    buf_puts(&once, line);
    buf_puts(&once, "\r\n");
    n++;
  }
  free(text);
  *npackets = 0;
  while (out->len < (1 << 20)) {
    buf_append(out, once.data, once.len);
    *npackets += n;
  }
  buf_free(&once);
}

static struct hj212_packet pkt;

/* One pass over the stream; returns the packets accepted. */
static size_t pass(const struct buf *s, const struct hj212_codes *codes) {
  struct hj212_framer f;
  hj212_framer_init(&f);
  size_t ok = 0;
  for (size_t off = 0; off < s->len; off += 4096) {
    const char *p = s->data + off;
    size_t n = s->len - off < 4096 ? s->len - off : 4096;
    struct hj212_frame fr;
    enum hj212_reason why;
    enum hj212_frame_result r;
    while ((r = hj212_framer_next(&f, &p, &n, &fr, &why)) != HJ212_FRAME_NEED_MORE)
      if (r == HJ212_FRAME_OK && hj212_parse(fr.segment, fr.len, codes, &pkt) == HJ212_OK) ok++;
  }
  return ok;
}

int main(void) {
  /* bench/run.sh passes the build folder as argv[1]: not needed here */
  const char *packets = "tests/data/hj212/public_packets.txt";
  const char *table = "data/hj212/factor_codes.csv";
  size_t len, npackets;
  char err[160];
  char *csv = slurp(table, &len);
  struct hj212_codes *codes = hj212_codes_load(csv, len, err, sizeof err);
  free(csv);
  if (!codes) { fprintf(stderr, "%s: %s\n", table, err); return 1; }
  struct buf s = {0};
  build_stream(packets, &s, &npackets);

  size_t total = 0, bytes = 0;
  struct span t;
  span_start(&t);
  do {
    size_t ok = pass(&s, codes);
    if (ok != npackets) { fprintf(stderr, "only %zu of %zu packets parsed\n", ok, npackets); return 1; }
    total += ok;
    bytes += s.len;
  } while (span_now(&t) < 2.0);
  printf("hj212 parse (frame+CRC+parse, 1 core): %.0f packets/s, %.1f MB/s per CPU-second "
         "(wall: %.0f packets/s, %.1f MB/s), %.0f bytes/packet\n",
         (double)total / t.cpu, (double)bytes / t.cpu / 1e6, (double)total / t.wall,
         (double)bytes / t.wall / 1e6, (double)s.len / (double)npackets);

  volatile unsigned sink = 0;
  bytes = 0;
  span_start(&t);
  do {
    sink ^= hj212_crc16(s.data, s.len);
    bytes += s.len;
  } while (span_now(&t) < 1.0);
  printf("hj212 CRC alone: %.1f MB/s per CPU-second (wall: %.1f MB/s)\n",
         (double)bytes / t.cpu / 1e6, (double)bytes / t.wall / 1e6);
  (void)sink;
  buf_free(&s);
  hj212_codes_free(codes);
  return 0;
}
