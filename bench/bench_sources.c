/*
** Benchmark of the pollution-source core (src/sources/) on one core: a
** year of hourly wastewater data (COD with its flow) for 1,000 outlets,
** made up here (a day curve, 2% of hours flagged M, 1% missing, a few
** exceeding days), through validity, the daily flow-weighted means, the
** day's quantity, and the exceedance events of a daily limit and of an
** hourly one. Prints hours/s (rows) per CPU-second of the thread, the
** wall-clock rate beside it, the counts as a check, and apart the CPU per
** value of what the receiver's hook will run (verdict + hourly events). The data are made
** outside the timed spans. Run from the source root (it reads data/sources/).
*/
#include "sources/exceed.h"
#include "sources/validity.h"
#include "util/buf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define OUTLETS 1000
#define DAYS 365
#define HOURS (DAYS * 24)

static double clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(1);
  }
  struct buf b = {0};
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
  fclose(f);
  buf_append(&b, "", 1);
  *len = b.len - 1;
  return b.data;
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;

/* A uniform number in [0, 1) (xorshift64*). */
static double uniform(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (double)((rng * 0x2545F4914F6CDD1Dull) >> 11) / 9007199254740992.0;
}

/* One outlet's year into H; returns the hours written (missing ones left out). */
static size_t make_outlet(struct src_water_hour *h, int64_t year_start) {
  size_t n = 0;
  int bad_day = (int)(uniform() * DAYS);
  for (int i = 0; i < HOURS; i++) {
    if (uniform() < 0.01) continue;
    double hour_of_day = i % 24, curve = 1 + 0.3 * sin((hour_of_day - 8) * M_PI / 12);
    double c = 30 * curve * (0.9 + 0.2 * uniform()) * (i / 24 == bad_day ? 2.2 : 1);
    double q = 200 * curve * (0.9 + 0.2 * uniform());
    char flag = uniform() < 0.02 ? 'M' : 'N';
    h[n++] = (struct src_water_hour){year_start + (int64_t)i * SRC_HOUR, c, flag, q, 'N'};
  }
  return n;
}

/* The receiver's share: per hourly value, its verdict and the hourly
** tracker, as the hook will run them on each packet. Returns events opened. */
static long receiver_path(const struct src_rules *r, const struct src_water_hour *h, size_t n) {
  static const struct src_limit hour_limit = {SRC_LIMIT_UPPER, 60, 0, 0};
  struct src_tracker t;
  struct src_event closed;
  long opened = 0;
  src_tracker_init(&t, r->event_max_gap);
  for (size_t i = 0; i < n; i++) {
    enum src_verdict v = src_value_verdict(r, h[i].c_flag, h[i].t, SRC_HOUR, NULL, 0);
    struct src_period p = {h[i].t, SRC_HOUR, v == SRC_VALID, h[i].c};
    opened += (src_tracker_feed(&t, &hour_limit, &p, &closed) & SRC_EVENT_OPENED) != 0;
  }
  return opened;
}

struct counts {
  long valid_days, day_events, hour_events;
  double kg;
};

/* The outlet's year H[0..N): days, quantities, events. */
static void evaluate(const struct src_rules *r, const struct src_water_hour *h, size_t n,
                     int64_t year_start, struct counts *c) {
  static const struct src_limit day_limit = {SRC_LIMIT_UPPER, 50, 0, 0};
  static const struct src_limit hour_limit = {SRC_LIMIT_UPPER, 60, 0, 0};
  struct src_tracker days, hours;
  struct src_event closed;
  src_tracker_init(&days, r->event_max_gap);
  src_tracker_init(&hours, r->event_max_gap);
  size_t i = 0;
  for (int d = 0; d < DAYS; d++) {
    int64_t start = year_start + (int64_t)d * SRC_DAY;
    size_t first = i;
    for (; i < n && h[i].t < start + SRC_DAY; i++) {
      enum src_verdict v = src_value_verdict(r, h[i].c_flag, h[i].t, SRC_HOUR, NULL, 0);
      struct src_period p = {h[i].t, SRC_HOUR, v == SRC_VALID, h[i].c};
      if (src_tracker_feed(&hours, &hour_limit, &p, &closed) & SRC_EVENT_OPENED) c->hour_events++;
    }
    struct src_water_day wd;
    src_water_day(r, h + first, i - first, start, NULL, 0, &wd);
    c->valid_days += wd.valid;
    c->kg += wd.load * 1e-3;
    struct src_period p = {start, SRC_DAY, wd.valid, wd.mean};
    if (src_tracker_feed(&days, &day_limit, &p, &closed) & SRC_EVENT_OPENED) c->day_events++;
  }
}

int main(void) {
  size_t flen;
  char err[200];
  char *flags = slurp("data/sources/data_flags.csv", &flen);
  char *json = slurp("data/sources/validity.json", &(size_t){0});
  struct src_rules r;
  if (src_rules_load(&r, flags, flen, json, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  free(flags);
  free(json);
  struct src_water_hour *h = malloc(sizeof *h * HOURS);
  if (!h) return 1;
  int64_t year_start = (int64_t)20454 * SRC_DAY;   /* 2026-01-01 */
  struct counts c = {0};
  double cpu = 0, wall = 0, cpu_rx = 0;
  long rows = 0, opened_rx = 0;
  for (int o = 0; o < OUTLETS; o++) {
    size_t n = make_outlet(h, year_start);
    double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID), w0 = clock_s(CLOCK_MONOTONIC);
    evaluate(&r, h, n, year_start, &c);
    cpu += clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    wall += clock_s(CLOCK_MONOTONIC) - w0;
    rows += (long)n;
    c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    opened_rx += receiver_path(&r, h, n);
    cpu_rx += clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
  }
  free(h);
  printf("sources: %d outlets x %d days hourly: %ld hours in %.3f s CPU (%.3f s wall)\n",
         OUTLETS, DAYS, rows, cpu, wall);
  printf("  %.2f M hours/s on one core (%.2f M/s wall); per hour %.0f ns\n", rows / cpu / 1e6,
         rows / wall / 1e6, cpu / rows * 1e9);
  printf("  check: %ld valid days of %d, %ld daily and %ld hourly exceedance events, %.0f t COD\n",
         c.valid_days, OUTLETS * DAYS, c.day_events, c.hour_events, c.kg / 1000);
  printf("  receiver's share (verdict + hourly events): %.1f ns per value, %ld events\n",
         cpu_rx / rows * 1e9, opened_rx);
  return 0;
}
