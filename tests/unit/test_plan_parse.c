/*
** Unit tests of the plan parser (src/plan/): the real seed document parsed
** exactly, and malformed variants refused or reported with their line.
** Runs from the source root (meson's workdir) to read data/.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/utf8.h"
#include "support.h"

#define SEED "data/plans/shiyan-plan-2018-8.txt"

/* The dictionary exactly as `qingshui init` seeds it from data/plan/. */
static void load_dictionary(struct unit_dictionary *d) {
  struct { const char *file; int kind; } files[] = {
    {"data/plan/unit_aliases.csv", 0}, {"data/plan/unit_collectives.csv", 1},
    {"data/plan/units.csv", 2}, {"data/plan/unit_suffixes.csv", 3},
  };
  for (size_t i = 0; i < 4; i++) {
    size_t len;
    char *text = test_read_file(files[i].file, &len);
    struct csv_reader r;
    csv_init(&r, text, len);
    assert_int_equal(csv_next(&r), 1);   /* header */
    while (csv_next(&r) == 1) {
      if (files[i].kind == 0) unit_dictionary_add_alias(d, r.fields[0], r.fields[1]);
      if (files[i].kind == 1) unit_dictionary_add_member(d, r.fields[0], r.fields[1]);
      if (files[i].kind == 2) unit_dictionary_add_unit(d, r.fields[0], unit_kind_parse(r.fields[1]));
      if (files[i].kind == 3) unit_dictionary_add_suffix(d, r.fields[0], unit_kind_parse(r.fields[1]));
    }
    csv_clear(&r);
    free(text);
  }
}

struct fixture {
  struct unit_dictionary dict;
  struct plan_doc doc;
  struct plan_problems problems;
  char *text;
  size_t len;
};

static int parse_text(struct fixture *f, const char *text, size_t len) {
  plan_doc_free(&f->doc);
  plan_problems_free(&f->problems);
  return plan_parse(text, len, &f->dict, &f->doc, &f->problems);
}

static int setup(void **state) {
  struct fixture *f = xcalloc(1, sizeof *f);
  load_dictionary(&f->dict);
  f->text = test_read_file(SEED, &f->len);
  assert_int_equal(parse_text(f, f->text, f->len), 0);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  plan_doc_free(&f->doc);
  plan_problems_free(&f->problems);
  unit_dictionary_free(&f->dict);
  free(f->text);
  free(f);
  return 0;
}

static const struct plan_measure *measure(const struct fixture *f, int ordinal) {
  for (size_t i = 0; i < f->doc.nmeasures; i++)
    if (f->doc.measures[i].ordinal == ordinal) return &f->doc.measures[i];
  fail_msg("measure %d missing", ordinal);
  return NULL;
}

static int has_unit(const struct plan_measure *m, const char *name, enum unit_role role) {
  for (size_t i = 0; i < m->nunits; i++)
    if (m->units[i].role == role && !strcmp(m->units[i].name, name)) return 1;
  return 0;
}

static size_t count_role(const struct plan_measure *m, enum unit_role role) {
  size_t n = 0;
  for (size_t i = 0; i < m->nunits; i++) n += m->units[i].role == role;
  return n;
}

static const struct plan_target *target(const struct plan_measure *m, const char *phrase) {
  for (size_t i = 0; i < m->ntargets; i++)
    if (!strcmp(m->targets[i].phrase, phrase)) return &m->targets[i];
  fail_msg("measure %d has no target '%s'", m->ordinal, phrase);
  return NULL;
}

static void test_seed_header(void **state) {
  struct fixture *f = *state;
  assert_string_equal(f->doc.doc_number, "十政办发〔2018〕8号");
  assert_string_equal(f->doc.title, "十堰市推进落实湖北长江经济带生态保护和绿色发展总体规划实施方案");
  assert_string_equal(f->doc.issued_on, "2018-01-22");
  assert_string_equal(f->doc.issuer, "市人民政府办公室");
  assert_string_equal(f->doc.notice_title,
      "关于印发十堰市推进落实湖北长江经济带生态保护和绿色发展总体规划实施方案的通知");
  assert_int_equal(f->problems.n, 0);
}

