/*
** Calendar days and reporting periods for supervision: the pure core.
**
** A day is an int counting days since 1970-01-01 (day 0), negative before,
** so that "days late" is a subtraction. DAY_NONE stands for "no such day"
** (a milestone not done, a task without a report).
**
** A reporting period is a month ("2026-11") or a quarter ("2026-Q4"); the
** key strings are the ones stored in report.period. No I/O, no clock:
** today's date is always passed in by the caller.
*/
#ifndef QS_SUPERVISION_PERIOD_H
#define QS_SUPERVISION_PERIOD_H
#include <limits.h>

#define DAY_NONE INT_MIN
/* "YYYY-MM-DD" and its NUL. */
#define DAY_TEXT_SIZE 11
/* "YYYY-MM" or "YYYY-Qn" and its NUL. */
#define PERIOD_KEY_SIZE 8

/* The day of Y-M-D in *OUT. Returns 0, or -1 if the date does not exist
** (2026-02-30) or the year is outside 1..9999. */
int day_from_ymd(int y, int m, int d, int *out);

/* 1 if DAY is a date of the years 1..9999 (DAY_NONE is not). */
int day_valid(int day);

/* The calendar date of DAY (any day made by day_from_ymd). */
void day_to_ymd(int day, int *y, int *m, int *d);

/* Parse exactly "YYYY-MM-DD" (ten characters, nothing around them) into
** *OUT. Returns 0, or -1 if malformed or the date does not exist. */
int day_parse(const char *text, int *out);

/* Write DAY as "YYYY-MM-DD" into OUT (caller's buffer). */
void day_format(int day, char out[DAY_TEXT_SIZE]);

enum period_kind { PERIOD_MONTH, PERIOD_QUARTER };

/* "month" / "quarter", the names used in lights.json. */
const char *period_kind_name(enum period_kind kind);
/* Parse a kind name; returns 0 with *OUT set, or -1 if unknown. */
int period_kind_parse(const char *name, enum period_kind *out);

struct period {
  enum period_kind kind;
  int year;
  int index;              /* month 1..12, or quarter 1..4 */
};

/* The period of KIND that contains DAY. */
struct period period_of_day(enum period_kind kind, int day);

/* The period's key ("2026-11", "2026-Q4") in OUT (caller's buffer). */
void period_key(const struct period *p, char out[PERIOD_KEY_SIZE]);

/* Parse a key written exactly as period_key writes it (month 01..12,
** quarter Q1..Q4, year 1..9999). Returns 0, or -1 if malformed. */
int period_parse(const char *key, struct period *out);

/* First and last day of the period (inclusive). */
int period_first_day(const struct period *p);
int period_last_day(const struct period *p);

/* The period just before / just after P, across year ends. */
struct period period_prev(const struct period *p);
struct period period_next(const struct period *p);

/* A new task of YEAR created on TODAY runs, unless it says otherwise, from
** TODAY (its work starts when it is given; 1 January for a task of another
** year) to 31 December of YEAR, or to the day after START if that is later
** (a task given on 31 December: due the day it starts, it would be expected
** at 100 % at once). So a new task expects 0 % on its first day, owes its
** first report for the period it starts in, after that period, and is
** never red on the day it is made. YEAR is 1..9998. */
int task_default_start(int year, int today);
int task_default_due(int year, int start);

#endif
