/*
** Loading GB 3838-2002 from its CSV tables (standard.h). The loader is
** strict: an unknown direction, a malformed limit or an item without an
** evaluation row is an error, because a silently missing limit would
** misclassify water.
*/
#include "water/standard.h"
#include "supervision/period.h"
#include "util/csv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const class_columns[WATER_NCLASS] = {"I", "II", "III", "IV", "V"};

static int fail(char *err, size_t errlen, const char *file, int line, const char *what) {
  snprintf(err, errlen, "%s line %d: %s", file, line, what);
  return -1;
}

static void copy_text(char *dst, size_t size, const char *src) {
  snprintf(dst, size, "%s", src);
}

/* A non-negative decimal number filling the whole of TEXT. */
static int parse_number(const char *text, double *out) {
  char *end;
  if (!*text) return -1;
  *out = strtod(text, &end);
  return (*end || *out < 0) ? -1 : 0;
}

/* "6-9" into LO and HI. */
static int parse_range(const char *text, double *lo, double *hi) {
  const char *dash = strchr(text, '-');
  if (!dash || dash == text) return -1;
  char low[32];
  size_t n = (size_t)(dash - text);
  if (n >= sizeof low) return -1;
  memcpy(low, text, n);
  low[n] = 0;
  return (parse_number(low, lo) || parse_number(dash + 1, hi) || *lo > *hi) ? -1 : 0;
}

static int parse_direction(const char *text, enum water_direction *dir) {
  if (!strcmp(text, "upper")) *dir = WATER_UPPER;
  else if (!strcmp(text, "lower")) *dir = WATER_LOWER;
  else if (!strcmp(text, "range")) *dir = WATER_RANGE;
  else return -1;
  return 0;
}

/* The five class limits of the current record; HAS is 0 when all are empty. */
static int parse_limits(struct csv_reader *r, const int *col, enum water_direction dir,
                        double *limit, int *has) {
  int empty = 0;
  for (int k = 0; k < WATER_NCLASS; k++) empty += !*r->fields[col[k]];
  *has = empty == 0;
  if (empty == WATER_NCLASS) return 0;
  if (empty) return -1;
  if (dir == WATER_RANGE) return parse_range(r->fields[col[0]], &limit[0], &limit[1]);
  for (int k = 0; k < WATER_NCLASS; k++)
    if (parse_number(r->fields[col[k]], &limit[k])) return -1;
  return 0;
}

struct table1_columns { int code, unit, dir, cls[WATER_NCLASS]; };

static int table1_header(struct csv_reader *r, struct table1_columns *c) {
  c->code = csv_column(r, "code");
  c->unit = csv_column(r, "unit");
  c->dir = csv_column(r, "direction");
  int ok = c->code >= 0 && c->unit >= 0 && c->dir >= 0;
  for (int k = 0; k < WATER_NCLASS; k++) {
    c->cls[k] = csv_column(r, class_columns[k]);
    ok = ok && c->cls[k] >= 0;
  }
  return ok ? 0 : -1;
}

/* A TP_LAKE-style row: attach its limits to the base item already read. */
static int table1_lake_row(struct water_standard *s, struct csv_reader *r,
                           const struct table1_columns *c, const char *base) {
  int i = water_item_index(s, base);
  if (i < 0) return -1;
  struct water_item *it = &s->item[i];
  enum water_direction dir;
  if (parse_direction(r->fields[c->dir], &dir) || dir != it->dir) return -1;
  if (parse_limits(r, c->cls, dir, it->lake_limit, &it->has_lake_limits)) return -1;
  return it->has_lake_limits ? 0 : -1;
}

static int table1_row(struct water_standard *s, struct csv_reader *r,
                      const struct table1_columns *c) {
  const char *code = r->fields[c->code];
  size_t n = strlen(code);
  if (n > 5 && !strcmp(code + n - 5, "_LAKE")) {
    char base[16];
    if (n - 5 >= sizeof base) return -1;
    memcpy(base, code, n - 5);
    base[n - 5] = 0;
    return table1_lake_row(s, r, c, base);
  }
  if (!n || n >= sizeof s->item[0].code || s->n == WATER_MAX_ITEMS ||
      water_item_index(s, code) >= 0)
    return -1;
  struct water_item *it = &s->item[s->n];
  memset(it, 0, sizeof *it);
  copy_text(it->code, sizeof it->code, code);
  copy_text(it->name, sizeof it->name, code);
  copy_text(it->unit, sizeof it->unit, r->fields[c->unit]);
  it->decimals = -1;
  if (parse_direction(r->fields[c->dir], &it->dir)) return -1;
  if (parse_limits(r, c->cls, it->dir, it->limit, &it->has_limits)) return -1;
  s->n++;
  return 0;
}