static void test_seed_counts(void **state) {
  struct fixture *f = *state;
  assert_int_equal(f->doc.nchapters, 10);
  assert_int_equal(f->doc.nmeasures, 72);
  assert_string_equal(f->doc.chapters[0].title, "严格保护一江清水");
  assert_string_equal(f->doc.chapters[9].title, "保障措施");
  for (size_t i = 0; i < f->doc.nmeasures; i++) {
    assert_int_equal(f->doc.measures[i].ordinal, (int)i + 1);
    assert_true(count_role(&f->doc.measures[i], ROLE_LEAD) >= 1);
  }
  assert_int_equal(measure(f, 1)->chapter, 1);
  assert_int_equal(measure(f, 72)->chapter, 10);
  assert_int_equal(measure(f, 66)->chapter, 10);
}

static void test_seed_titles_and_debris(void **state) {
  struct fixture *f = *state;
  assert_string_equal(measure(f, 1)->title, "深化重点流域和区域水污染防治");
  assert_string_equal(measure(f, 72)->title, "拓宽资金渠道");
  /* The web page's footer after the last measure is not part of it. */
  assert_null(strstr(measure(f, 72)->body, "微信公众号"));
  assert_non_null(strstr(measure(f, 72)->body, "武当山旅游经济特区管委会)。"));
  assert_int_equal(measure(f, 1)->line, 37);
}

static void test_seed_units(void **state) {
  struct fixture *f = *state;
  const struct plan_measure *m1 = measure(f, 1);
  assert_true(has_unit(m1, "市发改委", ROLE_LEAD));
  assert_int_equal(count_role(m1, ROLE_LEAD), 1);
  assert_true(has_unit(m1, "市南水北调办", ROLE_SUPPORT));
  /* 各县市区人民政府 expands to the eight county-level governments ... */
  const char *counties[] = {"张湾区人民政府", "茅箭区人民政府", "郧阳区人民政府", "丹江口市人民政府",
                            "郧西县人民政府", "竹山县人民政府", "竹溪县人民政府", "房县人民政府"};
  for (size_t i = 0; i < 8; i++) assert_true(has_unit(m1, counties[i], ROLE_SUPPORT));
  /* ... and the two zones written as one phrase are two committees. */
  assert_true(has_unit(m1, "十堰经济技术开发区管委会", ROLE_SUPPORT));
  assert_true(has_unit(m1, "武当山旅游经济特区管委会", ROLE_SUPPORT));
  assert_int_equal(count_role(m1, ROLE_SUPPORT), 5 + 8 + 2);
  /* Four lead units in (六). */
  assert_int_equal(count_role(measure(f, 6), ROLE_LEAD), 4);
  /* 等部门 is dropped; 市直各有关部门 stays a collective. */
  assert_true(has_unit(measure(f, 67), "市林业局", ROLE_SUPPORT));
  assert_true(has_unit(measure(f, 67), "市交通运输局", ROLE_SUPPORT));
  assert_true(has_unit(measure(f, 66), "市直各有关部门", ROLE_SUPPORT));
  assert_true(has_unit(measure(f, 72), "市城投公司", ROLE_LEAD));
  /* A measure led by governments: (六十八) */
  const struct plan_measure *m68 = measure(f, 68);
  assert_int_equal(count_role(m68, ROLE_LEAD), 10);
  assert_true(has_unit(m68, "房县人民政府", ROLE_LEAD));
  assert_true(has_unit(m68, "市推动长江经济带发展暨汉江生态经济带开放开发工作领导小组办公室",
                       ROLE_SUPPORT));
  /* The alias table: 农业局 -> 市农业局, 市委农办 -> 市农办. */
  bool found = false;
  for (size_t i = 0; i < f->doc.nmeasures; i++) {
    const struct plan_measure *m = &f->doc.measures[i];
    for (size_t j = 0; j < m->nunits; j++) {
      assert_string_not_equal(m->units[j].name, "农业局");
      assert_null(strstr(m->units[j].name, "等部门"));
      assert_null(strchr(m->units[j].name, ' '));
      if (!strcmp(m->units[j].written, "农业局")) {
        assert_string_equal(m->units[j].name, "市农业局");
        found = true;
      }
    }
  }
  assert_true(found);
}

