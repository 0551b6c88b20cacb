/*
** A city's air-quality statistics over a month or a year (HJ 663, 城市环境
** 空气质量排名技术规定; ../shared/domain/air.md §4) from its daily values,
** and the ranking of cities by composite index. Pure.
*/
#ifndef QS_AIR_STATS_H
#define QS_AIR_STATS_H
#include "air/air.h"

/* One day of a city: its daily AQI and the means it came from (NAN where
** there is no valid value). */
struct air_day_record {
  struct air_result aqi;
  double value[AIR_NKEYS];   /* 24-hour means; AIR_O3_8H the daily maximum 8-hour */
};

struct air_stats {
  int days;                  /* days in the records */
  int rated_days;            /* days with a published daily AQI */
  int level_days[AIR_NLEVELS];
  double good_ratio;         /* 优良天数比例, percent of rated days; NAN without any */
  /* The period's statistic of each item, rounded as published (integers,
  ** CO one decimal): the mean for SO2, NO2, PM10, PM2.5, the 95th percentile
  ** of daily means for CO, the 90th percentile of daily maximum 8-hour
  ** means for O3 (AIR_O3_8H); NAN when no day has a value, and always for
  ** AIR_O3 (the daily 1-hour maximum). */
  double value[AIR_NKEYS];
  int valid_days[AIR_NKEYS]; /* days with a value of the item */
  int complete;              /* every item has at least MIN_DAYS days */
  double single_index[AIR_NKEYS]; /* Cᵢ/Sᵢ rounded to 2 decimals; NAN outside */
  double composite;          /* Σ single indices, NAN if one is missing */
  unsigned main_pollutant;   /* bit k: the largest single index (ties all) */
};

/* The P-th percentile (0..100) of the N values at V (sorted in place) by
** HJ 663: position k = 1 + (n - 1)·p/100, interpolated between neighbours. */
double air_percentile(double *v, int n, double p);

/* How many days make a valid month ("YYYY-MM") or year ("YYYY") by
** validity.csv; -1 if PERIOD is neither. */
int air_min_days(const struct air_validity *v, const char *period);

/* The statistics of the N days at DAYS; complete tells whether each item
** has MIN_DAYS valid days. */
void air_period_stats(const struct air_standard *s, const struct air_day_record *days, int n,
                      int min_days, struct air_stats *out);

/* Cᵢ/Sᵢ summed over the items of composite_index.csv, each rounded to 2
** decimals half to even, from VALUE (rounded as published first; NAN:
** missing). Sets SINGLE and MAIN; returns the index, NAN if one is missing. */
double air_composite_index(const struct air_standard *s, const double value[AIR_NKEYS],
                           double single[AIR_NKEYS], unsigned *main_pollutant);

/* Ranks of N cities by INDEX, ascending at 2 decimals; equal indices
** share a rank and the next rank skips (1, 2, 2, 4). */
void air_rank(const double *index, int n, int *rank);

#endif
