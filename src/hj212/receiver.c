/*
** The HJ 212 receiver (receiver.h).
**
** Threads: the libuv loop thread owns every connection, the station table
** and the parser; the writer thread owns a SQLite connection. They meet in
** two queues: accepted packets (loop -> writer, mutex + condition) and
** committed packets (writer -> loop, mutex + uv_async). Replies are built
** when a packet is accepted but written to the socket only when it comes
** back committed: an acknowledged reading is always on disk. A third
** thread checkpoints the WAL, so that no batch waits for that.
**
** The loop thread builds each packet's record (its stored form); the
** writer (writer.c) stores a batch of them in one transaction. Cost per
** packet, 1,000 stations one packet in flight: 48 us in the writer with a
** row per pollutant keyed by station, 10 us with a row per packet, 6-8 us
** with several rows per statement (bench/bench_hj212_e2e.sh).
**
** Bounded per connection: the framer holds at most one frame, reads go
** through one buffer of the loop, a connection's pending packets keep it
** alive until they are answered. A refused packet costs its sender nothing
** but a log line and a counter; the connection stays open (stations resend
** on their own), except on idle or slow connections, which are closed.
*/
#include "hj212/receiver.h"
#include "auth/secret.h"
#include "db/db.h"
#include "hj212/hj212.h"
#include "hj212/known.h"
#include "hj212/writer.h"
#include "http/metrics.h"
#include "util/buf.h"
#include "util/deadline.h"
#include "util/embedded.h"
#include "util/stream.h"
#include <pthread.h>
#include <sanitizer/asan_interface.h>
#include <sys/prctl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#define MAX_QUEUE 200000        /* packets waiting for the writer */
#define RELOAD_MS 2000          /* station table refresh */
#define CHECKPOINT_MS 500       /* WAL copied into the database */
#define RESTART_FRAMES 8192     /* 32 MiB of WAL: start it over */
#define TZ_SECONDS (8 * 3600)   /* stations send China's local time */
#define JOB_BLOCK 2048          /* a pooled job's size: packets of up to ~15 pollutants */
#define JOB_POOL_MAX 4096       /* free blocks kept for reuse (8 MiB) */

/* Counters for /metrics: one process serves one receiver. */
static atomic_ullong refused[HJ212_REASON_COUNT];
static atomic_ullong accepted_packets, committed_packets, open_connections, password_checks;

struct addr_count {
  struct addr_count *next;
  unsigned n;
  char addr[48];
};
#define ADDR_BUCKETS 1024

struct conn {
  uv_tcp_t tcp;
  struct hj212_receiver *rx;
  struct conn *prev, *next;
  struct addr_count *addr;
  struct hj212_framer framer;
  uint64_t last_active, partial_since;
  int closing, closed;
  unsigned pending;
  char peer[64];
  /* the password that matched a station's stored hash on this connection */
  long long verified_id;
  unsigned char verified_hash[DEVICE_SECRET_HASH];
  char verified_pw[HJ212_PW_MAX];
  size_t verified_pw_len;
};

struct hj212_receiver {
  struct hj212_receiver_config cfg;
  uv_loop_t loop;
  uv_tcp_t server;
  uv_timer_t timer;
  uv_async_t done_async, stop_async;
  pthread_t loop_thread, writer_thread, checkpoint_thread;
  unsigned port;
  atomic_int finishing;
  int stopped;
  /* loop thread */
  sqlite3 *read_db;
  struct hj212_codes *codes;
  struct hj212_reassembler *reasm;
  struct hj212_known known;     /* the registry's stations */
  void *job_pool;               /* free JOB_BLOCKs, linked through their first word */
  size_t job_pool_n;
  uint64_t last_reload;
  struct conn *conns;
  size_t nconns;
  struct addr_count *addrs[ADDR_BUCKETS];
  struct hj212_packet pkt;
  char readbuf[65536];
  struct conn *reply_conn;      /* replies gathered for one write */
  char replies[4096];
  size_t reply_len;
  /* queues */
  pthread_mutex_t mu;
  pthread_cond_t cond, checkpoint_cond;
  struct hj212_job *q_head, *q_tail, *done, *done_tail;
  size_t q_len;
  struct timespec q_since;      /* when the oldest waiting packet came */
  int stop_writer;
};

/* ---- metrics ---- */

