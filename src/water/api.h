/*
** The water capability's HTTP routes (listed once in src/http/routes.c).
*/
#ifndef QS_WATER_API_H
#define QS_WATER_API_H
#include "http/server.h"

extern const struct http_route water_routes[];

#endif
