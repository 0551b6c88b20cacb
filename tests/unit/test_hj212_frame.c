/*
** Unit tests of HJ 212 framing and sub-packet reassembly (src/hj212/):
** the public packets delivered in every possible split, merged, with
** garbage between them; every framing error refused with its reason and
** followed by a clean resynchronisation; split packets reassembled by
** (MN, CN, DataTime). Runs from the source root to read tests/data/hj212/.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hj212/hj212.h"
#include "util/buf.h"

static struct buf stream;         /* every public packet, framed with CR LF */
static size_t nframes;
static size_t seg_lens[32];

static int setup(void **state) {
  (void)state;
  FILE *f = fopen("tests/data/hj212/public_packets.txt", "rb");
  if (!f) fail_msg("cannot open the packets");
  char line[2048];
  while (fgets(line, sizeof line, f)) {
    size_t n = strcspn(line, "\r\n");
    if (n == 0) continue;
    buf_append(&stream, line, n);
    buf_puts(&stream, "\r\n");
    seg_lens[nframes++] = n - 10;
  }
  fclose(f);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  buf_free(&stream);
  return 0;
}

/* What feeding a stream produced. */
struct result {
  size_t frames, errors[HJ212_REASON_COUNT];
  size_t lens[64];
  uint16_t crcs[64];
};

/* Feed DATA (LEN bytes) to F in chunks of CHUNK bytes, collecting results. */
static void feed(struct hj212_framer *f, const char *data, size_t len, size_t chunk,
                 struct result *res) {
  for (size_t off = 0; off < len; off += chunk) {
    const char *p = data + off;
    size_t n = len - off < chunk ? len - off : chunk;
    struct hj212_frame fr;
    enum hj212_reason why;
    enum hj212_frame_result r;
    while ((r = hj212_framer_next(f, &p, &n, &fr, &why)) != HJ212_FRAME_NEED_MORE) {
      if (r == HJ212_FRAME_OK) {
        assert_int_equal(hj212_crc16(fr.segment, fr.len), fr.crc);
        if (res->frames < 64) {
          res->lens[res->frames] = fr.len;
          res->crcs[res->frames] = fr.crc;
        }
        res->frames++;
      } else {
        res->errors[why]++;
      }
    }
    assert_int_equal(n, 0);
  }
}

static size_t total_errors(const struct result *r) {
  size_t n = 0;
  for (int i = 0; i < HJ212_REASON_COUNT; i++) n += r->errors[i];
  return n;
}

static void test_one_read(void **state) {
  (void)state;
  struct hj212_framer f;
  hj212_framer_init(&f);
  struct result res = {0};
  feed(&f, stream.data, stream.len, stream.len, &res);
  assert_int_equal(res.frames, 18);
  assert_int_equal(total_errors(&res), 0);
  for (size_t i = 0; i < nframes; i++) assert_int_equal(res.lens[i], seg_lens[i]);
  assert_int_equal(f.len, 0);
}

/* Every chunk size from 1 byte to the whole stream gives the same frames. */
static void test_every_split(void **state) {
  (void)state;
  for (size_t chunk = 1; chunk <= stream.len; chunk += chunk < 64 ? 1 : 37) {
    struct hj212_framer f;
    hj212_framer_init(&f);
    struct result res = {0};
    feed(&f, stream.data, stream.len, chunk, &res);
    if (res.frames != 18 || total_errors(&res)) fail_msg("chunk %zu: %zu frames", chunk, res.frames);
    for (size_t i = 0; i < nframes; i++) assert_int_equal(res.lens[i], seg_lens[i]);
  }
}

