/*
** Unit tests of the stored form of a packet's values (src/hj212/record.c,
** hj212_record_json): the JSON each upload is kept as, checked exactly on
** chosen packets, read back with jansson for every public packet (the same
** numbers as the parser's), and sized for the worst segment the framer
** can pass. Runs from the source root to read data/ and tests/data/.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "hj212/hj212.h"
#include "util/buf.h"

static struct hj212_codes *codes;
static struct hj212_packet pkt;

static int setup(void **state) {
  (void)state;
  codes = test_hj212_codes();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  hj212_codes_free(codes);
  return 0;
}

/* The record of the data segment SEG (parsed with the code table). */
static const char *record_of(const char *seg) {
  static char out[HJ212_RECORD_MAX];
  enum hj212_reason r = hj212_parse(seg, strlen(seg), codes, &pkt);
  if (r) fail_msg("parse: %s at '%.*s'", hj212_reason_name(r), (int)pkt.error_at.len, pkt.error_at.p);
  if (!hj212_record_json(&pkt, out, sizeof out)) fail_msg("record did not fit");
  return out;
}

#define HEAD "QN=20240123123205877;ST=32;CN=2011;PW=123456;MN=000101;Flag=5;CP=&&DataTime=20240123123200;"

static void test_values_flags_and_times(void **state) {
  (void)state;
  assert_string_equal(record_of(HEAD "w01018-SampleTime=20240123110306,w01018-Rtd=4653.8,"
                                     "w01018-Flag=N;w21003-Avg=0.050,w21003-Min=0.01,"
                                     "w21003-Max=0.09,w21003-Cou=12.5,w21003-EFlag=A01&&"),
                      "{\"w01018\":{\"Rtd\":4653.8,\"Flag\":\"N\",\"SampleTime\":\"2024-01-23 11:03:06\"},"
                      "\"w21003\":{\"Avg\":0.050,\"Min\":0.01,\"Max\":0.09,\"Cou\":12.5,\"EFlag\":\"A01\"}}");
  assert_string_equal(record_of(HEAD "a34004-ZsRtd=3,a34004-ZsAvg=4,a34004-ZsMin=5,a34004-ZsMax=6&&"),
                      "{\"a34004\":{\"ZsRtd\":3,\"ZsAvg\":4,\"ZsMin\":5,\"ZsMax\":6}}");
}

/* Spellings the parser accepts and JSON does not. */
static void test_numbers_as_json(void **state) {
  (void)state;
  static const struct { const char *sent, *json; } cases[] = {
      {"1", "1"},         {"+1", "1"},     {".5", "0.5"},    {"-.5", "-0.5"},  {"+.5", "0.5"},
      {"5.", "5"},        {"-5.", "-5"},   {"007", "7"},     {"000.25", "0.25"}, {"0", "0"},
      {"-0.0", "-0.0"},   {"0.050", "0.050"}, {"12345678901234567890", "12345678901234567890"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char seg[256], want[128];
    snprintf(seg, sizeof seg, HEAD "w01010-Rtd=%s&&", cases[i].sent);
    snprintf(want, sizeof want, "{\"w01010\":{\"Rtd\":%s}}", cases[i].json);
    assert_string_equal(record_of(seg), want);
  }
}

/* A 2005 code is stored under its 2017 code with the code as sent; a code
** in no table is kept and marked. */
static void test_mapped_and_unknown_codes(void **state) {
  (void)state;
  assert_string_equal(record_of("ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817;"
                                "011-Rtd=231.0,011-Flag=N;ele01-Rtd=1&&"),
                      "{\"w01018\":{\"Rtd\":231.0,\"Flag\":\"N\",\"sent\":\"011\"},"
                      "\"ele01\":{\"Rtd\":1,\"unknown\":1}}");
  assert_string_equal(record_of(HEAD "RtdInterval=30&&"), "{}");
}

/* Every public packet: valid JSON, one member per pollutant, the numbers
** the parser read. */
static void test_public_packets_read_back(void **state) {
  (void)state;
  size_t len;
  char *text = test_read_file("tests/data/hj212/public_packets.txt", &len);
  int checked = 0;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    /* "##" LLLL segment CCCC */
    size_t n = strlen(line);
    char seg[HJ212_SEGMENT_MAX + 1];
    snprintf(seg, sizeof seg, "%.*s", (int)(n - 10), line + 6);
    const char *rec = record_of(seg);
    json_error_t jerr;
    json_t *o = json_loads(rec, JSON_DISABLE_EOF_CHECK, &jerr);
    if (!o) fail_msg("%s: %s in %s", seg, jerr.text, rec);
    assert_int_equal(json_object_size(o), pkt.npollutants);
    for (size_t i = 0; i < pkt.npollutants; i++) {
      const struct hj212_pollutant *x = &pkt.pollutants[i];
      char code[32];
      snprintf(code, sizeof code, "%.*s", (int)x->code2017.len, x->code2017.p);
      json_t *fields = json_object_get(o, code);
      assert_non_null(fields);
      for (int k = 0; k < HJ212_NVALUES; k++) {
        json_t *v = json_object_get(fields, hj212_value_name((enum hj212_value)k));
        assert_int_equal(v != NULL, (x->present >> k) & 1);
        if (v) assert_true(json_number_value(v) == x->v[k]);
      }
    }
    json_decref(o);
    checked++;
  }
  free(text);
  assert_int_equal(checked, 18);
}

