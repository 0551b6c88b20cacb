/*
** The list of every capability's route table, searched in order.
*/
#ifndef QS_HTTP_ROUTES_H
#define QS_HTTP_ROUTES_H
#include "http/server.h"

extern const struct http_route *const http_route_tables[];

/* Routes of the server itself: /healthz, /metrics and the web UI's files. */
extern const struct http_route core_routes[];
/* The web UI's files; matches every GET path, so it comes last. */
extern const struct http_route static_routes[];

#endif
