/*
** The CSV conversions of `air aqi` and `air rank` (convert.h).
*/
#include "air/convert.h"
#include "air/stats.h"
#include "util/buf.h"
#include "util/csv.h"
#include "water/classify.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int row_error(char *err, size_t errlen, int line, const char *field, const char *value,
                     const char *what) {
  snprintf(err, errlen, "line %d, field %s: '%s' %s", line, field, value, what);
  return -1;
}

void air_keys_text(const struct air_standard *s, unsigned mask, struct buf *out) {
  int first = 1;
  for (int i = 0; i < AIR_NKEYS; i++) {
    int k = s->order[i];
    if (!(mask >> k & 1)) continue;
    if (!first) buf_puts(out, ",");
    buf_puts(out, s->key[k]);
    first = 0;
  }
}

/* A concentration field: a number >= 0, or empty / NA (missing), / (not measured). */
static int parse_value(const char *text, enum air_state *state, double *value) {
  char *end;
  *value = 0;
  if (!*text || !strcmp(text, "NA")) *state = AIR_MISSING;
  else if (!strcmp(text, "/")) *state = AIR_NOT_MEASURED;
  else {
    *state = AIR_PRESENT;
    *value = strtod(text, &end);
    if (*end || !isfinite(*value) || *value < 0) return -1;
  }
  return 0;
}

/* ---- air aqi ------------------------------------------------------------------ */

/* Columns of the hourly input: time, station_code, the six items, so2_24h (-1: absent). */
static const char *const realtime_keys[] = {"pm2_5", "pm10", "so2", "no2", "co", "o3"};
#define NREALTIME 6

struct hour_layout { int time, station, item[NREALTIME], key[NREALTIME], so2_24h, width; };

static int hour_header(struct csv_reader *r, struct hour_layout *l,
                       char *err, size_t errlen) {
  l->time = csv_column(r, "time");
  l->station = csv_column(r, "station_code");
  l->so2_24h = csv_column(r, "so2_24h");
  l->width = l->so2_24h + 1;
  const char *lacking = l->time < 0 ? "time" : l->station < 0 ? "station_code" : NULL;
  for (int i = 0; i < NREALTIME; i++) {
    l->item[i] = csv_column(r, realtime_keys[i]);
    l->key[i] = air_key_index(realtime_keys[i]);
    if (l->item[i] < 0 && !lacking) lacking = realtime_keys[i];
    if (l->item[i] >= l->width) l->width = l->item[i] + 1;
  }
  if (lacking) return row_error(err, errlen, r->line, lacking, "", "column missing from the header");
  if (l->time >= l->width) l->width = l->time + 1;
  if (l->station >= l->width) l->width = l->station + 1;
  return 0;
}

/* The row's values into IN and its edition; -1 with ERR. */
static int hour_row(const struct air_standard *s, const struct csv_reader *r,
                    const struct hour_layout *l, struct air_input *in,
                    const struct air_edition **e, char *err, size_t errlen) {
  long hour;
  if (r->nfields < l->width)
    return row_error(err, errlen, r->line, "row", "", "has too few fields");
  if (air_hour_parse(r->fields[l->time], &hour))
    return row_error(err, errlen, r->line, "time", r->fields[l->time], "is not YYYY-MM-DD HH:00");
  *e = air_edition_at(s, hour);
  for (int k = 0; k < AIR_NKEYS; k++) in->state[k] = AIR_NOT_MEASURED;
  for (int i = 0; i < NREALTIME; i++) {
    const char *text = r->fields[l->item[i]];
    if (parse_value(text, &in->state[l->key[i]], &in->value[l->key[i]]))
      return row_error(err, errlen, r->line, realtime_keys[i], text,
                       "is not a concentration, empty, NA or /");
  }
  in->so2_24h = -1;
  if (l->so2_24h >= 0) {
    enum air_state st;
    double v;
    const char *text = r->fields[l->so2_24h];
    if (parse_value(text, &st, &v))
      return row_error(err, errlen, r->line, "so2_24h", text, "is not a concentration, empty, NA or /");
    if (st == AIR_PRESENT) in->so2_24h = v;
  }
  return 0;
}

static void hour_output(const struct air_standard *s, const struct csv_reader *r,
                        const struct hour_layout *l, const struct air_result *res,
                        struct buf *out) {
  water_csv_field(out, r->fields[l->station]);
  buf_puts(out, ",");
  water_csv_field(out, r->fields[l->time]);
  if (res->published) buf_printf(out, ",%d,%s,", res->aqi, res->level->name);
  else buf_puts(out, ",,,");
  struct buf keys = {0};
  air_keys_text(s, res->primary, &keys);
  water_csv_field(out, buf_str(&keys));
  buf_free(&keys);
  buf_puts(out, "\n");
}

int air_aqi_csv(const struct air_standard *s, const char *in, size_t len, struct buf *out,
                char *err, size_t errlen) {
  struct csv_reader r;
  struct hour_layout l;
  csv_init(&r, in, len);
  int rc = csv_next(&r);
  if (rc != 1) {
    snprintf(err, errlen, "%s", rc < 0 ? r.error : "line 1: no header");
    return -1;
  }
  if (hour_header(&r, &l, err, errlen)) {
    csv_clear(&r);
    return -1;
  }
  buf_puts(out, "station_code,time,aqi,level,primary\n");
  while ((rc = csv_next(&r)) == 1) {
    struct air_input hour;
    struct air_result res;
    const struct air_edition *e;
    if (hour_row(s, &r, &l, &hour, &e, err, errlen)) {
      csv_clear(&r);
      return -1;
    }
    air_aqi(s, e, AIR_REALTIME, &hour, &res);
    hour_output(s, &r, &l, &res, out);
  }
  if (rc < 0) {
    snprintf(err, errlen, "%s", r.error);
    return -1;
  }
  return 0;
}

