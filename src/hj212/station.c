/*
** The HJ 212 station registry and its command line (station.h). Every
** field is checked with the rules the receiver applies to packets, so a
** registered station can always be matched: an MN or password the parser
** would refuse is refused here, with the field named. Passwords are
** stored as salted hashes (auth/secret.h), never in clear, and never shown.
*/
#include "hj212/station.h"
#include "db/db.h"
#include "db/rows.h"
#include "geo/geo.h"
#include "util/file.h"
#include "hj212/hj212.h"
#include "util/buf.h"
#include "util/cli.h"
#include "util/csv.h"
#include "util/time.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const KINDS[] = {"water_section", "outlet", "sewage_plant", "air_station"};

static int chars_ok(const char *s, const char *extra) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    int alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && !strchr(extra, c)) return 0;
  }
  return 1;
}

/* "code=indicator" pairs separated by spaces; 0 if well-formed. */
static int codes_ok(const char *codes) {
  char *copy = xstrdup(codes), *save = NULL;
  int ok = 1;
  for (char *t = strtok_r(copy, " ", &save); t && ok; t = strtok_r(NULL, " ", &save)) {
    char *eq = strchr(t, '=');
    if (!eq || eq == t || !eq[1]) ok = 0;
    else {
      *eq = 0;
      ok = strlen(t) <= 16 && chars_ok(t, "_");
    }
  }
  free(copy);
  return ok ? 0 : -1;
}

static int given(const char *s) { return s && *s; }

/* The position's problem, or NULL: both or neither of lon and lat, each a
** number in range. */
static const char *position_problem(const struct station_def *d) {
  if (given(d->lon) != given(d->lat)) return "lon, lat: give both or neither";
  const char *v[2] = {d->lon, d->lat};
  for (int lat = 0; given(d->lon) && lat < 2; lat++) {
    char *end;
    double x = strtod(v[lat], &end);
    if (*end || end == v[lat] || !geo_degrees_ok(lat, x))
      return lat ? "lat: a latitude in decimal degrees, -90..90"
                 : "lon: a longitude in decimal degrees, -180..180";
  }
  return NULL;
}

int station_check(const struct station_def *d, char *err, size_t errlen) {
  const char *bad = NULL;
  size_t pw = d->password ? strlen(d->password) : 0;
  int kind_ok = 0;
  for (size_t i = 0; d->kind && i < sizeof KINDS / sizeof KINDS[0]; i++)
    kind_ok |= !strcmp(d->kind, KINDS[i]);
  if (!d->mn || !*d->mn || strlen(d->mn) > HJ212_MN_MAX || !chars_ok(d->mn, "_-"))
    bad = "mn: 1-24 characters of 0-9 A-Z a-z _ -";
  else if (pw == 0 || pw > HJ212_PW_MAX || !chars_ok(d->password, "!\"#$%'()*+-./:<>?@[\\]^_`{|}~"))
    bad = "password: 1-24 printable characters without space & = , ;";
  else if (!d->st || strlen(d->st) != 2 || !chars_ok(d->st, "") || strpbrk(d->st, "abcdefghijklmnopqrstuvwxyz"))
    bad = "st: 2 characters 0-9 A-Z (21, 22, 31, 32, ...)";
  else if (!d->name || !*d->name)
    bad = "name: required";
  else if (!kind_ok)
    bad = "kind: water_section, outlet, sewage_plant or air_station";
  else if (d->codes && codes_ok(d->codes))
    bad = "codes: pairs code=indicator separated by spaces";
  else
    bad = position_problem(d);
  if (!bad) return 0;
  snprintf(err, errlen, "%s", bad);
  return -1;
}

/* Run SQL with text parameters ARGS (N of them; INT_ARG, if >= 1, is
** bound as an integer instead). Returns the rows changed or -1 with ERR. */
static int exec_args(sqlite3 *db, char *err, size_t errlen, const char *sql, int n,
                     const char *const *args, int int_arg, long long int_value) {
  sqlite3_stmt *st = db_prepare(db, sql, err, errlen);
  if (!st) return -1;
  for (int i = 0; i < n; i++) {
    if (i + 1 == int_arg) sqlite3_bind_int64(st, i + 1, int_value);
    else sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC);
  }
  int rc = sqlite3_step(st);
  if (rc != SQLITE_DONE) snprintf(err, errlen, "%s", sqlite3_errmsg(db));
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? sqlite3_changes(db) : -1;
}

