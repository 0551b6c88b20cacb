/*
** Supervision workflow over HTTP: notices at three levels (催办, 督办,
** 挂牌督办) with deadlines and replies, extension requests, completion
** proposals (办结) confirmed or sent back with a rating, and each
** account's inbox of what waits for it. Taking the action an inbox item
** asks for (replying, deciding) settles the item (action_settle).
*/
#include "supervision/api.h"
#include "util/time.h"
#include "supervision/access.h"
#include "supervision/action.h"
#include "supervision/period.h"
#include "db/db.h"
#include "db/rows.h"
#include "plan/store.h"
#include <stdio.h>
#include <string.h>

static int valid_date(struct http_response *res, const char *field, const char *value) {
  int day;
  if (day_parse(value, &day) == 0) return 1;
  http_reply_error(res, 400, "invalid_field", "%s '%s' is not a date (YYYY-MM-DD)", field, value);
  return 0;
}

/* The row of TABLE with params[0] as id, checked to exist; NULL after a 404. */
static json_t *load(struct http_request *req, struct http_response *res, const char *table) {
  long long id = http_param_id(req, res, 0);
  json_t *row = id ? action_row(req->db, table, id) : NULL;
  if (id && !row) http_reply_error(res, 404, "not_found", "%s %lld does not exist", table, id);
  return row;
}

static long long field_int(json_t *row, const char *name) {
  return json_integer_value(json_object_get(row, name));
}

static const char *field_str(json_t *row, const char *name) {
  return json_string_value(json_object_get(row, name));
}

static const char *const notice_levels[] = {"cuiban", "duban", "guapai"};

static void issue_notice(struct http_request *req, struct http_response *res) {
  long long task = http_param_id(req, res, 0);
  if (!task) return;
  const char *unit = NULL, *level = NULL, *text = NULL, *deadline = NULL;
  json_t *body = http_body_unpack(req, res, "{s:s,s:s,s:s,s:s}", "unit", &unit, "level", &level,
                             "text", &text, "deadline", &deadline);
  if (!body) return;
  long long unit_id = plan_find_unit(req->db, unit);
  int level_ok = 0;
  for (size_t i = 0; i < 3; i++) level_ok |= !strcmp(level, notice_levels[i]);
  if (!level_ok) {
    http_reply_error(res, 400, "invalid_field", "level '%s' must be cuiban (催办), duban (督办) "
                     "or guapai (挂牌督办)", level);
  } else if (!unit_id || task_role_of(req->db, task, unit_id) == TASK_ROLE_NONE) {
    http_reply_error(res, 400, "invalid_field", "unit '%s' is not a unit of task %lld", unit, task);
  } else if (valid_date(res, "deadline", deadline)) {
    struct action a;
    if (!action_begin(&a, req, res)) {
      action_exec(&a, "INSERT INTO notice(task_id, unit_id, level, text, deadline, issued_by, issued_at) "
                  "VALUES(?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))", "iissss", task, unit_id,
                  level, text, deadline, req->actor);
      long long id = a.failed ? 0 : sqlite3_last_insert_rowid(req->db);
      action_audit(&a, "notice.issue", "notice", id, NULL);
      action_event(&a, "notice.issued", task, unit_id, id, text);
      action_commit(&a, 201, action_row(req->db, "notice", id));
    }
  }
  json_decref(body);
}

static void reply_notice(struct http_request *req, struct http_response *res) {
  json_t *notice = load(req, res, "notice");
  if (!notice) return;
  const char *text = NULL;
  json_t *body = NULL;
  if (req->who.level != ACCESS_UNIT || req->who.unit_id != field_int(notice, "unit_id")) {
    http_reply_error(res, 403, "forbidden", "only the unit the notice was sent to may reply");
  } else if (strcmp(field_str(notice, "state"), "open")) {
    http_reply_error(res, 409, "conflict", "notice %lld is %s", field_int(notice, "id"),
                     field_str(notice, "state"));
  } else if ((body = http_body_unpack(req, res, "{s:s}", "text", &text))) {
    struct action a;
    long long id = field_int(notice, "id");
    if (!action_begin(&a, req, res)) {
      action_exec(&a, "UPDATE notice SET state = 'replied', reply = ?, replied_by = ?, "
                  "replied_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?", "ssi", text,
                  req->actor, id);
      action_audit(&a, "notice.reply", "notice", id, json_incref(notice));
      action_settle(&a, "notice.issued", id);
      action_event(&a, "notice.replied", field_int(notice, "task_id"), 0, id, text);
      action_commit(&a, 200, action_row(req->db, "notice", id));
    }
  }
  json_decref(body);
  json_decref(notice);
}

