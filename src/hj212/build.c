/*
** Builders of frames the platform sends (hj212.h): replies to stations'
** packets (9011-9014) and commands to stations. The data segment is written
** straight after the 6 header bytes of OUT, then the length and CRC are
** filled in, so a frame is built without a second buffer or a copy.
*/
#include "hj212/hj212.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* A bounded writer: BAD is set, and nothing written, once CAP would be passed. */
struct out {
  char *p;
  size_t cap, len;
  int bad;
};

static void put(struct out *o, const char *s, size_t n) {
  if (o->bad || o->cap - o->len < n) { o->bad = 1; return; }
  memcpy(o->p + o->len, s, n);
  o->len += n;
}

static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

/* V in decimal, without snprintf: a reply is built for every packet, and
** snprintf was half the receiver's cost of one (1,350 instructions). */
static void put_int(struct out *o, long v) {
  char tmp[24], *p = tmp + sizeof tmp;
  unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
  do *--p = (char)('0' + u % 10); while (u /= 10);
  if (v < 0) *--p = '-';
  put(o, p, (size_t)(tmp + sizeof tmp - p));
}

static void put_field(struct out *o, const char *key, const char *s, size_t n) {
  puts_(o, key);
  put(o, s, n);
  put(o, ";", 1);
}

size_t hj212_frame_build(char *out, size_t cap, const char *seg, size_t len) {
  static const char HEX[] = "0123456789ABCDEF";
  if (len > HJ212_SEGMENT_MAX || cap < len + 12) return 0;
  memmove(out + 6, seg, len);
  out[0] = out[1] = '#';
  for (int i = 5, n = (int)len; i >= 2; i--, n /= 10) out[i] = (char)('0' + n % 10);
  unsigned crc = hj212_crc16(out + 6, len);
  char *t = out + 6 + len;
  for (int i = 3; i >= 0; i--, crc >>= 4) t[i] = HEX[crc & 15];
  t[4] = '\r';
  t[5] = '\n';
  if (cap > len + 12) out[len + 12] = 0;
  return len + 12;
}

/* The segment written at OUT+6 by O becomes a frame. */
static size_t finish(char *out, size_t cap, struct out *o) {
  if (o->bad) return 0;
  return hj212_frame_build(out, cap, out + 6, o->len);
}

static struct out segment_writer(char *out, size_t cap) {
  struct out o = {out + 6, cap > 12 ? cap - 12 : 0, 0, cap <= 12};
  if (o.cap > HJ212_SEGMENT_MAX) o.cap = HJ212_SEGMENT_MAX;
  return o;
}

size_t hj212_build_reply(char *out, size_t cap, const struct hj212_packet *req, int cn, int rtn) {
  if (cn < 9011 || cn > 9014) return 0;
  struct out o = segment_writer(out, cap);
  if (req->has_qn) put_field(&o, "QN=", req->qn.p, req->qn.len);
  puts_(&o, "ST=91;CN=");
  put_int(&o, cn);
  put(&o, ";", 1);
  put_field(&o, "PW=", req->pw.p, req->pw.len);
  put_field(&o, "MN=", req->mn.p, req->mn.len);
  if (req->flag >= 0) {   /* the request's version, no A bit: replies are not answered */
    puts_(&o, "Flag=");
    put_int(&o, req->flag & ~3);
    put(&o, ";", 1);
  }
  puts_(&o, "CP=&&");
  if (cn == 9011 || cn == 9012) {
    puts_(&o, cn == 9011 ? "QnRtn=" : "ExeRtn=");
    put_int(&o, rtn);
  }
  puts_(&o, "&&");
  return finish(out, cap, &o);
}

/* V as WIDTH decimal digits (the lowest ones) at DST. */
static void digits_at(char *dst, unsigned v, int width) {
  for (int i = width - 1; i >= 0; i--, v /= 10) dst[i] = (char)('0' + v % 10);
}

void hj212_format_qn(char out[HJ212_QN_LEN + 1], int64_t ms, int tz_seconds) {
  int64_t local_ms = ms + (int64_t)tz_seconds * 1000;
  struct hj212_time t;
  hj212_time_of_seconds(local_ms / 1000, &t);
  digits_at(out, (unsigned)t.year, 4);
  digits_at(out + 4, t.month, 2);
  digits_at(out + 6, t.day, 2);
  digits_at(out + 8, t.hour, 2);
  digits_at(out + 10, t.minute, 2);
  digits_at(out + 12, t.second, 2);
  digits_at(out + 14, (unsigned)(local_ms % 1000), 3);
  out[HJ212_QN_LEN] = 0;
}

/* Fields of a target that the parser would accept. */
static int valid_target(const struct hj212_target *t) {
  struct hj212_time tm;
  size_t st = t->st ? strlen(t->st) : 0, pw = t->pw ? strlen(t->pw) : 0;
  size_t mn = t->mn ? strlen(t->mn) : 0;
  if (!t->qn || strlen(t->qn) != HJ212_QN_LEN || hj212_parse_time(t->qn, HJ212_QN_LEN, 1, &tm))
    return 0;
  if (st != 2 || pw == 0 || pw > HJ212_PW_MAX || mn == 0 || mn > HJ212_MN_MAX) return 0;
  for (const char *s = t->pw; *s; s++)
    if (*s <= ' ' || *s >= 0x7F) return 0;
  return !strpbrk(t->pw, "&=,;") && !strpbrk(t->mn, ";&=, ");
}

