/*
** Targets in a measure's text: dated ones (到2020年, 在2018年9月前,
** 2019年底前) and quantified ones (818平方公里, 2.4万亩, 七个水生生物保护区,
** 千公里高速公路网), each kept with the sentence it came from. These are the
** candidates that supervision decomposes into annual targets. Pure.
*/
#include "plan/plan.h"
#include "util/buf.h"
#include "util/utf8.h"
#include <stdlib.h>
#include <string.h>

/* Units of measure after an Arabic number, longest first so that 平方公里
** wins over 公里. */
static const char *const measure_units[] = {
  "万平方公里", "平方公里", "万立方米", "立方米", "万千瓦", "千瓦", "万公里", "公里",
  "万亩", "亩", "万吨", "吨", "公顷", "亿元", "万元", "万人", "个百分点", "%",
  "个", "座", "家", "处", "条", "项", "所", "米",
};

/* Classifiers that make a Chinese numeral a count (七个, 三条, 两项). */
static const char *const classifiers[] = {"个", "项", "条", "座", "家", "处", "所"};

/* Longest noun kept after a counted Chinese numeral, in characters. */
#define NOUN_MAX_CHARS 7

static size_t match_any(const char *s, const char *const *words, size_t nwords) {
  for (size_t i = 0; i < nwords; i++) {
    size_t n = strlen(words[i]);
    if (!strncmp(s, words[i], n)) return n;
  }
  return 0;
}

#define MATCH(s, table) match_any((s), (table), sizeof(table) / sizeof((table)[0]))

static int starts(const char *s, const char *word) { return !strncmp(s, word, strlen(word)); }

static int is_sentence_end(const char *s) {
  return starts(s, "\xE3\x80\x82") /* 。 */ || *s == ';' || starts(s, "\xEF\xBC\x9B") /* ； */;
}

/* Bytes of the noun after a counted numeral: up to punctuation or the cap. */
static size_t noun_length(const char *s) {
  size_t n = 0;
  for (int chars = 0; s[n] && chars < NOUN_MAX_CHARS; chars++) {
    uint32_t cp;
    size_t len = utf8_decode(s + n, strlen(s + n), &cp);
    if (!len || cp < 0x3400 || cp == 0x3001 || cp == 0x3002 || cp == 0x201C || cp == 0x201D)
      break;
    n += len;
  }
  return n;
}

static void add_target(struct plan_measure *m, enum target_kind kind, const char *phrase,
                       size_t phrase_len, const char *sentence, size_t sentence_len) {
  m->targets = xrealloc(m->targets, (m->ntargets + 1) * sizeof *m->targets);
  struct plan_target *t = &m->targets[m->ntargets++];
  memset(t, 0, sizeof *t);
  t->kind = kind;
  t->phrase = xstrndup(phrase, phrase_len);
  t->sentence = utf8_trim(sentence, sentence_len);
}

/* A year at S ("2020年") that is a deadline: 到/至/在 before it, or 前/底 after
** it (possibly after a month). Returns the phrase's end, or NULL. */
static const char *dated_at(const char *text, const char *s, int *year, int *month) {
  if (!(s[0] == '2' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
        s[3] >= '0' && s[3] <= '9' && starts(s + 4, "年")))
    return NULL;
  if (s > text && s[-1] >= '0' && s[-1] <= '9') return NULL;
  *year = atoi(s);
  *month = 0;
  const char *p = s + 4 + strlen("年");
  if (*p >= '1' && *p <= '9') {
    char *end;
    long mo = strtol(p, &end, 10);
    if (mo >= 1 && mo <= 12 && starts(end, "月")) { *month = (int)mo; p = end + strlen("月"); }
  }
  int lead = (s - text >= 3) && (starts(s - 3, "到") || starts(s - 3, "至") || starts(s - 3, "在"));
  if (starts(p, "底前")) p += strlen("底前");
  else if (starts(p, "底")) p += strlen("底");
  else if (starts(p, "前")) p += strlen("前");
  else if (!lead) return NULL;
  return p;
}

/* A quantity at S: an Arabic number with a unit of measure, or a Chinese
** numeral with a classifier or unit and the noun it counts. Returns the
** phrase's end, or NULL. */
static const char *quantity_at(const char *text, const char *s, double *value,
                               const char **unit, size_t *unit_len) {
  if (*s >= '0' && *s <= '9') {
    if (s > text && ((s[-1] >= '0' && s[-1] <= '9') || s[-1] == '.' ||
                     (s[-1] >= 'A' && s[-1] <= 'z')))
      return NULL;
    char *end;
    *value = strtod(s, &end);
    size_t n = MATCH(end, measure_units);
    if (!n || starts(end + n, "内") || starts(end + n, "以内")) return NULL;
    *unit = end;
    *unit_len = n;
    return end + n;
  }
  long v;
  size_t n = cn_numeral(s, strlen(s), &v);
  if (!n) return NULL;
  const char *p = s + n;
  size_t u = MATCH(p, classifiers);
  if (!u) u = MATCH(p, measure_units);
  if (!u || v <= 0) return NULL;
  *value = (double)v;
  *unit = p;
  *unit_len = u;
  return p + u + noun_length(p + u);
}

void plan_extract_targets(struct plan_measure *m) {
  const char *text = m->body;
  const char *sentence = text;
  for (const char *s = text; *s;) {
    if (is_sentence_end(s)) {
      s += (*s == ';') ? 1 : 3;
      sentence = s;
      continue;
    }
    int year, month;
    double value;
    const char *unit = NULL;
    size_t unit_len = 0;
    const char *end = dated_at(text, s, &year, &month);
    enum target_kind kind = TARGET_DATED;
    if (!end) {
      end = quantity_at(text, s, &value, &unit, &unit_len);
      kind = TARGET_QUANTITY;
    }
    if (!end) {
      uint32_t cp;
      size_t n = utf8_decode(s, strlen(s), &cp);
      s += n ? n : 1;
      continue;
    }
    const char *phrase = (kind == TARGET_DATED && s - text >= 3 &&
                          (starts(s - 3, "到") || starts(s - 3, "至") || starts(s - 3, "在")))
                             ? s - 3 : s;
    const char *stop = end;
    while (*stop && !is_sentence_end(stop)) stop++;
    add_target(m, kind, phrase, (size_t)(end - phrase), sentence, (size_t)(stop - sentence));
    struct plan_target *t = &m->targets[m->ntargets - 1];
    if (kind == TARGET_DATED) {
      t->year = year;
      t->month = month;
    } else {
      t->value = value;
      t->measure_unit = xstrndup(unit, unit_len);
    }
    s = end;
  }
}
