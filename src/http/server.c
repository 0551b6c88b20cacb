/*
** The HTTP server (server.h) on libmicrohttpd.
**
** Thread-pool mode, so a slow handler (an argon2 check, a large query) does
** not stall other clients; every pool thread opens its own SQLite
** connection on first use. The access handler is called several times per
** request. On the first, when the headers are in, the route, the caller
** and the body limit are decided (dispatch.c) and a refusal is sent before
** any body is read; then each body chunk is held against the route's limit
** and the server's budget for bodies (admission.c); on the last call the
** route runs. Slow clients are cut off by the deadlines of watch.c.
*/
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

#include "http/server.h"
#include "db/db.h"
#include "db/sql.h"
#include "http/admission.h"
#include "http/dispatch.h"
#include "http/encoding.h"
#include "http/metrics.h"
#include "http/watch.h"
#include "util/buf.h"
#include "util/clock.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct http_server {
  struct MHD_Daemon *daemon;
  struct http_server_config cfg;
  struct http_body_limits limits;
  struct admission *admission;
  struct conn_watch *watch;
  unsigned port;
};

/* Per-request state, created on the first call of the access handler. */
struct request_state {
  struct http_request req;
  struct http_fields query, headers, cookies;
  struct buf body;
  size_t held;                   /* bytes of the body budget held */
  int replied;                   /* a reply was queued before the body ended */
  struct http_response refusal;  /* a refusal to send once the body is dropped */
  size_t received;               /* body bytes so far, kept or dropped */
  double started;                /* clock_seconds() */
};

static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;
static const char *db_path;   /* set before the daemon starts, read-only after */

/* A pool thread's connections: on SQLite its handle and the SQL layer
** over it; on PostgreSQL the layer's connection alone (DB NULL). */
struct thread_store {
  sqlite3 *db;
  struct sql_db *sql;
};

static void close_thread_store(void *p) {
  struct thread_store *t = p;
  sql_close(t->sql);
  if (t->db) sqlite3_close_v2(t->db);
  free(t);
}
static void make_db_key(void) { pthread_key_create(&db_key, close_thread_store); }

/* This pool thread's connections, opened on first use and again when
** PostgreSQL's was lost; NULL if they cannot be. */
static struct thread_store *thread_store(void) {
  struct thread_store *t = pthread_getspecific(db_key);
  if (t && sql_connected(t->sql)) return t;
  if (t) {   /* PostgreSQL restarted or failed over since: a new connection */
    close_thread_store(t);
    pthread_setspecific(db_key, NULL);
  }
  char err[512];
  t = xcalloc(1, sizeof *t);
  if (sql_is_pg_target(db_path)) t->sql = sql_open(db_path, DB_EXISTING, err, sizeof err);
  else if ((t->db = db_open(db_path, DB_EXISTING, err, sizeof err))) t->sql = sql_wrap_sqlite(t->db);
  if (!t->sql) {
    fprintf(stderr, "qingshui: %s\n", err);
    free(t);
    return NULL;
  }
  pthread_setspecific(db_key, t);
  return t;
}

/* Give REQ this thread's connections: 0, or -1 if there are none. */
static int attach_store(struct http_request *req) {
  struct thread_store *t = thread_store();
  if (!t) return -1;
  req->db = t->db;
  req->store = t->sql;
  return 0;
}

