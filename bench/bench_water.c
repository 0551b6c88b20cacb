/*
** Water benchmark (issue 4): generate 4-hourly readings (pH, DO, CODMn,
** NH3-N, TP, TN) for N sections over Y years (default 100 sections, 10
** years: 13.1 million readings) and time
**   (a) ingesting them through the same writer as the CSV import (row,
**       hourly/daily/monthly aggregates gathered and flushed before each
**       commit, alarms), in transactions of 10,000;
**   (b) evaluating every section for one month and for one year from the
**       aggregates, and every section for every month and every year;
**   (c) the same month and year evaluation with SQLite SQL over the raw
**       readings (GROUP BY, then the same C classification),
** and print the ratios. With --csv PATH it also writes every generated
** reading there (section id, time, one column per item), the data that
** bench_water_duckdb.mjs loads into DuckDB for (c) over the same readings.
**
** Usage: bench_water [BUILD_DIR] [--sections N] [--years Y] [--db PATH] [--csv PATH]
** The database goes to a temporary folder unless --db is given.
*/
#include "db/db.h"
#include "water/store.h"
#include "water/cmd.h"
#include "util/clock.h"
#include "util/buf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 10000
#define FIRST_YEAR 2016

static const char *const items[] = {"PH", "DO", "CODMN", "NH3N", "TP", "TN"};
#define NITEMS 6

