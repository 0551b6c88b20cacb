/*
** The receiver's writer (writer.h): one thread, one SQLite connection,
** one transaction per batch.
**
** The batch is written in the order of the packets' key (DataTime first),
** so its index entries go into their pages one after the other, and by
** statements of up to CHUNK rows each (INSERT ... VALUES (...), (...)):
** a statement's run costs about as much as the rows it writes (cursors
** opened and closed, the statement's start and end), so one per packet
** doubled the writer's time. Measured with callgrind on a stand-alone copy
** of these statements, batches of 100 packets of 1,000 stations: 24,600
** instructions per packet one row a statement, 14,000 sixteen at a time
** with SQLite's memory statistics off (main.c).
**
** A retransmission (a key already stored, or twice in one statement) is
** left out by INSERT OR IGNORE. Its latest row and water readings go
** through as any packet's: hj212_latest keeps the newest DataTime and
** takes the time it came, and a section keeps the first value of an item
** and minute (feed.c), so they change nothing, and a statement needs no
** telling which of its rows were stored.
*/
#include "hj212/writer.h"
#include "db/db.h"
#include "hj212/feed.h"
#include "util/buf.h"
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK 16                /* rows per statement */
#define FEEDS_RELOAD_MS 2000    /* as the receiver reloads its stations */

enum { INSERT_PACKETS, UPSERT_LATEST, STATEMENT_KINDS };

/* A statement of each kind for K = 1..CHUNK rows: the first part, one
** row's parameters, and what follows the rows. */
static const struct {
  const char *head, *row, *tail;
} statement_text[STATEMENT_KINDS] = {
  [INSERT_PACKETS] = {
    "INSERT OR IGNORE INTO hj212_packet "
    "(station_id, cn, data_time, pno, qn, received_at, readings) VALUES ",
    "(?,?,?,?,?,?,?)", ""},
  [UPSERT_LATEST] = {
    "INSERT INTO hj212_latest (station_id, cn, data_time, received_at) VALUES ",
    "(?,?,?,?)",
    " ON CONFLICT (station_id, cn) DO UPDATE SET received_at = excluded.received_at, "
    "data_time = max(data_time, excluded.data_time)"},
};

struct hj212_writer {
  sqlite3 *db;
  sqlite3_stmt *rows[STATEMENT_KINDS][CHUNK + 1];   /* prepared when first used */
  struct hj212_feeds *feeds;
  uint64_t feeds_at;            /* CLOCK_MONOTONIC ms of the last load */
  struct hj212_job **order;     /* the batch in key order */
  size_t cap;
  char now[20];                 /* the batch's received_at, UTC */
};

/* The statement of KIND for K rows, prepared on first use. */
static sqlite3_stmt *rows_statement(struct hj212_writer *w, int kind, size_t k) {
  if (w->rows[kind][k]) return w->rows[kind][k];
  struct buf sql = {0};
  buf_puts(&sql, statement_text[kind].head);
  for (size_t i = 0; i < k; i++) {
    if (i) buf_puts(&sql, ",");
    buf_puts(&sql, statement_text[kind].row);
  }
  buf_puts(&sql, statement_text[kind].tail);
  char err[256];
  w->rows[kind][k] = db_prepare(w->db, buf_str(&sql), err, sizeof err);
  if (!w->rows[kind][k]) fprintf(stderr, "hj212: writer: %s\n", err);
  buf_free(&sql);
  return w->rows[kind][k];
}

