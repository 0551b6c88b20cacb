/*
** The data-segment parser (hj212.h): "QN=...;ST=..;CN=....;PW=...;MN=...;
** Flag=.;[PNUM=.;PNO=.;]CP=&&...&&" into a struct hj212_packet.
**
** Written for throughput (millions of packets per second on one core): no
** allocation, no sscanf/strtod on the usual path; the result is views into
** the segment plus numbers. Strict where the standard is clear (the CRC is
** weak, so values are checked too), lenient where real devices differ from
** it without ambiguity: 24-character passwords, MNs with '_', no QN or Flag
** in 2005 packets, a trailing ';' in CP, DataTime with milliseconds, spaces
** around CP items, codes in no table.
**
** The header's usual start (QN, ST, CN) is read at its fixed places; the
** rest a field at a time: its name from its first bytes ("PW=",
** "Flag="), its end by looking for ';' 8 bytes at a time (SWAR); a PW's
** or an MN's bytes are tested in the same pass (the first byte that may
** not be in the field must be the ';'). The data area (CP) goes in two
** stages, in the manner of simdjson. First it is classified 16 bytes at a
** time (SSE2; a portable loop elsewhere) into bitmaps: the marks '=' ';'
** ',' that end keys and values, and '-'; control and high bytes are noted
** in the same pass. Then the walk takes the marks in order (count trailing
** zeros, clear the lowest bit): a plain item is its '=' and the next
** mark, its key's '-' are found with one window of a bitmap, so no
** branch depends on a length (a loop per byte mispredicts at every
** field's end) and no step waits for a byte-by-byte search. The walk
** tries the marks first at every item (the usual one starts right after
** the last one's separator) and takes the usual pollutant field,
** CODE-Field with one '-', itself; other keys go to item(), out of line.
** The usual key's bytes need no test: its field is a name of the table,
** its code one met before in the packet or one of the code table; only
** other keys are checked, 8 bytes at a time.
**
** Whatever is unusual (spaces around items, //opaque// values, '=' in a
** value, a malformed field, a key of more than 48 bytes) is handed, field
** by field, to the scalar code that looks at one byte at a time (out of
** line, so that the walk keeps its registers), and the walk restarts
** after it. Some of it is noticed only late: a value with
** spaces or "//" when it fails to parse or is kept as text, odd bytes in
** a key when no table vouches for it; nothing the scalar code would do
** otherwise is stored before. The scalar code alone parses segments longer
** than 1024 bytes (not from the framer), and it is the reference the unit
** tests and the fuzzer compare the fast path with (they compile this file
** a second time, with HJ212_NO_SIMD for the portable classifier, and call
** parse() with FAST off).
**
** Values are converted 8 bytes at a time too: dates (QN, DataTime,
** SampleTime) and numbers of up to 8 characters (from the word that ends
** at them); longer numbers go digit by digit. A packet's pollutants are
** found by a small hash of their code (the last one first), not by
** comparing each new code with all before; a new one is looked up in the
** code table by the key it was hashed with (codes_index.h), out of line.
*/
#include "hj212/codes_index.h"
#include "util/utf8.h"
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && !defined(HJ212_NO_SIMD)
#include <emmintrin.h>
#define SCAN_SSE2 1
#endif

/* Not a reason the caller sees: the item is not what the fast path took it
** for, and the scalar path reads it again. */
#define NOT_PLAIN HJ212_REASON_COUNT

/* Header fields, as bits for duplicate detection. */
enum { F_QN = 1, F_ST = 2, F_CN = 4, F_PW = 8, F_MN = 16, F_FLAG = 32, F_PNUM = 64, F_PNO = 128 };

#if defined(__GNUC__)
#define COLD __attribute__((noinline, cold))
#define INLINE inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))
#else
#define COLD
#define INLINE inline
#define NOINLINE
#endif

#define FAIL(reason, ptr, n) \
  do { p->error_at.p = (ptr); p->error_at.len = (uint32_t)(n); return (reason); } while (0)

static int is_digit(unsigned char c) { return (unsigned)(c - '0') <= 9; }
static int is_alnum(unsigned char c) {
  return is_digit(c) || (unsigned)((c | 0x20) - 'a') <= 25;
}

/* S (N bytes) equals the literal L (compared without a library call: the
** parser does this for every item). */
static int is(const char *s, size_t n, const char *l, size_t ln) {
  if (n != ln) return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] != l[i]) return 0;
  return 1;
}
#define IS(s, n, lit) is((s), (n), lit, sizeof lit - 1)

/* ---- words ---- */

#define ONES8 0x0101010101010101ull
#define HIGH8 0x8080808080808080ull

/* W in little-endian order: its bytes reversed on a big-endian host
** (compilers fold the order test away). */
static uint64_t host_le(uint64_t w) {
  static const union { uint16_t u; unsigned char c[2]; } order = {1};
  if (!order.c[0]) {
    w = (w & 0x00000000FFFFFFFFull) << 32 | w >> 32;
    w = (w & 0x0000FFFF0000FFFFull) << 16 | (w >> 16 & 0x0000FFFF0000FFFFull);
    w = (w & 0x00FF00FF00FF00FFull) << 8 | (w >> 8 & 0x00FF00FF00FF00FFull);
  }
  return w;
}

/* The 8 bytes at P as a little-endian word, whatever the host's order:
** one load (compilers do not always merge a loop of byte loads). */
static uint64_t le64(const void *p) {
  uint64_t w;
  memcpy(&w, p, 8);
  return host_le(w);
}

static void put_le64(unsigned char *p, uint64_t w) {
  w = host_le(w);
  memcpy(p, &w, 8);
}

/* A mask of the low N bytes of a word, N <= 8 (a load: the parser takes
** one for nearly every load of text). */
static uint64_t low_bytes(size_t n) {
  static const uint64_t LOW[9] = {0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFull,
                                  0xFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFull, ~0ull};
  return LOW[n];
}

/* Byte tests on 8 bytes at once: the high bit of each byte of the result
** says yes. Sums and differences are taken on the low 7 bits, where none
** crosses into the next byte. */
static uint64_t zero_bytes(uint64_t x) { return ~(((x & ~HIGH8) + ~HIGH8) | x | ~HIGH8); }
static uint64_t in_range(uint64_t a, unsigned lo, unsigned hi) {   /* A < 0x80 per byte */
  return (a + (0x80 - lo) * ONES8) & ((0x80 + hi) * ONES8 - a);
}

/* The high bit of every byte of X (digit values, byte = char ^ '0') that
** is not a digit. Masking with 0x7F first keeps the sums inside a byte. */
static uint64_t non_digits(uint64_t x) {
  return (((x & ~HIGH8) + 0x76 * ONES8) | x) & HIGH8;
}

static unsigned ctz64(uint64_t x) {   /* X != 0 */
#if defined(__GNUC__)
  return (unsigned)__builtin_ctzll(x);
#else
  unsigned n = 0;
  for (; !(x & 1); x >>= 1) n++;
  return n;
#endif
}

static unsigned top64(uint64_t x) {   /* index of the highest bit, X != 0 */
#if defined(__GNUC__)
  return 63u - (unsigned)__builtin_clzll(x);
#else
  unsigned n = 0;
  while (x >>= 1) n++;
  return n;
#endif
}

/* ---- dates ---- */

static int days_in_month(int y, int m) {
  static const unsigned char d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 ? 28 + leap : d[m - 1];
}

