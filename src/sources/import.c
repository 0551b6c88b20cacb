/*
** `sources import` rows: headers, fields, cross-row consistency
** (import.h).
*/
#include "sources/import.h"
#include "hj212/hj212.h"
#include "sources/credit.h"
#include "util/csv.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAYOUT_NAME "data/sources/import_layout.csv"

static const char *const FIELD_NAMES[SRC_F_COUNT] = {
  "enterprise", "credit_code", "county", "permit_no", "outlet_code", "outlet_name",
  "outlet_kind", "station_mn", "pollutant", "limit", "limit_period", "annual_limit_t",
};

const char *src_import_field_name(enum src_import_field f) {
  return FIELD_NAMES[f];
}

/* ---- the layout table ------------------------------------------------- */

/* Where row KIND,KEY of the layout goes in L, or NULL. */
static char *layout_slot(struct src_import_layout *l, const char *kind, const char *key) {
  if (!strcmp(kind, "header")) {
    for (int f = 0; f < SRC_F_COUNT; f++)
      if (!strcmp(key, FIELD_NAMES[f])) return l->header_zh[f];
  } else if (!strcmp(kind, "outlet_kind")) {
    if (!strcmp(key, "water")) return l->water_zh;
    if (!strcmp(key, "gas")) return l->gas_zh;
  } else if (!strcmp(kind, "limit_period")) {
    if (!strcmp(key, "hour")) return l->hour_zh;
    if (!strcmp(key, "day")) return l->day_zh;
  }
  return NULL;
}

static int layout_complete(const struct src_import_layout *l) {
  for (int f = 0; f < SRC_F_COUNT; f++)
    if (!l->header_zh[f][0]) return 0;
  return l->water_zh[0] && l->gas_zh[0] && l->hour_zh[0] && l->day_zh[0];
}

int src_import_layout_load(struct src_import_layout *l, const char *csv, size_t len, char *err,
                           size_t errlen) {
  struct src_import_layout n;
  struct csv_reader c;
  memset(&n, 0, sizeof n);
  csv_init(&c, csv, len);
  int rc = csv_next(&c) == 1 ? 0 : -1, got = 0;
  int kind = csv_column(&c, "kind"), key = csv_column(&c, "key"), zh = csv_column(&c, "zh");
  if (rc || kind < 0 || key < 0 || zh < 0) {
    snprintf(err, errlen, LAYOUT_NAME ": header needs kind, key, zh");
    rc = -1;
  }
  while (!rc && (got = csv_next(&c)) == 1) {
    char *slot = c.nfields > kind && c.nfields > key && c.nfields > zh
                     ? layout_slot(&n, c.fields[kind], c.fields[key]) : NULL;
    size_t zl = slot ? strlen(c.fields[zh]) : 0;
    if (!slot || !zl || zl >= SRC_LAYOUT_ZH_SIZE || slot[0]) {
      snprintf(err, errlen, LAYOUT_NAME ": line %d: not a new header or value with its Chinese name", c.line);
      rc = -1;
    } else {
      memcpy(slot, c.fields[zh], zl + 1);
    }
  }
  if (!rc && got < 0) {
    snprintf(err, errlen, LAYOUT_NAME ": %s", c.error);
    rc = -1;
  }
  csv_clear(&c);
  if (!rc && !layout_complete(&n)) {
    snprintf(err, errlen, LAYOUT_NAME ": a header or value has no row");
    rc = -1;
  }
  if (!rc) *l = n;
  return rc;
}

/* ---- errors ----------------------------------------------------------- */

/* The validation's state. */
struct run {
  const struct src_import_layout *layout;
  const struct hj212_codes *codes;
  const struct src_import_row *header;
  int column[SRC_F_COUNT];      /* 0-based index of each field in the file */
  struct src_import_result *out;
};

static void add_error(struct run *r, int line, int column, const char *fmt, ...) {
  struct src_import_result *o = r->out;
  o->total_errors++;
  if (o->nerrors == SRC_IMPORT_MAX_ERRORS) return;
  struct src_import_error *e = &o->errors[o->nerrors++];
  e->line = line;
  e->column = column + 1;
  e->header[0] = 0;
  if (column >= 0 && column < r->header->nfields)
    snprintf(e->header, sizeof e->header, "%s", r->header->fields[column]);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
}

