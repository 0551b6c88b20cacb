/*
** Valid data, derived means and rates (validity.h).
*/
#include "sources/validity.h"
#include "util/csv.h"
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAGS_NAME "data/sources/data_flags.csv"
#define VALIDITY_NAME "data/sources/validity.json"

static int errorf(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return -1;
}

/* ---- loading ---------------------------------------------------------- */

struct flag_columns { int flag, generation, valid, stopped; };

static int flag_header(struct csv_reader *c, struct flag_columns *k, char *err, size_t errlen) {
  if (csv_next(c) != 1) return errorf(err, errlen, FLAGS_NAME ": no header");
  k->flag = csv_column(c, "flag");
  k->generation = csv_column(c, "generation");
  k->valid = csv_column(c, "valid");
  k->stopped = csv_column(c, "stopped");
  if (k->flag < 0 || k->generation < 0 || k->valid < 0 || k->stopped < 0)
    return errorf(err, errlen, FLAGS_NAME ": header needs flag, generation, valid, stopped");
  return 0;
}

static int bit_field(const char *s) {
  return !strcmp(s, "1") ? 1 : !strcmp(s, "0") ? 0 : -1;
}

/* One row into R; a letter's valid and stopped must agree across rows. */
static int flag_row(struct csv_reader *c, const struct flag_columns *k, struct src_rules *r,
                    char *err, size_t errlen) {
  int last = k->flag > k->valid ? k->flag : k->valid;
  if (k->stopped > last) last = k->stopped;
  if (c->nfields <= last) return errorf(err, errlen, FLAGS_NAME ": line %d: too few fields", c->line);
  const char *f = c->fields[k->flag];
  int valid = bit_field(c->fields[k->valid]), stopped = bit_field(c->fields[k->stopped]);
  if (strlen(f) != 1 || (unsigned char)f[0] >= 128 || f[0] <= ' ')
    return errorf(err, errlen, FLAGS_NAME ": line %d: flag '%s' is not one character", c->line, f);
  if (valid < 0 || stopped < 0)
    return errorf(err, errlen, FLAGS_NAME ": line %d: valid and stopped are 0 or 1", c->line);
  unsigned i = (unsigned char)f[0];
  if (r->flag_known[i] && (r->flag_valid[i] != valid || r->flag_stopped[i] != stopped))
    return errorf(err, errlen, FLAGS_NAME ": line %d: flag %s disagrees with an earlier row",
                  c->line, f);
  r->flag_known[i] = 1;
  r->flag_valid[i] = (unsigned char)valid;
  r->flag_stopped[i] = (unsigned char)stopped;
  return 0;
}

static int load_flags(struct src_rules *r, const char *csv, size_t len, char *err, size_t errlen) {
  struct csv_reader c;
  struct flag_columns k = {-1, -1, -1, -1};
  csv_init(&c, csv, len);
  int rc = flag_header(&c, &k, err, errlen), got = 0;
  while (!rc && (got = csv_next(&c)) == 1) rc = flag_row(&c, &k, r, err, errlen);
  if (!rc && got < 0) rc = errorf(err, errlen, FLAGS_NAME ": %s", c.error);
  csv_clear(&c);
  return rc;
}

/* The integer KEY of ROOT in [LO, HI] into *OUT. */
static int json_int(json_t *root, const char *key, long long lo, long long hi, long long *out,
                    char *err, size_t errlen) {
  json_t *v = json_object_get(root, key);
  if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
    return errorf(err, errlen, VALIDITY_NAME ": %s must be an integer from %lld to %lld", key, lo, hi);
  *out = json_integer_value(v);
  return 0;
}