/* Digit values (0..9 per byte) to two-digit numbers: byte 2j becomes
** 10 * byte 2j + byte 2j+1, at most 99, so no byte carries into the next. */
static uint64_t digit_pairs(uint64_t x) { return (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFull; }

/* Three 8-byte loads cover the 14 or 17 digits (at 0, 6 and 9: they
** overlap, and none reads past S + LEN); every digit is checked at once.
** Inlined where every packet has one (QN, DataTime). */
static INLINE int parse_time(const char *s, size_t len, int allow_ms, struct hj212_time *t) {
  if (len != 14 && !(allow_ms && len == 17)) return -1;
  uint64_t zero = '0' * ONES8;
  uint64_t a = le64(s) ^ zero, b = le64(s + 6) ^ zero, c = len == 17 ? le64(s + 9) ^ zero : 0;
  if (non_digits(a) | non_digits(b) | non_digits(c)) return -1;
  uint64_t pa = digit_pairs(a), pb = digit_pairs(b);   /* YYYYMMDD, DDhhmmss */
  int y = (int)(pa & 0xFF) * 100 + (int)(pa >> 16 & 0xFF), mo = (int)(pa >> 32 & 0xFF);
  int d = (int)(pb & 0xFF);
  /* DD hh mm ss over 31 23 59 59 at once: a pair is at most 99, so adding
     127 - max sets its byte's high bit only if it is over */
  uint64_t over = (pb + (96 | 104ull << 16 | 68ull << 32 | 68ull << 48)) & 0x0080008000800080ull;
  if ((unsigned)(y - 1970) > 129 || (unsigned)(mo - 1) > 11 || d == 0 || over) return -1;
  if (d > 28 && d > days_in_month(y, mo)) return -1;
  t->year = (int16_t)y;
  t->month = (uint8_t)mo;
  t->day = (uint8_t)d;
  t->hour = (uint8_t)(pb >> 16);
  t->minute = (uint8_t)(pb >> 32);
  t->second = (uint8_t)(pb >> 48);
  t->ms = (uint16_t)(len == 17 ? (c >> 40 & 0xFF) * 100 + (c >> 48 & 0xFF) * 10 + (c >> 56) : 0);
  return 0;
}

int hj212_parse_time(const char *s, size_t len, int allow_ms, struct hj212_time *t) {
  return parse_time(s, len, allow_ms, t);
}

int64_t hj212_time_seconds(const struct hj212_time *t) {
  /* days from civil (Howard Hinnant's algorithm), valid for years >= 1970 */
  int y = t->year - (t->month <= 2);
  int era = y / 400;
  int yoe = y - era * 400;
  int mp = (t->month + 9) % 12;
  int doy = (153 * mp + 2) / 5 + t->day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = (int64_t)era * 146097 + doe - 719468;
  return days * 86400 + t->hour * 3600 + t->minute * 60 + t->second;
}

void hj212_time_of_seconds(int64_t secs, struct hj212_time *t) {
  /* civil from days (Howard Hinnant's algorithm), the inverse of the above:
     no gmtime_r, which takes the time zone lock */
  int64_t days = secs / 86400, rest = secs % 86400;
  int64_t z = days + 719468;
  int64_t era = z / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int month = (int)(mp < 10 ? mp + 3 : mp - 9);
  t->year = (int16_t)(yoe + era * 400 + (month <= 2));
  t->month = (uint8_t)month;
  t->day = (uint8_t)(doy - (153 * mp + 2) / 5 + 1);
  t->hour = (uint8_t)(rest / 3600);
  t->minute = (uint8_t)(rest / 60 % 60);
  t->second = (uint8_t)(rest % 60);
  t->ms = 0;
}

/* ---- the first stage: bitmaps ---- */

/* Character classes of CP text for the scalar path (and the portable
** classifier): one table load per byte instead of a chain of comparisons. */
enum { K_NAME = 1, K_DASH = 2, K_STOP = 4, K_SPACE = 8, K_EQ = 16 };
static const unsigned char CLASS[256] = {
    ['0'] = K_NAME, ['1'] = K_NAME, ['2'] = K_NAME, ['3'] = K_NAME, ['4'] = K_NAME,
    ['5'] = K_NAME, ['6'] = K_NAME, ['7'] = K_NAME, ['8'] = K_NAME, ['9'] = K_NAME,
    ['A'] = K_NAME, ['B'] = K_NAME, ['C'] = K_NAME, ['D'] = K_NAME, ['E'] = K_NAME,
    ['F'] = K_NAME, ['G'] = K_NAME, ['H'] = K_NAME, ['I'] = K_NAME, ['J'] = K_NAME,
    ['K'] = K_NAME, ['L'] = K_NAME, ['M'] = K_NAME, ['N'] = K_NAME, ['O'] = K_NAME,
    ['P'] = K_NAME, ['Q'] = K_NAME, ['R'] = K_NAME, ['S'] = K_NAME, ['T'] = K_NAME,
    ['U'] = K_NAME, ['V'] = K_NAME, ['W'] = K_NAME, ['X'] = K_NAME, ['Y'] = K_NAME,
    ['Z'] = K_NAME, ['a'] = K_NAME, ['b'] = K_NAME, ['c'] = K_NAME, ['d'] = K_NAME,
    ['e'] = K_NAME, ['f'] = K_NAME, ['g'] = K_NAME, ['h'] = K_NAME, ['i'] = K_NAME,
    ['j'] = K_NAME, ['k'] = K_NAME, ['l'] = K_NAME, ['m'] = K_NAME, ['n'] = K_NAME,
    ['o'] = K_NAME, ['p'] = K_NAME, ['q'] = K_NAME, ['r'] = K_NAME, ['s'] = K_NAME,
    ['t'] = K_NAME, ['u'] = K_NAME, ['v'] = K_NAME, ['w'] = K_NAME, ['x'] = K_NAME,
    ['y'] = K_NAME, ['z'] = K_NAME, ['_'] = K_NAME, ['-'] = K_DASH, [';'] = K_STOP,
    [','] = K_STOP, [' '] = K_SPACE, ['='] = K_EQ,
};
#define CLS(ch) CLASS[(unsigned char)(ch)]

/* Bit I of a bitmap stands for byte base + I of the segment: the bitmaps
** start at CP (the header is parsed without them, a field at a time).
** Two words past the last block are all ones, so a window read anywhere
** inside the segment is defined and a walk over the marks stops past the
** end. */
#define SCAN_WORDS (HJ212_SEGMENT_MAX / 64 + 2)
#define CODE_SLOTS 256   /* > 2 * HJ212_MAX_POLLUTANTS */

/* The parser's state besides the packet. */
struct scan {
  int ready;                     /* the bitmaps hold the CP (else: scalar path alone) */
  size_t base;                   /* the offset of bit 0 of the bitmaps */
  uint64_t mark[SCAN_WORDS];     /* '=' ';' ',': where keys and values end */
  /* '-': a bitmap as little-endian bytes, so that the 57 bits from any
  ** offset are one load and one shift */
  unsigned char dash[8 * SCAN_WORDS];
  /* the packet's pollutants by hash of their code (the index, where the
  ** slot's bit in USED is set): a new code is not compared with every code
  ** before it, and only the bits are cleared per packet (4 words, not 256
  ** bytes) */
  uint64_t used[CODE_SLOTS / 64];
  unsigned char codes[CODE_SLOTS];
  /* the code table, here rather than an argument: the item loop is short
  ** of registers, and the table is wanted only for a new pollutant */
  const struct hj212_codes *table;
  /* the pollutant of the last item; before the first, NONE, whose code
  ** has a length no code has (so the item loop has no test for it) */
  struct hj212_pollutant *last, none;
};

/* The classes of 64 bytes, bit J for byte J. */
struct block {
  uint64_t mark, dash;
  int odd;                       /* a control or high byte is there */
};

/* Store the bitmaps of block K. */
static void put_block(struct scan *sc, size_t k, struct block b) {
  sc->mark[k] = b.mark;
  put_le64(sc->dash + 8 * k, b.dash);
}

#ifdef SCAN_SSE2
/* Signed compares: a byte >= 0x80 is negative, so it is "odd" with the
** control characters. */
static struct block classify64(const unsigned char *b) {
  uint64_t mark = 0, dash = 0;
  __m128i odd = _mm_setzero_si128();
  for (unsigned j = 0; j < 4; j++) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * j));
    __m128i minus = _mm_cmpeq_epi8(x, _mm_set1_epi8('-'));
    __m128i m = _mm_or_si128(
        _mm_cmpeq_epi8(x, _mm_set1_epi8('=')),
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(';')), _mm_cmpeq_epi8(x, _mm_set1_epi8(','))));
    odd = _mm_or_si128(odd, _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));
    mark |= (uint64_t)(unsigned)_mm_movemask_epi8(m) << 16 * j;
    dash |= (uint64_t)(unsigned)_mm_movemask_epi8(minus) << 16 * j;
  }
  return (struct block){mark, dash, _mm_movemask_epi8(odd)};
}
#else
/* The portable classifier, a byte at a time. */
static struct block classify64(const unsigned char *b) {
  uint64_t mark = 0, dash = 0;
  int odd = 0;
  for (unsigned j = 0; j < 64; j++) {
    unsigned c = b[j], cl = CLASS[c];
    mark |= (uint64_t)((cl & (K_STOP | K_EQ)) != 0) << j;
    dash |= (uint64_t)(cl == K_DASH) << j;
    odd |= c < 0x20 || c >= 0x80;
  }
  return (struct block){mark, dash, odd};
}
#endif