/* An error on field F of ROW. */
#define FIELD_ERROR(r, row, f, ...) add_error(r, (row)->line, (r)->column[f], __VA_ARGS__)

/* ---- headers ---------------------------------------------------------- */

static int field_of_header(const struct src_import_layout *l, const char *h) {
  for (int f = 0; f < SRC_F_COUNT; f++)
    if (!strcmp(h, FIELD_NAMES[f]) || !strcmp(h, l->header_zh[f])) return f;
  return -1;
}

static void read_header(struct run *r) {
  const struct src_import_row *h = r->header;
  for (int f = 0; f < SRC_F_COUNT; f++) r->column[f] = -1;
  for (int i = 0; i < h->nfields; i++) {
    int f = field_of_header(r->layout, h->fields[i]);
    if (f < 0) add_error(r, h->line, i, "unknown header '%s'", h->fields[i]);
    else if (r->column[f] >= 0) add_error(r, h->line, i, "a second %s column", FIELD_NAMES[f]);
    else r->column[f] = i;
  }
  for (int f = 0; f < SRC_F_COUNT; f++)
    if (r->column[f] < 0)
      add_error(r, h->line, -1, "no %s (%s) column", FIELD_NAMES[f], r->layout->header_zh[f]);
}

/* ---- fields ----------------------------------------------------------- */

/* Copy TEXT without surrounding ASCII blanks into DST (SIZE bytes).
** Returns its length, or -1 if too long. */
static int trimmed(char *dst, size_t size, const char *text) {
  while (*text == ' ' || *text == '\t') text++;
  size_t n = strlen(text);
  while (n && (text[n - 1] == ' ' || text[n - 1] == '\t')) n--;
  if (n >= size) return -1;
  memcpy(dst, text, n);
  dst[n] = 0;
  return (int)n;
}

/* Field F of ROW into DST: required unless OPTIONAL. Returns 0, or -1
** after recording the error. */
static int text_field(struct run *r, const struct src_import_row *row, enum src_import_field f,
                      char *dst, size_t size, int optional) {
  int n = trimmed(dst, size, row->fields[r->column[f]]);
  if (n < 0) FIELD_ERROR(r, row, f, "%s is longer than %zu bytes", FIELD_NAMES[f], size - 1);
  else if (!n && !optional) FIELD_ERROR(r, row, f, "%s is empty", FIELD_NAMES[f]);
  return n > 0 || (!n && optional) ? 0 : -1;
}

static void check_credit(struct run *r, const struct src_import_row *row, const char *code) {
  struct credit_result cr;
  if (credit_code_check(code, strlen(code), &cr))
    FIELD_ERROR(r, row, SRC_F_CREDIT_CODE, "credit code %s: %s", code, cr.message);
}

static int choice(const char *v, const char *en, const char *zh) {
  return !strcmp(v, en) || !strcmp(v, zh);
}

static void read_kind(struct run *r, const struct src_import_row *row, const char *v,
                      struct src_import_record *rec) {
  const struct src_import_layout *l = r->layout;
  if (choice(v, "water", l->water_zh)) rec->outlet_kind = SRC_OUTLET_WATER;
  else if (choice(v, "gas", l->gas_zh)) rec->outlet_kind = SRC_OUTLET_GAS;
  else FIELD_ERROR(r, row, SRC_F_OUTLET_KIND, "outlet_kind '%s' is not water (%s) or gas (%s)", v, l->water_zh, l->gas_zh);
}

static void read_period(struct run *r, const struct src_import_row *row, const char *v,
                        struct src_import_record *rec) {
  const struct src_import_layout *l = r->layout;
  if (choice(v, "hour", l->hour_zh)) rec->limit_period = SRC_PERIOD_HOUR;
  else if (choice(v, "day", l->day_zh)) rec->limit_period = SRC_PERIOD_DAY;
  else FIELD_ERROR(r, row, SRC_F_LIMIT_PERIOD, "limit_period '%s' is not hour (%s) or day (%s)", v, l->hour_zh, l->day_zh);
}

static void check_mn(struct run *r, const struct src_import_row *row, const char *mn) {
  size_t n = strlen(mn);
  int ok = n <= HJ212_MN_MAX;
  for (size_t i = 0; ok && i < n; i++)
    ok = (mn[i] >= '0' && mn[i] <= '9') || (mn[i] >= 'A' && mn[i] <= 'Z') ||
         (mn[i] >= 'a' && mn[i] <= 'z') || mn[i] == '_' || mn[i] == '-';
  if (!ok) FIELD_ERROR(r, row, SRC_F_STATION_MN, "station_mn '%s' is not 1-%d letters, digits, _ or -", mn, HJ212_MN_MAX);
}