static void test_seed_targets(void **state) {
  struct fixture *f = *state;
  const struct plan_target *t = target(measure(f, 2), "到2020年");
  assert_int_equal(t->kind, TARGET_DATED);
  assert_int_equal(t->year, 2020);
  assert_non_null(strstr(t->sentence, "化肥农药使用量实现零增长"));
  t = target(measure(f, 3), "到2019年");
  assert_int_equal(t->year, 2019);
  t = target(measure(f, 7), "在2018年9月前");
  assert_int_equal(t->year, 2018);
  assert_int_equal(t->month, 9);
  t = target(measure(f, 7), "七个水生生物保护区");
  assert_int_equal(t->kind, TARGET_QUANTITY);
  assert_true(t->value == 7);
  assert_string_equal(t->measure_unit, "个");
  t = target(measure(f, 5), "216公里");
  assert_true(t->value == 216);
  assert_string_equal(t->measure_unit, "公里");
  int found818 = 0, found24 = 0, foundkm = 0;
  for (size_t i = 0; i < f->doc.nmeasures; i++) {
    const struct plan_measure *m = &f->doc.measures[i];
    for (size_t j = 0; j < m->ntargets; j++) {
      const struct plan_target *x = &m->targets[j];
      found818 += !strcmp(x->phrase, "818平方公里") && x->value == 818;
      found24 += !strcmp(x->phrase, "2.4万亩") && x->value == 2.4 && !strcmp(x->measure_unit, "万亩");
      foundkm += !strcmp(x->phrase, "千公里高速公路网") && x->value == 1000;
      /* A spatial bound is not a target. */
      assert_string_not_equal(x->phrase, "1公里");
    }
  }
  assert_int_equal(found818, 1);
  assert_int_equal(found24, 1);
  assert_int_equal(foundkm, 1);
}

/* Replace the first occurrence of FROM in F's seed text by TO; malloc'd. */
static char *variant(const struct fixture *f, const char *from, const char *to, size_t *len) {
  const char *p = strstr(f->text, from);
  assert_non_null(p);
  struct buf b = {0};
  buf_append(&b, f->text, (size_t)(p - f->text));
  buf_puts(&b, to);
  buf_puts(&b, p + strlen(from));
  *len = b.len;
  return b.data;
}

static void test_full_width_punctuation(void **state) {
  struct fixture *f = *state;
  /* Rewrite every ASCII ( ) : , of the seed in full-width. */
  struct buf b = {0};
  for (const char *p = f->text; *p; p++) {
    switch (*p) {
    case '(': buf_puts(&b, "（"); break;
    case ')': buf_puts(&b, "）"); break;
    case ':': buf_puts(&b, "："); break;
    case ',': buf_puts(&b, "，"); break;
    default: buf_append(&b, p, 1);
    }
  }
  assert_int_equal(parse_text(f, b.data, b.len), 0);
  assert_int_equal(f->doc.nchapters, 10);
  assert_int_equal(f->doc.nmeasures, 72);
  assert_int_equal(count_role(measure(f, 1), ROLE_SUPPORT), 15);
  assert_string_equal(measure(f, 1)->title, "深化重点流域和区域水污染防治");
  /* Stored as written: full-width stays full-width. */
  assert_non_null(strstr(measure(f, 1)->body, "（牵头单位：市发改委，"));
  buf_free(&b);
  assert_int_equal(parse_text(f, f->text, f->len), 0);
}