int station_audit(sqlite3 *db, const char *action, long long id, const struct station_def *d,
                  const char *actor, char *err, size_t errlen) {
  json_t *after = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?}", "mn", d->mn, "st", d->st, "name", d->name,
                            "kind", d->kind, "owner", d->owner ? d->owner : "", "codes", d->codes);
  if (given(d->lon)) {
    json_object_set_new(after, "lon", json_real(strtod(d->lon, NULL)));
    json_object_set_new(after, "lat", json_real(strtod(d->lat, NULL)));
  }
  char *text = json_dumps(after, JSON_COMPACT);
  int rc = db_audit(db, actor, action, "hj212_station", id, NULL, text);
  free(text);
  json_decref(after);
  if (rc != SQLITE_OK) snprintf(err, errlen, "audit log: %s", sqlite3_errmsg(db));
  return rc == SQLITE_OK ? 0 : -1;
}

int station_remove(sqlite3 *db, const char *mn, long long id, const char *actor,
                   char *err, size_t errlen) {
  json_t *before = db_query_row(db, "SELECT id, mn, st, name, kind, owner FROM hj212_station "
                                "WHERE (?1 = 0 AND mn = ?2) OR id = ?1", "is", id, mn);
  if (!before) return 0;
  id = json_integer_value(json_object_get(before, "id"));
  char *text = json_dumps(before, JSON_COMPACT);
  json_decref(before);
  int n = db_exec_bind(db, err, errlen, "DELETE FROM hj212_station WHERE id = ?", "i", id);
  if (n == 1 && db_audit(db, actor, "station.delete", "hj212_station", id, text, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "audit log: %s", sqlite3_errmsg(db));
    n = -1;
  }
  free(text);
  return n;
}

long long station_insert(sqlite3 *db, const struct station_def *d, const char *actor,
                         char *err, size_t errlen) {
  if (station_check(d, err, errlen)) return -1;
  const char *row[] = {d->mn, d->password, d->st, d->name, d->kind, d->owner ? d->owner : "",
                       given(d->lon) ? d->lon : NULL, given(d->lat) ? d->lat : NULL};
  /* lon and lat bound as text become REAL in the STRICT table */
  if (exec_args(db, err, errlen, "INSERT INTO hj212_station (mn, password_hash, st, name, kind, owner, "
                "lon, lat) VALUES (?, device_secret_hash(?), ?, ?, ?, ?, ?, ?)", 8, row, 0, 0) < 0)
    return -1;
  long long id = sqlite3_last_insert_rowid(db);
  if (station_audit(db, "station.create", id, d, actor, err, errlen)) return -1;
  if (!d->codes) return id;
  char *copy = xstrdup(d->codes), *save = NULL;
  for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
    char *eq = strchr(t, '=');
    *eq = 0;
    const char *args[] = {NULL, t, eq + 1};
    if (exec_args(db, err, errlen, "INSERT INTO hj212_station_code VALUES (?, ?, ?)", 3, args, 1,
                  id) < 0) {
      free(copy);
      return -1;
    }
  }
  free(copy);
  return id;
}

static const char usage_text[] =
    "usage: qingshui station COMMAND [--db PATH] ...\n"
    "  add --mn MN --password PW --st ST --name NAME [--kind KIND] [--owner OWNER]\n"
    "      [--codes 'w01018=COD w21003=NH3-N'] [--lon DEG --lat DEG]   register a station\n"
    "  list                                       list stations\n"
    "  remove --mn MN                             remove a station and its readings\n"
    "  import [--encoding NAME] FILE.csv          add stations from a CSV (all or nothing);\n"
    "      columns mn,password,st,name,kind,owner,codes,lon,lat (kind, owner, codes,\n"
    "      lon, lat optional; lon, lat: decimal degrees, both or neither);\n"
    "      the encoding (UTF-8, GB18030, UTF-16 with a BOM) is detected unless given\n"
    "KIND: water_section (default), outlet, sewage_plant, air_station\n";

/* Options shared by the subcommands. */
struct opts {
  const char *db, *encoding;
  struct station_def def;
};

