/*
** The HTTP server (server.h) on libmicrohttpd.
**
** Thread-pool mode, so a slow handler (an argon2 check, a large query) does
** not stall other clients; every pool thread opens its own SQLite
** connection on first use. The access handler is called several times per
** request (headers, each body chunk, end): the body is collected into
** per-request state with a hard cap, and the route runs on the last call.
*/
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

#include "http/server.h"
#include "auth/account.h"
#include "auth/token.h"
#include "db/db.h"
#include "http/metrics.h"
#include "http/routes.h"
#include "util/buf.h"
#include "util/clock.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct http_server {
  struct MHD_Daemon *daemon;
  struct http_server_config cfg;
  unsigned port;
};

/* Per-request state, created on the first call of the access handler. */
struct request_state {
  struct buf body;
  int too_large;
  double started;                /* clock_seconds() */
};

static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;
static const char *db_path;   /* set before the daemon starts, read-only after */

static void close_thread_db(void *db) { sqlite3_close_v2(db); }
static void make_db_key(void) { pthread_key_create(&db_key, close_thread_db); }

/* This pool thread's connection, opened on first use. */
static sqlite3 *thread_db(void) {
  sqlite3 *db = pthread_getspecific(db_key);
  if (db) return db;
  char err[512];
  db = db_open(db_path, DB_EXISTING, err, sizeof err);
  if (!db) fprintf(stderr, "qingshui: %s\n", err);
  else pthread_setspecific(db_key, db);
  return db;
}