static int load_validity(struct src_rules *r, const char *text, char *err, size_t errlen) {
  json_error_t je;
  json_t *root = json_loads(text ? text : "", JSON_REJECT_DUPLICATES, &je);
  if (!root) return errorf(err, errlen, VALIDITY_NAME ": line %d: %s", je.line, je.text);
  long long minutes = 0, hours = 0, gap = 0;
  json_t *unflagged = json_object_get(root, "unflagged_valid");
  int rc = json_int(root, "hour_min_valid_minutes", 1, 60, &minutes, err, errlen) ||
           json_int(root, "day_min_valid_hours", 1, 24, &hours, err, errlen) ||
           json_int(root, "event_max_gap_seconds", 0, 366LL * SRC_DAY, &gap, err, errlen);
  if (!rc && !json_is_boolean(unflagged))
    rc = errorf(err, errlen, VALIDITY_NAME ": unflagged_valid must be true or false");
  if (!rc) {
    r->hour_min_valid_minutes = (int)minutes;
    r->day_min_valid_hours = (int)hours;
    r->event_max_gap = gap;
    r->unflagged_valid = json_is_true(unflagged);
  }
  json_decref(root);
  return rc ? -1 : 0;
}

int src_rules_load(struct src_rules *r, const char *flags_csv, size_t flags_len,
                   const char *validity_json, char *err, size_t errlen) {
  struct src_rules n;
  memset(&n, 0, sizeof n);
  if (load_flags(&n, flags_csv, flags_len, err, errlen) ||
      load_validity(&n, validity_json, err, errlen))
    return -1;
  *r = n;
  return 0;
}

/* ---- verdicts --------------------------------------------------------- */

static int overlaps(int64_t start, int64_t length, const struct src_window *w) {
  return start < w->end && w->start < start + length;
}

enum src_verdict src_value_verdict(const struct src_rules *r, char flag, int64_t start,
                                   int64_t length, const struct src_window *w, size_t nw) {
  unsigned i = (unsigned char)flag;
  if (!flag) {
    if (!r->unflagged_valid) return SRC_BAD_FLAG;
  } else if (i >= 128 || !r->flag_known[i]) {
    return SRC_UNKNOWN_FLAG;
  } else if (!r->flag_valid[i]) {
    return SRC_BAD_FLAG;
  }
  for (size_t k = 0; k < nw; k++)
    if (overlaps(start, length, &w[k])) return SRC_MARKED;
  return SRC_VALID;
}

int src_period_stopped(const struct src_rules *r, char flag, int64_t start, int64_t length,
                       const struct src_window *w, size_t nw) {
  unsigned i = (unsigned char)flag;
  if (flag && i < 128 && r->flag_known[i] && r->flag_stopped[i]) return 1;
  for (size_t k = 0; k < nw; k++)
    if (w[k].kind == SRC_WINDOW_STOPPED && overlaps(start, length, &w[k])) return 1;
  return 0;
}

static int counts(const struct src_rules *r, char flag, double v, int64_t start, int64_t length,
                  const struct src_window *w, size_t nw) {
  return isfinite(v) && src_value_verdict(r, flag, start, length, w, nw) == SRC_VALID;
}

/* ---- means ------------------------------------------------------------ */

void src_hour_from_minutes(const struct src_rules *r, const struct src_sample *m, size_t n,
                           int64_t hour_start, const struct src_window *w, size_t nw,
                           struct src_mean *out) {
  double sum = 0;
  int k = 0;
  for (size_t i = 0; i < n; i++) {
    if (m[i].t < hour_start || m[i].t >= hour_start + SRC_HOUR) continue;
    if (!counts(r, m[i].flag, m[i].v, m[i].t, SRC_MINUTE, w, nw)) continue;
    sum += m[i].v;
    k++;
  }
  out->n_valid = k;
  out->valid = k >= r->hour_min_valid_minutes;
  out->value = k ? sum / k : NAN;
}

void src_water_day(const struct src_rules *r, const struct src_water_hour *h, size_t n,
                   int64_t day_start, const struct src_window *w, size_t nw,
                   struct src_water_day *out) {
  double load = 0, volume = 0;
  int k = 0;
  for (size_t i = 0; i < n; i++) {
    if (h[i].t < day_start || h[i].t >= day_start + SRC_DAY) continue;
    if (!counts(r, h[i].c_flag, h[i].c, h[i].t, SRC_HOUR, w, nw) ||
        !counts(r, h[i].q_flag, h[i].q, h[i].t, SRC_HOUR, w, nw) || h[i].q < 0)
      continue;
    load += h[i].c * h[i].q;
    volume += h[i].q;
    k++;
  }
  out->valid_hours = k;
  out->valid = k >= r->day_min_valid_hours;
  out->volume = volume;
  out->load = load;
  out->mean = volume > 0 ? load / volume : NAN;
}

