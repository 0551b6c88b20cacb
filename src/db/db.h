/*
** The database: opening a connection with the project's pragmas, applying
** the numbered migrations, transactions, and the audit log.
**
** Every connection gets WAL, synchronous=NORMAL, foreign keys and a busy
** timeout. A connection belongs to one thread. Writes use BEGIN IMMEDIATE so
** that a writer waits for the lock up front instead of failing half-way.
*/
#ifndef QS_DB_H
#define QS_DB_H
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>

enum db_open_mode {
  DB_EXISTING = 0,   /* refuse to create a missing database */
  DB_CREATE = 1,     /* create the file (and its folder) if missing */
};

/* Open PATH, set the pragmas and apply pending migrations. Returns NULL
** with a message in ERR on failure. Close with sqlite3_close_v2(). */
sqlite3 *db_open(const char *path, enum db_open_mode mode, char *err, size_t errlen);

/* Apply every embedded migration newer than PRAGMA user_version, each in
** its own transaction. Returns SQLITE_OK or an error described in ERR. */
int db_migrate(sqlite3 *db, char *err, size_t errlen);

/* The schema version (PRAGMA user_version). */
int db_schema_version(sqlite3 *db);

int db_begin(sqlite3 *db);      /* BEGIN IMMEDIATE */
int db_commit(sqlite3 *db);
void db_rollback(sqlite3 *db);  /* never fails loudly: used on error paths */

/* Prepare SQL or return NULL after writing sqlite's message to ERR. */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql, char *err, size_t errlen);

/* Prepare SQL and bind the arguments described by TYPES, one character
** each: 's' text (NULL binds NULL), 'i' long long, 'd' double, 'I' and 'D'
** a pointer to a long long or a double (NULL binds NULL), 'n' NULL (no
** argument). Returns NULL with ERR set on failure. */
sqlite3_stmt *db_prepare_bind(sqlite3 *db, char *err, size_t errlen, const char *sql,
                              const char *types, ...);
sqlite3_stmt *db_vprepare_bind(sqlite3 *db, char *err, size_t errlen, const char *sql,
                               const char *types, va_list ap);

/* Run a statement that returns no rows, with arguments as db_prepare_bind.
** Returns the number of rows changed, or -1 with ERR set. */
int db_exec_bind(sqlite3 *db, char *err, size_t errlen, const char *sql, const char *types, ...);

/* Append one line to the audit log: who did what to which entity, with the
** state before and after as JSON text (either may be NULL). Call inside the
** transaction that makes the change, so both commit or neither. */
int db_audit(sqlite3 *db, const char *actor, const char *action,
             const char *entity, long long entity_id,
             const char *before_json, const char *after_json);

#endif
