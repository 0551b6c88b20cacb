/*
** One SQL layer over the two stores: SQLite (a file path, the embedded
** default) and PostgreSQL (a postgresql:// URI, through libpq). Modelled on
** Dovecot's lib-sql: callers write their SQL once, with `?` or `?N`
** placeholders; the PostgreSQL driver turns them into `$N`. Where a query
** must differ, the caller asks sql_store() and keeps both variants side by
** side. docs/scale.md says why this layer and not libzdb or libdbi.
**
** A connection belongs to one thread. Statements are prepared once per
** connection and kept in its cache, keyed by the SQL text: sql_prepare()
** of the same text returns the same statement, reset. A statement is the
** connection's: never finalize it, and use it before preparing the same
** text again.
**
** Errors carry a class the caller can act on (sql_errclass): SQL_BUSY is
** SQLite's busy or locked and PostgreSQL's serialisation failure or
** deadlock, which sql_transaction() retries; the constraint classes are
** refusals to report. The message (sql_errmsg) is the driver's.
*/
#ifndef QS_DB_SQL_H
#define QS_DB_SQL_H
#include <sqlite3.h>
#include <stddef.h>

struct sql_db;
struct sql_stmt;

enum sql_store { SQL_SQLITE, SQL_PG };

enum sql_errclass {
  SQL_OK = 0,
  SQL_BUSY,            /* retry the transaction */
  SQL_UNIQUE,          /* unique or primary key violation */
  SQL_FOREIGN_KEY,     /* foreign key violation */
  SQL_CONSTRAINT,      /* another constraint: check, not null */
  SQL_ERROR,           /* anything else: syntax, connection, I/O */
};

/* sql_step's answers: a row is ready, or the statement is done; an error
** is SQL_FAILED with the class and message on the connection. */
enum { SQL_ROW = 1, SQL_DONE = 0, SQL_FAILED = -1 };

/* The values a column holds. */
enum sql_type { SQL_INTEGER = 1, SQL_FLOAT, SQL_TEXT, SQL_BLOB, SQL_NULL };

/* True when TARGET names a PostgreSQL database (postgresql:// or postgres://). */
int sql_is_pg_target(const char *target);

/* Open TARGET: a postgresql:// URI, or a SQLite file opened as db_open()
** does with MODE (0 existing, 1 create: enum db_open_mode). Applies the
** store's pending migrations. NULL with the reason in ERR. */
struct sql_db *sql_open(const char *target, int mode, char *err, size_t errlen);

/* A connection over an open SQLite handle that the caller keeps owning
** (for code not yet moved to this layer). sql_close() leaves DB open. */
struct sql_db *sql_wrap_sqlite(sqlite3 *db);

void sql_close(struct sql_db *db);   /* NULL is fine */
enum sql_store sql_store(const struct sql_db *db);

/* Whether DB's connection still works: PostgreSQL's is lost when the server
** restarts or fails over (libpq says so after the statement that met it);
** SQLite's always does. A lost one is closed and opened again. */
int sql_connected(const struct sql_db *db);

/* The last error's class and message on DB. */
enum sql_errclass sql_errclass(const struct sql_db *db);
const char *sql_errmsg(const struct sql_db *db);

/* The cached statement for SQL, reset with no bindings; NULL on error. */
struct sql_stmt *sql_prepare(struct sql_db *db, const char *sql);

/* Bind parameter I (from 1). Text and blobs are copied. */
void sql_bind_text(struct sql_stmt *st, int i, const char *text);   /* NULL binds NULL */
/* Bind LEN bytes of TEXT (-1: up to its NUL) without a copy on SQLite:
** TEXT must stay as it is until the statement is stepped for the last time
** with it (as the HJ 212 writer binds its records: no copy per row). */
void sql_bind_text_static(struct sql_stmt *st, int i, const char *text, int len);
void sql_bind_int64(struct sql_stmt *st, int i, long long v);
void sql_bind_double(struct sql_stmt *st, int i, double v);
void sql_bind_blob(struct sql_stmt *st, int i, const void *data, size_t len);
void sql_bind_null(struct sql_stmt *st, int i);

/* The next row: SQL_ROW, SQL_DONE or SQL_FAILED. The first call runs it. */
int sql_step(struct sql_stmt *st);

/* Forget the result, so that the statement can run again; the bindings
** stay, as with sqlite3_reset (sql_prepare clears them). */
void sql_reset(struct sql_stmt *st);

int sql_column_count(struct sql_stmt *st);
const char *sql_column_name(struct sql_stmt *st, int i);
enum sql_type sql_column_type(struct sql_stmt *st, int i);
long long sql_column_int64(struct sql_stmt *st, int i);
double sql_column_double(struct sql_stmt *st, int i);
/* Text of column I, NULL for NULL; valid until the next step or reset. */
const char *sql_column_text(struct sql_stmt *st, int i);
/* Bytes of a blob column; *LEN gets their count. Valid as sql_column_text. */
const void *sql_column_blob(struct sql_stmt *st, int i, size_t *len);

/* Rows changed by the last INSERT, UPDATE or DELETE stepped to its end. */
long long sql_changes(struct sql_db *db);

/* Run a script of statements without parameters (migrations, DDL). */
int sql_exec(struct sql_db *db, const char *script);

/* Transactions: SQLite's BEGIN IMMEDIATE, PostgreSQL's BEGIN. Return 0 or -1. */
int sql_begin(struct sql_db *db);
int sql_commit(struct sql_db *db);
void sql_rollback(struct sql_db *db);   /* quiet: used on error paths */

/* Run FN(DB, CTX) in one transaction and commit it. When FN or the commit
** fails with SQL_BUSY, roll back and run it again, up to 5 times, with a
** short pause that grows. FN returns 0, or -1 leaving the error on DB.
** Returns 0, or -1 with DB's error (or FN's) copied into ERR. */
int sql_transaction(struct sql_db *db, int (*fn)(struct sql_db *db, void *ctx), void *ctx,
                    char *err, size_t errlen);

/* The store's clock now as the text times are kept in (2026-12-04T03:25:39Z),
** for SQL that writes a time: each store's variant, side by side. SQLite's
** is the VFS's clock, which the demo sets (src/demo/clock.h). */
#define SQL_NOW_SQLITE "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
#define SQL_NOW_PG "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* The same with milliseconds (2026-12-04T03:25:39.123Z), as the audit log's
** times are, SECONDS (a literal number) ago: the store's clock decides,
** whichever node asks. */
#define SQL_AGO_MS_SQLITE(seconds) "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-" #seconds " seconds')"
#define SQL_AGO_MS_PG(seconds) \
  "to_char(now() AT TIME ZONE 'UTC' - interval '" #seconds " seconds', " \
  "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* The schema's version: SQLite's PRAGMA user_version; on PostgreSQL the
** highest migration applied (sql_migrate.c: some may be missing below it).
** -1 if the store cannot say. */
int sql_schema_version(struct sql_db *db);

/* Append one line to the audit log, in the caller's transaction (see
** db_audit, which is this over an SQLite handle), at the store's time
** (SQL_AGO_MS_*(0)). Returns 0 or -1. */
int sql_audit(struct sql_db *db, const char *actor, const char *action, const char *entity,
              long long entity_id, const char *before_json, const char *after_json);

#endif
