/*
** Unit tests of the HJ 212 parser, CRC, code table and builders
** (src/hj212/): the standard's worked example, every public packet of
** tests/data/hj212/public_packets.txt parsed as the standard means, and
** every kind of malformed data segment refused with its reason.
** Framing and reassembly are in test_hj212_frame.c. Runs from the source
** root to read data/hj212/ and tests/data/hj212/.
**
** The parser has a fast path (bitmaps from SSE2 or a portable classifier)
** and a scalar path; this file compiles src/hj212/parse.c a second time,
** with the portable classifier, so that every input given here goes
** through the library's parser, the portable one and the scalar path
** alone, which must agree on everything. The word-at-a-time conversions
** (numbers, dates, the CRC) are checked against the plain algorithms.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "support.h"
#include "hj212/crc_tables.h"
#include "hj212/hj212.h"
#include "util/buf.h"

/* before this file's own names, so that none of them is shadowed */
#include "portable_parser.h"

#define EXAMPLE "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"

static struct hj212_codes *codes;
static char *packets[32];
static size_t npackets;
static struct hj212_packet pkt;

static int str_is(struct hj212_str s, const char *want) {
  return s.len == strlen(want) && !memcmp(s.p, want, s.len);
}

#define assert_str(s, want) \
  do { if (!str_is((s), (want))) fail_msg("got '%.*s', want '%s'", (int)(s).len, (s).p, (want)); } while (0)

static int setup(void **state) {
  (void)state;
  size_t len;
  char err[160];
  char *csv = test_read_file("data/hj212/factor_codes.csv", &len);
  codes = hj212_codes_load(csv, len, err, sizeof err);
  free(csv);
  if (!codes) fail_msg("codes: %s", err);
  char *text = test_read_file("tests/data/hj212/public_packets.txt", &len);
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) packets[npackets++] = xstrdup(line);
  free(text);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  hj212_codes_free(codes);
  for (size_t i = 0; i < npackets; i++) free(packets[i]);
  return 0;
}

/* ---- the paths agree ---- */

static struct hj212_packet other;

static int same_str(struct hj212_str a, struct hj212_str b) {
  return a.len == b.len && (a.len == 0 || !memcmp(a.p, b.p, a.len));
}

static int same_time(const struct hj212_time *a, const struct hj212_time *b) {
  return !memcmp(a, b, sizeof *a);
}

/* What differs between two results, or NULL. Views must be the same
** places; error_at may be a field's name outside the segment ("MN"). */
static const char *difference(enum hj212_reason ra, const struct hj212_packet *a,
                              enum hj212_reason rb, const struct hj212_packet *b) {
  const char *seg = a->segment.p;
  int inside = a->error_at.p >= seg && a->error_at.p <= seg + a->segment.len;
  if (ra != rb) return "reason";
  if (inside ? a->error_at.p != b->error_at.p || a->error_at.len != b->error_at.len
             : !same_str(a->error_at, b->error_at))
    return "error_at";
  if (ra) return NULL;
  if (a->qn.p != b->qn.p || !same_str(a->qn, b->qn) || a->st.p != b->st.p || a->pw.p != b->pw.p ||
      a->mn.p != b->mn.p || !same_str(a->mn, b->mn) || !same_str(a->pw, b->pw) ||
      !same_str(a->st, b->st) || a->cp.p != b->cp.p || a->cp.len != b->cp.len)
    return "header views";
  if (a->cn != b->cn || a->flag != b->flag || a->version != b->version || a->pnum != b->pnum ||
      a->pno != b->pno || a->has_qn != b->has_qn || a->has_datatime != b->has_datatime ||
      a->warnings != b->warnings || a->npollutants != b->npollutants || a->nparams != b->nparams)
    return "header";
  if ((a->has_qn && !same_time(&a->qn_time, &b->qn_time)) ||
      (a->has_datatime && !same_time(&a->datatime, &b->datatime)))
    return "times";
  for (size_t i = 0; i < a->nparams; i++)
    if (a->params[i].key.p != b->params[i].key.p || a->params[i].value.p != b->params[i].value.p ||
        a->params[i].key.len != b->params[i].key.len || a->params[i].value.len != b->params[i].value.len)
      return "param";
  for (size_t i = 0; i < a->npollutants; i++) {
    const struct hj212_pollutant *x = &a->pollutants[i], *y = &b->pollutants[i];
    if (x->code.p != y->code.p || x->code.len != y->code.len || x->key != y->key ||
        !same_str(x->code2017, y->code2017) || x->info != y->info || x->status != y->status ||
        x->present != y->present)
      return "pollutant";
    if (((x->present & HJ212_HAS_FLAG) && x->flag != y->flag) ||
        ((x->present & HJ212_HAS_EFLAG) && (x->eflag.p != y->eflag.p || x->eflag.len != y->eflag.len)) ||
        ((x->present & HJ212_HAS_SAMPLETIME) && !same_time(&x->sample_time, &y->sample_time)))
      return "pollutant fields";
    for (int v = 0; v < HJ212_NVALUES; v++)
      if ((x->present & (1u << v)) &&
          (memcmp(&x->v[v], &y->v[v], sizeof x->v[v]) || x->raw[v].p != y->raw[v].p ||
           x->raw[v].len != y->raw[v].len))
        return "value";
  }
  return NULL;
}

/* Parse SEG (LEN bytes, copied so that ASan sees any read past them) with
** the library, the portable fast path and the scalar path alone: they
** must agree. The library's result stays in pkt. Returns its reason. */
static enum hj212_reason agree_n(const char *seg, size_t len) {
  char *copy = malloc(len ? len : 1);
  memcpy(copy, seg, len);
  enum hj212_reason r = hj212_parse(copy, len, codes, &pkt), r2;
  const char *d = difference(r, &pkt, r2 = portable_parse(copy, len, codes, &other), &other);
  const char *what = "portable";
  if (!d) {
    d = difference(r, &pkt, r2 = parse(copy, len, codes, &other, 0), &other);
    what = "scalar";
  }
  if (d)
    fail_msg("%s path differs (%s): %s vs %s on '%.*s'", what, d, hj212_reason_name(r),
             hj212_reason_name(r2), (int)len, seg);
  /* leave pkt pointing into SEG, as after a plain hj212_parse */
  r = hj212_parse(seg, len, codes, &pkt);
  free(copy);
  return r;
}

static enum hj212_reason agree(const char *seg) { return agree_n(seg, strlen(seg)); }

/* The standard's bitwise algorithm (Appendix A), as the reference. */
static uint16_t crc_reference(const unsigned char *p, size_t n) {
  unsigned crc = 0xFFFF;
  for (size_t i = 0; i < n; i++) {
    crc = (crc >> 8) ^ p[i];
    for (int j = 0; j < 8; j++) crc = (crc & 1) ? (crc >> 1) ^ 0xA001 : crc >> 1;
  }
  return (uint16_t)crc;
}

static void test_crc_example(void **state) {
  (void)state;
  assert_int_equal(strlen(EXAMPLE), 101);
  assert_int_equal(hj212_crc16(EXAMPLE, strlen(EXAMPLE)), 0x1C80);
  assert_int_equal(hj212_crc16("", 0), 0xFFFF);
  /* the standard's table C.40 log upload: 152 UTF-8 bytes, CRC 9741 */
  const char *log = "QN=20160801085857223;ST=32;CN=3020;PW=123456;MN=010000A8900016F000169DC0;"
                    "Flag=5;CP=&&DataTime=20100301145000;PolId=w01018;i11001-Info=//清洗管路//&&";
  size_t n = strlen(log);
  assert_int_equal(n, 152);
  assert_int_equal(hj212_crc16(log, n), 0x9741);
  assert_int_equal(agree_n(log, n), HJ212_OK);
  assert_str(*hj212_param(&pkt, "i11001-Info"), "//清洗管路//");
}

