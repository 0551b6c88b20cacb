/*
** Deadlines for condition variables (deadline.h): four waits in the
** receiver and the webhook thread computed them each by hand.
*/
#include "util/deadline.h"

struct timespec deadline_after(struct timespec from, long ms) {
  from.tv_sec += ms / 1000;
  from.tv_nsec += (ms % 1000) * 1000000L;
  from.tv_sec += from.tv_nsec / 1000000000L;
  from.tv_nsec %= 1000000000L;
  return from;
}

struct timespec deadline_in(long ms) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return deadline_after(now, ms);
}