/* The pollutant: a 2017 code, or a 2005 code mapped to one, of the
** outlet's kind. */
static void read_pollutant(struct run *r, const struct src_import_row *row, const char *v,
                           struct src_import_record *rec, int kind_ok) {
  const struct hj212_code *c = hj212_codes_find(r->codes, v, strlen(v));
  if (!c) c = hj212_codes_find_old(r->codes, v, strlen(v));
  if (!c) {
    FIELD_ERROR(r, row, SRC_F_POLLUTANT, "pollutant '%s' is not an HJ 212 code (data/hj212/factor_codes.csv)", v);
    return;
  }
  snprintf(rec->pollutant, sizeof rec->pollutant, "%s", c->code);
  enum hj212_code_kind want = rec->outlet_kind == SRC_OUTLET_WATER ? HJ212_KIND_WATER : HJ212_KIND_AIR;
  if (kind_ok && c->kind != want)
    FIELD_ERROR(r, row, SRC_F_POLLUTANT, "pollutant %s (%s) is not a %s code", v, c->name,
                rec->outlet_kind == SRC_OUTLET_WATER ? "water" : "gas");
}

static void read_annual(struct run *r, const struct src_import_row *row, const char *v,
                        struct src_import_record *rec) {
  rec->annual_limit_t = NAN;
  if (*v && (src_parse_number(v, &rec->annual_limit_t) || rec->annual_limit_t < 0)) {
    FIELD_ERROR(r, row, SRC_F_ANNUAL_LIMIT_T, "annual_limit_t '%s' is not a number of tonnes >= 0", v);
    rec->annual_limit_t = NAN;
  }
}

static void read_row(struct run *r, const struct src_import_row *row, struct src_import_record *rec) {
  char kind[64], period[64], pollutant[16], limit[64], annual[64];
  memset(rec, 0, sizeof *rec);
  rec->line = row->line;
  if (row->nfields != r->header->nfields) {
    add_error(r, row->line, -1, "%d fields, the header has %d", row->nfields, r->header->nfields);
    return;
  }
  text_field(r, row, SRC_F_ENTERPRISE, rec->enterprise, sizeof rec->enterprise, 0);
  if (!text_field(r, row, SRC_F_CREDIT_CODE, rec->credit_code, sizeof rec->credit_code, 0))
    check_credit(r, row, rec->credit_code);
  text_field(r, row, SRC_F_COUNTY, rec->county, sizeof rec->county, 0);
  text_field(r, row, SRC_F_PERMIT_NO, rec->permit_no, sizeof rec->permit_no, 0);
  text_field(r, row, SRC_F_OUTLET_CODE, rec->outlet_code, sizeof rec->outlet_code, 0);
  text_field(r, row, SRC_F_OUTLET_NAME, rec->outlet_name, sizeof rec->outlet_name, 0);
  size_t before = r->out->total_errors;
  if (!text_field(r, row, SRC_F_OUTLET_KIND, kind, sizeof kind, 0)) read_kind(r, row, kind, rec);
  int kind_ok = r->out->total_errors == before;
  if (!text_field(r, row, SRC_F_STATION_MN, rec->station_mn, sizeof rec->station_mn, 1))
    check_mn(r, row, rec->station_mn);
  if (!text_field(r, row, SRC_F_POLLUTANT, pollutant, sizeof pollutant, 0))
    read_pollutant(r, row, pollutant, rec, kind_ok);
  if (!text_field(r, row, SRC_F_LIMIT, limit, sizeof limit, 0) && src_limit_parse(limit, &rec->limit))
    FIELD_ERROR(r, row, SRC_F_LIMIT, "limit '%s' is not a number above 0 or a range such as 6-9", limit);
  if (!text_field(r, row, SRC_F_LIMIT_PERIOD, period, sizeof period, 0)) read_period(r, row, period, rec);
  if (!text_field(r, row, SRC_F_ANNUAL_LIMIT_T, annual, sizeof annual, 1)) read_annual(r, row, annual, rec);
}

/* ---- across rows ------------------------------------------------------ */

