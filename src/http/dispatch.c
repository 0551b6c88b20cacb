/*
** From a parsed request to a reply (dispatch.h): checks on what the request
** holds, routing, who is asking, access, the body limit, encoding.
*/
#include "http/dispatch.h"
#include "auth/account.h"
#include "auth/token.h"
#include "http/routes.h"
#include "util/utf8.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Does PATH match PATTERN? {x} segments are captured into REQ->params. */
static int match_pattern(const char *pattern, const char *path, struct http_request *req) {
  req->nparams = 0;
  static __thread char params[HTTP_MAX_PARAMS][256];
  const char *p = pattern, *s = path;
  while (*p && *s) {
    if (*p == '{') {
      const char *close = strchr(p, '}');
      size_t n = strcspn(s, "/");
      if (!close || !n || n >= sizeof params[0] || req->nparams == HTTP_MAX_PARAMS) return 0;
      memcpy(params[req->nparams], s, n);
      params[req->nparams][n] = 0;
      req->params[req->nparams] = params[req->nparams];
      req->nparams++;
      p = close + 1;
      s += n;
    } else if (*p++ != *s++) {
      return 0;
    }
  }
  return !*p && !*s;
}

const struct http_route *http_find_route(struct http_request *req, int *path_known) {
  *path_known = 0;
  /* HEAD is GET without the body, which libmicrohttpd drops by itself. */
  const char *method = strcmp(req->method, "HEAD") ? req->method : "GET";
  for (size_t t = 0; http_route_tables[t]; t++) {
    for (const struct http_route *r = http_route_tables[t]; r->pattern; r++) {
      if (!match_pattern(r->pattern, req->path, req)) continue;
      if (!strcmp(r->method, method)) return r;
      *path_known = 1;
    }
  }
  return NULL;
}

/* The capability whose table holds ROUTE. */
static const struct http_capability *capability_of(const struct http_route *route) {
  for (size_t t = 0; http_route_tables[t]; t++) {
    const struct http_route *r = http_route_tables[t];
    while (r->pattern && r != route) r++;
    if (r == route) return &http_route_capabilities[t];
  }
  return NULL;
}

/* On PostgreSQL (no SQLite handle), may ROUTE run? Replies 503 naming its
** capability when it is not ported to the SQL layer yet. */
static int store_supports(struct http_request *req, struct http_response *res) {
  const struct http_capability *c = capability_of(req->route);
  if (req->db || (c && c->both_stores)) return 1;
  http_reply_error(res, 503, "store_unsupported", "%s %s (%s) does not run on PostgreSQL yet: "
                   "serve a SQLite database for it (docs/scale.md)", req->method, req->route->pattern,
                   c ? c->name : "?");
  json_object_set_new(res->json, "capability", json_string(c ? c->name : "?"));
  return 0;
}

/* Establish who is asking: a bearer token (machine clients, scripts) or a
** session cookie (browsers). */
static void identify(struct http_request *req) {
  memset(&req->who, 0, sizeof req->who);
  const char *auth = http_header(req, "Authorization");
  const char *cookie = http_cookie(req, SESSION_COOKIE);
  char name[64];
  if (auth && !strncmp(auth, "Bearer ", 7)) {
    if (token_check(req->store, auth + 7, name, sizeof name) == 0) {
      req->who.level = ACCESS_ADMIN;
      snprintf(req->who.name, sizeof req->who.name, "token:%s", name);
    }
  } else if (cookie) {
    session_lookup(req->store, cookie, &req->who);
  }
  req->actor = req->who.level != ACCESS_ANONYMOUS ? req->who.name : NULL;
}

static int is_safe_method(const char *method) {
  return !strcmp(method, "GET") || !strcmp(method, "HEAD");
}

/* May the request run ROUTE? Replies 401/403 when it may not. */
static int authorize(struct http_request *req, struct http_response *res,
                     const struct http_route *route) {
  enum access_level needed = (enum access_level)(route->flags & ROUTE_LEVEL_MASK);
  if (req->who.level < needed) {
    if (req->who.level == ACCESS_ANONYMOUS)
      http_reply_error(res, 401, "unauthorized", "%s %s needs you to sign in", req->method,
                       route->pattern);
    else {   /* a stable code and the role, for the pages to say it in the reader's language */
      http_reply_error(res, 403, "role_required", "%s %s needs the %s role; you are %s", req->method,
                       route->pattern, access_level_name(needed), access_level_name(req->who.level));
      json_object_set_new(res->json, "role", json_string(access_level_name(needed)));
    }
    return 0;
  }
  /* Cookies are sent by the browser on its own, so a change made with a
  ** session must prove it comes from our pages: the CSRF token. */
  if (req->who.csrf[0] && !is_safe_method(req->method) && !(route->flags & ROUTE_NO_CSRF)) {
    const char *sent = http_header(req, "X-CSRF-Token");
    if (!sent || strlen(sent) != strlen(req->who.csrf) ||
        sodium_memcmp(sent, req->who.csrf, strlen(sent)) != 0) {
      http_reply_error(res, 403, "csrf", "missing or wrong X-CSRF-Token header");
      return 0;
    }
  }
  return 1;
}

