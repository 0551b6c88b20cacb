/*
** Acceptance on real data: the CNEMC national real-time water data of
** November 2025 (tests/data/water/, 8,209 rows with a published class).
** Each row is turned into a `water classify` input row from its raw
** (unrounded) values and its section's water-body type
** (tests/data/water/cnemc_section_types.csv, derived as its README says);
** the class and label that classify computes must equal the published
** ones on every row.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "test_water_common.h"
#include "util/csv.h"
#include "water/classify.h"

#define DATA "tests/data/water/cnemc_auto_national_2025-11.csv"
#define TYPES "tests/data/water/cnemc_section_types.csv"
#define MAX_SECTIONS 4096

static struct water_standard std;

/* classify's item column <- the CNEMC raw column */
static const char *const columns[][2] = {
  {"WT", "water_temp_C_raw"}, {"PH", "pH_raw"}, {"DO", "DO_mg_L_raw"},
  {"CODMN", "CODMn_mg_L_raw"}, {"NH3N", "NH3N_mg_L_raw"}, {"TP", "TP_mg_L_raw"},
  {"TN", "TN_mg_L_raw"},
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

struct section_type {
  char *key;        /* province|city|river|section */
  char *type;
};

static struct section_type types[MAX_SECTIONS];
static int ntypes;

static char *section_key(const struct csv_reader *r, const int *col) {
  struct buf k = {0};
  buf_printf(&k, "%s|%s|%s|%s", r->fields[col[0]], r->fields[col[1]],
             r->fields[col[2]], r->fields[col[3]]);
  return k.data;
}

static void key_columns(const struct csv_reader *r, int *col) {
  const char *names[] = {"province", "city", "river", "section"};
  for (int i = 0; i < 4; i++) {
    col[i] = csv_column(r, names[i]);
    assert_true(col[i] >= 0);
  }
}

static void load_types(void) {
  struct buf text = {0};
  struct csv_reader r;
  int col[4];
  read_file_or_die(TYPES, &text);
  csv_init(&r, buf_str(&text), text.len);
  assert_int_equal(csv_next(&r), 1);
  key_columns(&r, col);
  int type = csv_column(&r, "type");
  while (csv_next(&r) == 1) {
    assert_true(ntypes < MAX_SECTIONS);
    types[ntypes].key = section_key(&r, col);
    types[ntypes++].type = xstrdup(r.fields[type]);
  }
  buf_free(&text);
}

static const char *type_of(const char *key) {
  for (int i = 0; i < ntypes; i++)
    if (!strcmp(types[i].key, key)) return types[i].type;
  fail_msg("no type for section %s", key);
  return NULL;
}

/* The classify input for every row with a published class; the published
** classes and labels, in the same order, into CLASSES and LABELS. */
static int build_input(struct buf *in, struct buf *classes, struct buf *labels) {
  struct buf text = {0};
  struct csv_reader r;
  int col[4], src[NCOLUMNS], rows = 0;
  read_file_or_die(DATA, &text);
  csv_init(&r, buf_str(&text), text.len);
  assert_int_equal(csv_next(&r), 1);
  key_columns(&r, col);
  int cls = csv_column(&r, "class_num"), roman = csv_column(&r, "class_roman");
  int time = csv_column(&r, "observed_at");
  buf_puts(in, "section,type,time");
  for (size_t i = 0; i < NCOLUMNS; i++) {
    src[i] = csv_column(&r, columns[i][1]);
    assert_true(src[i] >= 0);
    buf_printf(in, ",%s", columns[i][0]);
  }
  buf_puts(in, "\n");
  while (csv_next(&r) == 1) {
    if (!*r.fields[cls]) continue;
    char *key = section_key(&r, col);
    water_csv_field(in, key);
    buf_printf(in, ",%s,%s", type_of(key), r.fields[time]);
    free(key);
    for (size_t i = 0; i < NCOLUMNS; i++) buf_printf(in, ",%s", r.fields[src[i]]);
    buf_puts(in, "\n");
    buf_printf(classes, "%s\n", r.fields[cls]);
    buf_printf(labels, "%s\n", r.fields[roman]);
    rows++;
  }
  buf_free(&text);
  return rows;
}

static void test_cnemc_published_classes(void **state) {
  (void)state;
  struct buf in = {0}, out = {0}, classes = {0}, labels = {0};
  int rows = build_input(&in, &classes, &labels);
  assert_int_equal(rows, 8209);
  char err[256];
  int rc = water_classify_csv(&std, buf_str(&in), in.len, &out, err, sizeof err);
  if (rc) fail_msg("classify: %s", err);
  /* walk the output next to the published classes */
  struct csv_reader r;
  csv_init(&r, buf_str(&out), out.len);
  assert_int_equal(csv_next(&r), 1);
  int c_cls = csv_column(&r, "class"), c_label = csv_column(&r, "class_label");
  const char *pc = buf_str(&classes), *pl = buf_str(&labels);
  int agree = 0, n = 0;
  while (csv_next(&r) == 1) {
    size_t lc = strcspn(pc, "\n"), ll = strcspn(pl, "\n");
    int same = strlen(r.fields[c_cls]) == lc && !strncmp(r.fields[c_cls], pc, lc) &&
               strlen(r.fields[c_label]) == ll && !strncmp(r.fields[c_label], pl, ll);
    if (!same)
      print_message("line %d (%s): published %.*s, computed %s\n", r.line, r.fields[0],
                    (int)lc, pc, r.fields[c_cls]);
    agree += same;
    n++;
    pc += lc + 1;
    pl += ll + 1;
  }
  print_message("CNEMC 2025-11: %d of %d published classes reproduced\n", agree, n);
  assert_int_equal(n, rows);
  assert_int_equal(agree, rows);
  buf_free(&in);
  buf_free(&out);
  buf_free(&classes);
  buf_free(&labels);
}

static void free_types(void) {
  for (int i = 0; i < ntypes; i++) {
    free(types[i].key);
    free(types[i].type);
  }
}

int main(void) {
  load_standard_or_die(&std);
  load_types();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_cnemc_published_classes),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  free_types();
  return rc;
}
