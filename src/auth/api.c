/*
** Accounts and sessions over HTTP (api.h).
**
** The session cookie is HttpOnly (scripts cannot read it) and
** SameSite=Strict (other sites cannot make the browser send it); the CSRF
** token that state-changing requests must echo is given to the page in the
** JSON of /api/login and /api/session. Served over HTTPS (behind the
** proxy `serve --trusted-proxy` names, which says so in X-Forwarded-Proto:
** REQ->https), it is also Secure: the browser sends it over HTTPS only.
**
** A failed log-in is one answer, 401 bad_credentials, whether the password
** is wrong, the login unknown, the account disabled or locked: only the
** right password learns that the account is disabled (403) or locked (423).
*/
#include "auth/api.h"
#include "auth/account.h"
#include "auth/password.h"
#include "db/rows.h"
#include "db/sql.h"
#include "supervision/period.h"
#include "util/time.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The session cookie with VALUE and MAX_AGE into RES. */
static void set_session_cookie(struct http_request *req, struct http_response *res,
                               const char *value, int max_age) {
  snprintf(res->set_cookie, sizeof res->set_cookie,
           SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", value, max_age,
           req->https ? "; Secure" : "");
}

static json_t *session_json(struct http_request *req) {
  return json_pack("{s:o,s:s,s:s}", "account", account_json(req->store, req->who.account_id),
                   "level", access_level_name(req->who.level), "csrf", req->who.csrf);
}

/* The audit line of an attempt to log in: the login whole in AFTER (the
** body's limit bounds it), cut in the actor (login_actor). */
static void audit_login(struct http_request *req, const char *login, const char *address,
                        const char *action) {
  char actor[LOGIN_ACTOR_SIZE];
  login_actor(login, address, actor);
  json_t *j = json_pack("{s:s,s:s}", "login", login, "peer", address);
  char *after = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  if (sql_audit(req->store, actor, action, "session", 0, NULL, after ? after : "{}"))
    fprintf(stderr, "qingshui: %s not audited: %s\n", action, sql_errmsg(req->store));
  free(after);
}

static void login(struct http_request *req, struct http_response *res) {
  const char *user = NULL, *password = NULL;
  json_t *body = http_body_unpack(req, res, "{s:s,s:s}", "login", &user, "password", &password);
  if (!body) return;
  const char *address = req->peer;
  long lock_minutes = (login_limits()->window_seconds + 59) / 60;
  int allowed = login_rate_allow(req->store, address);
  if (allowed < 0) {
    http_reply_error(res, 500, "database_error", "could not count the log-in attempts");
  } else if (!allowed) {
    http_reply_error(res, 429, "rate_limited", "too many log-in attempts from %s; wait a minute",
                     address);
  } else {
    char token[SESSION_TOKEN_LEN + 1];
    enum login_result r = account_authenticate(req->store, user, password, address, &req->who);
    if (r == LOGIN_OK && session_open(req->store, &req->who, token)) r = LOGIN_ERROR;
    if (r == LOGIN_OK) {
      set_session_cookie(req, res, token, SESSION_HOURS * 3600);
      audit_login(req, user, address, "session.login");
      http_reply_json(res, 200, session_json(req));
    } else {
      audit_login(req, user, address, "session.login_failed");
      if (r == LOGIN_LOCKED)
        http_reply_error(res, 423, "locked", "too many failed log-ins for this account: it is "
                         "locked for up to %ld minutes (the administrator can unlock it)", lock_minutes);
      else if (r == LOGIN_DISABLED)
        http_reply_error(res, 403, "disabled", "this account is disabled");
      else if (r == LOGIN_ERROR)
        http_reply_error(res, 500, "database_error", "could not open a session");
      else
        http_reply_error(res, 401, "bad_credentials", "wrong login or password");
    }
  }
  json_decref(body);
}

static void logout(struct http_request *req, struct http_response *res) {
  const char *cookie = http_cookie(req, SESSION_COOKIE);
  if (cookie) session_end(req->store, cookie);
  set_session_cookie(req, res, "", 0);
  http_reply_json(res, 200, json_pack("{s:b}", "signed_out", 1));
}

static void current_session(struct http_request *req, struct http_response *res) {
  if (req->who.level == ACCESS_ANONYMOUS || !req->who.account_id)
    http_reply_json(res, 200, json_pack("{s:n,s:s}", "account", "level",
                                        access_level_name(req->who.level)));
  else
    http_reply_json(res, 200, session_json(req));
}

