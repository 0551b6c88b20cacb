/*
** Unit tests of the `sources import` row validator (sources/import.h):
** the English and the Chinese layouts, 2005 codes mapped, and every
** error with its line and column: headers, field counts, each field's
** form, and the cross-row checks; any error returns no record.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_sources_common.h"
#include "hj212/hj212.h"
#include "sources/import.h"

static struct src_import_layout L;
static struct hj212_codes *CODES;

static int setup(void **state) {
  (void)state;
  size_t len;
  char err[200];
  char *csv = test_read_file("data/sources/import_layout.csv", &len);
  int rc = src_import_layout_load(&L, csv, len, err, sizeof err);
  free(csv);
  if (rc) fprintf(stderr, "%s\n", err);
  CODES = test_hj212_codes();
  return rc;
}

static int teardown(void **state) {
  (void)state;
  hj212_codes_free(CODES);
  return 0;
}

#define NCOL 12
static const char *const EN[NCOL] = {"enterprise", "credit_code", "county", "permit_no",
                                     "outlet_code", "outlet_name", "outlet_kind", "station_mn",
                                     "pollutant", "limit", "limit_period", "annual_limit_t"};

/* A sewage plant with a water outlet (COD, NH3-N, pH) and a boiler with
** a gas outlet (SO2). The credit codes are published ones (see
** test_sources_credit.c); the rest is made up. */
static const char *GOOD[][NCOL] = {
  {"十堰市神定河污水处理厂", "91420684MA4927PJ7B", "张湾区", "91420684MA4927PJ7B001V", "DW001",
   "总排口", "water", "SD_DW001", "w01018", "50", "day", "1825"},
  {"十堰市神定河污水处理厂", "91420684MA4927PJ7B", "张湾区", "91420684MA4927PJ7B001V", "DW001",
   "总排口", "water", "SD_DW001", "w21003", "5", "day", "182.5"},
  {"十堰市神定河污水处理厂", "91420684MA4927PJ7B", "张湾区", "91420684MA4927PJ7B001V", "DW001",
   "总排口", "water", "SD_DW001", "w01001", "6-9", "day", ""},
  {"某热电公司", "91110000600037341L", "茅箭区", "91110000600037341L001P", "DA001",
   "锅炉烟囱", "gas", "RD_DA001", "a21026", "35", "hour", "12.6"},
};

/* Rows of a test file: the header and up to 8 records, each a copy that
** a test may change. */
struct file {
  const char *cells[9][NCOL];
  const char *const *ptr[9];
  struct src_import_row rows[9];
  size_t n;
};

static void file_init(struct file *f, const char *const *header, size_t records) {
  memcpy(f->cells[0], header, sizeof f->cells[0]);
  for (size_t i = 0; i < records; i++) memcpy(f->cells[i + 1], GOOD[i], sizeof f->cells[0]);
  f->n = records + 1;
  for (size_t i = 0; i < f->n; i++)
    f->rows[i] = (struct src_import_row){(int)i + 1, NCOL, f->cells[i]};
}

static int run(struct file *f, struct src_import_result *r) {
  return src_import_rows(&L, CODES, f->rows, f->n, r);
}

/* Exactly one error, at LINE and COLUMN (1-based), whose message has PART. */
static void expect_one_error(struct file *f, int line, int column, const char *part) {
  struct src_import_result r;
  assert_int_equal(run(f, &r), -1);
  assert_null(r.records);
  assert_int_equal(r.n, 0);
  if (r.total_errors != 1) {
    for (size_t i = 0; i < r.nerrors; i++) fprintf(stderr, "  %d:%d %s\n", r.errors[i].line, r.errors[i].column, r.errors[i].message);
    fail_msg("%zu errors, expected one", r.total_errors);
  }
  assert_int_equal(r.errors[0].line, line);
  assert_int_equal(r.errors[0].column, column);
  if (!strstr(r.errors[0].message, part)) fail_msg("'%s' not in '%s'", part, r.errors[0].message);
  src_import_result_free(&r);
}

