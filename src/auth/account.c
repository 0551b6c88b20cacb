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
#include "db/rows.h"
#include "db/sql.h"
#include "plan/store.h"
#include "util/time.h"
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

/* Step ST (NULL: its prepare failed) to its end and reset it: 0 or -1. */
static int run_to_end(struct sql_stmt *st) {
  if (!st) return -1;
  int rc = sql_step(st) == SQL_DONE ? 0 : -1;
  sql_reset(st);
  return rc;
}

/* The audit text of an account (no secrets). Caller frees. */
static char *account_audit_text(struct sql_db *db, long long id) {
  json_t *j = account_json(db, id);
  char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  return text;
}

/* The audit line of a change of account ID, in the change's transaction. */
static int audit_account(struct sql_db *db, const char *actor, const char *action, long long id,
                         const char *before) {
  char *after = account_audit_text(db, id);
  int rc = sql_audit(db, actor, action, "account", id, before, after);
  free(after);
  return rc;
}

/* Run FN in a transaction; a refusal FN wrote into WHY wins over the
** store's message. */
static int in_transaction(struct sql_db *db, int (*fn)(struct sql_db *, void *), void *ctx,
                          char *why, char *err, size_t errlen) {
  if (!sql_transaction(db, fn, ctx, err, errlen)) return 0;
  if (*why) snprintf(err, errlen, "%s", why);
  return -1;
}

#define WHY_SIZE 256

struct new_account {
  const char *login, *display_name, *role, *unit, *hash, *actor;
  long long id;
  char why[WHY_SIZE];
};

static int create_tx(struct sql_db *db, void *ctx) {
  struct new_account *a = ctx;
  a->why[0] = 0;
  long long unit_id = 0;
  if (a->unit && !(unit_id = plan_find_unit_in(db, a->unit))) {
    snprintf(a->why, WHY_SIZE, "unit '%s' does not exist (see 'qingshui units list')", a->unit);
    return -1;
  }
#define INSERT_ACCOUNT(now) "INSERT INTO account(login, display_name, role, unit_id, " \
  "password_hash, created_at) VALUES(?, ?, ?, ?, ?, " now ") RETURNING id"
  struct sql_stmt *st = sql_prepare(db, sql_store(db) == SQL_PG ? INSERT_ACCOUNT(SQL_NOW_PG)
                                                                : INSERT_ACCOUNT(SQL_NOW_SQLITE));
  if (!st) return -1;
  sql_bind_text(st, 1, a->login);
  sql_bind_text(st, 2, a->display_name);
  sql_bind_text(st, 3, a->role);
  if (unit_id) sql_bind_int64(st, 4, unit_id); else sql_bind_null(st, 4);
  sql_bind_text(st, 5, a->hash);
  int rc = sql_step(st) == SQL_ROW ? 0 : -1;
  a->id = rc ? 0 : sql_column_int64(st, 0);
  sql_reset(st);
  if (rc) {
    snprintf(a->why, WHY_SIZE, sql_errclass(db) == SQL_UNIQUE ? "login '%s' is taken"
             : "cannot create '%s'", a->login);
    return -1;
  }
  return audit_account(db, a->actor, "account.create", a->id, NULL);
}

int account_create(struct sql_db *db, const char *login, const char *display_name,
                   enum access_level level, const char *unit, const char *password,
                   const char *actor, long long *id, char *err, size_t errlen) {
  const char *weak = password_weakness(password);
  *id = 0;
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
  struct new_account a = {login, display_name && *display_name ? display_name : login,
                          access_level_name(level), level == ACCESS_UNIT ? unit : NULL, hash,
                          actor, 0, ""};
  if (in_transaction(db, create_tx, &a, a.why, err, errlen)) return -1;
  *id = a.id;
  return 0;
}

/* One statement of a change of an account: ?1 is the account's id; ?2,
** when the statement has it, TEXT, or else the LEN bytes at BLOB (NULL
** binds NULL). */
struct account_statement {
  const char *sql;
  enum { NO_VALUE, TEXT_VALUE, BLOB_VALUE } value;
  const char *text;
  const void *blob;
  size_t len;
};

struct account_change {
  const char *login, *action, *actor;
  const struct account_statement *steps;
  size_t nsteps;
  char why[WHY_SIZE];
};

