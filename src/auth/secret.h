/*
** Device secrets: the HJ 212 stations' passwords, kept as salted hashes.
**
** A station sends its password in clear in every packet, so the hash
** guards against a copy of the database file, not against the link. The
** receiver checks a password once per connection and then compares with
** what that connection sent before (receiver.c), so the hash is paid on
** connecting, not per packet. Stored form, DEVICE_SECRET_TEXT_LEN
** characters: "b2:" SALT(32 hex) ":" HASH(64 hex), the hash being BLAKE2b-256
** of the password keyed by a random 16-byte salt of the station's own.
*/
#ifndef QS_AUTH_SECRET_H
#define QS_AUTH_SECRET_H
#include <sqlite3.h>
#include <stddef.h>

#define DEVICE_SECRET_SALT 16
#define DEVICE_SECRET_HASH 32
#define DEVICE_SECRET_TEXT_LEN (3 + 2 * DEVICE_SECRET_SALT + 1 + 2 * DEVICE_SECRET_HASH)

/* The stored form of PASSWORD (LEN bytes) with a new random salt into OUT. */
void device_secret_hash(const char *password, size_t len, char out[DEVICE_SECRET_TEXT_LEN + 1]);

/* Split the stored form TEXT into SALT and HASH; 0, or -1 if TEXT is not one. */
int device_secret_parse(const char *text, unsigned char salt[DEVICE_SECRET_SALT],
                        unsigned char hash[DEVICE_SECRET_HASH]);

/* 1 if PASSWORD (LEN bytes) hashes with SALT to HASH (compared in constant time). */
int device_secret_matches(const unsigned char salt[DEVICE_SECRET_SALT],
                          const unsigned char hash[DEVICE_SECRET_HASH], const char *password,
                          size_t len);

/* Give connection DB the SQL function device_secret_hash(password), which
** the migrations and the station registry use. SQLITE_OK or an error. */
int device_secret_sql_register(sqlite3 *db);

#endif
