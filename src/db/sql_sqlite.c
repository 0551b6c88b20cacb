/*
** The SQLite driver of the SQL layer: thin calls to sqlite3_*, so that
** the embedded store costs what it cost before the layer (bench/bench_sql.c
** measures it). Connections are opened by db_open(), with its pragmas and
** migrations.
*/
#include "db/db.h"
#include "db/sql_private.h"
#include "util/buf.h"
#include <stdlib.h>

#define HANDLE(db) ((sqlite3 *)(db)->impl)
#define STMT(st) ((sqlite3_stmt *)(st)->impl)

static enum sql_errclass class_of(int extended) {
  switch (extended) {
  case SQLITE_CONSTRAINT_UNIQUE:
  case SQLITE_CONSTRAINT_PRIMARYKEY: return SQL_UNIQUE;
  case SQLITE_CONSTRAINT_FOREIGNKEY: return SQL_FOREIGN_KEY;
  default: break;
  }
  switch (extended & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return SQL_BUSY;
  case SQLITE_CONSTRAINT: return SQL_CONSTRAINT;
  default: return SQL_ERROR;
  }
}

static int fail(struct sql_db *db) {
  return sql_set_error(db, class_of(sqlite3_extended_errcode(HANDLE(db))), "%s",
                       sqlite3_errmsg(HANDLE(db)));
}

static int s_prepare(struct sql_stmt *st) {
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v3(HANDLE(st->db), st->sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
      SQLITE_OK)
    return fail(st->db);
  st->impl = s;
  return 0;
}

static void s_finalize(struct sql_stmt *st) { sqlite3_finalize(STMT(st)); }
static void s_bind_text(struct sql_stmt *st, int i, const char *t, int len, int copy) {
  sqlite3_bind_text(STMT(st), i, t, len, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}
static void s_bind_int64(struct sql_stmt *st, int i, long long v) { sqlite3_bind_int64(STMT(st), i, v); }
static void s_bind_double(struct sql_stmt *st, int i, double v) { sqlite3_bind_double(STMT(st), i, v); }
static void s_bind_blob(struct sql_stmt *st, int i, const void *d, size_t n) {
  sqlite3_bind_blob64(STMT(st), i, d, n, SQLITE_TRANSIENT);
}
static void s_bind_null(struct sql_stmt *st, int i) { sqlite3_bind_null(STMT(st), i); }

static int s_step(struct sql_stmt *st) {
  int rc = sqlite3_step(STMT(st));
  if (rc == SQLITE_ROW) return SQL_ROW;
  if (rc == SQLITE_DONE) return SQL_DONE;
  fail(st->db);
  return SQL_FAILED;
}

static void s_reset(struct sql_stmt *st) { sqlite3_reset(STMT(st)); }
static void s_clear(struct sql_stmt *st) {
  sqlite3_reset(STMT(st));
  sqlite3_clear_bindings(STMT(st));
}

static int s_column_count(struct sql_stmt *st) { return sqlite3_column_count(STMT(st)); }
static const char *s_column_name(struct sql_stmt *st, int i) { return sqlite3_column_name(STMT(st), i); }
static enum sql_type s_column_type(struct sql_stmt *st, int i) {
  switch (sqlite3_column_type(STMT(st), i)) {
  case SQLITE_INTEGER: return SQL_INTEGER;
  case SQLITE_FLOAT: return SQL_FLOAT;
  case SQLITE_BLOB: return SQL_BLOB;
  case SQLITE_NULL: return SQL_NULL;
  default: return SQL_TEXT;
  }
}
static long long s_column_int64(struct sql_stmt *st, int i) { return sqlite3_column_int64(STMT(st), i); }
static double s_column_double(struct sql_stmt *st, int i) { return sqlite3_column_double(STMT(st), i); }
static const char *s_column_text(struct sql_stmt *st, int i) {
  return (const char *)sqlite3_column_text(STMT(st), i);
}
static const void *s_column_blob(struct sql_stmt *st, int i, size_t *len) {
  const void *p = sqlite3_column_blob(STMT(st), i);
  *len = (size_t)sqlite3_column_bytes(STMT(st), i);
  return p;
}
static long long s_changes(struct sql_db *db) { return sqlite3_changes64(HANDLE(db)); }

static int s_exec(struct sql_db *db, const char *script) {
  char *msg = NULL;
  if (sqlite3_exec(HANDLE(db), script, NULL, NULL, &msg) == SQLITE_OK) return 0;
  sql_set_error(db, class_of(sqlite3_extended_errcode(HANDLE(db))), "%s",
                msg ? msg : sqlite3_errmsg(HANDLE(db)));
  sqlite3_free(msg);
  return -1;
}

static int s_begin(struct sql_db *db) { return s_exec(db, "BEGIN IMMEDIATE"); }
static int s_commit(struct sql_db *db) { return s_exec(db, "COMMIT"); }
static void s_rollback(struct sql_db *db) { db_rollback(HANDLE(db)); }
static void s_close(struct sql_db *db) {
  if (db->owned) sqlite3_close_v2(HANDLE(db));
}

static const struct sql_driver sqlite_driver = {
  s_prepare, s_finalize, s_bind_text, s_bind_int64, s_bind_double, s_bind_blob, s_bind_null,
  s_step, s_reset, s_clear, s_column_count, s_column_name, s_column_type, s_column_int64,
  s_column_double, s_column_text, s_column_blob, s_changes, s_exec, s_begin, s_commit,
  s_rollback, s_close,
};

struct sql_db *sql_sqlite_wrap(sqlite3 *handle) {
  struct sql_db *db = xcalloc(1, sizeof *db);
  db->driver = &sqlite_driver;
  db->store = SQL_SQLITE;
  db->impl = handle;
  return db;
}

struct sql_db *sql_sqlite_open(const char *path, int mode, char *err, size_t errlen) {
  sqlite3 *handle = db_open(path, (enum db_open_mode)mode, err, errlen);
  if (!handle) return NULL;
  struct sql_db *db = sql_sqlite_wrap(handle);
  db->owned = 1;
  return db;
}
