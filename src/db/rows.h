/*
** Query results as JSON: each row an object keyed by column name. A column
** whose name ends in "_json" holds JSON text (built with SQLite's
** json_group_array/json_object) and is embedded as a value under the name
** without the suffix, so one query can return nested data.
*/
#ifndef QS_DB_ROWS_H
#define QS_DB_ROWS_H
#include <jansson.h>
#include <sqlite3.h>

/* All remaining rows of ST as a JSON array (new reference). ST is reset. */
json_t *db_rows_json(sqlite3_stmt *st);

/* The next row of ST as a JSON object, or NULL when there is none. */
json_t *db_row_json(sqlite3_stmt *st);

/* Run SQL with arguments (types as db_prepare_bind) and return all rows
** (an array) or the first row (an object, or NULL when there is none). */
json_t *db_query_rows(sqlite3 *db, const char *sql, const char *types, ...);
json_t *db_query_row(sqlite3 *db, const char *sql, const char *types, ...);

/* The same over the SQL layer (sql.h), on either store: the rows of ST
** from its next step on, then ST is reset; the next row, or NULL. */
struct sql_stmt;
json_t *sql_rows_json(struct sql_stmt *st);
json_t *sql_row_json(struct sql_stmt *st);

#endif
