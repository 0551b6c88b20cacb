/*
** Loading the air tables (air.h) from their CSV texts: the editions, each
** with its IAQI breakpoint table, the items, the levels, the validity rules
** and the composite-index limits. Strict: a malformed number or an unknown
** name is an error naming the file, the line and the field.
*/
#include "air/air.h"
#include "supervision/period.h"
#include "util/csv.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EDITIONS "data/air/editions.csv"
#define POLLUTANTS "data/air/pollutants.csv"
#define LEVELS "data/air/levels.csv"
#define VALIDITY "data/air/validity.csv"
#define COMPOSITE "data/air/composite_index.csv"

/* The fixed order of enum air_key, as the files name the keys. */
static const char *const key_names[AIR_NKEYS] = {"pm10", "pm2_5", "o3", "o3_8h", "so2", "no2", "co"};

/* A CSV file being read, for the messages. */
struct reader {
  const char *file;
  struct csv_reader r;
  char *err;
  size_t errlen;
};

static int fail(struct reader *rd, const char *field, const char *what) {
  snprintf(rd->err, rd->errlen, "%s line %d, field %s: %s", rd->file, rd->r.line, field, what);
  csv_clear(&rd->r);
  return -1;
}

/* Open FILE through FIND and read its header; the columns named in NAMES
** (NULL-terminated) into COL, each required. */
static int open_file(struct reader *rd, air_find_fn find, void *ctx, const char *file,
                     const char *const *names, int *col) {
  size_t len;
  const char *text = find(file, &len, ctx);
  rd->file = file;
  if (!text) {
    snprintf(rd->err, rd->errlen, "%s: not found", file);
    return -1;
  }
  csv_init(&rd->r, text, len);
  if (csv_next(&rd->r) != 1) return fail(rd, "header", "no header");
  for (int i = 0; names[i]; i++)
    if ((col[i] = csv_column(&rd->r, names[i])) < 0) return fail(rd, names[i], "column missing");
  return 0;
}

/* The next record, with at least every column of COL (N of them). 1, 0 at
** the end, -1 on error. */
static int next_row(struct reader *rd, const int *col, int n) {
  int rc = csv_next(&rd->r);
  if (rc < 0) {
    snprintf(rd->err, rd->errlen, "%s: %s", rd->file, rd->r.error);
    return -1;
  }
  for (int i = 0; rc == 1 && i < n; i++)
    if (col[i] >= rd->r.nfields) return fail(rd, "row", "too few fields");
  return rc;
}

static const char *field(const struct reader *rd, int col) {
  return rd->r.fields[col];
}

/* A non-negative number filling TEXT. */
static int parse_number(const char *text, double *out) {
  char *end;
  if (!*text) return -1;
  *out = strtod(text, &end);
  return (*end || !isfinite(*out) || *out < 0) ? -1 : 0;
}

static int parse_int(const char *text, int *out) {
  double d;
  if (parse_number(text, &d) || d != floor(d) || d > 1e6) return -1;
  *out = (int)d;
  return 0;
}

int air_key_index(const char *name) {
  for (int k = 0; k < AIR_NKEYS; k++)
    if (!strcmp(key_names[k], name)) return k;
  return -1;
}


int air_hour_parse(const char *text, long *out) {
  char day[DAY_TEXT_SIZE];
  int d;
  if (strlen(text) != 16 || text[10] != ' ' || text[13] != ':' || strcmp(text + 14, "00"))
    return -1;
  memcpy(day, text, 10);
  day[10] = 0;
  if (day_parse(day, &d) || text[11] < '0' || text[11] > '9' || text[12] < '0' || text[12] > '9')
    return -1;
  int hour = (text[11] - '0') * 10 + (text[12] - '0');
  if (hour > 24) return -1;
  *out = (long)d * 24 + hour;
  return 0;
}

/* ---- the breakpoint tables ------------------------------------------------ */

struct bp_header { int pollutant, averaging, ncol, col[AIR_MAX_BP]; double iaqi[AIR_MAX_BP]; };

/* The bp_iaqi_N columns of the header, in order. */
static int bp_columns(struct reader *rd, struct bp_header *h) {
  h->ncol = 0;
  for (int i = 0; i < rd->r.nfields; i++) {
    const char *name = rd->r.fields[i];
    if (strncmp(name, "bp_iaqi_", 8)) continue;
    if (h->ncol == AIR_MAX_BP || parse_number(name + 8, &h->iaqi[h->ncol]) ||
        (h->ncol && h->iaqi[h->ncol] <= h->iaqi[h->ncol - 1]))
      return fail(rd, name, "not an ascending IAQI column");
    h->col[h->ncol++] = i;
  }
  return h->ncol >= 2 ? 0 : fail(rd, "header", "fewer than two bp_iaqi_N columns");
}

