/*
** Incremental framing of HJ 212 packets from a TCP byte stream:
** "##" LLLL <segment> CCCC "\r\n".
**
** Design: when the framer holds nothing, frames that lie whole in the
** caller's bytes are checked in place (no copy). Only a frame cut by the
** end of a read is copied into the framer's buffer, and only as many bytes
** as that frame needs, so the buffer never holds more than one frame.
** After a bad frame the bytes after its first '#' are searched again for
** the next "##": a length field damaged in transit must not swallow the
** good frames that follow it. A buffered frame is refused before its
** stated end has arrived once a frame visibly starts inside it
** (length_lies), so that a station is not kept waiting for an
** acknowledgement until its idle timeout.
*/
#include "hj212/hj212.h"
#include <string.h>

#define HEAD 6  /* "##" + 4 length digits */

void hj212_framer_init(struct hj212_framer *f) {
  f->len = 0;
  f->done = 0;
  f->probe = 0;
  f->in_garbage = 0;
  f->skipped = 0;
}

static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c |= 0x20;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Offset of the first "##" in P[0..N), or N; a lone '#' at the end counts
** as a possible start, so it is kept for the next read. */
static size_t find_start(const char *p, size_t n) {
  size_t i = 0;
  if (n >= 2 && p[0] == '#' && p[1] == '#') return 0;   /* the usual case: no call */
  while (i < n) {
    const char *h = memchr(p + i, '#', n - i);
    if (!h) return n;
    i = (size_t)(h - p);
    if (i + 1 == n || p[i + 1] == '#') return i;
    i += 2;   /* "#x": x is not '#', so no "##" starts at i or i+1 */
  }
  return n;
}