static void write_metrics(struct buf *out) {
  buf_puts(out, "# HELP qingshui_hj212_refused_total HJ 212 packets or bytes refused, by reason\n"
                "# TYPE qingshui_hj212_refused_total counter\n");
  for (int r = 1; r < HJ212_REASON_COUNT; r++)
    buf_printf(out, "qingshui_hj212_refused_total{reason=\"%s\"} %llu\n",
               hj212_reason_name((enum hj212_reason)r), (unsigned long long)atomic_load(&refused[r]));
  buf_printf(out, "# TYPE qingshui_hj212_accepted_total counter\nqingshui_hj212_accepted_total %llu\n"
                  "# TYPE qingshui_hj212_committed_total counter\nqingshui_hj212_committed_total %llu\n"
                  "# TYPE qingshui_hj212_connections gauge\nqingshui_hj212_connections %llu\n"
                  "# HELP qingshui_hj212_password_checks_total station passwords hashed to be checked\n"
                  "# TYPE qingshui_hj212_password_checks_total counter\n"
                  "qingshui_hj212_password_checks_total %llu\n",
             (unsigned long long)atomic_load(&accepted_packets),
             (unsigned long long)atomic_load(&committed_packets),
             (unsigned long long)atomic_load(&open_connections),
             (unsigned long long)atomic_load(&password_checks));
}

void hj212_receiver_counters(struct hj212_counters *out) {
  out->refused[0] = 0;
  for (int r = 1; r < HJ212_REASON_COUNT; r++) out->refused[r] = atomic_load(&refused[r]);
  out->accepted = atomic_load(&accepted_packets);
  out->committed = atomic_load(&committed_packets);
  out->connections = atomic_load(&open_connections);
}

static void refuse(struct conn *c, enum hj212_reason r, const struct hj212_packet *p) {
  atomic_fetch_add(&refused[r], 1);
  if (p && p->mn.len)
    fprintf(stderr, "hj212: refused %s from %s MN=%.*s\n", hj212_reason_name(r), c->peer,
            (int)p->mn.len, p->mn.p);
  else
    fprintf(stderr, "hj212: refused %s from %s\n", hj212_reason_name(r), c->peer);
}

/* ---- stations (loop thread) ---- */

/* Text column COL of ST into DST (SIZE bytes), cut short as snprintf would. */
static void copy_text(char *dst, size_t size, sqlite3_stmt *st, int col) {
  const unsigned char *z = sqlite3_column_text(st, col);
  size_t n = (size_t)sqlite3_column_bytes(st, col);
  if (n >= size) n = size - 1;
  if (z) memcpy(dst, z, n);
  dst[z ? n : 0] = 0;
}

/* Read the registry again: stations added by the CLI or API are known
** within RELOAD_MS without a restart. On error the old table stays. No
** snprintf: at 1,000 stations a reload cost the loop thread 3.1 M
** instructions with it, at 10,000 a 10 ms pause. A station with an MN no
** packet can carry (longer than HJ212_MN_MAX) is left out, and one added
** between the count and the rows waits for the next reload. */
static void reload_stations(struct hj212_receiver *rx) {
  char err[256];
  sqlite3_stmt *st = db_prepare(rx->read_db, "SELECT count(*) FROM hj212_station", err, sizeof err);
  int counted = st && sqlite3_step(st) == SQLITE_ROW;
  size_t count = counted ? (size_t)sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  st = counted ? db_prepare(rx->read_db, "SELECT id, mn, password_hash, st FROM hj212_station", err, sizeof err)
               : NULL;
  if (!st) { fprintf(stderr, "hj212: stations: %s\n", counted ? err : sqlite3_errmsg(rx->read_db)); return; }
  struct hj212_known k;
  hj212_known_init(&k, count);
  while (sqlite3_step(st) == SQLITE_ROW) {
    struct hj212_known_station *s = hj212_known_add(&k, (const char *)sqlite3_column_text(st, 1),
                                                    (size_t)sqlite3_column_bytes(st, 1));
    if (!s) continue;
    s->id = sqlite3_column_int64(st, 0);
    if (device_secret_parse((const char *)sqlite3_column_text(st, 2), s->pw_salt, s->pw_hash))
      memset(s->pw_hash, 0, sizeof s->pw_hash);   /* not a stored hash: matches no password */
    copy_text(s->st, sizeof s->st, st, 3);
  }
  sqlite3_finalize(st);
  hj212_known_free(&rx->known);
  rx->known = k;
}