static int parse_opts(int argc, char **argv, struct opts *o) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},       {"mn", required_argument, NULL, 'm'},
      {"password", required_argument, NULL, 'p'}, {"st", required_argument, NULL, 's'},
      {"name", required_argument, NULL, 'n'},     {"kind", required_argument, NULL, 'k'},
      {"owner", required_argument, NULL, 'o'},    {"codes", required_argument, NULL, 'c'},
      {"encoding", required_argument, NULL, 'e'}, {"help", no_argument, NULL, 'h'},
      {"lon", required_argument, NULL, 'x'},      {"lat", required_argument, NULL, 'y'},
      {NULL, 0, NULL, 0}};
  memset(o, 0, sizeof *o);
  o->def.kind = "water_section";
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'm': o->def.mn = optarg; break;
    case 'p': o->def.password = optarg; break;
    case 's': o->def.st = optarg; break;
    case 'n': o->def.name = optarg; break;
    case 'k': o->def.kind = optarg; break;
    case 'o': o->def.owner = optarg; break;
    case 'c': o->def.codes = optarg; break;
    case 'e': o->encoding = optarg; break;
    case 'x': o->def.lon = optarg; break;
    case 'y': o->def.lat = optarg; break;
    case 'h': fputs(usage_text, stdout); return 1;
    default: fputs(usage_text, stderr); return -1;
    }
  }
  return 0;
}

static sqlite3 *open_db(const struct opts *o) {
  char err[512];
  sqlite3 *db = db_open(cli_db_path(o->db), DB_CREATE, err, sizeof err);
  if (!db) cli_error("%s", err);
  return db;
}

static int add_main(int argc, char **argv) {
  struct opts o;
  int r = parse_opts(argc, argv, &o);
  if (r) return r > 0 ? EXIT_OK : EXIT_USAGE;
  char err[512];
  if (station_check(&o.def, err, sizeof err)) { cli_error("station add: %s", err); return EXIT_USAGE; }
  sqlite3 *db = open_db(&o);
  if (!db) return EXIT_FAILED;
  long long id = -1;
  if (db_begin(db) == SQLITE_OK) {
    id = station_insert(db, &o.def, cli_actor(), err, sizeof err);
    if (id < 0 || db_commit(db) != SQLITE_OK) { db_rollback(db); id = -1; }
  } else {
    snprintf(err, sizeof err, "%s", sqlite3_errmsg(db));
  }
  sqlite3_close_v2(db);
  if (id < 0) { cli_error("station add: %s", err); return EXIT_FAILED; }
  printf("station %lld: %s (%s)\n", id, o.def.mn, o.def.name);
  return EXIT_OK;
}

static int list_main(int argc, char **argv) {
  struct opts o;
  int r = parse_opts(argc, argv, &o);
  if (r) return r > 0 ? EXIT_OK : EXIT_USAGE;
  sqlite3 *db = open_db(&o);
  if (!db) return EXIT_FAILED;
  char err[512];
  sqlite3_stmt *st = db_prepare(db,
      "SELECT id, mn, st, kind, name, owner, last_packet_at FROM hj212_station_seen "
      "ORDER BY id", err, sizeof err);
  if (!st) { cli_error("%s", err); sqlite3_close_v2(db); return EXIT_FAILED; }
  printf("id\tmn\tst\tkind\tname\towner\tlast_packet (China time)\n");
  while (sqlite3_step(st) == SQLITE_ROW) {
    char last[TIME_TEXT_SIZE];
    if (time_china_text((const char *)sqlite3_column_text(st, 6), 1, last)) strcpy(last, "-");
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", sqlite3_column_int64(st, 0),
           sqlite3_column_text(st, 1), sqlite3_column_text(st, 2), sqlite3_column_text(st, 3),
           sqlite3_column_text(st, 4), sqlite3_column_text(st, 5), last);
  }
  sqlite3_finalize(st);
  sqlite3_close_v2(db);
  return EXIT_OK;
}

