/*
** Tasks over HTTP: decomposing a measure into annual tasks, copying them to
** the next year, milestones, progress reports and their attachments.
** Routes are listed in supervision_routes (routes_api.c).
*/
#include "supervision/api.h"
#include "util/time.h"
#include "supervision/access.h"
#include "supervision/action.h"
#include "supervision/attachments.h"
#include "supervision/period.h"
#include "supervision/view.h"
#include "report/api.h"
#include "report/report.h"
#include "db/db.h"
#include "db/rows.h"
#include "plan/store.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A date field must be a real YYYY-MM-DD date. */
static int check_date(struct action *a, const char *field, const char *value) {
  int day;
  if (value && day_parse(value, &day) == 0) return 0;
  snprintf(a->err, sizeof a->err, "%s '%s' is not a date (YYYY-MM-DD)", field, value ? value : "");
  a->failed = 1;
  return -1;
}

static long long insert_id(struct action *a) {
  return a->failed ? 0 : sqlite3_last_insert_rowid(a->req->db);
}

/* Owner units of a new task: those given, else the units of today that do
** the work of the measure's own (a unit that ended passes it on; lead wins). */
static void add_task_units(struct action *a, long long task_id, long long measure_id, json_t *units) {
  if (!units) {
    action_exec(a, "INSERT INTO task_unit(task_id, unit_id, role) SELECT ?, uc.current_id, min(mu.role) "
                "FROM measure_unit mu JOIN unit_current uc ON uc.unit_id = mu.unit_id "
                "WHERE mu.measure_id = ? GROUP BY uc.current_id", "ii", task_id, measure_id);
    return;
  }
  size_t i;
  json_t *u;
  json_array_foreach(units, i, u) {
    const char *unit = NULL, *role = NULL;
    json_error_t e;
    if (json_unpack_ex(u, &e, JSON_STRICT, "{s:s,s:s}", "unit", &unit, "role", &role)) {
      snprintf(a->err, sizeof a->err, "units[%zu]: %s", i, e.text);
      a->failed = 1;
      return;
    }
    long long unit_id = plan_find_unit(a->req->db, unit);
    if (!unit_id) {
      snprintf(a->err, sizeof a->err, "units[%zu]: unit '%s' does not exist", i, unit);
      a->failed = 1;
      return;
    }
    action_exec(a, "INSERT INTO task_unit(task_id, unit_id, role) VALUES(?, ?, ?)", "iis",
                task_id, unit_id, role);
  }
}

static void add_milestones(struct action *a, long long task_id, json_t *milestones) {
  size_t i;
  json_t *m;
  json_array_foreach(milestones, i, m) {
    const char *title = NULL, *due = NULL;
    json_error_t e;
    if (json_unpack_ex(m, &e, JSON_STRICT, "{s:s,s:s}", "title", &title, "due_on", &due)) {
      snprintf(a->err, sizeof a->err, "milestones[%zu]: %s", i, e.text);
      a->failed = 1;
      return;
    }
    if (check_date(a, "milestones[].due_on", due)) return;
    action_exec(a, "INSERT INTO milestone(task_id, title, due_on) VALUES(?, ?, ?)", "iss",
                task_id, title, due);
  }
}

/* Tell every owner unit of TASK_ID about KIND. */
static void announce_to_units(struct action *a, const char *kind, long long task_id, const char *summary) {
  json_t *units = db_query_rows(a->req->db, "SELECT unit_id FROM task_unit WHERE task_id = ?", "i", task_id);
  size_t i;
  json_t *u;
  json_array_foreach(units, i, u)
    action_event(a, kind, task_id, json_integer_value(json_object_get(u, "unit_id")), task_id, summary);
  json_decref(units);
}

/* An optional number field: NULL if absent or null, else its value in *OUT;
** a field of another type fails the action. */
static const double *optional_number(struct action *a, json_t *body, const char *field, double *out) {
  json_t *v = json_object_get(body, field);
  if (!v || json_is_null(v)) return NULL;
  if (!json_is_number(v)) {
    snprintf(a->err, sizeof a->err, "%s must be a number", field);
    a->failed = 1;
    return NULL;
  }
  *out = json_number_value(v);
  return out;
}

