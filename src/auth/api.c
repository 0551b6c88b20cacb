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

static void audit_log(struct http_request *req, struct http_response *res) {
  long long limit = http_query_int(req, res, "limit", 1, 1000, 100);
  long long before = limit < 0 ? -1 : http_query_int(req, res, "before", 1, LLONG_MAX, 0);
  if (before < 0) return;
  struct sql_stmt *st = sql_prepare(req->store, "SELECT id, at, actor, action, entity, entity_id, "
      "before AS before_json, after AS after_json FROM audit_log WHERE (CAST(?1 AS bigint) = 0 OR id < ?1) "
      "ORDER BY id DESC LIMIT ?2");
  if (!st) {
    http_reply_error(res, 500, "database_error", "%s", sql_errmsg(req->store));
    return;
  }
  sql_bind_int64(st, 1, before);
  sql_bind_int64(st, 2, limit);
  http_reply_json(res, 200, sql_rows_json(st));
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
  {NULL, NULL, NULL, 0},
};
