/*
** `qingshui geo import FILE.geojson [--kind river|reservoir|zone]
** [--name-property P] [--code-property P]`: the file's features checked
** (parse.c), then stored in one transaction, each audited. A feature of
** the same kind and name is replaced; a bad file changes nothing.
*/
#include "geo/geo.h"
#include "geo/cli.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/cli.h"
#include "util/file.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: qingshui geo import [--db PATH] [--kind river|reservoir|zone] [--encoding NAME]\n"
    "                           [--name-property P] [--code-property P] FILE.geojson\n"
    "  imports the features of a GeoJSON FeatureCollection (LineString, MultiLineString,\n"
    "  Polygon, MultiPolygon; a zone only areas) for the map: the name from property P\n"
    "  (default name), the code from P (default code, optional). A feature of the same\n"
    "  kind and name is replaced. A bad file is refused with the feature's index and\n"
    "  the reason, and nothing is imported. KIND defaults to river. The encoding (UTF-8,\n"
    "  GB18030 as some GIS tools write, UTF-16 with a BOM) is detected unless given.\n";

struct geo_opts {
  const char *db, *file, *encoding;
  struct geo_options parse;
};

/* 0, 1 (help printed) or -1 (usage error printed). */
static int parse_opts(int argc, char **argv, struct geo_opts *o) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},        {"kind", required_argument, NULL, 'k'},
      {"name-property", required_argument, NULL, 'n'}, {"code-property", required_argument, NULL, 'c'},
      {"encoding", required_argument, NULL, 'e'},  {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  *o = (struct geo_opts){.parse = {GEO_RIVER, "name", "code"}};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'k':
      if (geo_kind_parse(optarg, &o->parse.kind)) {
        cli_error("geo import: --kind %s: river, reservoir or zone", optarg);
        return -1;
      }
      break;
    case 'n': o->parse.name_property = optarg; break;
    case 'c': o->parse.code_property = optarg; break;
    case 'e': o->encoding = optarg; break;
    case 'h': fputs(usage_text, stdout); return 1;
    default: fputs(usage_text, stderr); return -1;
    }
  }
  if (optind + 1 != argc) { fputs(usage_text, stderr); return -1; }
  o->file = argv[optind];
  return 0;
}

/* The row of KIND and NAME for the audit log, as JSON text (malloc'd), or
** NULL if none: the geometry by its type and size, not whole (a river's
** can be megabytes; the table has it). */
static char *stored_row(sqlite3 *db, const char *kind, const char *name) {
  sqlite3_stmt *st = db_prepare_bind(db, NULL, 0,
      "SELECT json_object('id', id, 'kind', kind, 'name', name, 'code', code, "
      "'geometry_type', geometry ->> 'type', 'geometry_bytes', length(geometry), 'source', source) "
      "FROM geo_feature WHERE kind = ? AND name = ?", "ss", kind, name);
  char *row = st && sqlite3_step(st) == SQLITE_ROW ? xstrdup((const char *)sqlite3_column_text(st, 0)) : NULL;
  sqlite3_finalize(st);
  return row;
}

/* Store feature F of KIND from SOURCE, replacing a namesake that differs,
** audited. 1 stored, 0 unchanged, -1 with ERR. */
static int store_feature(sqlite3 *db, enum geo_kind kind, const struct geo_feature *f,
                         const char *source, char *err, size_t errlen) {
  const char *k = geo_kind_name(kind);
  char *before = stored_row(db, k, f->name);
  sqlite3_stmt *st = db_prepare_bind(db, err, errlen,
      "INSERT INTO geo_feature (kind, name, code, geometry, source) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (kind, name) DO UPDATE SET code = excluded.code, geometry = excluded.geometry, "
      "source = excluded.source, imported_at = excluded.imported_at "
      "WHERE code IS NOT excluded.code OR geometry IS NOT excluded.geometry RETURNING id", "sssss",
      k, f->name, f->code, f->geometry, source);
  int step = st ? sqlite3_step(st) : SQLITE_ERROR;
  long long id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  if (st && step != SQLITE_ROW && step != SQLITE_DONE)
    snprintf(err, errlen, "%s: %s", f->name, sqlite3_errmsg(db));
  sqlite3_finalize(st);
  int rc = step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
  char *after = rc == 1 ? stored_row(db, k, f->name) : NULL;
  if (rc == 1 && db_audit(db, cli_actor(), before ? "geo.replace" : "geo.import", "geo_feature", id,
                          before, after) != SQLITE_OK) {
    snprintf(err, errlen, "audit log: %s", sqlite3_errmsg(db));
    rc = -1;
  }
  free(before);
  free(after);
  return rc;
}

/* Every feature of FS in one transaction; the number stored (new or
** changed) or -1 with ERR. */
static int store_all(const char *db_path, enum geo_kind kind, const struct geo_features *fs,
                     const char *source, char *err, size_t errlen) {
  sqlite3 *db = db_open(db_path, DB_CREATE, err, errlen);
  if (!db) return -1;
  int rc = db_begin(db) == SQLITE_OK ? 0 : -1, stored = 0;
  if (rc) snprintf(err, errlen, "%s", sqlite3_errmsg(db));
  for (size_t i = 0; !rc && i < fs->count; i++) {
    int one = store_feature(db, kind, &fs->items[i], source, err, errlen);
    if (one < 0) rc = -1;
    else stored += one;
  }
  if (!rc && db_commit(db) != SQLITE_OK) {
    snprintf(err, errlen, "commit: %s", sqlite3_errmsg(db));
    rc = -1;
  }
  if (rc) db_rollback(db);
  sqlite3_close_v2(db);
  return rc ? -1 : stored;
}

static int import_main(int argc, char **argv) {
  struct geo_opts o;
  int r = parse_opts(argc, argv, &o);
  if (r) return r > 0 ? EXIT_OK : EXIT_USAGE;
  char err[600];
  size_t len;
  char *text = file_read_text(o.file, o.encoding, GEO_FILE_MAX, &len, err, sizeof err);
  if (!text) { cli_error("geo import: %s: %s", o.file, err); return EXIT_FAILED; }
  struct geo_features fs;
  struct geo_error gerr;
  int rc = geo_parse(text, len, &o.parse, &fs, &gerr);
  free(text);
  if (rc && gerr.feature >= 0)
    cli_error("geo import: %s: feature %ld: %s (nothing imported)", o.file, gerr.feature, gerr.reason);
  else if (rc)
    cli_error("geo import: %s: %s (nothing imported)", o.file, gerr.reason);
  if (rc) return EXIT_FAILED;
  int stored = store_all(cli_db_path(o.db), o.parse.kind, &fs, o.file, err, sizeof err);
  if (stored < 0) cli_error("geo import: %s: %s (nothing imported)", o.file, err);
  else printf("%s: %zu %s features, %d new or changed\n", o.file, fs.count,
              geo_kind_name(o.parse.kind), stored);
  geo_features_free(&fs);
  return stored < 0 ? EXIT_FAILED : EXIT_OK;
}

int geo_cli(int argc, char **argv) {
  static const struct cli_command commands[] = {
      {"import", import_main, "import rivers, reservoirs or zones from a GeoJSON file"},
      {NULL, NULL, NULL}};
  return cli_dispatch("qingshui geo", commands, argc, argv);
}
