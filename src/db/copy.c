/*
** `qingshui db copy --from FILE --to postgresql://…` (copy.h).
**
** The tables copied are the target's: every table that the PostgreSQL
** migrations have made so far (not schema_migration), in an order where a
** table comes after those its foreign keys name; each column by name, ids
** included. Tables of the SQLite file that PostgreSQL has not yet are
** named on stderr and left behind. All in one PostgreSQL transaction, read
** from one SQLite read transaction (a consistent picture even while a
** server writes): the target must be empty, the counts of every table
** must match at the end or nothing is kept; then each identity column's
** sequence goes past the highest id copied. Triggers are off during the
** copy (their rows are copied too: unit_first_name).
*/
#include "db/copy.h"
#include "db/sql.h"
#include "util/buf.h"
#include "util/cli.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROGRESS_ROWS 50000

struct table {
  char *name;
  long long rows;            /* in the source */
  int placed;                /* ordered already */
};

struct copy {
  struct sql_db *src, *dst;
  struct table *tables;
  size_t ntables;
  char **order;              /* names in copy order (borrowed from tables) */
  size_t nordered;
  long long total;
};

/* NAME as a quoted identifier: "name" with any " doubled. */
static void put_ident(struct buf *b, const char *name) {
  buf_puts(b, "\"");
  for (const char *p = name; *p; p++) buf_puts(b, *p == '"' ? "\"\"" : (char[2]){*p, 0});
  buf_puts(b, "\"");
}

static int fail(struct sql_db *db, const char *what) {
  cli_error("db copy: %s: %s", what, sql_errmsg(db));
  return -1;
}

/* The target's tables. */
static int load_tables(struct copy *c) {
  struct sql_stmt *st = sql_prepare(c->dst,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
      "AND table_type = 'BASE TABLE' AND table_name != 'schema_migration' ORDER BY table_name");
  if (!st) return fail(c->dst, "listing the target's tables");
  int rc;
  while ((rc = sql_step(st)) == SQL_ROW) {
    c->tables = xrealloc(c->tables, (c->ntables + 1) * sizeof *c->tables);
    c->tables[c->ntables++] = (struct table){xstrdup(sql_column_text(st, 0)), 0, 0};
  }
  sql_reset(st);
  return rc == SQL_DONE ? 0 : fail(c->dst, "listing the target's tables");
}

/* Whether TABLE has a foreign key to a table not placed yet (itself excepted). */
static int waits(struct copy *c, const char *table, int *waiting) {
  struct sql_stmt *st = sql_prepare(c->dst,
      "SELECT DISTINCT r.relname FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid "
      "JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
      "WHERE k.contype = 'f' AND n.nspname = current_schema() AND t.relname = ?");
  if (!st) return fail(c->dst, "reading foreign keys");
  sql_bind_text(st, 1, table);
  *waiting = 0;
  int rc;
  while ((rc = sql_step(st)) == SQL_ROW) {
    const char *ref = sql_column_text(st, 0);
    for (size_t i = 0; i < c->ntables; i++)
      if (!strcmp(c->tables[i].name, ref) && !c->tables[i].placed && strcmp(ref, table))
        *waiting = 1;
  }
  sql_reset(st);
  return rc == SQL_DONE ? 0 : fail(c->dst, "reading foreign keys");
}

/* C->order: the tables, each after the ones its foreign keys name. */
static int order_tables(struct copy *c) {
  c->order = xcalloc(c->ntables + 1, sizeof *c->order);
  while (c->nordered < c->ntables) {
    size_t before = c->nordered;
    for (size_t i = 0; i < c->ntables; i++) {
      int waiting;
      if (c->tables[i].placed) continue;
      if (waits(c, c->tables[i].name, &waiting)) return -1;
      if (!waiting) { c->tables[i].placed = 1; c->order[c->nordered++] = c->tables[i].name; }
    }
    if (c->nordered == before) {
      cli_error("db copy: the target's foreign keys form a cycle");
      return -1;
    }
  }
  return 0;
}

/* COUNT(*) of TABLE on DB into *N. */
static int count_rows(struct sql_db *db, const char *table, long long *n) {
  struct buf q = {0};
  buf_puts(&q, "SELECT count(*) FROM ");
  put_ident(&q, table);
  struct sql_stmt *st = sql_prepare(db, buf_str(&q));
  buf_free(&q);
  if (!st || sql_step(st) != SQL_ROW) return fail(db, table);
  *n = sql_column_int64(st, 0);
  sql_reset(st);
  return 0;
}