static void test_measure_without_units(void **state) {
  struct fixture *f = *state;
  size_t len;
  char *t = variant(f, "(牵头单位:市农业局,责任单位:市环保局、市畜牧兽医局", "(市环保局、市畜牧兽医局", &len);
  assert_int_equal(parse_text(f, t, len), 0);
  assert_int_equal(f->problems.n, 1);
  assert_int_equal(f->problems.items[0].line, 40);
  assert_int_equal(f->problems.items[0].kind, PLAN_MEASURE_NO_UNITS);
  assert_non_null(strstr(f->problems.items[0].message, "measure (2)"));
  free(t);
  assert_int_equal(parse_text(f, f->text, f->len), 0);
}

/* Bytes of the first N lines of TEXT. */
static size_t first_lines(const char *text, int n) {
  const char *p = text;
  for (int i = 0; i < n && p; i++) p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
  assert_non_null(p);
  return (size_t)(p - text);
}

/* The problem of kind KIND that says WORDS, at LINE. */
static void expect_problem(const struct fixture *f, enum plan_problem_kind kind, int line,
                           const char *words) {
  for (size_t i = 0; i < f->problems.n; i++)
    if (f->problems.items[i].kind == kind && f->problems.items[i].line == line &&
        strstr(f->problems.items[i].message, words))
      return;
  fail_msg("no problem at line %d saying '%s' among %zu", line, words, f->problems.n);
}

/* A text that ends before its document does: the chapters the preamble
** announces, a last chapter without measures, a last measure without its
** units; each names the line where the text ends. */
static void test_text_cut_short(void **state) {
  struct fixture *f = *state;
  assert_int_equal(parse_text(f, f->text, first_lines(f->text, 148)), 0);
  expect_problem(f, PLAN_DOC_INCOMPLETE, 148, "after chapter 6: the preamble (line 31) announces 10 chapters");
  expect_problem(f, PLAN_DOC_INCOMPLETE, 148, "its last chapter 6 (line 148) has no measures");
  assert_int_equal(f->doc.nmeasures, 33);
  assert_int_equal(parse_text(f, f->text, first_lines(f->text, 147)), 0);
  assert_int_equal(f->problems.n, 1);
  expect_problem(f, PLAN_DOC_INCOMPLETE, 145, "after chapter 5");
  const char *units = strstr(f->text, "(牵头单位:市财政局、市政府金融办");
  assert_non_null(units);
  assert_int_equal(parse_text(f, f->text, (size_t)(units - f->text)), 0);
  assert_int_equal(f->problems.n, 1);
  expect_problem(f, PLAN_DOC_INCOMPLETE, 277, "ends inside measure (72) (line 277)");
  /* without the announcement, a text that ends after a whole measure is
  ** a whole plan: the stored plan's removal check is then what guards */
  size_t len;
  char *t = variant(f, "共计十个方面", "", &len);
  assert_int_equal(parse_text(f, t, first_lines(t, 147)), 0);
  assert_int_equal(f->problems.n, 0);
  free(t);
  assert_int_equal(parse_text(f, f->text, f->len), 0);
  assert_int_equal(f->problems.n, 0);
}

static void test_not_a_plan(void **state) {
  struct fixture *f = *state;
  const char *text = "This is a shopping list.\nMilk\nBread\n";
  assert_int_equal(parse_text(f, text, strlen(text)), -1);
  assert_true(f->problems.n >= 1);
  assert_int_equal(f->problems.items[0].kind, PLAN_NOT_A_PLAN);
  assert_non_null(strstr(f->problems.items[0].message, "not an implementation plan"));
  const char bad_utf8[] = "十政办发\xff\xfe";
  assert_int_equal(parse_text(f, bad_utf8, sizeof bad_utf8 - 1), -1);
  assert_non_null(strstr(f->problems.items[0].message, "UTF-8"));
  assert_int_equal(parse_text(f, f->text, f->len), 0);
}