/* A notice is settled: nothing more is asked of its unit or of the office. */
static void settle_notice(struct action *a, long long id) {
  action_settle(a, "notice.issued", id);
  action_settle(a, "notice.replied", id);
}

static void close_notice(struct http_request *req, struct http_response *res) {
  json_t *notice = load(req, res, "notice");
  if (!notice) return;
  struct action a;
  long long id = field_int(notice, "id");
  if (!strcmp(field_str(notice, "state"), "withdrawn")) {
    http_reply_error(res, 409, "conflict", "notice %lld was withdrawn", id);
  } else if (!action_begin(&a, req, res)) {
    action_exec(&a, "UPDATE notice SET state = 'closed' WHERE id = ?", "i", id);
    action_audit(&a, "notice.close", "notice", id, json_incref(notice));
    settle_notice(&a, id);
    action_commit(&a, 200, action_row(req->db, "notice", id));
  }
  json_decref(notice);
}

/* Withdrawing a notice sent by mistake (to the wrong unit, say): it leaves
** the unit's inbox, counts no more on the dashboard or in the assessment,
** and stays in the task's timeline as withdrawn, with the reason. */
static void withdraw_notice(struct http_request *req, struct http_response *res) {
  json_t *notice = load(req, res, "notice");
  if (!notice) return;
  const char *reason = NULL;
  json_t *body = NULL;
  long long id = field_int(notice, "id");
  if (!strcmp(field_str(notice, "state"), "withdrawn")) {
    http_reply_error(res, 409, "conflict", "notice %lld was already withdrawn", id);
  } else if ((body = http_body_unpack(req, res, "{s:s}", "reason", &reason))) {
    struct action a;
    if (!reason[strspn(reason, " \t\r\n")]) {
      http_reply_error(res, 400, "invalid_field", "reason must say why notice %lld is withdrawn", id);
    } else if (!action_begin(&a, req, res)) {
      action_exec(&a, "UPDATE notice SET state = 'withdrawn', withdraw_reason = ?, withdrawn_by = ?, "
                  "withdrawn_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?", "ssi", reason,
                  req->actor, id);
      action_audit(&a, "notice.withdraw", "notice", id, json_incref(notice));
      settle_notice(&a, id);
      action_commit(&a, 200, action_row(req->db, "notice", id));
    }
  }
  json_decref(body);
  json_decref(notice);
}

static void request_extension(struct http_request *req, struct http_response *res) {
  long long task = http_param_id(req, res, 0);
  if (!task) return;
  if (req->who.level != ACCESS_UNIT || task_role_of(req->db, task, req->who.unit_id) == TASK_ROLE_NONE) {
    http_reply_error(res, 403, "forbidden", "only the units of task %lld may ask for an extension", task);
    return;
  }
  const char *until = NULL, *reason = NULL;
  json_t *body = http_body_unpack(req, res, "{s:s,s:s}", "until", &until, "reason", &reason);
  if (!body) return;
  struct action a;
  if (valid_date(res, "until", until) && !action_begin(&a, req, res)) {
    action_exec(&a, "INSERT INTO extension(task_id, unit_id, requested_until, reason, requested_by, "
                "requested_at) VALUES(?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))", "iisss",
                task, req->who.unit_id, until, reason, req->actor);
    long long id = a.failed ? 0 : sqlite3_last_insert_rowid(req->db);
    action_audit(&a, "extension.request", "extension", id, NULL);
    action_event(&a, "extension.requested", task, 0, id, reason);
    action_commit(&a, 201, action_row(req->db, "extension", id));
  }
  json_decref(body);
}

