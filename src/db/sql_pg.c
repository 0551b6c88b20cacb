/*
** The PostgreSQL driver of the SQL layer, over libpq. Statements are
** server-side prepared statements (PQprepare, named per connection) run
** with text parameters, blobs in binary, and text results; the types of
** the parameters are the server's inference from the SQL. Errors are
** classed by SQLSTATE: 23505 unique, 23503 foreign key, 23xxx other
** constraints, 40001 serialisation failure and 40P01 deadlock retried.
*/
#include "db/placeholders.h"
#include "db/sql_private.h"
#include "util/buf.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pg_conn {
  PGconn *conn;
  int statements;           /* names given so far: qs1, qs2, ... */
  long long changes;
};

struct pg_stmt {
  char name[24];
  int nparams;
  char **values;            /* one per parameter, NULL for NULL; owned */
  int *lengths;
  int *formats;             /* 1 for blobs (binary), else 0 (text) */
  PGresult *res;            /* after the first step */
  int row;                  /* the current row, -1 before the first */
  unsigned char *blob;      /* the last blob decoded (PQfreemem) */
};

#define CONN(db) (((struct pg_conn *)(db)->impl)->conn)
#define STMT(st) ((struct pg_stmt *)(st)->impl)

enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

static enum sql_errclass class_of(const char *sqlstate) {
  if (!sqlstate) return SQL_ERROR;
  if (!strcmp(sqlstate, "23505")) return SQL_UNIQUE;
  if (!strcmp(sqlstate, "23503")) return SQL_FOREIGN_KEY;
  if (!strncmp(sqlstate, "23", 2)) return SQL_CONSTRAINT;
  if (!strcmp(sqlstate, "40001") || !strcmp(sqlstate, "40P01")) return SQL_BUSY;
  return SQL_ERROR;
}

/* Record the error of RES (or of the connection) on DB; returns -1. */
static int fail(struct sql_db *db, const PGresult *res) {
  const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(CONN(db));
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) n--;
  return sql_set_error(db, class_of(res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL),
                       "%.*s", (int)n, msg);
}

/* Run SCRIPT (no parameters); 0, or -1 with the error on DB. */
static int p_exec(struct sql_db *db, const char *script) {
  PGresult *res = PQexec(CONN(db), script);
  ExecStatusType s = PQresultStatus(res);
  int rc = (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) ? 0 : fail(db, res);
  PQclear(res);
  return rc;
}

static int p_prepare(struct sql_stmt *st) {
  struct pg_conn *c = st->db->impl;
  struct pg_stmt *s = xcalloc(1, sizeof *s);
  char *text = sql_placeholders_to_pg(st->sql, &s->nparams);
  snprintf(s->name, sizeof s->name, "qs%d", ++c->statements);
  PGresult *res = PQprepare(c->conn, s->name, text, 0, NULL);
  free(text);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    fail(st->db, res);
    PQclear(res);
    free(s);
    return -1;
  }
  PQclear(res);
  size_t n = s->nparams ? (size_t)s->nparams : 1;
  s->values = xcalloc(n, sizeof *s->values);
  s->lengths = xcalloc(n, sizeof *s->lengths);
  s->formats = xcalloc(n, sizeof *s->formats);
  s->row = -1;
  st->impl = s;
  return 0;
}

static void clear_result(struct pg_stmt *s) {
  PQclear(s->res);
  s->res = NULL;
  s->row = -1;
  PQfreemem(s->blob);
  s->blob = NULL;
}

static void p_reset(struct sql_stmt *st) { clear_result(STMT(st)); }

static void p_clear(struct sql_stmt *st) {
  struct pg_stmt *s = STMT(st);
  clear_result(s);
  for (int i = 0; i < s->nparams; i++) {
    free(s->values[i]);
    s->values[i] = NULL;
    s->lengths[i] = s->formats[i] = 0;
  }
}

static void p_finalize(struct sql_stmt *st) {
  struct pg_stmt *s = STMT(st);
  p_clear(st);
  free(s->values);
  free(s->lengths);
  free(s->formats);
  free(s);   /* the server drops the prepared statement with the connection */
}

/* Set parameter I (from 1) to LEN bytes at DATA in FORMAT; out of range is ignored, as SQLite does. */
static void set_param(struct sql_stmt *st, int i, const void *data, size_t len, int format) {
  struct pg_stmt *s = STMT(st);
  if (i < 1 || i > s->nparams) return;
  free(s->values[i - 1]);
  s->values[i - 1] = NULL;
  if (data) {
    s->values[i - 1] = xmalloc(len + 1);
    memcpy(s->values[i - 1], data, len);
    s->values[i - 1][len] = 0;
  }
  s->lengths[i - 1] = (int)len;
  s->formats[i - 1] = format;
}

static void p_bind_text(struct sql_stmt *st, int i, const char *t, int len, int copy) {
  (void)copy;   /* libpq needs the parameters only during PQexecPrepared: copied anyway */
  set_param(st, i, t, len < 0 ? strlen(t) : (size_t)len, 0);
}
static void p_bind_int64(struct sql_stmt *st, int i, long long v) {
  char text[32];
  set_param(st, i, text, (size_t)snprintf(text, sizeof text, "%lld", v), 0);
}
static void p_bind_double(struct sql_stmt *st, int i, double v) {
  char text[40];
  set_param(st, i, text, (size_t)snprintf(text, sizeof text, "%.17g", v), 0);
}
static void p_bind_blob(struct sql_stmt *st, int i, const void *d, size_t n) {
  set_param(st, i, n ? d : "", n, 1);
}
static void p_bind_null(struct sql_stmt *st, int i) { set_param(st, i, NULL, 0, 0); }

