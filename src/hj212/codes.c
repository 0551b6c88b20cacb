/*
** The factor-code table (hj212.h): rows of data/hj212/factor_codes.csv,
** with open-addressing hashes on the 2017 code and on the 2005 code. Codes
** are at most 7 bytes, so a key is packed into a 64-bit word and compared
** in one instruction: the parser looks up every new pollutant of every
** packet. A slot holds the key itself beside the row, so a probe is one
** load, and packing takes two loads, not a copy of variable length.
*/
#include "hj212/codes_index.h"
#include "util/buf.h"
#include "util/csv.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes 0..3 at P, byte I at bits 8I (compilers make this one load). */
static uint64_t le32(const unsigned char *p) {
  return (uint64_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                    (uint32_t)p[3] << 24);
}

/* The code as a 64-bit word, byte I at bits 8I; 0 if it is empty or longer
** than 7 bytes. From 4 bytes on, the first four and the last four (they
** overlap, the same bytes in the same places). */
static inline uint64_t pack(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  if (len - 1 >= 7) return 0;
  if (len >= 4) return le32(u) | le32(u + len - 4) << (8 * (len - 4));
  return u[0] | (uint64_t)u[len / 2] << (8 * (len / 2)) | (uint64_t)u[len - 1] << (8 * (len - 1));
}

static void insert(uint64_t *keys, uint32_t *slots, uint32_t mask, uint64_t key, uint32_t row) {
  uint32_t h = hj212_codes_hash(key, mask);
  while (keys[h]) h = (h + 1) & mask;
  keys[h] = key;
  slots[h] = row;
}

const struct hj212_code *hj212_codes_find(const struct hj212_codes *c, const char *code, size_t len) {
  return c ? hj212_codes_lookup(c, c->keys, c->slots, pack(code, len)) : NULL;
}

const struct hj212_code *hj212_codes_find_old(const struct hj212_codes *c, const char *code,
                                              size_t len) {
  return c ? hj212_codes_lookup(c, c->old_keys, c->old_slots, pack(code, len)) : NULL;
}

size_t hj212_codes_count(const struct hj212_codes *c) { return c ? c->n : 0; }

void hj212_codes_free(struct hj212_codes *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n; i++) {
    free(c->rows[i].name);
    free(c->rows[i].unit);
    free(c->rows[i].unit_amount);
    free(c->rows[i].data_type);
  }
  free(c->rows);
  free(c->keys);
  free(c->old_keys);
  free(c->slots);
  free(c->old_slots);
  free(c);
}

static const char *const COLUMNS[] = {"code", "old_code", "kind", "name", "unit",
                                      "unit_amount", "data_type", "min", "max"};
enum { NCOLUMNS = sizeof COLUMNS / sizeof COLUMNS[0] };

/* A code: 1 to 7 characters of [0-9A-Za-z]. */
static int valid_code(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 7) return 0;
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
      return 0;
  }
  return 1;
}

/* A bound: empty (NAN) or a decimal number. */
static int parse_bound(const char *s, double *out) {
  if (!*s) { *out = NAN; return 0; }
  char *end;
  *out = strtod(s, &end);
  return *end || !isfinite(*out) ? -1 : 0;
}

static int parse_kind(const char *s) {
  if (!strcmp(s, "water")) return HJ212_KIND_WATER;
  if (!strcmp(s, "air")) return HJ212_KIND_AIR;
  if (!strcmp(s, "noise")) return HJ212_KIND_NOISE;
  return -1;
}