static int str_eq(struct hj212_str s, const char *z) {
  return s.len == strlen(z) && !memcmp(s.p, z, s.len);
}

/* Does packet P carry station S's password? A password is hashed once per
** connection: the connection keeps the one that matched, with the stored
** hash it matched (a station whose password is changed is checked again),
** and its later packets are compared with it. */
static int password_ok(struct conn *c, const struct hj212_packet *p,
                       const struct hj212_known_station *s) {
  if (c->verified_id == s->id && !memcmp(c->verified_hash, s->pw_hash, sizeof s->pw_hash) &&
      p->pw.len == c->verified_pw_len && !memcmp(p->pw.p, c->verified_pw, p->pw.len))
    return 1;
  atomic_fetch_add(&password_checks, 1);
  if (p->pw.len > sizeof c->verified_pw ||
      !device_secret_matches(s->pw_salt, s->pw_hash, p->pw.p, p->pw.len))
    return 0;
  c->verified_id = s->id;
  memcpy(c->verified_hash, s->pw_hash, sizeof s->pw_hash);
  memcpy(c->verified_pw, p->pw.p, p->pw.len);
  c->verified_pw_len = p->pw.len;
  return 1;
}

/* ---- the writer thread ---- */

/* Wait for work: a batch is taken when BATCH_ROWS packets wait or the
** oldest has waited BATCH_MS, counted from its arrival: packets that came
** during the previous commit have waited already and go at once, so a
** busy writer commits back to back. Returns the jobs in arrival order, or
** NULL when stopping with nothing left (*STOPPING set) or when nothing came
** within IDLE_MS (unless it is -1). */
static struct hj212_job *take_batch(struct hj212_receiver *rx, int idle_ms, int *stopping) {
  pthread_mutex_lock(&rx->mu);
  struct timespec idle_until = idle_ms >= 0 ? deadline_in(idle_ms) : (struct timespec){0};
  while (!rx->q_head && !rx->stop_writer) {
    if (idle_ms < 0) pthread_cond_wait(&rx->cond, &rx->mu);
    else if (pthread_cond_timedwait(&rx->cond, &rx->mu, &idle_until)) break;
  }
  if (rx->q_head && !rx->stop_writer) {
    struct timespec deadline = deadline_after(rx->q_since, (long)rx->cfg.batch_ms);
    while (rx->q_len < rx->cfg.batch_rows && !rx->stop_writer &&
           pthread_cond_timedwait(&rx->cond, &rx->mu, &deadline) == 0) {
    }
  }
  struct hj212_job *batch = rx->q_head;
  rx->q_head = rx->q_tail = NULL;
  rx->q_len = 0;
  *stopping = rx->stop_writer;
  pthread_mutex_unlock(&rx->mu);
  return batch;
}

/* The checkpointer: every CHECKPOINT_MS, copy what the WAL holds into the
** database (PASSIVE: it neither waits for nor blocks the writer), again
** while that made progress. Under steady load the WAL is never wholly
** copied between two commits, and only then does a commit start it over:
** it would grow without end (500 MB in 20 s of the benchmark). So once it
** passes RESTART_FRAMES, a RESTART checkpoint holds the writer back for
** the little the passive ones left, and the WAL starts over. */
static void *checkpoint_main(void *arg) {
  struct hj212_receiver *rx = arg;
  prctl(PR_SET_NAME, "hj212-ckpt");
  char err[512];
  sqlite3 *db = db_open(rx->cfg.db_path, DB_EXISTING, err, sizeof err);
  if (!db) fprintf(stderr, "hj212: checkpointer cannot start: %s\n", err);
  pthread_mutex_lock(&rx->mu);
  while (!rx->stop_writer) {
    struct timespec t = deadline_in(CHECKPOINT_MS);
    pthread_cond_timedwait(&rx->checkpoint_cond, &rx->mu, &t);
    if (rx->stop_writer || !db) continue;
    pthread_mutex_unlock(&rx->mu);
    int log = 0, copied = 0, before = -1, rc = SQLITE_OK;
    for (int round = 0; round < 8 && rc == SQLITE_OK && copied != before && copied <= log; round++) {
      before = copied;
      rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    }
    if (rc == SQLITE_OK && log > RESTART_FRAMES)
      rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_RESTART, &log, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
      fprintf(stderr, "hj212: checkpoint: %s\n", sqlite3_errmsg(db));
    pthread_mutex_lock(&rx->mu);
  }
  pthread_mutex_unlock(&rx->mu);
  if (db) sqlite3_close_v2(db);
  return NULL;
}