static int has_lead(sqlite3 *db, long long task_id) {
  json_t *row = db_query_row(db, "SELECT count(*) AS n FROM task_unit WHERE task_id = ? AND role = 'lead'",
                             "i", task_id);
  int n = (int)json_integer_value(json_object_get(row, "n"));
  json_decref(row);
  return n > 0;
}

/* *START and *DUE when given, else a new task's defaults for YEAR on
** today (period.h), written into START_BUF and DUE_BUF. */
static void default_dates(int year, const char **start, const char **due,
                          char start_buf[DAY_TEXT_SIZE], char due_buf[DAY_TEXT_SIZE]) {
  char today_text[DAY_TEXT_SIZE];
  int today, start_day;
  time_today(today_text);
  if (day_parse(today_text, &today)) day_from_ymd(year, 1, 1, &today);
  if (!*start || day_parse(*start, &start_day)) start_day = task_default_start(year, today);
  day_format(start_day, start_buf);
  day_format(task_default_due(year, start_day), due_buf);
  if (!*start) *start = start_buf;
  if (!*due) *due = due_buf;
}

static void create_task(struct http_request *req, struct http_response *res) {
  json_int_t measure_id = 0, year = 0, source_target = 0;
  const char *title = NULL, *description = "", *start = NULL, *due = NULL, *indicator = NULL,
             *indicator_unit = NULL;
  json_t *units = NULL, *milestones = NULL, *ignored = NULL;
  json_t *body = http_body_unpack(req, res, "{s:I,s:I,s:s,s?s,s?s,s?s,s?o,s?o,s?s,s?s,s?o,s?o,s?I}",
        "measure_id", &measure_id, "year", &year, "title", &title, "description", &description,
        "start_on", &start, "due_on", &due, "units", &units, "milestones", &milestones,
        "indicator", &indicator, "indicator_unit", &indicator_unit, "baseline", &ignored,
        "target_value", &ignored, "source_target_id", &source_target);
  if (!body) return;
  const char *bad = NULL;
  if (year < TASK_YEAR_MIN || year > TASK_YEAR_MAX) bad = "year must be a whole number from 2000 to 2100";
  else if (units && !json_is_array(units)) bad = "units must be an array of {unit, role}";
  else if (milestones && !json_is_array(milestones)) bad = "milestones must be an array of {title, due_on}";
  else if (measure_id <= 0) bad = "measure_id must be a measure's id";
  if (bad) {
    http_reply_error(res, 400, "invalid_field", "%s", bad);
    json_decref(body);
    return;
  }
  char start_default[DAY_TEXT_SIZE], due_default[DAY_TEXT_SIZE];
  default_dates((int)year, &start, &due, start_default, due_default);
  struct action a;
  if (action_begin(&a, req, res)) { json_decref(body); return; }
  double baseline_value, target_value;
  const double *baseline = optional_number(&a, body, "baseline", &baseline_value);
  const double *target = optional_number(&a, body, "target_value", &target_value);
  long long source = source_target;
  check_date(&a, "start_on", start);
  check_date(&a, "due_on", due);
  action_exec(&a, "INSERT INTO task(measure_id, year, title, description, start_on, due_on, indicator, "
              "indicator_unit, baseline, target_value, source_target_id, created_by, created_at) "
              "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
              "iissssssDDIs", (long long)measure_id, (long long)year, title, description, start, due,
              indicator, indicator_unit, baseline, target, source ? &source : NULL, req->actor);
  long long id = insert_id(&a);
  if (id) add_task_units(&a, id, measure_id, units);
  if (id) add_milestones(&a, id, milestones);
  if (id && !a.failed && !has_lead(req->db, id)) {
    snprintf(a.err, sizeof a.err, "a task needs at least one lead unit");
    a.failed = 1;
  }
  action_audit(&a, "task.create", "task", id, NULL);
  announce_to_units(&a, "task.assigned", id, title);
  json_decref(body);
  action_commit(&a, 201, a.failed ? NULL : task_detail_json(req->db, id));
}

