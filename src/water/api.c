/*
** JSON API of the water capability: sections, readings import, overview,
** trends, the monthly and annual assessments, alarms, classify, and the
** Excel exports. Handlers only parse parameters and pick the query; the
** work is in store/query/assess.
*/
#include "water/api.h"
#include "report/api.h"
#include "water/assess.h"
#include "water/classify.h"
#include "water/cmd.h"
#include "water/export.h"
#include "supervision/action.h"
#include "util/time.h"
#include "util/buf.h"
#include "util/encoding.h"
#include <stdlib.h>
#include <string.h>

#define DEFAULT_RULE "shiyan-2016"

/* The standard, or a 500 reply and NULL. */
static const struct water_standard *standard(struct http_response *res) {
  char err[200];
  const struct water_standard *s = water_builtin_standard(err, sizeof err);
  if (!s) http_reply_error(res, 500, "standard_unavailable", "%s", err);
  return s;
}

static void reply_or_db_error(struct http_request *req, struct http_response *res, json_t *j) {
  if (j) http_reply_json(res, 200, j);
  else http_reply_error(res, 500, "database_error", "%s", sqlite3_errmsg(req->db));
}

/* A query parameter that must match a date pattern of LEN characters
** (e.g. YYYY-MM); NULL if absent, and *BAD set with a 400 reply if wrong. */
static const char *date_param(struct http_request *req, struct http_response *res,
                              const char *name, size_t len, int *bad) {
  const char *v = http_query(req, name);
  if (!v) return NULL;
  int ok = strlen(v) == len;
  for (size_t i = 0; ok && i < len; i++)
    ok = (v[i] >= '0' && v[i] <= '9') || (i == 4 && v[i] == '-') || (i == 7 && v[i] == '-');
  if (ok && len >= 7) ok = atoi(v + 5) >= 1 && atoi(v + 5) <= 12;   /* a month 01..12 */
  if (!ok) {
    http_reply_error(res, 400, "invalid_parameter", "%s='%s' is not a date of %zu characters",
                     name, v, len);
    *bad = 1;
  }
  return v;
}

/* The rule named by ?rule= (default Shiyan 2016); 400 reply and -1 if unknown. */
static int load_rule(struct http_request *req, struct http_response *res,
                     const struct water_standard *s, struct water_rule *rule) {
  const char *id = http_query(req, "rule");
  char err[256];
  if (water_rule_builtin(s, id ? id : DEFAULT_RULE, rule, err, sizeof err)) {
    http_reply_error(res, 400, "invalid_parameter", "rule: %s", err);
    return -1;
  }
  return 0;
}

static void list_sections(struct http_request *req, struct http_response *res) {
  reply_or_db_error(req, res, water_sections_json(req->db));
}

static void overview(struct http_request *req, struct http_response *res) {
  const struct water_standard *s = standard(res);
  int bad = 0;
  const char *month = date_param(req, res, "month", 7, &bad);
  struct water_rule rule;
  if (!s || bad || load_rule(req, res, s, &rule)) return;
  char today[11];
  time_today(today);
  reply_or_db_error(req, res, water_overview_json(req->db, s, month, &rule.minimum, today));
  water_rule_free(&rule);
}

static void trend(struct http_request *req, struct http_response *res) {
  const struct water_standard *s = standard(res);
  long long id = http_param_id(req, res, 0);
  if (!s || !id) return;
  const char *item = http_query(req, "item"), *period = http_query(req, "period");
  period = period ? period : "day";
  if (!item || water_item_index(s, item) < 0 ||
      (strcmp(period, "hour") && strcmp(period, "day") && strcmp(period, "month"))) {
    http_reply_error(res, 400, "invalid_parameter",
                     "item=CODE of GB 3838 and period=hour|day|month are required");
    return;
  }
  json_t *j = water_trend_json(req->db, s, id, item, period, http_query(req, "from"),
                               http_query(req, "to"));
  if (json_is_null(j)) http_reply_error(res, 404, "not_found", "section %lld does not exist", id);
  else reply_or_db_error(req, res, j);
}

/* The CSV body decoded into UTF-8 as file imports are (its encoding
** detected), or NULL after a 400 naming the encoding and the bad byte. */
static char *csv_body(struct http_request *req, struct http_response *res, size_t *len) {
  char err[300];
  const char *used;
  char *csv = text_decode(req->body ? req->body : "", req->body_len, NULL, len, &used, err,
                          sizeof err);
  if (!csv) http_reply_error(res, 400, "invalid_encoding", "%s", err);
  return csv;
}

/* POST bodies that are CSV: sections and readings imports. */
static void import_sections(struct http_request *req, struct http_response *res) {
  const struct water_standard *s = standard(res);
  char err[300];
  int n;
  size_t len;
  char *csv = s ? csv_body(req, res, &len) : NULL;
  if (!csv) return;
  if (water_import_sections(req->db, s, csv, len, req->actor, &n, err, sizeof err))
    http_reply_error(res, 400, "invalid_csv", "%s", err);
  else http_reply_json(res, 200, json_pack("{s:i}", "sections", n));
  free(csv);
}

