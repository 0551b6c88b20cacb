/*
** Accounts, log-in and sessions (account.h).
**
** A login that names no account still runs one argon2 verification against
** a fixed hash, and counts as a failure like a wrong password, so that
** neither the answer nor the time taken tells which logins exist. Failures
** are rows of login_failure (login as typed, address, time): a lock-out
** for one address leaves the account open to the others, up to a higher
** account-wide limit (login_limits).
*/
#include "auth/account.h"
#include "auth/password.h"
#include "db/db.h"
#include "db/rows.h"
#include "plan/store.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const level_names[] = {"anonymous", "unit", "leader", "admin"};

const char *access_level_name(enum access_level level) { return level_names[level]; }

int access_level_parse(const char *name) {
  for (int i = ACCESS_UNIT; i <= ACCESS_ADMIN; i++)
    if (!strcmp(level_names[i], name)) return i;
  return -1;
}

static void token_hash(const char *token, unsigned char out[32]) {
  crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

static void random_hex(char *out, size_t hexlen) {
  unsigned char bytes[64];
  randombytes_buf(bytes, hexlen / 2);
  sodium_bin2hex(out, hexlen + 1, bytes, hexlen / 2);
}

/* The audit text of an account (no secrets). Caller frees. */
static char *account_audit_text(sqlite3 *db, long long id) {
  json_t *j = account_json(db, id);
  char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  return text;
}

/* Finish a change made inside a transaction: audit it and commit, or roll
** back. BEFORE is freed. */
static int finish_change(sqlite3 *db, int rc, const char *actor, const char *action,
                         long long id, char *before, char *err, size_t errlen) {
  char *after = rc ? NULL : account_audit_text(db, id);
  if (!rc && db_audit(db, actor, action, "account", id, before, after) != SQLITE_OK) {
    snprintf(err, errlen, "audit log: %s", sqlite3_errmsg(db));
    rc = -1;
  }
  if (!rc && db_commit(db) != SQLITE_OK) {
    snprintf(err, errlen, "commit: %s", sqlite3_errmsg(db));
    rc = -1;
  }
  if (rc) db_rollback(db);
  free(before);
  free(after);
  return rc;
}

int account_create(sqlite3 *db, const char *login, const char *display_name,
                   enum access_level level, const char *unit, const char *password,
                   const char *actor, long long *id, char *err, size_t errlen) {
  const char *weak = password_weakness(password);
  if (weak) { snprintf(err, errlen, "%s", weak); return -1; }
  if (!*login || strlen(login) > 64 || strpbrk(login, " \t:/")) {
    snprintf(err, errlen, "login '%s' must be 1-64 characters without spaces, ':' or '/'", login);
    return -1;
  }
  if ((level == ACCESS_UNIT) != (unit != NULL && *unit)) {
    snprintf(err, errlen, "a unit account needs --unit, and only a unit account may have one");
    return -1;
  }
  char hash[crypto_pwhash_STRBYTES];
  if (password_hash(password, hash)) { snprintf(err, errlen, "out of memory hashing"); return -1; }
  if (db_begin(db) != SQLITE_OK) { snprintf(err, errlen, "database busy"); return -1; }
  long long unit_id = 0;
  if (level == ACCESS_UNIT && !(unit_id = plan_find_unit(db, unit))) {
    snprintf(err, errlen, "unit '%s' does not exist (see 'qingshui units list')", unit);
    db_rollback(db);
    return -1;
  }
  sqlite3_stmt *st = db_prepare(db, "INSERT INTO account(login, display_name, role, unit_id, "
      "password_hash, created_at) VALUES(?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))", err, errlen);
  int rc = st ? 0 : -1;
  if (st) {
    sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, display_name && *display_name ? display_name : login, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, access_level_name(level), -1, SQLITE_STATIC);
    if (unit_id) sqlite3_bind_int64(st, 4, unit_id); else sqlite3_bind_null(st, 4);
    sqlite3_bind_text(st, 5, hash, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
      snprintf(err, errlen, sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE
               ? "login '%s' is taken" : "cannot create '%s'", login);
      rc = -1;
    }
    sqlite3_finalize(st);
  }
  *id = rc ? 0 : sqlite3_last_insert_rowid(db);
  return finish_change(db, rc, actor, "account.create", *id, NULL, err, errlen);
}