/* A walk over the marks, in a local of its own so that it can live in
** registers: three of them, as the item loop has many other values. */
struct walk {
  const uint64_t *mark;          /* the word of the next mark... */
  size_t at;                     /* ...the offset of its bit 0... */
  uint64_t left;                 /* ...and its marks not yet taken */
};

/* Start the walk at offset I (after a field the scalar way, too: so the
** fast and the scalar paths can take turns). */
static void walk_from(struct walk *w, const struct scan *sc, size_t i) {
  size_t k = (i - sc->base) >> 6;
  w->mark = sc->mark + k;
  w->at = sc->base + 64 * k;
  w->left = *w->mark & ~0ull << ((i - sc->base) & 63);
}

/* The offset of the next mark; past the last, offsets >= the length. */
static size_t next_mark(struct walk *w) {
  while (!w->left) {
    w->left = *++w->mark;
    w->at += 64;
  }
  size_t at = w->at + ctz64(w->left);
  w->left &= w->left - 1;
  return at;
}

/* Classify bytes FROM..LEN of SEG (LEN <= HJ212_SEGMENT_MAX) in blocks
** of 64. Past the end, bytes are neither marks nor '-' (as '&'). A
** last, partial block is the end of the segment's last 64 bytes shifted
** down (no copy; the bytes before FROM are a valid header, so no odd one
** is among them), or, in a segment shorter than 64, a padded copy.
** Returns nonzero if the bytes hold control or high bytes (then
** check_text decides). */
static int scan_build(struct scan *sc, const char *seg, size_t from, size_t len) {
  const unsigned char *s = (const unsigned char *)seg;
  size_t whole = (len - from) / 64, part = (len - from) % 64;
  int odd = 0;
  sc->base = from;
  for (size_t k = 0; k < whole; k++) {
    struct block b = classify64(s + from + 64 * k);
    put_block(sc, k, b);
    odd |= b.odd;
  }
  if (part) {
    struct block b;
    if (len >= 64) {
      b = classify64(s + len - 64);
      b.mark >>= 64 - part;
      b.dash >>= 64 - part;
    } else {
      unsigned char tail[64];
      memset(tail, '&', sizeof tail);
      memcpy(tail, s + from, part);
      b = classify64(tail);
    }
    put_block(sc, whole++, b);
    odd |= b.odd;
  }
  struct block end = {~0ull, ~0ull, 0};
  put_block(sc, whole, end);
  put_block(sc, whole + 1, end);
  return odd;
}

/* Bits I.. I + 56 of bitmap M (in the low bits; I inside the CP). */
static uint64_t window(const struct scan *sc, const unsigned char *m, size_t i) {
  i -= sc->base;
  return le64(m + (i >> 3)) >> (i & 7);
}

/* The N <= 8 bytes at P (before LIM, the segment's end) as a little-endian
** word, zero-extended: one load unless P is within 8 bytes of the end. */
static uint64_t load(const char *p, size_t n, const char *lim) {
  if (lim - p >= 8) return le64(p) & low_bytes(n);
  uint64_t w = 0;
  for (size_t i = n; i-- > 0;) w = w << 8 | (unsigned char)p[i];
  return w;
}

/* The N = 1..8 bytes that end at P as a little-endian word, zero-extended:
** one load of the 8 bytes before P, with no test of the segment's end. In
** CP, 8 bytes before any byte are in the segment: the header before it has
** ST, CN, PW and MN (at least 24 bytes). */
static uint64_t load_before(const char *p, size_t n) { return le64(p - 8) >> (64 - 8 * n); }

/* ---- numbers ---- */

static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* 1 to 8 digit values at the top of X (the first in the lowest byte that
** is used, leading bytes 0) as a number: pairs, then quads, then the 8,
** each step one multiply (by 10 * 256 + 1: byte J gets 10 * byte J + byte
** J+1, and likewise by 100 * 2^16 + 1, 10000 * 2^32 + 1; no sum carries
** into the part that is kept). */
static uint64_t eight_digits(uint64_t x) {
  x = (x * 2561 >> 8) & 0x00FF00FF00FF00FFull;
  x = (x * 6553601 >> 16) & 0x0000FFFF0000FFFFull;
  return x * 42949672960001ull >> 32;
}

/* The body of a number of N = 1..8 bytes that ends at E (in CP, so the
** 8 bytes before E are readable): digits with at most one '.'. Its bytes
** are the top N of the word that ends at E, where eight_digits wants
** them, so there is no shift but the dot's. Sets the mantissa (< 10^8:
** always exact) and the count of decimals; -1 if the body has any other
** form (the digit loop decides). */
static INLINE int short_number(const char *e, size_t n, uint64_t *mant, int *frac) {
  uint64_t in = ~0ull << (64 - 8 * n);
  uint64_t x = le64(e - 8) ^ '0' * ONES8;
  uint64_t odd = non_digits(x) & in;
  uint64_t dot = zero_bytes(x ^ ('.' ^ '0') * ONES8) & in;
  int f = 0;
  if (odd != dot) return -1;
  if (dot) {
    /* the digits before the dot move up into its byte */
    uint64_t below = (dot >> 7) - 1;
    if ((dot & (dot - 1)) || n == 1) return -1;
    x = (x & ~(below << 8 | 0xFF)) | (x & below) << 8;
    in <<= 8;
    f = (int)(63 - top64(dot)) / 8;
  }
  *mant = eight_digits(x & in);
  *frac = f;
  return 0;
}