static void add_security_headers(struct MHD_Response *r) {
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Referrer-Policy", "same-origin");
  MHD_add_response_header(r, "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      "object-src 'none'; frame-ancestors 'none'");
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct http_response *res) {
  struct MHD_Response *r;
  if (res->json) {
    char *text = json_dumps(res->json, JSON_COMPACT | JSON_REAL_PRECISION(12));
    json_decref(res->json);
    res->json = NULL;
    r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
  } else if (res->owned_body) {
    r = MHD_create_response_from_buffer(res->body_len, res->owned_body, MHD_RESPMEM_MUST_FREE);
    res->owned_body = NULL;
  } else {
    r = MHD_create_response_from_buffer(res->body_len, (void *)res->body, MHD_RESPMEM_PERSISTENT);
  }
  if (!r) return MHD_NO;
  if (res->content_type) MHD_add_response_header(r, "Content-Type", res->content_type);
  if (res->set_cookie[0]) MHD_add_response_header(r, "Set-Cookie", res->set_cookie);
  if (res->content_disposition[0])
    MHD_add_response_header(r, "Content-Disposition", res->content_disposition);
  MHD_add_response_header(r, "Cache-Control", res->cache_control ? res->cache_control : "no-store");
  add_security_headers(r);
  enum MHD_Result ok = MHD_queue_response(conn, (unsigned)res->status, r);
  MHD_destroy_response(r);
  return ok;
}

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

/* Establish who is asking: a bearer token (machine clients, scripts) or a
** session cookie (browsers). */
static void identify(struct http_request *req) {
  memset(&req->who, 0, sizeof req->who);
  const char *auth = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Authorization");
  const char *cookie = http_cookie(req, SESSION_COOKIE);
  char name[64];
  if (auth && !strncmp(auth, "Bearer ", 7)) {
    if (token_check(req->db, auth + 7, name, sizeof name) == 0) {
      req->who.level = ACCESS_ADMIN;
      snprintf(req->who.name, sizeof req->who.name, "token:%s", name);
    }
  } else if (cookie) {
    session_lookup(req->db, cookie, &req->who);
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
    const char *sent = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    if (!sent || strlen(sent) != strlen(req->who.csrf) ||
        sodium_memcmp(sent, req->who.csrf, strlen(sent)) != 0) {
      http_reply_error(res, 403, "csrf", "missing or wrong X-CSRF-Token header");
      return 0;
    }
  }
  return 1;
}

static void client_address(struct MHD_Connection *conn, char *out, size_t outlen) {
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(out, outlen, "unknown");
  if (info && info->client_addr && info->client_addr->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)info->client_addr)->sin_addr, out,
              (socklen_t)outlen);
  else if (info && info->client_addr && info->client_addr->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)info->client_addr)->sin6_addr, out,
              (socklen_t)outlen);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
  struct http_server *server = cls;
  (void)version;
  struct request_state *st = *con_cls;
  if (!st) {
    st = xcalloc(1, sizeof *st);
    st->started = clock_seconds();
    *con_cls = st;
    return MHD_YES;
  }
  if (*upload_size) {
    if (st->body.len + *upload_size > server->cfg.max_body) st->too_large = 1;
    else buf_append(&st->body, upload, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  struct http_request req = {.method = method, .path = url, .conn = conn,
                             .body = buf_str(&st->body), .body_len = st->body.len};
  struct http_response res = {.status = 200};
  const char *route_name = "unmatched";
  int path_known = 0;
  const struct http_route *route = NULL;
  if (st->too_large) {
    http_reply_error(&res, 413, "payload_too_large", "request bodies are limited to %zu bytes",
                     server->cfg.max_body);
  } else if (!(req.db = thread_db())) {
    http_reply_error(&res, 503, "database_unavailable", "the database cannot be opened");
  } else if ((route = http_find_route(&req, &path_known))) {
    route_name = route->pattern;
    client_address(conn, req.peer, sizeof req.peer);
    identify(&req);
    if (authorize(&req, &res, route)) route->handler(&req, &res);
  } else if (path_known) {
    http_reply_error(&res, 405, "method_not_allowed", "%s is not allowed on %s", method, url);
  } else {
    http_reply_error(&res, 404, "not_found", "no such resource: %s", url);
  }
  metrics_observe(route_name, res.status, clock_seconds() - st->started);
  return send_response(conn, &res);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                              enum MHD_RequestTerminationCode code) {
  (void)cls; (void)conn; (void)code;
  struct request_state *st = *con_cls;
  if (!st) return;
  buf_free(&st->body);
  free(st);
  *con_cls = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_in *addr, char *err, size_t errlen) {
  char host[64];
  const char *colon = strrchr(listen, ':');
  memset(addr, 0, sizeof *addr);
  addr->sin_family = AF_INET;
  if (!colon || (size_t)(colon - listen) >= sizeof host) goto bad;
  memcpy(host, listen, (size_t)(colon - listen));
  host[colon - listen] = 0;
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (*end || port < 0 || port > 65535) goto bad;
  addr->sin_port = htons((uint16_t)port);
  if (!strcmp(host, "localhost")) snprintf(host, sizeof host, "127.0.0.1");
  if (inet_pton(AF_INET, host, &addr->sin_addr) == 1) return 0;
bad:
  snprintf(err, errlen, "--listen '%s' is not ADDR:PORT (for example 127.0.0.1:8080)", listen);
  return -1;
}

struct http_server *http_server_start(const struct http_server_config *cfg,
                                      char *err, size_t errlen) {
  struct sockaddr_in addr;
  if (parse_listen(cfg->listen, &addr, err, errlen)) return NULL;
  pthread_once(&db_key_once, make_db_key);
  db_path = cfg->db_path;
  struct http_server *s = xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  s->daemon = MHD_start_daemon(
      MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, s,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
      MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
      MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_per_ip,
      MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_seconds,
      MHD_OPTION_STRICT_FOR_CLIENT, 1,
      MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
      MHD_OPTION_END);
  if (!s->daemon) {
    snprintf(err, errlen, "cannot listen on %s (address in use or not allowed)", cfg->listen);
    free(s);
    return NULL;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info ? info->port : ntohs(addr.sin_port);
  return s;
}

unsigned http_server_port(const struct http_server *s) { return s->port; }

void http_server_stop(struct http_server *s) {
  if (!s) return;
  MHD_stop_daemon(s->daemon);
  free(s);
}
