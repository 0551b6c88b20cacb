/*
** The HJ 212 receiver: a libuv TCP server on its own thread that frames,
** parses and checks stations' packets, and one writer thread that commits
** accepted readings in batches. A station's reply (Flag's A bit) is sent
** only after the transaction holding its packet has committed, so a
** packet that was acknowledged survives kill -9.
*/
#ifndef QS_HJ212_RECEIVER_H
#define QS_HJ212_RECEIVER_H
#include "hj212/hj212.h"
#include <stddef.h>

struct hj212_receiver_config {
  const char *listen;          /* "0.0.0.0:9212"; port 0 picks a free port */
  const char *db_path;
  unsigned idle_seconds;       /* close a connection silent this long */
  unsigned slow_seconds;       /* close one whose packet stays incomplete this long */
  unsigned max_connections;
  unsigned max_per_address;
  unsigned batch_ms;           /* commit at most this long after a packet arrives */
  unsigned batch_rows;         /* or as soon as this many packets wait */
  unsigned future_seconds;     /* refuse DataTime further ahead of our clock */
};

struct hj212_receiver;

/* Bind, start both threads; NULL with ERR set on failure. */
struct hj212_receiver *hj212_receiver_start(const struct hj212_receiver_config *cfg, char *err,
                                            size_t errlen);
unsigned hj212_receiver_port(const struct hj212_receiver *r);
/* Stop accepting, commit what is queued, join the threads, free. */
void hj212_receiver_stop(struct hj212_receiver *r);

/* The process's counters since it started (the receiver's, or zeros when
** none runs): refused packets by reason (index 0 unused), packets accepted
** and committed, open station connections. The same figures as /metrics. */
struct hj212_counters {
  unsigned long long refused[HJ212_REASON_COUNT];
  unsigned long long accepted, committed, connections;
};
void hj212_receiver_counters(struct hj212_counters *out);

#endif