static void test_english_layout(void **state) {
  (void)state;
  struct file f;
  struct src_import_result r;
  file_init(&f, EN, 4);
  assert_int_equal(run(&f, &r), 0);
  assert_int_equal(r.n, 4);
  assert_int_equal(r.total_errors, 0);
  const struct src_import_record *a = &r.records[0], *ph = &r.records[2], *gas = &r.records[3];
  assert_string_equal(a->enterprise, "十堰市神定河污水处理厂");
  assert_string_equal(a->credit_code, "91420684MA4927PJ7B");
  assert_string_equal(a->outlet_code, "DW001");
  assert_int_equal(a->outlet_kind, SRC_OUTLET_WATER);
  assert_string_equal(a->station_mn, "SD_DW001");
  assert_string_equal(a->pollutant, "w01018");
  assert_int_equal(a->limit.kind, SRC_LIMIT_UPPER);
  assert_double_equal(a->limit.value, 50, 0);
  assert_int_equal(a->limit_period, SRC_PERIOD_DAY);
  assert_double_equal(a->annual_limit_t, 1825, 0);
  assert_int_equal(a->line, 2);
  assert_int_equal(ph->limit.kind, SRC_LIMIT_RANGE);
  assert_true(isnan(ph->annual_limit_t));
  assert_int_equal(gas->outlet_kind, SRC_OUTLET_GAS);
  assert_int_equal(gas->limit_period, SRC_PERIOD_HOUR);
  src_import_result_free(&r);
}

static void test_chinese_layout_any_order(void **state) {
  (void)state;
  /* Chinese headers and values, columns reversed, one English header
  ** left, blanks around values, a 2005 code (011 = COD) mapped. */
  static const char *const ZH[NCOL] = {"年许可排放量(吨)", "限值时段", "许可排放浓度限值", "污染物代码",
                                       "监测设备MN号", "排放口类型", "排放口名称", "outlet_code",
                                       "排污许可证编号", "所在区县", "统一社会信用代码", "企业名称"};
  struct file f;
  file_init(&f, ZH, 0);
  const char *row[NCOL] = {" 1825 ", "日", "50", "011", "SD_DW001", "废水", "总排口", "DW001",
                           "91420684MA4927PJ7B001V", "张湾区", "91420684MA4927PJ7B", "十堰市神定河污水处理厂"};
  memcpy(f.cells[1], row, sizeof row);
  const char *gas[NCOL] = {"", "小时", "35", "a21026", "", "废气", "锅炉", "DA001",
                           "91420684MA4927PJ7B001V", "张湾区", "91420684MA4927PJ7B", "十堰市神定河污水处理厂"};
  memcpy(f.cells[2], gas, sizeof gas);
  f.n = 3;
  f.rows[1] = (struct src_import_row){2, NCOL, f.cells[1]};
  f.rows[2] = (struct src_import_row){3, NCOL, f.cells[2]};
  struct src_import_result r;
  assert_int_equal(run(&f, &r), 0);
  assert_int_equal(r.n, 2);
  assert_string_equal(r.records[0].pollutant, "w01018");
  assert_int_equal(r.records[0].limit_period, SRC_PERIOD_DAY);
  assert_double_equal(r.records[0].annual_limit_t, 1825, 0);
  assert_int_equal(r.records[1].outlet_kind, SRC_OUTLET_GAS);
  assert_int_equal(r.records[1].limit_period, SRC_PERIOD_HOUR);
  assert_string_equal(r.records[1].station_mn, "");
  src_import_result_free(&r);
}

