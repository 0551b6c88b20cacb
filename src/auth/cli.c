/*
** `qingshui user add|passwd|disable|enable|list`. Passwords are read from
** standard input (first line), never from the command line, where other
** users of the machine could see them.
*/
#include "auth/cli.h"
#include "auth/account.h"
#include "db/db.h"
#include "db/sql.h"
#include "util/cli.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char user_usage[] =
  "usage: qingshui user add LOGIN --role admin|leader|unit [--unit UNIT] [--name NAME] [--db PATH|URI]\n"
  "       qingshui user passwd LOGIN [--db PATH|URI]\n"
  "       qingshui user disable|enable LOGIN [--db PATH|URI]\n"
  "       qingshui user list [--db PATH|URI]\n"
  "\n"
  "Accounts of the web UI. add and passwd read the password from the first\n"
  "line of standard input (at least 8 characters). A unit account belongs to\n"
  "one unit (its id or exact name, see 'qingshui units list'); it reads the\n"
  "whole plan and reports on its unit's tasks. passwd unlocks the account\n"
  "and ends its sessions; so does disable.\n";

struct user_opts { const char *db, *role, *unit, *name; };

static int read_password(char *out, size_t outlen) {
  if (!fgets(out, (int)outlen, stdin)) return -1;
  out[strcspn(out, "\r\n")] = 0;
  return 0;
}

static int run_verb(struct sql_db *db, const char *verb, const char *login, const struct user_opts *o) {
  char err[256], password[512];
  const char *actor = cli_actor();
  int rc = 0;
  if (!strcmp(verb, "list")) {
    json_t *accounts = account_list_json(db);
    size_t i;
    json_t *a;
    json_array_foreach(accounts, i, a)
      printf("%-16s %-7s %-8s %s\n", json_string_value(json_object_get(a, "login")),
             json_string_value(json_object_get(a, "role")),
             json_integer_value(json_object_get(a, "disabled")) ? "disabled" : "active",
             json_is_string(json_object_get(a, "unit_name"))
                 ? json_string_value(json_object_get(a, "unit_name")) : "");
    json_decref(accounts);
  } else if (!strcmp(verb, "add") || !strcmp(verb, "passwd")) {
    if (read_password(password, sizeof password)) {
      cli_error("user %s: no password on standard input", verb);
      return EXIT_FAILED;
    }
    if (!strcmp(verb, "add")) {
      int level = o->role ? access_level_parse(o->role) : -1;
      long long id;
      if (level < 0) { cli_error("user add: --role must be admin, leader or unit"); return EXIT_USAGE; }
      rc = account_create(db, login, o->name, (enum access_level)level, o->unit, password, actor,
                          &id, err, sizeof err);
      if (!rc) printf("account %s created (id %lld)\n", login, id);
    } else {
      rc = account_set_password(db, login, password, NULL, actor, err, sizeof err);
      if (!rc) printf("password of %s changed\n", login);
    }
  } else {
    rc = account_set_disabled(db, login, !strcmp(verb, "disable"), actor, err, sizeof err);
    if (!rc) printf("%s %sd\n", login, verb);
  }
  if (rc) cli_error("user %s: %s", verb, err);
  return rc ? EXIT_FAILED : EXIT_OK;
}

int user_cli(int argc, char **argv) {
  static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'}, {"role", required_argument, NULL, 'r'},
    {"unit", required_argument, NULL, 'u'}, {"name", required_argument, NULL, 'n'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
  };
  struct user_opts o = {0};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': o.db = optarg; break;
    case 'r': o.role = optarg; break;
    case 'u': o.unit = optarg; break;
    case 'n': o.name = optarg; break;
    case 'h': fputs(user_usage, stdout); return EXIT_OK;
    default: fputs(user_usage, stderr); return EXIT_USAGE;
    }
  }
  int n = argc - optind;
  const char *verb = n ? argv[optind] : "";
  static const char *const with_login[] = {"add", "passwd", "disable", "enable"};
  int ok = !strcmp(verb, "list") && n == 1;
  for (size_t i = 0; i < 4; i++) ok |= !strcmp(verb, with_login[i]) && n == 2;
  if (!ok) { fputs(user_usage, stderr); return EXIT_USAGE; }
  char err[512];
  struct sql_db *db = sql_open(cli_db_path(o.db), DB_EXISTING, err, sizeof err);
  if (!db) { cli_error("%s", err); return EXIT_FAILED; }
  int rc = run_verb(db, verb, n == 2 ? argv[optind + 1] : NULL, &o);
  sql_close(db);
  return rc;
}