static int load_table1(struct water_standard *s, const char *text, size_t len,
                       char *err, size_t errlen) {
  static const char file[] = "gb3838_table1.csv";
  struct csv_reader r;
  struct table1_columns c;
  csv_init(&r, text, len);
  int rc = csv_next(&r);
  if (rc != 1 || table1_header(&r, &c)) {
    csv_clear(&r);
    return fail(err, errlen, file, 1, "header lacks code, unit, direction, I..V");
  }
  while ((rc = csv_next(&r)) == 1) {
    if (r.nfields <= c.cls[WATER_NCLASS - 1] || table1_row(s, &r, &c)) {
      int line = r.line;
      csv_clear(&r);
      return fail(err, errlen, file, line, "malformed item row");
    }
  }
  if (rc < 0) return fail(err, errlen, file, r.line, r.error);
  return 0;
}

struct evaluation_columns { int code, name, decimals, in_class, priority, mean; };

static int evaluation_header(struct csv_reader *r, struct evaluation_columns *c) {
  c->code = csv_column(r, "code");
  c->name = csv_column(r, "short_zh");
  c->decimals = csv_column(r, "decimals");
  c->in_class = csv_column(r, "class_indicator");
  c->priority = csv_column(r, "priority");
  c->mean = csv_column(r, "mean");
  return (c->code < 0 || c->name < 0 || c->decimals < 0 || c->in_class < 0 ||
          c->priority < 0 || c->mean < 0) ? -1 : 0;
}

/* "0" or "1" into FLAG. */
static int parse_flag(const char *text, int *flag) {
  if (strcmp(text, "0") && strcmp(text, "1")) return -1;
  *flag = text[0] == '1';
  return 0;
}

static int evaluation_row(struct water_standard *s, struct csv_reader *r,
                          const struct evaluation_columns *c, unsigned char *seen) {
  int i = water_item_index(s, r->fields[c->code]);
  if (i < 0 || seen[i]) return -1;
  seen[i] = 1;
  struct water_item *it = &s->item[i];
  double d;
  if (parse_number(r->fields[c->decimals], &d) || d > 10 || d != (int)d) return -1;
  it->decimals = (int)d;
  copy_text(it->name, sizeof it->name, r->fields[c->name]);
  if (parse_flag(r->fields[c->in_class], &it->in_class) ||
      parse_flag(r->fields[c->priority], &it->priority))
    return -1;
  const char *mean = r->fields[c->mean];
  if (!strcmp(mean, "arithmetic")) it->mean = WATER_MEAN_ARITHMETIC;
  else if (!strcmp(mean, "hydrogen_ion")) it->mean = WATER_MEAN_HYDROGEN_ION;
  else return -1;
  /* an item without limits cannot make up a class */
  return (it->in_class && !it->has_limits) ? -1 : 0;
}

static int load_evaluation(struct water_standard *s, const char *text, size_t len,
                           char *err, size_t errlen) {
  static const char file[] = "gb3838_evaluation.csv";
  unsigned char seen[WATER_MAX_ITEMS] = {0};
  struct csv_reader r;
  struct evaluation_columns c;
  csv_init(&r, text, len);
  int rc = csv_next(&r);
  if (rc != 1 || evaluation_header(&r, &c)) {
    csv_clear(&r);
    return fail(err, errlen, file, 1,
                "header lacks code, short_zh, decimals, class_indicator, priority, mean");
  }
  int max_col = c.code;
  const int cols[] = {c.name, c.decimals, c.in_class, c.priority, c.mean};
  for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
    if (cols[k] > max_col) max_col = cols[k];
  while ((rc = csv_next(&r)) == 1) {
    if (r.nfields <= max_col || evaluation_row(s, &r, &c, seen)) {
      int line = r.line;
      csv_clear(&r);
      return fail(err, errlen, file, line, "unknown, repeated or malformed item row");
    }
  }
  if (rc < 0) return fail(err, errlen, file, r.line, r.error);
  for (int i = 0; i < s->n; i++)
    if (!seen[i]) {
      snprintf(err, errlen, "%s: no row for item %s", file, s->item[i].code);
      return -1;
    }
  return 0;
}

int water_standard_load(struct water_standard *s,
                        const char *table1, size_t table1_len,
                        const char *evaluation, size_t evaluation_len,
                        char *err, size_t errlen) {
  memset(s, 0, sizeof *s);
  if (load_table1(s, table1, table1_len, err, errlen)) return -1;
  return load_evaluation(s, evaluation, evaluation_len, err, errlen);
}

/* ---- decimals by date ---------------------------------------------------- */

struct dated_decimals { int item, decimals; char from[11]; };

