/*
** Printable tables (src/util/table.c): cell text by kind (times in China time), the
** width columns are fitted to, the language of a request, file names.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/table.h"

static void test_cell_text(void **state) {
  (void)state;
  json_t *row = json_pack("{s:f,s:f,s:i,s:n,s:b,s:s,s:{s:s},s:f}", "rate", 0.6363636363636364, "score", 40.555,
                          "n", 36, "none", "ok", 1, "at", "2026-01-01T00:00:00Z", "c", "text", "23 / 36",
                          "v", 5.7930000000000001);
  json_object_set_new(row, "decimals", json_integer(2));
  const struct table_column rate = {"达标率", "Rate", "rate", TABLE_PERCENT, 1, NULL},
                            score = {"得分", "Score", "score", TABLE_FIXED, 2, NULL},
                            n = {"月数", "Months", "n", TABLE_INT, 0, NULL},
                            none = {"罚款", "Penalty", "none", TABLE_FIXED, 0, NULL},
                            missing = {"x", "x", "absent", TABLE_TEXT, 0, NULL},
                            ok = {"合格", "Passed", "ok", TABLE_BOOL, 0, NULL},
                            at = {"时间", "At", "at", TABLE_TIME, 0, NULL},
                            nested = {"有数据", "Data", "c.text", TABLE_TEXT, 0, NULL},
                            value = {"值", "Value", "v", TABLE_FIXED, 3, "decimals"};
  char out[64];
  table_text(&rate, row, TABLE_ZH, out, sizeof out);
  assert_string_equal(out, "63.6%");
  table_text(&score, row, TABLE_ZH, out, sizeof out);
  assert_string_equal(out, "40.55");       /* 40.555 is 40.55499… in binary */
  table_text(&n, row, TABLE_ZH, out, sizeof out);
  assert_string_equal(out, "36");
  table_text(&none, row, TABLE_ZH, out, sizeof out);
  assert_string_equal(out, "—");
  table_text(&missing, row, TABLE_ZH, out, sizeof out);
  assert_string_equal(out, "");
  table_text(&ok, row, TABLE_ZH, out, sizeof out);
  assert_string_equal(out, "是");
  table_text(&ok, row, TABLE_EN, out, sizeof out);
  assert_string_equal(out, "yes");
  table_text(&at, row, TABLE_ZH, out, sizeof out);
  assert_string_equal(out, "2026-01-01 08:00");
  table_text(&nested, row, TABLE_ZH, out, sizeof out);
  assert_string_equal(out, "23 / 36");
  table_text(&value, row, TABLE_ZH, out, sizeof out);    /* the row's own decimals */
  assert_string_equal(out, "5.79");
  json_decref(row);
}

static void test_width_and_language(void **state) {
  (void)state;
  assert_int_equal(table_text_width("abc"), 3);
  assert_int_equal(table_text_width("丹江口市"), 8);
  assert_int_equal(table_text_width("Ⅲ类 — 4.0"), 10);  /* Ⅲ and 类 count 2, the dash 1 */
  enum table_lang lang = TABLE_ZH;
  assert_int_equal(table_lang_parse("en", "zh-CN", &lang), 0);
  assert_int_equal(lang, TABLE_EN);
  assert_int_equal(table_lang_parse("zh", "en-US", &lang), 0);
  assert_int_equal(lang, TABLE_ZH);
  assert_int_equal(table_lang_parse(NULL, "en-GB,en;q=0.9", &lang), 0);
  assert_int_equal(lang, TABLE_EN);
  assert_int_equal(table_lang_parse(NULL, "zh-CN,zh;q=0.9,en;q=0.8", &lang), 0);
  assert_int_equal(lang, TABLE_ZH);
  assert_int_equal(table_lang_parse(NULL, NULL, &lang), 0);
  assert_int_equal(lang, TABLE_ZH);
  assert_int_equal(table_lang_parse("fr", NULL, &lang), -1);
  assert_int_equal(table_lang_parse("english", NULL, &lang), -1);
}

static void test_file_name_and_sheets(void **state) {
  (void)state;
  struct table_doc d = {.stem = "水质月度考核", .period = "2026-05"};
  char name[TABLE_FILE_NAME_SIZE];
  table_file_name(&d, "xlsx", name, sizeof name);
  assert_string_equal(name, "水质月度考核_2026-05.xlsx");
  static const struct table_column cols[] = {{"区县", "County", "county", TABLE_TEXT, 0, NULL}};
  for (int i = 0; i < TABLE_MAX_SHEETS; i++)
    assert_non_null(table_add_sheet(&d, "s", cols, 1, json_array(), "第 %d 张", i + 1));
  assert_string_equal(d.sheets[1].title, "第 2 张");
  assert_null(table_add_sheet(&d, "s", cols, 1, json_array(), "one too many"));   /* rows freed */
  table_doc_free(&d);
  assert_int_equal(d.nsheets, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cell_text),
      cmocka_unit_test(test_width_and_language),
      cmocka_unit_test(test_file_name_and_sheets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