static int remove_main(int argc, char **argv) {
  struct opts o;
  int r = parse_opts(argc, argv, &o);
  if (r) return r > 0 ? EXIT_OK : EXIT_USAGE;
  if (!o.def.mn) { cli_error("station remove: --mn is required"); return EXIT_USAGE; }
  sqlite3 *db = open_db(&o);
  if (!db) return EXIT_FAILED;
  char err[512] = "";
  int n = -1;
  if (db_begin(db) == SQLITE_OK) {
    n = station_remove(db, o.def.mn, 0, cli_actor(), err, sizeof err);
    if (n < 0 || db_commit(db) != SQLITE_OK) { db_rollback(db); n = n < 0 ? n : -1; }
  }
  if (n < 0 && !err[0]) snprintf(err, sizeof err, "%s", sqlite3_errmsg(db));
  sqlite3_close_v2(db);
  if (n < 0) { cli_error("station remove: %s", err); return EXIT_FAILED; }
  if (n == 0) { cli_error("station remove: no station with MN %s", o.def.mn); return EXIT_FAILED; }
  printf("removed station %s\n", o.def.mn);
  return EXIT_OK;
}

/* Column I of the current record, or NULL if the column is absent. */
static const char *col(const struct csv_reader *r, int i) {
  return i >= 0 && i < r->nfields ? r->fields[i] : NULL;
}

/* Insert every record of the CSV in TEXT; the first error names line and field. */
static int import_rows(sqlite3 *db, const char *text, size_t len, char *err, size_t errlen) {
  static const char *const NAMES[] = {"mn", "password", "st", "name", "kind", "owner", "codes",
                                      "lon", "lat"};
  struct csv_reader r;
  int idx[9], n = 0, rc = -1;
  csv_init(&r, text, len);
  if (csv_next(&r) != 1) { snprintf(err, errlen, "line 1: no header"); goto out; }
  for (int i = 0; i < 9; i++) {
    idx[i] = csv_column(&r, NAMES[i]);
    if (idx[i] < 0 && i < 4) { snprintf(err, errlen, "line 1: no column %s", NAMES[i]); goto out; }
  }
  int got;
  while ((got = csv_next(&r)) == 1) {
    const char *kind = col(&r, idx[4]), *codes = col(&r, idx[6]);
    struct station_def d = {col(&r, idx[0]), col(&r, idx[1]), col(&r, idx[2]), col(&r, idx[3]),
                            kind && *kind ? kind : "water_section", col(&r, idx[5]),
                            codes && *codes ? codes : NULL, col(&r, idx[7]), col(&r, idx[8])};
    char why[400];
    if (station_insert(db, &d, cli_actor(), why, sizeof why) < 0) {
      snprintf(err, errlen, "line %d: %s", r.line, why);
      goto out;
    }
    n++;
  }
  if (got < 0) { snprintf(err, errlen, "%s", r.error); goto out; }
  rc = n;
out:
  csv_clear(&r);
  return rc;
}

static int import_main(int argc, char **argv) {
  struct opts o;
  int r = parse_opts(argc, argv, &o);
  if (r) return r > 0 ? EXIT_OK : EXIT_USAGE;
  if (optind + 1 != argc) { fputs(usage_text, stderr); return EXIT_USAGE; }
  size_t len;
  char err[600] = "";
  char *text = file_read_text(argv[optind], o.encoding, CSV_FILE_MAX, &len, err, sizeof err);
  if (!text) { cli_error("station import: %s: %s", argv[optind], err); return EXIT_FAILED; }
  sqlite3 *db = open_db(&o);
  if (!db) { free(text); return EXIT_FAILED; }
  int count = -1;
  if (db_begin(db) == SQLITE_OK) {
    count = import_rows(db, text, len, err, sizeof err);
    if (count < 0 || db_commit(db) != SQLITE_OK) { db_rollback(db); count = -1; }
  }
  sqlite3_close_v2(db);
  free(text);
  if (count < 0) {
    cli_error("station import: %s: %s (nothing imported)", argv[optind], err[0] ? err : "database busy");
    return EXIT_FAILED;
  }
  printf("imported %d stations\n", count);
  return EXIT_OK;
}

int station_cli(int argc, char **argv) {
  static const struct cli_command commands[] = {
      {"add", add_main, "register a station"},
      {"list", list_main, "list stations"},
      {"remove", remove_main, "remove a station"},
      {"import", import_main, "add stations from a CSV file (all or nothing)"},
      {NULL, NULL, NULL}};
  return cli_dispatch("qingshui station", commands, argc, argv);
}
