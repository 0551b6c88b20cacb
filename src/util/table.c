/*
** Printable tables (table.h): cell text, widths, China time, file names.
*/
#include "util/table.h"
#include "util/time.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct table_sheet *table_add_sheet(struct table_doc *d, const char *name, const struct table_column *cols,
                                    int ncols, json_t *rows, const char *title_fmt, ...) {
  if (d->nsheets == TABLE_MAX_SHEETS) {
    json_decref(rows);
    return NULL;
  }
  struct table_sheet *s = &d->sheets[d->nsheets++];
  snprintf(s->name, sizeof s->name, "%s", name);
  va_list ap;
  va_start(ap, title_fmt);
  vsnprintf(s->title, sizeof s->title, title_fmt, ap);
  va_end(ap);
  s->cols = cols;
  s->ncols = ncols < TABLE_MAX_COLUMNS ? ncols : TABLE_MAX_COLUMNS;
  s->rows = rows ? rows : json_array();
  return s;
}

void table_doc_free(struct table_doc *d) {
  for (int i = 0; i < d->nsheets; i++) json_decref(d->sheets[i].rows);
  d->nsheets = 0;
}

const char *table_word(const struct table_doc *d, const char *zh, const char *en) {
  return d->lang == TABLE_EN ? en : zh;
}

int table_lang_parse(const char *lang, const char *accept_language, enum table_lang *out) {
  if (lang) {
    if (strcmp(lang, "zh") && strcmp(lang, "en")) return -1;
    *out = strcmp(lang, "en") ? TABLE_ZH : TABLE_EN;
    return 0;
  }
  /* the first language named is the one preferred */
  while (accept_language && *accept_language == ' ') accept_language++;
  *out = accept_language && !strncmp(accept_language, "en", 2) ? TABLE_EN : TABLE_ZH;
  return 0;
}

static json_t *lookup(json_t *row, const char *key) {
  const char *dot = strchr(key, '.');
  if (!dot) return json_object_get(row, key);
  char head[64];
  snprintf(head, sizeof head, "%.*s", (int)(dot - key), key);
  return lookup(json_object_get(row, head), dot + 1);
}

json_t *table_value(json_t *row, const struct table_column *col) {
  return lookup(row, col->key);
}

int table_decimals(const struct table_column *col, json_t *row) {
  json_t *own = col->decimals_key ? lookup(row, col->decimals_key) : NULL;
  int d = json_is_integer(own) ? (int)json_integer_value(own) : col->decimals;
  return d < 0 ? 0 : d > 6 ? 6 : d;
}

void table_text(const struct table_column *col, json_t *row, enum table_lang lang, char *out, size_t n) {
  json_t *v = table_value(row, col);
  int d = table_decimals(col, row);
  if (!v) snprintf(out, n, "%s", "");
  else if (json_is_null(v)) snprintf(out, n, "%s", "—");
  else if (json_is_boolean(v)) snprintf(out, n, "%s", json_is_true(v) ? (lang ? "yes" : "是") : (lang ? "no" : "否"));
  else if (json_is_string(v) && col->kind == TABLE_TIME) {
    char t[TIME_TEXT_SIZE];   /* the platform's clock (UTC) in China time */
    snprintf(out, n, "%s", time_china_text(json_string_value(v), 0, t) ? json_string_value(v) : t);
  } else if (json_is_string(v)) snprintf(out, n, "%s", json_string_value(v));
  else if (col->kind == TABLE_PERCENT) snprintf(out, n, "%.*f%%", d, 100 * json_number_value(v));
  else if (col->kind == TABLE_FIXED) snprintf(out, n, "%.*f", d, json_number_value(v));
  else if (json_is_integer(v)) snprintf(out, n, "%lld", (long long)json_integer_value(v));
  else snprintf(out, n, "%g", json_number_value(v));
}

int table_text_width(const char *s) {
  int w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p & 0xC0) == 0x80) continue;             /* continuation byte */
    if (*p < 0x80) w += 1;
    else if (*p < 0xE0) w += 1;                    /* Latin, Greek, … */
    else if (*p == 0xE2 && p[1] == 0x80) w += 1;   /* general punctuation: — … */
    else w += 2;                                   /* CJK, Ⅲ, full-width forms */
  }
  return w;
}


void table_file_name(const struct table_doc *d, const char *ext, char *out, size_t n) {
  if (d->period[0]) snprintf(out, n, "%s_%s.%s", d->stem, d->period, ext);
  else snprintf(out, n, "%s.%s", d->stem, ext);
}