/* Run SQL, one or more statements, on one account in an audited
** transaction; each statement may use ?1 = the account's id, ?2 = TEXT and
** ?3 = the hash of the session KEEP_SESSION (NULL if none). */
static int change_account(sqlite3 *db, const char *login, const char *sql, const char *text,
                          const char *keep_session, const char *action, const char *actor,
                          char *err, size_t errlen) {
  if (db_begin(db) != SQLITE_OK) { snprintf(err, errlen, "database busy"); return -1; }
  sqlite3_stmt *st = db_prepare(db, "SELECT id FROM account WHERE login = ?", err, errlen);
  long long id = 0;
  if (st) {
    sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  if (!id) {
    snprintf(err, errlen, "no account '%s'", login);
    db_rollback(db);
    return -1;
  }
  unsigned char keep[32];
  if (keep_session) token_hash(keep_session, keep);
  char *before = account_audit_text(db, id);
  int rc = 0;
  for (const char *next = sql; !rc && next && *next;) {
    if (sqlite3_prepare_v2(db, next, -1, &st, &next) != SQLITE_OK) {
      snprintf(err, errlen, "SQL error: %s", sqlite3_errmsg(db));
      rc = -1;
      break;
    }
    if (!st) break;   /* only white space left */
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_bind_parameter_count(st) >= 2) sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) >= 3 && keep_session)
      sqlite3_bind_blob(st, 3, keep, sizeof keep, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) { snprintf(err, errlen, "%s", sqlite3_errmsg(db)); rc = -1; }
    sqlite3_finalize(st);
  }
  return finish_change(db, rc, actor, action, id, before, err, errlen);
}

/* The statement that forgets the failed log-ins of account ?1. */
#define FORGET_FAILURES "DELETE FROM login_failure WHERE login = (SELECT login FROM account WHERE id = ?1);"

int account_set_password(sqlite3 *db, const char *login, const char *password,
                         const char *keep_session, const char *actor, char *err, size_t errlen) {
  const char *weak = password_weakness(password);
  if (weak) { snprintf(err, errlen, "%s", weak); return -1; }
  char hash[crypto_pwhash_STRBYTES];
  if (password_hash(password, hash)) { snprintf(err, errlen, "out of memory hashing"); return -1; }
  return change_account(db, login, "UPDATE account SET password_hash = ?2 WHERE id = ?1;"
                        FORGET_FAILURES
                        "DELETE FROM session WHERE account_id = ?1 AND token_hash IS NOT ?3;",
                        hash, keep_session, "account.password", actor, err, errlen);
}

int account_unlock(sqlite3 *db, const char *login, const char *actor, char *err, size_t errlen) {
  return change_account(db, login, FORGET_FAILURES, NULL, NULL, "account.unlock", actor, err, errlen);
}

int account_set_disabled(sqlite3 *db, const char *login, int disabled,
                         const char *actor, char *err, size_t errlen) {
  return change_account(db, login, disabled ? "UPDATE account SET disabled = 1 WHERE id = ?1;"
                                              "DELETE FROM session WHERE account_id = ?1;"
                                            : "UPDATE account SET disabled = 0 WHERE id = ?1",
                        NULL, NULL, disabled ? "account.disable" : "account.enable", actor,
                        err, errlen);
}

/* Fill WHO from an account row: id, role, unit_id, login. */
static void principal_from_row(sqlite3_stmt *st, struct principal *who) {
  memset(who, 0, sizeof *who);
  who->account_id = sqlite3_column_int64(st, 0);
  who->level = (enum access_level)access_level_parse((const char *)sqlite3_column_text(st, 1));
  who->unit_id = sqlite3_column_int64(st, 2);
  snprintf(who->name, sizeof who->name, "account:%s", (const char *)sqlite3_column_text(st, 3));
}

/* A limit from the environment variable NAME, DEF if unset; a value that
** is not a whole number in 1..10^7 is said on stderr and DEF used. */
static long limit_from_env(const char *name, long def) {
  const char *v = getenv(name);
  if (!v) return def;
  char *end;
  long n = strtol(v, &end, 10);
  if (*v && !*end && n >= 1 && n <= 10000000) return n;
  fprintf(stderr, "qingshui: %s=%s is not a whole number 1..10000000; using %ld\n", name, v, def);
  return def;
}