/* Whether a command of tag STATUS ("INSERT 0 3") counts as changing rows,
** as sqlite3_changes counts them (a SELECT's row count does not). */
static int changes_rows(const char *status) {
  static const char *const verbs[] = {"INSERT ", "UPDATE ", "DELETE ", "MERGE "};
  for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
    if (!strncmp(status, verbs[i], strlen(verbs[i]))) return 1;
  return 0;
}

static int p_step(struct sql_stmt *st) {
  struct pg_stmt *s = STMT(st);
  struct pg_conn *c = st->db->impl;
  if (!s->res) {
    s->res = PQexecPrepared(c->conn, s->name, s->nparams, (const char *const *)s->values,
                            s->lengths, s->formats, 0);
    ExecStatusType status = PQresultStatus(s->res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      fail(st->db, s->res);
      clear_result(s);
      return SQL_FAILED;
    }
    if (changes_rows(PQcmdStatus(s->res))) c->changes = atoll(PQcmdTuples(s->res));
  }
  PQfreemem(s->blob);
  s->blob = NULL;
  return ++s->row < PQntuples(s->res) ? SQL_ROW : SQL_DONE;
}

static int in_row(struct pg_stmt *s, int i) {
  return s->res && s->row >= 0 && s->row < PQntuples(s->res) && i >= 0 && i < PQnfields(s->res);
}

static int p_column_count(struct sql_stmt *st) {
  struct pg_stmt *s = STMT(st);
  if (!s->res) {   /* before the first step, as sqlite3_column_count answers */
    PGresult *d = PQdescribePrepared(CONN(st->db), s->name);
    int n = PQnfields(d);
    PQclear(d);
    return n;
  }
  return PQnfields(s->res);
}
static const char *p_column_name(struct sql_stmt *st, int i) {
  return STMT(st)->res ? PQfname(STMT(st)->res, i) : NULL;
}

static enum sql_type p_column_type(struct sql_stmt *st, int i) {
  struct pg_stmt *s = STMT(st);
  if (!in_row(s, i) || PQgetisnull(s->res, s->row, i)) return SQL_NULL;
  switch (PQftype(s->res, i)) {
  case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8: return SQL_INTEGER;
  case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC: return SQL_FLOAT;
  case OID_BYTEA: return SQL_BLOB;
  default: return SQL_TEXT;
  }
}

static const char *p_column_text(struct sql_stmt *st, int i) {
  struct pg_stmt *s = STMT(st);
  if (!in_row(s, i) || PQgetisnull(s->res, s->row, i)) return NULL;
  return PQgetvalue(s->res, s->row, i);
}
static long long p_column_int64(struct sql_stmt *st, int i) {
  const char *t = p_column_text(st, i);
  if (!t) return 0;
  if (PQftype(STMT(st)->res, i) == OID_BOOL) return *t == 't';
  return strtoll(t, NULL, 10);
}
static double p_column_double(struct sql_stmt *st, int i) {
  const char *t = p_column_text(st, i);
  return t ? strtod(t, NULL) : 0.0;
}
static const void *p_column_blob(struct sql_stmt *st, int i, size_t *len) {
  struct pg_stmt *s = STMT(st);
  const char *t = p_column_text(st, i);
  *len = 0;
  if (!t) return NULL;
  if (PQftype(s->res, i) != OID_BYTEA) { *len = strlen(t); return t; }
  PQfreemem(s->blob);
  s->blob = PQunescapeBytea((const unsigned char *)t, len);
  return s->blob;
}

static long long p_changes(struct sql_db *db) { return ((struct pg_conn *)db->impl)->changes; }
static int p_begin(struct sql_db *db) { return p_exec(db, "BEGIN"); }
static int p_commit(struct sql_db *db) { return p_exec(db, "COMMIT"); }
static void p_rollback(struct sql_db *db) {
  if (PQtransactionStatus(CONN(db)) != PQTRANS_IDLE) PQclear(PQexec(CONN(db), "ROLLBACK"));
}
static void p_close(struct sql_db *db) {
  PQfinish(CONN(db));
  free(db->impl);
}

static const struct sql_driver pg_driver = {
  p_prepare, p_finalize, p_bind_text, p_bind_int64, p_bind_double, p_bind_blob, p_bind_null,
  p_step, p_reset, p_clear, p_column_count, p_column_name, p_column_type, p_column_int64,
  p_column_double, p_column_text, p_column_blob, p_changes, p_exec, p_begin, p_commit,
  p_rollback, p_close,
};

/* The server's notices (NOTICE: relation exists, skipping) are not for the user. */
static void ignore_notice(void *arg, const char *message) { (void)arg; (void)message; }

int sql_pg_connected(const struct sql_db *db) { return PQstatus(CONN(db)) == CONNECTION_OK; }

struct sql_db *sql_pg_open(const char *uri, char *err, size_t errlen) {
  PGconn *conn = PQconnectdb(uri);
  if (PQstatus(conn) != CONNECTION_OK) {
    /* The message, not the URI: it may hold a password. */
    snprintf(err, errlen, "cannot connect to PostgreSQL: %s", conn ? PQerrorMessage(conn) : "out of memory");
    size_t n = strlen(err);
    while (n && err[n - 1] == '\n') err[--n] = 0;
    PQfinish(conn);
    return NULL;
  }
  PQsetNoticeProcessor(conn, ignore_notice, NULL);
  struct sql_db *db = xcalloc(1, sizeof *db);
  struct pg_conn *c = xcalloc(1, sizeof *c);
  c->conn = conn;
  db->driver = &pg_driver;
  db->store = SQL_PG;
  db->impl = c;
  db->owned = 1;
  if (p_exec(db, "SET client_encoding = 'UTF8'")) {
    snprintf(err, errlen, "PostgreSQL: %s", db->errmsg);
    sql_close(db);
    return NULL;
  }
  return db;
}
