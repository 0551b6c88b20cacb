/*
** Coverage of an assessment period: how much of it has data against what
** it should have, the minimum the rule sets (data/water/rules/ID.json,
** "coverage"), and whether the period has ended. A period under its
** minimum is 数据不足: it gets no class, no grade, no money and no 限批; a
** period that has not ended on TODAY is 进行中: its verdict is provisional
** and no money follows from it. Pure: today is passed in.
*/
#ifndef QS_WATER_COVERAGE_H
#define QS_WATER_COVERAGE_H
#include "util/buf.h"
#include <jansson.h>

/* The minimum data a rule asks of a period. */
struct water_minimum {
  int month_days;              /* days with readings for a month to be judged */
  int quarter_days;            /* days with readings for a quarter */
  int year_months;             /* judged months per section for a year */
};

struct water_coverage {
  int have;                    /* days (month, quarter) or section-months (year) with data */
  int expected;                /* days in the period, or 12 × sections */
  int min;                     /* the minimum of HAVE for a verdict */
  int in_progress;             /* the period ends after today */
  const char *unit;            /* "天" or "个月" */
};

enum water_verdict {
  WATER_VERDICT_FINAL,         /* enough data, the period is over */
  WATER_VERDICT_PROVISIONAL,   /* enough data so far, the period goes on */
  WATER_VERDICT_INSUFFICIENT,  /* under the minimum: not judged */
};

/* The coverage of KEY, 'YYYY-MM' (a month) or 'YYYY-Qn' (a quarter), with
** DAYS days of data, on TODAY ('YYYY-MM-DD'). -1 if KEY or TODAY is not one. */
int water_days_coverage(const char *key, int days, const struct water_minimum *m,
                        const char *today, struct water_coverage *out);

/* The coverage of YEAR for SECTIONS sections with MONTHS judged
** section-months between them, on TODAY. -1 if TODAY is not a date. */
int water_year_coverage(int year, int months, int sections, const struct water_minimum *m,
                        const char *today, struct water_coverage *out);

enum water_verdict water_coverage_verdict(const struct water_coverage *c);

/* "final", "in_progress", "insufficient" (API); "", "进行中", "数据不足" or
** "数据不足（进行中）" (pages, Excel). */
const char *water_verdict_code(enum water_verdict v);
const char *water_coverage_label(const struct water_coverage *c);

/* "4 / 31 天"; "—" when nothing is expected (0 of 0). */
void water_coverage_text(const struct water_coverage *c, struct buf *out);

/* {have, expected, min, unit, in_progress, status, label, text} */
json_t *water_coverage_json(const struct water_coverage *c);

#endif