/* Hand a batch back to the loop for the replies. */
static void hand_back(struct hj212_receiver *rx, struct hj212_job *batch, int ok) {
  size_t n = 0;
  struct hj212_job *last = batch;
  for (struct hj212_job *j = batch; j; j = j->next) {
    if (!ok) j->reply_len = 0;   /* not committed: not acknowledged */
    n += !j->orphan;
    last = j;
  }
  if (ok) atomic_fetch_add(&committed_packets, n);
  pthread_mutex_lock(&rx->mu);
  /* after the batches not yet answered: a station's replies go out in
     the order its packets came */
  if (rx->done_tail) rx->done_tail->next = batch;
  else rx->done = batch;
  rx->done_tail = last;
  pthread_mutex_unlock(&rx->mu);
  uv_async_send(&rx->done_async);
}

static void *writer_main(void *arg) {
  struct hj212_receiver *rx = arg;
  prctl(PR_SET_NAME, "hj212-writer");
  struct hj212_writer *w = hj212_writer_open(rx->cfg.db_path);
  for (;;) {
    int stopping;
    struct hj212_job *batch = take_batch(rx, w ? hj212_writer_idle_ms(w) : -1, &stopping);
    if (batch) hand_back(rx, batch, w && hj212_writer_commit(w, batch) == 0);
    else if (stopping) break;
    else hj212_writer_tick(w);
  }
  hj212_writer_close(w);
  return NULL;
}

/* ---- jobs' memory (loop thread) ---- */

/* A job's memory (one block: the job, its readings, its record). Jobs are
** made and freed on the loop thread only, so blocks of JOB_BLOCK go back
** to a free list of its own: malloc and free of these 1-2 KiB blocks were
** 8% of the loop thread's own time. A free block is poisoned for ASan
** but for its link, so a job used after its return is still caught. */
static struct hj212_job *job_alloc(struct hj212_receiver *rx, size_t size) {
  struct hj212_job *j;
  if (size > JOB_BLOCK) j = xmalloc(size);
  else if (rx->job_pool) {
    j = rx->job_pool;
    rx->job_pool = *(void **)j;
    rx->job_pool_n--;
    ASAN_UNPOISON_MEMORY_REGION(j, JOB_BLOCK);
  } else j = xmalloc(JOB_BLOCK);
  memset(j, 0, sizeof *j);
  j->size = size;
  return j;
}

static void job_free(struct hj212_receiver *rx, struct hj212_job *j) {
  if (j->size > JOB_BLOCK || rx->job_pool_n == JOB_POOL_MAX) { free(j); return; }
  *(void **)j = rx->job_pool;
  ASAN_POISON_MEMORY_REGION((char *)j + sizeof(void *), JOB_BLOCK - sizeof(void *));
  rx->job_pool = j;
  rx->job_pool_n++;
}

static void job_pool_free(struct hj212_receiver *rx) {
  while (rx->job_pool) {
    void *next = *(void **)rx->job_pool;
    ASAN_UNPOISON_MEMORY_REGION(rx->job_pool, JOB_BLOCK);
    free(rx->job_pool);
    rx->job_pool = next;
  }
  rx->job_pool_n = 0;
}

/* ---- connections (loop thread) ---- */

static unsigned addr_hash(const char *s) {
  unsigned h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h % ADDR_BUCKETS;
}

/* Count one more connection from ADDR; NULL if it is over the limit. */
static struct addr_count *addr_take(struct hj212_receiver *rx, const char *addr) {
  struct addr_count **b = &rx->addrs[addr_hash(addr)], *a;
  for (a = *b; a && strcmp(a->addr, addr); a = a->next) {
  }
  if (!a) {
    a = xcalloc(1, sizeof *a);
    snprintf(a->addr, sizeof a->addr, "%s", addr);
    a->next = *b;
    *b = a;
  }
  if (a->n >= rx->cfg.max_per_address) return NULL;
  a->n++;
  return a;
}

static void addr_release(struct hj212_receiver *rx, struct addr_count *a) {
  if (--a->n) return;
  struct addr_count **p = &rx->addrs[addr_hash(a->addr)];
  while (*p != a) p = &(*p)->next;
  *p = a->next;
  free(a);
}