/* One's own password: the current one is checked as a log-in would be
** (a wrong one counts towards the lock-out); the account's other sessions
** end, this one stays. */
static void change_password(struct http_request *req, struct http_response *res) {
  const char *old_password = NULL, *new_password = NULL;
  json_t *body = http_body_unpack(req, res, "{s:s,s:s}", "old_password", &old_password,
                                  "new_password", &new_password);
  if (!body) return;
  json_t *account = account_json(req->store, req->who.account_id);
  const char *login_name = json_string_value(json_object_get(account, "login"));
  char err[256];
  const char *address = req->peer;
  struct principal check;
  if (!req->who.account_id) {
    http_reply_error(res, 400, "no_account", "API tokens have no password");
  } else if (account_authenticate(req->store, login_name, old_password, address, &check) != LOGIN_OK) {
    http_reply_error(res, 403, "bad_credentials", "the current password is wrong");
  } else {
    if (account_set_password(req->store, login_name, new_password, http_cookie(req, SESSION_COOKIE),
                             req->actor, err, sizeof err))
      http_reply_error(res, 400, "invalid_password", "%s", err);
    else
      http_reply_json(res, 200, json_pack("{s:b}", "changed", 1));
  }
  json_decref(account);
  json_decref(body);
}

/* The administrator sets a password (it unlocks the account and ends all its sessions). */
static void reset_password(struct http_request *req, struct http_response *res) {
  const char *password = NULL;
  json_t *body = http_body_unpack(req, res, "{s:s}", "password", &password);
  if (!body) return;
  char err[256];
  if (account_set_password(req->store, req->params[0], password, NULL, req->actor, err, sizeof err))
    http_reply_error(res, strncmp(err, "no account", 10) ? 400 : 404,
                     strncmp(err, "no account", 10) ? "invalid_password" : "not_found", "%s", err);
  else
    http_reply_json(res, 200, json_pack("{s:s,s:b}", "login", req->params[0], "changed", 1));
  json_decref(body);
}

static void unlock_account(struct http_request *req, struct http_response *res) {
  char err[256];
  if (account_unlock(req->store, req->params[0], req->actor, err, sizeof err))
    http_reply_error(res, 404, "not_found", "%s", err);
  else
    http_reply_json(res, 200, json_pack("{s:s,s:b}", "login", req->params[0], "unlocked", 1));
}

static void list_accounts(struct http_request *req, struct http_response *res) {
  http_reply_json(res, 200, account_list_json(req->store));
}

static void create_account(struct http_request *req, struct http_response *res) {
  const char *login_name = NULL, *display = NULL, *role = NULL, *unit = NULL, *password = NULL;
  json_t *body = http_body_unpack(req, res, "{s:s,s?s,s:s,s?s,s:s}", "login", &login_name,
                                  "display_name", &display, "role", &role, "unit", &unit,
                                  "password", &password);
  if (!body) return;
  char err[256];
  long long id;
  int level;
  if ((level = access_level_parse(role)) < 0) {
    http_reply_error(res, 400, "invalid_field", "role '%s' must be admin, leader or unit", role);
  } else if (account_create(req->store, login_name, display, (enum access_level)level, unit, password,
                            req->actor, &id, err, sizeof err)) {
    http_reply_error(res, 400, "invalid_account", "%s", err);
  } else {
    http_reply_json(res, 201, account_json(req->store, id));
  }
  json_decref(body);
}

static void set_disabled(struct http_request *req, struct http_response *res, int disabled) {
  char err[256];
  if (account_set_disabled(req->store, req->params[0], disabled, req->actor, err, sizeof err))
    http_reply_error(res, 404, "not_found", "%s", err);
  else
    http_reply_json(res, 200, json_pack("{s:s,s:b}", "login", req->params[0], "disabled", disabled));
}

static void disable_account(struct http_request *req, struct http_response *res) { set_disabled(req, res, 1); }
static void enable_account(struct http_request *req, struct http_response *res) { set_disabled(req, res, 0); }

/* Query parameter NAME, if given, must be a day YYYY-MM-DD; -1 after a 400 reply. */
static int audit_day(struct http_request *req, struct http_response *res, const char *name, int end,
                     char out[TIME_UTC_SIZE]) {
  const char *text = http_query(req, name);
  int day;
  out[0] = '\0';
  if (!text || !*text) return 0;
  if (day_parse(text, &day)) {
    http_reply_error(res, 400, "invalid_parameter", "%s='%s' is not a day (YYYY-MM-DD)", name, text);
    return -1;
  }
  /* the China day's first (or, for END, next day's first) instant in UTC,
  ** without its Z: stored times with milliseconds sort after it */
  time_utc_epoch(((int64_t)day + end) * 86400 - TIME_CHINA_OFFSET_SECONDS, out);
  out[19] = '\0';
  return 0;
}