/* Fill ROW from the current record (columns in IDX); message in ERR. */
static int parse_row(struct csv_reader *r, const int idx[NCOLUMNS], struct hj212_code *row,
                     char *err, size_t errlen) {
  const char *f[NCOLUMNS];
  for (int i = 0; i < NCOLUMNS; i++) {
    if (idx[i] >= r->nfields) {
      snprintf(err, errlen, "line %d: missing field %s", r->line, COLUMNS[i]);
      return -1;
    }
    f[i] = r->fields[idx[i]];
  }
  const char *bad = NULL;
  int kind = parse_kind(f[2]);
  if (!valid_code(f[0])) bad = "code";
  else if (*f[1] && !valid_code(f[1])) bad = "old_code";
  else if (kind < 0) bad = "kind";
  else if (parse_bound(f[7], &row->min)) bad = "min";
  else if (parse_bound(f[8], &row->max)) bad = "max";
  if (bad) {
    snprintf(err, errlen, "line %d: invalid %s", r->line, bad);
    return -1;
  }
  /* valid_code bounds both at 7 bytes, and ROW arrives zeroed */
  memcpy(row->code, f[0], strlen(f[0]));
  memcpy(row->old_code, f[1], strlen(f[1]));
  row->kind = (enum hj212_code_kind)kind;
  row->name = xstrdup(f[3]);
  row->unit = xstrdup(f[4]);
  row->unit_amount = xstrdup(f[5]);
  row->data_type = xstrdup(f[6]);
  return 0;
}

static int read_header(struct csv_reader *r, int idx[NCOLUMNS], char *err, size_t errlen) {
  if (csv_next(r) != 1) {
    snprintf(err, errlen, "%s", r->error[0] ? r->error : "empty code table");
    return -1;
  }
  for (int i = 0; i < NCOLUMNS; i++) {
    idx[i] = csv_column(r, COLUMNS[i]);
    if (idx[i] < 0) {
      snprintf(err, errlen, "line 1: no column %s", COLUMNS[i]);
      return -1;
    }
  }
  return 0;
}

/* Build both hashes; refuses a code or old code given twice. */
static int index_rows(struct hj212_codes *c, char *err, size_t errlen) {
  uint32_t size = 16;
  while (size < 2 * c->n) size *= 2;
  c->mask = size - 1;
  c->slots = xcalloc(size, sizeof *c->slots);
  c->old_slots = xcalloc(size, sizeof *c->old_slots);
  c->keys = xcalloc(size, sizeof *c->keys);
  c->old_keys = xcalloc(size, sizeof *c->old_keys);
  for (size_t i = 0; i < c->n; i++) {
    const struct hj212_code *row = &c->rows[i];
    uint64_t k = pack(row->code, strlen(row->code));
    uint64_t ok = pack(row->old_code, strlen(row->old_code));
    if (hj212_codes_lookup(c, c->keys, c->slots, k) ||
        (ok && hj212_codes_lookup(c, c->old_keys, c->old_slots, ok))) {
      snprintf(err, errlen, "code %s: given twice", row->code);
      return -1;
    }
    insert(c->keys, c->slots, c->mask, k, (uint32_t)i);
    if (ok) insert(c->old_keys, c->old_slots, c->mask, ok, (uint32_t)i);
  }
  return 0;
}

struct hj212_codes *hj212_codes_load(const char *csv, size_t len, char *err, size_t errlen) {
  struct csv_reader r;
  int idx[NCOLUMNS];
  struct hj212_codes *c = xcalloc(1, sizeof *c);
  size_t cap = 0;
  csv_init(&r, csv, len);
  if (read_header(&r, idx, err, errlen)) goto fail;
  int rc;
  while ((rc = csv_next(&r)) == 1) {
    struct hj212_code row = {0};
    if (parse_row(&r, idx, &row, err, errlen)) goto fail;
    if (c->n == cap) {
      cap = cap ? cap * 2 : 64;
      c->rows = xrealloc(c->rows, cap * sizeof *c->rows);
    }
    c->rows[c->n++] = row;
  }
  if (rc < 0) {
    snprintf(err, errlen, "%s", r.error);
    goto fail;
  }
  csv_clear(&r);
  if (index_rows(c, err, errlen)) {
    hj212_codes_free(c);
    return NULL;
  }
  return c;
fail:
  csv_clear(&r);
  hj212_codes_free(c);
  return NULL;
}