/* The columns of TABLE on the target, as a list "a", "b", ... into COLS; their count. */
static int target_columns(struct copy *c, const char *table, struct buf *cols) {
  struct sql_stmt *st = sql_prepare(c->dst,
      "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
      "AND table_name = ? ORDER BY ordinal_position");
  if (!st) return fail(c->dst, table);
  sql_bind_text(st, 1, table);
  int n = 0;
  while (sql_step(st) == SQL_ROW) {
    if (n++) buf_puts(cols, ", ");
    put_ident(cols, sql_column_text(st, 0));
  }
  sql_reset(st);
  return n;
}

/* Bind column I of the source row SRC as parameter I + 1 of DST. */
static void bind_value(struct sql_stmt *dst, struct sql_stmt *src, int i) {
  size_t len;
  switch (sql_column_type(src, i)) {
  case SQL_INTEGER: sql_bind_int64(dst, i + 1, sql_column_int64(src, i)); break;
  case SQL_FLOAT: sql_bind_double(dst, i + 1, sql_column_double(src, i)); break;
  case SQL_BLOB: {
    const void *p = sql_column_blob(src, i, &len);
    sql_bind_blob(dst, i + 1, p, len);
    break;
  }
  case SQL_NULL: sql_bind_null(dst, i + 1); break;
  default: sql_bind_text(dst, i + 1, sql_column_text(src, i)); break;
  }
}

static int copy_table(struct copy *c, struct table *t) {
  struct buf cols = {0}, select = {0}, insert = {0};
  int n = target_columns(c, t->name, &cols), rc = n > 0 ? 0 : -1;
  buf_printf(&select, "SELECT %s FROM ", buf_str(&cols));
  put_ident(&select, t->name);
  buf_puts(&insert, "INSERT INTO ");
  put_ident(&insert, t->name);
  buf_printf(&insert, "(%s) VALUES(", buf_str(&cols));
  for (int i = 0; i < n; i++) buf_puts(&insert, i ? ", ?" : "?");
  buf_puts(&insert, ")");
  struct sql_stmt *src = rc ? NULL : sql_prepare(c->src, buf_str(&select));
  struct sql_stmt *dst = src ? sql_prepare(c->dst, buf_str(&insert)) : NULL;
  if (!rc && !src) rc = fail(c->src, t->name);
  else if (!rc && !dst) rc = fail(c->dst, t->name);
  long long done = 0;
  int step;
  while (!rc && (step = sql_step(src)) == SQL_ROW) {
    sql_reset(dst);
    for (int i = 0; i < n; i++) bind_value(dst, src, i);
    if (sql_step(dst) != SQL_DONE) rc = fail(c->dst, t->name);
    else if (++done % PROGRESS_ROWS == 0)
      fprintf(stderr, "db copy: %s %lld/%lld\n", t->name, done, t->rows);
  }
  if (!rc && step != SQL_DONE) rc = fail(c->src, t->name);
  if (src) sql_reset(src);
  if (dst) sql_reset(dst);
  if (!rc) fprintf(stderr, "db copy: %s %lld/%lld\n", t->name, done, t->rows);
  buf_free(&cols);
  buf_free(&select);
  buf_free(&insert);
  return rc;
}

/* Run ACTION ("DISABLE"/"ENABLE") TRIGGER USER on every target table. */
static int set_triggers(struct copy *c, const char *action) {
  for (size_t i = 0; i < c->ntables; i++) {
    struct buf q = {0};
    buf_puts(&q, "ALTER TABLE ");
    put_ident(&q, c->tables[i].name);
    buf_printf(&q, " %s TRIGGER USER", action);
    int rc = sql_exec(c->dst, buf_str(&q));
    buf_free(&q);
    if (rc) return fail(c->dst, c->tables[i].name);
  }
  return 0;
}

/* Each identity column's sequence past the highest value copied. */
static int advance_sequences(struct copy *c) {
  struct sql_stmt *st = sql_prepare(c->dst,
      "SELECT table_name, column_name FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND is_identity = 'YES'");
  if (!st) return fail(c->dst, "identity columns");
  int rc = 0;
  struct buf q = {0};
  while (!rc && sql_step(st) == SQL_ROW) {
    buf_reset(&q);
    buf_puts(&q, "SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max(");
    put_ident(&q, sql_column_text(st, 1));
    buf_puts(&q, "), 0) + 1, false) FROM ");
    put_ident(&q, sql_column_text(st, 0));
    struct sql_stmt *set = sql_prepare(c->dst, buf_str(&q));
    if (!set) { rc = fail(c->dst, sql_column_text(st, 0)); break; }
    struct buf quoted = {0};
    put_ident(&quoted, sql_column_text(st, 0));
    sql_bind_text(set, 1, buf_str(&quoted));
    sql_bind_text(set, 2, sql_column_text(st, 1));
    if (sql_step(set) != SQL_ROW) rc = fail(c->dst, sql_column_text(st, 0));
    sql_reset(set);
    buf_free(&quoted);
  }
  sql_reset(st);
  buf_free(&q);
  return rc;
}

