/*
** Calendar days and reporting periods (period.h). The conversions are the
** proleptic Gregorian "days from civil" algorithm (Howard Hinnant's), which
** needs no tables and no time zone, so the results never depend on the
** machine's clock or locale.
*/
#include "supervision/period.h"
#include <stdio.h>
#include <string.h>

#define YEAR_MIN 1
#define YEAR_MAX 9999
#define MONTHS_PER_QUARTER 3

/* Days from 1970-01-01 to Y-M-D, without validation. Years are shifted to
** start in March so that the leap day is the last day of the shifted year. */
static int civil_to_days(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;                                  /* 0..399 */
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* 0..365 */
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* 0..146096 */
  return era * 146097 + doe - 719468;
}

void day_to_ymd(int day, int *y, int *m, int *d) {
  int z = day + 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int day_from_ymd(int y, int m, int d, int *out) {
  if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
    return -1;
  *out = civil_to_days(y, m, d);
  return 0;
}

int day_valid(int day) {
  return day >= civil_to_days(YEAR_MIN, 1, 1) && day <= civil_to_days(YEAR_MAX, 12, 31);
}

/* The value of N decimal digits at S, or -1 if any is not a digit. */
static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int day_parse(const char *text, int *out) {
  if (!text || strlen(text) != DAY_TEXT_SIZE - 1 || text[4] != '-' || text[7] != '-') return -1;
  int y = digits(text, 4), m = digits(text + 5, 2), d = digits(text + 8, 2);
  if (y < 0 || m < 0 || d < 0) return -1;
  return day_from_ymd(y, m, d, out);
}

void day_format(int day, char out[DAY_TEXT_SIZE]) {
  int y, m, d;
  day_to_ymd(day, &y, &m, &d);
  snprintf(out, DAY_TEXT_SIZE, "%04d-%02d-%02d", y, m, d);
}

const char *period_kind_name(enum period_kind kind) {
  return kind == PERIOD_QUARTER ? "quarter" : "month";
}

int period_kind_parse(const char *name, enum period_kind *out) {
  if (name && !strcmp(name, "month")) *out = PERIOD_MONTH;
  else if (name && !strcmp(name, "quarter")) *out = PERIOD_QUARTER;
  else return -1;
  return 0;
}

struct period period_of_day(enum period_kind kind, int day) {
  int y, m, d;
  day_to_ymd(day, &y, &m, &d);
  int index = kind == PERIOD_QUARTER ? (m - 1) / MONTHS_PER_QUARTER + 1 : m;
  return (struct period){kind, y, index};
}

void period_key(const struct period *p, char out[PERIOD_KEY_SIZE]) {
  if (p->kind == PERIOD_QUARTER) snprintf(out, PERIOD_KEY_SIZE, "%04d-Q%d", p->year, p->index);
  else snprintf(out, PERIOD_KEY_SIZE, "%04d-%02d", p->year, p->index);
}

int period_parse(const char *key, struct period *out) {
  if (!key || strlen(key) != PERIOD_KEY_SIZE - 1 || key[4] != '-') return -1;
  int y = digits(key, 4);
  if (y < YEAR_MIN || y > YEAR_MAX) return -1;
  if (key[5] == 'Q') {
    int q = digits(key + 6, 1);
    if (q < 1 || q > 4) return -1;
    *out = (struct period){PERIOD_QUARTER, y, q};
    return 0;
  }
  int m = digits(key + 5, 2);
  if (m < 1 || m > 12) return -1;
  *out = (struct period){PERIOD_MONTH, y, m};
  return 0;
}

/* First and last calendar month of P. */
static int first_month(const struct period *p) {
  return p->kind == PERIOD_QUARTER ? (p->index - 1) * MONTHS_PER_QUARTER + 1 : p->index;
}

static int last_month(const struct period *p) {
  return p->kind == PERIOD_QUARTER ? p->index * MONTHS_PER_QUARTER : p->index;
}

int period_first_day(const struct period *p) {
  return civil_to_days(p->year, first_month(p), 1);
}

int period_last_day(const struct period *p) {
  int m = last_month(p);
  return civil_to_days(p->year, m, days_in_month(p->year, m));
}

/* Periods in a year: 12 months or 4 quarters. */
static int per_year(enum period_kind kind) {
  return kind == PERIOD_QUARTER ? 4 : 12;
}

struct period period_prev(const struct period *p) {
  if (p->index > 1) return (struct period){p->kind, p->year, p->index - 1};
  return (struct period){p->kind, p->year - 1, per_year(p->kind)};
}

struct period period_next(const struct period *p) {
  if (p->index < per_year(p->kind)) return (struct period){p->kind, p->year, p->index + 1};
  return (struct period){p->kind, p->year + 1, 1};
}

int task_default_start(int year, int today) {
  int y, m, d;
  day_to_ymd(today, &y, &m, &d);
  return y == year ? today : civil_to_days(year, 1, 1);
}

int task_default_due(int year, int start) {
  int end = civil_to_days(year, 12, 31);
  return end > start ? end : start + 1;
}
