/*
** Audited, announced changes (action.h).
*/
#include "supervision/action.h"
#include "db/db.h"
#include "db/rows.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int action_begin(struct action *a, struct http_request *req, struct http_response *res) {
  memset(a, 0, sizeof *a);
  a->req = req;
  a->res = res;
  if (db_begin(req->db) != SQLITE_OK) {
    http_reply_error(res, 503, "busy", "the database is busy; try again");
    return -1;
  }
  return 0;
}

json_t *action_row(sqlite3 *db, const char *table, long long id) {
  static const char *const tables[] = {"task", "milestone", "report", "attachment", "notice",
                                       "extension", "completion"};
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    if (strcmp(table, tables[i])) continue;
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE id = ?", tables[i]);
    return db_query_row(db, sql, "i", id);
  }
  return NULL;
}

static char *dump(json_t *j) { return j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL; }

void action_audit(struct action *a, const char *action, const char *table, long long id,
                  json_t *before) {
  if (a->failed) { json_decref(before); return; }
  json_t *after = action_row(a->req->db, table, id);
  char *b = dump(before), *t = dump(after);
  if (db_audit(a->req->db, a->req->actor, action, table, id, b, t) != SQLITE_OK) {
    a->failed = 1;
    snprintf(a->err, sizeof a->err, "audit log: %s", sqlite3_errmsg(a->req->db));
  }
  free(b);
  free(t);
  json_decref(before);
  json_decref(after);
}

void action_event(struct action *a, const char *kind, long long task_id, long long unit_id,
                  long long ref_id, const char *summary) {
  if (a->failed) return;
  action_exec(a, "INSERT INTO event(at, kind, task_id, unit_id, ref_id, summary) "
              "VALUES(strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?, ?, ?, ?, ?)",
              "siIIs", kind, task_id, unit_id ? &unit_id : NULL, ref_id ? &ref_id : NULL, summary);
}

void action_settle(struct action *a, const char *kind, long long ref_id) {
  action_exec(a, "UPDATE event SET done_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
              "WHERE ref_id = ? AND kind = ? AND done_at IS NULL", "is", ref_id, kind);
}

void action_settle_rows(struct action *a, const char *kind, json_t *rows) {
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row)
    action_settle(a, kind, json_integer_value(json_object_get(row, "id")));
  json_decref(rows);
}

int action_exec(struct action *a, const char *sql, const char *types, ...) {
  if (a->failed) return -1;
  va_list ap;
  va_start(ap, types);
  sqlite3_stmt *st = db_vprepare_bind(a->req->db, a->err, sizeof a->err, sql, types, ap);
  va_end(ap);
  if (!st) { a->failed = 1; return -1; }
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    snprintf(a->err, sizeof a->err, "%s", sqlite3_errmsg(a->req->db));
    a->failed = 1;
    return -1;
  }
  return sqlite3_changes(a->req->db);
}

void action_commit(struct action *a, int status, json_t *body) {
  if (!a->failed && db_commit(a->req->db) != SQLITE_OK) {
    a->failed = 1;
    snprintf(a->err, sizeof a->err, "commit: %s", sqlite3_errmsg(a->req->db));
  }
  if (a->failed) {
    db_rollback(a->req->db);
    json_decref(body);
    http_reply_error(a->res, 400, a->code ? a->code : "refused", "%s", a->err);
    return;
  }
  http_reply_json(a->res, status, body);
}
