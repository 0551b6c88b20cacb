/*
** A task's traffic light (红黄绿灯), computed, never typed in: the pure core.
** The caller reads the task, its milestones and the periods it was reported
** on from the database and passes today's date; nothing here reads a clock,
** a file or the database.
**
** The rules (every number comes from lights.json, see data/supervision/):
**
**   expected %  the straight-line schedule: 0 on or before the start day,
**               100 on or after the end day, else 100 × (today − start) /
**               (end − start). A task with start == end expects 0 before
**               that day and 100 from it.
**   actual %    the latest percent reported, 0 if none yet.
**   behind      actual < expected (equal is on schedule).
**
**   RED    TASK_OVERDUE        today > end (the end day itself is not late)
**          MILESTONE_OVERDUE   a milestone not done and today > its due day
**          FAR_BEHIND          expected − actual >= far_behind_points
**   YELLOW MILESTONE_DUE_SOON_BEHIND
**                              a milestone not done, 0 <= due − today <=
**                              warn_days (due today included), and behind
**          TASK_DUE_SOON_BEHIND
**                              the same for the task's own end day (its
**                              last milestone, whether listed or not)
**          REPORT_MISSING      the latest period whose report deadline has
**                              passed (see light_report_required) has no
**                              report
**   GREEN  none of the above
**   DONE   the task is completed (confirmed 办结); the only possible reason
**          is COMPLETED_LATE, for information.
**
** Every reason that holds is listed (red ones first, then yellow), so the
** page can say why; the colour is the worst of them.
*/
#ifndef QS_SUPERVISION_LIGHT_H
#define QS_SUPERVISION_LIGHT_H
#include <jansson.h>
#include <stddef.h>
#include "supervision/period.h"

struct light_config {
  int warn_days;            /* a milestone is "due soon" this many days ahead */
  int far_behind_points;    /* lag (percentage points) that is "far behind" */
  int report_grace_days;    /* days after a period's end to hand in its report */
  enum period_kind period;  /* reporting period: month or quarter */
};

/* Parse the text of lights.json into *OUT. Returns 0, or -1 with ERR (of
** ERRLEN bytes) naming the field: "lights.json: warn_days must be an
** integer 0..365". Unknown fields are refused (they are usually typos). */
int light_config_parse(const char *json_text, struct light_config *out,
                       char *err, size_t errlen);

struct light_milestone {
  int due_day;
  int done_day;             /* DAY_NONE while not done */
};

/* A task as the light needs it. Everything is borrowed from the caller. */
struct light_task {
  int start_day;
  int end_day;              /* the deadline, inclusive; >= start_day */
  int completed_day;        /* DAY_NONE unless completion was confirmed */
  double percent;           /* latest percent reported, 0..100 */
  int percent_day;          /* when it was reported; DAY_NONE if never */
  const struct light_milestone *milestones;
  size_t nmilestones;
  const char *const *reported;  /* period keys with a report (the caller */
  size_t nreported;             /* decides which states count) */
};

enum light_color { LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED, LIGHT_DONE };

enum light_code {
  LIGHT_TASK_OVERDUE,               /* days: days late */
  LIGHT_MILESTONE_OVERDUE,          /* milestone, days: days late */
  LIGHT_FAR_BEHIND,                 /* expected, actual, actual_day */
  LIGHT_MILESTONE_DUE_SOON_BEHIND,  /* milestone, days: days left, expected, actual, actual_day */
  LIGHT_TASK_DUE_SOON_BEHIND,       /* days: days left, expected, actual, actual_day */
  LIGHT_REPORT_MISSING,             /* period, days: days since its deadline */
  LIGHT_COMPLETED_LATE,             /* days: days after the end day */
};

struct light_reason {
  enum light_code code;
  int milestone;            /* index into task->milestones, or -1 */
  int days;                 /* see enum light_code; 0 when unused */
  double expected;          /* percents, when the code compares them */
  double actual;
  int actual_day;           /* day of the actual percent, or DAY_NONE */
  char period[PERIOD_KEY_SIZE];   /* REPORT_MISSING: the period; else "" */
};

struct light_result {
  enum light_color color;
  double expected;          /* today's expected % (also for GREEN) */
  struct light_reason *reasons;   /* malloc'd; free with light_result_free */
  size_t nreasons;
};

/* Compute TASK's light on TODAY under CONFIG into *OUT (which the caller
** frees with light_result_free, also after an error). Returns 0, or -1 if
** the task is invalid: end before start, percent outside 0..100, a day
** (today included) that is not a date of years 1..9999, or DAY_NONE where
** a day is required (start, end, a milestone's due day). */
int light_compute(const struct light_task *task, int today,
                  const struct light_config *config, struct light_result *out);

void light_result_free(struct light_result *r);

/* 1 if, on TODAY, a task running START..END (inclusive) owes a report for
** period P: P overlaps the task and P's deadline (its last day plus
** report_grace_days) is before TODAY. The store can use it to count the
** reports due for the annual assessment, with the same rule as the light. */
int light_report_required(int start_day, int end_day, const struct period *p,
                          int today, const struct light_config *config);

/* The last day on which P's report is on time: last day + grace days. */
int light_report_deadline(const struct period *p, const struct light_config *config);

/* Stable names for the API: "green" ... "done"; "TASK_OVERDUE" ... */
const char *light_color_name(enum light_color color);
const char *light_code_name(enum light_code code);

/* R as {"color", "expected", "reasons": [{"code", ...numbers}]}: a new
** reference owned by the caller. Fields that do not apply to a code are
** left out; days are written as "YYYY-MM-DD". */
json_t *light_result_json(const struct light_result *r);

#endif
