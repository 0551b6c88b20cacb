/*
** HJ 212 readings into the water evaluation (feed.h).
**
** The table is built from three small queries (sections with stations,
** the stations' MNs, their code mapping) and held as an array sorted by
** station id; the receiver's writer looks up every job's station in it,
** so a station that feeds no section costs a binary search and nothing
** else. Which values count: real-time Rtd (CN 2011) and the minute and
** hour means (CN 2051, 2061), flagged N or unflagged; a daily mean would
** land in the hour aggregates as if measured at midnight, and values a
** station marks as maintenance, calibration or fault are not measurements
** of the water, so neither is passed on.
*/
#include "hj212/feed.h"
#include "db/db.h"
#include "hj212/hj212.h"
#include "util/buf.h"
#include "water/cmd.h"
#include "water/store.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct code_item {
  char code[17];
  int item;                      /* index in the standard */
};

struct hj212_feed {
  long long station_id;
  struct hj212_feeds *all;
  struct water_section *sections;
  size_t nsections;
  struct code_item *codes;
  size_t ncodes;
};

struct hj212_feeds {
  sqlite3 *db;
  const struct water_standard *s;
  struct water_writer *w;
  int added;                     /* readings passed on since the last flush */
  struct hj212_feed *v;          /* sorted by station_id */
  size_t n, cap;
};

void hj212_feeds_free(struct hj212_feeds *f) {
  if (!f) return;
  for (size_t i = 0; i < f->n; i++) {
    free(f->v[i].sections);
    free(f->v[i].codes);
  }
  free(f->v);
  if (f->w) water_writer_close(f->w);
  free(f);
}

/* The feed of STATION_ID, added if it is not there yet (F->v unsorted). */
static struct hj212_feed *feed_for(struct hj212_feeds *f, long long station_id) {
  for (size_t i = 0; i < f->n; i++)
    if (f->v[i].station_id == station_id) return &f->v[i];
  if (f->n == f->cap) f->v = xrealloc(f->v, (f->cap = f->cap ? f->cap * 2 : 16) * sizeof *f->v);
  struct hj212_feed *x = &f->v[f->n++];
  memset(x, 0, sizeof *x);
  x->station_id = station_id;
  x->all = f;
  return x;
}

/* Section SEC fed by the station whose MN is MN (if it is registered). */
static int add_section(struct hj212_feeds *f, sqlite3_stmt *by_mn, const char *mn,
                       const struct water_section *sec) {
  sqlite3_bind_text(by_mn, 1, mn, -1, SQLITE_STATIC);
  int rc = sqlite3_step(by_mn);
  long long id = rc == SQLITE_ROW ? sqlite3_column_int64(by_mn, 0) : 0;
  sqlite3_reset(by_mn);
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? 0 : -1;
  struct hj212_feed *x = feed_for(f, id);
  for (size_t i = 0; i < x->nsections; i++)
    if (x->sections[i].id == sec->id) return 0;   /* MN listed twice */
  x->sections = xrealloc(x->sections, (x->nsections + 1) * sizeof *x->sections);
  x->sections[x->nsections++] = *sec;
  return 0;
}

/* Every MN of a section's stations column (separated by spaces, commas or
** semicolons). */
static int add_listed(struct hj212_feeds *f, sqlite3_stmt *by_mn, long long section,
                      const char *stations) {
  struct water_section sec;
  if (water_section_get(f->db, f->s, section, NULL, &sec)) return -1;
  char mn[HJ212_MN_MAX + 1];
  for (const char *p = stations; *p;) {
    size_t len = strcspn(p, " ,;\t");
    if (len && len <= HJ212_MN_MAX) {
      memcpy(mn, p, len);
      mn[len] = 0;
      if (add_section(f, by_mn, mn, &sec)) return -1;
    }
    p += len;
    p += strspn(p, " ,;\t");
  }
  return 0;
}

/* The standard's item for an indicator name: its letters and digits
** (NH3-N -> NH3N), matched case-insensitively; -1 if none. */
static int indicator_item(const struct water_standard *s, const char *indicator) {
  char code[16];
  size_t n = 0;
  for (const char *p = indicator; *p; p++) {
    if (!isalnum((unsigned char)*p)) continue;
    if (n + 1 == sizeof code) return -1;
    code[n++] = *p;
  }
  code[n] = 0;
  return n ? water_item_index(s, code) : -1;
}

/* The codes of feed X that map to an item of the standard. */
static int load_codes(const struct water_standard *s, sqlite3_stmt *codes, struct hj212_feed *x) {
  sqlite3_bind_int64(codes, 1, x->station_id);
  int rc;
  while ((rc = sqlite3_step(codes)) == SQLITE_ROW) {
    const char *code = (const char *)sqlite3_column_text(codes, 0);
    int item = indicator_item(s, (const char *)sqlite3_column_text(codes, 1));
    if (item < 0 || strlen(code) >= sizeof x->codes->code) continue;
    x->codes = xrealloc(x->codes, (x->ncodes + 1) * sizeof *x->codes);
    snprintf(x->codes[x->ncodes].code, sizeof x->codes->code, "%s", code);
    x->codes[x->ncodes++].item = item;
  }
  sqlite3_reset(codes);
  return rc == SQLITE_DONE ? 0 : -1;
}

