/*
** `qingshui demo` (demo.h): the command line and the demo accounts.
*/
#include "demo/demo.h"
#include "auth/account.h"
#include "db/db.h"
#include "db/sql.h"
#include "db/rows.h"
#include "demo/clock.h"
#include "plan/store.h"
#include "supervision/period.h"
#include "util/time.h"
#include "util/cli.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
  "usage: qingshui demo [--db PATH] [--today YYYY-MM-DD]\n"
  "\n"
  "Make the demo database look like a city in the middle of its year: demo\n"
  "accounts for each role (passwords in PATH.LOGIN-password, mode 0600), the\n"
  "year's tasks for 36 measures with reports, reviews, notices, extensions\n"
  "and completions at past instants, and SYNTHETIC daily water readings up\n"
  "to yesterday. Needs the plan and the water sections imported first\n"
  "(make demo does it). --today (default: today, China time; or\n"
  "QINGSHUI_TODAY) fixes the date the story is told for; the same date gives\n"
  "the same story, and running again adds nothing already there.\n";

/* The demo accounts besides 'admin'. A unit is the first of its names
** that the unit dictionary knows (the 2019 reform renamed 市环保局). */
static const struct demo_account {
  const char *login, *display;
  enum access_level level;
  const char *units[2];
} ACCOUNTS[] = {
  {"leader", "市领导（演示）", ACCESS_LEADER, {NULL, NULL}},
  {"sthjj", "市生态环境局（演示）", ACCESS_UNIT, {"市生态环境局", "市环保局"}},
  {"djk", "丹江口市人民政府（演示）", ACCESS_UNIT, {"丹江口市人民政府", NULL}},
};

static const char *account_unit(sqlite3 *db, const struct demo_account *a) {
  for (int i = 0; i < 2; i++)
    if (a->units[i] && plan_find_unit(db, a->units[i])) return a->units[i];
  return NULL;
}

/* Create the accounts that do not exist yet, each with a new password. */
static int create_accounts(sqlite3 *db, const char *db_path) {
  char err[512];
  for (size_t i = 0; i < sizeof ACCOUNTS / sizeof *ACCOUNTS; i++) {
    const struct demo_account *a = &ACCOUNTS[i];
    json_t *row = db_query_row(db, "SELECT id FROM account WHERE login = ?", "s", a->login);
    json_decref(row);
    if (row) continue;
    const char *unit = account_unit(db, a);
    if (a->units[0] && !unit) {
      cli_error("demo: no unit %s for the account '%s' (import the plan first)", a->units[0], a->login);
      return -1;
    }
    char password[ACCOUNT_RANDOM_PASSWORD_SIZE], suffix[64], what[128];
    long long id;
    account_random_password(password);
    struct sql_db *store = sql_wrap_sqlite(db);
    int failed = account_create(store, a->login, a->display, a->level, unit,
                       password, cli_actor(), &id, err, sizeof err);
    sql_close(store);
    if (failed) {
      cli_error("demo: account '%s': %s", a->login, err);
      return -1;
    }
    snprintf(suffix, sizeof suffix, ".%s-password", a->login);
    snprintf(what, sizeof what, "password of the account '%s' (%s)", a->login, a->display);
    if (cli_save_secret(db_path, suffix, what, password)) return -1;
  }
  return 0;
}

int demo_main(int argc, char **argv) {
  static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'}, {"today", required_argument, NULL, 't'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
  };
  const char *db_option = NULL, *today_text = NULL;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    if (c == 'd') db_option = optarg;
    else if (c == 't') today_text = optarg;
    else if (c == 'h') { fputs(usage, stdout); return EXIT_OK; }
    else { fputs(usage, stderr); return EXIT_USAGE; }
  }
  char today_now[11];
  int today;
  time_today(today_now);
  day_parse(today_now, &today);
  if (optind != argc || (today_text && day_parse(today_text, &today))) {
    if (today_text) cli_error("demo: --today '%s' is not a date (YYYY-MM-DD)", today_text);
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  const char *path = cli_db_path(db_option);
  char err[512];
  if (demo_clock_install()) { cli_error("demo: SQLite has no default VFS"); return EXIT_FAILED; }
  sqlite3 *db = db_open(path, DB_EXISTING, err, sizeof err);
  if (!db) { cli_error("demo: %s", err); return EXIT_FAILED; }
  char today_str[DAY_TEXT_SIZE];
  day_format(today, today_str);
  /* what is not part of the story (accounts, the water import) is made at
  ** the start of the day: never after the demo's today */
  demo_clock_set((long long)today * 86400 - TIME_CHINA_OFFSET_SECONDS);
  int created = 0, stored = 0, rc = create_accounts(db, path);
  if (!rc && demo_supervision(db, today, &created, err, sizeof err)) {
    cli_error("demo: supervision: %s", err);
    rc = -1;
  }
  if (!rc && demo_water(db, today, &stored, err, sizeof err)) {
    cli_error("demo: water: %s", err);
    rc = -1;
  }
  if (!rc)
    printf("demo for %s: %d tasks created%s, %d synthetic water readings added\n", today_str,
           created, created ? "" : " (the year already has its tasks)", stored);
  sqlite3_close_v2(db);
  return rc ? EXIT_FAILED : EXIT_OK;
}