size_t hj212_build_command(char *out, size_t cap, const struct hj212_target *t, int cn,
                           const char *cp) {
  if (!valid_target(t) || cn < 1000 || cn > 9999 || !cp) return 0;
  struct out o = segment_writer(out, cap);
  put_field(&o, "QN=", t->qn, strlen(t->qn));
  put_field(&o, "ST=", t->st, 2);
  puts_(&o, "CN=");
  put_int(&o, cn);
  put(&o, ";", 1);
  put_field(&o, "PW=", t->pw, strlen(t->pw));
  put_field(&o, "MN=", t->mn, strlen(t->mn));
  puts_(&o, "Flag=");
  put_int(&o, (long)t->version << 2 | (t->want_reply ? HJ212_FLAG_A : 0));
  puts_(&o, ";CP=&&");
  puts_(&o, cp);
  puts_(&o, "&&");
  return finish(out, cap, &o);
}

/* A PolId (a factor code) or NULL for the data logger itself. */
static int valid_polid(const char *polid) {
  if (!polid) return 1;
  size_t n = strlen(polid);
  if (n == 0 || n > 16) return 0;
  for (size_t i = 0; i < n; i++)
    if (!((polid[i] >= '0' && polid[i] <= '9') || ((polid[i] | 0x20) >= 'a' && (polid[i] | 0x20) <= 'z')))
      return 0;
  return 1;
}

size_t hj212_build_get_time(char *out, size_t cap, const struct hj212_target *t, const char *polid) {
  char cp[32] = "";
  if (!valid_polid(polid)) return 0;
  if (polid) snprintf(cp, sizeof cp, "PolId=%s", polid);
  return hj212_build_command(out, cap, t, 1011, cp);
}

size_t hj212_build_set_time(char *out, size_t cap, const struct hj212_target *t, const char *polid,
                            const char *system_time) {
  struct hj212_time tm;
  char cp[64];
  if (!valid_polid(polid) || !system_time ||
      hj212_parse_time(system_time, strlen(system_time), 0, &tm))
    return 0;
  snprintf(cp, sizeof cp, "%s%s%sSystemTime=%s", polid ? "PolId=" : "", polid ? polid : "",
           polid ? ";" : "", system_time);
  return hj212_build_command(out, cap, t, 1012, cp);
}

size_t hj212_build_start_realtime(char *out, size_t cap, const struct hj212_target *t) {
  return hj212_build_command(out, cap, t, 2011, "");
}

size_t hj212_build_stop_realtime(char *out, size_t cap, const struct hj212_target *t) {
  return hj212_build_command(out, cap, t, 2012, "");
}

size_t hj212_build_get_rtd_interval(char *out, size_t cap, const struct hj212_target *t) {
  return hj212_build_command(out, cap, t, 1061, "");
}

size_t hj212_build_set_rtd_interval(char *out, size_t cap, const struct hj212_target *t,
                                    int seconds) {
  char cp[32];
  int min = t->version == HJ212_V2017 ? 30 : 1;
  if (seconds < min || seconds > 3600) return 0;
  snprintf(cp, sizeof cp, "RtdInterval=%d", seconds);
  return hj212_build_command(out, cap, t, 1062, cp);
}

size_t hj212_build_set_min_interval(char *out, size_t cap, const struct hj212_target *t,
                                    int minutes) {
  static const int ALLOWED[] = {1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30};
  char cp[32];
  for (size_t i = 0; i < sizeof ALLOWED / sizeof ALLOWED[0]; i++) {
    if (ALLOWED[i] == minutes) {
      snprintf(cp, sizeof cp, "MinInterval=%d", minutes);
      return hj212_build_command(out, cap, t, 1064, cp);
    }
  }
  return 0;
}

size_t hj212_build_set_timeout(char *out, size_t cap, const struct hj212_target *t, int seconds,
                               int retries) {
  char cp[48];
  if (seconds < 1 || seconds > 99 || retries < 1 || retries > 99) return 0;
  snprintf(cp, sizeof cp, "OverTime=%d;ReCount=%d", seconds, retries);
  return hj212_build_command(out, cap, t, 1000, cp);
}

size_t hj212_build_get_history(char *out, size_t cap, const struct hj212_target *t, int cn,
                               const char *begin, const char *end) {
  struct hj212_time b, e;
  char cp[64];
  if ((cn != 2031 && cn != 2041 && cn != 2051 && cn != 2061) || !begin || !end ||
      hj212_parse_time(begin, strlen(begin), 0, &b) || hj212_parse_time(end, strlen(end), 0, &e) ||
      hj212_time_seconds(&e) < hj212_time_seconds(&b))
    return 0;
  snprintf(cp, sizeof cp, "BeginTime=%s;EndTime=%s", begin, end);
  return hj212_build_command(out, cap, t, cn, cp);
}