/* A decimal number: [+-]digits[.digits] or [+-].digits, at most 30 bytes,
** in CP (short_number). Mantissas below 2^53 with at most 22 decimals are
** exact in a double, and one IEEE division rounds correctly, so strtod is
** needed only beyond. */
static INLINE int parse_number(const char *s, size_t n, double *out) {
  if (n == 0 || n > 30) return -1;
  size_t i = 0;
  int neg = 0;
  if (s[0] == '-' || s[0] == '+') { neg = s[0] == '-'; i = 1; }
  uint64_t mant = 0;
  int ndig = 0, frac = -1, big = 0;
  if (n - i - 1 < 8 && !short_number(s + n, n - i, &mant, &frac)) {
    /* POW10[0] is 1: the division is exact */
    double v = (double)mant / POW10[frac];
    *out = neg ? -v : v;
    return 0;
  }
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (is_digit(c)) {
      if (mant >= (1ull << 53) / 10) big = 1;
      else mant = mant * 10 + (c - '0');
      ndig++;
      if (frac >= 0) frac++;
    } else if (c == '.' && frac < 0) {
      frac = 0;
    } else {
      return -1;
    }
  }
  if (ndig == 0) return -1;
  if (frac < 0) frac = 0;
  if (big || frac > 22) {
    char tmp[32];
    memcpy(tmp, s, n);
    tmp[n] = 0;
    *out = strtod(tmp, NULL);
    return 0;
  }
  double v = (double)mant / POW10[frac];
  *out = neg ? -v : v;
  return 0;
}

/* ---- header ---- */

/* Value of N decimal digits at S, or -1 if any is not a digit. */
static long digits(const char *s, size_t n) {
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!is_digit((unsigned char)s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* Bytes of X that may not be in a password: space, control, >= 0x7F, & = , */
static uint64_t non_pw(uint64_t x) {
  uint64_t a = x & ~HIGH8;
  return (~in_range(a, 0x21, 0x7E) | zero_bytes(a ^ '&' * ONES8) | zero_bytes(a ^ '=' * ONES8) |
          zero_bytes(a ^ ',' * ONES8) | x) & HIGH8;
}

/* Bytes of X that are not [0-9A-Za-z_-]. */
static uint64_t non_name(uint64_t x) {
  uint64_t a = x & ~HIGH8;
  return (~(in_range(a, '0', '9') | in_range(a | 0x20 * ONES8, 'a', 'z') |
            zero_bytes(a ^ '_' * ONES8) | zero_bytes(a ^ '-' * ONES8)) | x) & HIGH8;
}

/* No byte of the N at S (before LIM) is flagged by TEST; 8 at a time. */
static int all_bytes(const char *s, size_t n, const char *lim, uint64_t (*test)(uint64_t)) {
  for (size_t i = 0; i < n; i += 8) {
    size_t m = n - i < 8 ? n - i : 8;
    if (test(load(s + i, m, lim)) & low_bytes(m)) return 0;
  }
  return 1;
}

/* CHECKED: the bytes were tested already (header_marks). */
static int valid_pw(const char *s, size_t n, const char *lim, int checked) {
  return n >= 1 && n <= HJ212_PW_MAX && (checked || all_bytes(s, n, lim, non_pw));
}

static int valid_mn(const char *s, size_t n, const char *lim, int checked) {
  return n >= 1 && n <= HJ212_MN_MAX && (checked || all_bytes(s, n, lim, non_name));
}

static int valid_st(const char *s, size_t n) {
  if (n != 2) return 0;
  for (size_t i = 0; i < 2; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!is_digit(c) && (c < 'A' || c > 'Z')) return 0;
  }
  return 1;
}

/* Which header field KEY (N bytes) is, as an F_ bit, or 0. */
static int header_field(const char *k, size_t n) {
  if (n == 2) {
    switch ((unsigned char)k[0] << 8 | (unsigned char)k[1]) {
    case 'Q' << 8 | 'N': return F_QN;
    case 'S' << 8 | 'T': return F_ST;
    case 'C' << 8 | 'N': return F_CN;
    case 'P' << 8 | 'W': return F_PW;
    case 'M' << 8 | 'N': return F_MN;
    }
    return 0;
  }
  if (IS(k, n, "Flag")) return F_FLAG;
  if (IS(k, n, "PNUM")) return F_PNUM;
  if (IS(k, n, "PNO")) return F_PNO;
  return 0;
}

/* Store header field F with value V (N bytes) into P; CHECKED: the bytes
** of a PW or MN were tested already. */
static enum hj212_reason set_header(struct hj212_packet *p, int f, const char *v, size_t n,
                                    int checked) {
  struct hj212_str s = {v, (uint32_t)n};
  long x;
  switch (f) {
  case F_QN:
    if (hj212_parse_time(v, n, 1, &p->qn_time) || n != HJ212_QN_LEN) return HJ212_E_BAD_QN;
    p->qn = s;
    p->has_qn = 1;
    return HJ212_OK;
  case F_ST:
    if (!valid_st(v, n)) return HJ212_E_BAD_ST;
    p->st = s;
    return HJ212_OK;
  case F_CN:
    if (n != 4 || (x = digits(v, 4)) < 0) return HJ212_E_BAD_CN;
    p->cn = (int)x;
    return HJ212_OK;
  case F_PW:
    if (!valid_pw(v, n, p->segment.p + p->segment.len, checked)) return HJ212_E_BAD_PW;
    p->pw = s;
    return HJ212_OK;
  case F_MN:
    if (!valid_mn(v, n, p->segment.p + p->segment.len, checked)) return HJ212_E_BAD_MN;
    p->mn = s;
    return HJ212_OK;
  case F_FLAG:
    if (n < 1 || n > 3 || (x = digits(v, n)) < 0 || x > 255) return HJ212_E_BAD_FLAG;
    p->flag = (int)x;
    return HJ212_OK;
  default: /* F_PNUM, F_PNO */
    if (n < 1 || n > 4 || (x = digits(v, n)) < 1) return HJ212_E_BAD_PACKET_NUMBER;
    if (f == F_PNUM) p->pnum = (int)x;
    else p->pno = (int)x;
    return HJ212_OK;
  }
}

/* Version, required fields and the split-packet fields' consistency. */
static enum hj212_reason check_header(struct hj212_packet *p, int seen) {
  static const struct { int bit; const char *name; } REQUIRED[] = {
      {F_ST, "ST"}, {F_CN, "CN"}, {F_PW, "PW"}, {F_MN, "MN"}};
  if ((seen & (F_ST | F_CN | F_PW | F_MN)) != (F_ST | F_CN | F_PW | F_MN))
    for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++)
      if (!(seen & REQUIRED[i].bit))
        FAIL(HJ212_E_MISSING_FIELD, REQUIRED[i].name, 2);
  int v = p->flag < 0 ? 0 : p->flag >> 2;
  p->version = v > HJ212_VFUTURE ? HJ212_VFUTURE : (enum hj212_version)v;
  if (p->version != HJ212_V2005 && !p->has_qn) FAIL(HJ212_E_MISSING_FIELD, "QN", 2);
  int numbered = seen & (F_PNUM | F_PNO);
  if (p->flag >= 0 && (p->flag & HJ212_FLAG_D) && !numbered) {
    /* Flag=7 without PNUM/PNO is in the field (jinuxx/hj212's sample):
       a packet that gives no piece numbers is whole, whatever D says */
    p->warnings |= HJ212_WARN_D_WITHOUT_PNUM;
    return HJ212_OK;
  }
  if (numbered) {
    if (p->flag >= 0 && !(p->flag & HJ212_FLAG_D)) FAIL(HJ212_E_BAD_PACKET_NUMBER, "PNUM", 4);
    if (!p->pnum || !p->pno || p->pno > p->pnum || p->pnum > HJ212_REASM_MAX_PIECES)
      FAIL(HJ212_E_BAD_PACKET_NUMBER, "PNO", 3);
  }
  return HJ212_OK;
}

