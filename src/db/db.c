/*
** Connections, migrations, transactions and the audit log (see db.h).
**
** Migrations are the files src/db/migrations/NNNN_name.sql compiled into the
** binary; NNNN is the schema version the file brings the database to. They
** are applied in order, each in one transaction together with the new
** PRAGMA user_version, so a crash leaves the database at a whole version.
** Upgrading an existing database says so on stderr, migration by
** migration with the time each took: one that rewrites a table of tens of
** millions of rows takes minutes, and SQLite cannot say how far it is.
**
** The file holds secrets (password and token hashes, the stations'
** password hashes): it is created 0600, and SQLite gives its -wal and
** -shm files the database file's mode. Creating or initialising tightens a
** file that others may read.
**
** QINGSHUI_SQL_LOG=FILE appends every statement a connection runs to FILE,
** one line each, as prepared (parameters unbound: the plan the server uses
** for any value), so that a test can read the query plans of what a route
** ran (tests/integration/test_query_plans.py). Unset, nothing is traced.
*/
#include "db/db.h"
#include "db/sql.h"
#include "auth/secret.h"
#include "util/clock.h"
#include "util/embedded.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* sqlite3_trace_v2's callback: statement P as one line appended to the
** connection's descriptor CTX (one write, so that lines of connections in
** other threads do not mix); the descriptor is closed with the connection. */
static int log_statement(unsigned mask, void *ctx, void *p, void *x) {
  (void)x;
  if (mask == SQLITE_TRACE_CLOSE) {
    close((int)(intptr_t)ctx);
    return 0;
  }
  const char *sql = sqlite3_sql(p);
  char *line = sql ? sqlite3_mprintf("%s\n", sql) : NULL;
  if (!line) return 0;
  size_t n = strlen(line);
  for (size_t i = 0; i + 1 < n; i++)
    if (line[i] == '\n') line[i] = ' ';
  if (write((int)(intptr_t)ctx, line, n) < 0) { /* a lost line: nothing to do */ }
  sqlite3_free(line);
  return 0;
}

/* The trace of QINGSHUI_SQL_LOG on DB, when it is set. */
static void trace_if_asked(sqlite3 *db) {
  const char *path = getenv("QINGSHUI_SQL_LOG");
  int fd = path && *path ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;
  if (fd >= 0)
    sqlite3_trace_v2(db, SQLITE_TRACE_STMT | SQLITE_TRACE_CLOSE, log_statement, (void *)(intptr_t)fd);
}

#define MIGRATION_PREFIX "src/db/migrations/"

static int make_parent_dir(const char *path, char *err, size_t errlen) {
  char dir[4096];
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path) return 0;
  size_t n = (size_t)(slash - path);
  if (n >= sizeof dir) {
    snprintf(err, errlen, "database path too long: %s", path);
    return -1;
  }
  memcpy(dir, path, n);
  dir[n] = 0;
  for (char *p = dir + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(dir, 0755) && errno != EEXIST) goto fail;
    *p = '/';
  }
  if (mkdir(dir, 0755) && errno != EEXIST) goto fail;
  return 0;
fail:
  snprintf(err, errlen, "cannot create folder %s: %s", dir, strerror(errno));
  return -1;
}

/* Create PATH empty with mode 0600 if missing (an empty file is an empty
** database), or take group and other permissions away from it, and from
** its -wal and -shm if they exist. */
static int make_private(const char *path, char *err, size_t errlen) {
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create database %s: %s", path, strerror(errno));
    return -1;
  }
  close(fd);
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    char name[4200];
    struct stat sb;
    snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
    if (stat(name, &sb) == 0 && (sb.st_mode & 077) && chmod(name, sb.st_mode & 0700)) {
      snprintf(err, errlen, "cannot make %s private: %s", name, strerror(errno));
      return -1;
    }
  }
  return 0;
}

