/*
** Reading the water tables for the API, the pages and the commands
** (store.h): period means from the aggregates, section lists, the overview
** by class, trends against class bands, alarms.
*/
#include "water/store.h"
#include "db/db.h"
#include "db/rows.h"
#include "util/buf.h"
#include "util/time.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int water_period_span(const char *key, struct water_span *out) {
  static const struct { const char *shape; enum water_span_kind kind; const char *agg; } shapes[] = {
    {"dddd", WATER_SPAN_YEAR, "month"},   {"dddd-Qd", WATER_SPAN_QUARTER, "month"},
    {"dddd-dd", WATER_SPAN_MONTH, "month"}, {"dddd-dd-dd", WATER_SPAN_DAY, "day"},
    {"dddd-dd-dd dd", WATER_SPAN_HOUR, "hour"},
  };
  for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
    const char *p = shapes[k].shape;
    size_t n = strlen(p), i;
    if (strlen(key) != n) continue;
    for (i = 0; i < n && (p[i] == 'd' ? key[i] >= '0' && key[i] <= '9' : key[i] == p[i]); i++) {}
    if (i != n) continue;
    out->kind = shapes[k].kind;
    out->aggregate = shapes[k].agg;
    int year = atoi(key), q = out->kind == WATER_SPAN_QUARTER ? key[6] - '0' : 0;
    if (out->kind == WATER_SPAN_QUARTER && (q < 1 || q > 4)) return -1;
    if (out->kind == WATER_SPAN_YEAR) {
      snprintf(out->from, sizeof out->from, "%04d-01", year);
      snprintf(out->to, sizeof out->to, "%04d-12", year);
    } else if (out->kind == WATER_SPAN_QUARTER) {
      snprintf(out->from, sizeof out->from, "%04d-%02d", year, 3 * q - 2);
      snprintf(out->to, sizeof out->to, "%04d-%02d", year, 3 * q);
    } else {
      snprintf(out->from, sizeof out->from, "%s", key);
      snprintf(out->to, sizeof out->to, "%s", key);
    }
    return 0;
  }
  return -1;
}

/* The aggregates of period START into ACC, by the method's averaging rules
** (环办〔2011〕22号, 2.7 of water.md): an hour, a day or a month is the mean
** of its values; a quarter the mean of its values, if there are at least
** two; a year the mean of its monthly means. ACC holds (MAX_ID + 1) rows of
** WATER_MAX_ITEMS accumulators; SECTION 0 means every section. */
static int collect(sqlite3 *db, const struct water_standard *s, long long section,
                   const char *start, long long max_id, struct water_acc *acc) {
  struct water_span span;
  if (water_period_span(start, &span)) return -1;
  char err[200];
  sqlite3_stmt *st = db_prepare(db,
    "SELECT section_id, item, sum, n FROM water_agg WHERE period = ?4 "
    "AND start >= ?2 AND start <= ?3 AND (?1 = 0 OR section_id = ?1)", err, sizeof err);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, section);
  sqlite3_bind_text(st, 2, span.from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, span.to, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, span.aggregate, -1, SQLITE_STATIC);
  while (sqlite3_step(st) == SQLITE_ROW) {
    long long id = sqlite3_column_int64(st, 0);
    int i = water_item_index(s, (const char *)sqlite3_column_text(st, 1));
    if (i < 0 || id > max_id) continue;
    struct water_acc *a = &acc[(section ? 0 : id) * WATER_MAX_ITEMS + i];
    struct water_acc part = {sqlite3_column_double(st, 2), sqlite3_column_int64(st, 3)};
    if (span.kind == WATER_SPAN_YEAR) water_acc_add(a, &s->item[i], water_acc_mean(&part, &s->item[i]));
    else water_acc_merge(a, &part);
  }
  sqlite3_finalize(st);
  if (span.kind == WATER_SPAN_QUARTER)   /* fewer than two values: no quarterly value */
    for (long long k = 0; k <= (section ? 0 : max_id); k++)
      for (int i = 0; i < WATER_MAX_ITEMS; i++)
        if (acc[k * WATER_MAX_ITEMS + i].n < 2) acc[k * WATER_MAX_ITEMS + i] = (struct water_acc){0};
  return 0;
}

