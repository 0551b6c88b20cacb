/*
** Writing the water tables (store.h): section and reading imports and the
** reading writer that keeps aggregates and alarms in step.
**
** Aggregates are running sums updated by UPSERT in the transaction that
** stores the reading, so a month's mean is one row however long the
** history, and a failed import leaves neither readings nor sums behind.
** The writer gathers the sums of a batch in memory (a day's six 4-hourly
** readings, a month's 180, make one UPSERT each) and writes them when the
** batch is full and at water_writer_flush, before the caller commits.
** An import gives its connection a page cache of BULK_CACHE_KIB while it
** runs (water_bulk_cache_begin); the writer itself leaves the cache as its
** caller set it: the HJ 212 writer commits every few milliseconds, and
** there a large cache costs every commit (hj212/writer.c).
*/
#include "water/store.h"
#include "db/db.h"
#include "geo/geo.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/time.h"
#include "water/quality.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECTIONS 4096
#define BULK_CACHE_KIB 65536
/* Pending aggregate rows: a power of two, flushed at half full. */
#define PENDING_SLOTS 32768

static int digits(const char *s, int n) {
  for (int i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

int water_parse_time(const char *at, char *out) {
  if (strlen(at) != 16 || !digits(at, 4) || at[4] != '-' || !digits(at + 5, 2) ||
      at[7] != '-' || !digits(at + 8, 2) || (at[10] != ' ' && at[10] != 'T') ||
      !digits(at + 11, 2) || at[13] != ':' || !digits(at + 14, 2))
    return -1;
  int mo = atoi(at + 5), d = atoi(at + 8), h = atoi(at + 11), mi = atoi(at + 14);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return -1;
  memcpy(out, at, 16);
  out[10] = ' ';
  out[16] = 0;
  return 0;
}

/* ---- reading writer ------------------------------------------------------ */

/* One aggregate row's sums not yet written: hour, day or month START
** ('YYYY-MM-DD HH', 'YYYY-MM-DD', 'YYYY-MM') of one section and item. */
struct pending {
  long long section;
  const struct water_item *item;   /* NULL: free slot */
  int period;                      /* 0 hour, 1 day, 2 month */
  char start[14];
  double sum, min, max;
  long long n;
};

struct water_writer {
  sqlite3 *db;
  const struct water_standard *s;
  sqlite3_stmt *get, *put, *agg, *alarm;
  struct pending *pending;         /* PENDING_SLOTS, open addressing */
  int npending;
};

static const char get_sql[] =
  "SELECT value FROM water_reading WHERE section_id = ? AND item = ? AND at = ?";
static const char put_sql[] =
  "INSERT INTO water_reading (section_id, item, at, value, below_dl, source) "
  "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
static const char agg_sql[] =
  "INSERT INTO water_agg (section_id, item, period, start, sum, n, min, max) "
  "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
  "ON CONFLICT (period, start, section_id, item) DO UPDATE SET "
  "sum = sum + excluded.sum, n = n + excluded.n, min = min(min, excluded.min), "
  "max = max(max, excluded.max)";
static const char alarm_sql[] =
  "INSERT OR IGNORE INTO water_alarm (section_id, item, at, value, class, target_class, "
  "state, opened_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)";

void water_writer_close(struct water_writer *w) {
  if (!w) return;
  sqlite3_finalize(w->get);
  sqlite3_finalize(w->put);
  sqlite3_finalize(w->agg);
  sqlite3_finalize(w->alarm);
  free(w->pending);
  free(w);
}

struct water_writer *water_writer_open(sqlite3 *db, const struct water_standard *s,
                                       char *err, size_t errlen) {
  struct water_writer *w = xcalloc(1, sizeof *w);
  w->db = db;
  w->s = s;
  w->pending = xcalloc(PENDING_SLOTS, sizeof *w->pending);
  if (!(w->get = db_prepare(db, get_sql, err, errlen)) ||
      !(w->put = db_prepare(db, put_sql, err, errlen)) ||
      !(w->agg = db_prepare(db, agg_sql, err, errlen)) ||
      !(w->alarm = db_prepare(db, alarm_sql, err, errlen))) {
    water_writer_close(w);
    return NULL;
  }
  return w;
}

static int step_done(sqlite3_stmt *st, sqlite3 *db, char *err, size_t errlen) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc == SQLITE_DONE) return 0;
  snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
  return -1;
}

