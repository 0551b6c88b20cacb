/*
** JSON API of the plan registry: plans, measures (with filters), units,
** the responsibility matrix and the unit alias table.
*/
#include "plan/api.h"
#include "db/sql.h"
#include "plan/store.h"
#include <stdlib.h>
#include <string.h>

static void list_plans(struct http_request *req, struct http_response *res) {
  http_reply_json(res, 200, plan_query_plans(req->db));
}

static void reply_found(struct http_response *res, json_t *j, const char *what, long long id) {
  if (j) http_reply_json(res, 200, j);
  else http_reply_error(res, 404, "not_found", "%s %lld does not exist", what, id);
}

static void get_plan(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  if (id) reply_found(res, plan_query_plan(req->db, id), "plan", id);
}

static void get_matrix(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  if (id) reply_found(res, plan_query_matrix(req->db, id), "plan", id);
}

/* Parse an optional positive integer query parameter; 0 if absent, -1 (and
** a 400 reply) if malformed. */
static long long int_param(struct http_request *req, struct http_response *res, const char *name) {
  const char *v = http_query(req, name);
  if (!v) return 0;
  char *end;
  long long n = strtoll(v, &end, 10);
  if (!*v || *end || n <= 0) {
    http_reply_error(res, 400, "invalid_parameter", "%s='%s' is not a positive integer", name, v);
    return -1;
  }
  return n;
}

static void list_measures(struct http_request *req, struct http_response *res) {
  struct measure_filter f = {0};
  long long plan = int_param(req, res, "plan"), chapter = int_param(req, res, "chapter");
  if (plan < 0 || chapter < 0) return;
  f.plan_id = plan;
  f.chapter = (int)chapter;
  f.unit = http_query(req, "unit");
  f.role = http_query(req, "role");
  f.q = http_query(req, "q");
  if (f.role && strcmp(f.role, "lead") && strcmp(f.role, "support")) {
    http_reply_error(res, 400, "invalid_parameter", "role='%s' must be lead or support", f.role);
    return;
  }
  if (f.role && !f.unit) {
    http_reply_error(res, 400, "invalid_parameter", "role=%s needs unit=ID or unit=NAME", f.role);
    return;
  }
  http_reply_json(res, 200, plan_query_measures(req->db, &f));
}

static void get_measure(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  if (id) reply_found(res, plan_query_measure(req->db, id), "measure", id);
}

/* The unit list and the alias routes run over the SQL layer, here on the
** request's SQLite connection until the server holds layer connections. */
static void list_units(struct http_request *req, struct http_response *res) {
  struct sql_db *db = sql_wrap_sqlite(req->db);
  http_reply_json(res, 200, plan_query_units(db, http_query(req, "q")));
  sql_close(db);
}

static void get_unit(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  if (id) reply_found(res, plan_query_unit(req->db, id), "unit", id);
}

static void list_aliases(struct http_request *req, struct http_response *res) {
  struct sql_db *db = sql_wrap_sqlite(req->db);
  http_reply_json(res, 200, plan_query_aliases(db));
  sql_close(db);
}

static void put_alias(struct http_request *req, struct http_response *res) {
  const char *unit = NULL;
  json_t *body = http_body_unpack(req, res, "{s:s}", "unit", &unit);
  if (!body) return;
  char err[256];
  struct sql_db *db = sql_wrap_sqlite(req->db);
  int rc = plan_put_alias(db, req->params[0], unit, req->actor, err, sizeof err);
  sql_close(db);
  if (rc)
    http_reply_error(res, 400, "invalid_alias", "%s", err);
  else
    http_reply_json(res, 200, json_pack("{s:s,s:s}", "alias", req->params[0], "unit", unit));
  json_decref(body);
}

static void delete_alias(struct http_request *req, struct http_response *res) {
  char err[256];
  int found = 0;
  struct sql_db *db = sql_wrap_sqlite(req->db);
  int rc = plan_delete_alias(db, req->params[0], req->actor, &found, err, sizeof err);
  sql_close(db);
  if (rc)
    http_reply_error(res, 500, "database_error", "%s", err);
  else if (!found)
    http_reply_error(res, 404, "not_found", "no alias '%s'", req->params[0]);
  else
    http_reply_json(res, 200, json_pack("{s:s}", "deleted", req->params[0]));
}

const struct http_route plan_routes[] = {
  {"GET", "/api/plans", list_plans, ROUTE_PUBLIC},
  {"GET", "/api/plans/{id}", get_plan, ROUTE_PUBLIC},
  {"GET", "/api/plans/{id}/matrix", get_matrix, ROUTE_PUBLIC},
  {"GET", "/api/measures", list_measures, ROUTE_PUBLIC},
  {"GET", "/api/measures/{id}", get_measure, ROUTE_PUBLIC},
  {"GET", "/api/units", list_units, ROUTE_PUBLIC},
  {"GET", "/api/units/{id}", get_unit, ROUTE_PUBLIC},
  {"GET", "/api/unit-aliases", list_aliases, ROUTE_PUBLIC},
  {"PUT", "/api/unit-aliases/{alias}", put_alias, ROUTE_ADMIN},
  {"DELETE", "/api/unit-aliases/{alias}", delete_alias, ROUTE_ADMIN},
  {NULL, NULL, NULL, 0},
};
