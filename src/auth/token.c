/*
** API tokens (token.h).
*/
#include "auth/token.h"
#include "db/db.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void hash_token(const char *token, unsigned char out[32]) {
  crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

int token_create(sqlite3 *db, const char *name, const char *actor,
                 char token[TOKEN_TEXT_LEN + 1], char *err, size_t errlen) {
  unsigned char secret[TOKEN_TEXT_LEN / 2], hash[32];
  randombytes_buf(secret, sizeof secret);
  sodium_bin2hex(token, TOKEN_TEXT_LEN + 1, secret, sizeof secret);
  hash_token(token, hash);
  sqlite3_stmt *st = NULL;
  if (db_begin(db) != SQLITE_OK ||
      !(st = db_prepare(db, "INSERT INTO api_token(name, token_hash, role, created_at) "
                        "VALUES(?, ?, 'admin', strftime('%Y-%m-%dT%H:%M:%SZ','now'))", err, errlen))) {
    if (!st) db_rollback(db);
    else snprintf(err, errlen, "database busy");
    return -1;
  }
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_blob(st, 2, hash, sizeof hash, SQLITE_STATIC);
  int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
  if (rc) snprintf(err, errlen, "token '%s': %s", name, sqlite3_errmsg(db));
  long long id = sqlite3_last_insert_rowid(db);
  sqlite3_finalize(st);
  char after[256];
  snprintf(after, sizeof after, "{\"role\":\"admin\"}");
  if (!rc && db_audit(db, actor, "api_token.create", "api_token", id, NULL, after) != SQLITE_OK) {
    snprintf(err, errlen, "audit log: %s", sqlite3_errmsg(db));
    rc = -1;
  }
  if (!rc && db_commit(db) != SQLITE_OK) rc = -1;
  if (rc) db_rollback(db);
  sodium_memzero(secret, sizeof secret);
  return rc;
}

int token_check(sqlite3 *db, const char *token, char *name, size_t namelen) {
  if (strlen(token) != TOKEN_TEXT_LEN) return -1;
  unsigned char hash[32];
  hash_token(token, hash);
  sqlite3_stmt *st = NULL;
  int rc = -1;
  if (sqlite3_prepare_v2(db, "SELECT name, token_hash FROM api_token WHERE token_hash = ?",
                         -1, &st, NULL) != SQLITE_OK) return -1;
  sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 1) == (int)sizeof hash &&
      sodium_memcmp(sqlite3_column_blob(st, 1), hash, sizeof hash) == 0) {
    snprintf(name, namelen, "%s", (const char *)sqlite3_column_text(st, 0));
    rc = 0;
  }
  sqlite3_finalize(st);
  return rc;
}
