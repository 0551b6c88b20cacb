/*
** Header and body deadlines (watch.h). Every connection has an entry in a
** list under one mutex; the entry is removed when libmicrohttpd reports
** the connection closed, which it does before closing the socket, so the
** sweeper never shuts down a descriptor that was closed and reused.
*/
#include "http/watch.h"
#include "util/clock.h"
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

enum phase { AWAIT_HEADERS, AWAIT_BODY, REPLYING };

struct watched {
  struct watched *prev, *next;
  int fd;
  enum phase phase;
  double since;                /* clock_seconds() when the phase began */
  size_t received;             /* body bytes so far */
  int cut;                     /* shut down already */
};

struct conn_watch {
  pthread_mutex_t lock;
  pthread_cond_t wake;
  pthread_t sweeper;
  int stopping;
  unsigned header_seconds, body_rate;
  struct watched head;         /* sentinel of a circular list */
};

/* Is E past its deadline at NOW? */
static int overdue(const struct conn_watch *w, const struct watched *e, double now) {
  double allowed = w->header_seconds;
  if (e->phase == REPLYING) return 0;
  if (e->phase == AWAIT_BODY) allowed += (double)e->received / w->body_rate;
  return now - e->since > allowed;
}

static void *sweep(void *arg) {
  struct conn_watch *w = arg;
  pthread_mutex_lock(&w->lock);
  while (!w->stopping) {
    double now = clock_seconds();
    for (struct watched *e = w->head.next; e != &w->head; e = e->next)
      if (!e->cut && overdue(w, e, now)) {
        shutdown(e->fd, SHUT_RDWR);
        e->cut = 1;
      }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 200 * 1000 * 1000;   /* a fifth of a second: deadlines are whole seconds */
    if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
    pthread_cond_timedwait(&w->wake, &w->lock, &until);
  }
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

struct conn_watch *watch_start(unsigned header_seconds, unsigned body_rate) {
  struct conn_watch *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  pthread_mutex_init(&w->lock, NULL);
  pthread_cond_init(&w->wake, NULL);
  w->header_seconds = header_seconds;
  w->body_rate = body_rate;
  w->head.next = w->head.prev = &w->head;
  if (pthread_create(&w->sweeper, NULL, sweep, w)) {
    free(w);
    return NULL;
  }
  return w;
}

void watch_stop(struct conn_watch *w) {
  if (!w) return;
  pthread_mutex_lock(&w->lock);
  w->stopping = 1;
  pthread_cond_signal(&w->wake);
  pthread_mutex_unlock(&w->lock);
  pthread_join(w->sweeper, NULL);
  pthread_mutex_destroy(&w->lock);
  pthread_cond_destroy(&w->wake);
  free(w);
}

void watch_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                  enum MHD_ConnectionNotificationCode code) {
  struct conn_watch *w = cls;
  struct watched *e = *socket_context;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const union MHD_ConnectionInfo *fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!fd || !(e = calloc(1, sizeof *e))) return;   /* unwatched: the idle timeout still holds */
    e->fd = fd->connect_fd;
    e->since = clock_seconds();
    pthread_mutex_lock(&w->lock);
    e->next = w->head.next;
    e->prev = &w->head;
    w->head.next->prev = e;
    w->head.next = e;
    pthread_mutex_unlock(&w->lock);
    *socket_context = e;
  } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && e) {
    pthread_mutex_lock(&w->lock);
    e->prev->next = e->next;
    e->next->prev = e->prev;
    pthread_mutex_unlock(&w->lock);
    free(e);
    *socket_context = NULL;
  }
}

/* Move CONN's entry to PHASE (restarting its clock if RESTART), with RECEIVED bytes. */
static void update(struct conn_watch *w, struct MHD_Connection *conn, enum phase phase,
                   int restart, size_t received) {
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  struct watched *e = info ? info->socket_context : NULL;
  if (!e) return;
  pthread_mutex_lock(&w->lock);
  e->phase = phase;
  e->received = received;
  if (restart) e->since = clock_seconds();
  pthread_mutex_unlock(&w->lock);
}

void watch_headers_done(struct conn_watch *w, struct MHD_Connection *conn) {
  update(w, conn, AWAIT_BODY, 1, 0);
}
void watch_body_progress(struct conn_watch *w, struct MHD_Connection *conn, size_t received) {
  update(w, conn, AWAIT_BODY, 0, received);
}
void watch_replying(struct conn_watch *w, struct MHD_Connection *conn) {
  update(w, conn, REPLYING, 0, 0);
}
void watch_request_done(struct conn_watch *w, struct MHD_Connection *conn) {
  update(w, conn, AWAIT_HEADERS, 1, 0);
}
