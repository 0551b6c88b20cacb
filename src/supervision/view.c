/*
** Task views (view.h). Everything is read in a few queries per task; the
** light is computed by the pure core (light.c) from the task's dates,
** milestones and reports.
*/
#include "supervision/view.h"
#include "util/time.h"
#include "supervision/action.h"
#include "supervision/light.h"
#include "supervision/period.h"
#include "supervision/config.h"
#include "db/rows.h"
#include <stdlib.h>
#include <string.h>

#define TASK_COLUMNS \
  "t.*, m.ordinal AS measure_ordinal, m.title AS measure_title, c.ordinal AS chapter, " \
  "(SELECT json_group_array(json_object('id', u.id, 'name', u.name, 'role', tu.role)) " \
  " FROM task_unit tu JOIN unit u ON u.id = tu.unit_id WHERE tu.task_id = t.id) AS units_json, " \
  "CASE WHEN t.state = 'done' THEN 100 ELSE " \
  " (SELECT percent FROM report WHERE task_id = t.id AND state != 'returned' " \
  "  ORDER BY period DESC, id DESC LIMIT 1) END AS percent " \
  "FROM task t JOIN measure m ON m.id = t.measure_id JOIN chapter c ON c.id = m.chapter_id"

static int day_or_none(json_t *row, const char *field) {
  int day;
  const char *text = json_string_value(json_object_get(row, field));
  return text && day_parse(text, &day) == 0 ? day : DAY_NONE;
}

/* The light of task T (a task row) from its MILESTONES and REPORTS rows,
** through the pure core; milestone reasons get the milestone's title. */
static json_t *light_of_task(json_t *t, json_t *milestones, json_t *reports, const char *today,
                             const struct supervision_config *cfg) {
  size_t nm = json_array_size(milestones), nr = json_array_size(reports);
  struct light_milestone *ms = calloc(nm + 1, sizeof *ms);
  const char **periods = calloc(nr + 1, sizeof *periods);
  struct light_task task = {
    .start_day = day_or_none(t, "start_on"), .end_day = day_or_none(t, "due_on"),
    .completed_day = strcmp(json_string_value(json_object_get(t, "state")), "done")
                         ? DAY_NONE : day_or_none(t, "completed_on"),
    .percent_day = DAY_NONE, .milestones = ms, .nmilestones = nm,
    .reported = periods, .nreported = nr,
  };
  for (size_t i = 0; i < nm; i++) {
    ms[i].due_day = day_or_none(json_array_get(milestones, i), "due_on");
    ms[i].done_day = day_or_none(json_array_get(milestones, i), "done_on");
  }
  for (size_t i = 0; i < nr; i++) {
    json_t *r = json_array_get(reports, i);
    periods[i] = json_string_value(json_object_get(r, "period"));
    task.percent = json_number_value(json_object_get(r, "percent"));   /* ordered by period */
    task.percent_day = day_or_none(r, "submitted_on");
  }
  int today_day = 0;
  day_parse(today, &today_day);
  struct light_result result = {0};
  json_t *light = light_compute(&task, today_day, &cfg->light, &result) == 0
                      ? light_result_json(&result) : NULL;
  light_result_free(&result);
  free(ms);
  free(periods);
  size_t i;
  json_t *reason;
  json_array_foreach(json_object_get(light, "reasons"), i, reason) {
    json_t *index = json_object_get(reason, "milestone");
    if (index) json_object_set(reason, "title", json_object_get(
        json_array_get(milestones, (size_t)json_integer_value(index)), "title"));
  }
  return light;
}

json_t *task_light_json(sqlite3 *db, long long task_id, const char *today) {
  json_t *t = db_query_row(db, "SELECT * FROM task WHERE id = ?", "i", task_id);
  if (!t) return NULL;
  json_t *milestones = db_query_rows(db, "SELECT title, due_on, done_on FROM milestone WHERE task_id = ? "
                                     "ORDER BY due_on, id", "i", task_id);
  json_t *reports = db_query_rows(db, "SELECT period, percent, submitted_on FROM report "
                                  "WHERE task_id = ? AND state != 'returned' ORDER BY period, id",
                                  "i", task_id);
  json_t *light = light_of_task(t, milestones, reports, today, supervision_config());
  json_decref(t);
  json_decref(milestones);
  json_decref(reports);
  return light;
}