static void free_conn(struct conn *c) {
  if (c->addr) addr_release(c->rx, c->addr);
  free(c);
}

static void on_conn_closed(uv_handle_t *h) {
  struct conn *c = h->data;
  c->closed = 1;
  if (c->pending == 0) free_conn(c);
}

static void close_conn(struct conn *c, const char *why) {
  if (c->closing) return;
  struct hj212_receiver *rx = c->rx;
  c->closing = 1;
  if (c->prev) c->prev->next = c->next;
  else rx->conns = c->next;
  if (c->next) c->next->prev = c->prev;
  rx->nconns--;
  atomic_fetch_sub(&open_connections, 1);
  if (why) fprintf(stderr, "hj212: closing %s: %s\n", c->peer, why);
  uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
}

static void send_bytes(struct conn *c, const char *data, size_t len) {
  if (!c->closing) stream_send((uv_stream_t *)&c->tcp, data, len);
}

static void stop_all(struct hj212_receiver *rx);

/* Replies to one connection that come back one after the other (a
** station with several packets in flight) go out in one write. */
static void flush_replies(struct hj212_receiver *rx) {
  if (rx->reply_len) send_bytes(rx->reply_conn, rx->replies, rx->reply_len);
  rx->reply_len = 0;
  rx->reply_conn = NULL;
}

static void queue_reply(struct hj212_receiver *rx, struct conn *c, const char *data, size_t len) {
  if (c != rx->reply_conn || rx->reply_len + len > sizeof rx->replies) flush_replies(rx);
  rx->reply_conn = c;
  memcpy(rx->replies + rx->reply_len, data, len);
  rx->reply_len += len;
}

/* Replies of committed packets. */
static void on_done(uv_async_t *a) {
  struct hj212_receiver *rx = a->data;
  pthread_mutex_lock(&rx->mu);
  struct hj212_job *j = rx->done;
  rx->done = rx->done_tail = NULL;
  pthread_mutex_unlock(&rx->mu);
  while (j) {
    struct hj212_job *next = j->next;
    struct conn *c = j->conn;
    if (c) {
      if (j->reply_len) queue_reply(rx, c, j->reply, j->reply_len);
      if (--c->pending == 0 && c->closed) {
        flush_replies(rx);   /* before C goes */
        free_conn(c);
      }
    }
    job_free(rx, j);
    j = next;
  }
  flush_replies(rx);
  if (atomic_load(&rx->finishing)) {
    stop_all(rx);   /* the two asyncs may be run in either order */
    uv_close((uv_handle_t *)&rx->done_async, NULL);
    uv_close((uv_handle_t *)&rx->stop_async, NULL);
  }
}

/* A job for the writer: the packet's record (its stored form) and what
** the water sections need of each pollutant. NULL if the record does not
** fit, which hj212_record_json rules out for any segment the framer
** passes. */
static struct hj212_job *make_job(struct hj212_receiver *rx, const struct hj212_packet *p,
                                  const struct hj212_known_station *s, int64_t at) {
  char record[HJ212_RECORD_MAX];
  size_t len = hj212_record_json(p, record, sizeof record);
  if (!len) return NULL;
  struct hj212_job *j = job_alloc(rx, sizeof *j + p->npollutants * sizeof *j->readings + len + 1);
  j->record = (char *)(j->readings + p->npollutants);
  memcpy(j->record, record, len + 1);
  j->record_len = len;
  j->station_id = s->id;
  j->cn = p->cn;
  j->pno = p->pno;
  j->at = at;
  if (p->has_qn) {
    memcpy(j->qn, p->qn.p, p->qn.len);   /* exactly HJ212_QN_LEN (parser) */
    j->qn[p->qn.len] = 0;
  }
  for (size_t i = 0; i < p->npollutants; i++) {
    const struct hj212_pollutant *x = &p->pollutants[i];
    struct hj212_job_reading *r = &j->readings[j->n++];
    size_t n = x->code2017.len < sizeof r->code ? x->code2017.len : sizeof r->code - 1;
    memcpy(r->code, x->code2017.p, n);   /* at most 16 bytes (parser) */
    r->code[n] = 0;
    r->present = x->present;
    r->flag = x->flag;
    memcpy(r->v, x->v, sizeof r->v);
  }
  return j;
}

