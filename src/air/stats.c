/*
** City statistics and ranking (stats.h).
*/
#include "air/stats.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double air_percentile(double *v, int n, double p) {
  if (n <= 0) return NAN;
  qsort(v, (size_t)n, sizeof *v, compare_double);
  double k = 1 + (n - 1) * p / 100;
  int s = (int)floor(k);
  if (s >= n) return v[n - 1];
  return v[s - 1] + (v[s] - v[s - 1]) * (k - s);
}

int air_min_days(const struct air_validity *v, const char *period) {
  size_t n = strlen(period);
  for (size_t i = 0; i < n; i++)
    if (i != 4 && (period[i] < '0' || period[i] > '9')) return -1;
  if (n == 4) return v->year_min_days;
  if (n != 7 || period[4] != '-') return -1;
  int month = atoi(period + 5);
  if (month < 1 || month > 12) return -1;
  return month == 2 ? v->february_min_days : v->month_min_days;
}

double air_composite_index(const struct air_standard *s, const double value[AIR_NKEYS],
                           double single[AIR_NKEYS], unsigned *main_pollutant) {
  double sum = 0, largest = -1;
  *main_pollutant = 0;
  for (int k = 0; k < AIR_NKEYS; k++) {
    single[k] = NAN;
    if (s->index_limit[k] <= 0) continue;
    single[k] = air_round(air_round(value[k], s->decimals[k]) / s->index_limit[k], 2);
    sum += single[k];
    if (single[k] > largest + 1e-9) {
      largest = single[k];
      *main_pollutant = 1u << k;
    } else if (fabs(single[k] - largest) < 1e-9) {
      *main_pollutant |= 1u << k;
    }
  }
  if (isnan(sum)) *main_pollutant = 0;
  return isnan(sum) ? NAN : air_round(sum, 2);
}

/* The item's statistic over the days: mean, or a percentile for the items
** whose composite-index limit is one (CO 95th, O3 8-hour 90th). */
static double item_statistic(const struct air_day_record *days, int n, int k, double *scratch,
                             int *count) {
  int m = 0;
  for (int i = 0; i < n; i++)
    if (!isnan(days[i].value[k])) scratch[m++] = days[i].value[k];
  *count = m;
  if (!m) return NAN;
  if (k == AIR_CO) return air_percentile(scratch, m, 95);
  if (k == AIR_O3_8H) return air_percentile(scratch, m, 90);
  return air_mean(scratch, m, 1);
}

void air_period_stats(const struct air_standard *s, const struct air_day_record *days, int n,
                      int min_days, struct air_stats *out) {
  memset(out, 0, sizeof *out);
  out->days = n;
  for (int i = 0; i < n; i++)
    if (days[i].aqi.published) {
      out->rated_days++;
      out->level_days[days[i].aqi.level - s->level]++;
    }
  out->good_ratio = out->rated_days
      ? 100.0 * (out->level_days[0] + out->level_days[1]) / out->rated_days : NAN;
  double *scratch = malloc(sizeof *scratch * (size_t)(n ? n : 1));
  if (!scratch) abort();
  out->complete = 1;
  for (int k = 0; k < AIR_NKEYS; k++) {
    out->value[k] = NAN;
    if (k == AIR_O3) continue;   /* the daily 1-hour maximum has no period statistic */
    double x = item_statistic(days, n, k, scratch, &out->valid_days[k]);
    out->value[k] = isnan(x) ? NAN : air_round(x, s->decimals[k]);
    if (s->index_limit[k] > 0 && out->valid_days[k] < min_days) out->complete = 0;
  }
  free(scratch);
  out->composite = air_composite_index(s, out->value, out->single_index, &out->main_pollutant);
}

void air_rank(const double *index, int n, int *rank) {
  for (int i = 0; i < n; i++) {
    long mine = lround(index[i] * 100);
    int better = 0;
    for (int j = 0; j < n; j++) better += lround(index[j] * 100) < mine;
    rank[i] = better + 1;
  }
}
