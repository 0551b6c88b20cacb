/*
** Accounts and sessions in the database: creating and changing accounts,
** logging in with lock-out after repeated failures, and the sessions that
** browser cookies name. Every change is audited. All of it is in the
** database, on either store (the SQL layer, db/sql.h), so that several
** servers over one PostgreSQL database share sessions, CSRF tokens,
** lock-outs and the log-in rate limit.
*/
#ifndef QS_AUTH_ACCOUNT_H
#define QS_AUTH_ACCOUNT_H
#include "auth/principal.h"
#include <jansson.h>
#include <stddef.h>

struct sql_db;

#define SESSION_HOURS 12
#define SESSION_TOKEN_LEN 64        /* hex characters */
#define SESSION_COOKIE "qs_session"

/* Parse "admin", "leader" or "unit"; -1 if none. */
int access_level_parse(const char *name);

/* Create an account. UNIT (id or exact name) is required for level unit and
** refused otherwise. *ID receives the new id. 0, or -1 with ERR. */
int account_create(struct sql_db *db, const char *login, const char *display_name,
                   enum access_level level, const char *unit, const char *password,
                   const char *actor, long long *id, char *err, size_t errlen);

/* A new random password (16 URL-safe base64 characters) in OUT. */
#define ACCOUNT_RANDOM_PASSWORD_SIZE 25
void account_random_password(char out[ACCOUNT_RANDOM_PASSWORD_SIZE]);

/* Set the password of LOGIN, unlock it and end its sessions but the one
** whose cookie value is KEEP_SESSION (NULL: all of them). 0, or -1 with ERR. */
int account_set_password(struct sql_db *db, const char *login, const char *password,
                         const char *keep_session, const char *actor, char *err, size_t errlen);

/* Forget LOGIN's failed log-ins, which unlocks it. 0, or -1 with ERR. */
int account_unlock(struct sql_db *db, const char *login, const char *actor, char *err, size_t errlen);

/* The lock-out's limits: a login is locked for ADDRESS when ADDRESS failed
** PER_ADDRESS times for it within WINDOW_SECONDS, and for every address
** when all addresses together failed PER_ACCOUNT times. From the
** environment (QINGSHUI_LOGIN_FAILURES_PER_ADDRESS, default 5,
** QINGSHUI_LOGIN_FAILURES_PER_ACCOUNT, 50, QINGSHUI_LOGIN_LOCK_SECONDS,
** 900), read once. */
struct login_limits { long per_address, per_account, window_seconds; };
const struct login_limits *login_limits(void);

/* Disable or enable LOGIN; disabling ends its sessions. 0, or -1 with ERR. */
int account_set_disabled(struct sql_db *db, const char *login, int disabled,
                         const char *actor, char *err, size_t errlen);

enum login_result { LOGIN_OK, LOGIN_BAD_CREDENTIALS, LOGIN_LOCKED, LOGIN_DISABLED, LOGIN_ERROR };

/* Check LOGIN's PASSWORD from ADDRESS; on success WHO is the account. A
** wrong password, or a login that names no account, is LOGIN_BAD_CREDENTIALS
** and counts towards the lock-out; the cost is the same (an unknown login
** is checked against a dummy hash). Only the right password learns that
** the account is LOGIN_DISABLED or LOGIN_LOCKED, and not from an address
** that has failed twice its limit: it is no longer checked. */
enum login_result account_authenticate(struct sql_db *db, const char *login, const char *password,
                                       const char *address, struct principal *who);

/* Open a session for WHO (sets who->csrf); its cookie value goes to TOKEN.
** 0, or -1 on a database error. */
int session_open(struct sql_db *db, struct principal *who, char token[SESSION_TOKEN_LEN + 1]);

/* The principal of a live session TOKEN; 0, or -1 if none. */
int session_lookup(struct sql_db *db, const char *token, struct principal *who);

/* End the session TOKEN (logging out). */
void session_end(struct sql_db *db, const char *token);

/* The account ACCOUNT_ID as JSON (no secrets), or NULL. */
json_t *account_json(struct sql_db *db, long long account_id);

/* Every account as JSON (no secrets). */
json_t *account_list_json(struct sql_db *db);

/* Log-in attempts per address a minute (LOGIN_RATE_PER_MINUTE): returns 1
** if ADDRESS may try now, 0 if it has tried that often in the last 60
** seconds. The attempts are the audit log's session.login and
** session.login_failed lines of ADDRESS (every attempt that is not refused
** here writes one), so every server over the database counts them all.
** -1 if the database cannot say. */
#define LOGIN_RATE_PER_MINUTE 20
int login_rate_allow(struct sql_db *db, const char *address);

/* The audit log's actor for an attempt to log in as LOGIN from ADDRESS:
** "LOGIN@ADDRESS", the login cut to 64 bytes at most, between characters
** (no account's is longer), so
** that the address always ends it (login_rate_allow reads it there). */
#define LOGIN_ACTOR_SIZE (64 + 1 + 48)
void login_actor(const char *login, const char *address, char out[LOGIN_ACTOR_SIZE]);

#endif
