/*
** PostgreSQL's migrations, in one numbering with SQLite's.
**
** src/db/migrations/NNNN_name.sql is SQLite's migration NNNN (db.c applies
** it, keyed by PRAGMA user_version). PostgreSQL applies, for each NNNN,
** src/db/migrations-pg/NNNN_name.sql (its variant: same number, same name)
** when there is one, else NNNN_name.sql when that file's first line is
** "-- both stores" (the dialects agree). A number with neither is not on
** PostgreSQL yet: it is skipped, and applied by the first program that has
** it. So PostgreSQL records the versions it has in schema_migration rather
** than one number, and a PostgreSQL migration must not need a version that
** may be missing (docs/scale.md lists them).
** Pending PostgreSQL migrations run in one transaction under an advisory
** lock, so that two nodes starting together do not both apply them.
*/
#include "db/sql_private.h"
#include "util/embedded.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "src/db/migrations/"
#define PG_PREFIX "src/db/migrations-pg/"
#define SHARED_MARK "-- both stores"
#define MIGRATION_LOCK "7212013"   /* pg_advisory_xact_lock key: any constant of ours */

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

/* The number of NAME if it is NNNN_name.sql, else -1. */
static int number_of(const char *name) {
  char *end = NULL;
  long v = strtol(name, &end, 10);
  return end == name + 4 && *end == '_' && v > 0 && ends_with(name, ".sql") ? (int)v : -1;
}

/* Whether the migration VERSION has a variant in migrations-pg/. */
static int has_pg_variant(int version) {
  for (size_t i = 0; i < embedded_file_count; i++)
    if (!strncmp(embedded_files[i].name, PG_PREFIX, strlen(PG_PREFIX)) &&
        number_of(embedded_files[i].name + strlen(PG_PREFIX)) == version)
      return 1;
  return 0;
}

/* Version of embedded file F if it is a migration PostgreSQL runs, else -1. */
static int pg_migration_version(const struct embedded_file *f) {
  if (!strncmp(f->name, PG_PREFIX, strlen(PG_PREFIX))) return number_of(f->name + strlen(PG_PREFIX));
  if (strncmp(f->name, PREFIX, strlen(PREFIX))) return -1;
  int v = number_of(f->name + strlen(PREFIX));
  if (v < 0 || has_pg_variant(v)) return -1;
  return !strncmp((const char *)f->data, SHARED_MARK, strlen(SHARED_MARK)) ? v : -1;
}

/* Whether version V is recorded in schema_migration. */
static int applied(struct sql_db *db, int v) {
  struct sql_stmt *st = sql_prepare(db, "SELECT 1 FROM schema_migration WHERE version = ?");
  if (!st) return -1;
  sql_bind_int64(st, 1, v);
  int rc = sql_step(st);
  sql_reset(st);
  return rc == SQL_ROW ? 1 : rc == SQL_DONE ? 0 : -1;
}

static int apply(struct sql_db *db, const struct embedded_file *f, int v) {
  if (sql_exec(db, (const char *)f->data)) return -1;
  struct sql_stmt *st = sql_prepare(db,
      "INSERT INTO schema_migration(version, name, applied_at) VALUES(?, ?, now()::text)");
  if (!st) return -1;
  sql_bind_int64(st, 1, v);
  sql_bind_text(st, 2, f->name + strlen(PREFIX));
  int rc = sql_step(st) == SQL_DONE ? 0 : -1;
  sql_reset(st);
  return rc;
}

static int pg_migrate_tx(struct sql_db *db, void *ctx) {
  (void)ctx;
  if (sql_exec(db, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ");"
                   "CREATE TABLE IF NOT EXISTS schema_migration ("
                   " version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)"))
    return -1;
  int latest = 0;
  for (size_t i = 0; i < embedded_file_count; i++) {
    int v = pg_migration_version(&embedded_files[i]);
    if (v > latest) latest = v;
  }
  for (int v = 1; v <= latest; v++)   /* in version order, whichever folder holds each */
    for (size_t i = 0; i < embedded_file_count; i++) {
      if (pg_migration_version(&embedded_files[i]) != v) continue;
      int done = applied(db, v);
      if (done < 0) return -1;
      if (!done && apply(db, &embedded_files[i], v)) {
        char msg[sizeof db->errmsg];
        snprintf(msg, sizeof msg, "%s", db->errmsg);
        return sql_set_error(db, db->errclass, "migration %s failed: %s",
                             embedded_files[i].name + strlen(PREFIX), msg);
      }
    }
  return 0;
}

int sql_pg_migrate(struct sql_db *db, char *err, size_t errlen) {
  return sql_transaction(db, pg_migrate_tx, NULL, err, errlen);
}