static void add_security_headers(struct MHD_Response *r) {
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Referrer-Policy", "same-origin");
  MHD_add_response_header(r, "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      "object-src 'none'; frame-ancestors 'none'");
}

/* RES's body gzipped when it is text of HTTP_GZIP_MIN bytes or more built
** at run time and the client accepts gzip (GZIP_OK). */
static void gzip_reply(struct http_response *res, int gzip_ok) {
  if (!http_compressible(res->content_type)) return;
  res->vary_encoding = 1;
  if (!gzip_ok || res->content_encoding || res->body_len < HTTP_GZIP_MIN) return;
  size_t len;
  unsigned char *packed = http_gzip(res->owned_body ? res->owned_body : res->body,
                                    res->body_len, &len);
  if (!packed) return;   /* out of memory: sent as it is */
  free(res->owned_body);
  res->owned_body = (char *)packed;
  res->body_len = len;
  res->content_encoding = "gzip";
}

/* Queue RES on CONN (RES is emptied); GZIP_OK: the client accepts gzip. */
static enum MHD_Result send_response(struct MHD_Connection *conn, struct http_response *res,
                                     int gzip_ok) {
  struct MHD_Response *r;
  http_encode(res);
  gzip_reply(res, gzip_ok);
  if (res->owned_body)
    r = MHD_create_response_from_buffer(res->body_len, res->owned_body, MHD_RESPMEM_MUST_FREE);
  else
    r = MHD_create_response_from_buffer(res->body_len, (void *)res->body, MHD_RESPMEM_PERSISTENT);
  if (!r) {
    http_response_free(res);
    return MHD_NO;
  }
  res->owned_body = NULL;   /* the response frees it */
  if (res->content_type) MHD_add_response_header(r, "Content-Type", res->content_type);
  if (res->content_encoding) MHD_add_response_header(r, "Content-Encoding", res->content_encoding);
  if (res->vary_encoding) MHD_add_response_header(r, "Vary", "Accept-Encoding");
  if (res->etag[0]) MHD_add_response_header(r, "ETag", res->etag);
  if (res->set_cookie[0]) MHD_add_response_header(r, "Set-Cookie", res->set_cookie);
  if (res->total_count[0]) MHD_add_response_header(r, "X-Total-Count", res->total_count);
  if (res->content_disposition[0])
    MHD_add_response_header(r, "Content-Disposition", res->content_disposition);
  MHD_add_response_header(r, "Cache-Control", res->cache_control ? res->cache_control : "no-store");
  add_security_headers(r);
  enum MHD_Result ok = MHD_queue_response(conn, (unsigned)res->status, r);
  MHD_destroy_response(r);
  return ok;
}

int http_address_valid(const char *text) {
  unsigned char addr[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, text, addr) == 1 || inet_pton(AF_INET6, text, addr) == 1;
}

/* REQ as its client sent it, when it comes from the trusted PROXY
** (REQ->peer): the client's address is the last of X-Forwarded-For, the one
** the proxy added (the proxy's own if none), and X-Forwarded-Proto says
** whether the client used HTTPS. */
static void forwarded_client(struct http_request *req, const char *proxy) {
  if (!proxy || strcmp(req->peer, proxy)) return;
  const char *proto = http_header(req, "X-Forwarded-Proto");
  req->https = proto && !strcasecmp(proto, "https");
  const char *forwarded = http_header(req, "X-Forwarded-For");
  if (!forwarded) return;
  const char *last = strrchr(forwarded, ',');
  last = last ? last + 1 : forwarded;
  last += strspn(last, " \t");
  char addr[sizeof req->peer];
  size_t n = strcspn(last, " \t");
  if (n >= sizeof addr) return;
  memcpy(addr, last, n);
  addr[n] = 0;
  if (http_address_valid(addr)) memcpy(req->peer, addr, n + 1);
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

/* MHD_KeyValueIterator collecting into a struct http_fields. */
static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *name,
                               const char *value) {
  (void)kind;
  struct http_fields *f = cls;
  if (f->n == HTTP_MAX_FIELDS) {
    f->overflow = 1;
    return MHD_NO;
  }
  f->pair[f->n++] = (struct http_pair){name, value};
  return MHD_YES;
}

/* Reply with a refusal (before the route runs), and observe it. */
static enum MHD_Result reply_refusal(struct http_server *server, struct MHD_Connection *conn,
                                     struct request_state *st, struct http_response *res) {
  st->replied = 1;
  watch_replying(server->watch, conn);
  metrics_observe(st->req.route ? st->req.route->pattern : "unmatched", res->status,
                  clock_seconds() - st->started);
  return send_response(conn, res, http_accepts_gzip(&st->req));
}

/* A refused body is read and dropped, not held, so that the client, which
** sends its body before it reads (browsers, most libraries), gets the
** refusal (libmicrohttpd 0.9.75 queues a reply only before the body or
** after it, and closing on unread data resets the connection). A client
** that said "Expect: 100-continue" is refused at once and sends nothing;
** one whose body goes DROP_MAX past the limit is refused at once, or
** disconnected. May LENGTH bytes of REQ's body be dropped? */
#define DROP_MAX (16 << 20)
static int may_drop(struct http_request *req, size_t length) {
  return length <= req->max_body || length - req->max_body <= DROP_MAX;
}

static int expects_continue(struct http_request *req) {
  const char *expect = http_header(req, "Expect");
  return expect && !strcasecmp(expect, "100-continue");
}

/* The first call: the headers are in. Decide whether the body may come. */
static enum MHD_Result begin(struct http_server *server, struct MHD_Connection *conn,
                             const char *url, const char *method, void **con_cls) {
  struct request_state *st = calloc(1, sizeof *st);
  if (!st) return MHD_NO;
  *con_cls = st;
  st->started = clock_seconds();
  watch_headers_done(server->watch, conn);
  MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect, &st->query);
  MHD_get_connection_values(conn, MHD_HEADER_KIND, collect, &st->headers);
  MHD_get_connection_values(conn, MHD_COOKIE_KIND, collect, &st->cookies);
  st->req = (struct http_request){.method = method, .path = url, .query = &st->query,
                                  .headers = &st->headers, .cookies = &st->cookies};
  client_address(conn, st->req.peer, sizeof st->req.peer);
  forwarded_client(&st->req, server->cfg.trusted_proxy);
  struct http_response res = {.status = 200};
  size_t declared = http_declared_length(&st->req);
  if (attach_store(&st->req)) {
    http_reply_error(&res, 503, "database_unavailable", "the database cannot be opened");
  } else if (!http_accept(&st->req, &res, &server->limits)) {
    ;   /* refused: RES says why */
  } else if (declared > st->req.max_body) {
    http_reply_too_large(&st->req, &res);
    if (!expects_continue(&st->req) && may_drop(&st->req, declared)) {
      st->refusal = res;
      return MHD_YES;
    }
  } else if (admission_hold(server->admission, &st->held, declared)) {
    http_reply_error(&res, 503, "busy", "the server holds too many request bodies; retry later");
  } else {
    return MHD_YES;
  }
  return reply_refusal(server, conn, st, &res);
}