/* SQL for date D moved by N whole years. date(D, '+N years') would turn
** 29 February into 1 March of a common year; this keeps it in February. */
#define SHIFT_YEARS(d, n) \
  "(CASE WHEN substr(" d ", 6, 5) = '02-29' " \
  "THEN date((substr(" d ", 1, 4) + (" n ")) || '-03-01', '-1 day') " \
  "ELSE date(" d ", printf('%+d years', " n ")) END)"

/* Copy a task, its units and milestones to another year, shifting every
** date by whole years. */
static void copy_task(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  if (!id) return;
  json_int_t year = 0;
  json_t *body = http_body_unpack(req, res, "{s:I}", "year", &year);
  if (!body) return;
  json_decref(body);
  if (year < TASK_YEAR_MIN || year > TASK_YEAR_MAX) {
    http_reply_error(res, 400, "invalid_field", "year %lld must be 2000..2100", (long long)year);
    return;
  }
  struct action a;
  if (action_begin(&a, req, res)) return;
  if (action_exec(&a, "INSERT INTO task(measure_id, year, title, description, start_on, due_on, indicator, "
      "indicator_unit, baseline, target_value, source_target_id, copied_from, created_by, created_at) "
      "SELECT measure_id, ?2, title, description, " SHIFT_YEARS("start_on", "?2 - year") ", "
      "" SHIFT_YEARS("due_on", "?2 - year") ", indicator, indicator_unit, baseline, target_value, "
      "source_target_id, id, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM task WHERE id = ?1",
      "iis", id, (long long)year, req->actor) == 0) {
    http_reply_error(res, 404, "not_found", "task %lld does not exist", id);
    db_rollback(req->db);
    return;
  }
  long long copy = insert_id(&a);
  action_exec(&a, "INSERT INTO task_unit(task_id, unit_id, role) SELECT ?, unit_id, role FROM task_unit "
              "WHERE task_id = ?", "ii", copy, id);
  action_exec(&a, "INSERT INTO milestone(task_id, title, due_on) SELECT ?1, m.title, "
              "" SHIFT_YEARS("m.due_on", "t.year - o.year") " FROM milestone m, task t, task o "
              "WHERE m.task_id = ?2 AND t.id = ?1 AND o.id = ?2", "ii", copy, id);
  action_audit(&a, "task.copy", "task", copy, NULL);
  json_t *row = action_row(req->db, "task", copy);
  announce_to_units(&a, "task.assigned", copy, json_string_value(json_object_get(row, "title")));
  json_decref(row);
  action_commit(&a, 201, a.failed ? NULL : task_detail_json(req->db, copy));
}

/* The filter of GET /api/tasks from the query: 0, or -1 after a 400 reply
** naming the parameter that is not what it should be. UNIT_ID receives the
** text of the unit's id. */
static int task_filter_parse(struct http_request *req, struct http_response *res,
                             struct task_filter *f, char unit_id[24]) {
  static const char *const colors[] = {"green", "yellow", "red", "done"};
  long long year = http_query_int(req, res, "year", TASK_YEAR_MIN, TASK_YEAR_MAX, 0);
  long long measure = year < 0 ? -1 : http_query_int(req, res, "measure", 1, LLONG_MAX, 0);
  if (measure < 0) return -1;
  f->year = (int)year;
  f->measure_id = measure;
  const char *unit = http_query(req, "unit");
  if (unit) {
    long long id = plan_find_unit(req->db, unit);
    if (!id) {
      http_reply_error(res, 400, "invalid_parameter", "unit='%s' names no unit (an id or a name)", unit);
      return -1;
    }
    snprintf(unit_id, 24, "%lld", id);
    f->unit = unit_id;
  }
  f->light = http_query(req, "light");
  int light_ok = !f->light;
  for (size_t i = 0; i < sizeof colors / sizeof colors[0]; i++) light_ok |= f->light && !strcmp(f->light, colors[i]);
  if (!light_ok) {
    http_reply_error(res, 400, "invalid_parameter", "light='%s' must be green, yellow, red or done", f->light);
    return -1;
  }
  return 0;
}

