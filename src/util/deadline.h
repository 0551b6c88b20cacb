/*
** Deadlines for pthread_cond_timedwait: a time MS milliseconds after
** another, on CLOCK_REALTIME (the clock of a default condition variable).
*/
#ifndef QS_UTIL_DEADLINE_H
#define QS_UTIL_DEADLINE_H
#include <time.h>

/* FROM plus MS milliseconds, normalised. */
struct timespec deadline_after(struct timespec from, long ms);

/* Now (CLOCK_REALTIME) plus MS milliseconds. */
struct timespec deadline_in(long ms);

#endif