int water_period_values(sqlite3 *db, const struct water_standard *s, long long section,
                        const char *start, double *values) {
  struct water_acc acc[WATER_MAX_ITEMS] = {{0}};
  if (collect(db, s, section, start, section, acc)) return -1;
  int n = 0;
  for (int i = 0; i < s->n; i++) {
    values[i] = water_acc_mean(&acc[i], &s->item[i]);
    n += !isnan(values[i]);
  }
  return n;
}

int water_days_with_data(sqlite3 *db, long long section, const char *key) {
  struct water_span span;
  if (water_period_span(key, &span) ||
      (span.kind != WATER_SPAN_MONTH && span.kind != WATER_SPAN_QUARTER))
    return -1;
  char err[200], last[16];
  /* the day rows of the span's months: 'YYYY-MM-01' .. 'YYYY-MM-31' */
  snprintf(last, sizeof last, "%.7s-31", span.to);
  sqlite3_stmt *st = db_prepare(db,
    "SELECT count(DISTINCT start) FROM water_agg WHERE section_id = ?1 AND period = 'day' "
    "AND start >= ?2 || '-01' AND start <= ?3", err, sizeof err);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, section);
  sqlite3_bind_text(st, 2, span.from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, last, -1, SQLITE_TRANSIENT);
  int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
  sqlite3_finalize(st);
  return n;
}

int water_period_values_all(sqlite3 *db, const struct water_standard *s, const char *start,
                            long long max_id, double *values) {
  struct water_acc *acc = xcalloc((size_t)(max_id + 1) * WATER_MAX_ITEMS, sizeof *acc);
  int rc = collect(db, s, 0, start, max_id, acc);
  for (long long k = 0; !rc && k <= max_id; k++)
    for (int i = 0; i < s->n; i++)
      values[k * s->n + i] = water_acc_mean(&acc[k * WATER_MAX_ITEMS + i], &s->item[i]);
  free(acc);
  return rc;
}

static json_t *number_or_null(double v) {
  return isnan(v) ? json_null() : json_real(v);
}

static json_t *misses_json(const struct water_standard *s, const struct water_result *r,
                           int target) {
  struct water_miss miss[WATER_MAX_ITEMS];
  int n = water_compliance(s, r, target, miss, WATER_MAX_ITEMS);
  json_t *a = json_array();
  for (int k = 0; k < n; k++)
    json_array_append_new(a, json_pack("{s:s,s:s,s:o,s:i,s:o,s:o}",
      "code", s->item[miss[k].item].code, "name", s->item[miss[k].item].name,
      "value", number_or_null(miss[k].value), "class", miss[k].cls,
      "limit", number_or_null(miss[k].target_limit),
      "multiple", number_or_null(miss[k].multiple)));
  return a;
}

json_t *water_result_json(const struct water_standard *s, const struct water_result *r,
                          int target) {
  json_t *items = json_array();
  for (int i = 0; i < s->n; i++) {
    const struct water_item_result *ir = &r->item[i];
    if (!ir->measured) continue;
    json_array_append_new(items, json_pack("{s:s,s:s,s:o,s:i,s:b,s:o}",
      "code", s->item[i].code, "name", s->item[i].name, "value", number_or_null(ir->value),
      "class", ir->cls, "counted", ir->counted, "multiple", number_or_null(ir->multiple)));
  }
  struct buf main = {0};
  water_main_pollutants_text(s, r, &main);
  json_t *j = json_pack("{s:i,s:s,s:s,s:s,s:o}", "class", r->cls,
    "label", water_class_label(r->cls), "rating", water_rating_label(water_class_rating(r->cls)),
    "main_pollutants", buf_str(&main), "items", items);
  buf_free(&main);
  if (r->body == WATER_LAKE && r->tn_class)
    json_object_set_new(j, "tn_class", json_integer(r->tn_class));
  if (target > 0 && r->cls) {
    json_t *misses = misses_json(s, r, target);
    json_object_set_new(j, "compliance", json_pack("{s:i,s:b,s:o}", "target", target,
                        "met", json_array_size(misses) == 0, "misses", misses));
  }
  return j;
}