/* xorshift64*: a fixed, fast generator so every run ingests the same data. */
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static double uniform(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

/* A plausible value of item K at section S (sections differ in level). */
static double value_of(int k, int s) {
  static const double base[NITEMS] = {7.8, 8.0, 3.5, 0.4, 0.09, 2.0};
  double level = 0.6 + (s % 10) * 0.15, x = base[k] * (0.7 + 0.6 * uniform());
  if (k == 0) return 7 + 1.5 * uniform();
  if (k == 1) return x / level * 1.1;
  return round(x * level * 10000) / 10000;
}

static int make_sections(sqlite3 *db, const struct water_standard *s, int n) {
  struct buf csv = {0};
  buf_puts(&csv, "name,river,body,level,county,target_class\n");
  for (int i = 0; i < n; i++)
    buf_printf(&csv, "S%03d,R%02d,%s,city,C%02d,%d\n", i, i / 10, i % 10 == 9 ? "lake" : "river",
               i % 10, 2 + i % 2);
  char err[300];
  int count;
  int rc = water_import_sections(db, s, buf_str(&csv), csv.len, "bench", &count, err, sizeof err);
  if (rc) fprintf(stderr, "sections: %s\n", err);
  buf_free(&csv);
  return rc;
}

/* (a) every 4 hours from FIRST_YEAR-01-01 for YEARS years; each reading
** also to CSV when it is not NULL. */
static long ingest(sqlite3 *db, const struct water_standard *s, int nsec, int years, FILE *csv) {
  struct water_section *sec = calloc((size_t)nsec, sizeof *sec);
  int idx[NITEMS];
  char err[300];
  for (int i = 0; i < nsec; i++) {
    char name[16];
    snprintf(name, sizeof name, "S%03d", i);
    water_section_get(db, s, 0, name, &sec[i]);
  }
  for (int k = 0; k < NITEMS; k++) idx[k] = water_item_index(s, items[k]);
  long n = 0;
  int cache_was = water_bulk_cache_begin(db);   /* as the CSV import */
  db_begin(db);
  struct water_writer *w = water_writer_open(db, s, err, sizeof err);
  time_t t0 = 1451606400;   /* 2016-01-01 00:00 UTC, used as local time */
  for (time_t t = t0; ; t += 4 * 3600) {
    struct tm tm;
    gmtime_r(&t, &tm);
    if (tm.tm_year + 1900 >= FIRST_YEAR + years) break;
    char at[24];
    strftime(at, sizeof at, "%Y-%m-%d %H:%M", &tm);
    for (int i = 0; i < nsec; i++) {
      double v[NITEMS];
      for (int k = 0; k < NITEMS; k++) v[k] = value_of(k, i);
      if (csv) {
        fprintf(csv, "%d,%s", i + 1, at);
        for (int k = 0; k < NITEMS; k++) fprintf(csv, ",%.17g", v[k]);
        fputc('\n', csv);
      }
      for (int k = 0; k < NITEMS; k++) {
        int alarm;
        if (water_writer_add(w, &sec[i], idx[k], at, v[k], 0, "bench", &alarm,
                             err, sizeof err) < 0) {
          fprintf(stderr, "ingest: %s\n", err);
          exit(1);
        }
        if (++n % BATCH == 0) {
          if (water_writer_flush(w, err, sizeof err)) {
            fprintf(stderr, "ingest: %s\n", err);
            exit(1);
          }
          db_commit(db);
          db_begin(db);
        }
      }
    }
  }
  if (water_writer_flush(w, err, sizeof err)) {
    fprintf(stderr, "ingest: %s\n", err);
    exit(1);
  }
  water_writer_close(w);
  db_commit(db);
  water_bulk_cache_end(db, cache_was);
  free(sec);
  return n;
}

/* (b) one period for every section from the aggregates (one range scan of
** the month rows, the sections' kinds from one query); returns a checksum. */
static long eval_aggregates(sqlite3 *db, const struct water_standard *s, int nsec,
                            const char *period) {
  char err[200];
  enum water_body *body = calloc((size_t)nsec + 1, sizeof *body);
  double *v = malloc(((size_t)nsec + 1) * (size_t)s->n * sizeof *v);
  sqlite3_stmt *st = db_prepare(db, "SELECT id, body FROM water_section WHERE id <= ?", err, sizeof err);
  sqlite3_bind_int(st, 1, nsec);
  while (sqlite3_step(st) == SQLITE_ROW)
    body[sqlite3_column_int(st, 0)] = strcmp((const char *)sqlite3_column_text(st, 1), "lake")
                                        ? WATER_RIVER : WATER_LAKE;
  sqlite3_finalize(st);
  long sum = 0;
  if (!water_period_values_all(db, s, period, nsec, v))
    for (int i = 1; i <= nsec; i++) {
      struct water_result r;
      water_evaluate(s, body[i], v + (size_t)i * s->n, 0, &r);
      sum += r.cls;
    }
  free(body);
  free(v);
  return sum;
}

/* (c) the same from the raw readings with SQL, then the same C evaluation. */
static long eval_sql(sqlite3 *db, const struct water_standard *s, int nsec, const char *period) {
  char err[200], from[16], to[16];
  int year = strlen(period) == 4;
  snprintf(from, sizeof from, "%s", period);
  snprintf(to, sizeof to, "%s%s", period, year ? "-99" : "~");
  /* a year is the mean of monthly means: group by month first */
  sqlite3_stmt *st = db_prepare(db,
    "SELECT section_id, item, substr(at, 1, 7) AS m, "
    "sum(CASE WHEN item = 'PH' THEN pow(10, -value) ELSE value END), count(*) "
    "FROM water_reading WHERE at >= ? AND at < ? GROUP BY section_id, item, m", err, sizeof err);
  if (!st) {
    fprintf(stderr, "sql: %s\n", err);
    exit(1);
  }
  sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
  struct water_acc *acc = calloc((size_t)(nsec + 1) * WATER_MAX_ITEMS, sizeof *acc);
  while (sqlite3_step(st) == SQLITE_ROW) {
    int sec = sqlite3_column_int(st, 0), i = water_item_index(s, (const char *)sqlite3_column_text(st, 1));
    if (sec > nsec || i < 0) continue;
    struct water_acc m = {sqlite3_column_double(st, 3), sqlite3_column_int64(st, 4)};
    double mean = water_acc_mean(&m, &s->item[i]);
    water_acc_add(&acc[sec * WATER_MAX_ITEMS + i], &s->item[i], mean);
  }
  sqlite3_finalize(st);
  long sum = 0;
  for (int sec = 1; sec <= nsec; sec++) {
    double v[WATER_MAX_ITEMS];
    for (int i = 0; i < s->n; i++) v[i] = water_acc_mean(&acc[sec * WATER_MAX_ITEMS + i], &s->item[i]);
    struct water_result r;
    water_evaluate(s, sec % 10 == 0 ? WATER_LAKE : WATER_RIVER, v, 0, &r);
    sum += r.cls;
  }
  free(acc);
  return sum;
}

static void compare(sqlite3 *db, const struct water_standard *s, int nsec, const char *period,
                    const char *what) {
  double t0 = clock_seconds();
  long a = eval_aggregates(db, s, nsec, period);
  double t1 = clock_seconds();
  long b = eval_sql(db, s, nsec, period);
  double t2 = clock_seconds();
  printf("(b) %s, all %d sections, from aggregates: %8.2f ms   checksum %ld\n", what, nsec,
         (t1 - t0) * 1e3, a);
  printf("(c) %s, all %d sections, SQL over raw:    %8.2f ms   ratio SQL/aggregates %.0fx%s\n",
         what, nsec, (t2 - t1) * 1e3, (t2 - t1) / (t1 - t0), a == b ? "" : "  (CHECKSUMS DIFFER)");
}

static void all_periods(sqlite3 *db, const struct water_standard *s, int nsec, int years) {
  double t0 = clock_seconds();
  long n = 0, sum = 0;
  for (int y = FIRST_YEAR; y < FIRST_YEAR + years; y++) {
    char p[16];
    for (int m = 1; m <= 12; m++, n++) {
      snprintf(p, sizeof p, "%04d-%02d", y, m);
      sum += eval_aggregates(db, s, nsec, p);
    }
    snprintf(p, sizeof p, "%04d", y);
    sum += eval_aggregates(db, s, nsec, p);
    n++;
  }
  printf("(b) every month and every year (%ld periods x %d sections): %.1f ms   checksum %ld\n", n,
         nsec, (clock_seconds() - t0) * 1e3, sum);
}

int main(int argc, char **argv) {
  int nsec = 100, years = 10;
  const char *path = NULL, *csv_path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--sections") && i + 1 < argc) nsec = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--years") && i + 1 < argc) years = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--db") && i + 1 < argc) path = argv[++i];
    else if (!strcmp(argv[i], "--csv") && i + 1 < argc) csv_path = argv[++i];
  }
  FILE *csv = NULL;
  if (csv_path) {
    if (!(csv = fopen(csv_path, "w"))) {
      perror(csv_path);
      return 1;
    }
    fputs("section,at", csv);
    for (int k = 0; k < NITEMS; k++) fprintf(csv, ",%s", items[k]);
    fputc('\n', csv);
  }
  char dir[] = "/tmp/qingshui-bench-XXXXXX", file[64], err[300];
  if (!path) {
    if (!mkdtemp(dir)) return 1;
    snprintf(file, sizeof file, "%s/water.db", dir);
    path = file;
  }
  const struct water_standard *s = water_builtin_standard(err, sizeof err);
  sqlite3 *db = s ? db_open(path, DB_CREATE, err, sizeof err) : NULL;
  if (!db || make_sections(db, s, nsec)) {
    fprintf(stderr, "bench_water: %s\n", err);
    return 1;
  }
  double t0 = clock_seconds();
  long n = ingest(db, s, nsec, years, csv);
  double t1 = clock_seconds();
  if (csv && fclose(csv)) {
    perror(csv_path);
    return 1;
  }
  printf("(a) ingest %ld readings (%d sections, %d years, 4-hourly, 6 items): %.1f s, %.0f readings/s\n",
         n, nsec, years, t1 - t0, n / (t1 - t0));
  char month[16], year[16];
  snprintf(month, sizeof month, "%04d-06", FIRST_YEAR + years - 1);
  snprintf(year, sizeof year, "%04d", FIRST_YEAR + years - 1);
  compare(db, s, nsec, month, "one month");
  compare(db, s, nsec, year, "one year ");
  all_periods(db, s, nsec, years);
  sqlite3_close_v2(db);
  if (path == file) {
    unlink(file);
    char side[80];
    snprintf(side, sizeof side, "%s-wal", file);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", file);
    unlink(side);
    rmdir(dir);
  }
  return 0;
}