/* Field F of A and B, which must agree (both non-empty). */
static void agree(struct run *r, const struct src_import_record *a, const struct src_import_record *b,
                  enum src_import_field f, const char *va, const char *vb, const char *what) {
  if (*va && *vb && strcmp(va, vb))
    add_error(r, b->line, r->column[f], "%s '%s' differs from line %d's '%s' for the same %s",
              FIELD_NAMES[f], vb, a->line, va, what);
}

/* B uses the MN of A, another outlet: reported once per row (*SEEN). */
static void mn_conflict(struct run *r, const struct src_import_record *a,
                        const struct src_import_record *b, int *seen) {
  if (*seen || !b->station_mn[0] || strcmp(a->station_mn, b->station_mn)) return;
  *seen = 1;
  add_error(r, b->line, r->column[SRC_F_STATION_MN], "station_mn %s belongs to another outlet (line %d)",
            b->station_mn, a->line);
}

/* Compare row B with the valid rows before it, REC[0..N): its enterprise
** and its outlet with the first row that names them (each disagreement
** reported once), its pollutant and MN with every row. */
static void check_against(struct run *r, const struct src_import_record *rec, size_t n,
                          const struct src_import_record *b) {
  int seen_ent = 0, seen_outlet = 0, seen_mn = 0;
  for (size_t j = 0; j < n; j++) {
    const struct src_import_record *a = &rec[j];
    if (!a->line || strcmp(a->credit_code, b->credit_code)) {
      if (a->line) mn_conflict(r, a, b, &seen_mn);
      continue;
    }
    if (!seen_ent++) {
      agree(r, a, b, SRC_F_ENTERPRISE, a->enterprise, b->enterprise, "credit code");
      agree(r, a, b, SRC_F_COUNTY, a->county, b->county, "credit code");
      agree(r, a, b, SRC_F_PERMIT_NO, a->permit_no, b->permit_no, "credit code");
    }
    if (strcmp(a->outlet_code, b->outlet_code)) {
      mn_conflict(r, a, b, &seen_mn);
      continue;
    }
    if (!seen_outlet++) {
      agree(r, a, b, SRC_F_OUTLET_NAME, a->outlet_name, b->outlet_name, "outlet");
      agree(r, a, b, SRC_F_STATION_MN, a->station_mn, b->station_mn, "outlet");
      if (a->outlet_kind != b->outlet_kind)
        add_error(r, b->line, r->column[SRC_F_OUTLET_KIND], "outlet_kind differs from line %d's for the same outlet", a->line);
    }
    if (!strcmp(a->pollutant, b->pollutant))
      add_error(r, b->line, r->column[SRC_F_POLLUTANT], "pollutant %s is listed for this outlet on line %d already",
                b->pollutant, a->line);
  }
}

/* ---- the whole ---------------------------------------------------------- */

int src_import_rows(const struct src_import_layout *l, const struct hj212_codes *codes,
                    const struct src_import_row *rows, size_t n, struct src_import_result *out) {
  memset(out, 0, sizeof *out);
  out->errors = calloc(SRC_IMPORT_MAX_ERRORS, sizeof *out->errors);
  out->records = n > 1 ? calloc(n - 1, sizeof *out->records) : NULL;
  if (!out->errors || (n > 1 && !out->records)) {
    src_import_result_free(out);
    return -1;
  }
  struct run r = {.layout = l, .codes = codes, .header = rows, .out = out};
  if (!n) {
    static const struct src_import_row none = {.line = 1};
    r.header = &none;
    add_error(&r, 1, -1, "no header row");
    return -1;
  }
  read_header(&r);
  int header_ok = !out->total_errors;
  for (size_t i = 1; header_ok && i < n; i++) {
    size_t before = out->total_errors;
    read_row(&r, &rows[i], &out->records[i - 1]);
    if (out->total_errors != before) {
      out->records[i - 1].line = 0;   /* not compared with later rows */
      continue;
    }
    check_against(&r, out->records, i - 1, &out->records[i - 1]);
  }
  if (!out->total_errors) {
    out->n = n - 1;
    return 0;
  }
  free(out->records);
  out->records = NULL;
  return -1;
}

void src_import_result_free(struct src_import_result *r) {
  free(r->records);
  free(r->errors);
  r->records = NULL;
  r->errors = NULL;
  r->n = r->nerrors = r->total_errors = 0;
}
