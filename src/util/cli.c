/*
** Subcommand dispatch and the helpers every command shares.
*/
#include "util/cli.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_db_path(const char *option) {
  if (option && *option) return option;
  const char *env = getenv("QINGSHUI_DB");
  if (env && *env) return env;
  return QS_DEFAULT_DB;
}

const char *cli_actor(void) {
  static char actor[96];
  if (!actor[0]) {
    const char *user = getenv("USER");
    snprintf(actor, sizeof actor, "cli:%s", user && *user ? user : "unknown");
  }
  return actor;
}

void cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("qingshui: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static void print_commands(FILE *out, const char *prog,
                           const struct cli_command *commands) {
  fprintf(out, "usage: %s COMMAND [OPTIONS]\n\ncommands:\n", prog);
  for (const struct cli_command *c = commands; c->name; c++)
    fprintf(out, "  %-14s %s\n", c->name, c->summary);
  fprintf(out, "\n'%s COMMAND --help' describes each command.\n", prog);
}

int cli_dispatch(const char *prog, const struct cli_command *commands,
                 int argc, char **argv) {
  if (argc < 2) {
    print_commands(stderr, prog, commands);
    return EXIT_USAGE;
  }
  const char *name = argv[1];
  if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
    print_commands(stdout, prog, commands);
    return EXIT_OK;
  }
  for (const struct cli_command *c = commands; c->name; c++)
    if (!strcmp(c->name, name)) return c->run(argc - 1, argv + 1);
  cli_error("%s: unknown command '%s' (try '%s --help')", prog, name, prog);
  return EXIT_USAGE;
}

int cli_save_secret(const char *db_path, const char *suffix, const char *what, const char *secret) {
  char path[4096];
  snprintf(path, sizeof path, "%s%s", db_path, suffix);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) { cli_error("cannot write %s", path); return -1; }
  fprintf(f, "%s\n", secret);
  fclose(f);
  printf("%s written to %s\n", what, path);
  return 0;
}