static void test_header_errors(void **state) {
  (void)state;
  struct file f;
  const char *h[NCOL];
  memcpy(h, EN, sizeof h);
  h[4] = "outlet";
  file_init(&f, h, 1);
  struct src_import_result r;
  /* An unknown header (column 5) and so no outlet_code column. */
  assert_int_equal(run(&f, &r), -1);
  assert_int_equal(r.total_errors, 2);
  assert_int_equal(r.errors[0].line, 1);
  assert_int_equal(r.errors[0].column, 5);
  assert_string_equal(r.errors[0].header, "outlet");
  assert_non_null(strstr(r.errors[0].message, "unknown header 'outlet'"));
  assert_int_equal(r.errors[1].column, 0);
  assert_non_null(strstr(r.errors[1].message, "no outlet_code (排放口编号) column"));
  src_import_result_free(&r);
  /* The same field twice, once in each language. */
  h[4] = "企业名称";
  file_init(&f, h, 1);
  assert_int_equal(run(&f, &r), -1);
  assert_int_equal(r.errors[0].column, 5);
  assert_non_null(strstr(r.errors[0].message, "a second enterprise column"));
  src_import_result_free(&r);
  /* No rows at all. */
  assert_int_equal(src_import_rows(&L, CODES, NULL, 0, &r), -1);
  assert_non_null(strstr(r.errors[0].message, "no header"));
  src_import_result_free(&r);
  /* A header alone: no records, no error. */
  file_init(&f, EN, 0);
  assert_int_equal(run(&f, &r), 0);
  assert_int_equal(r.n, 0);
  src_import_result_free(&r);
}

