/*
** Subcommands of the plan capability (`plan ...`, `units ...`).
*/
#ifndef QS_PLAN_CLI_H
#define QS_PLAN_CLI_H
#include <sqlite3.h>

int plan_cli(int argc, char **argv);
int units_cli(int argc, char **argv);

struct plan_import_opts {
  const char *encoding;     /* NULL: detected */
  int allow_incomplete;     /* import a text with problems (plan.h) */
  int allow_removal;        /* a revision may remove measures no task hangs on */
};

/* Import the plan in PATH into DB as ACTOR, printing the outcome; an exit
** code. */
int plan_import_file(sqlite3 *db, const char *path, const struct plan_import_opts *opts,
                     const char *actor);

#endif
