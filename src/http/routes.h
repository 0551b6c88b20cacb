/*
** The list of every capability's route table, searched in order.
*/
#ifndef QS_HTTP_ROUTES_H
#define QS_HTTP_ROUTES_H
#include "http/server.h"

extern const struct http_route *const http_route_tables[];

/* What each table of http_route_tables is (for messages), and whether it
** runs on PostgreSQL; on PostgreSQL a route of a table that does not is
** refused with 503 store_unsupported, naming it (dispatch.c). */
struct http_capability {
  const char *name;
  int both_stores;
};
extern const struct http_capability http_route_capabilities[];

/* The route for REQ's method and path, its {name} segments captured into
** REQ->params; NULL if none, *PATH_KNOWN telling whether another method
** would match. The server's dispatch, and the demo's actions in-process. */
const struct http_route *http_find_route(struct http_request *req, int *path_known);

/* The body limit of a route that has no rule (JSON forms). */
#define HTTP_DEFAULT_BODY (64 << 10)
/* A rule's max_body asking for as much as the server's --max-body allows. */
#define HTTP_BODY_SERVER_MAX ((size_t)-1)

/* How much body a route takes, when not HTTP_DEFAULT_BODY, and whether its
** work is costly (anonymous callers then get a share of the workers and a
** rate per address). Terminated by a NULL pattern. */
struct http_body_rule {
  const char *method, *pattern;
  size_t max_body;
  int heavy;
};
extern const struct http_body_rule http_body_rules[];

/* Routes of the server itself: /healthz, /metrics and the web UI's files. */
extern const struct http_route core_routes[];
/* The web UI's files; matches every GET path, so it comes last. */
extern const struct http_route static_routes[];

#endif