static struct login_limits limits;
static pthread_once_t limits_once = PTHREAD_ONCE_INIT;
static void read_limits(void) {
  limits.per_address = limit_from_env("QINGSHUI_LOGIN_FAILURES_PER_ADDRESS", 5);
  limits.per_account = limit_from_env("QINGSHUI_LOGIN_FAILURES_PER_ACCOUNT", 50);
  limits.window_seconds = limit_from_env("QINGSHUI_LOGIN_LOCK_SECONDS", 900);
}

const struct login_limits *login_limits(void) {
  pthread_once(&limits_once, read_limits);
  return &limits;
}

/* Count a failed log-in of LOGIN from ADDRESS, dropping those older than the window. */
static void record_failure(sqlite3 *db, const char *login, const char *address) {
  char err[160];
  long long now = (long long)time(NULL);
  db_exec_bind(db, err, sizeof err, "DELETE FROM login_failure WHERE at <= ?", "i",
               now - login_limits()->window_seconds);
  /* no login is longer than 64 characters: a longer one is kept cut, not whole */
  db_exec_bind(db, err, sizeof err, "INSERT INTO login_failure(login, address, at) "
               "VALUES(substr(?, 1, 64), ?, ?)", "ssi", login, address, now);
}

/* Failures of LOGIN within the window: from ADDRESS into *FROM_ADDRESS,
** from every address into *ALL. -1 if the database cannot say. */
static int count_failures(sqlite3 *db, const char *login, const char *address,
                          long long *from_address, long long *all) {
  char err[160];
  sqlite3_stmt *st = db_prepare_bind(db, err, sizeof err,
      "SELECT count(*) FILTER (WHERE address = ?2), count(*) FROM login_failure "
      "WHERE login = substr(?1, 1, 64) AND at > ?3", "ssi", login, address,
      (long long)time(NULL) - login_limits()->window_seconds);
  int rc = st && sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
  if (!rc) {
    *from_address = sqlite3_column_int64(st, 0);
    *all = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  return rc;
}

int session_open(sqlite3 *db, struct principal *who, char token[SESSION_TOKEN_LEN + 1]) {
  unsigned char hash[32];
  /* Expired sessions are of no use to anyone: drop them as new ones open. */
  sqlite3_exec(db, "DELETE FROM session WHERE expires_at <= strftime('%Y-%m-%dT%H:%M:%SZ','now')",
               NULL, NULL, NULL);
  random_hex(token, SESSION_TOKEN_LEN);
  random_hex(who->csrf, 64);
  token_hash(token, hash);
  sqlite3_stmt *st = NULL;
  int rc = -1;
  if (sqlite3_prepare_v2(db, "INSERT INTO session(token_hash, account_id, csrf_token, created_at, "
      "expires_at) VALUES(?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
      "strftime('%Y-%m-%dT%H:%M:%SZ','now', '+' || ? || ' hours'))", -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, who->account_id);
    sqlite3_bind_text(st, 3, who->csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, SESSION_HOURS);
    if (sqlite3_step(st) == SQLITE_DONE) rc = 0;
  }
  sqlite3_finalize(st);
  return rc;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy_hash(void) { password_hash("not anybody's password", dummy_hash); }

enum login_result account_authenticate(sqlite3 *db, const char *login, const char *password,
                                       const char *address, struct principal *who) {
  pthread_once(&dummy_once, make_dummy_hash);   /* made by the first log-in, whoever it names */
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "SELECT id, role, coalesce(unit_id, 0), login, password_hash, disabled "
      "FROM account WHERE login = ?", -1, &st, NULL) != SQLITE_OK) return LOGIN_ERROR;
  sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
  int found = sqlite3_step(st) == SQLITE_ROW, disabled = 0;
  char hash[crypto_pwhash_STRBYTES] = "";
  if (found) {
    principal_from_row(st, who);
    snprintf(hash, sizeof hash, "%s", (const char *)sqlite3_column_text(st, 4));
    disabled = sqlite3_column_int(st, 5);
  }
  sqlite3_finalize(st);
  const struct login_limits *l = login_limits();
  long long from_address = 0, all = 0;
  if (count_failures(db, login, address, &from_address, &all)) return LOGIN_ERROR;
  /* An unknown login, and an address that goes on guessing through its
  ** lock (twice the limit), are checked against the dummy hash: the same
  ** time, and never the right password. */
  int checked = found && from_address < 2 * l->per_address;
  if (password_verify(checked ? hash : dummy_hash, password) || !checked) {
    record_failure(db, login, address);
    return LOGIN_BAD_CREDENTIALS;
  }
  if (disabled) return LOGIN_DISABLED;
  if (from_address >= l->per_address || all >= l->per_account) return LOGIN_LOCKED;
  char err[160];
  db_exec_bind(db, err, sizeof err, "DELETE FROM login_failure WHERE login = ? AND address = ?",
               "ss", login, address);
  return LOGIN_OK;
}

