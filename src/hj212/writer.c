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
** hj212_latest is written in bulk (migration 0009): the writer keeps each
** station's newest DataTime per CN in memory (LATEST). A batch of fewer
** than BUSY_BATCH packets writes them in its transaction, so that at such
** rates the table is current when a packet is acknowledged; under load
** (hundreds of packets a batch) they are written at most every
** LATEST_WRITE_MS, and that long after the last batch when packets stop
** (hj212_writer_tick). The writer numbers the packets itself, and
** hj212_latest_mark says up to which one the table is current, so that
** after a crash (or a rollback, which loses what LATEST held) the table is
** brought up to date from the packets above the mark.
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
#include "hj212/hj212.h"
#include "util/buf.h"
#include "util/clock.h"
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK 16                /* rows per statement */
#define FEEDS_RELOAD_MS 2000    /* as the receiver reloads its stations */
#define LATEST_WRITE_MS 500     /* under load, hj212_latest at most this far behind */
#define BUSY_BATCH 32           /* a batch this large leaves hj212_latest for later */

enum { INSERT_PACKETS, UPSERT_LATEST, STATEMENT_KINDS };

/* A statement of each kind for K = 1..CHUNK rows: the first part, one
** row's parameters, and what follows the rows. */
static const struct {
  const char *head, *row, *tail;
} statement_text[STATEMENT_KINDS] = {
  [INSERT_PACKETS] = {
    "INSERT OR IGNORE INTO hj212_packet "
    "(id, station_id, cn, data_time, pno, qn, received_at, readings) VALUES ",
    "(?,?,?,?,?,?,?,?)", ""},
  [UPSERT_LATEST] = {
    "INSERT INTO hj212_latest (station_id, cn, data_time, received_at) VALUES ",
    "(?,?,?,?)",
    " ON CONFLICT (station_id, cn) DO UPDATE SET received_at = excluded.received_at, "
    "data_time = max(data_time, excluded.data_time)"},
};

/* A station's newest packet of one CN since hj212_latest was written. */
struct latest {
  long long station_id;         /* 0: a free slot */
  int cn;
  int64_t data_time, received_at;   /* seconds (migration 0010) */
};

