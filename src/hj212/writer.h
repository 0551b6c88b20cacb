/*
** The HJ 212 receiver's writer (receiver.c): a batch of accepted packets
** into the database in one transaction.
**
** A packet is stored as one row of hj212_packet (migration 0008: its key
** and its record, built by the loop thread) and moves its station's
** hj212_latest row (at once, or within 500 ms under load: migration 0009);
** its readings pass to the water sections its station feeds (feed.h). A
** retransmission (a key already stored) stores nothing new, but is
** answered all the same: its data is on disk.
*/
#ifndef QS_HJ212_WRITER_H
#define QS_HJ212_WRITER_H
#include <stddef.h>
#include <stdint.h>

/* What the water sections need of one pollutant (feed.h). */
struct hj212_job_reading {
  char code[17];
  unsigned present;
  char flag;
  double v[5];                  /* Rtd Avg Min Max Cou */
};

struct conn;                    /* the receiver's connection */

/* One accepted packet: made by the loop thread, stored by the writer,
** answered by the loop thread once its batch is committed. */
struct hj212_job {
  struct hj212_job *next;
  struct conn *conn;            /* whom to answer; counted in conn->pending */
  size_t size;                  /* of its memory (the receiver's job pool) */
  long long station_id;
  int cn, pno;
  int64_t at;                   /* DataTime in seconds (hj212_time_seconds): the key's */
  char qn[18];
  char *record;                 /* hj212_record_json, after the readings */
  size_t record_len;
  char reply[200];
  size_t reply_len;
  int orphan;                   /* its station was removed before the commit: not stored or answered */
  size_t n;
  struct hj212_job_reading readings[];
};

struct hj212_writer;

/* The writer's own connection to the database at PATH; NULL (said on
** stderr) when it cannot be opened or the water feeds cannot be read. */
struct hj212_writer *hj212_writer_open(const char *path);
void hj212_writer_close(struct hj212_writer *w);

/* Store the jobs of BATCH (a list) in one transaction. 0 when committed
** (but for the jobs marked orphan: their station was removed while they
** waited); -1 (said on stderr) when nothing was: leave them unanswered,
** and the stations send them again. */
int hj212_writer_commit(struct hj212_writer *w, struct hj212_job *batch);

/* How long the writer may wait for packets, in ms, before
** hj212_writer_tick has work (hj212_latest rows held back under load);
** -1: no limit. */
int hj212_writer_idle_ms(const struct hj212_writer *w);
void hj212_writer_tick(struct hj212_writer *w);

#endif
