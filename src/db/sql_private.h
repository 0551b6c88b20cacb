/*
** What the drivers of the SQL layer share (sql.h): the connection and the
** statement as sql.c sees them, and the table of functions each driver
** fills (sql_sqlite.c, sql_pg.c). Only src/db includes this.
*/
#ifndef QS_DB_SQL_PRIVATE_H
#define QS_DB_SQL_PRIVATE_H
#include "db/sql.h"

#define SQL_CACHE_BUCKETS 64

struct sql_stmt {
  struct sql_db *db;
  char *sql;                 /* the text as the caller wrote it: the cache key */
  unsigned hash;
  struct sql_stmt *next;     /* in its cache bucket */
  void *impl;                /* the driver's statement */
};

struct sql_driver {
  /* Prepare ST->sql into ST->impl; 0, or -1 with the error set on ST->db. */
  int (*prepare)(struct sql_stmt *st);
  void (*finalize)(struct sql_stmt *st);
  /* LEN -1: up to the NUL; COPY 0: TEXT outlives the statement's use of it. */
  void (*bind_text)(struct sql_stmt *st, int i, const char *text, int len, int copy);
  void (*bind_int64)(struct sql_stmt *st, int i, long long v);
  void (*bind_double)(struct sql_stmt *st, int i, double v);
  void (*bind_blob)(struct sql_stmt *st, int i, const void *data, size_t len);
  void (*bind_null)(struct sql_stmt *st, int i);
  int (*step)(struct sql_stmt *st);
  void (*reset)(struct sql_stmt *st);           /* the result; bindings stay */
  void (*clear)(struct sql_stmt *st);           /* reset and unbind every parameter */
  int (*column_count)(struct sql_stmt *st);
  const char *(*column_name)(struct sql_stmt *st, int i);
  enum sql_type (*column_type)(struct sql_stmt *st, int i);
  long long (*column_int64)(struct sql_stmt *st, int i);
  double (*column_double)(struct sql_stmt *st, int i);
  const char *(*column_text)(struct sql_stmt *st, int i);
  const void *(*column_blob)(struct sql_stmt *st, int i, size_t *len);
  long long (*changes)(struct sql_db *db);
  int (*exec)(struct sql_db *db, const char *script);
  int (*begin)(struct sql_db *db);
  int (*commit)(struct sql_db *db);
  void (*rollback)(struct sql_db *db);
  void (*close)(struct sql_db *db);
};

struct sql_db {
  const struct sql_driver *driver;
  enum sql_store store;
  enum sql_errclass errclass;
  char errmsg[512];
  struct sql_stmt *cache[SQL_CACHE_BUCKETS];
  void *impl;                /* sqlite3 * or PGconn * */
  int owned;                 /* close impl with the connection */
};

/* Record an error on DB (printf-style message); returns -1. */
int sql_set_error(struct sql_db *db, enum sql_errclass cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sql_clear_error(struct sql_db *db);

/* The drivers' constructors: a connection with its driver set, or NULL with ERR. */
struct sql_db *sql_sqlite_open(const char *path, int mode, char *err, size_t errlen);
struct sql_db *sql_sqlite_wrap(sqlite3 *handle);
struct sql_db *sql_pg_open(const char *uri, char *err, size_t errlen);
int sql_pg_connected(const struct sql_db *db);   /* sql_connected on PostgreSQL */

/* Apply the PostgreSQL migrations DB lacks (sql_migrate.c; SQLite's are db_migrate's). */
int sql_pg_migrate(struct sql_db *db, char *err, size_t errlen);

#endif