int src_reference_o2(double c, double o2_measured, double o2_ref, double *out) {
  if (!isfinite(c) || !(o2_measured >= 0 && o2_measured < 21) || !(o2_ref >= 0 && o2_ref < 21))
    return -1;
  *out = c * (21 - o2_ref) / (21 - o2_measured);
  return 0;
}

void src_gas_hour(const struct src_rules *r, const struct src_gas_hour *h, double o2_ref,
                  const struct src_window *w, size_t nw, struct src_mean *out) {
  double v = h->c;
  int ok = counts(r, h->c_flag, h->c, h->t, SRC_HOUR, w, nw);
  if (ok && !isnan(o2_ref))
    ok = counts(r, h->o2_flag, h->o2, h->t, SRC_HOUR, w, nw) &&
         !src_reference_o2(h->c, h->o2, o2_ref, &v);
  out->n_valid = ok;
  out->valid = ok;
  out->value = ok ? v : NAN;
}

/* ---- rates ------------------------------------------------------------ */

/* Slot states of the capture rate. */
enum { SLOT_EMPTY, SLOT_INVALID, SLOT_VALID };

int src_capture_rate(const struct src_rules *r, const struct src_sample *h, size_t n,
                     int64_t start, int64_t end, const struct src_window *w, size_t nw,
                     struct src_capture *out) {
  if (end <= start || start % SRC_HOUR || end % SRC_HOUR) return -1;
  size_t hours = (size_t)((end - start) / SRC_HOUR);
  unsigned char *state = calloc(hours, 1), *stopped = calloc(hours, 1);
  if (!state || !stopped) {
    free(state);
    free(stopped);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    if (h[i].t < start || h[i].t >= end || h[i].t % SRC_HOUR) continue;
    size_t s = (size_t)((h[i].t - start) / SRC_HOUR);
    if (src_period_stopped(r, h[i].flag, h[i].t, SRC_HOUR, NULL, 0)) stopped[s] = 1;
    if (state[s] == SLOT_EMPTY)
      state[s] = counts(r, h[i].flag, h[i].v, h[i].t, SRC_HOUR, w, nw) ? SLOT_VALID : SLOT_INVALID;
  }
  int nstop = 0, nvalid = 0;
  for (size_t s = 0; s < hours; s++) {
    int64_t t = start + (int64_t)s * SRC_HOUR;
    if (stopped[s] || src_period_stopped(r, 0, t, SRC_HOUR, w, nw)) nstop++;
    else if (state[s] == SLOT_VALID) nvalid++;
  }
  free(state);
  free(stopped);
  out->expected = (int)hours;
  out->stopped = nstop;
  out->valid = nvalid;
  out->rate = out->expected > nstop ? 100.0 * nvalid / (out->expected - nstop) : NAN;
  return 0;
}

int src_transmission_rate(const int64_t *times, size_t n, int64_t start, int64_t end,
                          int64_t interval, int *received, int *expected, double *rate) {
  if (interval <= 0 || end - start < interval) return -1;
  size_t slots = (size_t)((end - start) / interval);
  unsigned char *seen = calloc(slots, 1);
  if (!seen) return -1;
  int k = 0;
  for (size_t i = 0; i < n; i++) {
    if (times[i] < start) continue;
    size_t s = (size_t)((times[i] - start) / interval);
    if (s < slots && !seen[s]) {
      seen[s] = 1;
      k++;
    }
  }
  free(seen);
  *received = k;
  *expected = (int)slots;
  *rate = 100.0 * k / (double)slots;
  return 0;
}
