/*
** GB 18918-2002 一级A limits and compliance (gb18918.h).
*/
#include "sources/gb18918.h"
#include "supervision/period.h"
#include "util/csv.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TABLE_NAME "data/standards/gb18918_1a.csv"
#define ITEMS_NAME "data/sources/gb18918_items.csv"

static int errorf(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return -1;
}

static int copy_code(char *dst, size_t size, const char *src) {
  size_t n = strlen(src);
  if (!n || n >= size) return -1;
  memcpy(dst, src, n + 1);
  return 0;
}

/* "5(8)": the limit outside the brackets into IT, the one inside into
** IT->cold_limit (the condition comes from the items table). */
static int parse_1a(const char *text, struct gb18918_item *it) {
  char outside[32];
  const char *open = strchr(text, '(');
  if (!open) return src_limit_parse(text, &it->limit);
  size_t n = (size_t)(open - text), len = strlen(text);
  if (n >= sizeof outside || len < n + 3 || text[len - 1] != ')') return -1;
  memcpy(outside, text, n);
  outside[n] = 0;
  char inside[32];
  if (len - n - 2 >= sizeof inside) return -1;
  memcpy(inside, open + 1, len - n - 2);
  inside[len - n - 2] = 0;
  struct src_limit cold;
  if (src_limit_parse(outside, &it->limit) || src_limit_parse(inside, &cold) ||
      it->limit.kind != SRC_LIMIT_UPPER || cold.kind != SRC_LIMIT_UPPER)
    return -1;
  it->has_cold = 1;
  it->cold_limit = cold.value;
  return 0;
}

static int find_code(const struct gb18918 *s, const char *code) {
  for (int i = 0; i < s->n; i++)
    if (!strcmp(s->item[i].code, code)) return i;
  return -1;
}

static int load_table(struct gb18918 *s, const char *csv, size_t len, char *err, size_t errlen) {
  struct csv_reader c;
  csv_init(&c, csv, len);
  int rc = 0, got = 0;
  if (csv_next(&c) != 1) rc = errorf(err, errlen, TABLE_NAME ": no header");
  int code = csv_column(&c, "code"), lim = csv_column(&c, "limit_1A");
  if (!rc && (code < 0 || lim < 0)) rc = errorf(err, errlen, TABLE_NAME ": header needs code, limit_1A");
  while (!rc && (got = csv_next(&c)) == 1) {
    struct gb18918_item it = {.built_before_day = DAY_NONE, .early_limit = NAN,
                              .cold_limit = NAN, .cold_c = NAN};
    if (c.nfields <= code || c.nfields <= lim) rc = errorf(err, errlen, TABLE_NAME ": line %d: too few fields", c.line);
    else if (s->n == GB18918_MAX_ITEMS) rc = errorf(err, errlen, TABLE_NAME ": line %d: too many items", c.line);
    else if (copy_code(it.code, sizeof it.code, c.fields[code])) rc = errorf(err, errlen, TABLE_NAME ": line %d: code", c.line);
    else if (find_code(s, it.code) >= 0) rc = errorf(err, errlen, TABLE_NAME ": line %d: a second row for %s", c.line, it.code);
    else if (parse_1a(c.fields[lim], &it))
      rc = errorf(err, errlen, TABLE_NAME ": line %d: limit_1A '%s' is not a limit", c.line, c.fields[lim]);
    else s->item[s->n++] = it;
  }
  if (!rc && got < 0) rc = errorf(err, errlen, TABLE_NAME ": %s", c.error);
  csv_clear(&c);
  return rc;
}

struct item_columns { int code, hj212, cold, before, early; };

/* One row of gb18918_items.csv into its item. */
static int item_row(struct gb18918 *s, const struct csv_reader *c, const struct item_columns *k,
                    char *err, size_t errlen) {
  int i = find_code(s, c->fields[k->code]);
  if (i < 0) return errorf(err, errlen, ITEMS_NAME ": line %d: code %s is not in " TABLE_NAME, c->line, c->fields[k->code]);
  struct gb18918_item *it = &s->item[i];
  if (it->hj212[0]) return errorf(err, errlen, ITEMS_NAME ": line %d: a second row for %s", c->line, it->code);
  if (copy_code(it->hj212, sizeof it->hj212, c->fields[k->hj212]))
    return errorf(err, errlen, ITEMS_NAME ": line %d: hj212_code", c->line);
  const char *cold = c->fields[k->cold], *before = c->fields[k->before], *early = c->fields[k->early];
  if (it->has_cold ? !*cold || src_parse_number(cold, &it->cold_c) : *cold != 0)
    return errorf(err, errlen, ITEMS_NAME ": line %d: cold_at_or_below_c must be a number exactly for an item with a bracketed limit", c->line);
  if (!*before != !*early)
    return errorf(err, errlen, ITEMS_NAME ": line %d: built_before and limit_1A_before go together", c->line);
  if (*before && (day_parse(before, &it->built_before_day) || src_parse_number(early, &it->early_limit) ||
                  it->early_limit <= 0 || it->limit.kind != SRC_LIMIT_UPPER))
    return errorf(err, errlen, ITEMS_NAME ": line %d: built_before (YYYY-MM-DD) or limit_1A_before", c->line);
  return 0;
}

