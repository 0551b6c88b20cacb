/*
** Tasks as the API and the pages show them: with their measure, units,
** milestones, reports, notices, extensions, completions, and the traffic
** light computed for today (never stored: it is always derived).
*/
#ifndef QS_SUPERVISION_VIEW_H
#define QS_SUPERVISION_VIEW_H
#include <jansson.h>
#include <sqlite3.h>

/* The years a task may be for. */
#define TASK_YEAR_MIN 2000
#define TASK_YEAR_MAX 2100

struct task_filter {
  int year;
  long long measure_id;
  const char *unit;           /* id or name: tasks where it is lead or support */
  const char *light;          /* green, yellow, red, done */
  long long only_unit_id;     /* restrict to this unit's tasks (unit accounts) */
};

/* One task with everything about it, or NULL. */
json_t *task_detail_json(sqlite3 *db, long long id);

/* Tasks matching F, each with its light. */
json_t *task_list_json(sqlite3 *db, const struct task_filter *f);

/* The light of the task in ROW (a task row with milestones and report
** periods attached) for TODAY, as {"color", "reasons": [...]}. */
json_t *task_light_json(sqlite3 *db, long long task_id, const char *today);

/* The period UNIT_ID should report on next for TASK_ID, as a key
** ("2026-05"): the first of the task's periods, from its start to the one
** holding TODAY (or its end, if sooner), on which the unit has no report
** that stands (submitted or accepted); the last of them if none is
** missing. What the report form offers first. */
json_t *task_report_period_json(sqlite3 *db, long long task_id, long long unit_id, const char *today);

#endif