static int enqueue(struct hj212_receiver *rx, struct hj212_job *j) {
  pthread_mutex_lock(&rx->mu);
  if (rx->q_len >= MAX_QUEUE) {
    pthread_mutex_unlock(&rx->mu);
    return -1;
  }
  if (rx->q_tail) rx->q_tail->next = j;
  else {
    rx->q_head = j;
    clock_gettime(CLOCK_REALTIME, &rx->q_since);   /* the condition's clock */
  }
  rx->q_tail = j;
  if (++rx->q_len == 1 || rx->q_len >= rx->cfg.batch_rows) pthread_cond_signal(&rx->cond);
  pthread_mutex_unlock(&rx->mu);
  return 0;
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A parsed packet from a known station: store, answer, or both. */
static void handle_upload(struct conn *c, const struct hj212_packet *p,
                          const struct hj212_known_station *s) {
  struct hj212_receiver *rx = c->rx;
  if (!p->has_datatime) { refuse(c, HJ212_E_MISSING_DATATIME, p); return; }
  int64_t at = hj212_time_seconds(&p->datatime);   /* China's wall clock, as the key holds it */
  if (at - TZ_SECONDS > now_ms() / 1000 + (int64_t)rx->cfg.future_seconds) {
    refuse(c, HJ212_E_FUTURE_TIME, p);
    return;
  }
  if (p->pnum) {
    int group;
    if (hj212_reasm_add(rx->reasm, p, (int64_t)(uv_now(&rx->loop) / 1000), &group) ==
        HJ212_REASM_COMPLETE)
      hj212_reasm_release(rx->reasm, group);
  }
  struct hj212_job *j = make_job(rx, p, s, at);
  if (!j) { refuse(c, HJ212_E_TOO_MANY_ITEMS, p); return; }
  if (hj212_wants_reply(p)) j->reply_len = hj212_build_reply(j->reply, sizeof j->reply, p, 9014, 0);
  j->conn = c;
  if (enqueue(rx, j)) { job_free(rx, j); refuse(c, HJ212_E_OVERLOAD, p); return; }
  c->pending++;
  atomic_fetch_add(&accepted_packets, 1);
}

static void handle_segment(struct conn *c, const char *seg, size_t len) {
  struct hj212_receiver *rx = c->rx;
  struct hj212_packet *p = &rx->pkt;
  enum hj212_reason r = hj212_parse(seg, len, rx->codes, p);
  if (r) { refuse(c, r, p); return; }
  const struct hj212_known_station *s = hj212_known_find(&rx->known, p->mn.p, p->mn.len);
  if (!s) { refuse(c, HJ212_E_UNKNOWN_MN, p); return; }
  if (!password_ok(c, p, s)) { refuse(c, HJ212_E_WRONG_PASSWORD, p); return; }
  const struct hj212_cn_info *info = hj212_cn_find(p->cn);
  if (!str_eq(p->st, s->st) && !str_eq(p->st, "91")) { refuse(c, HJ212_E_ST_MISMATCH, p); return; }
  if (!info) { refuse(c, HJ212_E_UNSUPPORTED_CN, p); return; }
  if (info->kind == HJ212_CN_UPLOAD) { handle_upload(c, p, s); return; }
  atomic_fetch_add(&accepted_packets, 1);
  if (info->kind == HJ212_CN_NOTIFY && hj212_wants_reply(p)) {
    char out[200];
    size_t n = hj212_build_reply(out, sizeof out, p, 9013, 0);
    if (n) send_bytes(c, out, n);
  }
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *b) {
  (void)suggested;
  struct conn *c = h->data;
  /* one buffer for all: read_cb consumes the bytes before the next read */
  *b = uv_buf_init(c->rx->readbuf, sizeof c->rx->readbuf);
}

static void read_cb(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
  struct conn *c = st->data;
  if (n < 0) { close_conn(c, n == UV_EOF ? NULL : uv_strerror((int)n)); return; }
  if (n == 0) return;
  c->last_active = uv_now(&c->rx->loop);
  const char *p = b->base;
  size_t len = (size_t)n;
  int had_partial = c->framer.len > 0;
  struct hj212_frame fr;
  enum hj212_reason why;
  enum hj212_frame_result r;
  while ((r = hj212_framer_next(&c->framer, &p, &len, &fr, &why)) != HJ212_FRAME_NEED_MORE) {
    if (r == HJ212_FRAME_OK) handle_segment(c, fr.segment, fr.len);
    else refuse(c, why, NULL);
  }
  if (c->framer.len == 0) c->partial_since = 0;
  else if (!had_partial || !c->partial_since) c->partial_since = c->last_active;
}

static void on_connection(uv_stream_t *server, int status) {
  struct hj212_receiver *rx = server->data;
  if (status < 0) return;
  struct conn *c = xcalloc(1, sizeof *c);
  c->rx = rx;
  uv_tcp_init(&rx->loop, &c->tcp);
  c->tcp.data = c;
  if (uv_accept(server, (uv_stream_t *)&c->tcp)) { uv_close((uv_handle_t *)&c->tcp, on_conn_closed); return; }
  struct sockaddr_storage sa;
  int salen = sizeof sa;
  char host[48] = "?";
  if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&sa, &salen) == 0) {
    if (sa.ss_family == AF_INET6) uv_ip6_name((struct sockaddr_in6 *)&sa, host, sizeof host);
    else uv_ip4_name((struct sockaddr_in *)&sa, host, sizeof host);
    snprintf(c->peer, sizeof c->peer, "%s:%d", host,
             ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
                                            : ((struct sockaddr_in *)&sa)->sin_port));
  }
  c->closing = 1;   /* not in the list yet */
  if (rx->nconns >= rx->cfg.max_connections || !(c->addr = addr_take(rx, host))) {
    fprintf(stderr, "hj212: refusing connection from %s: too many connections\n", c->peer);
    uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
    return;
  }
  c->closing = 0;
  hj212_framer_init(&c->framer);
  c->last_active = uv_now(&rx->loop);
  c->next = rx->conns;
  if (rx->conns) rx->conns->prev = c;
  rx->conns = c;
  rx->nconns++;
  atomic_fetch_add(&open_connections, 1);
  uv_tcp_nodelay(&c->tcp, 1);
  uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb);
}