static void test_crc_tables(void **state) {
  (void)state;
  unsigned char buf[1100];
  unsigned seed = 12345;
  /* the fold by lanes rests on H^8 being the identity */
  for (unsigned x = 0; x < 256; x++) assert_int_equal(hj212_crc_h[7][x], x);
  for (int round = 0; round < 3 * (int)sizeof buf; round++) {
    size_t n = (size_t)round % sizeof buf;
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      buf[i] = (unsigned char)(seed >> 16);
    }
    assert_int_equal(hj212_crc16(buf, n), crc_reference(buf, n));
    size_t off = (size_t)round % 8;   /* and from every alignment */
    if (n > off) assert_int_equal(hj212_crc16(buf + off, n - off), crc_reference(buf + off, n - off));
  }
  for (unsigned x = 0; x < 256; x++) {
    unsigned char b = (unsigned char)(x ^ 0xFF);   /* the register starts at 0xFFFF */
    assert_int_equal(hj212_crc_t[x], crc_reference(&b, 1));
  }
}

static void test_codes(void **state) {
  (void)state;
  assert_int_equal(hj212_codes_count(codes), 196);
  const struct hj212_code *c = hj212_codes_find(codes, "w01018", 6);
  assert_non_null(c);
  assert_string_equal(c->old_code, "011");
  assert_string_equal(c->name, "化学需氧量");
  assert_string_equal(c->data_type, "N5.1");
  assert_ptr_equal(hj212_codes_find_old(codes, "011", 3), c);
  assert_string_equal(hj212_codes_find_old(codes, "B01", 3)->code, "w00000");
  assert_string_equal(hj212_codes_find_old(codes, "02", 2)->code, "a21026");
  assert_string_equal(hj212_codes_find_old(codes, "S01", 3)->code, "a19001");
  assert_null(hj212_codes_find(codes, "w01003", 6));
  assert_null(hj212_codes_find(codes, "w0101800", 8));
  c = hj212_codes_find(codes, "w01001", 6);
  assert_true(c->min == 0 && c->max == 14);
  /* every code and old code of the file is found (keys of 1..7 bytes) */
  size_t len;
  char *csv = test_read_file("data/hj212/factor_codes.csv", &len);
  for (char *line = strtok(strchr(csv, '\n') + 1, "\n"); line; line = strtok(NULL, "\n")) {
    char *comma = strchr(line, ','), *old_end = strchr(comma + 1, ',');
    c = hj212_codes_find(codes, line, (size_t)(comma - line));
    assert_non_null(c);
    assert_memory_equal(c->code, line, (size_t)(comma - line));
    if (old_end > comma + 1) assert_ptr_equal(hj212_codes_find_old(codes, comma + 1, (size_t)(old_end - comma - 1)), c);
  }
  free(csv);
  assert_null(hj212_codes_find(codes, "", 0));
  assert_null(hj212_codes_find(codes, "w", 1));
  assert_null(hj212_codes_find(codes, "w0101", 5));
  assert_null(hj212_codes_find(codes, "w010180", 7));
  assert_true(isnan(hj212_codes_find(codes, "w01018", 6)->min));
}

static void test_codes_errors(void **state) {
  (void)state;
  static const struct { const char *csv, *error; } CASES[] = {
      {"", "empty code table"},
      {"code,kind\nw1,water\n", "line 1: no column old_code"},
      {"code,old_code,kind,name,unit,unit_amount,data_type,min,max\nw01018,011,lake,a,b,c,d,,\n",
       "line 2: invalid kind"},
      {"code,old_code,kind,name,unit,unit_amount,data_type,min,max\nw0101899,,water,a,b,c,d,,\n",
       "line 2: invalid code"},
      {"code,old_code,kind,name,unit,unit_amount,data_type,min,max\nw1,,water,a,b,c,d,x,\n",
       "line 2: invalid min"},
      {"code,old_code,kind,name,unit,unit_amount,data_type,min,max\nw1,01,water,a,b,c,d,,\n"
       "w2,01,water,a,b,c,d,,\n", "code w2: given twice"},
      {"code,old_code,kind,name,unit,unit_amount,data_type,min,max\nw1,,water\n",
       "line 2: missing field name"},
  };
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    char err[160] = "";
    struct hj212_codes *c = hj212_codes_load(CASES[i].csv, strlen(CASES[i].csv), err, sizeof err);
    assert_null(c);
    assert_string_equal(err, CASES[i].error);
  }
}

/* Frame packet I of the file and parse its segment into pkt. */
static void parse_packet(size_t i) {
  assert_true(i < npackets);
  const char *line = packets[i];
  size_t n = strlen(line);
  int seglen = atoi(line + 2);
  assert_int_equal((size_t)seglen + 10, n);   /* lengths count UTF-8 bytes */
  unsigned crc = (unsigned)strtoul(line + n - 4, NULL, 16);
  assert_int_equal(hj212_crc16(line + 6, (size_t)seglen), crc);
  enum hj212_reason r = agree_n(line + 6, (size_t)seglen);
  if (r) fail_msg("packet %zu: %s at '%.*s'", i + 1, hj212_reason_name(r), (int)pkt.error_at.len,
                  pkt.error_at.p);
}

static const struct hj212_pollutant *pol(const char *code) {
  const struct hj212_pollutant *x = hj212_pollutant(&pkt, code);
  if (!x) fail_msg("no pollutant %s", code);
  return x;
}

static void assert_value(const char *code, enum hj212_value v, double want) {
  const struct hj212_pollutant *x = pol(code);
  assert_true(x->present & (1u << v));
  if (fabs(x->v[v] - want) > 1e-12) fail_msg("%s-%s = %g, want %g", code, hj212_value_name(v), x->v[v], want);
}

static void test_worked_example(void **state) {
  (void)state;
  parse_packet(0);
  assert_str(pkt.qn, "20160801085857223");
  assert_str(pkt.st, "32");
  assert_int_equal(pkt.cn, 1062);
  assert_str(pkt.pw, "100000");
  assert_str(pkt.mn, "010000A8900016F000169DC0");
  assert_int_equal(pkt.flag, 5);
  assert_int_equal(pkt.version, HJ212_V2017);
  assert_true(hj212_wants_reply(&pkt));
  assert_int_equal(pkt.pnum, 0);
  assert_int_equal(pkt.npollutants, 0);
  assert_int_equal(pkt.nparams, 1);
  assert_str(*hj212_param(&pkt, "RtdInterval"), "30");
  assert_int_equal(pkt.qn_time.ms, 223);
  assert_int_equal(pkt.warnings, 0);
  assert_int_equal(hj212_cn_find(pkt.cn)->kind, HJ212_CN_REQUEST);
}

static void test_packet_2005_codes(void **state) {
  (void)state;
  parse_packet(1);   /* no QN, no Flag, 3-character codes, lowercase CRC */
  assert_int_equal(pkt.version, HJ212_V2005);
  assert_int_equal(pkt.flag, -1);
  assert_false(pkt.has_qn);
  assert_false(hj212_wants_reply(&pkt));
  assert_int_equal(pkt.npollutants, 3);
  assert_int_equal(pkt.warnings, HJ212_WARN_MAPPED_2005);
  const struct hj212_pollutant *cod = pol("w01018");
  assert_int_equal(cod->status, HJ212_CODE_MAPPED);
  assert_str(cod->code, "011");
  assert_value("w01018", HJ212_RTD, 231.0);
  assert_int_equal(cod->flag, 'N');
  assert_value("w00000", HJ212_RTD, 36.91);
  assert_int_equal(pol("w00000")->flag, 0);   /* B01-Rtd=36.91 has no flag */
  assert_value("w21003", HJ212_RTD, 1.803);
  assert_int_equal(pkt.datatime.year, 2016);
  assert_int_equal(pkt.datatime.second, 17);

  parse_packet(8);   /* 2005 with six codes */
  assert_int_equal(pkt.npollutants, 6);
  assert_value("w01001", HJ212_RTD, 7.47);
  assert_value("w21001", HJ212_RTD, 25.801);
  assert_value("w21011", HJ212_RTD, 0.287);
  assert_value("w00000", HJ212_RTD, 0.0);
  assert_str(pol("w21011")->raw[HJ212_RTD], "0.287");
}

