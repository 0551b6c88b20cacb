/*
** Subcommands of the plan capability (`plan ...`, `units ...`).
*/
#ifndef QS_PLAN_CLI_H
#define QS_PLAN_CLI_H
#include <sqlite3.h>

int plan_cli(int argc, char **argv);
int units_cli(int argc, char **argv);

/* Import the plan in PATH into DB, printing the outcome; an exit code.
** Used by `plan import` and by `init --demo`. */
int plan_import_file(sqlite3 *db, const char *path, int allow_incomplete, const char *actor);

#endif