/* The audit log, newest first, LIMIT lines older than BEFORE (an id),
   filtered by actor (exact), action (exact, or a family: "task" takes
   "task.create" and "task.done"), entity and entity_id, and the days FROM
   and TO (China time, both included). */
static void audit_log(struct http_request *req, struct http_response *res) {
  long long limit = http_query_int(req, res, "limit", 1, 1000, 100);
  long long before = limit < 0 ? -1 : http_query_int(req, res, "before", 1, LLONG_MAX, 0);
  long long entity_id = before < 0 ? -1 : http_query_int(req, res, "entity_id", 1, LLONG_MAX, 0);
  char from[TIME_UTC_SIZE], to[TIME_UTC_SIZE];
  if (entity_id < 0 || audit_day(req, res, "from", 0, from) || audit_day(req, res, "to", 1, to)) return;
  const char *text_filters[] = {http_query(req, "actor"), http_query(req, "action"), http_query(req, "entity")};
  for (int i = 0; i < 3; i++) if (text_filters[i] && !*text_filters[i]) text_filters[i] = NULL;
  /* a range of ids (no OR), so that a page far back starts at its cursor */
  struct sql_stmt *st = sql_prepare(req->store, "SELECT id, at, actor, action, entity, entity_id, "
      "before AS before_json, after AS after_json FROM audit_log "
      "WHERE id < CASE WHEN CAST(?1 AS bigint) = 0 THEN 9223372036854775807 ELSE ?1 END "
      "AND (CAST(?3 AS text) IS NULL OR actor = ?3) "
      "AND (CAST(?4 AS text) IS NULL OR action = ?4 OR substr(action, 1, length(?4) + 1) = ?4 || '.') "
      "AND (CAST(?5 AS text) IS NULL OR entity = ?5) AND (CAST(?6 AS bigint) = 0 OR entity_id = ?6) "
      "AND (CAST(?7 AS text) = '' OR at >= ?7) AND (CAST(?8 AS text) = '' OR at < ?8) "
      "ORDER BY id DESC LIMIT ?2");
  if (!st) {
    http_reply_error(res, 500, "database_error", "%s", sql_errmsg(req->store));
    return;
  }
  sql_bind_int64(st, 1, before);
  sql_bind_int64(st, 2, limit);
  for (int i = 0; i < 3; i++) sql_bind_text(st, 3 + i, text_filters[i]);
  sql_bind_int64(st, 6, entity_id);
  sql_bind_text(st, 7, from);
  sql_bind_text(st, 8, to);
  http_reply_json(res, 200, sql_rows_json(st));
}

/* What the audit log can be filtered by: its actors, actions and entities. */
static void audit_filters(struct http_request *req, struct http_response *res) {
  static const char *const columns[] = {"actor", "action", "entity"};
  static const char *const keys[] = {"actors", "actions", "entities"};
  json_t *out = json_object();
  for (int i = 0; i < 3; i++) {
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT DISTINCT %s AS value FROM audit_log ORDER BY 1", columns[i]);
    struct sql_stmt *st = sql_prepare(req->store, sql);
    json_object_set_new(out, keys[i], st ? sql_rows_json(st) : json_array());
  }
  http_reply_json(res, 200, out);
}

const struct http_route auth_routes[] = {
  {"POST", "/api/login", login, ROUTE_PUBLIC | ROUTE_NO_CSRF},
  {"POST", "/api/logout", logout, ROUTE_UNIT},
  {"GET", "/api/session", current_session, ROUTE_PUBLIC},
  {"POST", "/api/password", change_password, ROUTE_UNIT},
  {"GET", "/api/accounts", list_accounts, ROUTE_ADMIN},
  {"POST", "/api/accounts", create_account, ROUTE_ADMIN},
  {"POST", "/api/accounts/{login}/disable", disable_account, ROUTE_ADMIN},
  {"POST", "/api/accounts/{login}/enable", enable_account, ROUTE_ADMIN},
  {"POST", "/api/accounts/{login}/password", reset_password, ROUTE_ADMIN},
  {"POST", "/api/accounts/{login}/unlock", unlock_account, ROUTE_ADMIN},
  {"GET", "/api/audit", audit_log, ROUTE_ADMIN},
  {"GET", "/api/audit/filters", audit_filters, ROUTE_ADMIN},
  {NULL, NULL, NULL, 0},
};
