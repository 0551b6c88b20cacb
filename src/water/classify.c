/*
** The classify conversion (classify.h). The header is checked once and
** mapped to item indices; each row is then parsed field by field so that an
** error can name its line and field.
*/
#include "water/classify.h"
#include "supervision/period.h"
#include "util/buf.h"
#include "util/csv.h"
#include "water/evaluate.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define FIXED_COLUMNS 3   /* section, type, time */
#define PH_MAX 14.0

struct layout {
  int ncols;
  int item[CSV_MAX_FIELDS];   /* item index of each value column */
};

void water_csv_field(struct buf *out, const char *field) {
  if (!strpbrk(field, ",\"\r\n")) {
    buf_puts(out, field);
    return;
  }
  buf_puts(out, "\"");
  for (const char *p = field; *p; p++) {
    if (*p == '"') buf_puts(out, "\"");
    buf_append(out, p, 1);
  }
  buf_puts(out, "\"");
}

static void write_record(struct buf *out, const struct csv_reader *r) {
  for (int i = 0; i < r->nfields; i++) {
    if (i) buf_puts(out, ",");
    water_csv_field(out, r->fields[i]);
  }
}

static int read_header(const struct water_standard *s, struct csv_reader *r,
                       struct layout *l, char *err, size_t errlen) {
  static const char *const fixed[FIXED_COLUMNS] = {"section", "type", "time"};
  for (int i = 0; i < FIXED_COLUMNS; i++)
    if (i >= r->nfields || strcasecmp(r->fields[i], fixed[i])) {
      snprintf(err, errlen, "line %d, field %d: the header must start with section,type,time",
               r->line, i + 1);
      return -1;
    }
  water_mask seen = 0;
  for (int i = FIXED_COLUMNS; i < r->nfields; i++) {
    int k = water_item_index(s, r->fields[i]);
    if (k < 0 || ((seen >> k) & 1)) {
      snprintf(err, errlen, "line %d, field %s: %s item code of GB 3838 Table 1", r->line,
               r->fields[i], k < 0 ? "not an" : "repeated");
      return -1;
    }
    seen |= (water_mask)1 << k;
    l->item[i] = k;
  }
  l->ncols = r->nfields;
  return 0;
}

static int parse_body(const char *text, enum water_body *body) {
  if (!strcmp(text, "river")) *body = WATER_RIVER;
  else if (!strcmp(text, "lake") || !strcmp(text, "reservoir")) *body = WATER_LAKE;
  else return -1;
  return 0;
}

/* The row's item values into VALUES (NAN where empty). */
static int read_values(const struct water_standard *s, const struct csv_reader *r,
                       const struct layout *l, double *values, char *err, size_t errlen) {
  for (int i = 0; i < s->n; i++) values[i] = NAN;
  for (int i = FIXED_COLUMNS; i < l->ncols; i++) {
    const struct water_item *it = &s->item[l->item[i]];
    double v;
    int below, rc = water_parse_value(r->fields[i], &v, &below);
    if (rc == 1) continue;
    if (rc < 0 || (it->mean == WATER_MEAN_HYDROGEN_ION && v > PH_MAX)) {
      snprintf(err, errlen, "line %d, field %s: '%s' is not a value (a number, "
               "optionally followed by L)", r->line, it->code, r->fields[i]);
      return -1;
    }
    values[l->item[i]] = v;
  }
  return 0;
}

static int classify_row(const struct water_standard *s, const struct csv_reader *r,
                        const struct layout *l, struct buf *out, char *err, size_t errlen) {
  enum water_body body;
  if (r->nfields != l->ncols) {
    snprintf(err, errlen, "line %d, field %d: %d fields where the header has %d", r->line,
             r->nfields < l->ncols ? r->nfields + 1 : l->ncols + 1, r->nfields, l->ncols);
    return -1;
  }
  if (!*r->fields[0]) {
    snprintf(err, errlen, "line %d, field section: empty", r->line);
    return -1;
  }
  if (parse_body(r->fields[1], &body)) {
    snprintf(err, errlen, "line %d, field type: '%s' is not river, lake or reservoir",
             r->line, r->fields[1]);
    return -1;
  }
  const char *time = r->fields[2];
  int day;
  char date[11];
  snprintf(date, sizeof date, "%.10s", time);
  if (*time && day_parse(date, &day)) {
    snprintf(err, errlen, "line %d, field time: '%s' does not start with a date YYYY-MM-DD",
             r->line, time);
    return -1;
  }
  double values[WATER_MAX_ITEMS];
  if (read_values(s, r, l, values, err, errlen)) return -1;
  struct water_result res;
  /* rounded by the rules in force at the row's time */
  water_evaluate(water_standard_on(s, time), body, values, 0, &res);
  write_record(out, r);
  if (res.cls) buf_printf(out, ",%d,", res.cls);
  else buf_puts(out, ",,");
  buf_puts(out, water_class_label(res.cls));
  buf_puts(out, ",");
  buf_puts(out, water_rating_label(water_class_rating(res.cls)));
  buf_puts(out, ",");
  struct buf main = {0};
  water_main_pollutants_text(s, &res, &main);
  water_csv_field(out, buf_str(&main));
  buf_free(&main);
  buf_puts(out, "\n");
  return 0;
}

int water_classify_csv(const struct water_standard *s, const char *in, size_t len,
                       struct buf *out, char *err, size_t errlen) {
  struct csv_reader r;
  struct layout l;
  csv_init(&r, in, len);
  int rc = csv_next(&r);
  if (rc <= 0) {
    snprintf(err, errlen, "%s", rc < 0 ? r.error : "line 1: no header");
    return -1;
  }
  if (read_header(s, &r, &l, err, errlen)) {
    csv_clear(&r);
    return -1;
  }
  write_record(out, &r);
  buf_puts(out, ",class,class_label,rating,main_pollutants\n");
  while ((rc = csv_next(&r)) == 1)
    if (classify_row(s, &r, &l, out, err, errlen)) {
      csv_clear(&r);
      return -1;
    }
  if (rc < 0) {
    snprintf(err, errlen, "%s", r.error);
    return -1;
  }
  return 0;
}