json_t *task_detail_json(sqlite3 *db, long long id) {
  json_t *task = db_query_row(db, "SELECT " TASK_COLUMNS " WHERE t.id = ?", "i", id);
  if (!task) return NULL;
  char today[11];
  time_today(today);
  json_object_set_new(task, "milestones", db_query_rows(db,
      "SELECT * FROM milestone WHERE task_id = ? ORDER BY due_on, id", "i", id));
  json_object_set_new(task, "reports", db_query_rows(db,
      "SELECT r.*, u.name AS unit_name, (SELECT json_group_array(json_object('id', a.id, 'name', a.name, "
      "'mime', a.mime, 'size', a.size)) FROM attachment a WHERE a.report_id = r.id) AS attachments_json "
      "FROM report r JOIN unit u ON u.id = r.unit_id WHERE r.task_id = ? ORDER BY r.id", "i", id));
  json_object_set_new(task, "notices", db_query_rows(db,
      "SELECT n.*, u.name AS unit_name FROM notice n JOIN unit u ON u.id = n.unit_id "
      "WHERE n.task_id = ? ORDER BY n.id", "i", id));
  json_object_set_new(task, "extensions", db_query_rows(db,
      "SELECT e.*, u.name AS unit_name FROM extension e JOIN unit u ON u.id = e.unit_id "
      "WHERE e.task_id = ? ORDER BY e.id", "i", id));
  json_object_set_new(task, "completions", db_query_rows(db,
      "SELECT c.*, u.name AS unit_name, (SELECT json_group_array(json_object('id', a.id, 'name', a.name, "
      "'mime', a.mime, 'size', a.size)) FROM attachment a WHERE a.completion_id = c.id) AS attachments_json "
      "FROM completion c JOIN unit u ON u.id = c.unit_id WHERE c.task_id = ? ORDER BY c.id", "i", id));
  json_object_set_new(task, "light", task_light_json(db, id, today));
  json_object_set_new(task, "today", json_string(today));
  return task;
}

json_t *task_list_json(sqlite3 *db, const struct task_filter *f) {
  json_t *rows = db_query_rows(db, "SELECT " TASK_COLUMNS " WHERE (?1 = 0 OR t.year = ?1) "
      "AND (?2 = 0 OR t.measure_id = ?2) "
      "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM task_unit tu JOIN unit u ON u.id = tu.unit_id "
      "     WHERE tu.task_id = t.id AND (u.id = ?3 OR u.name = ?3))) "
      "AND (?4 = 0 OR EXISTS (SELECT 1 FROM task_unit WHERE task_id = t.id AND unit_id = ?4)) "
      "ORDER BY m.ordinal, t.year, t.id", "iisi", (long long)f->year, f->measure_id, f->unit,
      f->only_unit_id);
  char today[11];
  time_today(today);
  json_t *out = json_array();
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    json_t *light = task_light_json(db, json_integer_value(json_object_get(row, "id")), today);
    const char *color = json_string_value(json_object_get(light, "color"));
    json_object_set_new(row, "light", light);
    if (!f->light || (color && !strcmp(color, f->light))) json_array_append(out, row);
  }
  json_decref(rows);
  return out;
}

json_t *task_report_period_json(sqlite3 *db, long long task_id, long long unit_id, const char *today) {
  json_t *t = db_query_row(db, "SELECT start_on, due_on FROM task WHERE id = ?", "i", task_id);
  int start = day_or_none(t, "start_on"), end = day_or_none(t, "due_on"), now = DAY_NONE;
  json_decref(t);
  if (start == DAY_NONE || end == DAY_NONE || day_parse(today, &now)) return json_null();
  json_t *reported = db_query_rows(db, "SELECT DISTINCT period FROM report WHERE task_id = ? "
                                   "AND unit_id = ? AND state != 'returned'", "ii", task_id, unit_id);
  enum period_kind kind = supervision_config()->light.period;
  int last = now < end ? now : end;
  struct period p = period_of_day(kind, start), until = period_of_day(kind, last < start ? start : last);
  char key[PERIOD_KEY_SIZE];
  for (;; p = period_next(&p)) {
    period_key(&p, key);
    int found = 0;
    size_t i;
    json_t *r;
    json_array_foreach(reported, i, r)
      found |= !strcmp(json_string_value(json_object_get(r, "period")), key);
    if (!found || period_first_day(&p) >= period_first_day(&until)) break;
  }
  json_decref(reported);
  return json_string(key);
}
