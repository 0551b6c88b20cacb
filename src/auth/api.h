/*
** HTTP routes of accounts and sessions: log in and out, the current
** session, password change, account administration, the audit log.
*/
#ifndef QS_AUTH_API_H
#define QS_AUTH_API_H
#include "http/server.h"

extern const struct http_route auth_routes[];

/* Trust the reverse proxy at ADDRESS (IPv4 or IPv6, as `serve
** --trusted-proxy` gives it): its X-Forwarded-Proto: https makes the
** session cookie Secure, and its X-Forwarded-For names the client for the
** log-in lock-out. 0, or -1 if ADDRESS is not an address. Call before
** serving. */
int auth_trust_proxy(const char *address);

#endif
