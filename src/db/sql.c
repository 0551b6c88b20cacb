/*
** The SQL layer's common part (sql.h): opening by target, the statement
** cache, errors, transactions with retry, the audit log. Each call goes
** through the connection's driver table (sql_private.h).
*/
#include "db/sql_private.h"
#include "util/buf.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int sql_is_pg_target(const char *target) {
  return !strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11);
}

struct sql_db *sql_open(const char *target, int mode, char *err, size_t errlen) {
  if (!sql_is_pg_target(target)) return sql_sqlite_open(target, mode, err, errlen);   /* migrated */
  struct sql_db *db = sql_pg_open(target, err, errlen);
  if (db && sql_pg_migrate(db, err, errlen)) {
    sql_close(db);
    return NULL;
  }
  return db;
}

struct sql_db *sql_wrap_sqlite(sqlite3 *handle) { return sql_sqlite_wrap(handle); }

void sql_close(struct sql_db *db) {
  if (!db) return;
  for (int b = 0; b < SQL_CACHE_BUCKETS; b++)
    for (struct sql_stmt *st = db->cache[b], *next; st; st = next) {
      next = st->next;
      db->driver->finalize(st);
      free(st->sql);
      free(st);
    }
  db->driver->close(db);
  free(db);
}

enum sql_store sql_store(const struct sql_db *db) { return db->store; }
int sql_connected(const struct sql_db *db) { return db->store != SQL_PG || sql_pg_connected(db); }
enum sql_errclass sql_errclass(const struct sql_db *db) { return db->errclass; }
const char *sql_errmsg(const struct sql_db *db) { return db->errmsg; }

int sql_set_error(struct sql_db *db, enum sql_errclass cls, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
  va_end(ap);
  db->errclass = cls;
  return -1;
}

void sql_clear_error(struct sql_db *db) {
  db->errclass = SQL_OK;
  db->errmsg[0] = 0;
}

/* FNV-1a of the SQL text. */
static unsigned text_hash(const char *s) {
  unsigned h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

struct sql_stmt *sql_prepare(struct sql_db *db, const char *sql) {
  unsigned h = text_hash(sql);
  struct sql_stmt **bucket = &db->cache[h % SQL_CACHE_BUCKETS];
  for (struct sql_stmt *st = *bucket; st; st = st->next)
    if (st->hash == h && !strcmp(st->sql, sql)) {
      db->driver->clear(st);
      return st;
    }
  struct sql_stmt *st = xcalloc(1, sizeof *st);
  st->db = db;
  st->sql = xstrdup(sql);
  st->hash = h;
  if (db->driver->prepare(st)) {
    free(st->sql);
    free(st);
    return NULL;
  }
  st->next = *bucket;
  *bucket = st;
  return st;
}

void sql_bind_text(struct sql_stmt *st, int i, const char *text) {
  if (text) st->db->driver->bind_text(st, i, text, -1, 1);
  else st->db->driver->bind_null(st, i);
}
void sql_bind_text_static(struct sql_stmt *st, int i, const char *text, int len) {
  if (text) st->db->driver->bind_text(st, i, text, len, 0);
  else st->db->driver->bind_null(st, i);
}
void sql_bind_int64(struct sql_stmt *st, int i, long long v) { st->db->driver->bind_int64(st, i, v); }
void sql_bind_double(struct sql_stmt *st, int i, double v) { st->db->driver->bind_double(st, i, v); }
void sql_bind_blob(struct sql_stmt *st, int i, const void *data, size_t len) {
  st->db->driver->bind_blob(st, i, data, len);
}
void sql_bind_null(struct sql_stmt *st, int i) { st->db->driver->bind_null(st, i); }
int sql_step(struct sql_stmt *st) { return st->db->driver->step(st); }
void sql_reset(struct sql_stmt *st) { st->db->driver->reset(st); }
int sql_column_count(struct sql_stmt *st) { return st->db->driver->column_count(st); }
const char *sql_column_name(struct sql_stmt *st, int i) { return st->db->driver->column_name(st, i); }
enum sql_type sql_column_type(struct sql_stmt *st, int i) { return st->db->driver->column_type(st, i); }
long long sql_column_int64(struct sql_stmt *st, int i) { return st->db->driver->column_int64(st, i); }
double sql_column_double(struct sql_stmt *st, int i) { return st->db->driver->column_double(st, i); }
const char *sql_column_text(struct sql_stmt *st, int i) { return st->db->driver->column_text(st, i); }
const void *sql_column_blob(struct sql_stmt *st, int i, size_t *len) {
  return st->db->driver->column_blob(st, i, len);
}
long long sql_changes(struct sql_db *db) { return db->driver->changes(db); }
int sql_exec(struct sql_db *db, const char *script) { return db->driver->exec(db, script); }
int sql_begin(struct sql_db *db) { return db->driver->begin(db); }
int sql_commit(struct sql_db *db) { return db->driver->commit(db); }
void sql_rollback(struct sql_db *db) { db->driver->rollback(db); }

int sql_schema_version(struct sql_db *db) {
  struct sql_stmt *st = sql_prepare(db, db->store == SQL_PG
      ? "SELECT coalesce(max(version), 0) FROM schema_migration"
      : "PRAGMA user_version");
  int v = st && sql_step(st) == SQL_ROW ? (int)sql_column_int64(st, 0) : -1;
  if (st) sql_reset(st);
  return v;
}

#define TRANSACTION_ATTEMPTS 5

int sql_transaction(struct sql_db *db, int (*fn)(struct sql_db *db, void *ctx), void *ctx,
                    char *err, size_t errlen) {
  for (int attempt = 1;; attempt++) {
    sql_clear_error(db);
    int rc = sql_begin(db);
    if (!rc) rc = fn(db, ctx);
    if (!rc) rc = sql_commit(db);
    if (!rc) return 0;
    sql_rollback(db);
    if (db->errclass != SQL_BUSY || attempt == TRANSACTION_ATTEMPTS) break;
    struct timespec pause = {0, 10000000L * attempt * attempt};   /* 10, 40, 90, 160 ms */
    nanosleep(&pause, NULL);
  }
  snprintf(err, errlen, "%s", db->errmsg[0] ? db->errmsg : "transaction failed");
  return -1;
}

#define INSERT_AUDIT(now) "INSERT INTO audit_log(at, actor, action, entity, entity_id, before, " \
  "after) VALUES(" now ", ?, ?, ?, ?, ?, ?)"

int sql_audit(struct sql_db *db, const char *actor, const char *action, const char *entity,
              long long entity_id, const char *before_json, const char *after_json) {
  struct sql_stmt *st = sql_prepare(db, db->store == SQL_PG ? INSERT_AUDIT(SQL_AGO_MS_PG(0))
                                                            : INSERT_AUDIT(SQL_AGO_MS_SQLITE(0)));
  if (!st) return -1;
  sql_bind_text(st, 1, actor ? actor : "system");
  sql_bind_text(st, 2, action);
  sql_bind_text(st, 3, entity);
  if (entity_id > 0) sql_bind_int64(st, 4, entity_id);
  else sql_bind_null(st, 4);
  sql_bind_text(st, 5, before_json);
  sql_bind_text(st, 6, after_json);
  int rc = sql_step(st) == SQL_DONE ? 0 : -1;
  sql_reset(st);
  return rc;
}
