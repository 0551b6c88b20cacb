/*
** The HTTP server: libmicrohttpd in thread-pool mode, a routing table per
** capability, JSON replies, request limits and metrics.
**
** A capability exposes a NULL-terminated array of struct http_route and is
** listed once in src/http/routes.c. Handlers run on pool threads,
** concurrently: each thread has its own connection (req->store, and on
** SQLite req->db, its handle), and a handler must not keep state between
** requests outside the database. On PostgreSQL req->db is NULL: only the
** capabilities ported to the SQL layer run there (routes.c says which;
** the others answer 503 store_unsupported).
*/
#ifndef QS_HTTP_SERVER_H
#define QS_HTTP_SERVER_H
#include "auth/principal.h"
#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

struct sql_db;

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_JSON_BODY (1 << 20)   /* larger bodies are files (attachments) */
#define HTTP_MAX_FIELDS 64             /* query arguments, headers or cookies per request */

/* Name/value pairs of one kind (query, headers, cookies), pointing into
** the server's (or the fuzzer's) memory for the life of the request. A
** query argument without '=' has a NULL value. */
struct http_pair { const char *name, *value; };
struct http_fields {
  struct http_pair pair[HTTP_MAX_FIELDS];
  size_t n;
  int overflow;                /* more than HTTP_MAX_FIELDS were sent */
};

struct http_route;

/* Room for a client's address as text (an IPv6 address with its zone). */
#define HTTP_PEER_SIZE 48

struct http_request {
  const char *method;          /* "GET", "POST", ... */
  const char *path;            /* decoded path without the query */
  const char *body;            /* request body (NUL-terminated), may be empty */
  size_t body_len;
  sqlite3 *db;                 /* this thread's SQLite connection; NULL on PostgreSQL */
  struct sql_db *store;        /* this thread's connection through the SQL layer (db/sql.h) */
  /* values of the {name} segments of the route's pattern, in order */
  const char *params[HTTP_MAX_PARAMS];
  int nparams;
  struct principal who;        /* who is asking (ACCESS_ANONYMOUS if nobody) */
  const char *actor;           /* who.name, for the audit log; NULL if anonymous */
  char peer[HTTP_PEER_SIZE];   /* the client's address (behind the trusted proxy: its client's) */
  int https;                   /* reached over HTTPS: the trusted proxy says so (X-Forwarded-Proto) */
  const struct http_fields *query, *headers, *cookies;
  const struct http_route *route;   /* set by http_accept */
  size_t max_body;             /* the largest body this route allows this caller */
  int heavy;                   /* the route's work is costly (http_body_rules) */
};

struct http_response {
  int status;
  json_t *json;                /* owned: sent as application/json */
  const void *body;            /* or raw bytes (not owned, must outlive the reply) */
  size_t body_len;
  char *owned_body;            /* or raw bytes the server frees after sending */
  const char *content_type;
  const char *cache_control;
  const char *content_encoding; /* "gzip" when the body is gzipped already */
  char etag[48];               /* an ETag header, if not empty */
  int vary_encoding;           /* the reply depends on Accept-Encoding */
  char set_cookie[256];        /* a Set-Cookie header, if not empty */
  char content_disposition[1024]; /* a Content-Disposition header, if not empty */
  char total_count[24];        /* an X-Total-Count header (http_page), if not empty */
  int encode_failed;           /* the JSON reply could not be built (http_encode) */
};

typedef void (*http_handler)(struct http_request *req, struct http_response *res);

/* Who may call a route: the lowest access level it needs. A request
** authenticated by a session cookie must also carry the session's CSRF
** token in X-CSRF-Token on every method but GET and HEAD. */
enum http_route_flags {
  ROUTE_PUBLIC = ACCESS_ANONYMOUS,
  ROUTE_UNIT = ACCESS_UNIT,    /* any signed-in account */
  ROUTE_LEADER = ACCESS_LEADER,
  ROUTE_ADMIN = ACCESS_ADMIN,
  ROUTE_LEVEL_MASK = 0xff,
  ROUTE_NO_CSRF = 0x100,       /* only for logging in, which has no session yet */
};