/* A chunk of the body: held against the route's limit and the budget, or
** dropped after a refusal. */
static enum MHD_Result receive(struct http_server *server, struct MHD_Connection *conn,
                               struct request_state *st, const char *data, size_t size) {
  struct http_response *res = &st->refusal;
  size_t total = st->body.len + size;
  st->received += size;
  if (res->status) {
    if (!may_drop(&st->req, st->received)) return MHD_NO;
  } else if (total > st->req.max_body) {
    http_reply_too_large(&st->req, res);
  } else if (admission_hold(server->admission, &st->held, total) ||
             buf_try_append(&st->body, data, size)) {
    http_reply_error(res, 503, "busy", "the server holds too many request bodies; retry later");
  }
  if (res->status) {
    buf_free(&st->body);
    admission_release(server->admission, &st->held);
  }
  watch_body_progress(server->watch, conn, st->received);
  return MHD_YES;
}

/* Run REQ's route; a reply built while memory ran out is replaced by a 503. */
static void run_route(struct http_request *req, struct http_response *res) {
  buf_soft_oom();
  buf_take_oom();
  http_run(req, res);
  if (buf_take_oom()) {
    http_response_free(res);
    http_reply_error(res, 503, "out_of_memory", "the server ran out of memory; retry later");
  }
}

