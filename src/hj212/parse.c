/*
** The data-segment parser (hj212.h): "QN=...;ST=..;CN=....;PW=...;MN=...;
** Flag=.;[PNUM=.;PNO=.;]CP=&&...&&" into a struct hj212_packet.
**
** Written for throughput (millions of packets per second on one core): one
** pass, no allocation, no sscanf/strtod on the usual path; the result is
** views into the segment plus numbers. Strict where the standard is clear
** (the CRC is weak, so values are checked too), lenient where real devices
** differ from it without ambiguity: 24-character passwords, MNs with '_',
** no QN or Flag in 2005 packets, a trailing ';' in CP, DataTime with
** milliseconds, spaces around CP items, codes in no table.
*/
#include "hj212/hj212.h"
#include "util/utf8.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Header fields, as bits for duplicate detection. */
enum { F_QN = 1, F_ST = 2, F_CN = 4, F_PW = 8, F_MN = 16, F_FLAG = 32, F_PNUM = 64, F_PNO = 128 };

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

/* Value of N decimal digits at S, or -1 if any is not a digit. */
static long digits(const char *s, size_t n) {
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!is_digit((unsigned char)s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static int days_in_month(int y, int m) {
  static const unsigned char d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 ? 28 + leap : d[m - 1];
}

int hj212_parse_time(const char *s, size_t len, int allow_ms, struct hj212_time *t) {
  if (len != 14 && !(allow_ms && len == 17)) return -1;
  long y = digits(s, 4), mo = digits(s + 4, 2), d = digits(s + 6, 2);
  long h = digits(s + 8, 2), mi = digits(s + 10, 2), se = digits(s + 12, 2);
  long ms = len == 17 ? digits(s + 14, 3) : 0;
  if (y < 1970 || y > 2099 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 ||
      mi > 59 || se < 0 || se > 59 || ms < 0)
    return -1;
  if (d > days_in_month((int)y, (int)mo)) return -1;
  t->year = (int16_t)y;
  t->month = (uint8_t)mo;
  t->day = (uint8_t)d;
  t->hour = (uint8_t)h;
  t->minute = (uint8_t)mi;
  t->second = (uint8_t)se;
  t->ms = (uint16_t)ms;
  return 0;
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

/* ---- numbers ---- */

static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* A decimal number: [+-]digits[.digits] or [+-].digits, at most 30 bytes.
** Mantissas below 2^53 with at most 22 decimals are exact in a double, and
** one IEEE division rounds correctly, so strtod is needed only beyond. */
static int parse_number(const char *s, size_t n, double *out) {
  if (n == 0 || n > 30) return -1;
  size_t i = 0;
  int neg = 0;
  if (s[0] == '-' || s[0] == '+') { neg = s[0] == '-'; i = 1; }
  uint64_t mant = 0;
  int ndig = 0, frac = -1, big = 0;
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
  double v = frac ? (double)mant / POW10[frac] : (double)mant;
  *out = neg ? -v : v;
  return 0;
}

/* ---- header ---- */

static int valid_pw(const char *s, size_t n) {
  if (n == 0 || n > HJ212_PW_MAX) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c <= ' ' || c >= 0x7F || c == '&' || c == '=' || c == ',') return 0;
  }
  return 1;
}

static int valid_mn(const char *s, size_t n) {
  if (n == 0 || n > HJ212_MN_MAX) return 0;
  for (size_t i = 0; i < n; i++)
    if (!is_alnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-') return 0;
  return 1;
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

/* Store header field F with value V (N bytes) into P. */
static enum hj212_reason set_header(struct hj212_packet *p, int f, const char *v, size_t n) {
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
    if (!valid_pw(v, n)) return HJ212_E_BAD_PW;
    p->pw = s;
    return HJ212_OK;
  case F_MN:
    if (!valid_mn(v, n)) return HJ212_E_BAD_MN;
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

/* Parse "KEY=VALUE;" fields up to "CP="; *POS ends at the 'C' of CP. */
static enum hj212_reason parse_header(struct hj212_packet *p, const char *seg, size_t len,
                                      size_t *pos) {
  int seen = 0;
  size_t i = 0;
  while (i + 3 > len || seg[i] != 'C' || seg[i + 1] != 'P' || seg[i + 2] != '=') {
    const char *k = seg + i;
    const char *semi = memchr(k, ';', len - i);
    if (!semi) FAIL(HJ212_E_BAD_SYNTAX, k, len - i);
    const char *eq = memchr(k, '=', (size_t)(semi - k));
    if (!eq) FAIL(HJ212_E_BAD_SYNTAX, k, semi - k);
    int f = header_field(k, (size_t)(eq - k));
    if (!f) FAIL(HJ212_E_UNKNOWN_FIELD, k, eq - k);
    if (seen & f) FAIL(HJ212_E_DUPLICATE_FIELD, k, eq - k);
    seen |= f;
    enum hj212_reason r = set_header(p, f, eq + 1, (size_t)(semi - eq - 1));
    if (r) FAIL(r, k, semi - k);
    i = (size_t)(semi - seg) + 1;
  }
  *pos = i;
  return check_header(p, seen);
}

/* ---- CP ---- */

enum field_kind { FK_VALUE, FK_FLAG, FK_EFLAG, FK_SAMPLETIME, FK_PARAM, FK_UNKNOWN };

/* Classify the part after the last '-' of a CP key (std table 4). */
static enum field_kind classify(const char *s, size_t n, int *value) {
  switch (s[0]) {
  case 'R':
    if (IS(s, n, "Rtd")) { *value = HJ212_RTD; return FK_VALUE; }
    if (IS(s, n, "RS") || IS(s, n, "RT")) return FK_PARAM;
    break;
  case 'A':
    if (IS(s, n, "Avg")) { *value = HJ212_AVG; return FK_VALUE; }
    break;
  case 'M':
    if (IS(s, n, "Min")) { *value = HJ212_MIN; return FK_VALUE; }
    if (IS(s, n, "Max")) { *value = HJ212_MAX; return FK_VALUE; }
    break;
  case 'C':
    if (IS(s, n, "Cou")) { *value = HJ212_COU; return FK_VALUE; }
    if (IS(s, n, "Check")) return FK_PARAM;
    break;
  case 'F':
    if (IS(s, n, "Flag")) return FK_FLAG;
    break;
  case 'Z':
    if (IS(s, n, "ZsRtd")) { *value = HJ212_ZSRTD; return FK_VALUE; }
    if (IS(s, n, "ZsAvg")) { *value = HJ212_ZSAVG; return FK_VALUE; }
    if (IS(s, n, "ZsMin")) { *value = HJ212_ZSMIN; return FK_VALUE; }
    if (IS(s, n, "ZsMax")) { *value = HJ212_ZSMAX; return FK_VALUE; }
    break;
  case 'E':
    if (IS(s, n, "EFlag")) return FK_EFLAG;
    break;
  case 'S':
    if (IS(s, n, "SampleTime")) return FK_SAMPLETIME;
    if (IS(s, n, "SN") || IS(s, n, "StandardValue")) return FK_PARAM;
    break;
  case 'I':
    if (IS(s, n, "Info")) return FK_PARAM;
    break;
  case 'D':
    if (IS(s, n, "Data") || IS(s, n, "DayData")) return FK_PARAM;
    break;
  case 'N':
    if (IS(s, n, "NightData")) return FK_PARAM;
    break;
  }
  return FK_UNKNOWN;
}

/* The first 8 bytes of a code, packed: with the length, equal keys mean
** equal codes of up to 8 bytes, the usual case. A code is followed in the
** segment by at least "-Rtd=&&", so 8 bytes can always be read at S. */
static uint64_t prefix64(const char *s, size_t n) {
  uint64_t k;
  memcpy(&k, s, 8);
  return n >= 8 ? k : k & ((1ull << (8 * n)) - 1);
}

static int same_code(const struct hj212_pollutant *x, uint64_t key, const char *code, size_t n) {
  if (x->code.len != n || x->key != key) return 0;
  return n <= 8 || is(x->code.p + 8, n - 8, code + 8, n - 8);
}

/* The pollutant CODE of P, created (looked up in CODES) if new. */
static struct hj212_pollutant *pollutant(struct hj212_packet *p, const struct hj212_codes *codes,
                                         const char *code, size_t n) {
  uint64_t key = prefix64(code, n);
  for (size_t i = p->npollutants; i-- > 0;)
    if (same_code(&p->pollutants[i], key, code, n)) return &p->pollutants[i];
  if (p->npollutants == HJ212_MAX_POLLUTANTS) return NULL;
  struct hj212_pollutant *x = &p->pollutants[p->npollutants++];
  x->code = (struct hj212_str){code, (uint32_t)n};
  x->key = key;
  x->code2017 = x->code;
  x->present = 0;
  x->flag = 0;
  x->info = hj212_codes_find(codes, code, n);
  x->status = HJ212_CODE_KNOWN;
  if (!x->info) {
    x->info = hj212_codes_find_old(codes, code, n);
    if (x->info) {
      x->status = HJ212_CODE_MAPPED;
      x->code2017 = (struct hj212_str){x->info->code, (uint32_t)strlen(x->info->code)};
      p->warnings |= HJ212_WARN_MAPPED_2005;
    } else {
      x->status = HJ212_CODE_UNKNOWN;
      p->warnings |= HJ212_WARN_UNKNOWN_CODE;
    }
  }
  return x;
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

/* One numeric value: checked against the code's physical bounds, which
** apply to concentrations (not to the cumulative Cou). */
static enum hj212_reason set_value(struct hj212_pollutant *x, int which, const char *v, size_t n) {
  double d;
  if (parse_number(v, n, &d)) return HJ212_E_BAD_NUMBER;
  if (x->info && which != HJ212_COU &&
      ((!isnan(x->info->min) && d < x->info->min) || (!isnan(x->info->max) && d > x->info->max)))
    return HJ212_E_OUT_OF_RANGE;
  x->v[which] = d;
  x->raw[which] = (struct hj212_str){v, (uint32_t)n};
  return HJ212_OK;
}

/* A pollutant field: KEY is CODE-FIELD. */
static enum hj212_reason pollutant_field(struct hj212_packet *p, const struct hj212_codes *codes,
                                         const char *code, size_t cn, enum field_kind kind,
                                         int which, const char *v, size_t n) {
  struct hj212_pollutant *x = pollutant(p, codes, code, cn);
  if (!x) return HJ212_E_TOO_MANY_ITEMS;
  uint32_t bit = kind == FK_VALUE ? 1u << which
                 : kind == FK_FLAG ? HJ212_HAS_FLAG
                 : kind == FK_EFLAG ? HJ212_HAS_EFLAG : HJ212_HAS_SAMPLETIME;
  if (x->present & bit) return HJ212_E_DUPLICATE_FIELD;
  x->present |= bit;
  switch (kind) {
  case FK_VALUE:
    return set_value(x, which, v, n);
  case FK_FLAG:
    if (n != 1 || !valid_data_flag(v[0], p->version)) return HJ212_E_BAD_DATA_FLAG;
    x->flag = v[0];
    return HJ212_OK;
  case FK_EFLAG:
    if (!valid_eflag(v, n)) return HJ212_E_BAD_DATA_FLAG;
    x->eflag = (struct hj212_str){v, (uint32_t)n};
    return HJ212_OK;
  default:
    return hj212_parse_time(v, n, 1, &x->sample_time) ? HJ212_E_BAD_DATATIME : HJ212_OK;
  }
}

static enum hj212_reason add_param(struct hj212_packet *p, const char *k, size_t kn,
                                   const char *v, size_t vn) {
  if (p->nparams == HJ212_MAX_PARAMS) return HJ212_E_TOO_MANY_ITEMS;
  struct hj212_param *x = &p->params[p->nparams++];
  x->key = (struct hj212_str){k, (uint32_t)kn};
  x->value = (struct hj212_str){v, (uint32_t)vn};
  return HJ212_OK;
}

/* One CP item KEY=VALUE; DASH is the offset of the key's last '-' (0 if
** none): "a21026-i22004-Info" is code "a21026-i22004", field "Info".
** MULTI says the key has more than one '-'. */
static enum hj212_reason item(struct hj212_packet *p, const struct hj212_codes *codes,
                              const char *k, size_t kn, size_t dash, int multi, const char *v,
                              size_t vn) {
  if (dash == 0) {
    if (IS(k, kn, "DataTime")) {
      if (p->has_datatime) return HJ212_E_DUPLICATE_FIELD;
      if (hj212_parse_time(v, vn, 1, &p->datatime)) return HJ212_E_BAD_DATATIME;
      if (vn == 17) p->warnings |= HJ212_WARN_DATATIME_MS;
      p->has_datatime = 1;
      return HJ212_OK;
    }
    return kn > 32 ? HJ212_E_BAD_KEY : add_param(p, k, kn, v, vn);
  }
  if (dash + 1 == kn || kn > 48) return HJ212_E_BAD_KEY;
  int which = 0;
  enum field_kind kind = classify(k + dash + 1, kn - dash - 1, &which);
  if (kind == FK_PARAM || kind == FK_UNKNOWN) {
    if (kind == FK_UNKNOWN) p->warnings |= HJ212_WARN_UNKNOWN_FIELD;
    return add_param(p, k, kn, v, vn);
  }
  /* a pollutant code is a plain name: no '-' inside */
  if (multi || dash > 16) return HJ212_E_BAD_KEY;
  return pollutant_field(p, codes, k, dash, kind, which, v, vn);
}

/* Character classes of CP text: one table load per byte instead of a
** chain of comparisons, in the loops every item goes through. */
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

/* The items of CP's data area [S, END). */
static enum hj212_reason parse_cp(struct hj212_packet *p, const struct hj212_codes *codes,
                                  const char *s, const char *end) {
  for (;;) {
    s = skip_spaces(s, end);
    if (s == end) return HJ212_OK;
    if (*s == ';' || *s == ',') { s++; continue; }   /* empty item: "...;" before && */
    const char *k = s;
    size_t dash;
    int multi;
    const char *ke = key_end(s, end, &dash, &multi);
    s = ke < end && *ke == ' ' ? skip_spaces(ke, end) : ke;
    if (s == end || *s != '=' || ke == k || *k == '-') FAIL(HJ212_E_BAD_KEY, k, s - k);
    const char *v = s + 1 < end && s[1] == ' ' ? skip_spaces(s + 1, end) : s + 1;
    const char *ve = value_end(v, end);
    if (!ve) FAIL(HJ212_E_BAD_SYNTAX, v, end - v);
    s = ve < end && *ve == ' ' ? skip_spaces(ve, end) : ve;
    while (ve > v && ve[-1] == ' ') ve--;   /* "DataTime=... ;" in the standard's examples */
    if (s < end && !(CLS(*s) & K_STOP)) FAIL(HJ212_E_BAD_SYNTAX, k, s - k);
    enum hj212_reason r = item(p, codes, k, (size_t)(ke - k), dash, multi, v, (size_t)(ve - v));
    if (r) FAIL(r, k, ve - k);
  }
}

/* Control characters are refused; bytes >= 0x80 must form valid UTF-8
** (Chinese log text). Eight bytes at a time: the common packet is ASCII. */
static enum hj212_reason check_text(const char *s, size_t n) {
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

enum hj212_reason hj212_parse(const char *seg, size_t len, const struct hj212_codes *codes,
                              struct hj212_packet *p) {
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
  enum hj212_reason r = check_text(seg, len);
  if (r) FAIL(r, seg, len);
  size_t pos;
  if ((r = parse_header(p, seg, len, &pos))) return r;
  /* CP=&& <data area> && ends the segment */
  if (len - pos < 7 || memcmp(seg + pos, "CP=&&", 5) || memcmp(seg + len - 2, "&&", 2))
    FAIL(HJ212_E_BAD_SYNTAX, seg + pos, len - pos);
  p->cp = (struct hj212_str){seg + pos + 5, (uint32_t)(len - pos - 7)};
  return parse_cp(p, codes, p->cp.p, p->cp.p + p->cp.len);
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