static int load_items(struct gb18918 *s, const char *csv, size_t len, char *err, size_t errlen) {
  struct csv_reader c;
  struct item_columns k;
  csv_init(&c, csv, len);
  int rc = 0, got = 0;
  if (csv_next(&c) != 1) rc = errorf(err, errlen, ITEMS_NAME ": no header");
  k = (struct item_columns){csv_column(&c, "code"), csv_column(&c, "hj212_code"),
                            csv_column(&c, "cold_at_or_below_c"), csv_column(&c, "built_before"),
                            csv_column(&c, "limit_1A_before")};
  if (!rc && (k.code < 0 || k.hj212 < 0 || k.cold < 0 || k.before < 0 || k.early < 0))
    rc = errorf(err, errlen, ITEMS_NAME ": header needs code, hj212_code, cold_at_or_below_c, built_before, limit_1A_before");
  int last = k.code;
  const int cols[] = {k.hj212, k.cold, k.before, k.early};
  for (size_t i = 0; i < 4; i++) if (cols[i] > last) last = cols[i];
  while (!rc && (got = csv_next(&c)) == 1)
    rc = c.nfields <= last ? errorf(err, errlen, ITEMS_NAME ": line %d: too few fields", c.line)
                           : item_row(s, &c, &k, err, errlen);
  if (!rc && got < 0) rc = errorf(err, errlen, ITEMS_NAME ": %s", c.error);
  csv_clear(&c);
  for (int i = 0; !rc && i < s->n; i++)
    if (!s->item[i].hj212[0]) rc = errorf(err, errlen, ITEMS_NAME ": no row for %s", s->item[i].code);
  return rc;
}

int gb18918_load(struct gb18918 *s, const char *table, size_t table_len, const char *items,
                 size_t items_len, char *err, size_t errlen) {
  struct gb18918 n;
  memset(&n, 0, sizeof n);
  if (load_table(&n, table, table_len, err, errlen) || load_items(&n, items, items_len, err, errlen))
    return -1;
  *s = n;
  return 0;
}

int gb18918_find(const struct gb18918 *s, const char *hj212_code) {
  for (int i = 0; i < s->n; i++)
    if (!strcmp(s->item[i].hj212, hj212_code)) return i;
  return -1;
}

/* The limit of IT on a day of temperature TEMP for a plant built on
** BUILT; 0, or -1 if the day's conditions are unknown. */
static int limit_for(const struct gb18918_item *it, int built, double temp, struct src_limit *out) {
  *out = it->limit;
  if (it->has_cold) {
    if (isnan(temp)) return -1;
    if (temp <= it->cold_c) out->value = it->cold_limit;
  }
  if (it->built_before_day != DAY_NONE) {
    if (built == DAY_NONE) return -1;
    if (built < it->built_before_day) out->value = it->early_limit;
  }
  return 0;
}

void gb18918_day(const struct gb18918 *s, int built_day, const struct gb18918_day_input *in,
                 struct gb18918_day *out) {
  out->judged = 1;
  out->compliant = 1;
  for (int i = 0; i < s->n; i++) {
    struct src_limit limit;
    out->limit[i] = out->multiple[i] = NAN;
    if (!in->present[i]) {
      out->verdict[i] = GB18918_ABSENT;
      continue;
    }
    if (!in->valid[i] || isnan(in->mean[i])) out->verdict[i] = GB18918_INVALID;
    else if (limit_for(&s->item[i], built_day, in->water_temp, &limit)) out->verdict[i] = GB18918_NOT_JUDGED;
    else {
      struct src_judgement j = src_judge(&limit, 1, in->mean[i]);
      out->verdict[i] = j.exceeded ? GB18918_EXCEEDED : GB18918_COMPLIANT;
      out->limit[i] = limit.value;
      out->multiple[i] = j.multiple;
    }
    if (out->verdict[i] < GB18918_COMPLIANT) out->judged = 0;
    if (out->verdict[i] != GB18918_COMPLIANT) out->compliant = 0;
  }
  int any = 0;
  for (int i = 0; i < s->n; i++) any |= in->present[i];
  out->judged = out->judged && any;
  out->compliant = out->compliant && out->judged;
}

static double percent(int part, int whole) {
  return whole ? 100.0 * part / whole : NAN;
}

void gb18918_month(const struct gb18918 *s, const struct gb18918_day *days, size_t n,
                   struct gb18918_month *out) {
  memset(out, 0, sizeof *out);
  for (size_t d = 0; d < n; d++) {
    for (int i = 0; i < s->n; i++) {
      enum gb18918_verdict v = days[d].verdict[i];
      out->judged[i] += v >= GB18918_COMPLIANT;
      out->compliant[i] += v == GB18918_COMPLIANT;
    }
    out->days_judged += days[d].judged;
    out->days_compliant += days[d].compliant;
  }
  for (int i = 0; i < s->n; i++) out->rate[i] = percent(out->compliant[i], out->judged[i]);
  out->rate_all = percent(out->days_compliant, out->days_judged);
}
