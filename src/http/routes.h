/*
** The list of every capability's route table, searched in order.
*/
#ifndef QS_HTTP_ROUTES_H
#define QS_HTTP_ROUTES_H
#include "http/server.h"

extern const struct http_route *const http_route_tables[];

/* The route for REQ's method and path, its {name} segments captured into
** REQ->params; NULL if none, *PATH_KNOWN telling whether another method
** would match. The server's dispatch, and the demo's actions in-process. */
const struct http_route *http_find_route(struct http_request *req, int *path_known);

/* Routes of the server itself: /healthz, /metrics and the web UI's files. */
extern const struct http_route core_routes[];
/* The web UI's files; matches every GET path, so it comes last. */
extern const struct http_route static_routes[];

#endif
