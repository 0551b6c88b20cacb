/* GET /api/geo: the imported rivers, reservoirs and zones (api.c). */
#ifndef QS_GEO_API_H
#define QS_GEO_API_H
#include "http/server.h"

extern const struct http_route geo_routes[];

#endif
