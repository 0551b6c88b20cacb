/*
** The unit list and the alias table (store.h) over the SQL layer: the
** first capability that runs on SQLite and PostgreSQL alike. Each change
** and its audit line commit together, retried when the store says busy.
*/
#include "db/rows.h"
#include "db/sql.h"
#include "plan/store.h"
#include "plan/unit_sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rows of ST, or an empty array after saying why there are none. */
static json_t *all_rows(struct sql_db *db, struct sql_stmt *st) {
  if (!st) {
    fprintf(stderr, "qingshui: %s\n", sql_errmsg(db));
    return json_array();
  }
  return sql_rows_json(st);
}

/* The filter and order of the unit list; names sort by their bytes on
** both stores, whatever PostgreSQL's locale. */
#define UNITS_MATCHING(position, collate) \
  " FROM unit u WHERE CAST(?1 AS text) IS NULL OR EXISTS (SELECT 1 FROM unit_any_name n " \
  "WHERE n.unit_id IN " UNIT_FAMILY " AND " position " > 0) " \
  "ORDER BY leads DESC, supports DESC, u.name" collate

json_t *plan_query_units(struct sql_db *db, const char *q) {
  struct sql_stmt *st = sql_prepare(db, sql_store(db) == SQL_PG
      ? "SELECT u.id, u.name, u.name_en, u.kind, " UNIT_COUNTS ", " UNIT_HISTORY_PG
        UNITS_MATCHING("strpos(n.name, ?1)", " COLLATE \"C\"")
      : "SELECT u.id, u.name, u.name_en, u.kind, " UNIT_COUNTS ", " UNIT_HISTORY_SQLITE
        UNITS_MATCHING("instr(n.name, ?1)", ""));
  if (st) sql_bind_text(st, 1, q && *q ? q : NULL);
  return all_rows(db, st);
}

long long plan_find_unit_in(struct sql_db *db, const char *id_or_name) {
  struct sql_stmt *st = sql_prepare(db,
      "WITH named(uid, pref) AS (SELECT id, 0 FROM unit WHERE CAST(id AS text) = CAST(?1 AS text) "
      "  UNION ALL SELECT id, 1 FROM unit WHERE name = ?1 "
      "  UNION ALL SELECT unit_id, 2 FROM unit_any_name WHERE name = ?1), "
      "best(uid) AS (SELECT uid FROM named ORDER BY pref LIMIT 1) "
      "SELECT current_id FROM unit_current WHERE unit_id = (SELECT uid FROM best)");
  if (!st) return 0;
  sql_bind_text(st, 1, id_or_name);
  long long id = 0;
  if (sql_step(st) == SQL_ROW) id = sql_column_int64(st, 0);
  if (sql_step(st) == SQL_ROW) id = 0;   /* a split left several */
  sql_reset(st);
  return id;
}

json_t *plan_query_aliases(struct sql_db *db) {
  return all_rows(db, sql_prepare(db, "SELECT alias, unit_name AS unit FROM unit_alias "
                                      "ORDER BY unit_name, alias"));
}

/* The alias row as JSON text for the audit log (malloc'd), or NULL if none. */
static char *alias_json(struct sql_db *db, const char *alias) {
  struct sql_stmt *st =
      sql_prepare(db, "SELECT alias, unit_name AS unit FROM unit_alias WHERE alias = ?");
  if (!st) return NULL;
  sql_bind_text(st, 1, alias);
  json_t *row = sql_row_json(st);
  sql_reset(st);
  char *text = row ? json_dumps(row, JSON_COMPACT) : NULL;
  json_decref(row);
  return text;
}

/* One change of the alias table: SQL binding ALIAS and UNIT (or NULL). */
struct alias_change {
  const char *sql, *alias, *unit, *action, *actor;
  int changed;
};

static int alias_change_tx(struct sql_db *db, void *ctx) {
  struct alias_change *c = ctx;
  char *before = alias_json(db, c->alias);
  struct sql_stmt *st = sql_prepare(db, c->sql);
  int rc = st ? 0 : -1;
  if (st) {
    sql_bind_text(st, 1, c->alias);
    if (c->unit) sql_bind_text(st, 2, c->unit);
    rc = sql_step(st) == SQL_DONE ? 0 : -1;
    sql_reset(st);
  }
  c->changed = !rc && sql_changes(db) > 0;
  char *after = c->changed ? alias_json(db, c->alias) : NULL;
  if (c->changed && sql_audit(db, c->actor, c->action, "unit_alias", 0, before, after)) rc = -1;
  free(before);
  free(after);
  return rc;
}

int plan_put_alias(struct sql_db *db, const char *alias, const char *unit, const char *actor,
                   char *err, size_t errlen) {
  if (!*alias || !*unit || !strcmp(alias, unit)) {
    snprintf(err, errlen, "an alias and its unit must be two different, non-empty names");
    return -1;
  }
  struct alias_change c = {
    "INSERT INTO unit_alias(alias, unit_name) VALUES(?1, ?2) "
    "ON CONFLICT(alias) DO UPDATE SET unit_name = excluded.unit_name",
    alias, unit, "unit_alias.put", actor, 0};
  return sql_transaction(db, alias_change_tx, &c, err, errlen);
}

int plan_delete_alias(struct sql_db *db, const char *alias, const char *actor, int *found,
                      char *err, size_t errlen) {
  struct alias_change c = {"DELETE FROM unit_alias WHERE alias = ?1", alias, NULL,
                           "unit_alias.delete", actor, 0};
  int rc = sql_transaction(db, alias_change_tx, &c, err, errlen);
  *found = c.changed;
  return rc;
}
