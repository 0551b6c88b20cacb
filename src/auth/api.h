/*
** HTTP routes of accounts and sessions: log in and out, the current
** session, password change, account administration, the audit log.
*/
#ifndef QS_AUTH_API_H
#define QS_AUTH_API_H
#include "http/server.h"

extern const struct http_route auth_routes[];

#endif