/* Garbage of many shapes between packets: each run counted once, every
** packet still found, at any chunk size. */
static void test_garbage_between(void **state) {
  (void)state;
  static const char *const JUNK[] = {"xyz", "#", "#x#", "\r\n", "##", "###", "##12", "##abcd",
                                     "\0\xff\x80", "#\r\n#"};
  struct buf b = {0};
  const char *p = stream.data;
  for (size_t i = 0; i < nframes; i++) {
    const char *j = JUNK[i % (sizeof JUNK / sizeof JUNK[0])];
    buf_append(&b, j, i % 10 == 8 ? 3 : strlen(j));
    size_t n = seg_lens[i] + 12;
    buf_append(&b, p, n);
    p += n;
  }
  for (size_t chunk = 1; chunk <= b.len; chunk = chunk * 2 + 1) {
    struct hj212_framer f;
    hj212_framer_init(&f);
    struct result res = {0};
    feed(&f, b.data, b.len, chunk, &res);
    if (res.frames != 18) fail_msg("chunk %zu: %zu frames", chunk, res.frames);
    assert_int_equal(res.errors[HJ212_E_CRC_MISMATCH], 0);
    assert_true(res.errors[HJ212_E_GARBAGE] >= 8);
  }
  buf_free(&b);

}

/* Feed one string at once and return the single result expected. */
static void expect_errors(const char *data, size_t len, enum hj212_reason want, size_t frames) {
  struct hj212_framer f;
  hj212_framer_init(&f);
  struct result res = {0};
  feed(&f, data, len, len, &res);
  if (!res.errors[want]) fail_msg("no %s in '%.*s'", hj212_reason_name(want), (int)len, data);
  assert_int_equal(res.frames, frames);
  /* byte by byte gives the same */
  struct result one = {0};
  hj212_framer_init(&f);
  feed(&f, data, len, 1, &one);
  assert_int_equal(one.frames, frames);
  assert_true(one.errors[want] > 0);
}

static void test_framing_errors(void **state) {
  (void)state;
  const char *good = "##0081QN=20181111151745000;ST=21;CN=2011;PW=123456;MN=YSRDWQGQ1000001001;"
                     "Flag=5;CP=&&&&7580\r\n";
  char tmp[512];
  size_t gl = strlen(good);
  /* bad length characters, then the good frame */
  int n = snprintf(tmp, sizeof tmp, "##00x1abc%s", good);
  expect_errors(tmp, (size_t)n, HJ212_E_BAD_LENGTH, 1);
  /* longer than 1024 */
  n = snprintf(tmp, sizeof tmp, "##1025%s", good);
  expect_errors(tmp, (size_t)n, HJ212_E_TOO_LONG, 1);
  /* CRC mismatch (one character changed), upper and lower case */
  memcpy(tmp, good, gl);
  tmp[30] = '9';
  memcpy(tmp + gl, good, gl);
  expect_errors(tmp, 2 * gl, HJ212_E_CRC_MISMATCH, 1);
  /* CRC not hex */
  memcpy(tmp, good, gl);
  tmp[gl - 3] = 'G';
  memcpy(tmp + gl, good, gl);
  expect_errors(tmp, 2 * gl, HJ212_E_BAD_CRC_HEX, 1);
  /* trailer missing: the length is one too short */
  memcpy(tmp, good, gl);
  tmp[5] = '0';
  memcpy(tmp + gl, good, gl);
  expect_errors(tmp, 2 * gl, HJ212_E_BAD_TRAILER, 1);
  /* "\n" only */
  memcpy(tmp, good, gl);
  tmp[gl - 2] = '\n';
  tmp[gl - 1] = 'x';
  memcpy(tmp + gl, good, gl);
  expect_errors(tmp, 2 * gl, HJ212_E_BAD_TRAILER, 1);
  /* lower-case CRC is fine */
  const char *lower = "##0075QN=20260706103512345;ST=91;CN=9014;PW=123456;MN=A110000_0001;Flag=8;"
                      "CP=&&&&0140\r\n";
  expect_errors("zz", 2, HJ212_E_GARBAGE, 0);
  struct hj212_framer f;
  hj212_framer_init(&f);
  struct result res = {0};
  feed(&f, lower, strlen(lower), 7, &res);
  assert_int_equal(res.frames, 1);
}

