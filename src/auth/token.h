/*
** API tokens: long random secrets given to administrators and machine
** clients, sent as "Authorization: Bearer <token>". Only a BLAKE2b hash of
** each token is stored, so a copy of the database does not reveal them.
** Bearer tokens are not sent by browsers on their own, so routes that
** accept them are not exposed to cross-site request forgery.
*/
#ifndef QS_AUTH_TOKEN_H
#define QS_AUTH_TOKEN_H
#include <stddef.h>

struct sql_db;

#define TOKEN_TEXT_LEN 64   /* hex characters of a token */

/* Create a token called NAME with the admin role; its text goes to
** TOKEN (TOKEN_TEXT_LEN + 1 bytes). Audited as ACTOR. 0, or -1 with ERR. */
int token_create(struct sql_db *db, const char *name, const char *actor,
                 char token[TOKEN_TEXT_LEN + 1], char *err, size_t errlen);

/* 0 if TOKEN is valid (its name goes to NAME), -1 otherwise. */
int token_check(struct sql_db *db, const char *token, char *name, size_t namelen);

#endif
