/*
** Exceedance judgement and events (exceed.h).
*/
#include "sources/exceed.h"
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int src_parse_number(const char *text, double *out) {
  char *end;
  if (!*text || strchr(" \t\n\r\f\v+", *text) || strpbrk(text, "xXnNiI")) return -1;
  double v = strtod(text, &end);
  if (*end || !isfinite(v)) return -1;
  *out = v;
  return 0;
}

int src_limit_parse(const char *text, struct src_limit *out) {
  const char *dash = strchr(text + (*text == '-'), '-');
  char low[32];
  if (!dash) {
    double v;
    if (src_parse_number(text, &v) || v <= 0) return -1;
    *out = (struct src_limit){.kind = SRC_LIMIT_UPPER, .value = v};
    return 0;
  }
  size_t n = (size_t)(dash - text);
  if (n >= sizeof low) return -1;
  memcpy(low, text, n);
  low[n] = 0;
  double lo, hi;
  if (src_parse_number(low, &lo) || src_parse_number(dash + 1, &hi) || lo > hi) return -1;
  *out = (struct src_limit){.kind = SRC_LIMIT_RANGE, .low = lo, .high = hi, .value = NAN};
  return 0;
}

struct src_judgement src_judge(const struct src_limit *limit, int valid, double mean) {
  struct src_judgement j = {0, NAN};
  if (!valid || isnan(mean)) return j;
  if (limit->kind == SRC_LIMIT_RANGE) {
    j.exceeded = mean < limit->low || mean > limit->high;
  } else if (mean > limit->value) {
    j.exceeded = 1;
    j.multiple = (mean - limit->value) / limit->value;
  }
  return j;
}

/* How far beyond the limit MEAN lies (only compared between means of one
** limit): the value over an upper limit, the distance outside a range. */
static double beyond(const struct src_limit *limit, double mean) {
  if (limit->kind == SRC_LIMIT_UPPER) return mean - limit->value;
  return mean < limit->low ? limit->low - mean : mean - limit->high;
}

void src_tracker_init(struct src_tracker *t, int64_t max_gap) {
  *t = (struct src_tracker){.max_gap = max_gap, .fed_until = INT64_MIN};
}

static unsigned close_event(struct src_tracker *t, struct src_event *closed) {
  t->event.open = 0;
  *closed = t->event;
  t->has_event = 0;
  return SRC_EVENT_CLOSED;
}

static void open_event(struct src_tracker *t, const struct src_period *p, struct src_judgement j) {
  t->event = (struct src_event){.start = p->start, .end = p->start + p->length, .periods = 1,
                                .peak = p->mean, .peak_at = p->start,
                                .peak_multiple = j.multiple, .open = 1};
  t->has_event = 1;
}

static void extend_event(struct src_tracker *t, const struct src_limit *limit,
                         const struct src_period *p, struct src_judgement j) {
  struct src_event *e = &t->event;
  e->end = p->start + p->length;
  e->periods++;
  if (beyond(limit, p->mean) > beyond(limit, e->peak)) {
    e->peak = p->mean;
    e->peak_at = p->start;
    e->peak_multiple = j.multiple;
  }
}

unsigned src_tracker_feed(struct src_tracker *t, const struct src_limit *limit,
                          const struct src_period *p, struct src_event *closed) {
  if (p->start < t->fed_until) return SRC_EVENT_ORDER;
  t->fed_until = p->start + p->length;
  struct src_judgement j = src_judge(limit, p->valid, p->mean);
  unsigned did = 0;
  if (t->has_event && p->start - t->event.end > t->max_gap) did |= close_event(t, closed);
  if (j.exceeded) {
    if (t->has_event) {
      extend_event(t, limit, p, j);
      return did | SRC_EVENT_EXTENDED;
    }
    open_event(t, p, j);
    return did | SRC_EVENT_OPENED;
  }
  if (t->has_event && p->valid && !isnan(p->mean)) did |= close_event(t, closed);
  return did;
}

unsigned src_tracker_expire(struct src_tracker *t, int64_t now, struct src_event *closed) {
  if (t->has_event && now - t->event.end > t->max_gap) return close_event(t, closed);
  return 0;
}

/* Count event E as the *K-th, writing it if OUT has room for it. */
static void emit(struct src_event *out, int max, int *k, const struct src_event *e) {
  if (*k < max) out[*k] = *e;
  ++*k;
}

int src_events(const struct src_period *p, size_t n, const struct src_limit *limit,
               int64_t max_gap, struct src_event *out, int max) {
  struct src_tracker t;
  struct src_event closed;
  int k = 0;
  src_tracker_init(&t, max_gap);
  for (size_t i = 0; i < n; i++) {
    unsigned did = src_tracker_feed(&t, limit, &p[i], &closed);
    if (did & SRC_EVENT_ORDER) return -1;
    if (did & SRC_EVENT_CLOSED) emit(out, max, &k, &closed);
  }
  if (t.has_event) emit(out, max, &k, &t.event);
  return k;
}