static void test_packet_air_and_unknown_codes(void **state) {
  (void)state;
  parse_packet(2);   /* ST=27 VOC station, Flag=5 */
  assert_str(pkt.st, "27");
  assert_int_equal(pkt.npollutants, 15);
  assert_int_equal(pol("o31104")->status, HJ212_CODE_UNKNOWN);
  assert_int_equal(pol("LA")->status, HJ212_CODE_KNOWN);
  assert_value("a21026", HJ212_RTD, 117);
  assert_value("a21005", HJ212_RTD, 0.14);
  assert_value("a01006", HJ212_RTD, 1002);
  assert_int_equal(pkt.warnings, HJ212_WARN_UNKNOWN_CODE);

  parse_packet(3);   /* hourly flue gas: Cou/Min/Avg/Max, negative pressure */
  assert_int_equal(pkt.cn, 2061);
  assert_int_equal(pkt.version, HJ212_V2017);
  assert_false(hj212_wants_reply(&pkt));
  assert_int_equal(pkt.npollutants, 7);
  assert_value("a00000", HJ212_COU, 19191.973);
  assert_value("a00000", HJ212_MIN, 5.051);
  assert_value("a00000", HJ212_AVG, 5.331);
  assert_value("a00000", HJ212_MAX, 5.617);
  assert_value("a01013", HJ212_MIN, -0.041);
  assert_int_equal(pol("a24088")->status, HJ212_CODE_KNOWN);
  assert_int_equal(pkt.warnings, 0);

  parse_packet(4);
  assert_int_equal(pkt.cn, 2011);
  assert_value("a01013", HJ212_RTD, -0.052);
}

static void test_packet_water_sampletime(void **state) {
  (void)state;
  parse_packet(5);
  assert_int_equal(pkt.npollutants, 7);
  const struct hj212_pollutant *cod = pol("w01018");
  assert_true(cod->present & HJ212_HAS_SAMPLETIME);
  assert_int_equal(cod->sample_time.hour, 11);
  assert_int_equal(cod->sample_time.second, 6);
  assert_value("w01018", HJ212_RTD, 4653.8);
  assert_value("w21003", HJ212_RTD, 43.58);
  assert_value("w01001", HJ212_RTD, 7.17);
  assert_true(hj212_wants_reply(&pkt));
  assert_int_equal(hj212_cn_find(pkt.cn)->kind, HJ212_CN_UPLOAD);
  parse_packet(6);
  assert_value("w01010", HJ212_RTD, 8.1);
  assert_int_equal(pkt.datatime.minute, 10);
}

static void test_packet_info_and_system(void **state) {
  (void)state;
  parse_packet(7);   /* CN=3020 with only DataTime */
  assert_int_equal(pkt.cn, 3020);
  assert_true(pkt.has_datatime);
  assert_int_equal(pkt.npollutants, 0);
  parse_packet(9);   /* ST=91 CN=9021: a reserved interaction code, empty CP */
  assert_int_equal(pkt.cn, 9021);
  assert_null(hj212_cn_find(9021));
  assert_int_equal(pkt.cp.len, 0);
  assert_false(pkt.has_datatime);
}

static void test_packet_long_password(void **state) {
  (void)state;
  parse_packet(10);
  assert_str(pkt.pw, "BF470F88957588DE902D1A52");
  assert_str(pkt.st, "22");
  assert_value("a34006", HJ212_AVG, 2.697);
  assert_str(pol("a34049")->raw[HJ212_AVG], "10.66300");
}

static void test_packet_misspelt_and_trailing_semicolon(void **state) {
  (void)state;
  parse_packet(11);   /* Flag=7 without PNUM/PNO, LA-td, ";&&" */
  assert_int_equal(pkt.flag, 7);
  assert_int_equal(pkt.pnum, 0);
  assert_int_equal(pkt.warnings, HJ212_WARN_D_WITHOUT_PNUM | HJ212_WARN_UNKNOWN_FIELD);
  assert_int_equal(pkt.npollutants, 12);
  /* LA-td is not guessed to be LA-Rtd: it is kept as it came */
  const struct hj212_pollutant *la = pol("LA");
  assert_int_equal(la->present, HJ212_HAS_FLAG);
  assert_str(*hj212_param(&pkt, "LA-td"), "50.1");
  assert_value("a34001", HJ212_RTD, 217);
  assert_int_equal(pol("a34001")->flag, 'N');
}

static void test_packet_2025(void **state) {
  (void)state;
  parse_packet(12);   /* Flag=9, MN with '_' */
  assert_int_equal(pkt.version, HJ212_V2025);
  assert_true(hj212_wants_reply(&pkt));
  assert_str(pkt.mn, "A110000_0001");
  assert_str(pkt.st, "21");
  assert_value("w01019", HJ212_RTD, 1.023);
  assert_int_equal(pkt.warnings, 0);

  parse_packet(13);   /* Flag=8, lowercase CRC, turbidity w01003 is in no table */
  assert_int_equal(pkt.version, HJ212_V2025);
  assert_false(hj212_wants_reply(&pkt));
  assert_int_equal(pkt.npollutants, 11);
  assert_int_equal(pol("w01003")->status, HJ212_CODE_UNKNOWN);
  assert_int_equal(pol("w01008")->status, HJ212_CODE_UNKNOWN);
  assert_value("w21003", HJ212_RTD, 0.09055002);
  assert_value("w01014", HJ212_RTD, 1425);

  parse_packet(17);   /* 9014 of a 2025 device */
  assert_int_equal(pkt.cn, 9014);
  assert_int_equal(pkt.version, HJ212_V2025);
  assert_int_equal(hj212_cn_find(9015)->kind, HJ212_CN_HEARTBEAT);
}

static void test_packet_quirks(void **state) {
  (void)state;
  parse_packet(14);   /* no QN/Flag, 24-char MN with lower case, DataTime with ms */
  assert_str(pkt.mn, "NJGDKYYC202101q0001w0001");
  assert_int_equal(pkt.datatime.ms, 0);
  assert_int_equal(pkt.warnings, HJ212_WARN_DATATIME_MS | HJ212_WARN_UNKNOWN_CODE);
  assert_value("ele01", HJ212_RTD, 1);
  parse_packet(15);   /* empty CP */
  assert_int_equal(pkt.npollutants + pkt.nparams, 0);
  parse_packet(16);   /* a station's 9014 with parameters whose values hold '_' */
  assert_int_equal(pkt.nparams, 3);
  assert_str(*hj212_param(&pkt, "UTP"), "MICRO_DEV_DOWNLOAD_DATA_YSRDWQGQ1000001001");
  assert_str(*hj212_param(&pkt, "QnRtn"), "1");
}

static void test_every_packet_parses(void **state) {
  (void)state;
  assert_int_equal(npackets, 18);
  for (size_t i = 0; i < npackets; i++) parse_packet(i);
}

/* Parse SEG and expect reason R at text AT (NULL: do not check). */
static void refuse(const char *seg, enum hj212_reason r, const char *at) {
  enum hj212_reason got = agree(seg);
  if (got != r)
    fail_msg("'%s': got %s, want %s", seg, hj212_reason_name(got), hj212_reason_name(r));
  if (at && !str_is(pkt.error_at, at))
    fail_msg("'%s': error at '%.*s', want '%s'", seg, (int)pkt.error_at.len, pkt.error_at.p, at);
}

#define H "QN=20240123123205877;ST=32;CN=2011;PW=123456;MN=000101;"