/* One row of the dated-decimals table into D; -1 with ERR naming the field. */
static int dated_row(const struct water_standard *s, const struct csv_reader *r, const int *col,
                     const char *previous, struct dated_decimals *d, char *err, size_t errlen) {
  static const char file[] = "cnemc_decimals.csv";
  int day;
  double n;
  const char *code = r->fields[col[0]], *from = r->fields[col[1]], *dec = r->fields[col[2]];
  if ((d->item = water_item_index(s, code)) < 0) {
    snprintf(err, errlen, "%s line %d, field code: '%s' is not a GB 3838 item", file, r->line, code);
    return -1;
  }
  if (day_parse(from, &day) || strcmp(from, previous) < 0) {
    snprintf(err, errlen, "%s line %d, field from: '%s' is not a date YYYY-MM-DD on or after %s",
             file, r->line, from, previous);
    return -1;
  }
  if (parse_number(dec, &n) || n > 10 || n != (int)n) {
    snprintf(err, errlen, "%s line %d, field decimals: '%s' is not 0..10", file, r->line, dec);
    return -1;
  }
  copy_text(d->from, sizeof d->from, from);
  d->decimals = (int)n;
  return 0;
}

/* The rows of CSV into ROWS (room for MAX); their number, or -1 with ERR. */
static int read_dated(const struct water_standard *s, const char *csv, size_t len,
                      struct dated_decimals *rows, int max, char *err, size_t errlen) {
  struct csv_reader r;
  int col[3], n = 0, rc;
  csv_init(&r, csv, len);
  rc = csv_next(&r);
  col[0] = csv_column(&r, "code");
  col[1] = csv_column(&r, "from");
  col[2] = csv_column(&r, "decimals");
  if (rc != 1 || col[0] < 0 || col[1] < 0 || col[2] < 0) {
    csv_clear(&r);
    return fail(err, errlen, "cnemc_decimals.csv", 1, "header lacks code, from, decimals");
  }
  while ((rc = csv_next(&r)) == 1) {
    int bad = n == max ? fail(err, errlen, "cnemc_decimals.csv", r.line, "too many rows")
            : r.nfields <= col[0] || r.nfields <= col[1] || r.nfields <= col[2]
              ? fail(err, errlen, "cnemc_decimals.csv", r.line, "too few fields")
              : dated_row(s, &r, col, n ? rows[n - 1].from : "", &rows[n], err, errlen);
    if (bad) {
      csv_clear(&r);
      return -1;
    }
    n++;
  }
  return rc < 0 ? fail(err, errlen, "cnemc_decimals.csv", r.line, r.error) : n;
}

int water_standard_load_decimals(struct water_standard *s, const char *csv, size_t len,
                                 char *err, size_t errlen) {
  struct dated_decimals rows[WATER_MAX_ITEMS * WATER_MAX_ERAS];
  int n = read_dated(s, csv, len, rows, (int)(sizeof rows / sizeof rows[0]), err, errlen);
  if (n < 0) return -1;
  int eras = 0;
  for (int k = 0; k < n; k++) eras += !k || strcmp(rows[k].from, rows[k - 1].from);
  if (eras > WATER_MAX_ERAS) {
    snprintf(err, errlen, "cnemc_decimals.csv: %d dates, at most %d", eras, WATER_MAX_ERAS);
    return -1;
  }
  s->nera = 0;
  for (int k = 0; k < n; k++) {
    if (!k || strcmp(rows[k].from, rows[k - 1].from)) {
      /* a new era starts from the one before it (or the base rules) */
      const struct water_standard *prev = s->nera ? s->era[s->nera - 1].s : s;
      struct water_standard *e = malloc(sizeof *e);
      if (!e) abort();
      *e = *prev;
      e->nera = 0;
      copy_text(s->era[s->nera].from, sizeof s->era[0].from, rows[k].from);
      s->era[s->nera++].s = e;
    }
    s->era[s->nera - 1].s->item[rows[k].item].decimals = rows[k].decimals;
  }
  return 0;
}

/* The first day of WHEN (a date, a time or a period key) into OUT[11]. */
static void first_day(const char *when, char out[11]) {
  size_t n = strnlen(when, 10);
  memcpy(out, "0000-01-01", 11);
  if (n >= 7 && when[5] == 'Q' && when[6] >= '1' && when[6] <= '4') {
    int month = (when[6] - '1') * 3 + 1;
    memcpy(out, when, 4);
    out[5] = (char)('0' + month / 10);
    out[6] = (char)('0' + month % 10);
  } else {
    memcpy(out, when, n);
  }
}

const struct water_standard *water_standard_on(const struct water_standard *s, const char *when) {
  if (!when || !*when) return s;
  char day[11];
  first_day(when, day);
  const struct water_standard *in_force = s;
  for (int k = 0; k < s->nera; k++)
    if (strcmp(day, s->era[k].from) >= 0) in_force = s->era[k].s;
  return in_force;
}

int water_item_index(const struct water_standard *s, const char *code) {
  for (int i = 0; i < s->n; i++)
    if (!strcasecmp(s->item[i].code, code)) return i;
  return -1;
}

water_mask water_class_indicators(const struct water_standard *s) {
  water_mask m = 0;
  for (int i = 0; i < s->n; i++)
    if (s->item[i].in_class) m |= (water_mask)1 << i;
  return m;
}

const double *water_item_limits(const struct water_item *item, enum water_body body) {
  return (body == WATER_LAKE && item->has_lake_limits) ? item->lake_limit : item->limit;
}