json_t *water_sections_json(sqlite3 *db) {
  char err[200];
  sqlite3_stmt *st = db_prepare(db,
    "SELECT s.id, s.name, s.river, s.body, s.level, s.province, s.city, s.county, "
    "s.county_up, s.county_down, s.inflow_id, i.name AS inflow, s.target_class, "
    "s.target_demo, s.items, s.stations, s.lat, s.lon, s.note, "
    "(SELECT json_group_array(json_object('id', t.id, 'mn', t.mn, 'name', t.name)) "
    " FROM station_section l JOIN hj212_station t ON t.id = l.station_id "
    " WHERE l.section_id = s.id) AS served_by_json "
    "FROM water_section s LEFT JOIN water_section i ON i.id = s.inflow_id ORDER BY s.id",
    err, sizeof err);
  if (!st) return NULL;
  json_t *j = db_rows_json(st);
  sqlite3_finalize(st);
  return j;
}

/* The latest month with any data, into OUT[8]; "" if none. */
static void latest_month(sqlite3 *db, char *out) {
  char err[200];
  *out = 0;
  sqlite3_stmt *st = db_prepare(db, "SELECT max(start) FROM water_agg WHERE period = 'month'",
                                err, sizeof err);
  if (!st) return;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
    snprintf(out, 8, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

/* SECTION's coverage of MONTH into the JSON object SEC; 1 if it has enough
** data to be judged, 0 if not, -1 on error. */
static int overview_coverage(sqlite3 *db, long long section, const char *month,
                             const struct water_minimum *min, const char *today, json_t *sec) {
  struct water_coverage cov;
  int days = water_days_with_data(db, section, month);
  if (days < 0 || water_days_coverage(month, days, min, today, &cov)) return -1;
  json_object_set_new(sec, "coverage", water_coverage_json(&cov));
  return water_coverage_verdict(&cov) != WATER_VERDICT_INSUFFICIENT;
}

json_t *water_overview_json(sqlite3 *db, const struct water_standard *s, const char *month,
                            const struct water_minimum *min, const char *today) {
  char latest[8];
  if (!month || !*month) {
    latest_month(db, latest);
    month = latest;
  }
  json_t *sections = water_sections_json(db);
  if (!sections) return NULL;
  size_t k;
  json_t *sec;
  int *classes = xcalloc(json_array_size(sections) + 1, sizeof *classes);
  json_array_foreach(sections, k, sec) {
    struct water_section info;
    long long id = json_integer_value(json_object_get(sec, "id"));
    double values[WATER_MAX_ITEMS];
    int judged = *month ? overview_coverage(db, id, month, min, today, sec) : 0;
    if (judged < 0) {
      free(classes);
      json_decref(sections);
      return NULL;
    }
    if (!judged || water_section_get(db, s, id, NULL, &info) ||
        water_period_values(db, s, id, month, values) <= 0)
      continue;
    struct water_result r;
    water_evaluate(water_standard_on(s, month), info.body, values, info.assessed, &r);
    classes[k] = r.cls;
    json_object_set_new(sec, "month_result", water_result_json(s, &r, info.target));
  }
  /* all sections together, by the class-proportion rule (meaningful from
  ** 5 sections on; the page says how many were rated) */
  double p13 = 0, pworst = 0;
  enum water_rating rating = water_basin_rating_by_share(classes, (int)json_array_size(sections),
                                                         &p13, &pworst);
  int rated = 0;
  for (size_t i = 0; i < json_array_size(sections); i++) rated += classes[i] > 0;
  free(classes);
  return json_pack("{s:s,s:o,s:{s:i,s:f,s:f,s:s}}", "month", month, "sections", sections,
                   "overall", "rated", rated, "share_1_3", p13, "share_worse_than_5", pworst,
                   "rating", water_rating_label(rating));
}

/* The class limits of ITEM for a section of kind BODY, for chart bands. */
static json_t *bands_json(const struct water_item *it, enum water_body body) {
  json_t *a = json_array();
  if (!it->has_limits) return a;
  const double *l = water_item_limits(it, body);
  int n = it->dir == WATER_RANGE ? 2 : WATER_NCLASS;
  for (int k = 0; k < n; k++) json_array_append_new(a, json_real(l[k]));
  return a;
}

static const char trend_sql[] =
  "SELECT start, sum, n, min, max FROM water_agg WHERE section_id = ? AND item = ? "
  "AND period = ? AND start >= ? AND start <= ? ORDER BY start";

json_t *water_trend_json(sqlite3 *db, const struct water_standard *s, long long section,
                         const char *item, const char *period, const char *from,
                         const char *to) {
  struct water_section info;
  int i = water_item_index(s, item);
  if (i < 0 || water_section_get(db, s, section, NULL, &info)) return json_null();
  const struct water_item *it = &s->item[i];
  char err[200];
  sqlite3_stmt *st = db_prepare(db, trend_sql, err, sizeof err);
  if (!st) return NULL;
  sqlite3_bind_int64(st, 1, section);
  sqlite3_bind_text(st, 2, it->code, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, period, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, from ? from : "0", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, to ? to : "9", -1, SQLITE_TRANSIENT);
  json_t *points = json_array();
  while (sqlite3_step(st) == SQLITE_ROW) {
    struct water_acc acc = {sqlite3_column_double(st, 1), sqlite3_column_int64(st, 2)};
    const char *start = (const char *)sqlite3_column_text(st, 0);
    double mean = water_round(water_acc_mean(&acc, it),
                              water_standard_on(s, start)->item[i].decimals);
    json_array_append_new(points, json_pack("{s:s,s:f,s:i,s:i,s:f,s:f}",
      "start", start, "mean", mean,
      "class", water_value_class(it, info.body, mean), "n", (int)acc.n,
      "min", sqlite3_column_double(st, 3), "max", sqlite3_column_double(st, 4)));
  }
  sqlite3_finalize(st);
  return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:i,s:o}", "section", (json_int_t)section,
    "section_name", info.name, "item", it->code, "name", it->name, "unit", it->unit,
    "direction", it->dir == WATER_LOWER ? "lower" : it->dir == WATER_RANGE ? "range" : "upper",
    "bands", bands_json(it, info.body), "target", info.target, "points", points);
}