/* ---- air rank ------------------------------------------------------------------ */

static const char *const statistic_keys[] = {"so2", "no2", "pm10", "pm2_5", "co", "o3_8h"};
#define NSTATISTICS 6

struct city {
  char *name, *main_pollutant;
  double index;
  int order;
};

struct rank_layout { int city, index, main, stat[NSTATISTICS], width; };

static int rank_header(struct csv_reader *r, struct rank_layout *l, char *err, size_t errlen) {
  l->city = csv_column(r, "city");
  l->index = csv_column(r, "composite_index");
  l->main = csv_column(r, "main_pollutant");
  l->width = (l->city > l->index ? l->city : l->index) + 1;
  if (l->main >= l->width) l->width = l->main + 1;
  const char *lacking = l->city < 0 ? "city" : NULL;
  for (int i = 0; i < NSTATISTICS; i++) {
    l->stat[i] = csv_column(r, statistic_keys[i]);
    if (l->stat[i] < 0 && l->index < 0 && !lacking) lacking = statistic_keys[i];
    if (l->stat[i] >= l->width) l->width = l->stat[i] + 1;
  }
  if (lacking)
    return row_error(err, errlen, r->line, lacking, "",
                     "column missing (city, and composite_index or so2,no2,pm10,pm2_5,co,o3_8h)");
  return 0;
}

/* The row's index (given, or computed from the statistics) into C. */
static int rank_row(const struct air_standard *s, const struct csv_reader *r,
                    const struct rank_layout *l, struct city *c, char *err, size_t errlen) {
  if (r->nfields < l->width)
    return row_error(err, errlen, r->line, "row", "", "has too few fields");
  struct buf main = {0};
  if (l->index >= 0) {
    const char *text = r->fields[l->index];
    enum air_state st;
    if (parse_value(text, &st, &c->index) || st != AIR_PRESENT)
      return row_error(err, errlen, r->line, "composite_index", text, "is not a number");
    if (l->main >= 0) buf_puts(&main, r->fields[l->main]);
  } else {
    double value[AIR_NKEYS], single[AIR_NKEYS];
    unsigned mask;
    for (int k = 0; k < AIR_NKEYS; k++) value[k] = NAN;
    for (int i = 0; i < NSTATISTICS; i++) {
      const char *text = r->fields[l->stat[i]];
      enum air_state st;
      int k = air_key_index(statistic_keys[i]);
      if (parse_value(text, &st, &value[k]) || st != AIR_PRESENT)
        return row_error(err, errlen, r->line, statistic_keys[i], text, "is not a concentration");
    }
    c->index = air_composite_index(s, value, single, &mask);
    air_keys_text(s, mask, &main);
  }
  c->name = xstrdup(r->fields[l->city]);
  c->main_pollutant = xstrdup(buf_str(&main));
  buf_free(&main);
  return 0;
}

static int by_rank(const void *a, const void *b) {
  const struct city *x = a, *y = b;
  long i = lround(x->index * 100), j = lround(y->index * 100);
  return i != j ? (i > j) - (i < j) : x->order - y->order;
}

static void rank_output(struct city *cities, int n, struct buf *out) {
  double *index = xmalloc(sizeof *index * (size_t)(n ? n : 1));
  int *rank = xmalloc(sizeof *rank * (size_t)(n ? n : 1));
  if (n) qsort(cities, (size_t)n, sizeof *cities, by_rank);   /* qsort may not take NULL */
  for (int i = 0; i < n; i++) index[i] = cities[i].index;
  air_rank(index, n, rank);
  buf_puts(out, "rank,city,composite_index,main_pollutant\n");
  for (int i = 0; i < n; i++) {
    buf_printf(out, "%d,", rank[i]);
    water_csv_field(out, cities[i].name);
    buf_printf(out, ",%.2f,", cities[i].index);
    water_csv_field(out, cities[i].main_pollutant);
    buf_puts(out, "\n");
  }
  free(index);
  free(rank);
}

static void free_cities(struct city *cities, int n) {
  for (int i = 0; i < n; i++) {
    free(cities[i].name);
    free(cities[i].main_pollutant);
  }
  free(cities);
}

int air_rank_csv(const struct air_standard *s, const char *in, size_t len, struct buf *out,
                 char *err, size_t errlen) {
  struct csv_reader r;
  struct rank_layout l;
  struct city *cities = NULL;
  int n = 0, cap = 0, rc;
  csv_init(&r, in, len);
  rc = csv_next(&r);
  if (rc != 1) {
    snprintf(err, errlen, "%s", rc < 0 ? r.error : "line 1: no header");
    return -1;
  }
  if (rank_header(&r, &l, err, errlen)) {
    csv_clear(&r);
    return -1;
  }
  while ((rc = csv_next(&r)) == 1) {
    if (n == cap) cities = xrealloc(cities, sizeof *cities * (size_t)(cap = cap ? 2 * cap : 32));
    cities[n].order = n;
    if (rank_row(s, &r, &l, &cities[n], err, errlen)) {
      csv_clear(&r);
      free_cities(cities, n);
      return -1;
    }
    n++;
  }
  if (rc < 0) snprintf(err, errlen, "%s", r.error);
  else rank_output(cities, n, out);
  free_cities(cities, n);
  return rc < 0 ? -1 : 0;
}
