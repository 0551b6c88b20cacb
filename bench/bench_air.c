/*
** Air benchmark (issue 17): a year of hourly data for 2,000 stations
** (17.5 million station-hours, fixed seed) through the pure core on one
** core:
**   (a) the real-time AQI of every station-hour (air_aqi, AIR_REALTIME);
**   (b) the daily AQI of every station-day from its 24 hours (the 24-hour
**       means, the daily maximum 8-hour O3, air_aqi AIR_DAILY);
**   (c) the `air aqi` conversion (CSV text in, CSV text out) on 200,000
**       rows of the same data, to show what parsing and writing add.
** Generation is not timed: each station's year is generated, then timed.
**
** Usage: bench_air [BUILD_DIR] [--stations N] [--days D]
*/
#include "air/cmd.h"
#include "air/convert.h"
#include "util/clock.h"
#include "util/buf.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_ROWS 200000

/* xorshift64*: the same data on every run. */
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static double uniform(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

/* Plausible hourly values of station S at hour H of the year: PM higher in
** winter, O3 peaking in summer afternoons, 1 % of values missing. */
static void make_hour(int s, int h, struct air_input *in) {
  double season = cos(2 * M_PI * h / 8760.0), afternoon = sin(M_PI * ((h % 24) - 6) / 12.0);
  double level = 0.6 + (s % 10) * 0.1;
  double v[AIR_NKEYS] = {
    [AIR_PM25] = level * (45 + 30 * season) * (0.5 + uniform()),
    [AIR_O3] = (90 - 40 * season) * (1 + 0.6 * afternoon) * (0.7 + 0.6 * uniform()),
    [AIR_SO2] = 4 + 8 * uniform(), [AIR_NO2] = level * (20 + 20 * uniform()),
    [AIR_CO] = 0.4 + 0.8 * uniform(),
  };
  v[AIR_PM10] = v[AIR_PM25] * (1.3 + uniform());
  for (int k = 0; k < AIR_NKEYS; k++) {
    in->state[k] = k == AIR_O3_8H ? AIR_NOT_MEASURED : uniform() < 0.01 ? AIR_MISSING : AIR_PRESENT;
    in->value[k] = k == AIR_CO ? round(v[k] * 10) / 10 : round(v[k]);
  }
  in->so2_24h = -1;
}

struct totals { long rows, published; long long aqi_sum; double seconds; };

/* (a) and (b) over one station's year at HOURS. */
static void run_station(const struct air_standard *s, const struct air_input *hours, int ndays,
                        long first_hour, struct totals *rt, struct totals *daily) {
  struct air_result r;
  double t0 = clock_seconds();
  for (int h = 0; h < ndays * 24; h++) {
    air_aqi(s, air_edition_at(s, first_hour + h), AIR_REALTIME, &hours[h], &r);
    rt->published += r.published;
    rt->aqi_sum += r.published ? r.aqi : 0;
  }
  double t1 = clock_seconds();
  for (int d = 0; d < ndays; d++) {
    double v[AIR_NKEYS][24];
    for (int i = 0; i < 24; i++)
      for (int k = 0; k < AIR_NKEYS; k++) {
        const struct air_input *in = &hours[d * 24 + i];
        v[k][i] = in->state[k] == AIR_PRESENT ? in->value[k] : NAN;
      }
    struct air_input day;
    air_day_input(&s->validity, v, 0, &day);
    air_aqi(s, air_edition_at(s, first_hour + d * 24), AIR_DAILY, &day, &r);
    daily->published += r.published;
    daily->aqi_sum += r.published ? r.aqi : 0;
  }
  double t2 = clock_seconds();
  rt->rows += ndays * 24;
  daily->rows += ndays;
  rt->seconds += t1 - t0;
  daily->seconds += t2 - t1;
}

static void write_value(struct buf *b, const struct air_input *in, int k) {
  if (in->state[k] != AIR_PRESENT) buf_puts(b, ",NA");
  else if (k == AIR_CO) buf_printf(b, ",%.1f", in->value[k]);
  else buf_printf(b, ",%.0f", in->value[k]);
}

/* (c): CSV_ROWS rows of station 0's hours as `air aqi` input, converted. */
static int run_csv(const struct air_standard *s, const struct air_input *hours, int nhours) {
  struct buf in = {0}, out = {0};
  const int keys[] = {AIR_PM25, AIR_PM10, AIR_SO2, AIR_NO2, AIR_CO, AIR_O3};
  buf_puts(&in, "time,station_code,pm2_5,pm10,so2,no2,co,o3\n");
  for (int i = 0; i < CSV_ROWS; i++) {
    int h = i % nhours, day = 1 + (h / 24) % 28, hh = h % 24 + 1;
    buf_printf(&in, "2025-%02d-%02d %02d:00,%dA", 1 + (h / 24 / 28) % 12, day, hh, 1001 + i % 2000);
    for (int j = 0; j < 6; j++) write_value(&in, &hours[h], keys[j]);
    buf_puts(&in, "\n");
  }
  char err[256];
  double t0 = clock_seconds();
  int rc = air_aqi_csv(s, in.data, in.len, &out, err, sizeof err);
  double t1 = clock_seconds();
  if (rc) fprintf(stderr, "bench_air: %s\n", err);
  else printf("(c) air aqi CSV conversion: %d rows in %.2f s = %.0f rows/s (%.1f MB in)\n",
              CSV_ROWS, t1 - t0, CSV_ROWS / (t1 - t0), in.len / 1e6);
  buf_free(&in);
  buf_free(&out);
  return rc;
}

int main(int argc, char **argv) {
  int stations = 2000, ndays = 365;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--stations") && i + 1 < argc) stations = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--days") && i + 1 < argc) ndays = atoi(argv[++i]);
  }
  if (stations < 1 || ndays < 1) {
    fprintf(stderr, "usage: bench_air [BUILD_DIR] [--stations N] [--days D]\n");
    return 2;
  }
  char err[256];
  const struct air_standard *s = air_builtin_standard(err, sizeof err);
  long first_hour;
  if (!s || air_hour_parse("2025-09-01 01:00", &first_hour)) {
    fprintf(stderr, "bench_air: %s\n", s ? "bad start hour" : err);
    return 1;
  }
  struct air_input *hours = malloc(sizeof *hours * (size_t)ndays * 24);
  if (!hours) return 1;
  struct totals rt = {0}, daily = {0};
  for (int st = 0; st < stations; st++) {
    for (int h = 0; h < ndays * 24; h++) make_hour(st, h, &hours[h]);
    run_station(s, hours, ndays, first_hour, &rt, &daily);
  }
  printf("%d stations x %d days from 2025-09-01 (across the 2026-03-01 switch), one core\n",
         stations, ndays);
  printf("(a) real-time AQI: %ld station-hours in %.2f s = %.2f M rows/s (%ld published, "
         "checksum %lld)\n", rt.rows, rt.seconds, rt.rows / rt.seconds / 1e6, rt.published,
         rt.aqi_sum);
  printf("(b) daily AQI from 24 hours: %ld station-days in %.2f s = %.2f M days/s "
         "(%.2f M hours/s; %ld published, checksum %lld)\n", daily.rows, daily.seconds,
         daily.rows / daily.seconds / 1e6, daily.rows * 24 / daily.seconds / 1e6,
         daily.published, daily.aqi_sum);
  int rc = run_csv(s, hours, ndays * 24);
  free(hours);
  return rc ? 1 : 0;
}