/* One table row into T: its breakpoints, ascending, the empty ones last. */
static int bp_row(struct reader *rd, const struct bp_header *h, struct air_table *t) {
  t->n = 0;
  for (int i = 0; i < h->ncol; i++) {
    const char *text = field(rd, h->col[i]);
    if (!*text) break;
    double c;
    if (parse_number(text, &c) || (t->n && c <= t->conc[t->n - 1]))
      return fail(rd, rd->r.fields[0], "breakpoints not ascending numbers");
    t->conc[t->n] = c;
    t->iaqi[t->n++] = h->iaqi[i];
  }
  for (int i = t->n; i < h->ncol; i++)
    if (*field(rd, h->col[i])) return fail(rd, rd->r.fields[0], "a breakpoint after an empty one");
  return t->n >= 2 ? 0 : fail(rd, rd->r.fields[0], "fewer than two breakpoints");
}

/* The table named "POLLUTANT AVERAGING" ("PM25 24h") in the rows read. */
struct named_table { char name[48]; struct air_table t; };

static int load_bp_file(air_find_fn find, void *ctx, const char *file, struct named_table *out,
                        int max, char *err, size_t errlen) {
  static const char *const names[] = {"pollutant", "averaging_time", NULL};
  struct reader rd = {.err = err, .errlen = errlen};
  struct bp_header h;
  int col[2], n = 0, rc;
  if (open_file(&rd, find, ctx, file, names, col) || bp_columns(&rd, &h)) return -1;
  while ((rc = next_row(&rd, col, 2)) == 1) {
    if (n == max) return fail(&rd, "row", "too many tables");
    if (h.col[h.ncol - 1] >= rd.r.nfields) return fail(&rd, "row", "too few fields");
    snprintf(out[n].name, sizeof out[n].name, "%s %s", field(&rd, col[0]), field(&rd, col[1]));
    if (bp_row(&rd, &h, &out[n].t)) return -1;
    n++;
  }
  return rc < 0 ? -1 : n;
}

/* ---- editions and items ----------------------------------------------------- */

/* "24h" / "1h" (a rule: -1) or an IAQI number. */
static int parse_above_top(const char *text, const char *rule, double *out) {
  if (!strcmp(text, rule)) {
    *out = -1;
    return 0;
  }
  return parse_number(text, out);
}

/* Each item's real-time and daily table from NAMES (pollutants.csv) found
** among the tables of the edition's file. */
struct item_tables { char name[2][48]; };

static int attach_tables(struct air_edition *e, const struct item_tables *items,
                         const struct named_table *tables, int ntables, const char *file,
                         char *err, size_t errlen) {
  for (int k = 0; k < AIR_NKEYS; k++)
    for (int m = 0; m < 2; m++) {
      const char *want = items[k].name[m];
      if (!*want) continue;
      int found = 0;
      for (int i = 0; i < ntables && !found; i++)
        if (!strcmp(tables[i].name, want)) {
          e->table[m][k] = tables[i].t;
          found = 1;
        }
      if (!found) {
        snprintf(err, errlen, "%s: no table '%s' (%s)", file, want, POLLUTANTS);
        return -1;
      }
    }
  return 0;
}

static int edition_row(struct reader *rd, const int *col, struct air_edition *e,
                       air_find_fn find, void *ctx, const struct item_tables *items) {
  struct named_table tables[16];
  snprintf(e->name, sizeof e->name, "%s", field(rd, col[0]));
  if (air_hour_parse(field(rd, col[1]), &e->first_hour))
    return fail(rd, "first_hour", "not YYYY-MM-DD HH:00");
  if (parse_above_top(field(rd, col[3]), "24h", &e->so2_1h_above_top))
    return fail(rd, "so2_1h_above_top", "neither 24h nor a number");
  if (parse_above_top(field(rd, col[4]), "1h", &e->o3_8h_above_top))
    return fail(rd, "o3_8h_above_top", "neither 1h nor a number");
  const char *pm10 = field(rd, col[5]);
  if (strcmp(pm10, "missing") && strcmp(pm10, "hidden"))
    return fail(rd, "empty_pm10_beside_pm25", "neither missing nor hidden");
  e->pm10_hidden = !strcmp(pm10, "hidden");
  char file[128];
  snprintf(file, sizeof file, "%s", field(rd, col[2]));
  int n = load_bp_file(find, ctx, file, tables, 16, rd->err, rd->errlen);
  if (n < 0) {
    csv_clear(&rd->r);
    return -1;
  }
  if (attach_tables(e, items, tables, n, file, rd->err, rd->errlen)) {
    csv_clear(&rd->r);
    return -1;
  }
  return 0;
}