/* Name on stderr the source's tables that the target has not. */
static void warn_left_behind(struct copy *c) {
  struct sql_stmt *st = sql_prepare(c->src,
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  if (!st) return;
  struct buf left = {0};
  while (sql_step(st) == SQL_ROW) {
    const char *name = sql_column_text(st, 0);
    int found = 0;
    for (size_t i = 0; i < c->ntables && !found; i++) found = !strcmp(c->tables[i].name, name);
    if (!found) buf_printf(&left, " %s", name);
  }
  sql_reset(st);
  if (left.len)
    fprintf(stderr, "db copy: not copied, no PostgreSQL migration yet:%s\n", buf_str(&left));
  buf_free(&left);
}

/* The copy inside the target's transaction (and the source's read one). */
static int copy_all(struct copy *c) {
  for (size_t i = 0; i < c->ntables; i++) {
    long long n;
    if (count_rows(c->dst, c->tables[i].name, &n)) return -1;
    if (n) {
      cli_error("db copy: the target is not empty (%s has %lld rows): copy into a new database",
                c->tables[i].name, n);
      return -1;
    }
    if (count_rows(c->src, c->tables[i].name, &c->tables[i].rows)) return -1;
  }
  if (set_triggers(c, "DISABLE")) return -1;
  for (size_t i = 0; i < c->nordered; i++)
    for (size_t j = 0; j < c->ntables; j++)
      if (c->tables[j].name == c->order[i] && copy_table(c, &c->tables[j])) return -1;
  for (size_t i = 0; i < c->ntables; i++) {
    long long n;
    if (count_rows(c->dst, c->tables[i].name, &n)) return -1;
    if (n != c->tables[i].rows) {
      cli_error("db copy: %s has %lld rows in the target but %lld in the source: nothing kept",
                c->tables[i].name, n, c->tables[i].rows);
      return -1;
    }
    c->total += n;
  }
  return set_triggers(c, "ENABLE") || advance_sequences(c) ? -1 : 0;
}

static const char copy_usage[] =
  "usage: qingshui db copy --from FILE --to postgresql://...\n"
  "\nCopy the SQLite database FILE into the PostgreSQL database of the URI:\n"
  "every table that PostgreSQL has so far (docs/scale.md), ids kept, in one\n"
  "transaction; the target must be empty. Prints each table's count; the\n"
  "tables not yet on PostgreSQL are named on stderr and not copied.\n";

static int copy_main(int argc, char **argv) {
  static const struct option longopts[] = {
    {"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 't'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
  };
  const char *from = NULL, *to = NULL;
  int opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    if (opt == 'f') from = optarg;
    else if (opt == 't') to = optarg;
    else if (opt == 'h') { fputs(copy_usage, stdout); return EXIT_OK; }
    else { fputs(copy_usage, stderr); return EXIT_USAGE; }
  }
  if (optind != argc || !from || !to) { fputs(copy_usage, stderr); return EXIT_USAGE; }
  if (sql_is_pg_target(from) || !sql_is_pg_target(to)) {
    fprintf(stderr, "qingshui: db copy: --from is a SQLite file, --to a postgresql:// URI\n%s",
            copy_usage);
    return EXIT_USAGE;
  }
  char err[512];
  struct copy c = {0};
  int rc = -1;
  if (!(c.src = sql_open(from, 0, err, sizeof err)) || !(c.dst = sql_open(to, 0, err, sizeof err)))
    cli_error("db copy: %s", err);
  else if (!load_tables(&c) && !order_tables(&c)) {
    if (sql_exec(c.src, "BEGIN")) rc = fail(c.src, "reading the source");
    else if (sql_begin(c.dst)) rc = fail(c.dst, "starting the copy");
    else rc = copy_all(&c);
    if (!rc && sql_commit(c.dst)) rc = fail(c.dst, "commit");
    if (rc) sql_rollback(c.dst);
    sql_rollback(c.src);
  }
  if (!rc) {
    warn_left_behind(&c);
    for (size_t i = 0; i < c.nordered; i++)
      for (size_t j = 0; j < c.ntables; j++)
        if (c.tables[j].name == c.order[i]) printf("%-20s %lld\n", c.tables[j].name, c.tables[j].rows);
    printf("copied %lld rows in %zu tables\n", c.total, c.ntables);
  }
  for (size_t i = 0; i < c.ntables; i++) free(c.tables[i].name);
  free(c.tables);
  free(c.order);
  sql_close(c.src);
  sql_close(c.dst);
  return rc ? EXIT_FAILED : EXIT_OK;
}

static const struct cli_command db_commands[] = {
  {"copy", copy_main, "copy a SQLite database into an empty PostgreSQL database"},
  {NULL, NULL, NULL},
};

int db_cli(int argc, char **argv) { return cli_dispatch("qingshui db", db_commands, argc, argv); }