static void list_tasks(struct http_request *req, struct http_response *res) {
  struct task_filter f = {0};
  char unit_id[24];
  if (task_filter_parse(req, res, &f, unit_id)) return;
  if (req->who.level == ACCESS_UNIT) f.only_unit_id = req->who.unit_id;
  json_t *tasks = http_page(req, res, task_list_json(req->db, &f));
  if (tasks) http_reply_json(res, 200, tasks);
}

/* The list as GET /api/tasks filters it, as a printable table (the year's,
** this year by default); -1 after a 400 reply. TODAY receives the date. */
static int tasks_doc(struct http_request *req, struct http_response *res, struct table_doc *d,
                     char today[11]) {
  struct task_filter f = {0};
  char unit_id[24];
  enum table_lang lang;
  if (task_filter_parse(req, res, &f, unit_id) || report_request_lang(req, res, &lang)) return -1;
  time_today(today);
  if (!f.year) f.year = atoi(today);
  if (req->who.level == ACCESS_UNIT) f.only_unit_id = req->who.unit_id;
  report_tasks_doc(req->db, &f, lang, d);
  return 0;
}

static void list_tasks_pdf(struct http_request *req, struct http_response *res) {
  struct table_doc d;
  char today[11];
  if (!tasks_doc(req, res, &d, today)) report_reply_pdf(res, &d, today);
}

static void list_tasks_xlsx(struct http_request *req, struct http_response *res) {
  struct table_doc d;
  char today[11];
  if (!tasks_doc(req, res, &d, today)) report_reply_xlsx(res, &d);
}

static void get_task(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  if (!id) return;
  json_t *task = task_detail_json(req->db, id);
  if (!task) http_reply_error(res, 404, "not_found", "task %lld does not exist", id);
  else if (!may_read_task(req->db, &req->who, id)) {
    json_decref(task);
    http_reply_error(res, 403, "forbidden", "task %lld belongs to other units", id);
  } else {
    const char *today = json_string_value(json_object_get(task, "today"));
    if (req->who.level == ACCESS_UNIT)   /* what its report form offers first */
      json_object_set_new(task, "report_period",
                          task_report_period_json(req->db, id, req->who.unit_id, today));
    http_reply_json(res, 200, task);
  }
}

/* The task of a row in TABLE, or 0 with a 404 reply. */
static long long task_of(struct http_request *req, struct http_response *res, const char *table,
                         long long id) {
  json_t *row = action_row(req->db, table, id);
  long long task = row ? json_integer_value(json_object_get(row, "task_id")) : 0;
  json_decref(row);
  if (!task) http_reply_error(res, 404, "not_found", "%s %lld does not exist", table, id);
  return task;
}

/* Is WHO a unit with at least ROLE in TASK? Admins always are. Replies 403 if not. */
static int require_role(struct http_request *req, struct http_response *res, long long task,
                        enum task_role role, const char *what) {
  if (req->who.level == ACCESS_ADMIN) return 1;
  if (req->who.level == ACCESS_UNIT && task_role_of(req->db, task, req->who.unit_id) >= role)
    return 1;
  http_reply_error(res, 403, "forbidden", "only %s of this task may %s",
                   role == TASK_ROLE_LEAD ? "the lead unit" : "its units", what);
  return 0;
}

static void milestone_done(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0), task = id ? task_of(req, res, "milestone", id) : 0;
  if (!task || !require_role(req, res, task, TASK_ROLE_LEAD, "mark a milestone done")) return;
  char today[11];
  time_today(today);
  struct action a;
  if (action_begin(&a, req, res)) return;
  json_t *before = action_row(req->db, "milestone", id);
  action_exec(&a, "UPDATE milestone SET done_on = coalesce(done_on, ?) WHERE id = ?", "si", today, id);
  action_audit(&a, "milestone.done", "milestone", id, before);
  action_commit(&a, 200, action_row(req->db, "milestone", id));
}