/* Segment length of a header P[0..6) starting with "##", or -1: the 4
** digits at once (every frame has them), the first in the low byte of X,
** whatever the host's byte order (compilers make X one load). */
static int header_length(const char *p) {
  const unsigned char *u = (const unsigned char *)p + 2;
  uint32_t x = ((uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
                (uint32_t)u[3] << 24) ^ 0x30303030u;   /* digit values */
  if ((((x & 0x7F7F7F7Fu) + 0x76767676u) | x) & 0x80808080u) return -1;
  x = (x * 10 + (x >> 8)) & 0x00FF00FFu;   /* bytes 0 and 2: two digits each */
  return (int)((x & 0xFF) * 100 + (x >> 16));
}

/* Check a whole frame P of TOTAL bytes (header known good). */
static enum hj212_reason check_frame(const char *p, size_t total, struct hj212_frame *fr) {
  size_t seglen = total - HEAD - 6;
  const char *tail = p + HEAD + seglen;
  if (tail[4] != '\r' || tail[5] != '\n') return HJ212_E_BAD_TRAILER;
  unsigned crc = 0;
  for (int i = 0; i < 4; i++) {
    int v = hexval((unsigned char)tail[i]);
    if (v < 0) return HJ212_E_BAD_CRC_HEX;
    crc = crc << 4 | (unsigned)v;
  }
  if (hj212_crc16(p + HEAD, seglen) != crc) return HJ212_E_CRC_MISMATCH;
  fr->segment = p + HEAD;
  fr->len = seglen;
  fr->crc = (uint16_t)crc;
  return HJ212_OK;
}

/* Inspect the candidate at P (N bytes available, P starts with "##" or is
** a lone "#" at the end): returns the frame's total size if it can be decided, 0 if
** more bytes are needed, and sets *REASON when the header is bad. */
static size_t frame_size(const char *p, size_t n, enum hj212_reason *reason) {
  *reason = HJ212_OK;
  if (n < HEAD) return 0;
  int seg = header_length(p);
  if (seg < 0) { *reason = HJ212_E_BAD_LENGTH; return HEAD; }
  if (seg > HJ212_SEGMENT_MAX) { *reason = HJ212_E_TOO_LONG; return HEAD; }
  size_t total = (size_t)seg + HEAD + 6;
  return n >= total ? total : 0;
}

static enum hj212_frame_result garbage(struct hj212_framer *f, size_t n,
                                       enum hj212_reason *reason) {
  f->skipped += n;
  if (f->in_garbage) return HJ212_FRAME_NEED_MORE;
  f->in_garbage = 1;
  *reason = HJ212_E_GARBAGE;
  return HJ212_FRAME_ERROR;
}

/* Append up to WANT bytes of the input to the buffer; 1 if all came. */
static int fill(struct hj212_framer *f, const char **data, size_t *len, size_t want) {
  size_t take = want < *len ? want : *len;
  memcpy(f->buf + f->len, *data, take);
  f->len += take;
  *data += take;
  *len -= take;
  return take == want;
}

/* Drop the first K bytes of the buffer. */
static void drop_front(struct hj212_framer *f, size_t k) {
  memmove(f->buf, f->buf + k, f->len - k);
  f->len -= k;
  f->probe = 0;
}

/* Refuse the frame at the start of the buffer for R and resynchronise one
** byte further: in "###0101" the frame starts at the second '#'; what
** follows is the bad frame's body, not a new garbage run. */
static enum hj212_frame_result refuse_buffered(struct hj212_framer *f, enum hj212_reason r,
                                               enum hj212_reason *reason) {
  drop_front(f, 1);
  f->in_garbage = 1;
  *reason = r;
  return HJ212_FRAME_ERROR;
}

/* Does the frame at the start of the buffer, whose length says more than
** has arrived, already show that the length lies? Yes when a "##" inside
** it follows CR LF, or begins a whole frame whose CRC matches. The search
** resumes at f->probe: the first "##" whose frame has not all arrived yet,
** or the last byte searched (it may be the first '#' of a pair). */
static int length_lies(struct hj212_framer *f) {
  size_t j = f->probe < HEAD ? HEAD : f->probe, undecided = 0;
  while (j + 1 < f->len) {
    const char *h = memchr(f->buf + j, '#', f->len - 1 - j);
    if (!h) break;
    j = (size_t)(h - f->buf);
    if (f->buf[j + 1] == '#') {
      if (f->buf[j - 2] == '\r' && f->buf[j - 1] == '\n') return 1;
      enum hj212_reason r;
      struct hj212_frame inner;
      size_t total = frame_size(f->buf + j, f->len - j, &r);
      if (total == 0 && undecided == 0) undecided = j;
      if (total > 0 && r == HJ212_OK && check_frame(f->buf + j, total, &inner) == HJ212_OK)
        return 1;
    }
    j++;
  }
  f->probe = undecided ? undecided : f->len - 1;
  return 0;
}

/* Work on the framer's buffer (it holds the start of a frame cut by the
** end of a read) until a frame or an error is decided, or the buffer is
** empty again (then *EMPTY is set and the caller goes on with its bytes). */
static enum hj212_frame_result from_buffer(struct hj212_framer *f, const char **data, size_t *len,
                                           struct hj212_frame *fr, enum hj212_reason *reason,
                                           int *empty) {
  for (;;) {
    size_t s = find_start(f->buf, f->len);
    if (s > 0) {
      drop_front(f, s);
      if (garbage(f, s, reason) == HJ212_FRAME_ERROR) return HJ212_FRAME_ERROR;
    }
    if (f->len == 0) { *empty = 1; return HJ212_FRAME_NEED_MORE; }
    enum hj212_reason r;
    size_t total = frame_size(f->buf, f->len, &r);
    if (total == 0) {
      /* take exactly what the header or the frame still needs */
      size_t want = f->len < HEAD ? (f->len < 2 ? 1 : HEAD - f->len)
                                  : (size_t)header_length(f->buf) + HEAD + 6 - f->len;
      if (fill(f, data, len, want)) continue;
      if (length_lies(f)) return refuse_buffered(f, HJ212_E_LENGTH_OVERRUN, reason);
      return HJ212_FRAME_NEED_MORE;
    }
    f->in_garbage = 0;
    if (r == HJ212_OK) r = check_frame(f->buf, total, fr);
    if (r == HJ212_OK) {
      /* FR points into buf: what follows the frame moves on the next call */
      f->done = total;
      return HJ212_FRAME_OK;
    }
    return refuse_buffered(f, r, reason);
  }
}

enum hj212_frame_result hj212_framer_next(struct hj212_framer *f, const char **data,
                                          size_t *len, struct hj212_frame *fr,
                                          enum hj212_reason *reason) {
  *reason = HJ212_OK;
  if (f->done > 0) {
    drop_front(f, f->done);
    f->done = 0;
  }
  if (f->len > 0) {
    int empty = 0;
    enum hj212_frame_result res = from_buffer(f, data, len, fr, reason, &empty);
    if (!empty) return res;
  }
  while (*len > 0) {
    const char *p = *data;
    size_t start = find_start(p, *len);
    if (start > 0) {
      *data += start;
      *len -= start;
      if (garbage(f, start, reason) == HJ212_FRAME_ERROR) return HJ212_FRAME_ERROR;
      continue;
    }
    enum hj212_reason r;
    size_t total = frame_size(p, *len, &r);
    if (total == 0) {   /* cut by the end of the read: keep it */
      fill(f, data, len, *len);
      if (length_lies(f)) return refuse_buffered(f, HJ212_E_LENGTH_OVERRUN, reason);
      return HJ212_FRAME_NEED_MORE;
    }
    f->in_garbage = 0;
    if (r == HJ212_OK) r = check_frame(p, total, fr);
    if (r == HJ212_OK) {
      *data += total;
      *len -= total;
      return HJ212_FRAME_OK;
    }
    *data += 1;   /* search again from the second '#' */
    *len -= 1;
    f->in_garbage = 1;
    *reason = r;
    return HJ212_FRAME_ERROR;
  }
  return HJ212_FRAME_NEED_MORE;
}
