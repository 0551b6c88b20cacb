/*
** Who is asking: the identity and access level that the HTTP server
** establishes for a request from its session cookie or bearer token.
*/
#ifndef QS_AUTH_PRINCIPAL_H
#define QS_AUTH_PRINCIPAL_H

enum access_level {
  ACCESS_ANONYMOUS = 0,   /* the public pages only */
  ACCESS_UNIT = 1,        /* a unit's user: reads the plan, reports on its own tasks */
  ACCESS_LEADER = 2,      /* reads everything */
  ACCESS_ADMIN = 3,       /* the leading-group office: changes everything */
};

struct principal {
  enum access_level level;
  long long account_id;   /* 0 for API tokens and anonymous requests */
  long long unit_id;      /* the unit of an ACCESS_UNIT account, else 0 */
  char name[96];          /* "account:login" or "token:name", for the audit log */
  char csrf[65];          /* the session's CSRF token; "" for tokens */
};

/* Stable names of the levels ("anonymous", "unit", "leader", "admin"). */
const char *access_level_name(enum access_level level);

#endif
