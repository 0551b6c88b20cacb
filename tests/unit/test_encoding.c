/*
** Unit tests of text decoding (src/util/encoding.c): the encodings offices
** save text in, detected by their BOM or their bytes, or named; the first
** bad byte's offset and line, and a character cut by the end of the file.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/encoding.h"

/* 中文 a\n in each encoding */
#define UTF8_TEXT "\xE4\xB8\xAD\xE6\x96\x87 a\n"
static const char GB[] = "\xD6\xD0\xCE\xC4 a\n";
static const char LE[] = "\xFF\xFE\x2D\x4E\x87\x65 \0a\0\n\0";
static const char BE[] = "\xFE\xFF\x4E\x2D\x65\x87\0 \0a\0\n";

static void expect_text(const char *data, size_t len, const char *encoding, const char *used_want) {
  char err[256] = "";
  size_t n;
  const char *used;
  char *t = text_decode(data, len, encoding, &n, &used, err, sizeof err);
  if (!t) fail_msg("%s: %s", used_want, err);
  assert_int_equal(n, strlen(UTF8_TEXT));
  assert_memory_equal(t, UTF8_TEXT, n);
  assert_string_equal(used, used_want);
  free(t);
}

static void expect_error(const char *data, size_t len, const char *encoding, const char *want) {
  char err[256] = "";
  size_t n;
  const char *used;
  char *t = text_decode(data, len, encoding, &n, &used, err, sizeof err);
  assert_null(t);
  if (!strstr(err, want)) fail_msg("'%s' does not say '%s'", err, want);
}

static void test_detected(void **state) {
  (void)state;
  expect_text(UTF8_TEXT, strlen(UTF8_TEXT), NULL, "UTF-8");
  expect_text("\xEF\xBB\xBF" UTF8_TEXT, strlen(UTF8_TEXT) + 3, NULL, "UTF-8");
  expect_text(GB, sizeof GB - 1, NULL, "GB18030");
  expect_text(LE, sizeof LE - 1, NULL, "UTF-16LE");
  expect_text(BE, sizeof BE - 1, NULL, "UTF-16BE");
}

static void test_named(void **state) {
  (void)state;
  expect_text(GB, sizeof GB - 1, "GBK", "GBK");
  expect_text(LE + 2, sizeof LE - 3, "UTF-16LE", "UTF-16LE");   /* no BOM */
  expect_text(LE, sizeof LE - 1, "UTF-16", "UTF-16");           /* iconv reads the BOM */
  expect_error(GB, sizeof GB - 1, "UTF-8", "not valid UTF-8: byte 0xD6 at offset 0 (line 1)");
  expect_error(GB, sizeof GB - 1, "EBCDIC-NOPE", "unknown encoding 'EBCDIC-NOPE'");
}

static void test_bad_bytes(void **state) {
  (void)state;
  /* a UTF-8 text with one bad byte on line 3 is a damaged UTF-8 text */
  const char u[] = "\xE4\xB8\xAD\n\xE6\x96\x87\n\xE4\xB8\xAD\xFF\xE6\x96\x87";
  expect_error(u, sizeof u - 1, NULL, "not valid UTF-8: byte 0xFF at offset 11 (line 3)");
  /* a GB18030 text with a byte no GB18030 sequence starts with */
  const char g[] = "\xD6\xD0\n\xCE\xC4\x80";
  expect_error(g, sizeof g - 1, NULL, "not valid GB18030: byte 0x80 at offset 5 (line 2)");
  expect_error("\xFF\xFE\x00\xD8", 4, NULL, "ends inside a UTF-16LE character at byte offset 2");
}

static void test_cut_short(void **state) {
  (void)state;
  const char u[] = "\xE4\xB8\xAD\n\xE6\x96";
  expect_error(u, sizeof u - 1, NULL,
               "the text ends inside a UTF-8 character at byte offset 4 (line 2): the file is cut short");
  const char g[] = "\xD6\xD0\n\xCE";
  expect_error(g, sizeof g - 1, NULL, "ends inside a GB18030 character at byte offset 3 (line 2)");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_detected),
      cmocka_unit_test(test_named),
      cmocka_unit_test(test_bad_bytes),
      cmocka_unit_test(test_cut_short),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
