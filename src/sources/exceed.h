/*
** Exceedances, pure (gov-sources.md §4.3, survey-2.md §1.5): a valid mean
** above its limit for the limit's period is an exceedance, multiple =
** (C - limit) / limit; a range limit (pH 6-9) is exceeded outside the
** range and has no multiple. Consecutive exceeding periods form one event
** (start, end, peak, multiple), built by an incremental tracker fed period
** by period (the receiver opens an event as data arrive) or by the batch
** function over a series.
**
** Gaps: invalid or missing periods between two exceeding ones do not close
** the event while the time from the end of its last exceeding period to
** the start of the next exceeding one is at most rules->event_max_gap
** (validity.json says why; one day by default). They are not counted as
** exceeding, and the event's end stays its last exceeding period's end. A
** valid period within the limit closes the event at once.
*/
#ifndef QS_SOURCES_EXCEED_H
#define QS_SOURCES_EXCEED_H
#include <stddef.h>
#include <stdint.h>

enum src_limit_kind { SRC_LIMIT_UPPER, SRC_LIMIT_RANGE };

struct src_limit {
  enum src_limit_kind kind;
  double value;             /* upper limit */
  double low, high;         /* range limit, inclusive */
};

/* Parse a finite decimal number, the whole of TEXT (no spaces). Returns
** 0, or -1. */
int src_parse_number(const char *text, double *out);

/* Parse a limit as the standards' tables write it: "50" (an upper limit,
** above 0) or "6-9" (a range, low <= high). Returns 0, or -1. */
int src_limit_parse(const char *text, struct src_limit *out);

/* The judgement of one period's mean. */
struct src_judgement {
  int exceeded;
  double multiple;          /* (C - limit) / limit; NAN if not exceeded or a range */
};

/* Judge a mean: an invalid period (VALID 0) or a NAN mean is never
** exceeded. */
struct src_judgement src_judge(const struct src_limit *limit, int valid, double mean);

/* One period of a series: [start, start + length) with its mean. */
struct src_period {
  int64_t start, length;
  int valid;
  double mean;
};

/* An exceedance event. */
struct src_event {
  int64_t start, end;       /* first exceeding period's start, last's end */
  int periods;              /* exceeding periods in it */
  double peak;              /* the mean farthest beyond the limit */
  int64_t peak_at;          /* the start of its period */
  double peak_multiple;     /* its multiple (NAN for a range limit) */
  int open;                 /* 1 while the series may still extend it */
};

/* The tracker's state: plain data, so the caller can keep it between
** packets. Start with src_tracker_init. */
struct src_tracker {
  int64_t max_gap;
  int64_t fed_until;        /* end of the last period fed */
  int has_event;
  struct src_event event;
};

void src_tracker_init(struct src_tracker *t, int64_t max_gap);

/* What src_tracker_feed did (bits). */
#define SRC_EVENT_OPENED 1u    /* t->event is a new event */
#define SRC_EVENT_EXTENDED 2u  /* t->event grew by this period */
#define SRC_EVENT_CLOSED 4u    /* *CLOSED holds the event that ended */
#define SRC_EVENT_ORDER (1u << 7) /* P starts before the end of the last period fed: ignored */

/* Feed the next period P of the series. A period that starts before the
** end of the last one fed is refused (SRC_EVENT_ORDER) and changes
** nothing: late data need the batch function over the series again. The
** event that a long gap or a period within the limit ends goes to CLOSED
** (open 0); a new one may open in the same call. */
unsigned src_tracker_feed(struct src_tracker *t, const struct src_limit *limit,
                          const struct src_period *p, struct src_event *closed);

/* Close the open event if the series has been silent longer than max_gap
** by NOW (the event's end + max_gap < NOW). Returns SRC_EVENT_CLOSED with
** CLOSED set, or 0. */
unsigned src_tracker_expire(struct src_tracker *t, int64_t now, struct src_event *closed);

/* The events of a series P[0..N) in time order, into OUT (room for MAX).
** The last may still be open (open 1). Returns the number of events (more
** than MAX if OUT was too small: the first MAX are written), or -1 if the
** series is out of order. */
int src_events(const struct src_period *p, size_t n, const struct src_limit *limit,
               int64_t max_gap, struct src_event *out, int max);

#endif
