/*
** Conventions shared by every subcommand: exit codes, the database path,
** and the one-line error reporter.
**
** Exit codes mean the same everywhere:
**   0  success
**   1  the work failed: input refused, data invalid, I/O error
**   2  the command line was wrong (unknown option, missing argument)
*/
#ifndef QS_CLI_H
#define QS_CLI_H

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

/* The default database path when neither --db nor QINGSHUI_DB is given. */
#define QS_DEFAULT_DB "var/qingshui.db"

/* The database to use: OPTION if not NULL, else $QINGSHUI_DB, else the
** default. The result is never NULL and is not to be freed. */
const char *cli_db_path(const char *option);

/* Who runs this command, for the audit log: "cli:" and the login name. */
const char *cli_actor(void);

/* Print "qingshui: " and the formatted message to stderr, then a newline. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write SECRET and a newline to DB_PATH + SUFFIX (mode 0600: its owner
** only) and say so on stdout, naming WHAT. 0, or -1 after saying why. */
int cli_save_secret(const char *db_path, const char *suffix, const char *what, const char *secret);

/* Signature of a subcommand: argv[0] is the subcommand's name. */
typedef int (*cli_main_fn)(int argc, char **argv);

/* A subcommand and its one-line description, for dispatch tables. */
struct cli_command {
  const char *name;
  cli_main_fn run;
  const char *summary;
};

/* Dispatch argv[1] among COMMANDS (terminated by a NULL name); print the
** table as help for "--help", "help" or no argument. PROG names the level
** ("qingshui", "qingshui plan") in messages. */
int cli_dispatch(const char *prog, const struct cli_command *commands,
                 int argc, char **argv);

#endif
