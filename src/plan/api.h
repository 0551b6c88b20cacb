/*
** The plan capability's HTTP routes.
*/
#ifndef QS_PLAN_API_H
#define QS_PLAN_API_H
#include "http/server.h"

extern const struct http_route plan_routes[];

#endif