/* Every second: idle and slow connections, station table refresh, split
** packets that never completed. */
static void on_timer(uv_timer_t *t) {
  struct hj212_receiver *rx = t->data;
  uint64_t now = uv_now(&rx->loop);
  for (struct conn *c = rx->conns, *next; c; c = next) {
    next = c->next;
    if (now - c->last_active > rx->cfg.idle_seconds * 1000ull) close_conn(c, "idle");
    else if (c->partial_since && now - c->partial_since > rx->cfg.slow_seconds * 1000ull)
      close_conn(c, "packet incomplete for too long");
  }
  if (now - rx->last_reload >= RELOAD_MS) {
    reload_stations(rx);
    rx->last_reload = now;
  }
  hj212_reasm_expire(rx->reasm, (int64_t)(now / 1000));
}

/* Close the listener, the timer and every connection (once). */
static void stop_all(struct hj212_receiver *rx) {
  if (rx->stopped) return;
  rx->stopped = 1;
  uv_close((uv_handle_t *)&rx->server, NULL);
  uv_close((uv_handle_t *)&rx->timer, NULL);
  while (rx->conns) close_conn(rx->conns, NULL);
}

static void on_stop(uv_async_t *a) { stop_all(a->data); }

static void *loop_main(void *arg) {
  struct hj212_receiver *rx = arg;
  prctl(PR_SET_NAME, "hj212-loop");   /* thread names, as top -H shows them */
  uv_run(&rx->loop, UV_RUN_DEFAULT);
  return NULL;
}

/* ---- start and stop ---- */

static int bind_listen(struct hj212_receiver *rx, const char *listen, char *err, size_t errlen) {
  const char *colon = strrchr(listen, ':');
  char host[64];
  if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host) {
    snprintf(err, errlen, "--hj212 '%s': expected ADDR:PORT", listen);
    return -1;
  }
  snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
  char *end;
  long port = strtol(colon + 1, &end, 10);
  struct sockaddr_storage sa;
  if (*end || port < 0 || port > 65535 ||
      (uv_ip4_addr(host, (int)port, (struct sockaddr_in *)&sa) &&
       uv_ip6_addr(host, (int)port, (struct sockaddr_in6 *)&sa))) {
    snprintf(err, errlen, "--hj212 '%s': invalid address or port", listen);
    return -1;
  }
  uv_tcp_init(&rx->loop, &rx->server);
  rx->server.data = rx;
  int rc = uv_tcp_bind(&rx->server, (struct sockaddr *)&sa, 0);
  if (!rc) rc = uv_listen((uv_stream_t *)&rx->server, 1024, on_connection);
  if (rc) {
    snprintf(err, errlen, "--hj212 %s: %s", listen, uv_strerror(rc));
    return -1;
  }
  int len = sizeof sa;
  uv_tcp_getsockname(&rx->server, (struct sockaddr *)&sa, &len);
  rx->port = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
                                            : ((struct sockaddr_in *)&sa)->sin_port);
  return 0;
}

