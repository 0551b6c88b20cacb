/*
** The demo's clock: SQLite's 'now' (every created_at, submitted_at and
** audit time is written with strftime(..., 'now')) read from a clock the
** demo sets, so that the actions it plays through the real handlers carry
** the past instants at which the story says they happened.
**
** demo_clock_install registers, as SQLite's default, a VFS that is the
** default one in everything but its time. Connections opened afterwards
** use it. Single-threaded: the demo only.
*/
#ifndef QS_DEMO_CLOCK_H
#define QS_DEMO_CLOCK_H
#include <stdint.h>

/* Install, the clock showing the real time. 0, or -1 if SQLite has no
** default VFS to wrap. */
int demo_clock_install(void);

/* From now on SQLite's 'now' is UNIX_SECONDS (UTC). */
void demo_clock_set(int64_t unix_seconds);

#endif
