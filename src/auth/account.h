/*
** Accounts and sessions in the database: creating and changing accounts,
** logging in with lock-out after repeated failures, and the sessions that
** browser cookies name. Every change is audited.
*/
#ifndef QS_AUTH_ACCOUNT_H
#define QS_AUTH_ACCOUNT_H
#include "auth/principal.h"
#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

#define LOGIN_MAX_FAILURES 5        /* consecutive failures before lock-out */
#define LOGIN_LOCK_MINUTES 15
#define SESSION_HOURS 12
#define SESSION_TOKEN_LEN 64        /* hex characters */
#define SESSION_COOKIE "qs_session"

/* Parse "admin", "leader" or "unit"; -1 if none. */
int access_level_parse(const char *name);

/* Create an account. UNIT (id or exact name) is required for level unit and
** refused otherwise. *ID receives the new id. 0, or -1 with ERR. */
int account_create(sqlite3 *db, const char *login, const char *display_name,
                   enum access_level level, const char *unit, const char *password,
                   const char *actor, long long *id, char *err, size_t errlen);

/* A new random password (16 URL-safe base64 characters) in OUT. */
#define ACCOUNT_RANDOM_PASSWORD_SIZE 25
void account_random_password(char out[ACCOUNT_RANDOM_PASSWORD_SIZE]);

/* Set the password of LOGIN (and unlock it). 0, or -1 with ERR. */
int account_set_password(sqlite3 *db, const char *login, const char *password,
                         const char *actor, char *err, size_t errlen);

/* Disable or enable LOGIN; disabling ends its sessions. 0, or -1 with ERR. */
int account_set_disabled(sqlite3 *db, const char *login, int disabled,
                         const char *actor, char *err, size_t errlen);

enum login_result { LOGIN_OK, LOGIN_BAD_CREDENTIALS, LOGIN_LOCKED, LOGIN_DISABLED, LOGIN_ERROR };

/* Check LOGIN's PASSWORD, counting failures towards the lock-out; on
** success WHO is the account. */
enum login_result account_authenticate(sqlite3 *db, const char *login, const char *password,
                                       struct principal *who);

/* Open a session for WHO (sets who->csrf); its cookie value goes to TOKEN.
** 0, or -1 on a database error. */
int session_open(sqlite3 *db, struct principal *who, char token[SESSION_TOKEN_LEN + 1]);

/* The principal of a live session TOKEN; 0, or -1 if none. */
int session_lookup(sqlite3 *db, const char *token, struct principal *who);

/* End the session TOKEN (logging out). */
void session_end(sqlite3 *db, const char *token);

/* The account ACCOUNT_ID as JSON (no secrets), or NULL. */
json_t *account_json(sqlite3 *db, long long account_id);

/* Every account as JSON (no secrets). */
json_t *account_list_json(sqlite3 *db);

/* Per-address login attempt limit: returns 1 if ADDRESS may try now
** (and counts the attempt), 0 if it has tried too often in the last minute.
** NOW is a monotonic second count, so tests can inject it. */
int login_rate_allow(const char *address, long long now);

#endif