static void close_handle(uv_handle_t *h, void *arg) {
  (void)arg;
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

static int load_codes(struct hj212_receiver *rx, char *err, size_t errlen) {
  const struct embedded_file *f = embedded_find("data/hj212/factor_codes.csv");
  if (!f) { snprintf(err, errlen, "data/hj212/factor_codes.csv is not embedded"); return -1; }
  char why[160];
  rx->codes = hj212_codes_load((const char *)f->data, f->size, why, sizeof why);
  if (!rx->codes) { snprintf(err, errlen, "factor_codes.csv: %s", why); return -1; }
  return 0;
}

struct hj212_receiver *hj212_receiver_start(const struct hj212_receiver_config *cfg, char *err,
                                            size_t errlen) {
  static int registered;
  struct hj212_receiver *rx = xcalloc(1, sizeof *rx);
  rx->cfg = *cfg;
  if (!rx->cfg.batch_rows) rx->cfg.batch_rows = 1;
  pthread_mutex_init(&rx->mu, NULL);
  pthread_cond_init(&rx->cond, NULL);
  pthread_cond_init(&rx->checkpoint_cond, NULL);
  uv_loop_init(&rx->loop);
  rx->read_db = db_open(cfg->db_path, DB_EXISTING, err, errlen);
  if (!rx->read_db || load_codes(rx, err, errlen) || bind_listen(rx, cfg->listen, err, errlen)) {
    if (rx->read_db) sqlite3_close_v2(rx->read_db);
    hj212_codes_free(rx->codes);
    uv_walk(&rx->loop, close_handle, NULL);
    uv_run(&rx->loop, UV_RUN_DEFAULT);
    uv_loop_close(&rx->loop);
    free(rx);
    return NULL;
  }
  rx->reasm = hj212_reasm_new(1024, 600);
  reload_stations(rx);
  uv_timer_init(&rx->loop, &rx->timer);
  rx->timer.data = rx;
  uv_timer_start(&rx->timer, on_timer, 1000, 1000);
  uv_async_init(&rx->loop, &rx->done_async, on_done);
  rx->done_async.data = rx;
  uv_async_init(&rx->loop, &rx->stop_async, on_stop);
  rx->stop_async.data = rx;
  if (!registered) {
    metrics_register_writer(write_metrics);
    registered = 1;
  }
  pthread_create(&rx->writer_thread, NULL, writer_main, rx);
  pthread_create(&rx->checkpoint_thread, NULL, checkpoint_main, rx);
  pthread_create(&rx->loop_thread, NULL, loop_main, rx);
  return rx;
}

unsigned hj212_receiver_port(const struct hj212_receiver *rx) { return rx->port; }

void hj212_receiver_stop(struct hj212_receiver *rx) {
  if (!rx) return;
  uv_async_send(&rx->stop_async);
  pthread_mutex_lock(&rx->mu);
  rx->stop_writer = 1;
  pthread_cond_signal(&rx->cond);
  pthread_cond_signal(&rx->checkpoint_cond);
  pthread_mutex_unlock(&rx->mu);
  pthread_join(rx->writer_thread, NULL);
  pthread_join(rx->checkpoint_thread, NULL);
  /* the writer has handed back everything: answer (or drop) and finish */
  atomic_store(&rx->finishing, 1);
  uv_async_send(&rx->done_async);
  pthread_join(rx->loop_thread, NULL);
  uv_loop_close(&rx->loop);
  sqlite3_close_v2(rx->read_db);
  hj212_codes_free(rx->codes);
  hj212_reasm_free(rx->reasm);
  hj212_known_free(&rx->known);
  job_pool_free(rx);
  pthread_mutex_destroy(&rx->mu);
  pthread_cond_destroy(&rx->cond);
  pthread_cond_destroy(&rx->checkpoint_cond);
  free(rx);
}