static void test_malformed_header(void **state) {
  (void)state;
  refuse("", HJ212_E_BAD_SYNTAX, NULL);
  refuse("QN=20240123123205877", HJ212_E_BAD_SYNTAX, NULL);
  refuse(H "Flag=5;CP=&&", HJ212_E_BAD_SYNTAX, NULL);
  refuse(H "Flag=5;CP=&&DataTime=20240123123200", HJ212_E_BAD_SYNTAX, NULL);
  refuse(H "Flag=5;CP=DataTime=20240123123200&&", HJ212_E_BAD_SYNTAX, NULL);
  refuse(H "Flag=5;XX=1;CP=&&&&", HJ212_E_UNKNOWN_FIELD, "XX");
  refuse(H "Flag=5;qn=1;CP=&&&&", HJ212_E_UNKNOWN_FIELD, "qn");
  refuse(H "Flag5;CP=&&&&", HJ212_E_BAD_SYNTAX, "Flag5");
  refuse(H "MN=000101;Flag=5;CP=&&&&", HJ212_E_DUPLICATE_FIELD, "MN");
  refuse("QN=20240123123205877;CN=2011;PW=123456;MN=000101;Flag=5;CP=&&&&", HJ212_E_MISSING_FIELD, "ST");
  refuse("QN=20240123123205877;ST=32;PW=123456;MN=000101;Flag=5;CP=&&&&", HJ212_E_MISSING_FIELD, "CN");
  refuse("QN=20240123123205877;ST=32;CN=2011;MN=000101;Flag=5;CP=&&&&", HJ212_E_MISSING_FIELD, "PW");
  refuse("QN=20240123123205877;ST=32;CN=2011;PW=1;Flag=5;CP=&&&&", HJ212_E_MISSING_FIELD, "MN");
  refuse("ST=32;CN=2011;PW=123456;MN=000101;Flag=5;CP=&&&&", HJ212_E_MISSING_FIELD, "QN");
  refuse("QN=2024012312320587;ST=32;CN=2011;PW=1;MN=1;CP=&&&&", HJ212_E_BAD_QN, NULL);
  refuse("QN=20241323123205877;ST=32;CN=2011;PW=1;MN=1;CP=&&&&", HJ212_E_BAD_QN, NULL);
  refuse("QN=20240230123205877;ST=32;CN=2011;PW=1;MN=1;CP=&&&&", HJ212_E_BAD_QN, NULL);
  refuse("QN=20240123123205877,ST=32;CN=2011;PW=1;MN=1;CP=&&&&", HJ212_E_BAD_QN, NULL);
  refuse("QN=20240123123205877;ST=3;CN=2011;PW=1;MN=1;CP=&&&&", HJ212_E_BAD_ST, NULL);
  refuse("QN=20240123123205877;ST=3a;CN=2011;PW=1;MN=1;CP=&&&&", HJ212_E_BAD_ST, NULL);
  refuse("QN=20240123123205877;ST=32;CN=201;PW=1;MN=1;CP=&&&&", HJ212_E_BAD_CN, NULL);
  refuse("QN=20240123123205877;ST=32;CN=20x1;PW=1;MN=1;CP=&&&&", HJ212_E_BAD_CN, NULL);
  refuse("QN=20240123123205877;ST=32;CN=2011;PW=;MN=1;CP=&&&&", HJ212_E_BAD_PW, NULL);
  refuse("QN=20240123123205877;ST=32;CN=2011;PW=1234567890123456789012345;MN=1;CP=&&&&", HJ212_E_BAD_PW, NULL);
  refuse("QN=20240123123205877;ST=32;CN=2011;PW=12 34;MN=1;CP=&&&&", HJ212_E_BAD_PW, NULL);
  refuse("QN=20240123123205877;ST=32;CN=2011;PW=1;MN=;CP=&&&&", HJ212_E_BAD_MN, NULL);
  refuse("QN=20240123123205877;ST=32;CN=2011;PW=1;MN=1234567890123456789012345;CP=&&&&", HJ212_E_BAD_MN, NULL);
  refuse("QN=20240123123205877;ST=32;CN=2011;PW=1;MN=ab.c;CP=&&&&", HJ212_E_BAD_MN, NULL);
  refuse(H "Flag=256;CP=&&&&", HJ212_E_BAD_FLAG, NULL);
  refuse(H "Flag=-1;CP=&&&&", HJ212_E_BAD_FLAG, NULL);
  refuse(H "Flag=;CP=&&&&", HJ212_E_BAD_FLAG, NULL);
  refuse(H "Flag=7;PNUM=2;CP=&&&&", HJ212_E_BAD_PACKET_NUMBER, NULL);
  refuse(H "Flag=7;PNUM=2;PNO=3;CP=&&&&", HJ212_E_BAD_PACKET_NUMBER, NULL);
  refuse(H "Flag=7;PNUM=2;PNO=0;CP=&&&&", HJ212_E_BAD_PACKET_NUMBER, NULL);
  refuse(H "Flag=5;PNUM=2;PNO=1;CP=&&&&", HJ212_E_BAD_PACKET_NUMBER, NULL);
  refuse(H "Flag=7;PNUM=65;PNO=1;CP=&&&&", HJ212_E_BAD_PACKET_NUMBER, NULL);
  refuse(H "Flag=5;CP=&&\x01&&", HJ212_E_BAD_SYNTAX, NULL);
  refuse(H "Flag=5;CP=&&i11001-Info=//\xE6\xB8//&&", HJ212_E_BAD_UTF8, NULL);
  refuse(H "Flag=5;CP=&&i11001-Info=//\xC0\x80//&&", HJ212_E_BAD_UTF8, NULL);
}

static void test_malformed_cp(void **state) {
  (void)state;
  refuse(H "Flag=5;CP=&&DataTime=2024012312320&&", HJ212_E_BAD_DATATIME, "DataTime=2024012312320");
  refuse(H "Flag=5;CP=&&DataTime=20240123246000&&", HJ212_E_BAD_DATATIME, NULL);
  refuse(H "Flag=5;CP=&&DataTime=20240123123200;DataTime=20240123123200&&", HJ212_E_DUPLICATE_FIELD, NULL);
  refuse(H "Flag=5;CP=&&DataTime=20240123123200;w01018-Rtd&&", HJ212_E_BAD_KEY, "w01018-Rtd");
  refuse(H "Flag=5;CP=&&DataTime=20240123123200;w01018-Rtd,w01018-Flag=N&&", HJ212_E_BAD_KEY, NULL);
  refuse(H "Flag=5;CP=&&w01018-=1&&", HJ212_E_BAD_KEY, NULL);
  refuse(H "Flag=5;CP=&&-Rtd=1&&", HJ212_E_BAD_KEY, NULL);
  refuse(H "Flag=5;CP=&&w01&18-Rtd=1&&", HJ212_E_BAD_KEY, NULL);
  refuse(H "Flag=5;CP=&&w01018-Rtd=abc&&", HJ212_E_BAD_NUMBER, "w01018-Rtd=abc");
  refuse(H "Flag=5;CP=&&w01018-Rtd=&&", HJ212_E_BAD_NUMBER, NULL);
  refuse(H "Flag=5;CP=&&w01018-Rtd=1.2.3&&", HJ212_E_BAD_NUMBER, NULL);
  refuse(H "Flag=5;CP=&&w01018-Rtd=1e5&&", HJ212_E_BAD_NUMBER, NULL);
  refuse(H "Flag=5;CP=&&w01018-Rtd=-&&", HJ212_E_BAD_NUMBER, NULL);
  refuse(H "Flag=5;CP=&&w01018-Rtd=nan&&", HJ212_E_BAD_NUMBER, NULL);
  refuse(H "Flag=5;CP=&&w01018-Rtd=1234567890123456789012345678901&&", HJ212_E_BAD_NUMBER, NULL);
  refuse(H "Flag=5;CP=&&w01018-Rtd=1,w01018-Rtd=2&&", HJ212_E_DUPLICATE_FIELD, NULL);
  refuse(H "Flag=5;CP=&&w01018-Flag=X&&", HJ212_E_BAD_DATA_FLAG, NULL);
  refuse(H "Flag=5;CP=&&w01018-Flag=NN&&", HJ212_E_BAD_DATA_FLAG, NULL);
  refuse(H "Flag=5;CP=&&w01018-Flag=P&&", HJ212_E_BAD_DATA_FLAG, NULL);   /* P is 2005 only */
  refuse(H "Flag=5;CP=&&w01018-EFlag=A0123&&", HJ212_E_BAD_DATA_FLAG, NULL);
  refuse(H "Flag=5;CP=&&w01018-SampleTime=2024&&", HJ212_E_BAD_DATATIME, NULL);
  refuse(H "Flag=5;CP=&&w01001-Rtd=14.5&&", HJ212_E_OUT_OF_RANGE, "w01001-Rtd=14.5");
  refuse(H "Flag=5;CP=&&w01001-Avg=-0.1&&", HJ212_E_OUT_OF_RANGE, NULL);
  refuse(H "Flag=5;CP=&&a19001-Rtd=101&&", HJ212_E_OUT_OF_RANGE, NULL);
  refuse(H "Flag=5;CP=&&i11001-Info=//unclosed&&", HJ212_E_BAD_SYNTAX, NULL);
  refuse(H "Flag=5;CP=&&i11001-Info=//a//b&&", HJ212_E_BAD_SYNTAX, NULL);
  refuse(H "Flag=5;CP=&&i11001-Info=//a// b&&", HJ212_E_BAD_SYNTAX, NULL);
  refuse(H "Flag=5;CP=&&Rtd Interval=30&&", HJ212_E_BAD_KEY, NULL);
}

