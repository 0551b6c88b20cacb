/*
** Parsing an implementation plan's text into its structure (plan.h). Pure.
**
** The text is read line by line. Full-width forms are folded to ASCII on a
** copy used for matching, so "(一)" and "（一）", ":" and "：" are the same;
** what is stored is the text as written. Lines before the document number
** and after the last measure's units (web-page debris) are ignored.
*/
#include "plan/plan.h"
#include "util/buf.h"
#include "util/utf8.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct line {
  const char *raw;      /* as written */
  size_t raw_len;
  const char *folded;   /* width-folded, NUL-terminated */
};

static void problem(struct plan_problems *p, int line, enum plan_problem_kind kind,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void problem(struct plan_problems *p, int line, enum plan_problem_kind kind,
                    const char *fmt, ...) {
  p->items = xrealloc(p->items, (p->n + 1) * sizeof *p->items);
  struct plan_problem *it = &p->items[p->n++];
  it->line = line;
  it->kind = kind;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(it->message, sizeof it->message, fmt, ap);
  va_end(ap);
}

static const char *skip_spaces(const char *s) {
  while (*s == ' ' || *s == '\t') s++;
  return s;
}

static int starts(const char *s, const char *word) { return !strncmp(s, word, strlen(word)); }

/* "一、title": returns the ordinal and sets *TITLE to the title's start. */
static int chapter_heading(const char *folded, const char **title) {
  const char *s = skip_spaces(folded);
  long v;
  size_t n = cn_numeral(s, strlen(s), &v);
  if (!n || !starts(s + n, "\xE3\x80\x81") /* 、 */ || v <= 0) return 0;
  *title = skip_spaces(s + n + 3);
  /* A heading is short and is not a sentence. */
  if (!**title || strstr(*title, "\xE3\x80\x82") || strlen(*title) > 120) return 0;
  return (int)v;
}

/* "(一)text": returns the ordinal and sets *REST to the text after it. */
static int measure_heading(const char *folded, const char **rest) {
  const char *s = skip_spaces(folded);
  if (*s != '(') return 0;
  long v;
  size_t n = cn_numeral(s + 1, strlen(s + 1), &v);
  if (!n || s[1 + n] != ')' || v <= 0) return 0;
  *rest = s + 2 + n;
  return (int)v;
}

/* Document number such as 十政办发〔2018〕8号 in LINE; malloc'd or NULL.
** The issuing code is the run of CJK characters before the bracket. */
static char *doc_number_in(const char *line) {
  static const char *const open[] = {"\xE3\x80\x94" /* 〔 */, "[", "\xE3\x80\x90" /* 【 */, "("};
  static const char *const close[] = {"\xE3\x80\x95", "]", "\xE3\x80\x91", ")"};
  for (size_t k = 0; k < sizeof open / sizeof open[0]; k++) {
    for (const char *p = strstr(line, open[k]); p; p = strstr(p + 1, open[k])) {
      const char *y = p + strlen(open[k]);
      if (!(y[0] >= '1' && y[0] <= '2' && strspn(y, "0123456789") == 4)) continue;
      if (!starts(y + 4, close[k])) continue;
      const char *num = y + 4 + strlen(close[k]);
      size_t digits = strspn(num, "0123456789");
      if (!digits || !starts(num + digits, "号")) continue;
      const char *start = p;
      while (start - 3 >= line && (unsigned char)start[-3] >= 0xE4 &&
             (unsigned char)start[-3] <= 0xE9)
        start -= 3;   /* back over 3-byte CJK characters */
      if (start == p) continue;
      return xstrndup(start, (size_t)(num + digits + strlen("号") - start));
    }
  }
  return NULL;
}

/* "2018年1月22日" alone on a line -> "2018-01-22" in OUT. */
static int date_line(const char *folded, char out[11]) {
  int y, m, d, n = 0;
  const char *s = skip_spaces(folded);
  if (sscanf(s, "%4d\xE5\xB9\xB4%2d\xE6\x9C\x88%2d\xE6\x97\xA5%n", &y, &m, &d, &n) != 3 || !n)
    return 0;   /* 年 月 日 */
  if (*skip_spaces(s + n) || y < 1949 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
    return 0;
  char date[32];
  snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
  memcpy(out, date, 11);
  return 1;
}

static int blank(const char *folded) { return !*skip_spaces(folded); }

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  return n >= m && !memcmp(s + n - m, suffix, m);
}

static char *trimmed(const char *s) { return utf8_trim(s, strlen(s)); }

/* The notice title "关于印发...的通知", which may be wrapped over lines. */
static char *notice_title(const struct line *lines, int from, int to) {
  for (int i = from; i < to; i++) {
    const char *s = skip_spaces(lines[i].folded);
    if (!starts(s, "关于")) continue;
    struct buf title = {0};
    for (int j = i; j < to && j < i + 8; j++) {
      if (blank(lines[j].folded)) continue;
      char *t = trimmed(lines[j].folded);
      buf_puts(&title, t);
      free(t);
      if (ends_with(lines[j].folded, "通知")) return title.data;
    }
    buf_free(&title);
  }
  return NULL;
}

/* Header facts found before the first chapter. */
static void parse_header(const struct line *lines, int nlines, int first_chapter,
                         struct plan_doc *doc) {
  int number_line = -1;
  for (int i = 0; i < first_chapter && i < nlines; i++) {
    char *n = doc_number_in(lines[i].folded);
    if (!n) continue;
    int alone = !strcmp(skip_spaces(lines[i].folded), n) || ends_with(lines[i].folded, n);
    if (!doc->doc_number || alone) {
      free(doc->doc_number);
      doc->doc_number = n;
      number_line = i;
    } else {
      free(n);
    }
    if (alone) break;
  }
  doc->notice_title = notice_title(lines, number_line < 0 ? 0 : number_line, first_chapter);
  for (int i = number_line + 1; number_line >= 0 && i < first_chapter; i++) {
    if (blank(lines[i].folded)) continue;
    if (!starts(skip_spaces(lines[i].folded), "关于") && strlen(lines[i].folded) < 60)
      doc->issuer = trimmed(lines[i].folded);
    break;
  }
  for (int i = 0; i < first_chapter; i++)
    if (date_line(lines[i].folded, doc->issued_on)) break;
  /* The plan's title: the last line before chapter one that is not a
  ** sentence, a date or the notice's salutation. */
  for (int i = first_chapter - 1; i > number_line; i--) {
    const char *f = lines[i].folded;
    char date[11];
    if (blank(f) || ends_with(f, "\xE3\x80\x82") || ends_with(f, ":") || date_line(f, date))
      continue;
    doc->title = trimmed(f);
    break;
  }
}

/* Position of the units block "(牵头单位:" or "(责任单位:" in FOLDED, or NULL. */
static const char *units_block(const char *folded) {
  const char *best = NULL;
  static const char *const keys[] = {"(牵头单位", "(责任单位"};
  for (size_t k = 0; k < 2; k++) {
    const char *p = strstr(folded, keys[k]);
    if (p && (!best || p < best)) best = p;
  }
  return best;
}

/* Split the units block into the lead and support lists of M. Returns 1 if
** the block is closed by ')'. */
static int parse_units(struct plan_measure *m, const char *block,
                       const struct unit_dictionary *dict) {
  const char *close = strrchr(block, ')');
  if (!close) return 0;
  char *inner = xstrndup(block + 1, (size_t)(close - block - 1));
  char *lead = strstr(inner, "牵头单位");
  char *support = strstr(inner, "责任单位");
  if (support) {
    char *cut = support;
    while (cut > inner && (cut[-1] == ',' || cut[-1] == ';' || cut[-1] == ' ')) cut--;
    const char *list = skip_spaces(support + strlen("责任单位"));
    if (*list == ':') list++;
    plan_add_units(m, list, ROLE_SUPPORT, dict);
    *cut = 0;
  }
  if (lead) {
    const char *list = skip_spaces(lead + strlen("牵头单位"));
    if (*list == ':') list++;
    plan_add_units(m, list, ROLE_LEAD, dict);
  }
  free(inner);
  return 1;
}

/* The measure's short title: its first sentence, without the full stop. */
static char *first_sentence(const char *text) {
  const char *end = strstr(text, "\xE3\x80\x82");
  const char *units = units_block(text);
  if (!end || (units && units < end)) end = units ? units : text + strlen(text);
  return utf8_trim(text, (size_t)(end - text));
}

/* The raw text of a measure's first line after its "(一)" or "（一）". */
static const char *after_raw_heading(const char *raw, size_t len, size_t *rest_len) {
  const char *s = raw, *end = raw + len;
  while (s < end && (*s == ' ' || *s == '\t')) s++;
  s += (*s == '(') ? 1 : strlen("（");
  long v;
  s += cn_numeral(s, (size_t)(end - s), &v);
  s += (*s == ')') ? 1 : strlen("）");
  *rest_len = (size_t)(end - s);
  return s;
}

static struct line *split_lines(const char *text, size_t len, char *folded, int *nlines) {
  int cap = 256, n = 0;
  struct line *lines = xmalloc((size_t)cap * sizeof *lines);
  const char *raw = text, *f = folded;
  for (;;) {
    const char *raw_end = memchr(raw, '\n', (size_t)(text + len - raw));
    char *f_end = strchr(f, '\n');
    if (n == cap) lines = xrealloc(lines, (size_t)(cap *= 2) * sizeof *lines);
    lines[n].raw = raw;
    lines[n].raw_len = raw_end ? (size_t)(raw_end - raw) : (size_t)(text + len - raw);
    if (lines[n].raw_len && raw[lines[n].raw_len - 1] == '\r') lines[n].raw_len--;
    lines[n].folded = f;
    n++;
    if (!raw_end || !f_end) break;
    *f_end = 0;
    raw = raw_end + 1;
    f = f_end + 1;
  }
  *nlines = n;
  return lines;
}

/* Add the measure that starts at line I; returns the line after it. *CLOSED:
** whether its units block closed (if not and it is the last measure, the
** text ends inside it: plan_parse says so instead of "no units"). */
static int parse_measure(const struct line *lines, int nlines, int i, int ordinal,
                         int chapter, const struct unit_dictionary *dict,
                         struct plan_doc *doc, struct plan_problems *problems, int *closed_out) {
  struct buf body = {0}, folded = {0};
  int j = i, closed = 0;
  const char *rest = lines[i].folded, *next;
  measure_heading(lines[i].folded, &rest);
  for (; j < nlines && !closed; j++) {
    if (j > i && (measure_heading(lines[j].folded, &next) ||
                  chapter_heading(lines[j].folded, &next)))
      break;
    if (blank(lines[j].folded)) continue;
    size_t raw_len = lines[j].raw_len;
    const char *raw = j == i ? after_raw_heading(lines[j].raw, raw_len, &raw_len) : lines[j].raw;
    char *t = utf8_trim(raw, raw_len);
    buf_puts(&body, t);
    free(t);
    buf_puts(&folded, j == i ? rest : skip_spaces(lines[j].folded));
    const char *block = units_block(buf_str(&folded));
    closed = block && strchr(block, ')');
  }
  doc->measures = xrealloc(doc->measures, (doc->nmeasures + 1) * sizeof *doc->measures);
  struct plan_measure *m = &doc->measures[doc->nmeasures++];
  memset(m, 0, sizeof *m);
  m->ordinal = ordinal;
  m->chapter = chapter;
  m->line = i + 1;
  m->body = xstrdup(buf_str(&body));
  m->title = first_sentence(m->body);
  const char *block = units_block(buf_str(&folded));
  if (block) parse_units(m, block, dict);
  *closed_out = closed;
  if (!m->nunits && (closed || j < nlines))
    problem(problems, m->line, PLAN_MEASURE_NO_UNITS, "measure (%d) names no lead or "
            "responsible units (expected \"(牵头单位:...,责任单位:...)\")", ordinal);
  plan_extract_targets(m);
  buf_free(&body);
  buf_free(&folded);
  return j;
}

/* The number of chapters the preamble announces ("共计十个方面", "共分5个部分")
** in FOLDED, or 0. */
static int announced_chapters(const char *folded) {
  static const char *const parts[] = {"个方面", "个部分", "大方面", "大部分"};
  for (const char *p = strstr(folded, "共"); p; p = strstr(p + 1, "共")) {
    const char *s = p + strlen("共");
    if (starts(s, "计") || starts(s, "分")) s += strlen("计");
    long v = 0;
    size_t n = cn_numeral(s, strlen(s), &v);
    if (!n)
      while (s[n] >= '0' && s[n] <= '9' && n < 3) v = v * 10 + (s[n++] - '0');
    if (!n || v <= 0 || v > 100) continue;   /* a plan has a few dozen chapters at most */
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
      if (starts(s + n, parts[k])) return (int)v;
  }
  return 0;
}

/* Problems of a text that ends before its document does: fewer chapters
** than the preamble announces, a chapter without measures, a last measure
** whose units never come (LAST_CLOSED 0). Each names the line where the
** text ends. */
static void check_complete(const struct line *lines, int nlines, int first_chapter,
                           const struct plan_doc *doc, int last_closed,
                           struct plan_problems *problems) {
  int end = nlines;
  while (end > 1 && blank(lines[end - 1].folded)) end--;
  const struct plan_chapter *last = &doc->chapters[doc->nchapters - 1];
  const struct plan_measure *m = &doc->measures[doc->nmeasures - 1];
  for (int i = 0; i < first_chapter; i++) {
    int announced = announced_chapters(lines[i].folded);
    if (announced > last->ordinal)
      problem(problems, end, PLAN_DOC_INCOMPLETE,
              "the text ends here, after chapter %d: the preamble "
              "(line %d) announces %d chapters", last->ordinal, i + 1, announced);
    if (announced) break;
  }
  for (size_t c = 0; c < doc->nchapters; c++) {
    int ordinal = doc->chapters[c].ordinal, has = 0;
    for (size_t k = 0; k < doc->nmeasures && !has; k++) has = doc->measures[k].chapter == ordinal;
    if (has) continue;
    if (c + 1 == doc->nchapters)
      problem(problems, end, PLAN_DOC_INCOMPLETE,
              "the text ends here: its last chapter %d (line %d) "
              "has no measures", ordinal, doc->chapters[c].line);
    else
      problem(problems, doc->chapters[c].line, PLAN_DOC_INCOMPLETE, "chapter %d has no measures",
              ordinal);
  }
  if (!last_closed)
    problem(problems, end, PLAN_DOC_INCOMPLETE,
            "the text ends inside measure (%d) (line %d): its units "
            "\"(牵头单位:...)\" never come", m->ordinal, m->line);
}

int plan_parse(const char *text, size_t len, const struct unit_dictionary *dict,
               struct plan_doc *doc, struct plan_problems *problems) {
  memset(doc, 0, sizeof *doc);
  if (!utf8_valid(text, len) || memchr(text, 0, len)) {
    problem(problems, 0, PLAN_NOT_A_PLAN, "not UTF-8 text: a plan must be a UTF-8 text file");
    return -1;
  }
  char *folded = utf8_fold_width(text, len);
  int nlines;
  struct line *lines = split_lines(text, len, folded, &nlines);
  int first_chapter = -1, chapter = 0, measure = 0, fatal = 0, closed = 1;
  const char *rest;
  for (int i = 0; i < nlines && !fatal;) {
    int c = chapter_heading(lines[i].folded, &rest);
    int m = c ? 0 : measure_heading(lines[i].folded, &rest);
    if (c) {
      if (c != chapter + 1) {
        problem(problems, i + 1, PLAN_NOT_A_PLAN,
                "chapter %d follows chapter %d: chapters must be numbered "
                "一、二、... in order", c, chapter);
        fatal = 1;
        break;
      }
      if (first_chapter < 0) first_chapter = i;
      chapter = c;
      doc->chapters = xrealloc(doc->chapters, (doc->nchapters + 1) * sizeof *doc->chapters);
      doc->chapters[doc->nchapters].ordinal = c;
      doc->chapters[doc->nchapters].line = i + 1;
      doc->chapters[doc->nchapters].title = trimmed(rest);
      doc->nchapters++;
      i++;
    } else if (m && chapter) {
      if (m != measure + 1) {
        problem(problems, i + 1, PLAN_NOT_A_PLAN,
                "measure (%d) follows measure (%d): measures must be "
                "numbered (一)(二)... in order through the document", m, measure);
        fatal = 1;
        break;
      }
      measure = m;
      i = parse_measure(lines, nlines, i, m, chapter, dict, doc, problems, &closed);
    } else {
      i++;
    }
  }
  if (!fatal) {
    parse_header(lines, nlines, first_chapter < 0 ? nlines : first_chapter, doc);
    if (!doc->nchapters) {
      problem(problems, 0, PLAN_NOT_A_PLAN,
              "no chapter headings (lines like \"一、严格保护一江清水\") found: "
              "this is not an implementation plan");
      fatal = 1;
    } else if (!doc->nmeasures) {
      problem(problems, 0, PLAN_NOT_A_PLAN,
              "no measures (paragraphs starting \"(一)\") found under the chapters");
      fatal = 1;
    } else if (!doc->doc_number) {
      problem(problems, 0, PLAN_NOT_A_PLAN,
              "no document number (like 十政办发〔2018〕8号) found before the "
              "first chapter");
      fatal = 1;
    } else if (!doc->title) {
      problem(problems, first_chapter + 1, PLAN_NOT_A_PLAN,
              "no plan title found before the first chapter");
      fatal = 1;
    } else {
      check_complete(lines, nlines, first_chapter, doc, closed, problems);
    }
  }
  free(lines);
  free(folded);
  return fatal ? -1 : 0;
}

void plan_doc_free(struct plan_doc *doc) {
  for (size_t i = 0; i < doc->nchapters; i++) free(doc->chapters[i].title);
  for (size_t i = 0; i < doc->nmeasures; i++) {
    struct plan_measure *m = &doc->measures[i];
    for (size_t j = 0; j < m->nunits; j++) {
      free(m->units[j].name);
      free(m->units[j].written);
      free(m->units[j].via);
    }
    for (size_t j = 0; j < m->ntargets; j++) {
      free(m->targets[j].phrase);
      free(m->targets[j].sentence);
      free(m->targets[j].measure_unit);
    }
    free(m->units);
    free(m->targets);
    free(m->title);
    free(m->body);
  }
  free(doc->chapters);
  free(doc->measures);
  free(doc->doc_number);
  free(doc->notice_title);
  free(doc->title);
  free(doc->issuer);
  memset(doc, 0, sizeof *doc);
}

void plan_problems_free(struct plan_problems *p) {
  free(p->items);
  p->items = NULL;
  p->n = 0;
}
