/*
** Discharged quantities, pure: a day's quantity is sum(C_i x Q_i) over its
** valid hours (validity.h's load), converted to kg by the concentration's
** unit (mg/L x m3 = g; mg/m3 x m3 = mg); months and a year are sums of
** days; the year against the permitted annual quantity (t/a) warns at the
** ratios of data/sources/totals.json (80% and 100%). Invalid hours are not
** substituted (HJ 75's 修约 is not implemented), so a period with invalid
** hours has a total that is a lower bound: the totals count those days.
** Permit accounting: survey-2.md §1.2 (E = sum C_i Q_i 10^-6 t).
*/
#ifndef QS_SOURCES_QUANTITY_H
#define QS_SOURCES_QUANTITY_H
#include <stddef.h>

/* The kg that one concentration unit times one m3 makes, for the units
** of data/hj212/factor_codes.csv: 毫克/升 1e-3, 毫克/立方米 1e-6, 微克/升
** 1e-6. Returns 0, or -1 for another unit. */
int src_unit_kg_factor(const char *unit, double *factor);

/* One day's quantity. */
struct src_day_quantity {
  int day;            /* supervision/period.h day */
  int valid;          /* the day had enough valid hours */
  double kg;
};

/* A year's quantities of one pollutant. */
struct src_year_totals {
  int year;
  double month_kg[12], year_kg;
  int invalid_days[12];     /* days given as invalid (their kg still counted) */
};

/* Sum the days D[0..N) of YEAR (others ignored) into OUT. */
void src_year_totals(const struct src_day_quantity *d, size_t n, int year,
                     struct src_year_totals *out);

struct src_totals_config {
  double warn_ratio, reached_ratio;
};

/* Parse totals.json. Returns 0, or -1 with the reason in ERR. */
int src_totals_config_parse(const char *json_text, struct src_totals_config *out, char *err,
                            size_t errlen);

enum src_quota_state {
  SRC_QUOTA_NONE = 0,       /* no permitted quantity */
  SRC_QUOTA_OK,
  SRC_QUOTA_WARNING,        /* at or above warn_ratio of the permitted quantity */
  SRC_QUOTA_REACHED,        /* at or above reached_ratio */
};

struct src_quota {
  double used_t, permitted_t;
  double ratio;             /* used / permitted; NAN without a permitted quantity */
  enum src_quota_state state;
};

/* USED_KG against PERMITTED_T (tonnes a year; NAN or <= 0: none). */
void src_quota_check(const struct src_totals_config *c, double used_kg, double permitted_t,
                     struct src_quota *out);

#endif