sqlite3 *db_open(const char *path, enum db_open_mode mode, char *err, size_t errlen) {
  sqlite3 *db = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (sql_is_pg_target(path)) {
    snprintf(err, errlen, "this command does not work on PostgreSQL yet (issue 13): give it a "
             "SQLite file; on PostgreSQL so far: units list, units alias, db copy (docs/scale.md)");
    return NULL;
  }
  if (mode == DB_CREATE) {
    if (make_parent_dir(path, err, errlen) || make_private(path, err, errlen)) return NULL;
    flags |= SQLITE_OPEN_CREATE;
  } else if (access(path, F_OK) != 0) {
    snprintf(err, errlen, "database %s does not exist (create it with 'qingshui init')", path);
    return NULL;
  }
  if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot open database %s: %s", path,
             db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close_v2(db);
    return NULL;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  trace_if_asked(db);
  if (device_secret_sql_register(db) != SQLITE_OK) {
    snprintf(err, errlen, "database %s: %s", path, sqlite3_errmsg(db));
    sqlite3_close_v2(db);
    return NULL;
  }
  const char *pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
      "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
  char *msg = NULL;
  if (sqlite3_exec(db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(err, errlen, "database %s: %s", path, msg ? msg : "pragma failed");
    sqlite3_free(msg);
    sqlite3_close_v2(db);
    return NULL;
  }
  if (db_migrate(db, err, errlen) != SQLITE_OK) {
    sqlite3_close_v2(db);
    return NULL;
  }
  return db;
}

int db_schema_version(sqlite3 *db) {
  sqlite3_stmt *st = NULL;
  int v = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Version number of an embedded migration, or -1 if NAME is not one. */
static int migration_version(const char *name) {
  size_t plen = strlen(MIGRATION_PREFIX);
  if (strncmp(name, MIGRATION_PREFIX, plen)) return -1;
  const char *base = name + plen;
  char *end = NULL;
  long v = strtol(base, &end, 10);
  if (end != base + 4 || *end != '_' || v <= 0) return -1;
  return (int)v;
}

static int apply_migration(sqlite3 *db, const struct embedded_file *f, int version,
                           char *err, size_t errlen) {
  char *msg = NULL;
  char pragma[64];
  snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", version);
  if (db_begin(db) != SQLITE_OK ||
      sqlite3_exec(db, (const char *)f->data, NULL, NULL, &msg) != SQLITE_OK ||
      sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK ||
      db_commit(db) != SQLITE_OK) {
    snprintf(err, errlen, "migration %s failed: %s", f->name,
             msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    db_rollback(db);
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

int db_migrate(sqlite3 *db, char *err, size_t errlen) {
  int current = db_schema_version(db);
  if (current < 0) {
    snprintf(err, errlen, "cannot read schema version: %s", sqlite3_errmsg(db));
    return SQLITE_ERROR;
  }
  int latest = 0;
  /* embedded_files is sorted by name, so migrations come in version order. */
  for (size_t i = 0; i < embedded_file_count; i++) {
    int v = migration_version(embedded_files[i].name);
    if (v < 0) continue;
    latest = v;
    if (v <= current) continue;
    const char *name = embedded_files[i].name + strlen(MIGRATION_PREFIX);
    double started = clock_seconds();
    if (current > 0)   /* an existing database, not one being created */
      fprintf(stderr, "qingshui: upgrading the database to schema version %d (%s)...\n", v, name);
    if (apply_migration(db, &embedded_files[i], v, err, errlen) != SQLITE_OK)
      return SQLITE_ERROR;
    if (current > 0)
      fprintf(stderr, "qingshui: schema version %d in %.1f s\n", v, clock_seconds() - started);
  }
  if (current > latest) {
    snprintf(err, errlen, "database schema version %d is newer than this program (%d)",
             current, latest);
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

int db_begin(sqlite3 *db) { return sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL); }
int db_commit(sqlite3 *db) { return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL); }

void db_rollback(sqlite3 *db) {
  if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql, char *err, size_t errlen) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "SQL error: %s", sqlite3_errmsg(db));
    return NULL;
  }
  return st;
}

int db_audit(sqlite3 *db, const char *actor, const char *action,
             const char *entity, long long entity_id,
             const char *before_json, const char *after_json) {
  struct sql_db *conn = sql_wrap_sqlite(db);
  int rc = sql_audit(conn, actor, action, entity, entity_id, before_json, after_json);
  sql_close(conn);
  int code = sqlite3_errcode(db);
  return !rc ? SQLITE_OK : code == SQLITE_OK || code >= SQLITE_ROW ? SQLITE_ERROR : code;
}

sqlite3_stmt *db_vprepare_bind(sqlite3 *db, char *err, size_t errlen, const char *sql,
                               const char *types, va_list ap) {
  sqlite3_stmt *st = db_prepare(db, sql, err, errlen);
  if (!st) return NULL;
  for (int i = 1; types && *types; types++, i++) {
    const char *text;
    switch (*types) {
    case 's':
      text = va_arg(ap, const char *);
      if (text) sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
      else sqlite3_bind_null(st, i);
      break;
    case 'i': sqlite3_bind_int64(st, i, va_arg(ap, long long)); break;
    case 'd': sqlite3_bind_double(st, i, va_arg(ap, double)); break;
    case 'I': {
      const long long *v = va_arg(ap, const long long *);
      if (v) sqlite3_bind_int64(st, i, *v); else sqlite3_bind_null(st, i);
      break;
    }
    case 'D': {
      const double *v = va_arg(ap, const double *);
      if (v) sqlite3_bind_double(st, i, *v); else sqlite3_bind_null(st, i);
      break;
    }
    default: sqlite3_bind_null(st, i); break;
    }
  }
  return st;
}

sqlite3_stmt *db_prepare_bind(sqlite3 *db, char *err, size_t errlen, const char *sql,
                              const char *types, ...) {
  va_list ap;
  va_start(ap, types);
  sqlite3_stmt *st = db_vprepare_bind(db, err, errlen, sql, types, ap);
  va_end(ap);
  return st;
}

int db_exec_bind(sqlite3 *db, char *err, size_t errlen, const char *sql, const char *types, ...) {
  va_list ap;
  va_start(ap, types);
  sqlite3_stmt *st = db_vprepare_bind(db, err, errlen, sql, types, ap);
  va_end(ap);
  if (!st) return -1;
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    return -1;
  }
  return sqlite3_changes(db);
}
