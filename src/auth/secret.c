/*
** Device secrets (secret.h).
**
** Why BLAKE2b and not argon2id: the receiver's loop thread checks
** passwords, one per connection, and a station that is refused resends.
** Measured on the 2-core build machine (12-character password): BLAKE2b
** 0.35 us a check, argon2id at libsodium's minimum limits 18.5 us and
** 8 KiB. Either copes with 1,000 stations reconnecting (0.35 ms or
** 19 ms of the loop), but wrong passwords cost a check each: 50,000 of
** them a second (the rate the loop serves) take 2% of the loop with
** BLAKE2b and 93% with argon2id. What a slow hash would add, against an attacker
** with the database file, is time on weak passwords; HJ 212 passwords are
** device keys the office chooses, so the README asks for random ones of
** 12 characters or more.
*/
#include "auth/secret.h"
#include <sodium.h>
#include <string.h>

static void keyed_hash(const unsigned char salt[DEVICE_SECRET_SALT], const char *password,
                       size_t len, unsigned char out[DEVICE_SECRET_HASH]) {
  crypto_generichash(out, DEVICE_SECRET_HASH, (const unsigned char *)password, len, salt,
                     DEVICE_SECRET_SALT);
}

void device_secret_hash(const char *password, size_t len, char out[DEVICE_SECRET_TEXT_LEN + 1]) {
  unsigned char salt[DEVICE_SECRET_SALT], hash[DEVICE_SECRET_HASH];
  randombytes_buf(salt, sizeof salt);
  keyed_hash(salt, password, len, hash);
  memcpy(out, "b2:", 3);
  sodium_bin2hex(out + 3, 2 * sizeof salt + 1, salt, sizeof salt);
  out[3 + 2 * sizeof salt] = ':';
  sodium_bin2hex(out + 4 + 2 * sizeof salt, 2 * sizeof hash + 1, hash, sizeof hash);
}

int device_secret_parse(const char *text, unsigned char salt[DEVICE_SECRET_SALT],
                        unsigned char hash[DEVICE_SECRET_HASH]) {
  size_t n;
  if (!text || strlen(text) != DEVICE_SECRET_TEXT_LEN || strncmp(text, "b2:", 3) ||
      text[3 + 2 * DEVICE_SECRET_SALT] != ':')
    return -1;
  if (sodium_hex2bin(salt, DEVICE_SECRET_SALT, text + 3, 2 * DEVICE_SECRET_SALT, NULL, &n, NULL) ||
      n != DEVICE_SECRET_SALT)
    return -1;
  if (sodium_hex2bin(hash, DEVICE_SECRET_HASH, text + 4 + 2 * DEVICE_SECRET_SALT,
                     2 * DEVICE_SECRET_HASH, NULL, &n, NULL) || n != DEVICE_SECRET_HASH)
    return -1;
  return 0;
}

int device_secret_matches(const unsigned char salt[DEVICE_SECRET_SALT],
                          const unsigned char hash[DEVICE_SECRET_HASH], const char *password,
                          size_t len) {
  unsigned char got[DEVICE_SECRET_HASH];
  keyed_hash(salt, password, len, got);
  return sodium_memcmp(got, hash, DEVICE_SECRET_HASH) == 0;
}

static void sql_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) { sqlite3_result_null(ctx); return; }
  const char *password = (const char *)sqlite3_value_text(argv[0]);
  char out[DEVICE_SECRET_TEXT_LEN + 1];
  device_secret_hash(password, (size_t)sqlite3_value_bytes(argv[0]), out);
  sqlite3_result_text(ctx, out, DEVICE_SECRET_TEXT_LEN, SQLITE_TRANSIENT);
}

int device_secret_sql_register(sqlite3 *db) {
  /* not SQLITE_DETERMINISTIC: every call draws a new salt */
  return sqlite3_create_function(db, "device_secret_hash", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                 NULL, sql_hash, NULL, NULL);
}