struct hj212_writer {
  sqlite3 *db;
  sqlite3_stmt *rows[STATEMENT_KINDS][CHUNK + 1];   /* prepared when first used */
  sqlite3_stmt *set_mark;
  struct hj212_feeds *feeds;
  uint64_t feeds_at;            /* CLOCK_MONOTONIC ms of the last load */
  struct hj212_job **order;     /* the batch in key order */
  size_t cap;
  int64_t now;                  /* the batch's received_at, unix time */
  long long next_id;            /* the next packet's id */
  struct latest *latest;        /* open addressing by station and CN */
  size_t latest_cap, latest_n;
  uint64_t latest_at;           /* CLOCK_MONOTONIC ms hj212_latest was written */
  int latest_lost;              /* a rollback dropped what LATEST held */
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
  for (size_t i = 0, p = 1; i < k; i++, p += 8) {
    const struct hj212_job *j = chunk[i];
    sqlite3_bind_int64(st, (int)p, w->next_id++);   /* a retransmission leaves a gap */
    sqlite3_bind_int64(st, (int)p + 1, j->station_id);
    sqlite3_bind_int(st, (int)p + 2, j->cn);
    sqlite3_bind_int64(st, (int)p + 3, j->at);
    sqlite3_bind_int(st, (int)p + 4, j->pno);
    if (j->qn[0]) sqlite3_bind_text(st, (int)p + 5, j->qn, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, (int)p + 5);
    sqlite3_bind_int64(st, (int)p + 6, w->now);
    sqlite3_bind_text(st, (int)p + 7, j->record, (int)j->record_len, SQLITE_STATIC);
  }
  return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* ---- hj212_latest, written in bulk ---- */

static size_t latest_slot(const struct latest *t, size_t cap, long long station_id, int cn) {
  uint64_t h = ((uint64_t)station_id * 64 + (uint64_t)(unsigned)cn) * 0x9E3779B97F4A7C15u;
  size_t i = (size_t)(h >> 32) & (cap - 1);
  while (t[i].station_id && (t[i].station_id != station_id || t[i].cn != cn)) i = (i + 1) & (cap - 1);
  return i;
}

static void grow_latest(struct hj212_writer *w) {
  size_t cap = w->latest_cap ? 2 * w->latest_cap : 1024;
  struct latest *t = xcalloc(cap, sizeof *t);
  for (size_t i = 0; i < w->latest_cap; i++)
    if (w->latest[i].station_id)
      t[latest_slot(t, cap, w->latest[i].station_id, w->latest[i].cn)] = w->latest[i];
  free(w->latest);
  w->latest = t;
  w->latest_cap = cap;
}

/* Job J's packet into LATEST, for hj212_latest. */
static void remember_latest(struct hj212_writer *w, const struct hj212_job *j) {
  if (2 * (w->latest_n + 1) > w->latest_cap) grow_latest(w);   /* at most half full */
  struct latest *e = &w->latest[latest_slot(w->latest, w->latest_cap, j->station_id, j->cn)];
  if (!e->station_id) {
    e->station_id = j->station_id;
    e->cn = j->cn;
    e->data_time = j->at;
    w->latest_n++;
  } else if (j->at > e->data_time) {
    e->data_time = j->at;
  }
  e->received_at = w->now;
}

static void forget_latest(struct hj212_writer *w) {
  if (w->latest_n) memset(w->latest, 0, w->latest_cap * sizeof *w->latest);
  w->latest_n = 0;
}

/* Write the K rows of CHUNK into hj212_latest. */
static int upsert_latest(struct hj212_writer *w, struct latest *const *chunk, size_t k) {
  sqlite3_stmt *st = rows_statement(w, UPSERT_LATEST, k);
  if (!st) return -1;
  sqlite3_reset(st);
  for (size_t i = 0, p = 1; i < k; i++, p += 4) {
    sqlite3_bind_int64(st, (int)p, chunk[i]->station_id);
    sqlite3_bind_int(st, (int)p + 1, chunk[i]->cn);
    sqlite3_bind_int64(st, (int)p + 2, chunk[i]->data_time);
    sqlite3_bind_int64(st, (int)p + 3, chunk[i]->received_at);
  }
  return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* hj212_latest is current up to the last packet numbered. */
static int set_mark(struct hj212_writer *w) {
  sqlite3_reset(w->set_mark);
  sqlite3_bind_int64(w->set_mark, 1, w->next_id - 1);
  return sqlite3_step(w->set_mark) == SQLITE_DONE ? 0 : -1;
}

/* What LATEST holds into hj212_latest, CHUNK rows a statement. */
static int write_latest(struct hj212_writer *w) {
  struct latest *chunk[CHUNK];
  size_t k = 0;
  for (size_t i = 0; i < w->latest_cap; i++) {
    if (!w->latest[i].station_id) continue;
    chunk[k++] = &w->latest[i];
    if (k == CHUNK) {
      if (upsert_latest(w, chunk, k)) return -1;
      k = 0;
    }
  }
  if ((k && upsert_latest(w, chunk, k)) || set_mark(w)) return -1;
  forget_latest(w);
  return 0;
}

/* hj212_latest from the packets above the mark, which include all that
** LATEST held: after a crash, or a rollback. */
static int catch_up_latest(struct hj212_writer *w) {
  static const char sql[] =
      "INSERT INTO hj212_latest (station_id, cn, data_time, received_at) "
      "SELECT station_id, cn, max(data_time), max(received_at) FROM hj212_packet "
      "WHERE id > (SELECT packet_id FROM hj212_latest_mark) GROUP BY station_id, cn "
      "ON CONFLICT (station_id, cn) DO UPDATE SET "
      "received_at = max(received_at, excluded.received_at), "
      "data_time = max(data_time, excluded.data_time)";
  if (sqlite3_exec(w->db, sql, NULL, NULL, NULL) != SQLITE_OK || set_mark(w)) return -1;
  forget_latest(w);
  w->latest_lost = 0;
  return 0;
}

/* ---- batches ---- */

/* Jobs in the order of the packets' key. */
static int job_order(const void *a, const void *b) {
  const struct hj212_job *x = *(struct hj212_job *const *)a, *y = *(struct hj212_job *const *)b;
  if (x->at != y->at) return x->at < y->at ? -1 : 1;
  if (x->station_id != y->station_id) return x->station_id < y->station_id ? -1 : 1;
  return x->cn != y->cn ? x->cn - y->cn : x->pno - y->pno;
}

/* The batch's jobs, all but the orphans, into W->order by key; returns their count. */
static size_t sort_batch(struct hj212_writer *w, struct hj212_job *batch) {
  size_t n = 0;
  for (struct hj212_job *j = batch; j; j = j->next) {
    if (j->orphan) continue;
    if (n == w->cap)
      w->order = xrealloc(w->order, (w->cap = w->cap ? w->cap * 2 : 1024) * sizeof *w->order);
    w->order[n++] = j;
  }
  qsort(w->order, n, sizeof *w->order, job_order);
  return n;
}

/* Each reading of a packet to the water sections its station feeds. */
static int feed_job(const struct hj212_feed *feed, const struct hj212_job *j) {
  struct hj212_time t;
  char data_time[20];
  hj212_time_of_seconds(j->at, &t);
  hj212_format_time(&t, data_time);
  for (size_t i = 0; i < j->n; i++) {
    const struct hj212_job_reading *r = &j->readings[i];
    if (hj212_feed_reading(feed, j->cn, data_time, r->code, r->flag, r->present, r->v)) return -1;
  }
  return 0;
}

/* The batch's rows and its readings for the water sections, in key
** order; its newest packets into LATEST. 0, and their number in *N, or -1
** on a database error. */
static int store_batch(struct hj212_writer *w, struct hj212_job *batch, size_t *n) {
  *n = sort_batch(w, batch);
  for (size_t i = 0; i < *n; i += CHUNK)
    if (insert_chunk(w, w->order + i, *n - i < CHUNK ? *n - i : CHUNK)) return -1;
  for (size_t i = 0; i < *n; i++) {
    remember_latest(w, w->order[i]);
    const struct hj212_feed *feed = hj212_feeds_find(w->feeds, w->order[i]->station_id);
    if (feed && feed_job(feed, w->order[i])) return -1;
  }
  return hj212_feeds_flush(w->feeds) ? -1 : 0;
}

/* Mark the jobs whose station is no longer in the registry as orphans
** (not stored, not answered: the loop thread's registry, read every
** RELOAD_MS, still had it). */
static void mark_orphans(struct hj212_writer *w, struct hj212_job *batch) {
  char err[256];
  sqlite3_stmt *st = db_prepare(w->db, "SELECT 1 FROM hj212_station WHERE id = ?", err, sizeof err);
  if (!st) { fprintf(stderr, "hj212: writer: %s\n", err); return; }
  size_t n = 0;
  for (struct hj212_job *j = batch; j; j = j->next) {
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, j->station_id);
    if (sqlite3_step(st) != SQLITE_DONE) continue;   /* there, or not known: keep it */
    j->orphan = 1;
    j->reply_len = 0;
    n++;
  }
  sqlite3_finalize(st);
  if (n) fprintf(stderr, "hj212: writer: left out, their stations removed: %zu packets\n", n);
}

/* Read the sections' feeds again every FEEDS_RELOAD_MS, so a section or
** station added since is fed. On error the old table stays. */
static void reload_feeds(struct hj212_writer *w) {
  uint64_t now = clock_ms();
  if (w->feeds && now - w->feeds_at < FEEDS_RELOAD_MS) return;
  char err[256];
  struct hj212_feeds *f = hj212_feeds_load(w->db, err, sizeof err);
  if (!f) { fprintf(stderr, "hj212: water feeds: %s\n", err); return; }
  hj212_feeds_free(w->feeds);
  w->feeds = f;
  w->feeds_at = now;
}

/* One attempt at the batch: SQLITE_OK, or the (extended) code of what
** failed, all of it rolled back. Without the water feeds (they could not
** be read) nothing is committed: the readings would miss their sections'
** aggregates for good. */
static int commit_once(struct hj212_writer *w, struct hj212_job *batch) {
  reload_feeds(w);
  if (!w->feeds) return SQLITE_ERROR;
  w->now = (int64_t)time(NULL);
  if (db_begin(w->db) != SQLITE_OK) return sqlite3_extended_errcode(w->db);
  size_t n = 0;
  int ok = (!w->latest_lost || catch_up_latest(w) == 0) && store_batch(w, batch, &n) == 0;
  uint64_t now = clock_ms();
  if (ok && (n < BUSY_BATCH || now - w->latest_at >= LATEST_WRITE_MS)) {
    ok = write_latest(w) == 0;
    w->latest_at = now;
  }
  if (ok && db_commit(w->db) == SQLITE_OK) return SQLITE_OK;
  int rc = sqlite3_extended_errcode(w->db);
  fprintf(stderr, "hj212: writer: %s\n", sqlite3_errmsg(w->db));
  db_rollback(w->db);
  /* the water writer may hold sums of the rolled-back readings, and LATEST
     rows of them: read the feeds afresh, and catch up with the next batch */
  hj212_feeds_free(w->feeds);
  w->feeds = NULL;
  w->latest_lost = 1;
  return rc;
}

/* A station removed while its packets waited, or while LATEST held its
** newest, fails the batch on a foreign key. The batch is tried once more,
** without those packets and with hj212_latest caught up from the packets
** (the rollback set latest_lost), so that the other stations' packets
** need not be sent again. */
int hj212_writer_commit(struct hj212_writer *w, struct hj212_job *batch) {
  int rc = commit_once(w, batch);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
    mark_orphans(w, batch);
    rc = commit_once(w, batch);
  }
  return rc == SQLITE_OK ? 0 : -1;
}

