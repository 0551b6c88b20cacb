/*
** The monotonic clock, for durations and rate limits: it neither jumps
** with the wall clock nor goes back.
*/
#ifndef QS_UTIL_CLOCK_H
#define QS_UTIL_CLOCK_H
#include <stdint.h>

/* CLOCK_MONOTONIC in seconds. */
double clock_seconds(void);

/* CLOCK_MONOTONIC in whole milliseconds. */
uint64_t clock_ms(void);

#endif
