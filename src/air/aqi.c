/*
** The IAQI and the AQI (air.h), as the national platform publishes them
** (../shared/domain/air.md §2, reproduced on every published station-hour
** of tests/data/air/), and the means they are computed from.
*/
#include "air/air.h"
#include <math.h>

/* How far below an integer an interpolated IAQI may fall by floating-point
** error and still count as that integer (7.000000000000001 is 7). */
#define IAQI_SLACK 1e-9

const struct air_edition *air_edition_at(const struct air_standard *s, long hour) {
  const struct air_edition *e = &s->edition[0];
  for (int i = 1; i < s->nedition; i++)
    if (hour >= s->edition[i].first_hour) e = &s->edition[i];
  return e;
}

const struct air_level *air_level_of(const struct air_standard *s, int aqi) {
  for (int i = 0; i < AIR_NLEVELS; i++)
    if (s->level[i].aqi_max < 0 || aqi <= s->level[i].aqi_max) return &s->level[i];
  return &s->level[AIR_NLEVELS - 1];
}

double air_round(double x, int decimals) {
  double scale = pow(10, decimals), y = x * scale, low = floor(y), frac = y - low;
  if (fabs(frac - 0.5) < 1e-9 * (1 + fabs(y)))
    return (fmod(low, 2) == 0 ? low : low + 1) / scale;
  return round(y) / scale;
}

int air_iaqi(const struct air_table *t, double c) {
  if (c > t->conc[t->n - 1]) return t->iaqi[t->n - 1] >= 500 ? 500 : -1;
  int k = 1;
  while (c > t->conc[k]) k++;
  double x = (t->iaqi[k] - t->iaqi[k - 1]) / (t->conc[k] - t->conc[k - 1]) *
             (c - t->conc[k - 1]) + t->iaqi[k - 1];
  return (int)ceil(x - IAQI_SLACK);
}

/* The IAQI of key K, applying the edition's rules past a table's top; -1
** when the item yields none (then it counts as missing). */
static int item_iaqi(const struct air_standard *s, const struct air_edition *e,
                     enum air_mode mode, const struct air_input *in, int k) {
  const struct air_table *t = &e->table[mode][k];
  int iaqi = air_iaqi(t, air_round(in->value[k], s->decimals[k]));
  if (iaqi >= 0) return iaqi;
  if (k == AIR_SO2 && e->so2_1h_above_top >= 0) return (int)e->so2_1h_above_top;
  if (k == AIR_SO2 && in->so2_24h >= 0)
    return air_iaqi(&e->table[AIR_DAILY][AIR_SO2], air_round(in->so2_24h, s->decimals[k]));
  if (k == AIR_O3_8H && e->o3_8h_above_top >= 0) return (int)e->o3_8h_above_top;
  return -1;
}

/* 1 if key K, empty in IN, is to be ignored rather than counted missing:
** a PM10 the platform hides because it is below the PM2.5 of the hour. */
static int ignored_when_empty(const struct air_edition *e, const struct air_input *in, int k) {
  return k == AIR_PM10 && e->pm10_hidden && in->state[AIR_PM25] == AIR_PRESENT;
}

void air_aqi(const struct air_standard *s, const struct air_edition *e, enum air_mode mode,
             const struct air_input *in, struct air_result *out) {
  int missing = 0, evaluated = 0;
  out->aqi = -1;
  out->primary = 0;
  for (int k = 0; k < AIR_NKEYS; k++) {
    out->iaqi[k] = -1;
    if (!e->table[mode][k].n || in->state[k] == AIR_NOT_MEASURED) continue;
    if (in->state[k] == AIR_MISSING) {
      missing += !ignored_when_empty(e, in, k);
      continue;
    }
    out->iaqi[k] = item_iaqi(s, e, mode, in, k);
    int dropped = out->iaqi[k] < 0;
    /* O3 8-hour past 800 under 2012: the 1-hour O3 IAQI stands in */
    if (dropped && k == AIR_O3_8H && e->o3_8h_above_top < 0 && in->state[AIR_O3] == AIR_PRESENT)
      continue;
    missing += dropped;
    evaluated += !dropped;
    if (out->iaqi[k] > out->aqi) out->aqi = out->iaqi[k];
  }
  int no_pm = in->state[AIR_PM25] == AIR_MISSING && in->state[AIR_PM10] == AIR_MISSING;
  out->published = evaluated && !no_pm && (!missing || out->aqi > 100);
  out->level = out->published ? air_level_of(s, out->aqi) : NULL;
  if (!out->published || out->aqi <= 50) return;
  for (int k = 0; k < AIR_NKEYS; k++)
    if (out->iaqi[k] == out->aqi) out->primary |= 1u << k;
}

/* ---- means ------------------------------------------------------------------ */

double air_mean(const double *v, int n, int min) {
  double sum = 0;
  int count = 0;
  for (int i = 0; i < n; i++)
    if (!isnan(v[i])) {
      sum += v[i];
      count++;
    }
  return count >= min && count ? sum / count : NAN;
}

double air_o3_8h_max(const struct air_validity *v, const double hours[24]) {
  double best = NAN;
  int windows = 0;
  for (int end = 7; end < 24; end++) {
    double m = air_mean(hours + end - 7, 8, v->o3_8h_min_hours);
    if (isnan(m)) continue;
    windows++;
    if (isnan(best) || m > best) best = m;
  }
  return windows >= v->o3_8h_max_min_windows ? best : NAN;
}

/* The largest of the day's values, or NAN with fewer than MIN of them. */
static double daily_max(const double hours[24], int min) {
  double best = NAN;
  int count = 0;
  for (int i = 0; i < 24; i++)
    if (!isnan(hours[i])) {
      count++;
      if (isnan(best) || hours[i] > best) best = hours[i];
    }
  return count >= min ? best : NAN;
}

void air_day_input(const struct air_validity *v, const double hours[AIR_NKEYS][24],
                   unsigned not_measured, struct air_input *day) {
  for (int k = 0; k < AIR_NKEYS; k++) {
    double x = k == AIR_O3      ? daily_max(hours[AIR_O3], v->o3_1h_max_min_hours)
             : k == AIR_O3_8H   ? air_o3_8h_max(v, hours[AIR_O3])
             : air_mean(hours[k], 24, v->day_min_hours);
    int lacking = k == AIR_O3_8H ? (not_measured >> AIR_O3 & 1) : (not_measured >> k & 1);
    day->state[k] = lacking ? AIR_NOT_MEASURED : isnan(x) ? AIR_MISSING : AIR_PRESENT;
    day->value[k] = x;
  }
  day->so2_24h = isnan(day->value[AIR_SO2]) ? -1 : day->value[AIR_SO2];
}