static void submit_report(struct http_request *req, struct http_response *res) {
  long long task = http_param_id(req, res, 0);
  if (!task) return;
  if (req->who.level != ACCESS_UNIT || task_role_of(req->db, task, req->who.unit_id) == TASK_ROLE_NONE) {
    http_reply_error(res, 403, "forbidden", "only the lead and responsible units of task %lld "
                     "report on it", task);
    return;
  }
  const char *period = NULL, *text = NULL;
  double percent = -1;
  json_t *value = NULL;
  struct period p;
  json_t *body = http_body_unpack(req, res, "{s:s,s:s,s:F,s?o}", "period", &period, "text", &text,
                                  "percent", &percent, "indicator_value", &value);
  if (!body) return;
  if (period_parse(period, &p)) {
    http_reply_error(res, 400, "invalid_field", "period '%s' must be YYYY-MM or YYYY-Qn", period);
  } else if (percent < 0 || percent > 100) {
    http_reply_error(res, 400, "invalid_field", "percent %g must be 0..100", percent);
  } else {
    struct action a;
    char today[11];
    time_today(today);
    if (!action_begin(&a, req, res)) {
      double v;
      const double *indicator = optional_number(&a, body, "indicator_value", &v);
      json_t *dup = db_query_row(req->db, "SELECT id FROM report WHERE task_id = ? AND unit_id = ? "
                                 "AND period = ? AND state != 'returned'", "iis", task, req->who.unit_id, period);
      if (dup) {
        snprintf(a.err, sizeof a.err, "your unit already reported on %s for this task (report %lld)",
                 period, (long long)json_integer_value(json_object_get(dup, "id")));
        a.code = "already_reported";
        a.failed = 1;
        json_decref(dup);
      }
      action_exec(&a, "INSERT INTO report(task_id, unit_id, period, text, percent, indicator_value, "
                  "submitted_by, submitted_on, submitted_at) VALUES(?,?,?,?,?,?,?,?,"
                  "strftime('%Y-%m-%dT%H:%M:%SZ','now'))", "iissdDss", task, req->who.unit_id, period,
                  text, percent, indicator, req->actor, today);
      long long id = insert_id(&a);
      action_audit(&a, "report.submit", "report", id, NULL);
      action_settle_rows(&a, "report.returned", db_query_rows(req->db, "SELECT id FROM report WHERE "
                         "task_id = ? AND unit_id = ? AND period = ? AND state = 'returned'", "iis",
                         task, req->who.unit_id, period));
      action_event(&a, "report.submitted", task, 0, id, period);
      action_commit(&a, 201, a.failed ? NULL : action_row(req->db, "report", id));
    }
  }
  json_decref(body);
}

static void review_report(struct http_request *req, struct http_response *res, int accept) {
  long long id = http_param_id(req, res, 0), task = id ? task_of(req, res, "report", id) : 0;
  if (!task) return;
  const char *comment = NULL;
  /* Returning a report for correction needs a comment; accepting may have one. */
  json_t *body = http_body_unpack(req, res, accept ? "{s?s}" : "{s:s}", "comment", &comment);
  if (!body) return;
  struct action a;
  if (!action_begin(&a, req, res)) {
    json_t *before = action_row(req->db, "report", id);
    long long unit = json_integer_value(json_object_get(before, "unit_id"));
    if (strcmp(json_string_value(json_object_get(before, "state")), "submitted")) {
      snprintf(a.err, sizeof a.err, "report %lld is %s, not waiting for review", id,
               json_string_value(json_object_get(before, "state")));
      a.failed = 1;
    }
    action_exec(&a, "UPDATE report SET state = ?, comment = ?, reviewed_by = ?, "
                "reviewed_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?", "sssi",
                accept ? "accepted" : "returned", comment, req->actor, id);
    action_audit(&a, accept ? "report.accept" : "report.return", "report", id, before);
    action_settle(&a, "report.submitted", id);
    action_event(&a, accept ? "report.accepted" : "report.returned", task, unit, id, comment ? comment : "");
    action_commit(&a, 200, action_row(req->db, "report", id));
  }
  json_decref(body);
}

static void accept_report(struct http_request *req, struct http_response *res) { review_report(req, res, 1); }
static void return_report(struct http_request *req, struct http_response *res) { review_report(req, res, 0); }