static int is_utf8(const char *s) { return !s || utf8_valid(s, strlen(s)); }

/* Path and query must be UTF-8 text: handlers quote them in replies, and
** the JSON encoder refuses anything else. Replies 400 naming the part. */
static int check_text(struct http_request *req, struct http_response *res) {
  if (!is_utf8(req->path)) {
    http_reply_error(res, 400, "invalid_utf8", "the path '%s' is not UTF-8", req->path);
    return 0;
  }
  for (size_t i = 0; req->query && i < req->query->n; i++) {
    const struct http_pair *q = &req->query->pair[i];
    if (!is_utf8(q->name) || !is_utf8(q->value)) {
      http_reply_error(res, 400, "invalid_utf8", "the query argument '%s' is not UTF-8", q->name);
      return 0;
    }
  }
  const struct { const struct http_fields *f; const char *what; } kinds[] = {
    {req->query, "query arguments"}, {req->headers, "headers"}, {req->cookies, "cookies"}};
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
    if (kinds[k].f && kinds[k].f->overflow) {
      http_reply_error(res, 400, "too_many_fields", "at most %d %s per request",
                       HTTP_MAX_FIELDS, kinds[k].what);
      return 0;
    }
  return 1;
}

/* The rule of ROUTE in http_body_rules, or NULL. */
static const struct http_body_rule *rule_of(const struct http_route *route) {
  for (const struct http_body_rule *r = http_body_rules; r->pattern; r++)
    if (!strcmp(r->method, route->method) && !strcmp(r->pattern, route->pattern)) return r;
  return NULL;
}

int http_check_body_rules(char *err, size_t errlen) {
  for (const struct http_body_rule *r = http_body_rules; r->pattern; r++) {
    int found = 0;
    for (size_t t = 0; http_route_tables[t] && !found; t++)
      for (const struct http_route *route = http_route_tables[t]; route->pattern && !found; route++)
        found = rule_of(route) == r;
    if (!found) {
      snprintf(err, errlen, "the body rule for %s %s names no route", r->method, r->pattern);
      return -1;
    }
  }
  return 0;
}

/* Set REQ's body limit and weight from its route's rule and who asks. */
static void set_body_limit(struct http_request *req, const struct http_body_limits *limits) {
  const struct http_body_rule *rule = rule_of(req->route);
  size_t limit = rule ? rule->max_body : HTTP_DEFAULT_BODY;
  req->heavy = rule && rule->heavy;
  if (limit > limits->max_body) limit = limits->max_body;
  if (req->who.level == ACCESS_ANONYMOUS && limit > limits->anonymous_max_body)
    limit = limits->anonymous_max_body;
  req->max_body = limit;
}

void http_reply_too_large(struct http_request *req, struct http_response *res) {
  http_reply_error(res, 413, "payload_too_large", "%s %s accepts bodies up to %zu bytes%s",
                   req->method, req->route->pattern, req->max_body,
                   req->who.level == ACCESS_ANONYMOUS ? " from callers not signed in" : "");
}

size_t http_declared_length(struct http_request *req) {
  const char *length = http_header(req, "Content-Length");
  if (!length || !*length) return 0;
  char *end;
  unsigned long long n = strtoull(length, &end, 10);
  return *end || n > (size_t)-1 ? (size_t)-1 : (size_t)n;
}

int http_accept(struct http_request *req, struct http_response *res,
                const struct http_body_limits *limits) {
  int path_known;
  if (!check_text(req, res)) return 0;
  req->route = http_find_route(req, &path_known);
  if (!req->route) {
    if (path_known)
      http_reply_error(res, 405, "method_not_allowed", "%s is not allowed on %s", req->method,
                       req->path);
    else
      http_reply_error(res, 404, "not_found", "no such resource: %s", req->path);
    return 0;
  }
  if (!store_supports(req, res)) return 0;
  identify(req);
  if (!authorize(req, res, req->route)) return 0;
  set_body_limit(req, limits);
  return 1;
}

void http_run(struct http_request *req, struct http_response *res) {
  req->route->handler(req, res);
}

void http_encode(struct http_response *res) {
  static const char failed[] =
      "{\"error\":\"internal\",\"detail\":\"the reply could not be built\"}";
  if (!res->json && !res->encode_failed) return;
  char *text = res->json ? json_dumps(res->json, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
  json_decref(res->json);
  res->json = NULL;
  free(res->owned_body);
  res->owned_body = NULL;
  res->content_type = "application/json; charset=utf-8";
  if (text) {
    res->owned_body = text;
    res->body_len = strlen(text);
  } else {
    res->encode_failed = 1;
    res->status = 500;
    res->body = failed;
    res->body_len = sizeof failed - 1;
  }
}

void http_response_free(struct http_response *res) {
  json_decref(res->json);
  res->json = NULL;
  free(res->owned_body);
  res->owned_body = NULL;
}
