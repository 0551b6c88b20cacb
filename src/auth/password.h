/*
** Password hashing with argon2id (libsodium's crypto_pwhash_str).
**
** The cost is a knob: QINGSHUI_PWHASH=interactive (default, ~140 ms and
** 64 MiB per call on a 2-core machine), moderate, or min (tests only).
** At most two hashes run at once, so that a burst of logins cannot take
** all the memory of the machine.
*/
#ifndef QS_AUTH_PASSWORD_H
#define QS_AUTH_PASSWORD_H
#include <sodium.h>

#define PASSWORD_MIN_LENGTH 8
#define PASSWORD_MAX_LENGTH 256

/* Hash PASSWORD into OUT (crypto_pwhash_STRBYTES). 0, or -1 on failure. */
int password_hash(const char *password, char out[crypto_pwhash_STRBYTES]);

/* 0 if PASSWORD matches HASH. */
int password_verify(const char *hash, const char *password);

/* NULL if PASSWORD is acceptable, else why not. */
const char *password_weakness(const char *password);

#endif
