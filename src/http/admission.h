/*
** What the server lets in at once, so that no client can exhaust it:
** a budget for the request bodies held in memory (past it: 503), and for
** anonymous callers of ROUTE_HEAVY routes a share of the worker threads
** (all but one, so cheap requests always find a thread) and a rate per
** address. Thread-safe.
*/
#ifndef QS_HTTP_ADMISSION_H
#define QS_HTTP_ADMISSION_H
#include <stddef.h>

struct admission;

struct admission *admission_new(size_t body_budget, unsigned heavy_slots,
                                unsigned heavy_per_minute);
void admission_free(struct admission *a);

/* Grow *HELD, one request's share of the body budget, to TOTAL bytes.
** 0, or -1 (and *HELD unchanged) if the budget would be exceeded. */
int admission_hold(struct admission *a, size_t *held, size_t total);
/* Give back *HELD (and set it to 0). */
void admission_release(struct admission *a, size_t *held);

/* Let a heavy anonymous request from PEER in: 0, or the status to answer:
** 429 when PEER used its rate, 503 when every heavy slot is busy. */
int admission_heavy_enter(struct admission *a, const char *peer, double now);
void admission_heavy_leave(struct admission *a);

#endif