/* The last call: the body is complete; run the route. */
static enum MHD_Result finish(struct http_server *server, struct MHD_Connection *conn,
                              struct request_state *st) {
  struct http_request *req = &st->req;
  struct http_response res = {.status = 200};
  if (st->refusal.status) return reply_refusal(server, conn, st, &st->refusal);
  req->body = buf_str(&st->body);
  req->body_len = st->body.len;
  watch_replying(server->watch, conn);
  int heavy = req->heavy && req->who.level == ACCESS_ANONYMOUS;
  int refused = heavy ? admission_heavy_enter(server->admission, req->peer, clock_seconds()) : 0;
  if (refused == 429)
    http_reply_error(&res, 429, "rate_limited", "%s %s: at most %u a minute from one address "
                     "without signing in", req->method, req->route->pattern,
                     server->cfg.heavy_per_minute);
  else if (refused)
    http_reply_error(&res, 503, "busy", "%s %s: every worker it may use is busy; retry later",
                     req->method, req->route->pattern);
  else
    run_route(req, &res);
  if (heavy && !refused) admission_heavy_leave(server->admission);
  metrics_observe(req->route->pattern, res.status, clock_seconds() - st->started);
  return send_response(conn, &res, http_accepts_gzip(req));
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
  struct http_server *server = cls;
  struct request_state *st = *con_cls;
  (void)version;
  if (!st) return begin(server, conn, url, method, con_cls);
  if (st->replied) {   /* refused before the body: libmicrohttpd drops it */
    *upload_size = 0;
    return MHD_YES;
  }
  if (*upload_size) {
    size_t size = *upload_size;
    *upload_size = 0;
    return receive(server, conn, st, upload, size);
  }
  return finish(server, conn, st);
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                              enum MHD_RequestTerminationCode code) {
  struct http_server *server = cls;
  (void)code;
  struct request_state *st = *con_cls;
  watch_request_done(server->watch, conn);
  if (!st) return;
  admission_release(server->admission, &st->held);
  buf_free(&st->body);
  http_response_free(&st->refusal);
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
  if (parse_listen(cfg->listen, &addr, err, errlen) || http_check_body_rules(err, errlen))
    return NULL;
  pthread_once(&db_key_once, make_db_key);
  db_path = cfg->db_path;
  struct http_server *s = xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  s->limits = (struct http_body_limits){cfg->max_body, cfg->anonymous_max_body};
  s->admission = admission_new(cfg->body_budget, cfg->threads > 1 ? cfg->threads - 1 : 1,
                               cfg->heavy_per_minute);
  s->watch = watch_start(cfg->header_seconds, cfg->body_rate);
  if (!s->admission || !s->watch) {
    snprintf(err, errlen, "out of memory starting the HTTP server");
    http_server_stop(s);
    return NULL;
  }
  s->daemon = MHD_start_daemon(
      MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, s,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
      MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
      MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
      /* behind a proxy every connection has its address: it limits clients */
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->trusted_proxy ? 0 : cfg->max_per_ip,
      MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_seconds,
      MHD_OPTION_STRICT_FOR_CLIENT, 1,
      MHD_OPTION_NOTIFY_COMPLETED, request_completed, s,
      MHD_OPTION_NOTIFY_CONNECTION, watch_notify, s->watch,
      MHD_OPTION_END);
  if (!s->daemon) {
    snprintf(err, errlen, "cannot listen on %s (address in use or not allowed)", cfg->listen);
    http_server_stop(s);
    return NULL;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info ? info->port : ntohs(addr.sin_port);
  return s;
}

unsigned http_server_port(const struct http_server *s) { return s->port; }

void http_server_stop(struct http_server *s) {
  if (!s) return;
  if (s->daemon) MHD_stop_daemon(s->daemon);
  watch_stop(s->watch);
  admission_free(s->admission);
  free(s);
}