static void test_too_many_items(void **state) {
  (void)state;
  struct buf b = {0};
  buf_puts(&b, H "Flag=5;CP=&&");
  for (int i = 0; i <= HJ212_MAX_POLLUTANTS; i++) buf_printf(&b, "x%d-Rtd=1;", i);
  buf_puts(&b, "&&");
  refuse(buf_str(&b), HJ212_E_TOO_MANY_ITEMS, NULL);
  buf_reset(&b);
  buf_puts(&b, H "Flag=5;CP=&&");
  for (int i = 0; i <= HJ212_MAX_PARAMS; i++) buf_printf(&b, "P%d=1;", i);
  buf_puts(&b, "&&");
  refuse(buf_str(&b), HJ212_E_TOO_MANY_ITEMS, NULL);
  buf_free(&b);
}

static void test_lenient_forms(void **state) {
  (void)state;
  /* spaces around items (the standard's own examples), empty items, a
     split key "a21026-i22004-Info", opaque log text with ; , = inside,
     the 2005 P flag, a value with '+', Zs fields and EFlag */
  const char *seg = "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;"
                    "Flag=4;CP=&& DataTime=20160801085857 ;; w01018-ZsRtd=+2.5 , w01018-EFlag=A01,"
                    "w01018-ZsAvg=.5;a21026-i22004-Info=1;i11001-Info=//清洗;管路,a=b//&&";
  assert_int_equal(agree(seg), HJ212_OK);
  assert_true(pkt.has_datatime);
  assert_value("w01018", HJ212_ZSRTD, 2.5);
  assert_value("w01018", HJ212_ZSAVG, 0.5);
  assert_str(pol("w01018")->eflag, "A01");
  assert_str(*hj212_param(&pkt, "a21026-i22004-Info"), "1");
  assert_str(*hj212_param(&pkt, "i11001-Info"), "//清洗;管路,a=b//");
  assert_int_equal(pkt.warnings, 0);
  const char *p2005 = "ST=32;CN=2011;PW=1;MN=1;Flag=1;CP=&&011-Rtd=1,011-Flag=P&&";
  assert_int_equal(agree(p2005), HJ212_OK);
  assert_int_equal(pol("w01018")->flag, 'P');
  assert_true(hj212_wants_reply(&pkt));
  /* without a code table every code is kept as unknown */
  assert_int_equal(hj212_parse(p2005, strlen(p2005), NULL, &pkt), HJ212_OK);
  assert_int_equal(pkt.pollutants[0].status, HJ212_CODE_UNKNOWN);
  /* numbers: exact for short ones, strtod beyond 2^53 */
  const char *nums = "ST=32;CN=2011;PW=1;MN=1;CP=&&a-Rtd=123456789012345678,b-Rtd=-0.000001,"
                     "c-Rtd=0.00000000000000000000001&&";
  assert_int_equal(agree(nums), HJ212_OK);
  assert_value("a", HJ212_RTD, 123456789012345678.0);
  assert_value("b", HJ212_RTD, -0.000001);
  assert_value("c", HJ212_RTD, 1e-23);
  /* split packet with PNUM/PNO */
  const char *split = H "Flag=7;PNUM=2;PNO=2;CP=&&DataTime=20240123123200&&";
  assert_int_equal(agree(split), HJ212_OK);
  assert_int_equal(pkt.pnum, 2);
  assert_int_equal(pkt.pno, 2);
  /* a future version is accepted */
  const char *future = H "Flag=13;CP=&&&&";
  assert_int_equal(agree(future), HJ212_OK);
  assert_int_equal(pkt.version, HJ212_VFUTURE);
}

/* Items of every kind (plain, and each form the fast path leaves to the
** scalar one) after a first item of every length up to 70, so that each
** of them starts and ends at every offset of a 64-byte block; then
** segments of every length up to 1030 (the fast path takes 1024 at most)
** ending with a long value. */
static void test_paths_agree_alignments(void **state) {
  (void)state;
  static const char *const ITEMS =
      "w01018-Rtd=12.5,w01018-Flag=N;a-Rtd= 1;b-Rtd=1 ;c-Info=//x;y=z//;d-e-Info=1;"
      "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL-Rtd=1;"
      "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLM-Rtd=1;;,"
      "DataTime=20240123123200;x=a=b;y=p&q;z=/;w01001-Rtd=-.5;w21003-Avg=1234567890.12345,"
      "011-Rtd=9,B01-Cou=7;ele01-Rtd=+3.;P1=12345678901234567890123456789012345678901234567890"
      "12345678901234567890;  k = v ; w01019-EFlag=A1,w01019-SampleTime=20240123110306;"
      "w00000-Rtd=1;";
  struct buf b = {0};
  for (int pad = 0; pad <= 70; pad++) {
    buf_reset(&b);
    buf_puts(&b, H "Flag=5;CP=&&P=");
    for (int i = 0; i < pad; i++) buf_puts(&b, "9");
    buf_printf(&b, ";%s&&", ITEMS);
    agree(buf_str(&b));
    /* the same items, each alone, right at the end of CP */
    const char *item = ITEMS;
    for (const char *semi; (semi = strchr(item, ';')); item = semi + 1) {
      buf_reset(&b);
      buf_puts(&b, H "Flag=5;CP=&&P=");
      for (int i = 0; i < pad; i++) buf_puts(&b, "9");
      buf_printf(&b, ";%.*s&&", (int)(semi - item), item);
      agree(buf_str(&b));
    }
  }
  for (size_t len = 0; len <= 1030; len++) {
    buf_reset(&b);
    buf_puts(&b, H "Flag=5;CP=&&DataTime=20240123123200;w01018-Rtd=1.5;P=");
    while (b.len + 2 < len) buf_puts(&b, len % 3 ? "7" : "_");
    buf_puts(&b, "&&");
    agree_n(buf_str(&b), len < b.len ? len : b.len);   /* cut short: refused alike */
  }
  buf_free(&b);
}

/* Items the fast path takes without looking at every byte (a key's bytes
** are vouched for by the tables, a value's by its parse) but must give to
** the scalar path: odd bytes in codes and keys, spaces and "//" around
** values that fail, or that an error is reported at. */
static void test_paths_agree_unchecked(void **state) {
  (void)state;
  static const char *const ITEMS[] = {
      "w01018-Rtd=1,w01018-Rtd= 2", "w01018-Rtd=1,w01018-Rtd=2 ", "w01018-Rtd= x",
      "w01018-Rtd=//1//", "w01018-Rtd=1,w01018-Rtd=//x//", "w0$018-Rtd=1", "w0 018-Rtd=1",
      "w01018 -Rtd=1", "zz\xe6-Rtd=1", "w01018-Flag= N", "w01018-Flag=N ", "w01018-Flag=//N//",
      "w01018-EFlag= A1", "w01018-SampleTime= 20240123110306", "w01018-Xyz= 1", "w0$018-Xyz=1",
      "w0$018-Info=1", "k$=1", "k= v", "k=//v;w//", "DataTime= 20240123123200",
      "DataTime=20240123123200,DataTime= 1", "a-b-Rtd= 1", "a$b-c-Rtd=1", "-Rtd=1", "w01018-= 1",
      "w01018-Rtd=99999999,w01018-Avg=1e", "w01018-Rtd=-1 ,w01018-Flag=N",
  };
  struct buf b = {0};
  for (size_t i = 0; i < sizeof ITEMS / sizeof ITEMS[0]; i++)
    for (int pad = 0; pad < 3; pad++) {
      buf_reset(&b);
      buf_puts(&b, H "Flag=5;CP=&&");
      for (int j = 0; j < pad; j++) buf_puts(&b, "w01001-Rtd=7;");
      buf_printf(&b, "%s%s&&", ITEMS[i], pad == 2 ? ";P=1" : "");
      agree(buf_str(&b));
    }
  buf_free(&b);
}