/* Granting moves the task's deadline to the date asked for. */
static void decide_extension(struct http_request *req, struct http_response *res) {
  json_t *ext = load(req, res, "extension");
  if (!ext) return;
  int grant = 0;
  const char *comment = NULL;
  json_t *body = NULL;
  if (strcmp(field_str(ext, "state"), "pending")) {
    http_reply_error(res, 409, "conflict", "extension %lld was already %s", field_int(ext, "id"),
                     field_str(ext, "state"));
  } else if ((body = http_body_unpack(req, res, "{s:b,s?s}", "grant", &grant, "comment", &comment))) {
    struct action a;
    long long id = field_int(ext, "id"), task = field_int(ext, "task_id");
    if (!action_begin(&a, req, res)) {
      json_t *task_before = action_row(req->db, "task", task);
      action_exec(&a, "UPDATE extension SET state = ?, comment = ?, decided_by = ?, "
                  "decided_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?", "sssi",
                  grant ? "granted" : "refused", comment, req->actor, id);
      action_audit(&a, grant ? "extension.grant" : "extension.refuse", "extension", id, json_incref(ext));
      if (grant) {
        action_exec(&a, "UPDATE task SET due_on = max(due_on, ?) WHERE id = ?", "si",
                    field_str(ext, "requested_until"), task);
        action_audit(&a, "task.extend", "task", task, json_incref(task_before));
      }
      json_decref(task_before);
      action_settle(&a, "extension.requested", id);
      action_event(&a, grant ? "extension.granted" : "extension.refused", task,
                   field_int(ext, "unit_id"), id, comment ? comment : "");
      action_commit(&a, 200, action_row(req->db, "extension", id));
    }
  }
  json_decref(body);
  json_decref(ext);
}

static void propose_completion(struct http_request *req, struct http_response *res) {
  long long task = http_param_id(req, res, 0);
  if (!task) return;
  if (req->who.level != ACCESS_UNIT || task_role_of(req->db, task, req->who.unit_id) != TASK_ROLE_LEAD) {
    http_reply_error(res, 403, "forbidden", "only a lead unit (牵头单位) of task %lld may propose "
                     "that it is done", task);
    return;
  }
  const char *evidence = NULL;
  json_t *body = http_body_unpack(req, res, "{s:s}", "evidence", &evidence);
  if (!body) return;
  json_t *before = action_row(req->db, "task", task);
  struct action a;
  char today[11];
  time_today(today);
  if (strcmp(field_str(before, "state"), "open")) {
    http_reply_error(res, 409, "conflict", "task %lld is %s", task, field_str(before, "state"));
  } else if (!action_begin(&a, req, res)) {
    action_exec(&a, "INSERT INTO completion(task_id, unit_id, evidence, proposed_by, proposed_on, "
                "proposed_at) VALUES(?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))", "iisss",
                task, req->who.unit_id, evidence, req->actor, today);
    long long id = a.failed ? 0 : sqlite3_last_insert_rowid(req->db);
    action_audit(&a, "completion.propose", "completion", id, NULL);
    action_exec(&a, "UPDATE task SET state = 'proposed' WHERE id = ?", "i", task);
    action_audit(&a, "task.propose", "task", task, json_incref(before));
    action_settle_rows(&a, "completion.returned", db_query_rows(req->db, "SELECT id FROM completion "
                       "WHERE task_id = ? AND state = 'returned'", "i", task));
    action_event(&a, "completion.proposed", task, 0, id, evidence);
    action_commit(&a, 201, action_row(req->db, "completion", id));
  }
  json_decref(before);
  json_decref(body);
}