/* The first N <= 8 bytes at P as a word, as they are written in C: so a
** field's name is compared with a constant. */
#define NAME(a, b, c, d, e) ((uint64_t)(a) | (uint64_t)(b) << 8 | (uint64_t)(c) << 16 | \
                             (uint64_t)(d) << 24 | (uint64_t)(e) << 32)

/* Bytes of X that end a field: ';'. */
static uint64_t semicolons(uint64_t x) { return zero_bytes(x ^ ';' * ONES8); }

/* Bytes of X that end a password or may not be in one. */
static uint64_t non_pw_or_end(uint64_t x) { return non_pw(x) | semicolons(x); }

/* The offset of the first byte from V that TEST flags, 8 bytes at a time
** while 8 remain before LEN; 0 if none. */
static INLINE size_t first_flagged(const char *seg, size_t len, size_t v,
                                   uint64_t (*test)(uint64_t)) {
  for (size_t j = v; j + 8 <= len; j += 8) {
    uint64_t t = test(le64(seg + j)) & HIGH8;
    if (t) return j + ctz64(t) / 8;
  }
  return 0;
}

/* The header field at offset I, at least 8 bytes before the end, from its
** first bytes ("QN=", "Flag="...): *F its bit, *V the offset of its value,
** and *SEMI of the first ';' after it, found 8 bytes at a time. A PW's or
** an MN's bytes are tested in the same pass (*CHECKED): the first byte
** that is not one of theirs must be the ';'. Returns 0 for anything else
** (then memchr finds the same, or the error). */
static int header_marks(const char *seg, size_t len, size_t i, int *f, size_t *v, size_t *semi,
                        int *checked) {
  uint64_t w = le64(seg + i);
  switch (w & 0xFFFFFF) {
  case NAME('Q', 'N', '=', 0, 0): *f = F_QN; break;
  case NAME('S', 'T', '=', 0, 0): *f = F_ST; break;
  case NAME('C', 'N', '=', 0, 0): *f = F_CN; break;
  case NAME('P', 'W', '=', 0, 0): *f = F_PW; break;
  case NAME('M', 'N', '=', 0, 0): *f = F_MN; break;
  default:
    if ((w & 0xFFFFFFFFFF) == NAME('F', 'l', 'a', 'g', '=')) *f = F_FLAG;
    else if ((w & 0xFFFFFFFFFF) == NAME('P', 'N', 'U', 'M', '=')) *f = F_PNUM;
    else if ((w & 0xFFFFFFFF) == NAME('P', 'N', 'O', '=', 0)) *f = F_PNO;
    else return 0;
  }
  *v = i + (*f >= F_FLAG ? (*f == F_PNO ? 4 : 5) : 3);
  /* a call per test, so that each is inlined */
  if (*f == F_PW) *semi = first_flagged(seg, len, *v, non_pw_or_end);
  else if (*f == F_MN) *semi = first_flagged(seg, len, *v, non_name);
  else *semi = first_flagged(seg, len, *v, semicolons);
  if (!*semi || seg[*semi] != ';') return 0;
  *checked = *f == F_PW || *f == F_MN;
  return 1;
}

/* The usual start of a header, "QN=<17 digits>;ST=<2>;CN=<4 digits>;"
** (no QN in 2005), read at its fixed places with a few loads and no
** search. Sets *SEEN and returns the offset after it; 0 if the header
** starts otherwise or a value is wrong (then the loop of parse_header
** reads it all, and reports). */
static size_t usual_header(struct hj212_packet *p, const char *seg, size_t len, int *seen) {
  size_t i = 0;
  if (len < 40) return 0;   /* the loads below stay inside */
  if ((le64(seg) & 0xFFFFFF) == NAME('Q', 'N', '=', 0, 0) && seg[20] == ';') {
    if (parse_time(seg + 3, HJ212_QN_LEN, 1, &p->qn_time)) return 0;
    i = 21;
  }
  /* "ST=..;CN" and "=....;", the values' bytes masked out */
  uint64_t a = le64(seg + i), b = le64(seg + i + 8);
  uint64_t x = (b >> 8 & 0xFFFFFFFF) ^ '0' * 0x01010101ull;   /* CN's digit values */
  uint64_t st_cn = NAME('S', 'T', '=', 0, 0) | (uint64_t)';' << 40 | (uint64_t)'C' << 48 |
                   (uint64_t)'N' << 56;
  if ((a & 0xFFFFFF0000FFFFFFull) != st_cn ||
      (b & 0xFF00000000FFull) != ('=' | (uint64_t)';' << 40) || non_digits(x) ||
      !valid_st(seg + i + 3, 2))
    return 0;
  uint64_t cn = digit_pairs(x);
  p->cn = (int)((cn & 0xFF) * 100 + (cn >> 16 & 0xFF));
  p->st = (struct hj212_str){seg + i + 3, 2};
  *seen = F_ST | F_CN;
  if (i) {
    p->qn = (struct hj212_str){seg + 3, HJ212_QN_LEN};
    p->has_qn = 1;
    *seen |= F_QN;
  }
  return i + 14;
}

/* Parse "KEY=VALUE;" fields up to "CP="; *POS ends at the 'C' of CP. FAST:
** the usual start at its fixed places, the usual fields by their first
** bytes. */
static enum hj212_reason parse_header(struct hj212_packet *p, int fast, const char *seg,
                                      size_t len, size_t *pos) {
  int seen = 0;
  size_t i = fast ? usual_header(p, seg, len, &seen) : 0;
  while (i + 3 > len || seg[i] != 'C' || seg[i + 1] != 'P' || seg[i + 2] != '=') {
    const char *k = seg + i, *eq, *semi;
    size_t v, s;
    int f, checked = 0;
    if (fast && i + 8 <= len && header_marks(seg, len, i, &f, &v, &s, &checked)) {
      eq = seg + v - 1;
      semi = seg + s;
    } else {
      semi = memchr(k, ';', len - i);
      if (!semi) FAIL(HJ212_E_BAD_SYNTAX, k, len - i);
      eq = memchr(k, '=', (size_t)(semi - k));
      if (!eq) FAIL(HJ212_E_BAD_SYNTAX, k, semi - k);
      f = header_field(k, (size_t)(eq - k));
      if (!f) FAIL(HJ212_E_UNKNOWN_FIELD, k, eq - k);
    }
    if (seen & f) FAIL(HJ212_E_DUPLICATE_FIELD, k, eq - k);
    seen |= f;
    enum hj212_reason r = set_header(p, f, eq + 1, (size_t)(semi - eq - 1), checked);
    if (r) FAIL(r, k, semi - k);
    i = (size_t)(semi - seg) + 1;
  }
  *pos = i;
  return check_header(p, seen);
}

/* ---- CP ---- */

enum field_kind { FK_VALUE, FK_FLAG, FK_EFLAG, FK_SAMPLETIME, FK_PARAM };