int hj212_writer_idle_ms(const struct hj212_writer *w) {
  if (!w->latest_n && !w->latest_lost) return -1;
  uint64_t since = clock_ms() - w->latest_at;
  return since >= LATEST_WRITE_MS ? 0 : (int)(LATEST_WRITE_MS - since);
}

/* hj212_latest brought up to date in a transaction of its own. */
static int write_latest_now(struct hj212_writer *w) {
  if (db_begin(w->db) != SQLITE_OK) return -1;
  if ((w->latest_lost ? catch_up_latest(w) : write_latest(w)) == 0 &&
      db_commit(w->db) == SQLITE_OK)
    return 0;
  fprintf(stderr, "hj212: writer: %s\n", sqlite3_errmsg(w->db));
  db_rollback(w->db);
  w->latest_lost = 1;
  return -1;
}

void hj212_writer_tick(struct hj212_writer *w) {
  if (hj212_writer_idle_ms(w) == 0) {
    write_latest_now(w);
    w->latest_at = clock_ms();
  }
}

/* Number packets on from the largest id stored or marked, and bring
** hj212_latest up to date: it is behind after a crash. */
static int start_numbering(struct hj212_writer *w, char *err, size_t errlen) {
  sqlite3_stmt *st = db_prepare(w->db,
      "SELECT max(coalesce((SELECT max(id) FROM hj212_packet), 0), packet_id) FROM hj212_latest_mark",
      err, errlen);
  int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
  if (rc == 0) w->next_id = sqlite3_column_int64(st, 0) + 1;
  sqlite3_finalize(st);
  if (rc == 0 && db_begin(w->db) == SQLITE_OK) {
    if (catch_up_latest(w) == 0 && db_commit(w->db) == SQLITE_OK) return 0;
    db_rollback(w->db);
  }
  if (st) snprintf(err, errlen, "%s", sqlite3_errmsg(w->db));
  return -1;
}

