/*
** Request counters and latency histograms (metrics.h). A small fixed table:
** routes are few and known, so a linear scan under a mutex is enough.
*/
#include "http/metrics.h"
#include <pthread.h>
#include <string.h>

#define MAX_SERIES 256
#define MAX_WRITERS 8

static const double bucket_bounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NBUCKETS (sizeof bucket_bounds / sizeof bucket_bounds[0])

struct series {
  const char *route;                  /* static string: a route pattern */
  int status;
  unsigned long long count;
};

struct histogram {
  const char *route;
  unsigned long long buckets[NBUCKETS];
  unsigned long long count;
  double sum;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct series series[MAX_SERIES];
static struct histogram histograms[MAX_SERIES];
static size_t nseries, nhistograms;
static metrics_writer writers[MAX_WRITERS];
static size_t nwriters;

void metrics_observe(const char *route, int status, double seconds) {
  pthread_mutex_lock(&lock);
  size_t i;
  for (i = 0; i < nseries; i++)
    if (series[i].status == status && !strcmp(series[i].route, route)) break;
  if (i == nseries && nseries < MAX_SERIES) series[nseries++] = (struct series){route, status, 0};
  if (i < nseries) series[i].count++;
  for (i = 0; i < nhistograms; i++)
    if (!strcmp(histograms[i].route, route)) break;
  if (i == nhistograms && nhistograms < MAX_SERIES)
    histograms[nhistograms++] = (struct histogram){.route = route};
  if (i < nhistograms) {
    struct histogram *h = &histograms[i];
    for (size_t b = 0; b < NBUCKETS; b++)
      if (seconds <= bucket_bounds[b]) h->buckets[b]++;
    h->count++;
    h->sum += seconds;
  }
  pthread_mutex_unlock(&lock);
}

void metrics_register_writer(metrics_writer writer) {
  pthread_mutex_lock(&lock);
  if (nwriters < MAX_WRITERS) writers[nwriters++] = writer;
  pthread_mutex_unlock(&lock);
}

void metrics_render(struct buf *out) {
  pthread_mutex_lock(&lock);
  buf_puts(out, "# HELP qingshui_http_requests_total HTTP requests by route and status.\n"
                "# TYPE qingshui_http_requests_total counter\n");
  for (size_t i = 0; i < nseries; i++)
    buf_printf(out, "qingshui_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
               series[i].route, series[i].status, series[i].count);
  buf_puts(out, "# HELP qingshui_http_request_duration_seconds HTTP request latency.\n"
                "# TYPE qingshui_http_request_duration_seconds histogram\n");
  for (size_t i = 0; i < nhistograms; i++) {
    const struct histogram *h = &histograms[i];
    for (size_t b = 0; b < NBUCKETS; b++)
      buf_printf(out, "qingshui_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                 h->route, bucket_bounds[b], h->buckets[b]);
    buf_printf(out, "qingshui_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
               h->route, h->count);
    buf_printf(out, "qingshui_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", h->route, h->sum);
    buf_printf(out, "qingshui_http_request_duration_seconds_count{route=\"%s\"} %llu\n", h->route, h->count);
  }
  size_t n = nwriters;
  metrics_writer copy[MAX_WRITERS];
  memcpy(copy, writers, sizeof copy);
  pthread_mutex_unlock(&lock);
  for (size_t i = 0; i < n; i++) copy[i](out);
}
