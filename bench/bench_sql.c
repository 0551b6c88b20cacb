/*
** What the SQL layer (src/db/sql.h) costs on SQLite: a prepared insert loop
** of HJ 212 packet rows (7 columns, a unique key, batches of 100 rows per
** transaction, WAL, synchronous=NORMAL as db_open sets them) run three ways
** on the same connection, in turns, ROUNDS times:
**   direct   sqlite3_bind_* / sqlite3_step / sqlite3_reset
**   layer    sql_bind_* / sql_step / sql_reset on a statement prepared once
**   cached   the same, with sql_prepare() (the cache lookup) before every row,
**            as code that calls a store function per packet does
** Each prints the CPU time per row (CLOCK_THREAD_CPUTIME_ID) as a median of
** the rounds, and the layer's over direct.
** Usage: bench_sql [BUILD] [--rows N] [--rounds N] (bench/run.sh passes BUILD).
*/
#include "db/db.h"
#include "db/sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 100

static const char *const insert_sql =
  "INSERT INTO bench_packet(station_id, cn, data_time, received_at, flag, values_json, size)"
  " VALUES(?, ?, ?, ?, ?, ?, ?)";
static const char *const values_json =
  "{\"w01018\":\"12.5\",\"w21003\":\"0.42\",\"w21011\":\"0.031\",\"w01001\":\"7.62\"}";

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fresh_table(sqlite3 *db) {
  if (sqlite3_exec(db, "DROP TABLE IF EXISTS bench_packet; CREATE TABLE bench_packet ("
                   "id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL, cn INTEGER NOT NULL, "
                   "data_time INTEGER NOT NULL, received_at INTEGER NOT NULL, flag TEXT, "
                   "values_json TEXT NOT NULL, size INTEGER NOT NULL, "
                   "UNIQUE (station_id, cn, data_time)) STRICT", NULL, NULL, NULL) != SQLITE_OK) {
    fprintf(stderr, "bench_sql: %s\n", sqlite3_errmsg(db));
    exit(1);
  }
}

__attribute__((noinline)) static double run_direct(sqlite3 *db, int rows) {
  sqlite3_stmt *st = NULL;
  sqlite3_prepare_v3(db, insert_sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
  double t0 = cpu_now();
  for (int i = 0; i < rows; i++) {
    if (i % BATCH == 0) db_begin(db);
    sqlite3_bind_int64(st, 1, i % 1000);
    sqlite3_bind_int64(st, 2, 2011);
    sqlite3_bind_int64(st, 3, 1700000000LL + i / 1000);
    sqlite3_bind_int64(st, 4, 1700000000LL + i / 1000);
    sqlite3_bind_text(st, 5, "N", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, values_json, -1, SQLITE_STATIC);   /* as the writer binds */
    sqlite3_bind_int64(st, 7, 268);
    if (sqlite3_step(st) != SQLITE_DONE) { fprintf(stderr, "bench_sql: %s\n", sqlite3_errmsg(db)); exit(1); }
    sqlite3_reset(st);
    if (i % BATCH == BATCH - 1 || i == rows - 1) db_commit(db);
  }
  double t = cpu_now() - t0;
  sqlite3_finalize(st);
  return t;
}

static inline double run_layer(struct sql_db *db, int rows, int prepare_each) {
  struct sql_stmt *st = sql_prepare(db, insert_sql);
  double t0 = cpu_now();
  for (int i = 0; i < rows; i++) {
    if (i % BATCH == 0) sql_begin(db);
    if (prepare_each) st = sql_prepare(db, insert_sql);
    sql_bind_int64(st, 1, i % 1000);
    sql_bind_int64(st, 2, 2011);
    sql_bind_int64(st, 3, 1700000000LL + i / 1000);
    sql_bind_int64(st, 4, 1700000000LL + i / 1000);
    sql_bind_text_static(st, 5, "N", -1);
    sql_bind_text_static(st, 6, values_json, -1);
    sql_bind_int64(st, 7, 268);
    if (sql_step(st) != SQL_DONE) { fprintf(stderr, "bench_sql: %s\n", sql_errmsg(db)); exit(1); }
    sql_reset(st);
    if (i % BATCH == BATCH - 1 || i == rows - 1) sql_commit(db);
  }
  return cpu_now() - t0;
}

/* Apart, so that callgrind counts each on its own. */
__attribute__((noinline)) static double run_layer_once(struct sql_db *db, int rows) {
  return run_layer(db, rows, 0);
}
__attribute__((noinline)) static double run_layer_cached(struct sql_db *db, int rows) {
  return run_layer(db, rows, 1);
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, by_value);
  return v[n / 2];
}

int main(int argc, char **argv) {
  int rows = 200000, rounds = 7;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--rows") && i + 1 < argc) rows = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = atoi(argv[++i]);
  }
  if (rows <= 0 || rounds <= 0 || rounds > 64) {
    fprintf(stderr, "usage: bench_sql [BUILD] [--rows N] [--rounds 1..64]\n");
    return 2;
  }
  char path[64], err[512];
  snprintf(path, sizeof path, "/tmp/qingshui-bench-sql-%d.db", (int)getpid());
  sqlite3 *handle = db_open(path, DB_CREATE, err, sizeof err);
  if (!handle) { fprintf(stderr, "bench_sql: %s\n", err); return 1; }
  /* Each run gets its own connection wrapper, as a store function would find it. */
  struct sql_db *db = sql_wrap_sqlite(handle);
  double direct[64], layer[64], cached[64];
  for (int r = 0; r < rounds; r++) {
    fresh_table(handle);
    direct[r] = run_direct(handle, rows) / rows;
    fresh_table(handle);
    layer[r] = run_layer_once(db, rows) / rows;
    fresh_table(handle);
    cached[r] = run_layer_cached(db, rows) / rows;
    sql_close(db);   /* the table changed: statements are prepared again */
    db = sql_wrap_sqlite(handle);
  }
  double d = median(direct, rounds), l = median(layer, rounds), c = median(cached, rounds);
  printf("bench_sql: %d rows x %d rounds, batches of %d, SQLite %s\n", rows, rounds, BATCH,
         sqlite3_libversion());
  printf("  direct sqlite3        %7.0f ns/row\n", d * 1e9);
  printf("  layer, prepared once  %7.0f ns/row  (%+.1f%%)\n", l * 1e9, (l / d - 1) * 100);
  printf("  layer, sql_prepare    %7.0f ns/row  (%+.1f%%)\n", c * 1e9, (c / d - 1) * 100);
  sql_close(db);
  sqlite3_close_v2(handle);
  unlink(path);
  char side[80];
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
  return 0;
}