/* The writer never checkpoints: a checkpoint copies the WAL into the
** database and syncs it, tens of milliseconds that every packet waiting
** for its acknowledgement would wait too; the receiver's checkpointer
** thread does it beside the writer.
**
** Its page cache is 2 MiB, about SQLite's default (the pages a batch
** touches: the ends of hj212_packet and its key, hj212_latest, the
** stations), and not more: when an insert splits a page, SQLite
** renumbers the new pages through the lock page's number
** (balance_nonroot), and the commit then walks the whole cache to drop
** pages past the end of the database (pcache1TruncateUnsafe). With the 64 MiB cache the water writer used to
** give its connection, that walk was 8% of the writer's time at 1,000
** stations and grew with the cache. */
struct hj212_writer *hj212_writer_open(const char *path) {
  struct hj212_writer *w = xcalloc(1, sizeof *w);
  char err[512];
  w->db = db_open(path, DB_EXISTING, err, sizeof err);
  if (w->db && sqlite3_exec(w->db, "PRAGMA cache_size=-2048; PRAGMA wal_autocheckpoint=0",
                            NULL, NULL, NULL) != SQLITE_OK)
    snprintf(err, sizeof err, "%s", sqlite3_errmsg(w->db));
  else if (w->db &&
           (w->set_mark = db_prepare(w->db, "UPDATE hj212_latest_mark SET packet_id = ?",
                                     err, sizeof err)) &&
           start_numbering(w, err, sizeof err) == 0) {
    reload_feeds(w);
    if (w->feeds) return w;
    snprintf(err, sizeof err, "no water feeds");
  }
  fprintf(stderr, "hj212: writer cannot start: %s\n", err);
  hj212_writer_close(w);
  return NULL;
}

void hj212_writer_close(struct hj212_writer *w) {
  if (!w) return;
  if (w->feeds && (w->latest_n || w->latest_lost)) write_latest_now(w);   /* what waits */
  hj212_feeds_free(w->feeds);
  for (int kind = 0; kind < STATEMENT_KINDS; kind++)
    for (size_t k = 0; k <= CHUNK; k++) sqlite3_finalize(w->rows[kind][k]);
  sqlite3_finalize(w->set_mark);
  if (w->db) sqlite3_close_v2(w->db);
  free(w->latest);
  free(w->order);
  free(w);
}