static int feed_cmp(const void *a, const void *b) {
  long long x = ((const struct hj212_feed *)a)->station_id;
  long long y = ((const struct hj212_feed *)b)->station_id;
  return (x > y) - (x < y);
}

/* Sections with stations, then each listed station's codes. */
static int load_all(struct hj212_feeds *f, char *err, size_t errlen) {
  sqlite3 *db = f->db;
  sqlite3_stmt *sections = db_prepare(db, "SELECT id, stations FROM water_section "
                                      "WHERE stations <> ''", err, errlen);
  sqlite3_stmt *by_mn = db_prepare(db, "SELECT id FROM hj212_station WHERE mn = ?", err, errlen);
  sqlite3_stmt *codes = db_prepare(db, "SELECT code, indicator FROM hj212_station_code "
                                   "WHERE station_id = ?", err, errlen);
  int rc = sections && by_mn && codes ? SQLITE_ROW : SQLITE_ERROR;
  while (rc == SQLITE_ROW && (rc = sqlite3_step(sections)) == SQLITE_ROW)
    if (add_listed(f, by_mn, sqlite3_column_int64(sections, 0),
                   (const char *)sqlite3_column_text(sections, 1)))
      rc = SQLITE_ERROR;
  for (size_t i = 0; rc == SQLITE_DONE && i < f->n; i++)
    if (load_codes(f->s, codes, &f->v[i])) rc = SQLITE_ERROR;
  if (rc != SQLITE_DONE && sections && by_mn && codes)
    snprintf(err, errlen, "%s", sqlite3_errmsg(db));
  sqlite3_finalize(sections);
  sqlite3_finalize(by_mn);
  sqlite3_finalize(codes);
  if (f->n) qsort(f->v, f->n, sizeof *f->v, feed_cmp);
  return rc == SQLITE_DONE ? 0 : -1;
}

struct hj212_feeds *hj212_feeds_load(sqlite3 *db, char *err, size_t errlen) {
  struct hj212_feeds *f = xcalloc(1, sizeof *f);
  f->db = db;
  if (!(f->s = water_builtin_standard(err, errlen)) ||
      !(f->w = water_writer_open(db, f->s, err, errlen)) || load_all(f, err, errlen)) {
    hj212_feeds_free(f);
    return NULL;
  }
  return f;
}

const struct hj212_feed *hj212_feeds_find(const struct hj212_feeds *f, long long station_id) {
  struct hj212_feed key = {.station_id = station_id};
  return f && f->n ? bsearch(&key, f->v, f->n, sizeof key, feed_cmp) : NULL;
}

/* The value that counts for the water of CN's upload, or -1 (see the top). */
static int counted_value(int cn, char flag, unsigned present) {
  int which = cn == 2011 ? HJ212_RTD : cn == 2051 || cn == 2061 ? HJ212_AVG : -1;
  if (which < 0 || !(present & (1u << which)) || (flag && flag != 'N')) return -1;
  return which;
}

int hj212_feed_reading(const struct hj212_feed *feed, int cn, const char *data_time,
                       const char *code, char flag, unsigned present, const double *v) {
  int which = counted_value(cn, flag, present);
  size_t k = 0;
  while (k < feed->ncodes && strcmp(feed->codes[k].code, code)) k++;
  if (which < 0 || k == feed->ncodes) return 0;
  char at[17], err[256];
  snprintf(at, sizeof at, "%.16s", data_time);   /* water times are to the minute */
  feed->all->added = 1;
  for (size_t i = 0; i < feed->nsections; i++) {
    int alarm;
    if (water_writer_add(feed->all->w, &feed->sections[i], feed->codes[k].item, at, v[which], 0,
                         "hj212", &alarm, err, sizeof err) >= 0)
      continue;
    /* No database error: the section already has another value for this
       item and minute (a second station, a CSV import, two real-time
       packets in one minute); the first one stays. */
    if (sqlite3_errcode(feed->all->db) == SQLITE_OK) continue;
    fprintf(stderr, "hj212: water: %s\n", err);
    return -1;
  }
  return 0;
}

/* Only after readings were passed on: a flush walks the water writer's
** whole table of pending sums, a cost batches of other stations skip. */
int hj212_feeds_flush(struct hj212_feeds *f) {
  char err[256];
  if (!f->added) return 0;
  f->added = 0;
  if (!water_writer_flush(f->w, err, sizeof err)) return 0;
  fprintf(stderr, "hj212: water: %s\n", err);
  return -1;
}
