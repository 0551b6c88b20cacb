/*
** GB 18918-2002 《城镇污水处理厂污染物排放标准》 一级A for sewage plants,
** pure: the limits of data/standards/gb18918_1a.csv (daily averages,
** 日均值; a copy of shared/domain/standards/gb18918_1a.csv, sources in
** shared/domain/water.md §4.2) with the conditions and HJ 212 codes of
** data/sources/gb18918_items.csv: NH3-N's bracketed limit when the day's
** water temperature is at or below 12 ℃, TP's 1 mg/L for plants built
** before 2006-01-01. Daily compliance of each item and the monthly
** compliance rate.
**
** Without a valid water temperature the day's NH3-N is not judged, nor TP
** without a construction date: the standard makes the limit depend on
** them, and a guess could accuse a plant wrongly.
*/
#ifndef QS_SOURCES_GB18918_H
#define QS_SOURCES_GB18918_H
#include <stddef.h>
#include "sources/exceed.h"

#define GB18918_MAX_ITEMS 16

struct gb18918_item {
  char code[8];              /* the CSV's code: COD, NH3N, PH */
  char hj212[8];             /* w01018 */
  struct src_limit limit;    /* 一级A (from 2006 for TP, above 12 ℃ for NH3-N) */
  int has_cold;              /* NH3-N: another limit at or below cold_c */
  double cold_c, cold_limit;
  int built_before_day;      /* TP: DAY_NONE, or plants built before this day */
  double early_limit;        /* ... have this limit */
};

struct gb18918 {
  struct gb18918_item item[GB18918_MAX_ITEMS];
  int n;
};

/* Fill S from gb18918_1a.csv and gb18918_items.csv (texts). Returns 0, or
** -1 with the file, line and field in ERR. Every item needs a row in both. */
int gb18918_load(struct gb18918 *s, const char *table, size_t table_len, const char *items,
                 size_t items_len, char *err, size_t errlen);

/* The index of the item with HJ 212 code CODE, or -1. */
int gb18918_find(const struct gb18918 *s, const char *hj212_code);

/* One day of a plant: per item (by index) whether a daily mean is present
** and valid, and the mean; the day's water temperature (NAN if none). */
struct gb18918_day_input {
  int present[GB18918_MAX_ITEMS];
  int valid[GB18918_MAX_ITEMS];
  double mean[GB18918_MAX_ITEMS];
  double water_temp;
};

enum gb18918_verdict {
  GB18918_ABSENT = 0,        /* not monitored that day */
  GB18918_INVALID,           /* an invalid day (too few valid hours) */
  GB18918_NOT_JUDGED,        /* no temperature (NH3-N) or construction date (TP) */
  GB18918_COMPLIANT,
  GB18918_EXCEEDED,
};

struct gb18918_day {
  enum gb18918_verdict verdict[GB18918_MAX_ITEMS];
  double limit[GB18918_MAX_ITEMS];     /* the limit applied (NAN for a range or unjudged) */
  double multiple[GB18918_MAX_ITEMS];  /* NAN unless exceeded over an upper limit */
  int judged;                /* every present item judged (compliant or exceeded) */
  int compliant;             /* judged, and none exceeded */
};

/* The day's compliance of a plant built on BUILT_DAY (supervision/period.h
** day; DAY_NONE if unknown). */
void gb18918_day(const struct gb18918 *s, int built_day, const struct gb18918_day_input *in,
                 struct gb18918_day *out);

/* A month's compliance: per item the days judged and compliant, and for
** the plant the days judged on every present item, and compliant. */
struct gb18918_month {
  int judged[GB18918_MAX_ITEMS], compliant[GB18918_MAX_ITEMS];
  double rate[GB18918_MAX_ITEMS];      /* percent; NAN if no day judged */
  int days_judged, days_compliant;
  double rate_all;                     /* percent; NAN if no day judged */
};

void gb18918_month(const struct gb18918 *s, const struct gb18918_day *days, size_t n,
                   struct gb18918_month *out);

#endif