/* A damaged length that claims more than the packet holds must not lose
** the good packets it swallows: they are found again once the claimed
** length has arrived. */
static void test_swallowed_frames_recovered(void **state) {
  (void)state;
  struct buf b = {0};
  buf_puts(&b, "##0900QN=garbled");
  buf_append(&b, stream.data, stream.len);   /* 18 packets, > 900 bytes */
  for (size_t chunk = 1; chunk <= b.len; chunk = chunk * 3 + 1) {
    struct hj212_framer f;
    hj212_framer_init(&f);
    struct result res = {0};
    feed(&f, b.data, b.len, chunk, &res);
    if (res.frames != 18) fail_msg("chunk %zu: %zu frames", chunk, res.frames);
    assert_int_equal(res.errors[HJ212_E_BAD_TRAILER] + res.errors[HJ212_E_BAD_CRC_HEX] +
                         res.errors[HJ212_E_CRC_MISMATCH] + res.errors[HJ212_E_LENGTH_OVERRUN],
                     1);
  }
  buf_free(&b);
}

/* A length that claims more than the frame holds ("##0900", 70 bytes, CR
** LF) is refused as soon as the next frame shows, without waiting for the
** 900 bytes that will never come: the good packet after it is delivered
** although the stream ends before the stated end, at every chunk size. */
static void test_lying_length_refused_early(void **state) {
  (void)state;
  const char *good = "##0081QN=20181111151745000;ST=21;CN=2011;PW=123456;MN=YSRDWQGQ1000001001;"
                     "Flag=5;CP=&&&&7580\r\n";
  char liar[80];
  memset(liar, 'x', sizeof liar);
  memcpy(liar, "##0900", 6);
  memcpy(liar + 76, "\r\n", 2);   /* 70 bytes between the header and CR LF */
  for (int glued = 0; glued < 2; glued++) {   /* with CR LF, then without */
    struct buf b = {0};
    buf_append(&b, liar, glued ? 76 : 78);
    buf_puts(&b, good);
    buf_puts(&b, good);
    for (size_t chunk = 1; chunk <= b.len; chunk++) {
      struct hj212_framer f;
      hj212_framer_init(&f);
      struct result res = {0};
      feed(&f, b.data, b.len, chunk, &res);
      if (res.frames != 2) fail_msg("glued %d chunk %zu: %zu frames", glued, chunk, res.frames);
      assert_int_equal(res.errors[HJ212_E_LENGTH_OVERRUN], 1);
      assert_int_equal(total_errors(&res), 1);
      assert_int_equal(f.len, 0);
    }
    buf_free(&b);
  }
}

/* A "##" inside a frame that does not start a frame (no CR LF before it,
** no matching CRC) is the frame's own bytes: nothing is refused. */
static void test_inner_hashes_kept(void **state) {
  (void)state;
  const char *seg = "QN=20181111151745000;ST=21;CN=2011;PW=##0010;MN=YSRDWQGQ1000001001;"
                    "Flag=5;CP=&&##0001x&&";
  char frame[256];
  size_t n = hj212_frame_build(frame, sizeof frame, seg, strlen(seg));
  assert_true(n > 0);
  for (size_t chunk = 1; chunk <= n; chunk++) {
    struct hj212_framer f;
    hj212_framer_init(&f);
    struct result res = {0};
    feed(&f, frame, n, chunk, &res);
    if (res.frames != 1 || total_errors(&res)) fail_msg("chunk %zu: %zu frames", chunk, res.frames);
    assert_int_equal(res.lens[0], strlen(seg));
  }
}

/* Memory stays bounded: a peer sending 1 MB without "##" leaves nothing
** buffered, and one sending a huge length is refused at once. */
static void test_bounded(void **state) {
  (void)state;
  char *junk = malloc(1 << 20);
  memset(junk, 'a', 1 << 20);
  struct hj212_framer f;
  hj212_framer_init(&f);
  struct result res = {0};
  feed(&f, junk, 1 << 20, 4096, &res);
  assert_int_equal(f.len, 0);
  assert_int_equal(res.errors[HJ212_E_GARBAGE], 1);
  assert_int_equal(f.skipped, 1 << 20);
  memset(junk, '#', 1 << 20);
  hj212_framer_init(&f);
  memset(&res, 0, sizeof res);
  feed(&f, junk, 1 << 20, 4096, &res);
  assert_true(f.len <= HJ212_FRAME_MAX);
  assert_int_equal(res.frames, 0);
  free(junk);
}

/* ---- reassembly ---- */