/* The id of the account LOGIN (whatever its case), 0 if none. */
static long long account_id_of(struct sql_db *db, const char *login) {
  struct sql_stmt *st =
      sql_prepare(db, "SELECT id FROM account WHERE lower(login) = lower(CAST(? AS text))");
  if (!st) return 0;
  sql_bind_text(st, 1, login);
  long long id = sql_step(st) == SQL_ROW ? sql_column_int64(st, 0) : 0;
  sql_reset(st);
  return id;
}

static int change_tx(struct sql_db *db, void *ctx) {
  struct account_change *c = ctx;
  c->why[0] = 0;
  long long id = account_id_of(db, c->login);
  if (!id) {
    snprintf(c->why, WHY_SIZE, "no account '%s'", c->login);
    return -1;
  }
  char *before = account_audit_text(db, id);
  int rc = 0;
  for (size_t i = 0; !rc && i < c->nsteps; i++) {
    const struct account_statement *s = &c->steps[i];
    struct sql_stmt *st = sql_prepare(db, s->sql);
    if (st) {
      sql_bind_int64(st, 1, id);
      if (s->value == TEXT_VALUE) sql_bind_text(st, 2, s->text);
      else if (s->value == BLOB_VALUE && s->blob) sql_bind_blob(st, 2, s->blob, s->len);
      else if (s->value == BLOB_VALUE) sql_bind_null(st, 2);
    }
    rc = run_to_end(st);
  }
  if (!rc) rc = audit_account(db, c->actor, c->action, id, before);
  free(before);
  return rc;
}

static int change_account(struct sql_db *db, const char *login, const char *action,
                          const char *actor, const struct account_statement *steps,
                          size_t nsteps, char *err, size_t errlen) {
  struct account_change c = {login, action, actor, steps, nsteps, ""};
  return in_transaction(db, change_tx, &c, c.why, err, errlen);
}

/* The statement that forgets the failed log-ins of account ?1. */
static const struct account_statement forget_failures = {
  "DELETE FROM login_failure WHERE lower(login) = (SELECT lower(login) FROM account WHERE id = ?1)",
  NO_VALUE, NULL, NULL, 0};

int account_set_password(struct sql_db *db, const char *login, const char *password,
                         const char *keep_session, const char *actor, char *err, size_t errlen) {
  const char *weak = password_weakness(password);
  if (weak) { snprintf(err, errlen, "%s", weak); return -1; }
  char hash[crypto_pwhash_STRBYTES];
  if (password_hash(password, hash)) { snprintf(err, errlen, "out of memory hashing"); return -1; }
  unsigned char keep[32];
  if (keep_session) token_hash(keep_session, keep);
  const struct account_statement steps[] = {
    {"UPDATE account SET password_hash = ?2 WHERE id = ?1", TEXT_VALUE, hash, NULL, 0},
    forget_failures,
    {"DELETE FROM session WHERE account_id = ?1 AND token_hash IS DISTINCT FROM ?2", BLOB_VALUE,
     NULL, keep_session ? keep : NULL, sizeof keep},
  };
  return change_account(db, login, "account.password", actor, steps, 3, err, errlen);
}

int account_unlock(struct sql_db *db, const char *login, const char *actor, char *err,
                   size_t errlen) {
  return change_account(db, login, "account.unlock", actor, &forget_failures, 1, err, errlen);
}

int account_set_disabled(struct sql_db *db, const char *login, int disabled,
                         const char *actor, char *err, size_t errlen) {
  static const struct account_statement disable[] = {
    {"UPDATE account SET disabled = 1 WHERE id = ?1", NO_VALUE, NULL, NULL, 0},
    {"DELETE FROM session WHERE account_id = ?1", NO_VALUE, NULL, NULL, 0},
  };
  static const struct account_statement enable = {
    "UPDATE account SET disabled = 0 WHERE id = ?1", NO_VALUE, NULL, NULL, 0};
  return disabled ? change_account(db, login, "account.disable", actor, disable, 2, err, errlen)
                  : change_account(db, login, "account.enable", actor, &enable, 1, err, errlen);
}