static int load_editions(struct air_standard *s, air_find_fn find, void *ctx,
                         const struct item_tables *items, char *err, size_t errlen) {
  static const char *const names[] = {"edition", "first_hour", "iaqi_table", "so2_1h_above_top",
                                      "o3_8h_above_top", "empty_pm10_beside_pm25", NULL};
  struct reader rd = {.err = err, .errlen = errlen};
  int col[6], rc;
  if (open_file(&rd, find, ctx, EDITIONS, names, col)) return -1;
  while ((rc = next_row(&rd, col, 6)) == 1) {
    if (s->nedition == AIR_MAX_EDITIONS) return fail(&rd, "row", "too many editions");
    struct air_edition *e = &s->edition[s->nedition];
    if (edition_row(&rd, col, e, find, ctx, items)) return -1;
    if (s->nedition && e->first_hour <= s->edition[s->nedition - 1].first_hour)
      return fail(&rd, "first_hour", "not after the edition before");
    s->nedition++;
  }
  if (rc < 0) return -1;
  if (!s->nedition) {
    snprintf(err, errlen, "%s: no edition", EDITIONS);
    return -1;
  }
  return 0;
}

static int load_pollutants(struct air_standard *s, air_find_fn find, void *ctx,
                           struct item_tables *items, char *err, size_t errlen) {
  static const char *const names[] = {"key", "realtime_table", "daily_table", "decimals",
                                      "published_name", NULL};
  struct reader rd = {.err = err, .errlen = errlen};
  int col[5], rc, n = 0;
  unsigned seen = 0;
  if (open_file(&rd, find, ctx, POLLUTANTS, names, col)) return -1;
  while ((rc = next_row(&rd, col, 5)) == 1) {
    int k = air_key_index(field(&rd, col[0]));
    if (k < 0 || (seen >> k & 1)) return fail(&rd, "key", "unknown or repeated");
    seen |= 1u << k;
    s->order[n++] = k;
    snprintf(s->key[k], sizeof s->key[k], "%s", key_names[k]);
    snprintf(s->published[k], sizeof s->published[k], "%s", field(&rd, col[4]));
    snprintf(items[k].name[AIR_REALTIME], sizeof items[k].name[0], "%s", field(&rd, col[1]));
    snprintf(items[k].name[AIR_DAILY], sizeof items[k].name[0], "%s", field(&rd, col[2]));
    if (parse_int(field(&rd, col[3]), &s->decimals[k]) || s->decimals[k] > 6)
      return fail(&rd, "decimals", "not 0..6");
  }
  if (rc < 0) return -1;
  if (n != AIR_NKEYS) {
    snprintf(err, errlen, "%s: %d of the %d items", POLLUTANTS, n, AIR_NKEYS);
    return -1;
  }
  return 0;
}

/* ---- levels, validity, composite index ------------------------------------- */

static int level_row(struct reader *rd, const int *col, struct air_level *l, int expected_min) {
  if (parse_int(field(rd, col[0]), &l->level)) return fail(rd, "level", "not a number");
  if (parse_int(field(rd, col[1]), &l->aqi_min) || l->aqi_min != expected_min)
    return fail(rd, "aqi_min", "not one above the level before");
  const char *max = field(rd, col[2]);
  l->aqi_max = -1;
  if (*max && (parse_int(max, &l->aqi_max) || l->aqi_max < l->aqi_min))
    return fail(rd, "aqi_max", "not a number at least aqi_min");
  char *const dst[] = {l->name, l->grade, l->colour, l->rgb, l->effect, l->advice};
  const size_t size[] = {sizeof l->name, sizeof l->grade, sizeof l->colour, sizeof l->rgb,
                         sizeof l->effect, sizeof l->advice};
  for (int i = 0; i < 6; i++)
    if ((size_t)snprintf(dst[i], size[i], "%s", field(rd, col[3 + i])) >= size[i])
      return fail(rd, rd->r.fields[col[3 + i]], "too long");
  return 0;
}

