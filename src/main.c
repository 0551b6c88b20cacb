/*
** qingshui (清水): the software that runs a city's ecological-protection and
** green-development plan. One binary: this file is its entry point and the
** table of its subcommands. Each capability's subcommands live in its own
** folder under src/.
*/
#include "air/cmd.h"
#include "auth/account.h"
#include "auth/cli.h"
#include "auth/token.h"
#include "db/copy.h"
#include "db/db.h"
#include "db/sql.h"
#include "demo/demo.h"
#include "geo/cli.h"
#include "hj212/simulate.h"
#include "hj212/station.h"
#include "http/serve.h"
#include "plan/cli.h"
#include "plan/store.h"
#include "rivers/cli.h"
#include "util/cli.h"
#include "water/cmd.h"
#include "report/report.h"
#include <getopt.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef QS_VERSION
#define QS_VERSION "dev"
#endif

static const char init_usage[] =
  "usage: qingshui init [--db PATH|URI] [--secrets PREFIX]\n"
  "\n"
  "Create the database (or bring an existing one to the current schema),\n"
  "seed the unit dictionary from data/plan/, and on a new database create\n"
  "the first administrator: the account 'admin' with a random password\n"
  "written to PATH.admin-password, and an API token written to\n"
  "PATH.admin-token (both mode 0600).\n"
  "Safe to run again: an existing database keeps its data and takes the\n"
  "renames of data/plan/unit_renames.csv it does not have yet.\n"
  "On PostgreSQL (--db postgresql://...: a database the administrator made\n"
  "with createdb) it makes the schema that is ported so far and the first\n"
  "administrator, whose secrets go to PREFIX.admin-password and\n"
  "PREFIX.admin-token (--secrets, default ./qingshui); the unit dictionary\n"
  "is not seeded there yet: copy a city's database with 'qingshui db copy'.\n";

/* The first administrator: an account and an API token. */
static int create_first_admin(struct sql_db *db, const char *path, char *err, size_t errlen) {
  char token[TOKEN_TEXT_LEN + 1], password[ACCOUNT_RANDOM_PASSWORD_SIZE];
  account_random_password(password);
  long long id;
  if (account_create(db, "admin", "管理员", ACCESS_ADMIN, NULL, password, cli_actor(),
                     &id, err, errlen) ||
      token_create(db, "admin", cli_actor(), token, err, errlen))
    return -1;
  if (cli_save_secret(path, ".admin-password", "password of the account 'admin'", password) ||
      cli_save_secret(path, ".admin-token", "administrator API token", token))
    return -1;
  return 0;
}

/* init on PostgreSQL: the migrations (sql_open), and the first
** administrator when the database has no account yet. */
static int init_pg(const char *uri, const char *secrets) {
  char err[512];
  struct sql_db *db = sql_open(uri, DB_CREATE, err, sizeof err);
  if (!db) { cli_error("init: %s", err); return EXIT_FAILED; }
  struct sql_stmt *st = sql_prepare(db, "SELECT count(*) FROM account");
  long long accounts = st && sql_step(st) == SQL_ROW ? sql_column_int64(st, 0) : -1;
  if (st) sql_reset(st);
  int rc = EXIT_OK;
  if (accounts < 0) {
    cli_error("init: %s", sql_errmsg(db));
    rc = EXIT_FAILED;
  } else if (!accounts && create_first_admin(db, secrets, err, sizeof err)) {
    cli_error("init: %s", err);
    rc = EXIT_FAILED;
  }
  if (rc == EXIT_OK) {
    fprintf(stderr, "qingshui: init: the unit dictionary is not seeded on PostgreSQL yet "
                    "(copy a city's database with 'qingshui db copy')\n");
    printf("%s PostgreSQL database at schema version %d\n", accounts ? "checked" : "created",
           sql_schema_version(db));
  }
  sql_close(db);
  return rc;
}

static int init_main(int argc, char **argv) {
  static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'}, {"secrets", required_argument, NULL, 's'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
  };
  const char *db_option = NULL, *secrets = NULL;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    if (c == 'd') db_option = optarg;
    else if (c == 's') secrets = optarg;
    else if (c == 'h') { fputs(init_usage, stdout); return EXIT_OK; }
    else { fputs(init_usage, stderr); return EXIT_USAGE; }
  }
  if (optind != argc) { fputs(init_usage, stderr); return EXIT_USAGE; }
  const char *path = cli_db_path(db_option);
  if (sql_is_pg_target(path)) return init_pg(path, secrets ? secrets : "qingshui");
  if (secrets) { cli_error("init: --secrets is for PostgreSQL; on SQLite they go beside the file"); return EXIT_USAGE; }
  int existed = access(path, F_OK) == 0;
  char err[512];
  sqlite3 *db = db_open(path, DB_CREATE, err, sizeof err);
  if (!db) { cli_error("%s", err); return EXIT_FAILED; }
  struct sql_db *store = sql_wrap_sqlite(db);
  int rc = EXIT_OK;
  if (existed ? plan_seed_renames(db, cli_actor(), err, sizeof err)
              : (plan_seed_dictionary(db, cli_actor(), err, sizeof err) ||
                 create_first_admin(store, path, err, sizeof err))) {
    cli_error("init: %s", err);
    rc = EXIT_FAILED;
  }
  if (rc == EXIT_OK)
    printf("%s database %s at schema version %d\n", existed ? "checked" : "created", path,
           db_schema_version(db));
  sql_close(store);
  sqlite3_close_v2(db);
  return rc;
}

static int version_main(int argc, char **argv) {
  (void)argc; (void)argv;
  printf("qingshui %s (SQLite %s)\n", QS_VERSION, sqlite3_libversion());
  return EXIT_OK;
}

static const struct cli_command commands[] = {
  {"init", init_main, "create or upgrade the database"},
  {"serve", serve_main, "serve the web UI and the JSON API"},
  {"plan", plan_cli, "import and show implementation plans"},
  {"units", units_cli, "list units; edit the unit alias table"},
  {"user", user_cli, "add accounts, change passwords, disable accounts"},
  {"station", station_cli, "HJ 212 stations: add, list, remove, import"},
  {"simulate", simulate_main, "play HJ 212 stations against a receiver (demo, load tests)"},
  {"water", water_main, "water quality: classify, sections, readings, assessment"},
  {"report", report_main, "print the assessment, the task list or the monthly water assessment to PDF"},
  {"demo", demo_main, "make the demo database look like a city in the middle of its year"},
  {"air", air_main, "air quality: AQI by HJ 633, city ranking"},
  {"geo", geo_cli, "rivers, reservoirs and zones for the map: import GeoJSON"},
  {"db", db_cli, "copy a SQLite database into PostgreSQL"},
  {"river", river_cli, "river chiefs: what the server computes of a patrol track"},
  {"version", version_main, "print the version"},
  {NULL, NULL, NULL},
};

int main(int argc, char **argv) {
  if (sodium_init() < 0) {
    cli_error("libsodium failed to initialise");
    return EXIT_FAILED;
  }
  /* SQLite counts every allocation under a global mutex for statistics
     that nothing here reads: 9% of the receiver's writer (writer.c). */
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  return cli_dispatch("qingshui", commands, argc, argv);
}