/* The longest records: a full 1024-byte segment of the shortest items,
** as unknown codes (each gains "unknown":1) and as mapped 2005 codes of the
** table (each gains its 2017 code and "sent"). */
static void test_worst_case_fits(void **state) {
  (void)state;
  size_t len;
  char *csv = test_read_file("data/hj212/factor_codes.csv", &len);
  struct buf unknown = {0}, mapped = {0};
  buf_puts(&unknown, "ST=32;CN=2011;PW=123456;MN=M;CP=&&DataTime=20240123123200");
  buf_puts(&mapped, unknown.data);
  for (int i = 0; unknown.len + 16 < HJ212_SEGMENT_MAX && i < HJ212_MAX_POLLUTANTS; i++)
    buf_printf(&unknown, ";x%d-Rtd=%d", i, i % 10);
  /* old codes: the second column of each row that has one */
  for (char *line = strtok(csv, "\n"); line; line = strtok(NULL, "\n")) {
    char *old = strchr(line, ',');
    size_t n = old ? strcspn(old + 1, ",") : 0;
    if (n == 0 || n > 3 || !strncmp(old + 1, "old", 3) || mapped.len + n + 8 >= HJ212_SEGMENT_MAX) continue;
    buf_printf(&mapped, ";%.*s-Rtd=1", (int)n, old + 1);
  }
  buf_puts(&unknown, "&&");
  buf_puts(&mapped, "&&");
  char out[HJ212_RECORD_MAX];
  const struct buf *segs[] = {&unknown, &mapped};
  for (int i = 0; i < 2; i++) {
    if (segs[i]->len > HJ212_SEGMENT_MAX || segs[i]->len < HJ212_SEGMENT_MAX - 100) fail_msg("%zu bytes", segs[i]->len);
    enum hj212_reason r = hj212_parse(segs[i]->data, segs[i]->len, codes, &pkt);
    if (r) fail_msg("%s at '%.*s'", hj212_reason_name(r), (int)pkt.error_at.len, pkt.error_at.p);
    assert_true(pkt.npollutants > 60);
    size_t n = hj212_record_json(&pkt, out, sizeof out);
    assert_true(n > 0 && n < sizeof out);
  }
  /* too small a buffer: 0 */
  assert_int_equal(hj212_record_json(&pkt, out, 8), 0);
  buf_free(&unknown);
  buf_free(&mapped);
  free(csv);
}

static void test_format_time(void **state) {
  (void)state;
  struct hj212_time t = {.year = 2026, .month = 1, .day = 2, .hour = 3, .minute = 4, .second = 5};
  char out[20];
  hj212_format_time(&t, out);
  assert_string_equal(out, "2026-01-02 03:04:05");
  t = (struct hj212_time){.year = 1999, .month = 12, .day = 31, .hour = 23, .minute = 59, .second = 59};
  hj212_format_time(&t, out);
  assert_string_equal(out, "1999-12-31 23:59:59");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_values_flags_and_times),
      cmocka_unit_test(test_numbers_as_json),
      cmocka_unit_test(test_mapped_and_unknown_codes),
      cmocka_unit_test(test_public_packets_read_back),
      cmocka_unit_test(test_worst_case_fits),
      cmocka_unit_test(test_format_time),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