/* The field names after the last '-' of a CP key (std table 4), in a
** perfect hash of their first 8 bytes: one multiply and one compare
** instead of a chain of string tests. The slots are hash(name), checked
** by the unit tests. Each says what it is, and for a pollutant field its
** bit in hj212_pollutant.present. */
#define SUFFIX_HASH(key) ((size_t)(((key) * 0x4A40036E639A5ABDull) >> 59))
#define VALUE(v) FK_VALUE, (v), 1u << (v)
static const struct suffix {
  _Alignas(32) char name[16];    /* 32-byte entries: an index is a shift */
  unsigned char len, kind, value;
  uint32_t bit;
} SUFFIXES[32] = {
    [0] = {"Flag", 4, FK_FLAG, 0, HJ212_HAS_FLAG},
    [2] = {"Min", 3, VALUE(HJ212_MIN)},
    [3] = {"Check", 5, FK_PARAM, 0, 0},
    [4] = {"Rtd", 3, VALUE(HJ212_RTD)},
    [6] = {"Max", 3, VALUE(HJ212_MAX)},
    [8] = {"NightData", 9, FK_PARAM, 0, 0},
    [9] = {"SampleTime", 10, FK_SAMPLETIME, 0, HJ212_HAS_SAMPLETIME},
    [11] = {"Data", 4, FK_PARAM, 0, 0},
    [13] = {"ZsMax", 5, VALUE(HJ212_ZSMAX)},
    [14] = {"StandardValue", 13, FK_PARAM, 0, 0},
    [17] = {"RS", 2, FK_PARAM, 0, 0},
    [18] = {"SN", 2, FK_PARAM, 0, 0},
    [22] = {"ZsAvg", 5, VALUE(HJ212_ZSAVG)},
    [23] = {"Avg", 3, VALUE(HJ212_AVG)},
    [24] = {"Cou", 3, VALUE(HJ212_COU)},
    [25] = {"RT", 2, FK_PARAM, 0, 0},
    [27] = {"EFlag", 5, FK_EFLAG, 0, HJ212_HAS_EFLAG},
    [28] = {"ZsRtd", 5, VALUE(HJ212_ZSRTD)},
    [29] = {"Info", 4, FK_PARAM, 0, 0},
    [30] = {"ZsMin", 5, VALUE(HJ212_ZSMIN)},
    [31] = {"DayData", 7, FK_PARAM, 0, 0},
};

/* The field named by the part after the last '-' of a CP key (N >= 1
** bytes at S); NULL if the standard has no such field. */
static const struct suffix *classify(const char *s, size_t n) {
  uint64_t key = n <= 8 ? load_before(s + n, n) : le64(s);
  const struct suffix *e = &SUFFIXES[SUFFIX_HASH(key)];
  /* names have no zero byte: below 8 bytes, equal words are equal lengths */
  if (le64(e->name) != key) return NULL;
  if (n >= 8 && (e->len != n || (n > 8 && memcmp(e->name + 8, s + 8, n - 8)))) return NULL;
  return e;
}

static int same_code(const struct hj212_pollutant *x, uint64_t key, const char *code, size_t n) {
  if (x->code.len != n || x->key != key) return 0;
  return n <= 8 || is(x->code.p + 8, n - 8, code + 8, n - 8);
}

/* A pollutant new to P: CODE (N bytes, KEY as in pollutant()) looked up
** in the code table and added as SC->last, its index put in hash slot H.
** A code found in the table is a plain name; any other is checked here
** (NOT_PLAIN if it is not one; a code the scalar path read is). Out of
** line, with few arguments: a packet has a few, and the item loop keeps
** its registers. */
static NOINLINE enum hj212_reason new_pollutant(struct hj212_packet *p, struct scan *sc,
                                                const char *code, size_t n, uint64_t key,
                                                size_t h) {
  /* a code of the table has 1..7 bytes: then KEY is its packed form */
  enum hj212_code_status status = HJ212_CODE_KNOWN;
  const struct hj212_codes *t = sc->table;
  const struct hj212_code *info = NULL;
  size_t np = p->npollutants;
  if (t && n <= 7 && !(info = hj212_codes_lookup(t, t->keys, t->slots, key)) &&
      (info = hj212_codes_lookup(t, t->old_keys, t->old_slots, key)))
    status = HJ212_CODE_MAPPED;
  if (!info) {
    if (!all_bytes(code, n, p->segment.p + p->segment.len, non_name)) return NOT_PLAIN;
    status = HJ212_CODE_UNKNOWN;
  }
  if (np == HJ212_MAX_POLLUTANTS) return HJ212_E_TOO_MANY_ITEMS;
  sc->codes[h] = (unsigned char)np;
  sc->used[h / 64] |= 1ull << (h % 64);
  struct hj212_pollutant *x = sc->last = &p->pollutants[np];
  p->npollutants = np + 1;
  /* code2017 from the value, not from x->code: reading back a struct
     just stored in two parts stalls store forwarding */
  x->code = x->code2017 = (struct hj212_str){code, (uint32_t)n};
  x->key = key;
  x->present = 0;
  x->flag = 0;
  x->info = info;
  x->status = status;
  if (status == HJ212_CODE_MAPPED) {
    /* the table's code is 1..7 bytes, NUL-padded to 8 */
    x->code2017 = (struct hj212_str){info->code, top64(le64(info->code)) / 8 + 1};
    p->warnings |= HJ212_WARN_MAPPED_2005;
  } else if (status == HJ212_CODE_UNKNOWN) {
    p->warnings |= HJ212_WARN_UNKNOWN_CODE;
  }
  return HJ212_OK;
}

/* The pollutant CODE of P as SC->last, created if new (new_pollutant):
** the last one (a pollutant's fields are usually together), else by hash. */
static INLINE enum hj212_reason pollutant(struct hj212_packet *p, struct scan *sc, const char *code,
                                          size_t n) {
  /* with the length, equal keys mean equal codes of up to 8 bytes */
  uint64_t key = n <= 8 ? load_before(code + n, n) : le64(code);
  if (same_code(sc->last, key, code, n)) return HJ212_OK;
  size_t h = (size_t)(((key ^ n) * 0x9E3779B97F4A7C15ull) >> 56);
  for (; sc->used[h / 64] >> (h % 64) & 1; h = (h + 1) % CODE_SLOTS)
    if (same_code(&p->pollutants[sc->codes[h]], key, code, n)) {
      sc->last = &p->pollutants[sc->codes[h]];
      return HJ212_OK;
    }
  return new_pollutant(p, sc, code, n, key, h);
}

static int valid_data_flag(char c, enum hj212_version v) {
  switch (c) {
  case 'N': case 'F': case 'M': case 'S': case 'D': case 'C': case 'T': case 'B':
    return 1;
  case 'P':   /* power failure: said to be a 2005 flag, dropped by 2017 */
    return v == HJ212_V2005;
  }
  return 0;
}

static int valid_eflag(const char *s, size_t n) {
  if (n == 0 || n > 4) return 0;
  for (size_t i = 0; i < n; i++)
    if (!is_alnum((unsigned char)s[i])) return 0;
  return 1;
}

/* A CP item as found: key [K, KE), value [V, VE); DASH is the offset of
** the key's last '-' (0 if none): "a21026-i22004-Info" is code
** "a21026-i22004", field "Info". MULTI says the key has several. NEXT is
** where the following item is looked for. CHECKED: the scalar path read
** it, so the key is [0-9A-Za-z_-] and the value has no spaces around it
** (the fast path looks only when it must: a usual key's bytes are vouched
** for by the tables it is found in, a usual value's by its parse; an
** error sends the item to the scalar path if the value is not plain). */
struct cp_item {
  const char *k, *ke, *v, *ve, *next;
  size_t dash;
  int multi, checked;
};

/* The key of IT (in P) is [0-9A-Za-z_-]: checked now if it was not. */
static int plain_key(const struct hj212_packet *p, const struct cp_item *it) {
  return it->checked ||
         all_bytes(it->k, (size_t)(it->ke - it->k), p->segment.p + p->segment.len, non_name);
}

/* The value [V, VE) is as the scalar path would read it: it neither
** starts with a space or "//" nor ends with a space (the fast path does
** not look until the value has been found wrong, or is kept as text). */
static int plain_value(const char *v, const char *ve) {
  return !(v[0] == ' ' || (v[0] == '/' && v[1] == '/') || (ve > v && ve[-1] == ' '));
}

