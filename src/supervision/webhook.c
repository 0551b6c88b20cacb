/*
** Webhook delivery (webhook.h) with libcurl.
**
** At start the thread notes the newest event id: older events belong to a
** time when no webhook was configured and are not sent. Each later event
** is tried up to MAX_ATTEMPTS times, waiting attempts² seconds between
** tries; a 2xx answer marks it delivered.
*/
#include "supervision/webhook.h"
#include "db/db.h"
#include "db/rows.h"
#include "util/buf.h"
#include "util/deadline.h"
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ATTEMPTS 8
#define POLL_MILLISECONDS 500
#define REQUEST_TIMEOUT_SECONDS 5

struct webhook {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  int stopping;
  char *url;
  sqlite3 *db;
  long long first_event;     /* events with a smaller id are not sent */
};

static size_t discard(char *data, size_t size, size_t n, void *user) {
  (void)data; (void)user;
  return size * n;
}

/* POST BODY; 0 on a 2xx answer, else -1 with ERR. */
static int post(const char *url, const char *body, char *err, size_t errlen) {
  CURL *curl = curl_easy_init();
  if (!curl) { snprintf(err, errlen, "curl_easy_init failed"); return -1; }
  struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)REQUEST_TIMEOUT_SECONDS);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) { snprintf(err, errlen, "%s", curl_easy_strerror(rc)); return -1; }
  if (status < 200 || status > 299) { snprintf(err, errlen, "HTTP %ld", status); return -1; }
  return 0;
}

/* Deliver what is due now; returns the number of events tried. */
static int deliver_due(struct webhook *w) {
  json_t *due = db_query_rows(w->db,
      "SELECT e.id, e.at, e.kind, e.task_id, e.unit_id, u.name AS unit_name, e.summary, "
      "coalesce(d.attempts, 0) AS attempts FROM event e LEFT JOIN unit u ON u.id = e.unit_id "
      "LEFT JOIN webhook_delivery d ON d.event_id = e.id WHERE e.id >= ?1 AND d.delivered_at IS NULL "
      "AND coalesce(d.attempts, 0) < ?2 AND (d.attempts IS NULL OR "
      "strftime('%s','now') - strftime('%s', d.last_try) >= d.attempts * d.attempts) "
      "ORDER BY e.id LIMIT 50", "ii", w->first_event, (long long)MAX_ATTEMPTS);
  size_t i;
  json_t *ev;
  json_array_foreach(due, i, ev) {
    long long id = json_integer_value(json_object_get(ev, "id"));
    json_object_del(ev, "attempts");
    char *body = json_dumps(ev, JSON_COMPACT);
    char err[256] = "";
    int ok = post(w->url, body, err, sizeof err) == 0;
    free(body);
    db_exec_bind(w->db, err, sizeof err,
        "INSERT INTO webhook_delivery(event_id, attempts, delivered_at, last_error, last_try) "
        "VALUES(?1, 1, CASE WHEN ?2 THEN strftime('%Y-%m-%dT%H:%M:%SZ','now') END, ?3, "
        "strftime('%Y-%m-%dT%H:%M:%SZ','now')) ON CONFLICT(event_id) DO UPDATE SET "
        "attempts = attempts + 1, delivered_at = excluded.delivered_at, "
        "last_error = excluded.last_error, last_try = excluded.last_try",
        "iis", id, (long long)ok, ok ? NULL : err);
    if (!ok) fprintf(stderr, "qingshui: webhook: event %lld: %s\n", id, err);
  }
  int n = (int)json_array_size(due);
  json_decref(due);
  return n;
}

static void *run(void *arg) {
  struct webhook *w = arg;
  pthread_mutex_lock(&w->lock);
  while (!w->stopping) {
    pthread_mutex_unlock(&w->lock);
    int tried = deliver_due(w);
    pthread_mutex_lock(&w->lock);
    if (tried || w->stopping) continue;
    struct timespec until = deadline_in(POLL_MILLISECONDS);
    pthread_cond_timedwait(&w->wake, &w->lock, &until);
  }
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

struct webhook *webhook_start(const char *url, const char *db_path, char *err, unsigned long errlen) {
  if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) {
    snprintf(err, errlen, "--webhook '%s' must be an http:// or https:// URL", url);
    return NULL;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  struct webhook *w = xcalloc(1, sizeof *w);
  w->url = xstrdup(url);
  w->db = db_open(db_path, DB_EXISTING, err, errlen);
  if (!w->db) { free(w->url); free(w); return NULL; }
  json_t *row = db_query_row(w->db, "SELECT coalesce(max(id), 0) + 1 AS next FROM event", "");
  w->first_event = json_integer_value(json_object_get(row, "next"));
  json_decref(row);
  pthread_mutex_init(&w->lock, NULL);
  pthread_cond_init(&w->wake, NULL);
  if (pthread_create(&w->thread, NULL, run, w)) {
    snprintf(err, errlen, "cannot start the webhook thread");
    sqlite3_close_v2(w->db);
    free(w->url);
    free(w);
    return NULL;
  }
  return w;
}

void webhook_stop(struct webhook *w) {
  if (!w) return;
  pthread_mutex_lock(&w->lock);
  w->stopping = 1;
  pthread_cond_signal(&w->wake);
  pthread_mutex_unlock(&w->lock);
  pthread_join(w->thread, NULL);
  sqlite3_close_v2(w->db);
  free(w->url);
  free(w);
  curl_global_cleanup();
}
