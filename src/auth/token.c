/*
** API tokens (token.h), on either store (db/sql.h).
*/
#include "auth/token.h"
#include "db/sql.h"
#include "util/time.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void hash_token(const char *token, unsigned char out[32]) {
  crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

struct new_token {
  const char *name, *actor;
  const unsigned char *hash;
};

static int create_tx(struct sql_db *db, void *ctx) {
  struct new_token *t = ctx;
  char now[TIME_UTC_SIZE];
  time_utc_now(now);
  struct sql_stmt *st = sql_prepare(db, "INSERT INTO api_token(name, token_hash, role, created_at) "
                                        "VALUES(?, ?, 'admin', ?) RETURNING id");
  if (!st) return -1;
  sql_bind_text(st, 1, t->name);
  sql_bind_blob(st, 2, t->hash, 32);
  sql_bind_text(st, 3, now);
  long long id = sql_step(st) == SQL_ROW ? sql_column_int64(st, 0) : 0;
  sql_reset(st);
  if (!id) return -1;
  return sql_audit(db, t->actor, "api_token.create", "api_token", id, NULL, "{\"role\":\"admin\"}");
}

int token_create(struct sql_db *db, const char *name, const char *actor,
                 char token[TOKEN_TEXT_LEN + 1], char *err, size_t errlen) {
  unsigned char secret[TOKEN_TEXT_LEN / 2], hash[32];
  randombytes_buf(secret, sizeof secret);
  sodium_bin2hex(token, TOKEN_TEXT_LEN + 1, secret, sizeof secret);
  sodium_memzero(secret, sizeof secret);
  hash_token(token, hash);
  struct new_token t = {name, actor, hash};
  char why[200];
  if (!sql_transaction(db, create_tx, &t, why, sizeof why)) return 0;
  snprintf(err, errlen, "token '%s': %s", name, why);
  return -1;
}

int token_check(struct sql_db *db, const char *token, char *name, size_t namelen) {
  if (strlen(token) != TOKEN_TEXT_LEN) return -1;
  unsigned char hash[32];
  hash_token(token, hash);
  struct sql_stmt *st = sql_prepare(db, "SELECT name, token_hash FROM api_token WHERE token_hash = ?");
  if (!st) return -1;
  sql_bind_blob(st, 1, hash, sizeof hash);
  int rc = -1;
  size_t len = 0;
  const void *stored = sql_step(st) == SQL_ROW ? sql_column_blob(st, 1, &len) : NULL;
  if (stored && len == sizeof hash && sodium_memcmp(stored, hash, sizeof hash) == 0) {
    snprintf(name, namelen, "%s", sql_column_text(st, 0));
    rc = 0;
  }
  sql_reset(st);
  return rc;
}