json_t *water_alarms_json(sqlite3 *db, const char *state) {
  char err[200];
  sqlite3_stmt *st = db_prepare(db,
    "SELECT a.id, a.section_id, s.name AS section, a.item, a.at, a.value, a.class, "
    "a.target_class, a.state, a.opened_at, a.acknowledged_by, a.acknowledged_at, "
    "a.closed_by, a.closed_at, a.note FROM water_alarm a "
    "JOIN water_section s ON s.id = a.section_id "
    "WHERE ?1 IS NULL OR a.state = ?1 ORDER BY a.id DESC LIMIT 1000", err, sizeof err);
  if (!st) return NULL;
  if (state) sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
  json_t *j = db_rows_json(st);
  sqlite3_finalize(st);
  return j;
}

/* open -> acknowledged -> closed; open -> closed is allowed too (a
** transient exceedance closed without comment would hide who saw it, so
** closing records who closed it either way). */
static const char move_sql[] =
  "UPDATE water_alarm SET state = ?2, "
  "acknowledged_by = CASE WHEN ?2 = 'acknowledged' THEN ?3 ELSE acknowledged_by END, "
  "acknowledged_at = CASE WHEN ?2 = 'acknowledged' THEN ?4 ELSE acknowledged_at END, "
  "closed_by = CASE WHEN ?2 = 'closed' THEN ?3 ELSE closed_by END, "
  "closed_at = CASE WHEN ?2 = 'closed' THEN ?4 ELSE closed_at END, "
  "note = CASE WHEN ?5 = '' THEN note ELSE ?5 END "
  "WHERE id = ?1 AND ((?2 = 'acknowledged' AND state = 'open') OR "
  "(?2 = 'closed' AND state IN ('open', 'acknowledged')))";

int water_alarm_move(sqlite3 *db, long long id, const char *to, const char *actor,
                     const char *note, char *err, size_t errlen) {
  if (strcmp(to, "acknowledged") && strcmp(to, "closed")) return 1;
  if (db_begin(db) != SQLITE_OK) {
    snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
    return -1;
  }
  sqlite3_stmt *st = db_prepare(db, move_sql, err, errlen);
  if (!st) {
    db_rollback(db);
    return -1;
  }
  char now[TIME_UTC_SIZE];
  time_utc_now(now);
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, actor ? actor : "system", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 5, note ? note : "", -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
  int changed = sqlite3_changes(db);
  sqlite3_finalize(st);
  char after[64];
  snprintf(after, sizeof after, "{\"state\":\"%s\"}", to);
  if (!rc && changed && db_audit(db, actor, "water.alarm.move", "water_alarm", id, NULL, after))
    rc = -1;
  if (rc || !changed || db_commit(db) != SQLITE_OK) {
    if (rc) snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
    db_rollback(db);
    return rc ? -1 : 1;
  }
  return 0;
}
