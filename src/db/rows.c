/*
** Rows to JSON (rows.h), from an sqlite3 statement or from the SQL layer.
*/
#include "db/rows.h"
#include "db/db.h"
#include "db/sql.h"
#include <stdio.h>
#include <string.h>

static json_t *column_value(sqlite3_stmt *st, int i) {
  switch (sqlite3_column_type(st, i)) {
  case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, i));
  case SQLITE_FLOAT: return json_real(sqlite3_column_double(st, i));
  case SQLITE_NULL: return json_null();
  default: return json_stringn((const char *)sqlite3_column_text(st, i),
                               (size_t)sqlite3_column_bytes(st, i));
  }
}

/* Whether column NAME holds JSON text ("…_json"). */
static int is_json_column(const char *name) {
  size_t len = strlen(name);
  return len > 5 && !strcmp(name + len - 5, "_json");
}

/* Set ROW's key NAME without "_json" to the JSON value TEXT (NULL: null). */
static void set_json_column(json_t *row, const char *name, const char *text) {
  json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
  char key[128];
  snprintf(key, sizeof key, "%.*s", (int)(strlen(name) - 5), name);
  json_object_set_new(row, key, v ? v : json_null());
}

static json_t *row_object(sqlite3_stmt *st) {
  json_t *row = json_object();
  int n = sqlite3_column_count(st);
  for (int i = 0; i < n; i++) {
    const char *name = sqlite3_column_name(st, i);
    if (is_json_column(name))
      set_json_column(row, name, (const char *)sqlite3_column_text(st, i));
    else
      json_object_set_new(row, name, column_value(st, i));
  }
  return row;
}

json_t *db_row_json(sqlite3_stmt *st) {
  if (sqlite3_step(st) != SQLITE_ROW) return NULL;
  return row_object(st);
}

json_t *db_rows_json(sqlite3_stmt *st) {
  json_t *rows = json_array();
  while (sqlite3_step(st) == SQLITE_ROW) json_array_append_new(rows, row_object(st));
  sqlite3_reset(st);
  return rows;
}

json_t *db_query_rows(sqlite3 *db, const char *sql, const char *types, ...) {
  char err[256];
  va_list ap;
  va_start(ap, types);
  sqlite3_stmt *st = db_vprepare_bind(db, err, sizeof err, sql, types, ap);
  va_end(ap);
  if (!st) { fprintf(stderr, "qingshui: %s\n", err); return json_array(); }
  json_t *rows = db_rows_json(st);
  sqlite3_finalize(st);
  return rows;
}

json_t *db_query_row(sqlite3 *db, const char *sql, const char *types, ...) {
  char err[256];
  va_list ap;
  va_start(ap, types);
  sqlite3_stmt *st = db_vprepare_bind(db, err, sizeof err, sql, types, ap);
  va_end(ap);
  if (!st) { fprintf(stderr, "qingshui: %s\n", err); return NULL; }
  json_t *row = db_row_json(st);
  sqlite3_finalize(st);
  return row;
}

static json_t *sql_column_value(struct sql_stmt *st, int i) {
  switch (sql_column_type(st, i)) {
  case SQL_INTEGER: return json_integer(sql_column_int64(st, i));
  case SQL_FLOAT: return json_real(sql_column_double(st, i));
  case SQL_NULL: return json_null();
  default: return json_string(sql_column_text(st, i));
  }
}

static json_t *sql_row_object(struct sql_stmt *st) {
  json_t *row = json_object();
  int n = sql_column_count(st);
  for (int i = 0; i < n; i++) {
    const char *name = sql_column_name(st, i);
    if (is_json_column(name)) set_json_column(row, name, sql_column_text(st, i));
    else json_object_set_new(row, name, sql_column_value(st, i));
  }
  return row;
}

json_t *sql_row_json(struct sql_stmt *st) {
  return sql_step(st) == SQL_ROW ? sql_row_object(st) : NULL;
}

json_t *sql_rows_json(struct sql_stmt *st) {
  json_t *rows = json_array();
  while (sql_step(st) == SQL_ROW) json_array_append_new(rows, sql_row_object(st));
  sql_reset(st);
  return rows;
}