static int load_levels(struct air_standard *s, air_find_fn find, void *ctx, char *err,
                       size_t errlen) {
  static const char *const names[] = {"level", "aqi_min", "aqi_max", "name_zh", "grade_zh",
                                      "colour_zh", "rgb", "health_effect", "advice", NULL};
  struct reader rd = {.err = err, .errlen = errlen};
  int col[9], rc, n = 0;
  if (open_file(&rd, find, ctx, LEVELS, names, col)) return -1;
  while ((rc = next_row(&rd, col, 9)) == 1) {
    if (n == AIR_NLEVELS) return fail(&rd, "row", "more than six levels");
    int min = n ? s->level[n - 1].aqi_max + 1 : 0;
    if (n && s->level[n - 1].aqi_max < 0) return fail(&rd, "row", "after the open-ended level");
    if (level_row(&rd, col, &s->level[n], min)) return -1;
    n++;
  }
  if (rc < 0) return -1;
  if (n != AIR_NLEVELS || s->level[n - 1].aqi_max >= 0) {
    snprintf(err, errlen, "%s: six levels, the last open-ended", LEVELS);
    return -1;
  }
  return 0;
}

static int load_validity(struct air_standard *s, air_find_fn find, void *ctx, char *err,
                         size_t errlen) {
  static const char *const names[] = {"rule", "value", NULL};
  struct air_validity *v = &s->validity;
  const struct { const char *name; int *at; } rules[] = {
    {"day_min_hours", &v->day_min_hours}, {"o3_8h_min_hours", &v->o3_8h_min_hours},
    {"o3_8h_max_min_windows", &v->o3_8h_max_min_windows},
    {"o3_1h_max_min_hours", &v->o3_1h_max_min_hours}, {"month_min_days", &v->month_min_days},
    {"february_min_days", &v->february_min_days}, {"year_min_days", &v->year_min_days},
  };
  const int nrules = (int)(sizeof rules / sizeof rules[0]);
  struct reader rd = {.err = err, .errlen = errlen};
  int col[2], rc;
  unsigned seen = 0;
  if (open_file(&rd, find, ctx, VALIDITY, names, col)) return -1;
  while ((rc = next_row(&rd, col, 2)) == 1) {
    int i = 0;
    while (i < nrules && strcmp(rules[i].name, field(&rd, col[0]))) i++;
    if (i == nrules || (seen >> i & 1)) return fail(&rd, "rule", "unknown or repeated");
    seen |= 1u << i;
    if (parse_int(field(&rd, col[1]), rules[i].at) || *rules[i].at < 1 || *rules[i].at > 366)
      return fail(&rd, "value", "not 1..366");
  }
  if (rc < 0) return -1;
  if (seen != (1u << nrules) - 1) {
    snprintf(err, errlen, "%s: a rule is missing", VALIDITY);
    return -1;
  }
  return 0;
}

static int load_composite(struct air_standard *s, air_find_fn find, void *ctx, char *err,
                          size_t errlen) {
  static const char *const names[] = {"key", "limit", NULL};
  struct reader rd = {.err = err, .errlen = errlen};
  int col[2], rc;
  if (open_file(&rd, find, ctx, COMPOSITE, names, col)) return -1;
  while ((rc = next_row(&rd, col, 2)) == 1) {
    int k = air_key_index(field(&rd, col[0]));
    if (k < 0 || k == AIR_O3 || s->index_limit[k] > 0) return fail(&rd, "key", "unknown or repeated");
    if (parse_number(field(&rd, col[1]), &s->index_limit[k]) || s->index_limit[k] <= 0)
      return fail(&rd, "limit", "not a positive number");
  }
  return rc < 0 ? -1 : 0;
}

int air_standard_load(struct air_standard *s, air_find_fn find, void *ctx, char *err,
                      size_t errlen) {
  struct item_tables items[AIR_NKEYS];
  memset(s, 0, sizeof *s);
  memset(items, 0, sizeof items);
  return (load_pollutants(s, find, ctx, items, err, errlen) ||
          load_editions(s, find, ctx, items, err, errlen) ||
          load_levels(s, find, ctx, err, errlen) || load_validity(s, find, ctx, err, errlen) ||
          load_composite(s, find, ctx, err, errlen)) ? -1 : 0;
}
