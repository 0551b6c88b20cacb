/*
** `qingshui water`: the subcommands of the water capability, and the
** embedded GB 3838 tables. I/O lives here; the work is in the pure core.
*/
#include "water/cmd.h"
#include "util/buf.h"
#include "util/cli.h"
#include "util/embedded.h"
#include "water/classify.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define TABLE1 "data/standards/gb3838_table1.csv"
#define EVALUATION "data/standards/gb3838_evaluation.csv"

static struct water_standard builtin;
static char builtin_error[200];
static int builtin_ok;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void load_builtin(void) {
  const struct embedded_file *t = embedded_find(TABLE1);
  const struct embedded_file *e = embedded_find(EVALUATION);
  if (!t || !e) {
    snprintf(builtin_error, sizeof builtin_error, "%s or %s is not embedded", TABLE1, EVALUATION);
    return;
  }
  builtin_ok = !water_standard_load(&builtin, (const char *)t->data, t->size,
                                    (const char *)e->data, e->size,
                                    builtin_error, sizeof builtin_error);
}

const struct water_standard *water_builtin_standard(char *err, size_t errlen) {
  pthread_once(&builtin_once, load_builtin);
  if (builtin_ok) return &builtin;
  snprintf(err, errlen, "%s", builtin_error);
  return NULL;
}

/* The whole of PATH ("-" = stdin) into OUT; -1 with errno on failure. */
static int read_input(const char *path, struct buf *out) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) return -1;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(out, chunk, n);
  int failed = ferror(f);
  if (f != stdin) fclose(f);
  if (failed) errno = EIO;
  return failed ? -1 : 0;
}

static const char classify_usage[] =
  "usage: qingshui water classify [FILE|-]\n"
  "\n"
  "Class of each row of readings by GB 3838-2002, as the 2011 evaluation method\n"
  "does it (values rounded half to even at each item's decimals, single-factor\n"
  "class over the class indicators present, lake TP limits and no TN for lakes).\n"
  "\n"
  "Input (FILE, or standard input when FILE is - or absent): CSV with the header\n"
  "section,type,time, then item codes of GB 3838 Table 1 (PH, DO, CODMN, COD,\n"
  "BOD5, NH3N, TP, TN, CU, ZN, F, SE, AS, HG, CD, CR6, PB, CN, VPHENOL, PETRO,\n"
  "LAS, S2, FCOLI, WT); type is river or lake (reservoir = lake; a river-type\n"
  "reservoir is a river); values as measured, 0.01L for below the detection\n"
  "limit (counted as half of it), empty when not measured.\n"
  "\n"
  "Output (standard output): the same rows with class (1-6, 6 = worse than V),\n"
  "class_label, rating and main_pollutants appended. A malformed row stops the\n"
  "command with its line and field and exit status 1, before any output.\n";

static int cmd_classify(int argc, char **argv) {
  if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(classify_usage, stdout);
    return EXIT_OK;
  }
  if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1])) {
    fputs(classify_usage, stderr);
    return EXIT_USAGE;
  }
  char err[256];
  const struct water_standard *s = water_builtin_standard(err, sizeof err);
  if (!s) {
    cli_error("water classify: %s", err);
    return EXIT_FAILED;
  }
  const char *path = argc == 2 ? argv[1] : "-";
  struct buf in = {0}, out = {0};
  int rc = EXIT_FAILED;
  if (read_input(path, &in)) cli_error("water classify: %s: %s", path, strerror(errno));
  else if (water_classify_csv(s, buf_str(&in), in.len, &out, err, sizeof err))
    cli_error("water classify: %s: %s", path, err);
  else if (fwrite(buf_str(&out), 1, out.len, stdout) != out.len || fflush(stdout))
    cli_error("water classify: writing: %s", strerror(errno));
  else rc = EXIT_OK;
  buf_free(&in);
  buf_free(&out);
  return rc;
}

static const struct cli_command water_commands[] = {
  {"classify", cmd_classify, "class of each row of a readings CSV (GB 3838-2002)"},
  {NULL, NULL, NULL},
};

int water_main(int argc, char **argv) {
  return cli_dispatch("qingshui water", water_commands, argc, argv);
}
