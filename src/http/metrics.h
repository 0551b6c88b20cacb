/*
** Request metrics in Prometheus text format: requests by route and status,
** and a latency histogram by route. Capabilities may add their own lines
** (e.g. refused HJ 212 packets) through metrics_register_writer().
*/
#ifndef QS_HTTP_METRICS_H
#define QS_HTTP_METRICS_H
#include "util/buf.h"

/* Count one request to ROUTE (a route pattern, "static" or "unmatched")
** that ended with STATUS after SECONDS. Thread-safe. */
void metrics_observe(const char *route, int status, double seconds);

/* A function that appends Prometheus text for its own metrics. */
typedef void (*metrics_writer)(struct buf *out);
void metrics_register_writer(metrics_writer writer);

/* Append every metric to OUT. */
void metrics_render(struct buf *out);

#endif