static void piece(char *seg, size_t cap, const char *qn, int flag, int pnum, int pno,
                  const char *datatime, const char *items) {
  snprintf(seg, cap, "QN=%s;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=%d;"
           "PNUM=%d;PNO=%d;CP=&&DataTime=%s;%s&&", qn, flag, pnum, pno, datatime, items);
}

static void parse_ok(const char *seg, struct hj212_packet *p) {
  enum hj212_reason r = hj212_parse(seg, strlen(seg), NULL, p);
  if (r) fail_msg("%s: %s", seg, hj212_reason_name(r));
}

static void test_reassembly(void **state) {
  (void)state;
  static struct hj212_packet p;
  char a[512], b[512];
  struct hj212_reassembler *r = hj212_reasm_new(4, 60);
  int g = -1;
  /* the standard's table C.50: two pieces with their own QN */
  piece(a, sizeof a, "20160801085857534", 7, 2, 1, "20160801080000",
        "w00000-Cou=63.0,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N");
  piece(b, sizeof b, "20160801085857535", 7, 2, 2, "20160801080000",
        "w01018-Cou=63.0,w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N");
  parse_ok(b, &p);   /* pieces may arrive out of order */
  assert_int_equal(hj212_reasm_add(r, &p, 100, &g), HJ212_REASM_PENDING);
  assert_int_equal(hj212_reasm_add(r, &p, 101, &g), HJ212_REASM_DUPLICATE);
  assert_int_equal(hj212_reasm_open(r), 1);
  parse_ok(a, &p);
  assert_int_equal(hj212_reasm_add(r, &p, 102, &g), HJ212_REASM_COMPLETE);
  size_t len;
  const char *s1 = hj212_reasm_piece(r, g, 1, &len);
  assert_int_equal(len, strlen(a));
  assert_memory_equal(s1, a, len);
  const char *s2 = hj212_reasm_piece(r, g, 2, &len);
  assert_memory_equal(s2, b, len);
  assert_null(hj212_reasm_piece(r, g, 3, &len));
  hj212_reasm_release(r, g);
  assert_int_equal(hj212_reasm_open(r), 0);

  /* another DataTime is another group; PNUM must not change in a group */
  piece(a, sizeof a, "20160801095857534", 7, 3, 1, "20160801090000", "w00000-Cou=1");
  parse_ok(a, &p);
  assert_int_equal(hj212_reasm_add(r, &p, 200, &g), HJ212_REASM_PENDING);
  piece(b, sizeof b, "20160801095857535", 7, 2, 2, "20160801090000", "w00000-Avg=1");
  parse_ok(b, &p);
  assert_int_equal(hj212_reasm_add(r, &p, 200, &g), HJ212_REASM_ERROR);
  /* an unsplit packet or one without DataTime cannot be added */
  const char *whole = "QN=20160801085857223;ST=32;CN=2011;PW=1;MN=1;Flag=5;CP=&&DataTime=20160801080000&&";
  parse_ok(whole, &p);
  assert_int_equal(hj212_reasm_add(r, &p, 200, &g), HJ212_REASM_ERROR);
  /* expiry and eviction keep memory bounded */
  assert_int_equal(hj212_reasm_expire(r, 230), 0);
  assert_int_equal(hj212_reasm_expire(r, 261), 1);
  for (int i = 0; i < 6; i++) {
    char dt[16];
    snprintf(dt, sizeof dt, "201608010%d0000", i);
    piece(a, sizeof a, "20160801085857534", 7, 2, 1, dt, "w00000-Cou=1");
    parse_ok(a, &p);
    assert_int_equal(hj212_reasm_add(r, &p, 300 + i, &g), HJ212_REASM_PENDING);
  }
  assert_int_equal(hj212_reasm_open(r), 4);
  hj212_reasm_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_one_read),
      cmocka_unit_test(test_every_split),
      cmocka_unit_test(test_garbage_between),
      cmocka_unit_test(test_framing_errors),
      cmocka_unit_test(test_swallowed_frames_recovered),
      cmocka_unit_test(test_lying_length_refused_early),
      cmocka_unit_test(test_inner_hashes_kept),
      cmocka_unit_test(test_bounded),
      cmocka_unit_test(test_reassembly),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
