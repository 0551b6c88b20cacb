/*
** The online-monitoring (HJ 212) capability's HTTP routes: stations, their
** latest values and readings, the receiver's refusal counters.
*/
#ifndef QS_HJ212_API_H
#define QS_HJ212_API_H
#include "http/server.h"

extern const struct http_route hj212_routes[];

#endif