static void import_readings(struct http_request *req, struct http_response *res) {
  const struct water_standard *s = standard(res);
  char err[300];
  int n, alarms;
  size_t len;
  char *csv = s ? csv_body(req, res, &len) : NULL;
  if (!csv) return;
  if (water_import_readings(req->db, s, csv, len, "csv", req->actor, &n, &alarms, err,
                            sizeof err))
    http_reply_error(res, 400, "invalid_csv", "%s", err);
  else http_reply_json(res, 200, json_pack("{s:i,s:i}", "readings", n, "alarms", alarms));
  free(csv);
}

static void classify(struct http_request *req, struct http_response *res) {
  const struct water_standard *s = standard(res);
  char err[300];
  struct buf out = {0};
  if (!s) return;
  if (water_classify_csv(s, req->body, req->body_len, &out, err, sizeof err)) {
    buf_free(&out);
    http_reply_error(res, 400, "invalid_csv", "%s", err);
    return;
  }
  res->status = 200;
  res->owned_body = out.data ? out.data : xstrdup("");
  res->body_len = out.len;
  res->content_type = "text/csv; charset=utf-8";
}

static void list_rules(struct http_request *req, struct http_response *res) {
  (void)req;
  http_reply_json(res, 200, water_rules_json());
}

static void monthly(struct http_request *req, struct http_response *res) {
  const struct water_standard *s = standard(res);
  int bad = 0;
  const char *month = date_param(req, res, "month", 7, &bad);
  struct water_rule rule;
  if (!s || bad) return;
  if (!month) {
    http_reply_error(res, 400, "invalid_parameter", "month=YYYY-MM is required");
    return;
  }
  if (load_rule(req, res, s, &rule)) return;
  char today[11];
  time_today(today);
  reply_or_db_error(req, res, water_month_json(req->db, s, &rule, month, today));
  water_rule_free(&rule);
}

static void assessment(struct http_request *req, struct http_response *res) {
  const struct water_standard *s = standard(res);
  int bad = 0;
  const char *year = date_param(req, res, "year", 4, &bad);
  struct water_rule rule;
  if (!s || bad) return;
  if (!year) {
    http_reply_error(res, 400, "invalid_parameter", "year=YYYY is required");
    return;
  }
  if (load_rule(req, res, s, &rule)) return;
  char today[11];
  time_today(today);
  reply_or_db_error(req, res, water_assess_json(req->db, s, &rule, atoi(year), today));
  water_rule_free(&rule);
}

static void list_alarms(struct http_request *req, struct http_response *res) {
  const char *state = http_query(req, "state");
  if (state && strcmp(state, "open") && strcmp(state, "acknowledged") && strcmp(state, "closed")) {
    http_reply_error(res, 400, "invalid_parameter", "state='%s' must be open, acknowledged or closed", state);
    return;
  }
  json_t *alarms = water_alarms_json(req->db, state);
  if (!alarms) reply_or_db_error(req, res, NULL);
  else if ((alarms = http_page(req, res, alarms))) http_reply_json(res, 200, alarms);
}

static void move_alarm(struct http_request *req, struct http_response *res, const char *to) {
  long long id = http_param_id(req, res, 0);
  if (!id) return;
  const char *note = NULL;
  json_t *body = req->body_len ? http_body_json(req, res) : NULL;
  if (req->body_len && !body) return;
  if (body && json_unpack(body, "{s?s}", "note", &note)) {
    json_decref(body);
    http_reply_error(res, 400, "invalid_field", "body: expected {\"note\": TEXT}");
    return;
  }
  char err[256];
  int rc = water_alarm_move(req->db, id, to, req->actor, note, err, sizeof err);
  json_decref(body);
  if (rc < 0) http_reply_error(res, 500, "database_error", "%s", err);
  else if (rc) http_reply_error(res, 409, "invalid_transition", "alarm %lld cannot become %s", id, to);
  else http_reply_json(res, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id, "state", to));
}

static void acknowledge_alarm(struct http_request *req, struct http_response *res) {
  move_alarm(req, res, "acknowledged");
}

static void close_alarm(struct http_request *req, struct http_response *res) {
  move_alarm(req, res, "closed");
}