/* One numeric value: checked against the code's physical bounds, which
** apply to concentrations (not to the cumulative Cou). A bound that is
** NAN (none) fails both comparisons, so it needs no test of its own. */
static INLINE enum hj212_reason set_value(struct hj212_pollutant *x, int which, const char *v,
                                   size_t n) {
  double d;
  if (parse_number(v, n, &d)) return HJ212_E_BAD_NUMBER;
  if (x->info && which != HJ212_COU && (d < x->info->min || d > x->info->max))
    return HJ212_E_OUT_OF_RANGE;
  x->v[which] = d;
  x->raw[which] = (struct hj212_str){v, (uint32_t)n};
  return HJ212_OK;
}

/* A pollutant field of IT, whose key is CODE-FIELD. The field's bit is
** set only once its value is taken: a value the fast path read wrong (its
** spaces, "//") leaves the pollutant as the scalar path's second reading
** needs it (a new pollutant is the same whichever path makes it). */
static INLINE enum hj212_reason pollutant_field(struct hj212_packet *p, struct scan *sc,
                                                const char *code, size_t dash, const char *v,
                                                const char *ve, const struct suffix *field) {
  size_t n = (size_t)(ve - v);
  enum hj212_reason r = pollutant(p, sc, code, dash);
  if (r) return r;
  struct hj212_pollutant *x = sc->last;
  if (x->present & field->bit) return HJ212_E_DUPLICATE_FIELD;
  /* tests, the usual kinds first, rather than a jump table */
  if (field->kind == FK_VALUE) {
    if ((r = set_value(x, field->value, v, n))) return r;
  } else if (field->kind == FK_FLAG) {
    if (n != 1 || !valid_data_flag(v[0], p->version)) return HJ212_E_BAD_DATA_FLAG;
    x->flag = v[0];
  } else if (field->kind == FK_EFLAG) {
    if (!valid_eflag(v, n)) return HJ212_E_BAD_DATA_FLAG;
    x->eflag = (struct hj212_str){v, (uint32_t)n};
  } else if (hj212_parse_time(v, n, 1, &x->sample_time)) {
    return HJ212_E_BAD_DATATIME;
  }
  x->present |= field->bit;
  return HJ212_OK;
}

static enum hj212_reason add_param(struct hj212_packet *p, const char *k, size_t kn,
                                   const char *v, size_t vn) {
  if (p->nparams == HJ212_MAX_PARAMS) return HJ212_E_TOO_MANY_ITEMS;
  struct hj212_param *x = &p->params[p->nparams++];
  x->key = (struct hj212_str){k, (uint32_t)kn};
  x->value = (struct hj212_str){v, (uint32_t)vn};
  return HJ212_OK;
}

/* The field of a usual pollutant key of KN bytes at K, CODE-FIELD, whose
** last '-' is at DASH (MULTI: there are several): a code of 1..16 bytes
** without '-' and a pollutant field of the table. NULL for any other key
** (item() sees to it). */
static INLINE const struct suffix *usual_field(const char *k, size_t kn, size_t dash, int multi) {
  if (dash == 0 || multi || dash > 16 || dash + 1 == kn || kn > 48) return NULL;
  const struct suffix *field = classify(k + dash + 1, kn - dash - 1);
  return field && field->kind != FK_PARAM ? field : NULL;
}

/* One CP item: a header-like DataTime, a parameter or a pollutant field.
** NOT_PLAIN if the key holds other bytes than [0-9A-Za-z_-] (not
** checked before): the scalar path reads the item again, its way. Out of
** line: the walk over the marks takes the usual pollutant field itself. */
static NOINLINE enum hj212_reason item(struct hj212_packet *p, struct scan *sc,
                                       const struct cp_item *it) {
  const char *k = it->k, *v = it->v;
  size_t kn = (size_t)(it->ke - k), vn = (size_t)(it->ve - v), dash = it->dash;
  const struct suffix *field = usual_field(k, kn, dash, it->multi);
  if (field) return pollutant_field(p, sc, k, dash, v, it->ve, field);
  if (dash == 0) {
    if (kn == 8 && le64(k) == le64("DataTime")) {   /* one compare: the key's 8 bytes */
      if (p->has_datatime) return HJ212_E_DUPLICATE_FIELD;
      if (parse_time(v, vn, 1, &p->datatime)) return HJ212_E_BAD_DATATIME;
      if (vn == 17) p->warnings |= HJ212_WARN_DATATIME_MS;
      p->has_datatime = 1;
      return HJ212_OK;
    }
    if (!plain_key(p, it) || !(it->checked || plain_value(v, it->ve))) return NOT_PLAIN;
    return kn > 32 ? HJ212_E_BAD_KEY : add_param(p, k, kn, v, vn);
  }
  if (dash + 1 == kn || kn > 48) return plain_key(p, it) ? HJ212_E_BAD_KEY : NOT_PLAIN;
  field = classify(k + dash + 1, kn - dash - 1);
  if (!field || field->kind == FK_PARAM) {
    if (!plain_key(p, it) || !(it->checked || plain_value(v, it->ve))) return NOT_PLAIN;
    if (!field) p->warnings |= HJ212_WARN_UNKNOWN_FIELD;
    return add_param(p, k, kn, v, vn);
  }
  /* a pollutant field, but a code with '-' inside or too long */
  return plain_key(p, it) ? HJ212_E_BAD_KEY : NOT_PLAIN;
}

static const char *skip_spaces(const char *s, const char *end) {
  while (s < end && *s == ' ') s++;
  return s;
}

/* End of the value starting at V: "//...//" text is opaque (it may hold
** ';' ',' '='), anything else runs to the next ',' or ';'. NULL if an
** opaque text is not closed. */
static const char *value_end(const char *v, const char *end) {
  if (end - v >= 2 && v[0] == '/' && v[1] == '/') {
    for (const char *s = v + 2; s + 1 < end; s++)
      if (s[0] == '/' && s[1] == '/') return s + 2;
    return NULL;
  }
  while (v < end && !(CLS(*v) & K_STOP)) v++;
  return v;
}

/* Scan a key of [0-9A-Za-z_-] from S; *DASH gets the offset of its last
** '-' (0 if none, and a key starting with '-' is refused by the caller),
** *MULTI whether there are several. */
static const char *key_end(const char *s, const char *end, size_t *dash, int *multi) {
  const char *k = s;
  *dash = 0;
  *multi = 0;
  for (; s < end; s++) {
    unsigned cl = CLS(*s);
    if (cl == K_NAME) continue;
    if (cl != K_DASH) break;
    *multi |= *dash != 0;
    *dash = (size_t)(s - k);
  }
  return s;
}

/* The item at IT->k the scalar way, one byte at a time: any form. */
COLD static enum hj212_reason scalar_item(struct hj212_packet *p, const char *end, struct cp_item *it) {
  const char *k = it->k, *s;
  it->ke = key_end(k, end, &it->dash, &it->multi);
  it->checked = 1;
  s = it->ke < end && *it->ke == ' ' ? skip_spaces(it->ke, end) : it->ke;
  if (s == end || *s != '=' || it->ke == k || *k == '-') FAIL(HJ212_E_BAD_KEY, k, s - k);
  it->v = s + 1 < end && s[1] == ' ' ? skip_spaces(s + 1, end) : s + 1;
  it->ve = value_end(it->v, end);
  if (!it->ve) FAIL(HJ212_E_BAD_SYNTAX, it->v, end - it->v);
  s = it->ve < end && *it->ve == ' ' ? skip_spaces(it->ve, end) : it->ve;
  while (it->ve > it->v && it->ve[-1] == ' ') it->ve--;   /* "DataTime=... ;" in the standard's examples */
  if (s < end && !(CLS(*s) & K_STOP)) FAIL(HJ212_E_BAD_SYNTAX, k, s - k);
  it->next = s;
  return HJ212_OK;
}