/* Random edits of the public packets (bytes replaced, inserted, deleted,
** runs duplicated): the paths agree on what is refused and why. */
static void test_paths_agree_mutations(void **state) {
  (void)state;
  static const char ALPHABET[] = "=;,-_ /&.+0123456789aZ\x01\x7f\xe6\xb8\x80";
  uint64_t rng = 88172645463325252ull;
  char seg[2200];
  for (int round = 0; round < 20000; round++) {
    const char *line = packets[(size_t)round % npackets];
    size_t len = strlen(line) - 10;
    memcpy(seg, line + 6, len);
    for (int edit = 0; edit < 1 + round % 4; edit++) {
      rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
      size_t at = (size_t)(rng >> 8) % (len + 1), run = (size_t)(rng >> 40) % 40;
      char c = ALPHABET[(rng >> 24) % (sizeof ALPHABET - 1)];
      switch (rng % 4) {
      case 0: if (at < len) seg[at] = c; break;
      case 1: memmove(seg + at + 1, seg + at, len - at); seg[at] = c; len++; break;
      case 2: if (at < len) { memmove(seg + at, seg + at + 1, len - at - 1); len--; } break;
      default:
        if (run > len - at) run = len - at;
        memmove(seg + at + run, seg + at, len - at);   /* the run at AT, twice */
        len += run;
      }
    }
    agree_n(seg, len);
  }
}

/* The header, read by its fields' first bytes and 8 bytes at a time:
** every byte of two headers (2017 with PNUM/PNO, and 2005) replaced by
** each byte that means something, and fields of every length to 26. */
static void test_paths_agree_header(void **state) {
  (void)state;
  static const char *const SEGS[] = {
      "QN=20240123123205877;ST=32;CN=2011;PW=123456;MN=000101;Flag=7;PNUM=2;PNO=1;"
      "CP=&&DataTime=20240123123200&&",
      "ST=32;CN=2011;PW=1_3-5;MN=LD130133000015;CP=&&011-Rtd=231.0&&",
  };
  static const char BYTES[] = "=;,&- _/0A\x01\x7f\x80\xe6";
  char seg[256];
  for (size_t i = 0; i < sizeof SEGS / sizeof SEGS[0]; i++) {
    size_t len = strlen(SEGS[i]), head = (size_t)(strstr(SEGS[i], "CP=") - SEGS[i]);
    for (size_t at = 0; at <= head + 3; at++)
      for (size_t b = 0; b < sizeof BYTES - 1; b++) {
        memcpy(seg, SEGS[i], len);
        seg[at] = BYTES[b];
        agree_n(seg, len);
      }
  }
  struct buf b = {0};
  static const char *const FIELDS[] = {"QN=", "ST=", "CN=", "PW=", "MN=", "Flag=", "PNUM=", "PNO="};
  for (size_t f = 0; f < sizeof FIELDS / sizeof FIELDS[0]; f++)
    for (int n = 0; n <= 26; n++) {
      buf_reset(&b);
      buf_puts(&b, "ST=32;CN=2011;PW=1;MN=1;Flag=7;PNUM=2;PNO=1;");
      buf_puts(&b, FIELDS[f]);
      for (int i = 0; i < n; i++) buf_puts(&b, i % 5 ? "1" : "a");
      buf_puts(&b, ";CP=&&&&");
      agree(buf_str(&b));
    }
  buf_free(&b);
}

/* The header's byte tests, 8 at a time, against their definitions: every
** byte value at every place of every length. */
static void test_header_bytes(void **state) {
  (void)state;
  char text[40];
  for (size_t n = 0; n <= 26; n++)
    for (size_t at = 0; at < (n ? n : 1); at++)
      for (unsigned c = 0; c < 256; c++) {
        memset(text, 'a', sizeof text);
        text[at] = (char)c;
        int pw = n >= 1 && n <= HJ212_PW_MAX, mn = n >= 1 && n <= HJ212_MN_MAX;
        for (size_t i = 0; i < n; i++) {
          unsigned char x = (unsigned char)text[i];
          pw &= x > ' ' && x < 0x7F && x != '&' && x != '=' && x != ',';
          mn &= (x >= '0' && x <= '9') || ((x | 0x20) >= 'a' && (x | 0x20) <= 'z') || x == '_' ||
                x == '-';
        }
        /* the text ends right after the value, or goes on */
        for (int end = 0; end < 2; end++) {
          const char *lim = end ? text + n : text + sizeof text;
          if (valid_pw(text, n, lim, 0) != pw || valid_mn(text, n, lim, 0) != mn)
            fail_msg("byte %#x at %zu of %zu: pw %d mn %d", c, at, n, pw, mn);
        }
      }
}

/* What the parser must make of S (N bytes), by other means: the grammar
** it accepts ([+-], digits with at most one '.', at least one digit, 30
** bytes at most) checked here, the value from strtod. The parser divides
** an exact mantissa by an exact power of ten, which rounds as correctly
** as strtod, so the two agree to the bit. */
static int number_reference(const char *s, size_t n, double *out) {
  if (n == 0 || n > 30) return -1;
  size_t i = s[0] == '-' || s[0] == '+';
  int digits = 0, dots = 0;
  for (; i < n; i++) {
    if (s[i] >= '0' && s[i] <= '9') digits++;
    else if (s[i] == '.' && !dots++) continue;
    else return -1;
  }
  if (!digits) return -1;
  char tmp[32];
  memcpy(tmp, s, n);
  tmp[n] = 0;
  *out = strtod(tmp, NULL);
  return 0;
}

/* S (N bytes) converted as the parser does, between digits (so a load
** that forgot the length would see them; the parser loads the 8 bytes
** before a number's end, as CP always has them). */
static void check_number(const char *s, size_t n) {
  char buf[8 + 48], *text = buf + 8;
  memset(buf, '7', sizeof buf);
  memcpy(text, s, n);
  double want = 0, got = 0;
  int rw = number_reference(text, n, &want);
  int rg = parse_number(text, n, &got);
  if (rw != rg || (!rw && memcmp(&want, &got, sizeof got)))
    fail_msg("number '%.*s': %d %.17g, want %d %.17g", (int)n, s, rg, got, rw, want);
}

/* Every string of up to 4 characters over digits, '.', signs and two
** others; random ones of up to 12 (the 8-byte path ends at 8 after the
** sign). */
static void test_numbers(void **state) {
  (void)state;
  static const char A[] = "0123456789.-+ x";
  char s[16];
  for (size_t n = 0; n <= 4; n++) {
    size_t count = 1;
    for (size_t i = 0; i < n; i++) count *= sizeof A - 1;
    for (size_t k = 0; k < count; k++) {
      size_t x = k;
      for (size_t i = 0; i < n; i++, x /= sizeof A - 1) s[i] = A[x % (sizeof A - 1)];
      check_number(s, n);
    }
  }
  uint64_t rng = 2463534242ull;
  for (int round = 0; round < 200000; round++) {
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    size_t n = 1 + (size_t)(rng % 12);
    for (size_t i = 0; i < n; i++) s[i] = "0123456789.59-"[(rng >> (5 + 4 * i)) % (i ? 11 : 14)];
    check_number(s, n);
  }
}