static void export_table(struct http_request *req, struct http_response *res) {
  const struct water_standard *s = standard(res);
  int bad = 0;
  const char *month = date_param(req, res, "month", 7, &bad);
  const char *year = bad ? NULL : date_param(req, res, "year", 4, &bad);
  struct water_rule rule;
  enum table_lang lang;
  if (!s || bad || report_request_lang(req, res, &lang) || load_rule(req, res, s, &rule)) return;
  char today[11];
  time_today(today);
  struct water_export_args a = {req->params[0], month, year ? atoi(year) : 0, &rule, today, lang};
  char err[256], name[TABLE_FILE_NAME_SIZE];
  size_t len, n = strlen(a.table);
  if (n > 4 && !strcmp(a.table + n - 4, ".pdf")) {   /* the same table printed */
    struct table_doc d;
    int rc = water_export_doc(req->db, s, &a, &d, err, sizeof err);
    water_rule_free(&rule);
    if (rc) http_reply_error(res, 400, "export_failed", "%s", err);
    else report_reply_pdf(res, &d, today);
    return;
  }
  char *xlsx = water_export_xlsx(req->db, s, &a, &len, name, err, sizeof err);
  water_rule_free(&rule);
  if (!xlsx) {
    http_reply_error(res, 400, "export_failed", "%s", err);
    return;
  }
  http_reply_download(res, xlsx, len, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
}

/* A section's class for PERIOD from its VALUES, with the period's coverage
** by the rule of ?rule= (a month, quarter or year): under the rule's
** minimum the result is null and the status says 数据不足. */
static void evaluation_reply(struct http_request *req, struct http_response *res,
                             const struct water_standard *s, const struct water_section *sec,
                             const char *period, const double *values) {
  struct water_rule rule;
  struct water_coverage cov;
  char today[11];
  if (load_rule(req, res, s, &rule)) return;
  time_today(today);
  int has = water_section_coverage(req->db, &rule, sec->id, period, today, &cov);
  water_rule_free(&rule);
  if (has < 0) {
    http_reply_error(res, 500, "database_error", "%s", sqlite3_errmsg(req->db));
    return;
  }
  enum water_verdict v = has ? water_coverage_verdict(&cov) : WATER_VERDICT_FINAL;
  json_t *result = json_null();
  if (v != WATER_VERDICT_INSUFFICIENT) {
    struct water_result r;
    water_evaluate(water_standard_on(s, period), sec->body, values, sec->assessed, &r);
    result = water_result_json(s, &r, sec->target);
  }
  json_t *j = json_pack("{s:I,s:s,s:o}", "section", (json_int_t)sec->id, "period", period,
                        "result", result);
  if (has) {   /* an hour or a day has no coverage rule, hence no status */
    json_object_set_new(j, "status", json_string(water_verdict_code(v)));
    json_object_set_new(j, "coverage", water_coverage_json(&cov));
  }
  http_reply_json(res, 200, j);
}

/* The class of one section for any period: ?period=YYYY | YYYY-Qn |
** YYYY-MM | YYYY-MM-DD | YYYY-MM-DD HH. */
static void evaluation(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  const char *period = http_query(req, "period");
  struct water_span span;
  if (!id) return;
  if (!period || water_period_span(period, &span)) {
    http_reply_error(res, 400, "invalid_parameter", "period='%s' must be YYYY, YYYY-Qn, YYYY-MM, "
                     "YYYY-MM-DD or 'YYYY-MM-DD HH'", period ? period : "");
    return;
  }
  const struct water_standard *s = standard(res);
  struct water_section sec;
  double values[WATER_MAX_ITEMS];
  int n;
  if (!s) {
    return;
  } else if (water_section_get(req->db, s, id, NULL, &sec)) {
    http_reply_error(res, 404, "not_found", "section %lld does not exist", id);
  } else if ((n = water_period_values(req->db, s, id, period, values)) < 0) {
    http_reply_error(res, 500, "database_error", "%s", sqlite3_errmsg(req->db));
  } else if (n == 0) {
    http_reply_error(res, 404, "no_data", "section %lld has no values for %s", id, period);
  } else {
    evaluation_reply(req, res, s, &sec, period, values);
  }
}

const struct http_route water_routes[] = {
  {"GET", "/api/water/sections", list_sections, ROUTE_PUBLIC},
  {"POST", "/api/water/sections", import_sections, ROUTE_ADMIN},
  {"GET", "/api/water/sections/{id}/trend", trend, ROUTE_PUBLIC},
  {"GET", "/api/water/sections/{id}/evaluation", evaluation, ROUTE_PUBLIC},
  {"POST", "/api/water/readings", import_readings, ROUTE_ADMIN},
  {"GET", "/api/water/overview", overview, ROUTE_PUBLIC},
  {"POST", "/api/water/classify", classify, ROUTE_PUBLIC},
  {"GET", "/api/water/rules", list_rules, ROUTE_PUBLIC},
  {"GET", "/api/water/monthly", monthly, ROUTE_PUBLIC},
  {"GET", "/api/water/assessment", assessment, ROUTE_PUBLIC},
  {"GET", "/api/water/alarms", list_alarms, ROUTE_PUBLIC},
  {"POST", "/api/water/alarms/{id}/acknowledge", acknowledge_alarm, ROUTE_ADMIN},
  {"POST", "/api/water/alarms/{id}/close", close_alarm, ROUTE_ADMIN},
  {"GET", "/api/water/export/{table}", export_table, ROUTE_PUBLIC},
  {NULL, NULL, NULL, 0},
};