/* 1 if the stored reading has VALUE, -1 if another. */
static int existing(struct water_writer *w, long long sec, const char *code, const char *at,
                    double value) {
  sqlite3_bind_int64(w->get, 1, sec);
  sqlite3_bind_text(w->get, 2, code, -1, SQLITE_STATIC);
  sqlite3_bind_text(w->get, 3, at, -1, SQLITE_STATIC);
  int rc = 0;
  if (sqlite3_step(w->get) == SQLITE_ROW) rc = sqlite3_column_double(w->get, 0) == value ? 1 : -1;
  sqlite3_reset(w->get);
  return rc;
}

static const char *const period_names[] = {"hour", "day", "month"};
static const int key_len[] = {13, 10, 7};   /* 'YYYY-MM-DD HH', 'YYYY-MM-DD', 'YYYY-MM' */

/* Key order of water_agg's primary key (period, start, section, item), so
** a flush walks the table's pages in order. */
static int pending_order(const void *a, const void *b) {
  const struct pending *x = a, *y = b;
  int c = x->period - y->period;
  if (!c) c = strcmp(x->start, y->start);
  if (!c) c = (x->section > y->section) - (x->section < y->section);
  return c ? c : strcmp(x->item->code, y->item->code);
}

int water_writer_flush(struct water_writer *w, char *err, size_t errlen) {
  int n = 0;
  for (int i = 0; i < PENDING_SLOTS; i++)
    if (w->pending[i].item) w->pending[n++] = w->pending[i];
  qsort(w->pending, (size_t)n, sizeof *w->pending, pending_order);
  int rc = 0;
  for (int i = 0; i < n && !rc; i++) {
    const struct pending *p = &w->pending[i];
    sqlite3_bind_int64(w->agg, 1, p->section);
    sqlite3_bind_text(w->agg, 2, p->item->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(w->agg, 3, period_names[p->period], -1, SQLITE_STATIC);
    sqlite3_bind_text(w->agg, 4, p->start, -1, SQLITE_STATIC);
    sqlite3_bind_double(w->agg, 5, p->sum);
    sqlite3_bind_int64(w->agg, 6, p->n);
    sqlite3_bind_double(w->agg, 7, p->min);
    sqlite3_bind_double(w->agg, 8, p->max);
    rc = step_done(w->agg, w->db, err, errlen);
  }
  memset(w->pending, 0, PENDING_SLOTS * sizeof *w->pending);
  w->npending = 0;
  return rc;
}

/* The reading's value into its hour, day and month sums, written at the
** next flush (now, if the batch is full). */
static int add_aggregates(struct water_writer *w, long long sec, const struct water_item *it,
                          const char *at, double value, char *err, size_t errlen) {
  struct water_acc one = {0};
  water_acc_add(&one, it, value);
  for (int p = 0; p < 3; p++) {
    uint64_t h = 1469598103934665603ull;   /* FNV-1a over the key */
    for (int i = 0; i < key_len[p]; i++) h = (h ^ (unsigned char)at[i]) * 1099511628211ull;
    h = ((h ^ (uint64_t)sec) * 1099511628211ull ^ (uint64_t)(it - w->s->item)) * 1099511628211ull ^ (uint64_t)p;
    struct pending *slot = &w->pending[h & (PENDING_SLOTS - 1)];
    while (slot->item && !(slot->section == sec && slot->item == it && slot->period == p &&
                           !strncmp(slot->start, at, (size_t)key_len[p])))
      slot = slot + 1 == w->pending + PENDING_SLOTS ? w->pending : slot + 1;
    if (slot->item) {
      slot->sum += one.sum;
      slot->n++;
      slot->min = fmin(slot->min, value);
      slot->max = fmax(slot->max, value);
      continue;
    }
    *slot = (struct pending){sec, it, p, "", one.sum, value, value, 1};
    memcpy(slot->start, at, (size_t)key_len[p]);
    if (++w->npending >= PENDING_SLOTS / 2 && water_writer_flush(w, err, errlen)) return -1;
  }
  return 0;
}

/* Open an alarm when the value's class is worse than the target, on an
** item the section is assessed on (TN never for lakes: it has no target). */
static int check_alarm(struct water_writer *w, const struct water_section *sec, int item,
                       const char *at, double value, int *opened, char *err, size_t errlen) {
  const struct water_item *it = &w->s->item[item];
  water_mask assessed = sec->assessed ? sec->assessed : water_class_indicators(w->s);
  if (!sec->target || !((assessed >> item) & 1)) return 0;
  int decimals = water_standard_on(w->s, at)->item[item].decimals;
  int cls = water_value_class(it, sec->body, water_round(value, decimals));
  if (cls <= sec->target) return 0;
  char now[TIME_UTC_SIZE];
  time_utc_now(now);
  sqlite3_bind_int64(w->alarm, 1, sec->id);
  sqlite3_bind_text(w->alarm, 2, it->code, -1, SQLITE_STATIC);
  sqlite3_bind_text(w->alarm, 3, at, -1, SQLITE_STATIC);
  sqlite3_bind_double(w->alarm, 4, value);
  sqlite3_bind_int(w->alarm, 5, cls);
  sqlite3_bind_int(w->alarm, 6, sec->target);
  sqlite3_bind_text(w->alarm, 7, now, -1, SQLITE_TRANSIENT);
  if (step_done(w->alarm, w->db, err, errlen)) return -1;
  *opened = sqlite3_changes(w->db) > 0;
  return 0;
}

int water_writer_add(struct water_writer *w, const struct water_section *sec, int item,
                     const char *at, double value, int below, const char *source,
                     int *alarm, char *err, size_t errlen) {
  const struct water_item *it = &w->s->item[item];
  *alarm = 0;
  sqlite3_bind_int64(w->put, 1, sec->id);
  sqlite3_bind_text(w->put, 2, it->code, -1, SQLITE_STATIC);
  sqlite3_bind_text(w->put, 3, at, -1, SQLITE_STATIC);
  sqlite3_bind_double(w->put, 4, value);
  sqlite3_bind_int(w->put, 5, below);
  sqlite3_bind_text(w->put, 6, source, -1, SQLITE_STATIC);
  if (step_done(w->put, w->db, err, errlen)) return -1;
  /* the common case inserts; only a conflict needs the stored value */
  if (sqlite3_changes(w->db) == 0) {
    if (existing(w, sec->id, it->code, at, value) == 1) return 1;
    snprintf(err, errlen, "%s %s at %s is already stored with another value", sec->name,
             it->code, at);
    return -1;
  }
  if (add_aggregates(w, sec->id, it, at, value, err, errlen)) return -1;
  return check_alarm(w, sec, item, at, value, alarm, err, errlen);
}

/* ---- sections ------------------------------------------------------------ */

static enum water_body body_of(const char *text) {
  return strcmp(text, "lake") ? WATER_RIVER : WATER_LAKE;
}

/* "CODMN NH3N" into a mask; -1 naming the bad code in ERR. */
static int parse_items(const struct water_standard *s, const char *text, water_mask *mask,
                       char *bad, size_t badlen) {
  *mask = 0;
  char copy[512];
  snprintf(copy, sizeof copy, "%s", text);
  char *save = NULL;
  for (char *tok = strtok_r(copy, " ;", &save); tok; tok = strtok_r(NULL, " ;", &save)) {
    int i = water_item_index(s, tok);
    if (i < 0 || !s->item[i].has_limits) {
      snprintf(bad, badlen, "%s", tok);
      return -1;
    }
    *mask |= (water_mask)1 << i;
  }
  return 0;
}

static void section_from_row(const struct water_standard *s, sqlite3_stmt *st,
                             struct water_section *out) {
  memset(out, 0, sizeof *out);
  char bad[64];
  out->id = sqlite3_column_int64(st, 0);
  snprintf(out->name, sizeof out->name, "%s", (const char *)sqlite3_column_text(st, 1));
  out->body = body_of((const char *)sqlite3_column_text(st, 2));
  out->target = sqlite3_column_int(st, 3);
  if (parse_items(s, (const char *)sqlite3_column_text(st, 4), &out->assessed, bad, sizeof bad))
    out->assessed = 0;
  out->inflow_id = sqlite3_column_int64(st, 5);
  snprintf(out->county, sizeof out->county, "%s", (const char *)sqlite3_column_text(st, 6));
}

#define SECTION_COLUMNS "id, name, body, coalesce(target_class, 0), items, " \
                        "coalesce(inflow_id, 0), county"

int water_section_get(sqlite3 *db, const struct water_standard *s, long long id,
                      const char *name, struct water_section *out) {
  char err[200];
  sqlite3_stmt *st = db_prepare(db, id ? "SELECT " SECTION_COLUMNS " FROM water_section WHERE id = ?"
                                       : "SELECT " SECTION_COLUMNS " FROM water_section WHERE name = ?",
                                err, sizeof err);
  if (!st) return -1;
  if (id) sqlite3_bind_int64(st, 1, id);
  else sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) section_from_row(s, st, out);
  sqlite3_finalize(st);
  return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

enum { S_NAME, S_RIVER, S_BODY, S_LEVEL, S_PROVINCE, S_CITY, S_COUNTY, S_COUNTY_UP,
       S_COUNTY_DOWN, S_INFLOW, S_TARGET, S_DEMO, S_ITEMS, S_STATIONS, S_LAT, S_LON, S_NOTE,
       S_NCOLS };
static const char *const section_columns[S_NCOLS] = {
  "name", "river", "body", "level", "province", "city", "county", "county_up", "county_down",
  "inflow", "target_class", "target_demo", "items", "stations", "lat", "lon", "note"};

static const char upsert_section_sql[] =
  "INSERT INTO water_section (name, river, body, level, province, city, county, county_up, "
  "county_down, target_class, target_demo, items, stations, lat, lon, note) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
  "ON CONFLICT (name) DO UPDATE SET river = ?2, body = ?3, level = ?4, province = ?5, "
  "city = ?6, county = ?7, county_up = ?8, county_down = ?9, target_class = ?10, "
  "target_demo = ?11, items = ?12, stations = ?13, lat = ?14, lon = ?15, note = ?16";

static const char *field(const struct csv_reader *r, const int *col, int k) {
  return col[k] >= 0 ? r->fields[col[k]] : "";
}

static int row_error(char *err, size_t errlen, int line, const char *fieldname,
                     const char *what, const char *value) {
  snprintf(err, errlen, "line %d, field %s: %s '%s'", line, fieldname, what, value);
  return -1;
}

/* Check the row's enumerations and numbers; bind them to ST. */
static int bind_section(const struct water_standard *s, sqlite3_stmt *st,
                        const struct csv_reader *r, const int *col, char *err, size_t errlen) {
  const char *body = field(r, col, S_BODY), *level = field(r, col, S_LEVEL);
  const char *target = field(r, col, S_TARGET), *demo = field(r, col, S_DEMO);
  char bad[64];
  water_mask mask;
  if (!*field(r, col, S_NAME)) return row_error(err, errlen, r->line, "name", "empty", "");
  if (strcmp(body, "river") && strcmp(body, "lake") && strcmp(body, "river_reservoir"))
    return row_error(err, errlen, r->line, "body", "not river, lake or river_reservoir:", body);
  if (strcmp(level, "national") && strcmp(level, "provincial") && strcmp(level, "city"))
    return row_error(err, errlen, r->line, "level", "not national, provincial or city:", level);
  if (*target && (strlen(target) != 1 || target[0] < '1' || target[0] > '5'))
    return row_error(err, errlen, r->line, "target_class", "not 1-5:", target);
  if (*demo && strcmp(demo, "0") && strcmp(demo, "1"))
    return row_error(err, errlen, r->line, "target_demo", "not 0 or 1:", demo);
  if (parse_items(s, field(r, col, S_ITEMS), &mask, bad, sizeof bad))
    return row_error(err, errlen, r->line, "items", "not a GB 3838 item with limits:", bad);
  for (int k = S_NAME; k <= S_COUNTY_DOWN; k++)
    sqlite3_bind_text(st, k + 1, field(r, col, k), -1, SQLITE_TRANSIENT);
  if (*target) sqlite3_bind_int(st, 10, target[0] - '0');
  else sqlite3_bind_null(st, 10);
  sqlite3_bind_int(st, 11, demo[0] == '1');
  sqlite3_bind_text(st, 12, field(r, col, S_ITEMS), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 13, field(r, col, S_STATIONS), -1, SQLITE_TRANSIENT);
  for (int k = S_LAT; k <= S_LON; k++) {
    const char *v = field(r, col, k);
    char *end;
    double d = strtod(v, &end);
    if (*v && (*end || !isfinite(d)))
      return row_error(err, errlen, r->line, section_columns[k], "not a number:", v);
    if (*v && !geo_degrees_ok(k == S_LAT, d))
      return row_error(err, errlen, r->line, section_columns[k],
                       k == S_LAT ? "not a latitude -90..90:" : "not a longitude -180..180:", v);
    if (*v) sqlite3_bind_double(st, k - S_LAT + 14, d);
    else sqlite3_bind_null(st, k - S_LAT + 14);
  }
  sqlite3_bind_text(st, 16, field(r, col, S_NOTE), -1, SQLITE_TRANSIENT);
  return 0;
}

static int section_header(const struct csv_reader *r, int *col, char *err, size_t errlen) {
  for (int k = 0; k < S_NCOLS; k++) col[k] = csv_column(r, section_columns[k]);
  for (int k = S_NAME; k <= S_LEVEL; k++)
    if (col[k] < 0) {
      snprintf(err, errlen, "line 1, field %s: missing from the header", section_columns[k]);
      return -1;
    }
  for (int i = 0; i < r->nfields; i++) {
    int known = 0;
    for (int k = 0; k < S_NCOLS; k++) known |= !strcmp(r->fields[i], section_columns[k]);
    if (!known) {
      snprintf(err, errlen, "line 1, field %s: not a section column", r->fields[i]);
      return -1;
    }
  }
  return 0;
}

/* Second pass: inflow names refer to sections stored (possibly just now). */
static int set_inflows(sqlite3 *db, struct csv_reader *r, const char *csv, size_t len,
                       const int *col, char *err, size_t errlen) {
  if (col[S_INFLOW] < 0) return 0;
  sqlite3_stmt *st = db_prepare(db,
    "UPDATE water_section SET inflow_id = (SELECT id FROM water_section WHERE name = ?2) "
    "WHERE name = ?1 RETURNING inflow_id", err, errlen);
  if (!st) return -1;
  csv_init(r, csv, len);
  csv_next(r);
  int rc = 0;
  while (!rc && csv_next(r) == 1) {
    const char *inflow = field(r, col, S_INFLOW);
    sqlite3_bind_text(st, 1, field(r, col, S_NAME), -1, SQLITE_TRANSIENT);
    if (*inflow) sqlite3_bind_text(st, 2, inflow, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, 2);
    if (sqlite3_step(st) != SQLITE_ROW) rc = -1;
    else if (*inflow && sqlite3_column_type(st, 0) == SQLITE_NULL)
      rc = row_error(err, errlen, r->line, "inflow", "no such section:", inflow);
    sqlite3_reset(st);
  }
  csv_clear(r);
  sqlite3_finalize(st);
  return rc;
}

static int store_sections(sqlite3 *db, const struct water_standard *s, struct csv_reader *r,
                          const int *col, int *count, char *err, size_t errlen) {
  sqlite3_stmt *st = db_prepare(db, upsert_section_sql, err, errlen);
  if (!st) return -1;
  int rc;
  while ((rc = csv_next(r)) == 1) {
    sqlite3_clear_bindings(st);
    if (bind_section(s, st, r, col, err, errlen) || step_done(st, db, err, errlen)) {
      rc = -2;
      break;
    }
    (*count)++;
  }
  if (rc == -1) snprintf(err, errlen, "%s", r->error);
  csv_clear(r);
  sqlite3_finalize(st);
  return rc < 0 ? -1 : 0;
}

int water_import_sections(sqlite3 *db, const struct water_standard *s, const char *csv,
                          size_t len, const char *actor, int *count, char *err, size_t errlen) {
  struct csv_reader r;
  int col[S_NCOLS];
  *count = 0;
  csv_init(&r, csv, len);
  if (csv_next(&r) != 1) {
    snprintf(err, errlen, "line 1: no header");
    return -1;
  }
  if (section_header(&r, col, err, errlen)) {
    csv_clear(&r);
    return -1;
  }
  if (db_begin(db) != SQLITE_OK) {
    snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
    return -1;
  }
  *err = 0;
  int rc = store_sections(db, s, &r, col, count, err, errlen) ||
           set_inflows(db, &r, csv, len, col, err, errlen);
  if (!rc) {
    char after[64];
    snprintf(after, sizeof after, "{\"sections\":%d}", *count);
    rc = db_audit(db, actor, "water.sections.import", "water_section", 0, NULL, after) ||
         db_commit(db) != SQLITE_OK;
  }
  if (rc) {
    if (!*err) snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
    db_rollback(db);
    *count = 0;
    return -1;
  }
  return 0;
}

/* ---- readings ------------------------------------------------------------ */

/* All sections by name, for the import's lookups. */
struct section_cache {
  struct water_section *sec;
  int n;
};

static int load_sections(sqlite3 *db, const struct water_standard *s, struct section_cache *c,
                         char *err, size_t errlen) {
  sqlite3_stmt *st = db_prepare(db, "SELECT " SECTION_COLUMNS " FROM water_section", err, errlen);
  if (!st) return -1;
  c->sec = xcalloc(MAX_SECTIONS, sizeof *c->sec);
  c->n = 0;
  while (sqlite3_step(st) == SQLITE_ROW && c->n < MAX_SECTIONS)
    section_from_row(s, st, &c->sec[c->n++]);
  sqlite3_finalize(st);
  return 0;
}

static const struct water_section *find_section(const struct section_cache *c, const char *name) {
  for (int i = 0; i < c->n; i++)
    if (!strcmp(c->sec[i].name, name)) return &c->sec[i];
  return NULL;
}

struct reading_columns { int section, time, item, value, flag; };

static int reading_header(const struct csv_reader *r, struct reading_columns *c,
                          char *err, size_t errlen) {
  c->section = csv_column(r, "section");
  c->time = csv_column(r, "time");
  c->item = csv_column(r, "item");
  c->value = csv_column(r, "value");
  c->flag = csv_column(r, "flag");
  if (c->section < 0 || c->time < 0 || c->item < 0 || c->value < 0) {
    snprintf(err, errlen, "line 1: the header must have section, time, item, value (and "
             "optionally flag)");
    return -1;
  }
  return 0;
}

struct import_ctx {
  const struct water_standard *s;
  struct water_writer *w;
  struct section_cache sections;
  const char *source;
  int stored, alarms;
};

static int import_row(struct import_ctx *x, const struct csv_reader *r,
                      const struct reading_columns *c, char *err, size_t errlen) {
  int nf = r->nfields;
  if (nf <= c->section || nf <= c->time || nf <= c->item || nf <= c->value ||
      (c->flag >= 0 && nf <= c->flag))
    return row_error(err, errlen, r->line, "(count)", "too few fields", "");
  const struct water_section *sec = find_section(&x->sections, r->fields[c->section]);
  if (!sec) return row_error(err, errlen, r->line, "section", "no such section", r->fields[c->section]);
  char at[17];
  if (water_parse_time(r->fields[c->time], at))
    return row_error(err, errlen, r->line, "time", "not YYYY-MM-DD HH:MM:", r->fields[c->time]);
  int item = water_item_index(x->s, r->fields[c->item]);
  if (item < 0) return row_error(err, errlen, r->line, "item", "not a GB 3838 item code:", r->fields[c->item]);
  double v;
  int below, rc = water_parse_value(r->fields[c->value], &v, &below);
  if (rc) return row_error(err, errlen, r->line, "value", "not a value:", r->fields[c->value]);
  const char *flag = c->flag >= 0 ? r->fields[c->flag] : "";
  if (*flag && strcmp(flag, "L")) return row_error(err, errlen, r->line, "flag", "not L or empty:", flag);
  if (*flag && !below) {
    below = 1;
    v /= 2;
  }
  int alarm;
  char why[200];
  rc = water_writer_add(x->w, sec, item, at, v, below, x->source, &alarm, why, sizeof why);
  if (rc < 0) return row_error(err, errlen, r->line, "value", why, r->fields[c->value]);
  x->stored += rc == 0;
  x->alarms += alarm;
  return 0;
}

static int import_rows(struct import_ctx *x, struct csv_reader *r, char *err, size_t errlen) {
  struct reading_columns c;
  if (csv_next(r) != 1) {
    snprintf(err, errlen, "line 1: no header");
    return -1;
  }
  if (reading_header(r, &c, err, errlen)) return -1;
  int rc;
  while ((rc = csv_next(r)) == 1)
    if (import_row(x, r, &c, err, errlen)) return -1;
  if (rc < 0) {
    snprintf(err, errlen, "%s", r->error);
    return -1;
  }
  return 0;
}

/* Set the connection's page cache to N (PRAGMA cache_size's units). */
static void set_cache_size(sqlite3 *db, int n) {
  char pragma[48];
  snprintf(pragma, sizeof pragma, "PRAGMA cache_size=%d", n);
  sqlite3_exec(db, pragma, NULL, NULL, NULL);
}

int water_bulk_cache_begin(sqlite3 *db) {
  char err[128];
  sqlite3_stmt *st = db_prepare(db, "PRAGMA cache_size", err, sizeof err);
  int was = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
  sqlite3_finalize(st);
  if (was >= 0 || was <= -BULK_CACHE_KIB) return 0;   /* in pages, or as large */
  set_cache_size(db, -BULK_CACHE_KIB);
  return was;
}

void water_bulk_cache_end(sqlite3 *db, int was) {
  if (was) set_cache_size(db, was);
}

int water_import_readings(sqlite3 *db, const struct water_standard *s, const char *csv,
                          size_t len, const char *source, const char *actor,
                          int *stored, int *alarms, char *err, size_t errlen) {
  struct import_ctx x = {.s = s, .source = source};
  struct csv_reader r;
  *err = 0;
  if (db_begin(db) != SQLITE_OK) {
    snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
    return -1;
  }
  int rc = -1, cache_was = water_bulk_cache_begin(db);
  csv_init(&r, csv, len);
  if (!load_sections(db, s, &x.sections, err, errlen) &&
      (x.w = water_writer_open(db, s, err, errlen)) && !import_rows(&x, &r, err, errlen) &&
      !water_writer_flush(x.w, err, errlen)) {
    char after[96];
    snprintf(after, sizeof after, "{\"readings\":%d,\"alarms\":%d}", x.stored, x.alarms);
    rc = db_audit(db, actor, "water.readings.import", "water_reading", 0, NULL, after) ||
         db_commit(db) != SQLITE_OK ? -1 : 0;
    if (rc) snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
  }
  csv_clear(&r);
  water_writer_close(x.w);
  free(x.sections.sec);
  if (rc) db_rollback(db);
  water_bulk_cache_end(db, cache_was);
  if (stored) *stored = rc ? 0 : x.stored;
  if (alarms) *alarms = rc ? 0 : x.alarms;
  return rc;
}