/* Confirming closes the task on the day it was proposed, with a rating;
** returning reopens it. */
static void decide_completion(struct http_request *req, struct http_response *res) {
  json_t *c = load(req, res, "completion");
  if (!c) return;
  int confirm = 0;
  json_int_t rating = 0;
  const char *comment = NULL;
  json_t *body = NULL;
  if (strcmp(field_str(c, "state"), "pending")) {
    http_reply_error(res, 409, "conflict", "completion %lld was already %s", field_int(c, "id"),
                     field_str(c, "state"));
  } else if ((body = http_body_unpack(req, res, "{s:b,s?s,s?I}", "confirm", &confirm, "comment", &comment,
                                 "rating", &rating))) {
    long long id = field_int(c, "id"), task = field_int(c, "task_id");
    struct action a;
    if (confirm && (rating < 1 || rating > 5)) {
      http_reply_error(res, 400, "invalid_field", "confirming needs a rating from 1 to 5");
    } else if (!confirm && !comment) {
      http_reply_error(res, 400, "invalid_field", "sending back needs a comment");
    } else if (!action_begin(&a, req, res)) {
      json_t *task_before = action_row(req->db, "task", task);
      long long r = rating;
      action_exec(&a, "UPDATE completion SET state = ?, comment = ?, rating = ?, decided_by = ?, "
                  "decided_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?", "ssIsi",
                  confirm ? "confirmed" : "returned", comment, confirm ? &r : NULL, req->actor, id);
      action_audit(&a, confirm ? "completion.confirm" : "completion.return", "completion", id,
                   json_incref(c));
      if (confirm)
        action_exec(&a, "UPDATE task SET state = 'done', completed_on = ?, rating = ? WHERE id = ?",
                    "sii", field_str(c, "proposed_on"), r, task);
      else
        action_exec(&a, "UPDATE task SET state = 'open' WHERE id = ?", "i", task);
      action_audit(&a, confirm ? "task.done" : "task.reopen", "task", task, task_before);
      action_settle(&a, "completion.proposed", id);
      action_event(&a, confirm ? "completion.confirmed" : "completion.returned", task,
                   field_int(c, "unit_id"), id, comment ? comment : "");
      action_commit(&a, 200, action_row(req->db, "completion", id));
    }
  }
  json_decref(body);
  json_decref(c);
}

/* Events addressed to the caller: its unit's, or the administrators'. */
static void inbox(struct http_request *req, struct http_response *res) {
  const char *scope = req->who.level == ACCESS_UNIT ? "e.unit_id = ?1" :
                      req->who.level == ACCESS_ADMIN ? "e.unit_id IS NULL" : "0";
  char sql[512];
  snprintf(sql, sizeof sql, "SELECT e.id, e.at, e.kind, e.task_id, t.title AS task_title, e.summary, "
           "e.done_at FROM event e LEFT JOIN task t ON t.id = e.task_id WHERE %s "
           "AND (?2 OR e.done_at IS NULL) ORDER BY e.id DESC LIMIT 200", scope);
  long long all = http_query_int(req, res, "all", 0, 1, 0);
  if (all >= 0) http_reply_json(res, 200, db_query_rows(req->db, sql, "ii", req->who.unit_id, all));
}

static void inbox_done(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  if (!id) return;
  json_t *ev = db_query_row(req->db, "SELECT id, unit_id FROM event WHERE id = ?", "i", id);
  int mine = ev && (req->who.level == ACCESS_UNIT
                        ? field_int(ev, "unit_id") == req->who.unit_id
                        : req->who.level == ACCESS_ADMIN && json_is_null(json_object_get(ev, "unit_id")));
  json_decref(ev);
  if (!mine) {
    http_reply_error(res, 404, "not_found", "event %lld is not in your inbox", id);
    return;
  }
  struct action a;
  if (!action_begin(&a, req, res)) {
    action_exec(&a, "UPDATE event SET done_at = coalesce(done_at, strftime('%Y-%m-%dT%H:%M:%SZ','now')) "
                "WHERE id = ?", "i", id);
    if (!a.failed && db_audit(req->db, req->actor, "event.done", "event", id, NULL, NULL) != SQLITE_OK)
      a.failed = 1;
    action_commit(&a, 200, json_pack("{s:I}", "done", (json_int_t)id));
  }
}

const struct http_route supervision_workflow_routes[] = {
  {"POST", "/api/tasks/{id}/notices", issue_notice, ROUTE_ADMIN},
  {"POST", "/api/notices/{id}/reply", reply_notice, ROUTE_UNIT},
  {"POST", "/api/notices/{id}/close", close_notice, ROUTE_ADMIN},
  {"POST", "/api/notices/{id}/withdraw", withdraw_notice, ROUTE_ADMIN},
  {"POST", "/api/tasks/{id}/extensions", request_extension, ROUTE_UNIT},
  {"POST", "/api/extensions/{id}/decide", decide_extension, ROUTE_ADMIN},
  {"POST", "/api/tasks/{id}/completion", propose_completion, ROUTE_UNIT},
  {"POST", "/api/completions/{id}/decide", decide_completion, ROUTE_ADMIN},
  {"GET", "/api/inbox", inbox, ROUTE_UNIT},
  {"POST", "/api/inbox/{id}/done", inbox_done, ROUTE_UNIT},
  {NULL, NULL, NULL, 0},
};