int session_lookup(sqlite3 *db, const char *token, struct principal *who) {
  if (strlen(token) != SESSION_TOKEN_LEN) return -1;
  unsigned char hash[32];
  token_hash(token, hash);
  sqlite3_stmt *st = NULL;
  int rc = -1;
  if (sqlite3_prepare_v2(db, "SELECT a.id, a.role, coalesce(a.unit_id, 0), a.login, s.csrf_token "
      "FROM session s JOIN account a ON a.id = s.account_id WHERE s.token_hash = ? "
      "AND s.expires_at > strftime('%Y-%m-%dT%H:%M:%SZ','now') AND a.disabled = 0",
      -1, &st, NULL) != SQLITE_OK) return -1;
  sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW) {
    principal_from_row(st, who);
    snprintf(who->csrf, sizeof who->csrf, "%s", (const char *)sqlite3_column_text(st, 4));
    rc = 0;
  }
  sqlite3_finalize(st);
  return rc;
}

void session_end(sqlite3 *db, const char *token) {
  unsigned char hash[32];
  token_hash(token, hash);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "DELETE FROM session WHERE token_hash = ?", -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
    sqlite3_step(st);
  }
  sqlite3_finalize(st);
}

/* An account's columns, with its failed log-ins since ?1 (unix seconds)
** from every address. */
#define ACCOUNT_COLUMNS \
  "a.id, a.login, a.display_name, a.role, a.unit_id, u.name AS unit_name, a.disabled, " \
  "(SELECT count(*) FROM login_failure f WHERE f.login = a.login AND f.at > ?1) AS failed_logins, " \
  "a.created_at FROM account a LEFT JOIN unit u ON u.id = a.unit_id"

static long long window_start(void) { return (long long)time(NULL) - login_limits()->window_seconds; }

json_t *account_json(sqlite3 *db, long long account_id) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "SELECT " ACCOUNT_COLUMNS " WHERE a.id = ?2", -1, &st, NULL)) return NULL;
  sqlite3_bind_int64(st, 1, window_start());
  sqlite3_bind_int64(st, 2, account_id);
  json_t *row = db_row_json(st);
  sqlite3_finalize(st);
  return row;
}

json_t *account_list_json(sqlite3 *db) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, "SELECT " ACCOUNT_COLUMNS " ORDER BY a.role DESC, a.login", -1, &st, NULL))
    return json_array();
  sqlite3_bind_int64(st, 1, window_start());
  json_t *rows = db_rows_json(st);
  sqlite3_finalize(st);
  return rows;
}

/* ---- per-address rate limit ------------------------------------------- */

#define RATE_SLOTS 1024
#define RATE_WINDOW_SECONDS 60
#define RATE_MAX_ATTEMPTS 20

static struct { char address[48]; long long window_start; int attempts; } rate[RATE_SLOTS];
static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;

int login_rate_allow(const char *address, long long now) {
  unsigned long h = 5381;
  for (const char *p = address; *p; p++) h = h * 33 + (unsigned char)*p;
  pthread_mutex_lock(&rate_lock);
  size_t i = h % RATE_SLOTS;
  if (strcmp(rate[i].address, address) || now - rate[i].window_start >= RATE_WINDOW_SECONDS) {
    snprintf(rate[i].address, sizeof rate[i].address, "%s", address);
    rate[i].window_start = now;
    rate[i].attempts = 0;
  }
  int ok = ++rate[i].attempts <= RATE_MAX_ATTEMPTS;
  pthread_mutex_unlock(&rate_lock);
  return ok;
}

void account_random_password(char out[ACCOUNT_RANDOM_PASSWORD_SIZE]) {
  unsigned char bytes[12];
  randombytes_buf(bytes, sizeof bytes);
  sodium_bin2base64(out, ACCOUNT_RANDOM_PASSWORD_SIZE, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE);
}