static void test_measure_out_of_order(void **state) {
  struct fixture *f = *state;
  size_t len;
  char *t = variant(f, "(三)加大城镇", "(四)加大城镇", &len);
  assert_int_equal(parse_text(f, t, len), -1);
  assert_int_equal(f->problems.items[f->problems.n - 1].line, 43);
  assert_non_null(strstr(f->problems.items[f->problems.n - 1].message, "measure (4) follows measure (2)"));
  free(t);
  t = variant(f, "十政办发〔2018〕8号《", "《", &len);
  char *t2 = NULL;
  size_t len2;
  {
    const char *p = strstr(t, "\n十政办发〔2018〕8号\n");
    assert_non_null(p);
    struct buf b = {0};
    buf_append(&b, t, (size_t)(p - t));
    buf_puts(&b, "\n\n");
    buf_puts(&b, p + strlen("\n十政办发〔2018〕8号\n"));
    t2 = b.data;
    len2 = b.len;
  }
  assert_int_equal(parse_text(f, t2, len2), -1);
  assert_non_null(strstr(f->problems.items[f->problems.n - 1].message, "document number"));
  free(t);
  free(t2);
  assert_int_equal(parse_text(f, f->text, f->len), 0);
}

static void test_numerals_and_lists(void **state) {
  (void)state;
  long v;
  assert_int_equal(cn_numeral("七十二)", strlen("七十二)"), &v), strlen("七十二"));
  assert_int_equal(v, 72);
  cn_numeral("十", 3, &v);
  assert_int_equal(v, 10);
  cn_numeral("两", 3, &v);
  assert_int_equal(v, 2);
  cn_numeral("一百零五", strlen("一百零五"), &v);
  assert_int_equal(v, 105);
  cn_numeral("千", 3, &v);
  assert_int_equal(v, 1000);
  cn_numeral("三万", strlen("三万"), &v);
  assert_int_equal(v, 30000);
  assert_int_equal(cn_numeral("abc", 3, &v), 0);

  struct unit_dictionary d = {0};
  unit_dictionary_add_alias(&d, "农业局", "市农业局");
  unit_dictionary_add_member(&d, "各县", "甲县");
  unit_dictionary_add_member(&d, "各县", "乙县");
  struct plan_measure *mp = xcalloc(1, sizeof *mp), m;
  plan_add_units(mp, "市环保局、农业局, 各县;市林业局等部门", ROLE_SUPPORT, &d);
  m = *mp;
  assert_int_equal(m.nunits, 5);
  assert_string_equal(m.units[0].name, "市环保局");
  assert_string_equal(m.units[1].name, "市农业局");
  assert_string_equal(m.units[1].written, "农业局");
  assert_string_equal(m.units[2].name, "甲县");
  assert_string_equal(m.units[2].via, "各县");
  assert_string_equal(m.units[4].name, "市林业局");
  struct plan_doc doc = {.measures = mp, .nmeasures = 1};
  plan_doc_free(&doc);
  unit_dictionary_free(&d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_seed_header),
    cmocka_unit_test(test_seed_counts),
    cmocka_unit_test(test_seed_titles_and_debris),
    cmocka_unit_test(test_seed_units),
    cmocka_unit_test(test_seed_targets),
    cmocka_unit_test(test_full_width_punctuation),
    cmocka_unit_test(test_measure_without_units),
    cmocka_unit_test(test_text_cut_short),
    cmocka_unit_test(test_not_a_plan),
    cmocka_unit_test(test_measure_out_of_order),
  };
  const struct CMUnitTest pure[] = {cmocka_unit_test(test_numerals_and_lists)};
  return cmocka_run_group_tests_name("plan parser on the seed", tests, setup, teardown) +
         cmocka_run_group_tests_name("numerals and unit lists", pure, NULL, NULL);
}