struct http_route {
  const char *method;
  const char *pattern;         /* "/api/measures/{id}": {x} matches one segment */
  http_handler handler;
  unsigned flags;
};

/* Reply with JSON (takes ownership of BODY). */
void http_reply_json(struct http_response *res, int status, json_t *body);
/* Reply {"error": ERROR, "detail": formatted}. */
void http_reply_error(struct http_response *res, int status, const char *error,
                      const char *detail_fmt, ...) __attribute__((format(printf, 4, 5)));
/* The query-string argument NAME, or NULL. */
const char *http_query(struct http_request *req, const char *name);
/* The header NAME (case-insensitive), or NULL. */
const char *http_header(struct http_request *req, const char *name);
/* Send the body as a download called NAME (UTF-8): Content-Disposition with
** an ASCII filename= for old clients and the RFC 5987 filename*=UTF-8''…. */
void http_attachment(struct http_response *res, const char *name);
/* Reply 200 with BODY (malloc'd, LEN bytes, owned by RES from now on) of
** CONTENT_TYPE as a download called NAME (http_attachment). */
void http_reply_download(struct http_response *res, char *body, size_t len, const char *content_type,
                         const char *name);
/* The cookie NAME, or NULL. */
const char *http_cookie(struct http_request *req, const char *name);
/* Parse the request body as a JSON object; on failure reply 400 and return NULL. */
json_t *http_body_json(struct http_request *req, struct http_response *res);
/* Parse the body as a JSON object matching FORMAT (json_unpack, strict: no
** missing or unknown keys) into the arguments; on mismatch reply 400 naming
** the field and return NULL. The caller decrefs the result, which owns the
** strings the arguments point to. */
json_t *http_body_unpack(struct http_request *req, struct http_response *res,
                         const char *format, ...);
/* The query argument NAME as a whole number in LO..HI (LO >= 0), DEF if it
** is absent; -1 after a 400 reply naming it if it is anything else. */
long long http_query_int(struct http_request *req, struct http_response *res, const char *name,
                         long long lo, long long hi, long long def);
/* ROWS (a JSON array, consumed) cut to the page that the query's limit
** (1..1000) and offset (>= 0) ask for, with the number of all rows in an
** X-Total-Count header; ROWS unchanged if there is no limit. NULL after a
** 400 reply naming a malformed parameter. */
json_t *http_page(struct http_request *req, struct http_response *res, json_t *rows);
/* Parse params[I] as a positive integer id; on failure reply 404, return 0. */
long long http_param_id(struct http_request *req, struct http_response *res, int i);

struct http_server_config {
  const char *listen;          /* "127.0.0.1:8080" */
  const char *db_path;
  unsigned threads;            /* pool size */
  unsigned max_connections;
  unsigned max_per_ip;
  unsigned timeout_seconds;    /* idle connection timeout */
  unsigned header_seconds;     /* time from connection (or last reply) to complete headers */
  unsigned body_rate;          /* bytes/s a body must keep up after header_seconds of grace */
  size_t max_body;             /* largest request body accepted */
  size_t anonymous_max_body;   /* largest body from a caller not signed in */
  size_t body_budget;          /* bytes of bodies held at once, all requests */
  unsigned heavy_per_minute;   /* anonymous heavy requests per address per minute */
  const char *trusted_proxy;   /* address of the reverse proxy in front, or NULL */
};

struct http_server;

/* 1 if TEXT is an IPv4 or IPv6 address. */
int http_address_valid(const char *text);

/* Start serving; returns NULL with ERR set on failure. */
struct http_server *http_server_start(const struct http_server_config *cfg,
                                      char *err, size_t errlen);
/* The port actually bound (useful with port 0). */
unsigned http_server_port(const struct http_server *s);
void http_server_stop(struct http_server *s);

#endif
