/*
** The stored form of a packet's values (hj212.h, hj212_record_json): the
** JSON object that migration 0008's hj212_packet.readings holds, built from
** a parsed packet without allocating.
**
** Numbers are kept as the station wrote them rather than re-printed from
** doubles: that is the reading as measured ("0.050" stays 0.050, where
** %.17g would give 0.050000000000000003), and cheaper. The parser accepts a
** few spellings JSON does not ("+1", ".5", "5.", "007"), so those are
** normalised digit by digit. A segment holds at most 1024 bytes and the
** shortest item ("B01-Rtd=1;", 10 bytes) grows to about 31, so
** HJ212_RECORD_MAX (4 KiB) always suffices.
**
** Room is checked once a pollutant (pollutant_room), not at every piece:
** the pieces are a few bytes each (a code, a field name, a number), and
** with a check and a call to memcpy each they cost 270 instructions a
** pollutant.
*/
#include "hj212/hj212.h"
#include <stdint.h>
#include <string.h>

struct out {
  char *p;
  size_t len;
};

/* N bytes (W <= N <= 2 W) from S to D as two words of W bytes, the first
** and the last, which overlap when N < 2 W. */
static inline void copy_ends(char *d, const char *s, size_t n, size_t w) {
  uint64_t first, last;
  memcpy(&first, s, w);
  memcpy(&last, s + n - w, w);
  memcpy(d, &first, w);
  memcpy(d + n - w, &last, w);
}

/* N bytes from S to D: two overlapping words for the short pieces. */
static inline void copy_short(char *d, const char *s, size_t n) {
  if (n >= 16) memcpy(d, s, n);
  else if (n >= 8) copy_ends(d, s, n, 8);
  else if (n >= 4) copy_ends(d, s, n, 4);
  else
    for (size_t i = 0; i < n; i++) d[i] = s[i];
}

static inline void put(struct out *o, const char *s, size_t n) {
  copy_short(o->p + o->len, s, n);
  o->len += n;
}
#define PUT(o, lit) put((o), lit, sizeof lit - 1)

static inline void put_str(struct out *o, struct hj212_str s) { put(o, s.p, s.len); }

/* "KEY": with KEY made of characters that need no escaping (codes and
** field names are [0-9A-Za-z_]). */
static inline void put_key(struct out *o, const char *key, size_t n, int first) {
  if (!first) PUT(o, ",");
  PUT(o, "\"");
  put(o, key, n);
  PUT(o, "\":");
}

/* A number the parser accepted ([+-]digits[.digits], [+-].digits,
** digits.) as JSON: no '+', no leading zeros, a digit on each side of '.'. */
static inline void put_number(struct out *o, struct hj212_str v) {
  const char *s = v.p, *end = v.p + v.len;
  if (s < end && (*s == '+' || *s == '-')) {
    if (*s == '-') PUT(o, "-");
    s++;
  }
  const char *dot = memchr(s, '.', (size_t)(end - s));
  const char *int_end = dot ? dot : end;
  while (s + 1 < int_end && *s == '0') s++;   /* "007" -> "7", "0" stays */
  if (s == int_end) PUT(o, "0");              /* ".5" */
  else put(o, s, (size_t)(int_end - s));
  if (dot && dot + 1 < end) put(o, dot, (size_t)(end - dot));   /* "5." drops its '.' */
}

void hj212_format_time(const struct hj212_time *t, char out[20]) {
  static const char pattern[] = "0000-00-00 00:00:00";
  memcpy(out, pattern, sizeof pattern);
  const unsigned v[6] = {(unsigned)t->year, t->month, t->day, t->hour, t->minute, t->second};
  static const unsigned char at[6] = {0, 5, 8, 11, 14, 17}, width[6] = {4, 2, 2, 2, 2, 2};
  for (int f = 0; f < 6; f++) {
    unsigned x = v[f];
    for (int i = width[f] - 1; i >= 0; i--, x /= 10) out[at[f] + i] = (char)('0' + x % 10);
  }
}

/* The most that put_key and put_pollutant write for X: its texts, and 40
** bytes for each key (its own, a value's, Flag, EFlag, SampleTime, sent,
** unknown) with the quotes, separators and fixed-size values around it. */
static size_t pollutant_room(const struct hj212_pollutant *x) {
  size_t n = x->code.len + x->code2017.len + x->eflag.len + (1 + HJ212_NVALUES + 5) * 40;
  for (int k = 0; k < HJ212_NVALUES; k++)
    if (x->present & (1u << k)) n += x->raw[k].len;
  return n;
}

/* One pollutant's object: its values, flags and provenance. */
static void put_pollutant(struct out *o, const struct hj212_pollutant *x) {
  PUT(o, "{");
  int first = 1;
  for (int k = 0; k < HJ212_NVALUES; k++) {
    if (!(x->present & (1u << k))) continue;
    const char *name = hj212_value_name((enum hj212_value)k);
    put_key(o, name, strlen(name), first);
    put_number(o, x->raw[k]);
    first = 0;
  }
  if (x->present & HJ212_HAS_FLAG) {
    put_key(o, "Flag", 4, first);
    PUT(o, "\"");
    put(o, &x->flag, 1);
    PUT(o, "\"");
    first = 0;
  }
  if (x->present & HJ212_HAS_EFLAG) {
    put_key(o, "EFlag", 5, first);
    PUT(o, "\"");
    put_str(o, x->eflag);   /* letters and digits (the parser checks) */
    PUT(o, "\"");
    first = 0;
  }
  if (x->present & HJ212_HAS_SAMPLETIME) {
    char when[20];
    hj212_format_time(&x->sample_time, when);
    put_key(o, "SampleTime", 10, first);
    PUT(o, "\"");
    put(o, when, 19);
    PUT(o, "\"");
    first = 0;
  }
  if (x->status == HJ212_CODE_MAPPED) {
    put_key(o, "sent", 4, first);
    PUT(o, "\"");
    put_str(o, x->code);
    PUT(o, "\"");
    first = 0;
  }
  if (x->status == HJ212_CODE_UNKNOWN) {
    put_key(o, "unknown", 7, first);
    PUT(o, "1");
  }
  PUT(o, "}");
}

size_t hj212_record_json(const struct hj212_packet *p, char *out, size_t cap) {
  struct out o = {out, 0};
  if (cap < 3) return 0;
  PUT(&o, "{");
  for (size_t i = 0; i < p->npollutants; i++) {
    const struct hj212_pollutant *x = &p->pollutants[i];
    if (o.len + pollutant_room(x) + 2 > cap) return 0;   /* and "}" and NUL */
    put_key(&o, x->code2017.p, x->code2017.len, i == 0);
    put_pollutant(&o, x);
  }
  PUT(&o, "}");
  out[o.len] = 0;
  return o.len;
}