/* The item at S the scalar way, then item(): any form. Out of line, so
** that the walk over the marks keeps its registers. *NEXT gets where the
** following item is looked for (its separator, if any). */
COLD static enum hj212_reason slow_item(struct hj212_packet *p, struct scan *sc, const char *s,
                                        const char *end, const char **next) {
  struct cp_item it;
  enum hj212_reason r;
  it.k = s;
  if ((r = scalar_item(p, end, &it))) return r;
  if ((r = item(p, sc, &it))) FAIL(r, it.k, it.ve - it.k);
  *next = it.next;
  return HJ212_OK;
}

/* Skip what may come before an item at *S: spaces, and the separator of
** an empty item ("...;" before &&). Returns 0 at the end of CP. */
static int item_start(const char **s, const char *end) {
  /* one test for the usual start of an item (END is at "&&": readable) */
  while (CLS(**s) != K_NAME) {
    *s = skip_spaces(*s, end);
    if (*s == end) return 0;
    if (**s != ';' && **s != ',') break;
    ++*s;
  }
  return 1;
}

/* The items of CP's data area [S, END). With the bitmaps, an item is
** taken from its marks if it is plain: KEY=VALUE with a key of 1..48
** bytes not starting with '-', a value without '=', ended by ',' or ';'
** or by END (a mark too); usual_field(), pollutant_field() and item() see
** to the rest (the key's bytes, plain_value). The usual item starts right
** after the last one's separator; anything else there (spaces, an empty
** item, the end) is not plain either. What is not goes to item_start and
** slow_item, and the marks restart after it. */
static enum hj212_reason parse_cp(struct hj212_packet *p, struct scan *sc, const char *s,
                                  const char *end) {
  const char *seg = p->segment.p;
  enum hj212_reason r;
  if (!sc->ready) {
    while (item_start(&s, end))
      if ((r = slow_item(p, sc, s, end, &s))) return r;
    return HJ212_OK;
  }
  size_t last = (size_t)(end - seg);
  struct walk w;
  walk_from(&w, sc, (size_t)(s - seg));
  /* END's mark is taken with the last value: no item is looked for past it */
  while (s != end) {
    size_t k = (size_t)(s - seg), e = next_mark(&w), ve = next_mark(&w), kn = e - k;
    /* LAST is a mark and seg[LAST] is '&': E is at most LAST, and VE too
       if E is an '=' */
    if (seg[e] == '=' && kn - 1 < 48 && seg[ve] != '=') {
      uint64_t d = window(sc, sc->dash, k) & ((1ull << kn) - 1);
      if (!(d & 1)) {
        const char *v = seg + e + 1, *vend = seg + ve;
        /* a usual key has one '-' */
        const struct suffix *field = d && !(d & (d - 1)) ? usual_field(s, kn, ctz64(d), 0) : NULL;
        if (field) {
          r = pollutant_field(p, sc, s, ctz64(d), v, vend, field);
        } else {
          struct cp_item it = {s, v - 1, v, vend, NULL, d ? top64(d) : 0, (d & (d - 1)) != 0, 0};
          r = item(p, sc, &it);
        }
        if (!r) {
          s = vend + (ve < last);
          continue;
        }
        /* an error is reported where the scalar path puts it */
        if (r != NOT_PLAIN && plain_value(v, vend)) FAIL(r, s, vend - s);
      }
    }
    if (!item_start(&s, end)) return HJ212_OK;
    if ((r = slow_item(p, sc, s, end, &s))) return r;
    s += s < end;   /* its separator */
    walk_from(&w, sc, (size_t)(s - seg));
  }
  return HJ212_OK;
}

/* Control characters are refused; bytes >= 0x80 must form valid UTF-8
** (Chinese log text). Eight bytes at a time: the common packet is ASCII. */
COLD static enum hj212_reason check_text(const char *s, size_t n) {
  const uint64_t lo = 0x2020202020202020ull, hi = 0x8080808080808080ull;
  size_t i = 0;
  int high = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if (((w - lo) | w) & hi) break;
  }
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20) return HJ212_E_BAD_SYNTAX;
    high |= c >= 0x80;
  }
  return high && !utf8_valid(s, n) ? HJ212_E_BAD_UTF8 : HJ212_OK;
}

/* The parser; FAST: with the bitmaps (else the scalar path alone). */
static enum hj212_reason parse(const char *seg, size_t len, const struct hj212_codes *codes,
                               struct hj212_packet *p, int fast) {
  struct scan sc_, *sc = &sc_;
  p->segment = (struct hj212_str){seg, (uint32_t)len};
  p->qn = p->st = p->pw = p->mn = p->cp = (struct hj212_str){NULL, 0};
  p->cn = -1;
  p->flag = -1;
  p->version = HJ212_V2005;
  p->pnum = p->pno = 0;
  p->has_qn = p->has_datatime = 0;
  p->warnings = 0;
  p->npollutants = p->nparams = 0;
  p->error_at = (struct hj212_str){seg, 0};
  enum hj212_reason r, t;
  size_t pos;
  memset(sc->used, 0, sizeof sc->used);
  sc->table = codes;
  sc->none.code.len = UINT32_MAX;
  sc->last = &sc->none;
  if (!fast && (r = check_text(seg, len))) FAIL(r, seg, len);
  /* the text is checked first: after the header, which has no control or
  ** high byte if it is valid, or before reporting what is wrong with it */
  if ((r = parse_header(p, fast, seg, len, &pos))) {
    if (fast && (t = check_text(seg, len))) FAIL(t, seg, len);
    return r;
  }
  sc->ready = fast;
  if (fast && scan_build(sc, seg, pos, len) && (r = check_text(seg, len))) FAIL(r, seg, len);
  /* CP=&& <data area> && ends the segment */
  if (len - pos < 7 || memcmp(seg + pos, "CP=&&", 5) || memcmp(seg + len - 2, "&&", 2))
    FAIL(HJ212_E_BAD_SYNTAX, seg + pos, len - pos);
  p->cp = (struct hj212_str){seg + pos + 5, (uint32_t)(len - pos - 7)};
  /* the end of the data area, the first '&' of "&&", is a mark too: the
     last value ends there, and no key's '=' is looked for past it */
  if (fast) sc->mark[(len - 2 - pos) >> 6] |= 1ull << ((len - 2 - pos) & 63);
  return parse_cp(p, sc, p->cp.p, p->cp.p + p->cp.len);
}

enum hj212_reason hj212_parse(const char *seg, size_t len, const struct hj212_codes *codes,
                              struct hj212_packet *p) {
  return parse(seg, len, codes, p, len <= HJ212_SEGMENT_MAX);
}

int hj212_wants_reply(const struct hj212_packet *p) {
  return p->flag >= 0 && (p->flag & HJ212_FLAG_A);
}

const struct hj212_str *hj212_param(const struct hj212_packet *p, const char *key) {
  size_t n = strlen(key);
  for (size_t i = 0; i < p->nparams; i++)
    if (p->params[i].key.len == n && !memcmp(p->params[i].key.p, key, n))
      return &p->params[i].value;
  return NULL;
}

const struct hj212_pollutant *hj212_pollutant(const struct hj212_packet *p, const char *code) {
  size_t n = strlen(code);
  for (size_t i = 0; i < p->npollutants; i++) {
    const struct hj212_pollutant *x = &p->pollutants[i];
    if ((x->code2017.len == n && !memcmp(x->code2017.p, code, n)) ||
        (x->code.len == n && !memcmp(x->code.p, code, n)))
      return x;
  }
  return NULL;
}