static void test_field_errors(void **state) {
  (void)state;
  struct file f;
  /* Each case: column (1-based), the bad value, what the message says. */
  static const struct { int col; const char *value, *part; } cases[] = {
    {1, "", "enterprise is empty"},
    {1, "   ", "enterprise is empty"},
    {2, "91420684MA4927PJ7C", "position 18: 'C', but the GB 32100 check character is 'B'"},
    {2, "91420684MA4927PJ8B", "position 17"},
    {2, "9142068", "7 characters"},
    {2, "91420684MA4927PJ7B0", "longer than 18 bytes"},
    {3, "", "county is empty"},
    {4, "", "permit_no is empty"},
    {5, "", "outlet_code is empty"},
    {6, "", "outlet_name is empty"},
    {7, "river", "outlet_kind 'river' is not water (废水) or gas (废气)"},
    {8, "SD DW001", "station_mn 'SD DW001'"},
    {8, "A1234567890123456789012345678901", "longer than 31 bytes"},
    {8, "A1234567890123456789012345", "is not 1-24 letters"},
    {8, "A123456789012345678901234", "station_mn"},
    {9, "w99999", "pollutant 'w99999' is not an HJ 212 code"},
    {9, "a21026", "pollutant a21026 (二氧化硫) is not a water code"},
    {9, "", "pollutant is empty"},
    {10, "0", "limit '0' is not a number above 0"},
    {10, "50mg/L", "limit '50mg/L'"},
    {10, "9-6", "limit '9-6'"},
    {11, "month", "limit_period 'month' is not hour (小时) or day (日)"},
    {12, "-1", "annual_limit_t '-1'"},
    {12, "十吨", "annual_limit_t"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    file_init(&f, EN, 2);
    f.cells[2][cases[i].col - 1] = cases[i].value;
    expect_one_error(&f, 3, cases[i].col, cases[i].part);
  }
  /* A gas outlet with a water code. */
  file_init(&f, EN, 4);
  f.cells[4][8] = "w01018";
  expect_one_error(&f, 5, 9, "not a gas code");
}

static void test_row_length(void **state) {
  (void)state;
  struct file f;
  file_init(&f, EN, 2);
  f.rows[2].nfields = 11;
  expect_one_error(&f, 3, 0, "11 fields, the header has 12");
}

static void test_cross_row_errors(void **state) {
  (void)state;
  struct file f;
  file_init(&f, EN, 4);
  f.cells[2][0] = "神定河污水处理厂";
  expect_one_error(&f, 3, 1, "differs from line 2's '十堰市神定河污水处理厂' for the same credit code");
  file_init(&f, EN, 4);
  f.cells[3][2] = "茅箭区";
  expect_one_error(&f, 4, 3, "county");
  file_init(&f, EN, 4);
  f.cells[2][3] = "X";
  expect_one_error(&f, 3, 4, "permit_no");
  file_init(&f, EN, 4);
  f.cells[2][5] = "另一排口";
  expect_one_error(&f, 3, 6, "for the same outlet");
  file_init(&f, EN, 4);
  f.cells[2][7] = "SD_DW002";
  expect_one_error(&f, 3, 8, "station_mn 'SD_DW002' differs");
  file_init(&f, EN, 4);
  f.cells[2][8] = "w01018";
  expect_one_error(&f, 3, 9, "pollutant w01018 is listed for this outlet on line 2 already");
  /* The 2005 code of a pollutant already listed is the same pollutant. */
  file_init(&f, EN, 4);
  f.cells[2][8] = "011";
  expect_one_error(&f, 3, 9, "listed for this outlet on line 2");
  /* One MN for two outlets. */
  file_init(&f, EN, 4);
  f.cells[4][7] = "SD_DW001";
  expect_one_error(&f, 5, 8, "station_mn SD_DW001 belongs to another outlet (line 2)");
  /* One outlet with two kinds: reported on the kind and on the pollutant. */
  file_init(&f, EN, 4);
  f.cells[2][6] = "gas";
  f.cells[2][8] = "a21026";
  expect_one_error(&f, 3, 7, "outlet_kind differs from line 2's");
}

static void test_all_errors_reported(void **state) {
  (void)state;
  /* Errors on several rows: all of them, in order, and no record. */
  struct file f;
  file_init(&f, EN, 4);
  f.cells[1][1] = "91420684MA4927PJ7C";
  f.cells[3][9] = "x";
  f.cells[4][10] = "week";
  struct src_import_result r;
  assert_int_equal(run(&f, &r), -1);
  assert_null(r.records);
  assert_int_equal(r.total_errors, 3);
  assert_int_equal(r.errors[0].line, 2);
  assert_string_equal(r.errors[0].header, "credit_code");
  assert_int_equal(r.errors[1].line, 4);
  assert_int_equal(r.errors[1].column, 10);
  assert_int_equal(r.errors[2].line, 5);
  assert_int_equal(r.errors[2].column, 11);
  src_import_result_free(&r);
}

static void test_layout_errors(void **state) {
  (void)state;
  struct src_import_layout l;
  char err[200];
  const char *bad[][2] = {
    {"kind,key\nheader,enterprise\n", "header needs"},
    {"kind,key,zh\nheader,enterprise,企业名称\n", "has no row"},
    {"kind,key,zh\nheader,nothing,名称\n", "line 2"},
    {"kind,key,zh\nheader,enterprise,企业名称\nheader,enterprise,企业\n", "line 3"},
    {"kind,key,zh\nheader,enterprise,\n", "line 2"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(src_import_layout_load(&l, bad[i][0], strlen(bad[i][0]), err, sizeof err), -1);
    if (!strstr(err, bad[i][1])) fail_msg("'%s' not in '%s'", bad[i][1], err);
  }
  assert_string_equal(src_import_field_name(SRC_F_ANNUAL_LIMIT_T), "annual_limit_t");
  assert_string_equal(L.header_zh[SRC_F_CREDIT_CODE], "统一社会信用代码");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_english_layout),
    cmocka_unit_test(test_chinese_layout_any_order),
    cmocka_unit_test(test_header_errors),
    cmocka_unit_test(test_field_errors),
    cmocka_unit_test(test_row_length),
    cmocka_unit_test(test_cross_row_errors),
    cmocka_unit_test(test_all_errors_reported),
    cmocka_unit_test(test_layout_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