/* Fill WHO from an account row: id, role, unit_id, login. */
static void principal_from_row(struct sql_stmt *st, struct principal *who) {
  memset(who, 0, sizeof *who);
  who->account_id = sql_column_int64(st, 0);
  who->level = (enum access_level)access_level_parse(sql_column_text(st, 1));
  who->unit_id = sql_column_int64(st, 2);
  snprintf(who->name, sizeof who->name, "account:%s", sql_column_text(st, 3));
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

static long long window_start(void) { return (long long)time(NULL) - login_limits()->window_seconds; }

/* Count a failed log-in of LOGIN from ADDRESS, dropping those older than the window. */
static void record_failure(struct sql_db *db, const char *login, const char *address) {
  struct sql_stmt *st = sql_prepare(db, "DELETE FROM login_failure WHERE at <= ?");
  if (st) sql_bind_int64(st, 1, window_start());
  run_to_end(st);
  /* no login is longer than 64 characters: a longer one is kept cut, not whole */
  st = sql_prepare(db, "INSERT INTO login_failure(login, address, at) "
                       "VALUES(substr(CAST(? AS text), 1, 64), ?, ?)");
  if (st) {
    sql_bind_text(st, 1, login);
    sql_bind_text(st, 2, address);
    sql_bind_int64(st, 3, (long long)time(NULL));
  }
  if (run_to_end(st)) fprintf(stderr, "qingshui: failed log-in not counted: %s\n", sql_errmsg(db));
}

/* Failures of LOGIN within the window: from ADDRESS into *FROM_ADDRESS,
** from every address into *ALL. -1 if the database cannot say. */
static int count_failures(struct sql_db *db, const char *login, const char *address,
                          long long *from_address, long long *all) {
  struct sql_stmt *st = sql_prepare(db,
      "SELECT count(*) FILTER (WHERE address = ?2), count(*) FROM login_failure "
      "WHERE lower(login) = lower(substr(CAST(?1 AS text), 1, 64)) AND at > ?3");
  if (!st) return -1;
  sql_bind_text(st, 1, login);
  sql_bind_text(st, 2, address);
  sql_bind_int64(st, 3, window_start());
  int rc = sql_step(st) == SQL_ROW ? 0 : -1;
  if (!rc) {
    *from_address = sql_column_int64(st, 0);
    *all = sql_column_int64(st, 1);
  }
  sql_reset(st);
  return rc;
}

int session_open(struct sql_db *db, struct principal *who, char token[SESSION_TOKEN_LEN + 1]) {
  unsigned char hash[32];
  char now[TIME_UTC_SIZE], expires[TIME_UTC_SIZE];
  time_t t = time(NULL);
  time_utc_epoch((int64_t)t, now);
  time_utc_epoch((int64_t)t + SESSION_HOURS * 3600, expires);
  /* Expired sessions are of no use to anyone: drop them as new ones open. */
  struct sql_stmt *st = sql_prepare(db, "DELETE FROM session WHERE expires_at <= ?");
  if (st) sql_bind_text(st, 1, now);
  run_to_end(st);
  random_hex(token, SESSION_TOKEN_LEN);
  random_hex(who->csrf, 64);
  token_hash(token, hash);
  st = sql_prepare(db, "INSERT INTO session(token_hash, account_id, csrf_token, created_at, "
                       "expires_at) VALUES(?, ?, ?, ?, ?)");
  if (!st) return -1;
  sql_bind_blob(st, 1, hash, sizeof hash);
  sql_bind_int64(st, 2, who->account_id);
  sql_bind_text(st, 3, who->csrf);
  sql_bind_text(st, 4, now);
  sql_bind_text(st, 5, expires);
  return run_to_end(st);
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy_hash(void) { password_hash("not anybody's password", dummy_hash); }

enum login_result account_authenticate(struct sql_db *db, const char *login, const char *password,
                                       const char *address, struct principal *who) {
  pthread_once(&dummy_once, make_dummy_hash);   /* made by the first log-in, whoever it names */
  struct sql_stmt *st = sql_prepare(db, "SELECT id, role, coalesce(unit_id, 0), login, "
      "password_hash, disabled FROM account WHERE lower(login) = lower(CAST(? AS text))");
  if (!st) return LOGIN_ERROR;
  sql_bind_text(st, 1, login);
  int found = sql_step(st) == SQL_ROW, disabled = 0;
  char hash[crypto_pwhash_STRBYTES] = "";
  if (found) {
    principal_from_row(st, who);
    snprintf(hash, sizeof hash, "%s", sql_column_text(st, 4));
    disabled = (int)sql_column_int64(st, 5);
  }
  sql_reset(st);
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
  st = sql_prepare(db, "DELETE FROM login_failure WHERE lower(login) = lower(CAST(? AS text)) "
                       "AND address = ?");
  if (st) {
    sql_bind_text(st, 1, login);
    sql_bind_text(st, 2, address);
  }
  run_to_end(st);
  return LOGIN_OK;
}

int session_lookup(struct sql_db *db, const char *token, struct principal *who) {
  if (strlen(token) != SESSION_TOKEN_LEN) return -1;
  unsigned char hash[32];
  token_hash(token, hash);
  char now[TIME_UTC_SIZE];
  time_utc_now(now);
  struct sql_stmt *st = sql_prepare(db, "SELECT a.id, a.role, coalesce(a.unit_id, 0), a.login, "
      "s.csrf_token FROM session s JOIN account a ON a.id = s.account_id WHERE s.token_hash = ? "
      "AND s.expires_at > ? AND a.disabled = 0");
  if (!st) return -1;
  sql_bind_blob(st, 1, hash, sizeof hash);
  sql_bind_text(st, 2, now);
  int rc = -1;
  if (sql_step(st) == SQL_ROW) {
    principal_from_row(st, who);
    snprintf(who->csrf, sizeof who->csrf, "%s", sql_column_text(st, 4));
    rc = 0;
  }
  sql_reset(st);
  return rc;
}

void session_end(struct sql_db *db, const char *token) {
  unsigned char hash[32];
  token_hash(token, hash);
  struct sql_stmt *st = sql_prepare(db, "DELETE FROM session WHERE token_hash = ?");
  if (st) sql_bind_blob(st, 1, hash, sizeof hash);
  run_to_end(st);
}

/* An account's columns, with its failed log-ins since ?1 (unix seconds)
** from every address. */
#define ACCOUNT_COLUMNS \
  "a.id, a.login, a.display_name, a.role, a.unit_id, u.name AS unit_name, a.disabled, " \
  "(SELECT count(*) FROM login_failure f WHERE lower(f.login) = lower(a.login) AND f.at > ?1) " \
  "AS failed_logins, a.created_at FROM account a LEFT JOIN unit u ON u.id = a.unit_id"

json_t *account_json(struct sql_db *db, long long account_id) {
  struct sql_stmt *st = sql_prepare(db, "SELECT " ACCOUNT_COLUMNS " WHERE a.id = ?2");
  if (!st) return NULL;
  sql_bind_int64(st, 1, window_start());
  sql_bind_int64(st, 2, account_id);
  json_t *row = sql_row_json(st);
  sql_reset(st);
  return row;
}

json_t *account_list_json(struct sql_db *db) {
  /* logins in the order of their lower-case bytes on both stores, whatever PostgreSQL's locale */
  struct sql_stmt *st = sql_prepare(db, sql_store(db) == SQL_PG
      ? "SELECT " ACCOUNT_COLUMNS " ORDER BY a.role DESC, lower(a.login) COLLATE \"C\""
      : "SELECT " ACCOUNT_COLUMNS " ORDER BY a.role DESC, lower(a.login)");
  if (!st) return json_array();
  sql_bind_int64(st, 1, window_start());
  return sql_rows_json(st);
}

/* ---- per-address rate limit ------------------------------------------- */

void login_actor(const char *login, const char *address, char out[LOGIN_ACTOR_SIZE]) {
  size_t n = strlen(login);
  if (n > 64) {
    n = 64;
    while (n && ((unsigned char)login[n] & 0xC0) == 0x80) n--;   /* not inside a character */
  }
  snprintf(out, LOGIN_ACTOR_SIZE, "%.*s@%s", (int)n, login, address);
}

/* The attempts of ?1 in the last minute, by the store's clock (as the audit log's). */
#define COUNT_ATTEMPTS(minute_ago) \
  "SELECT count(*) FROM audit_log WHERE at > " minute_ago " " \
  "AND action IN ('session.login', 'session.login_failed') " \
  "AND substr(actor, length(actor) - length(CAST(?1 AS text))) = '@' || CAST(?1 AS text)"

int login_rate_allow(struct sql_db *db, const char *address) {
  struct sql_stmt *st = sql_prepare(db, sql_store(db) == SQL_PG
      ? COUNT_ATTEMPTS(SQL_AGO_MS_PG(60)) : COUNT_ATTEMPTS(SQL_AGO_MS_SQLITE(60)));
  if (!st) return -1;
  sql_bind_text(st, 1, address);
  int rc = sql_step(st) == SQL_ROW ? sql_column_int64(st, 0) < LOGIN_RATE_PER_MINUTE : -1;
  sql_reset(st);
  return rc;
}

void account_random_password(char out[ACCOUNT_RANDOM_PASSWORD_SIZE]) {
  unsigned char bytes[12];
  randombytes_buf(bytes, sizeof bytes);
  sodium_bin2base64(out, ACCOUNT_RANDOM_PASSWORD_SIZE, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE);
}
