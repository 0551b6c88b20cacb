/*
** What leaders look at: the dashboard (lights by chapter and by lead unit,
** overdue tasks, reports missing this period, open notices) and the annual
** assessment of every unit, as JSON and as an Excel workbook formatted for
** printing.
*/
#include "supervision/api.h"
#include "supervision/action.h"
#include "supervision/assessment.h"
#include "supervision/view.h"
#include "report/api.h"
#include "db/rows.h"
#include "util/time.h"
#include <stdlib.h>
#include <string.h>

/* Add one to OBJ[KEY][COLOR], creating the inner object if needed. */
static void count(json_t *obj, const char *key, const char *color) {
  json_t *inner = json_object_get(obj, key);
  if (!inner) { inner = json_object(); json_object_set_new(obj, key, inner); }
  json_object_set_new(inner, color, json_integer(json_integer_value(json_object_get(inner, color)) + 1));
}

static int has_reason(json_t *task, const char *code) {
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(json_object_get(task, "light"), "reasons"), i, r)
    if (!strcmp(json_string_value(json_object_get(r, "code")), code)) return 1;
  return 0;
}

/* {"chapter": 3, "red": 1, ...} rows from an object keyed by chapter. */
static json_t *rows_of(json_t *by, const char *key_name, int numeric_key) {
  json_t *rows = json_array();
  const char *key;
  json_t *v;
  json_object_foreach(by, key, v) {
    json_t *row = json_deep_copy(v);
    json_object_set_new(row, key_name, numeric_key ? json_integer(atoll(key)) : json_string(key));
    json_array_append_new(rows, row);
  }
  return rows;
}

static void dashboard(struct http_request *req, struct http_response *res) {
  long long year = http_query_int(req, res, "year", TASK_YEAR_MIN, TASK_YEAR_MAX, 0);
  if (year < 0) return;
  struct task_filter f = {.year = (int)year};
  json_t *tasks = task_list_json(req->db, &f);
  json_t *totals = json_object(), *by_chapter = json_object(), *by_unit = json_object();
  json_t *overdue = json_array(), *missing = json_array();
  size_t i, j;
  json_t *t, *u;
  json_array_foreach(tasks, i, t) {
    const char *color = json_string_value(json_object_get(json_object_get(t, "light"), "color"));
    char chapter[16];
    snprintf(chapter, sizeof chapter, "%lld", (long long)json_integer_value(json_object_get(t, "chapter")));
    json_object_set_new(totals, color, json_integer(json_integer_value(json_object_get(totals, color)) + 1));
    count(by_chapter, chapter, color);
    json_array_foreach(json_object_get(t, "units"), j, u)
      if (!strcmp(json_string_value(json_object_get(u, "role")), "lead"))
        count(by_unit, json_string_value(json_object_get(u, "name")), color);
    if (has_reason(t, "TASK_OVERDUE") || has_reason(t, "MILESTONE_OVERDUE")) json_array_append(overdue, t);
    if (has_reason(t, "REPORT_MISSING")) json_array_append(missing, t);
  }
  json_t *notices = db_query_row(req->db, "SELECT count(*) AS n FROM notice "
                                 "WHERE state IN ('open', 'replied')", "");
  json_t *reply = json_pack("{s:o,s:o,s:o,s:o,s:o,s:O}", "totals", totals,
      "by_chapter", rows_of(by_chapter, "chapter", 1), "by_unit", rows_of(by_unit, "unit", 0),
      "overdue", overdue, "missing_reports", missing, "open_notices", json_object_get(notices, "n"));
  json_decref(notices);
  json_decref(by_chapter);
  json_decref(by_unit);
  json_decref(tasks);
  http_reply_json(res, 200, reply);
}

/* The required year of an assessment; 0 after a 400 reply. */
static int year_param(struct http_request *req, struct http_response *res) {
  if (!http_query(req, "year")) {
    http_reply_error(res, 400, "invalid_parameter", "year is required (2000..2100)");
    return 0;
  }
  long long y = http_query_int(req, res, "year", TASK_YEAR_MIN, TASK_YEAR_MAX, 0);
  return y < 0 ? 0 : (int)y;
}

static void assessment(struct http_request *req, struct http_response *res) {
  int year = year_param(req, res);
  if (!year) return;
  char err[256];
  json_t *result = assessment_json(req->db, year, err, sizeof err);
  if (!result) http_reply_error(res, 500, "assessment_failed", "%s", err);
  else http_reply_json(res, 200, result);
}

static void assessment_excel(struct http_request *req, struct http_response *res) {
  int year = year_param(req, res);
  enum table_lang lang;
  if (!year || report_request_lang(req, res, &lang)) return;
  char err[256], name[TABLE_FILE_NAME_SIZE];
  size_t len = 0;
  char *book = assessment_xlsx(req->db, year, lang, &len, name, err, sizeof err);
  if (!book) {
    http_reply_error(res, 500, "export_failed", "%s", err);
    return;
  }
  http_reply_download(res, book, len, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
}

static void assessment_pdf(struct http_request *req, struct http_response *res) {
  int year = year_param(req, res);
  enum table_lang lang;
  if (!year || report_request_lang(req, res, &lang)) return;
  char err[256], today[11];
  struct table_doc d;
  if (assessment_doc(req->db, year, lang, &d, err, sizeof err)) {
    http_reply_error(res, 500, "export_failed", "%s", err);
    return;
  }
  time_today(today);
  report_reply_pdf(res, &d, today);
}

const struct http_route supervision_overview_routes[] = {
  {"GET", "/api/dashboard", dashboard, ROUTE_LEADER},
  {"GET", "/api/assessment", assessment, ROUTE_LEADER},
  {"GET", "/api/assessment.xlsx", assessment_excel, ROUTE_LEADER},
  {"GET", "/api/assessment.pdf", assessment_pdf, ROUTE_LEADER},
  {NULL, NULL, NULL, 0},
};