/* The date conversion before it took 8 bytes at a time. */
static int time_reference(const char *s, size_t len, int allow_ms, struct hj212_time *t) {
  if (len != 14 && !(allow_ms && len == 17)) return -1;
  long f[7] = {0};
  static const int width[7] = {4, 2, 2, 2, 2, 2, 3};
  for (size_t i = 0, at = 0; i < (len == 17 ? 7u : 6u); at += (size_t)width[i++])
    for (int j = 0; j < width[i]; j++) {
      if (s[at + (size_t)j] < '0' || s[at + (size_t)j] > '9') return -1;
      f[i] = f[i] * 10 + (s[at + (size_t)j] - '0');
    }
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (f[0] < 1970 || f[0] > 2099 || f[1] < 1 || f[1] > 12 || f[2] < 1 || f[3] > 23 ||
      f[4] > 59 || f[5] > 59)
    return -1;
  int leap = (f[0] % 4 == 0 && f[0] % 100 != 0) || f[0] % 400 == 0;
  if (f[2] > (f[1] == 2 ? 28 + leap : mdays[f[1] - 1])) return -1;
  *t = (struct hj212_time){(int16_t)f[0], (uint8_t)f[1], (uint8_t)f[2], (uint8_t)f[3],
                           (uint8_t)f[4], (uint8_t)f[5], (uint16_t)f[6]};
  return 0;
}

static void check_time(const char *s, size_t len) {
  for (int ms = 0; ms < 2; ms++) {
    struct hj212_time want = {0}, got = {0};
    int rw = time_reference(s, len, ms, &want), rg = hj212_parse_time(s, len, ms, &got);
    if (rw != rg || (!rw && memcmp(&want, &got, sizeof got)))
      fail_msg("time '%.*s' (ms %d): %d, want %d", (int)len, s, rg, ms, rw);
  }
}

/* Each field at and beyond its bounds, every day of February, random
** digits and single non-digits anywhere. */
static void test_times(void **state) {
  (void)state;
  char s[32];
  for (int y = 1968; y <= 2101; y++)
    for (int mo = 0; mo <= 13; mo++)
      for (int d = 0; d <= 32; d += (mo == 2 ? 1 : 4)) {
        snprintf(s, sizeof s, "%04d%02d%02d235959999", y, mo, d);
        check_time(s, 14);
        check_time(s, 17);
      }
  for (int h = 0; h <= 99; h++) {
    snprintf(s, sizeof s, "20240229%02d%02d%02d%03d", h, (h * 7) % 100, (h * 13) % 100, h * 10);
    check_time(s, 14);
    check_time(s, 17);
  }
  uint64_t rng = 99991ull;
  for (int round = 0; round < 100000; round++) {
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    snprintf(s, sizeof s, "%04d%02d%02d%02d%02d%02d%03d", 1970 + (int)(rng % 130),
             (int)(rng >> 8 & 15) % 14, (int)(rng >> 12 & 63) % 33, (int)(rng >> 18 & 31) % 25,
             (int)(rng >> 24 & 63) % 61, (int)(rng >> 30 & 63) % 61, (int)(rng >> 40 & 1023) % 1000);
    if (rng >> 60 < 4) s[(rng >> 50) % 17] = "/:a "[rng >> 60];   /* just outside the digits */
    check_time(s, 14);
    check_time(s, 17);
    check_time(s, 15 + (rng >> 63));
  }
}

/* The field-name hash: every name in its slot, found; near misses not. */
static void test_field_names(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof SUFFIXES / sizeof SUFFIXES[0]; i++) {
    const struct suffix *e = &SUFFIXES[i];
    if (!e->len) continue;
    char buf[8 + 32], *text = buf + 8;   /* classify loads the 8 bytes before a name's end */
    memset(buf, '=', sizeof buf);
    memcpy(text, e->name, e->len);
    assert_int_equal(SUFFIX_HASH(le64(e->name)), i);
    assert_ptr_equal(classify(text, e->len), e);
    assert_int_equal(e->bit, e->kind == FK_VALUE      ? 1u << e->value
                             : e->kind == FK_FLAG     ? HJ212_HAS_FLAG
                             : e->kind == FK_EFLAG    ? HJ212_HAS_EFLAG
                             : e->kind == FK_PARAM    ? 0
                                                      : HJ212_HAS_SAMPLETIME);
    assert_null(classify(text, e->len - 1));
    text[e->len] = 'x';
    assert_null(classify(text, e->len + 1));
    text[0] ^= 0x20;
    assert_null(classify(text, e->len));
  }
}

static void test_time(void **state) {
  (void)state;
  struct hj212_time t;
  assert_int_equal(hj212_parse_time("20240229235959", 14, 0, &t), 0);
  assert_int_equal(hj212_time_seconds(&t), 1709251199);
  assert_int_equal(hj212_parse_time("20230229000000", 14, 0, &t), -1);
  assert_int_equal(hj212_parse_time("19700101000000", 14, 0, &t), 0);
  assert_int_equal(hj212_time_seconds(&t), 0);
  assert_int_equal(hj212_parse_time("20240101000000123", 17, 0, &t), -1);
  assert_int_equal(hj212_parse_time("20240101000000123", 17, 1, &t), 0);
  assert_int_equal(t.ms, 123);
  char qn[HJ212_QN_LEN + 1];
  hj212_format_qn(qn, 1470013137223LL, 8 * 3600);
  assert_string_equal(qn, "20160801085857223");
  /* seconds back to the wall clock, against gmtime_r: a day at a time
     from 1970 to 2200 (leap years, 2000, 2100), at a time of day that
     moves through all of them */
  for (int64_t s = 0; s < 7258118400LL; s += 86400 + 4999) {
    time_t tt = (time_t)s;
    struct tm tm;
    gmtime_r(&tt, &tm);
    hj212_time_of_seconds(s, &t);
    if (t.year != tm.tm_year + 1900 || t.month != tm.tm_mon + 1 || t.day != tm.tm_mday ||
        t.hour != tm.tm_hour || t.minute != tm.tm_min || t.second != tm.tm_sec)
      fail_msg("%lld: %d-%d-%d %d:%d:%d", (long long)s, t.year, t.month, t.day, t.hour, t.minute,
               t.second);
    assert_int_equal(hj212_time_seconds(&t), s);
  }
}

static void test_reason_names(void **state) {
  (void)state;
  for (int r = 0; r < HJ212_REASON_COUNT; r++) {
    const char *n = hj212_reason_name((enum hj212_reason)r);
    assert_non_null(n);
    for (const char *s = n; *s; s++) assert_true((*s >= 'a' && *s <= 'z') || *s == '_' || (*s >= '0' && *s <= '9'));
    for (int q = 0; q < r; q++) assert_string_not_equal(n, hj212_reason_name((enum hj212_reason)q));
    assert_non_null(hj212_reason_text((enum hj212_reason)r));
  }
  assert_string_equal(hj212_reason_name(HJ212_REASON_COUNT), "unknown");
  assert_string_equal(hj212_reason_name(HJ212_E_CRC_MISMATCH), "crc_mismatch");
}

/* Parse a built frame OUT (N bytes) into pkt. */
static void parse_built(const char *out, size_t n) {
  assert_true(n > 12);
  assert_memory_equal(out + n - 2, "\r\n", 2);
  assert_int_equal((size_t)atoi(out + 2), n - 12);
  char crc[5];
  memcpy(crc, out + n - 6, 4);
  crc[4] = 0;
  assert_int_equal(hj212_crc16(out + 6, n - 12), strtoul(crc, NULL, 16));
  enum hj212_reason r = hj212_parse(out + 6, n - 12, codes, &pkt);
  if (r) fail_msg("built frame refused: %s", hj212_reason_name(r));
}