/* Insert the K packets of CHUNK; a key already stored is left as it is. */
static int insert_chunk(struct hj212_writer *w, struct hj212_job **chunk, size_t k) {
  sqlite3_stmt *st = rows_statement(w, INSERT_PACKETS, k);
  if (!st) return -1;
  sqlite3_reset(st);
  for (size_t i = 0, p = 1; i < k; i++, p += 7) {
    const struct hj212_job *j = chunk[i];
    sqlite3_bind_int64(st, (int)p, j->station_id);
    sqlite3_bind_int(st, (int)p + 1, j->cn);
    sqlite3_bind_text(st, (int)p + 2, j->data_time, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, (int)p + 3, j->pno);
    if (j->qn[0]) sqlite3_bind_text(st, (int)p + 4, j->qn, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, (int)p + 4);
    sqlite3_bind_text(st, (int)p + 5, w->now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, (int)p + 6, j->record, -1, SQLITE_STATIC);
  }
  return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* Move the latest rows of the K packets of CHUNK. */
static int upsert_latest(struct hj212_writer *w, struct hj212_job **chunk, size_t k) {
  sqlite3_stmt *st = rows_statement(w, UPSERT_LATEST, k);
  if (!st) return -1;
  sqlite3_reset(st);
  for (size_t i = 0, p = 1; i < k; i++, p += 4) {
    sqlite3_bind_int64(st, (int)p, chunk[i]->station_id);
    sqlite3_bind_int(st, (int)p + 1, chunk[i]->cn);
    sqlite3_bind_text(st, (int)p + 2, chunk[i]->data_time, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, (int)p + 3, w->now, -1, SQLITE_STATIC);
  }
  return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* Run STEP over JOBS[0..N) in chunks of up to CHUNK. */
static int in_chunks(struct hj212_writer *w, struct hj212_job **jobs, size_t n,
                     int (*step)(struct hj212_writer *, struct hj212_job **, size_t)) {
  for (size_t i = 0; i < n; i += CHUNK)
    if (step(w, jobs + i, n - i < CHUNK ? n - i : CHUNK)) return -1;
  return 0;
}

/* Jobs in the order of the packets' key. */
static int job_order(const void *a, const void *b) {
  const struct hj212_job *x = *(struct hj212_job *const *)a, *y = *(struct hj212_job *const *)b;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  if (x->station_id != y->station_id) return x->station_id < y->station_id ? -1 : 1;
  return x->cn != y->cn ? x->cn - y->cn : x->pno - y->pno;
}

/* The batch's jobs into W->order by key; returns their count. */
static size_t sort_batch(struct hj212_writer *w, struct hj212_job *batch) {
  size_t n = 0;
  for (struct hj212_job *j = batch; j; j = j->next) {
    if (n == w->cap)
      w->order = xrealloc(w->order, (w->cap = w->cap ? w->cap * 2 : 1024) * sizeof *w->order);
    w->order[n++] = j;
  }
  qsort(w->order, n, sizeof *w->order, job_order);
  return n;
}

/* Each reading of a packet to the water sections its station feeds. */
static int feed_job(const struct hj212_feed *feed, const struct hj212_job *j) {
  for (size_t i = 0; i < j->n; i++) {
    const struct hj212_job_reading *r = &j->readings[i];
    if (hj212_feed_reading(feed, j->cn, j->data_time, r->code, r->flag, r->present, r->v))
      return -1;
  }
  return 0;
}

/* The batch's rows, its latest rows, and its readings for the water
** sections, in key order. */
static int store_batch(struct hj212_writer *w, struct hj212_job *batch) {
  size_t n = sort_batch(w, batch);
  if (in_chunks(w, w->order, n, insert_chunk) || in_chunks(w, w->order, n, upsert_latest))
    return -1;
  for (size_t i = 0; i < n; i++) {
    const struct hj212_feed *feed = hj212_feeds_find(w->feeds, w->order[i]->station_id);
    if (feed && feed_job(feed, w->order[i])) return -1;
  }
  return hj212_feeds_flush(w->feeds);
}

static uint64_t monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Read the sections' feeds again every FEEDS_RELOAD_MS, so a section or
** station added since is fed. On error the old table stays. */
static void reload_feeds(struct hj212_writer *w) {
  uint64_t now = monotonic_ms();
  if (w->feeds && now - w->feeds_at < FEEDS_RELOAD_MS) return;
  char err[256];
  struct hj212_feeds *f = hj212_feeds_load(w->db, err, sizeof err);
  if (!f) { fprintf(stderr, "hj212: water feeds: %s\n", err); return; }
  hj212_feeds_free(w->feeds);
  w->feeds = f;
  w->feeds_at = now;
}

/* Without the water feeds (they could not be read) nothing is committed:
** the readings would miss their sections' aggregates for good. */
int hj212_writer_commit(struct hj212_writer *w, struct hj212_job *batch) {
  reload_feeds(w);
  if (!w->feeds) return -1;
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(w->now, sizeof w->now, "%Y-%m-%d %H:%M:%S", &tm);
  if (db_begin(w->db) != SQLITE_OK) return -1;
  if (store_batch(w, batch) == 0 && db_commit(w->db) == SQLITE_OK) return 0;
  fprintf(stderr, "hj212: writer: %s\n", sqlite3_errmsg(w->db));
  db_rollback(w->db);
  /* the water writer may hold sums of the rolled-back readings: read the
     feeds afresh before the next batch */
  hj212_feeds_free(w->feeds);
  w->feeds = NULL;
  return -1;
}

/* The writer never checkpoints: a checkpoint copies the WAL into the
** database and syncs it, tens of milliseconds that every packet waiting
** for its acknowledgement would wait too; the receiver's checkpointer
** thread does it beside the writer. */
struct hj212_writer *hj212_writer_open(const char *path) {
  struct hj212_writer *w = xcalloc(1, sizeof *w);
  char err[512];
  w->db = db_open(path, DB_EXISTING, err, sizeof err);
  if (w->db && sqlite3_exec(w->db, "PRAGMA cache_size=-16384; PRAGMA wal_autocheckpoint=0",
                            NULL, NULL, NULL) != SQLITE_OK)
    snprintf(err, sizeof err, "%s", sqlite3_errmsg(w->db));
  else if (w->db)
    reload_feeds(w);
  if (w->feeds) return w;
  fprintf(stderr, "hj212: writer cannot start: %s\n", w->db ? "no water feeds" : err);
  hj212_writer_close(w);
  return NULL;
}

void hj212_writer_close(struct hj212_writer *w) {
  if (!w) return;
  hj212_feeds_free(w->feeds);
  for (int kind = 0; kind < STATEMENT_KINDS; kind++)
    for (size_t k = 0; k <= CHUNK; k++) sqlite3_finalize(w->rows[kind][k]);
  if (w->db) sqlite3_close_v2(w->db);
  free(w->order);
  free(w);
}