/* Attach the request body to a report (its unit) or a completion (the lead unit). */
static void attach(struct http_request *req, struct http_response *res, const char *table) {
  long long id = http_param_id(req, res, 0), task = id ? task_of(req, res, table, id) : 0;
  if (!task) return;
  json_t *row = action_row(req->db, table, id);
  long long owner = json_integer_value(json_object_get(row, "unit_id"));
  json_decref(row);
  if (req->who.level != ACCESS_UNIT || req->who.unit_id != owner) {
    http_reply_error(res, 403, "forbidden", "only the unit that wrote %s %lld may attach files to it",
                     table, id);
    return;
  }
  struct attachment_meta meta;
  char err[256];
  if (attachment_check(req, &meta, err, sizeof err)) {
    http_reply_error(res, meta.too_large ? 413 : 415, "invalid_attachment", "%s", err);
    return;
  }
  if (attachment_store(req->db, req->body, req->body_len, meta.sha256, err, sizeof err)) {
    http_reply_error(res, 500, "storage_error", "%s", err);
    return;
  }
  struct action a;
  if (action_begin(&a, req, res)) return;
  action_exec(&a, !strcmp(table, "report")
      ? "INSERT INTO attachment(report_id, sha256, name, mime, size, uploaded_by, uploaded_at) "
        "VALUES(?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
      : "INSERT INTO attachment(completion_id, sha256, name, mime, size, uploaded_by, uploaded_at) "
        "VALUES(?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
      "isssis", id, meta.sha256, meta.name, meta.mime, (long long)req->body_len, req->actor);
  long long aid = insert_id(&a);
  action_audit(&a, "attachment.add", "attachment", aid, NULL);
  action_commit(&a, 201, action_row(req->db, "attachment", aid));
}

static void attach_to_report(struct http_request *req, struct http_response *res) { attach(req, res, "report"); }
static void attach_to_completion(struct http_request *req, struct http_response *res) { attach(req, res, "completion"); }

static void get_attachment(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  if (!id) return;
  json_t *row = db_query_row(req->db, "SELECT a.*, coalesce(r.task_id, c.task_id) AS task_id "
      "FROM attachment a LEFT JOIN report r ON r.id = a.report_id "
      "LEFT JOIN completion c ON c.id = a.completion_id WHERE a.id = ?", "i", id);
  if (!row) {
    http_reply_error(res, 404, "not_found", "attachment %lld does not exist", id);
  } else if (!may_read_task(req->db, &req->who, json_integer_value(json_object_get(row, "task_id")))) {
    http_reply_error(res, 403, "forbidden", "attachment %lld belongs to a task of other units", id);
  } else {
    attachment_serve(req, res, json_string_value(json_object_get(row, "sha256")),
                     json_string_value(json_object_get(row, "mime")),
                     json_string_value(json_object_get(row, "name")));
  }
  json_decref(row);
}

const struct http_route supervision_task_routes[] = {
  {"POST", "/api/tasks", create_task, ROUTE_ADMIN},
  {"GET", "/api/tasks", list_tasks, ROUTE_UNIT},
  {"GET", "/api/tasks.pdf", list_tasks_pdf, ROUTE_UNIT},
  {"GET", "/api/tasks.xlsx", list_tasks_xlsx, ROUTE_UNIT},
  {"GET", "/api/tasks/{id}", get_task, ROUTE_UNIT},
  {"POST", "/api/tasks/{id}/copy", copy_task, ROUTE_ADMIN},
  {"POST", "/api/milestones/{id}/done", milestone_done, ROUTE_UNIT},
  {"POST", "/api/tasks/{id}/reports", submit_report, ROUTE_UNIT},
  {"POST", "/api/reports/{id}/accept", accept_report, ROUTE_ADMIN},
  {"POST", "/api/reports/{id}/return", return_report, ROUTE_ADMIN},
  {"POST", "/api/reports/{id}/attachments", attach_to_report, ROUTE_UNIT},
  {"POST", "/api/completions/{id}/attachments", attach_to_completion, ROUTE_UNIT},
  {"GET", "/api/attachments/{id}", get_attachment, ROUTE_UNIT},
  {NULL, NULL, NULL, 0},
};