static void test_build_example(void **state) {
  (void)state;
  char out[1100];
  struct hj212_target t = {"20160801085857223", "32", "100000", "010000A8900016F000169DC0",
                           HJ212_V2017, 1};
  size_t n = hj212_build_set_rtd_interval(out, sizeof out, &t, 30);
  const char *want = "##0101" EXAMPLE "1C80\r\n";
  assert_int_equal(n, strlen(want));
  assert_memory_equal(out, want, n);
  assert_int_equal(hj212_build_set_rtd_interval(out, sizeof out, &t, 29), 0);
  assert_int_equal(hj212_build_set_rtd_interval(out, sizeof out, &t, 3601), 0);
  assert_int_equal(hj212_build_set_rtd_interval(out, 100, &t, 30), 0);   /* too small */
  t.version = HJ212_V2025;
  assert_true(hj212_build_set_rtd_interval(out, sizeof out, &t, 10) > 0);
}

static void test_build_replies(void **state) {
  (void)state;
  char out[1100];
  parse_packet(5);   /* 2017 upload with A bit */
  size_t n = hj212_build_reply(out, sizeof out, &pkt, 9014, 0);
  const char *want = "QN=20240123123205877;ST=91;CN=9014;PW=123456;MN=000101;Flag=4;CP=&&&&";
  assert_int_equal(n, strlen(want) + 12);
  assert_memory_equal(out + 6, want, strlen(want));
  parse_built(out, n);
  assert_int_equal(pkt.cn, 9014);
  assert_false(hj212_wants_reply(&pkt));

  parse_packet(12);   /* 2025: the reply keeps the version bits */
  n = hj212_build_reply(out, sizeof out, &pkt, 9014, 0);
  parse_built(out, n);
  assert_int_equal(pkt.flag, 8);
  assert_str(pkt.mn, "A110000_0001");

  parse_packet(0);
  n = hj212_build_reply(out, sizeof out, &pkt, 9011, 1);
  parse_built(out, n);
  assert_str(*hj212_param(&pkt, "QnRtn"), "1");
  parse_packet(0);
  n = hj212_build_reply(out, sizeof out, &pkt, 9012, 100);
  parse_built(out, n);
  assert_str(*hj212_param(&pkt, "ExeRtn"), "100");
  parse_packet(0);
  n = hj212_build_reply(out, sizeof out, &pkt, 9012, 0);
  parse_built(out, n);
  assert_str(*hj212_param(&pkt, "ExeRtn"), "0");
  parse_packet(0);
  n = hj212_build_reply(out, sizeof out, &pkt, 9013, 0);
  parse_built(out, n);
  assert_int_equal(pkt.cn, 9013);
  parse_packet(0);
  assert_int_equal(hj212_build_reply(out, sizeof out, &pkt, 2011, 0), 0);

  parse_packet(1);   /* 2005 without QN or Flag: none in the reply either */
  n = hj212_build_reply(out, sizeof out, &pkt, 9014, 0);
  want = "ST=91;CN=9014;PW=000000;MN=LD130133000015;CP=&&&&";
  assert_memory_equal(out + 6, want, strlen(want));
  parse_built(out, n);
}

static void test_build_commands(void **state) {
  (void)state;
  char out[1100];
  struct hj212_target t = {"20160801085857223", "32", "123456", "010000A8900016F000169DC0",
                           HJ212_V2017, 1};
  size_t n = hj212_build_get_time(out, sizeof out, &t, "w01018");
  parse_built(out, n);
  assert_int_equal(pkt.cn, 1011);
  assert_str(*hj212_param(&pkt, "PolId"), "w01018");
  n = hj212_build_get_time(out, sizeof out, &t, NULL);
  parse_built(out, n);
  assert_int_equal(pkt.nparams, 0);
  n = hj212_build_set_time(out, sizeof out, &t, NULL, "20160801085857");
  parse_built(out, n);
  assert_int_equal(pkt.cn, 1012);
  assert_str(*hj212_param(&pkt, "SystemTime"), "20160801085857");
  n = hj212_build_set_time(out, sizeof out, &t, "w01018", "20160801085857");
  parse_built(out, n);
  assert_int_equal(pkt.nparams, 2);
  assert_int_equal(hj212_build_set_time(out, sizeof out, &t, NULL, "2016080108585"), 0);
  assert_int_equal(hj212_build_set_time(out, sizeof out, &t, "w0;1", "20160801085857"), 0);
  parse_built(out, hj212_build_start_realtime(out, sizeof out, &t));
  assert_int_equal(pkt.cn, 2011);
  parse_built(out, hj212_build_stop_realtime(out, sizeof out, &t));
  assert_int_equal(pkt.cn, 2012);
  parse_built(out, hj212_build_get_rtd_interval(out, sizeof out, &t));
  assert_int_equal(pkt.cn, 1061);
  parse_built(out, hj212_build_set_min_interval(out, sizeof out, &t, 10));
  assert_str(*hj212_param(&pkt, "MinInterval"), "10");
  assert_int_equal(hj212_build_set_min_interval(out, sizeof out, &t, 7), 0);
  parse_built(out, hj212_build_set_timeout(out, sizeof out, &t, 5, 3));
  assert_str(*hj212_param(&pkt, "ReCount"), "3");
  assert_int_equal(hj212_build_set_timeout(out, sizeof out, &t, 0, 3), 0);
  parse_built(out, hj212_build_get_history(out, sizeof out, &t, 2061, "20160801080000", "20160801090000"));
  assert_str(*hj212_param(&pkt, "EndTime"), "20160801090000");
  assert_int_equal(hj212_build_get_history(out, sizeof out, &t, 2061, "20160801090000", "20160801080000"), 0);
  assert_int_equal(hj212_build_get_history(out, sizeof out, &t, 2011, "20160801080000", "20160801090000"), 0);
  /* invalid targets are refused rather than sent */
  struct hj212_target bad = t;
  bad.pw = "a;b";
  assert_int_equal(hj212_build_start_realtime(out, sizeof out, &bad), 0);
  bad = t;
  bad.qn = "2016";
  assert_int_equal(hj212_build_start_realtime(out, sizeof out, &bad), 0);
  bad = t;
  bad.st = "321";
  assert_int_equal(hj212_build_start_realtime(out, sizeof out, &bad), 0);
  bad = t;
  bad.mn = "";
  assert_int_equal(hj212_build_start_realtime(out, sizeof out, &bad), 0);
  /* a CP too long for 1024 bytes */
  char big[1100];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = 0;
  char huge[4096];
  assert_int_equal(hj212_build_command(huge, sizeof huge, &t, 3021, big), 0);
  assert_int_equal(hj212_frame_build(huge, sizeof huge, big, 1025), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_crc_example),
      cmocka_unit_test(test_crc_tables),
      cmocka_unit_test(test_codes),
      cmocka_unit_test(test_codes_errors),
      cmocka_unit_test(test_worked_example),
      cmocka_unit_test(test_packet_2005_codes),
      cmocka_unit_test(test_packet_air_and_unknown_codes),
      cmocka_unit_test(test_packet_water_sampletime),
      cmocka_unit_test(test_packet_info_and_system),
      cmocka_unit_test(test_packet_long_password),
      cmocka_unit_test(test_packet_misspelt_and_trailing_semicolon),
      cmocka_unit_test(test_packet_2025),
      cmocka_unit_test(test_packet_quirks),
      cmocka_unit_test(test_every_packet_parses),
      cmocka_unit_test(test_malformed_header),
      cmocka_unit_test(test_malformed_cp),
      cmocka_unit_test(test_too_many_items),
      cmocka_unit_test(test_lenient_forms),
      cmocka_unit_test(test_paths_agree_alignments),
      cmocka_unit_test(test_paths_agree_unchecked),
      cmocka_unit_test(test_paths_agree_mutations),
      cmocka_unit_test(test_paths_agree_header),
      cmocka_unit_test(test_header_bytes),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_times),
      cmocka_unit_test(test_field_names),
      cmocka_unit_test(test_time),
      cmocka_unit_test(test_reason_names),
      cmocka_unit_test(test_build_example),
      cmocka_unit_test(test_build_replies),
      cmocka_unit_test(test_build_commands),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
