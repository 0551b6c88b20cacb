/*
** `qingshui report assessment|water-month|tasks`: a report as the PDF the
** server's *.pdf routes send (report.h).
*/
#include "report/report.h"
#include "db/db.h"
#include "supervision/action.h"
#include "supervision/assessment.h"
#include "util/time.h"
#include "util/cli.h"
#include "water/cmd.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "usage: qingshui report assessment --year YYYY --out FILE.pdf [--db PATH] [--lang zh|en]\n"
  "       qingshui report tasks --year YYYY --out FILE.pdf [--db PATH] [--lang zh|en]\n"
  "       qingshui report water-month --month YYYY-MM --out FILE.pdf [--rule ID] [--db PATH] [--lang zh|en]\n"
  "\n"
  "Print a report to PDF in the official layout (the issuing body of\n"
  "data/report/letterhead.json, title, period, page numbers, signature):\n"
  "the annual assessment of units, the year's task list, the monthly\n"
  "cross-boundary water assessment.\n";

struct report_opts {
  const char *db, *out, *lang;
  int year;
};

static int parse(int argc, char **argv, struct report_opts *o) {
  static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'}, {"year", required_argument, NULL, 'y'},
    {"out", required_argument, NULL, 'o'}, {"lang", required_argument, NULL, 'l'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  int c;
  char *end;
  optind = 2;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'o': o->out = optarg; break;
    case 'l': o->lang = optarg; break;
    case 'y':
      o->year = (int)strtol(optarg, &end, 10);
      if (*end || o->year < 2000 || o->year > 2100) {
        cli_error("report: --year '%s' is not a year 2000..2100", optarg);
        return EXIT_USAGE;
      }
      break;
    case 'h': fputs(usage, stdout); return EXIT_OK;
    default: fputs(usage, stderr); return EXIT_USAGE;
    }
  }
  enum table_lang lang;
  if (table_lang_parse(o->lang, NULL, &lang)) {
    cli_error("report: --lang '%s' is not zh or en", o->lang);
    return EXIT_USAGE;
  }
  if (optind != argc || !o->year || !o->out) {
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  return -1;
}

/* The assessment or task list of O's year to O's file. */
static int supervision_report(const char *kind, const struct report_opts *o) {
  char err[512], today[11];
  sqlite3 *db = db_open(cli_db_path(o->db), DB_EXISTING, err, sizeof err);
  if (!db) {
    cli_error("%s", err);
    return EXIT_FAILED;
  }
  struct table_doc d;
  enum table_lang lang = TABLE_ZH;
  table_lang_parse(o->lang, NULL, &lang);   /* checked by parse() */
  int rc = 0;
  struct task_filter every = {.year = o->year};
  if (!strcmp(kind, "tasks")) report_tasks_doc(db, &every, lang, &d);
  else rc = assessment_doc(db, o->year, lang, &d, err, sizeof err);
  sqlite3_close_v2(db);
  if (rc) {
    cli_error("report %s: %s", kind, err);
    return EXIT_FAILED;
  }
  time_today(today);
  size_t len = 0;
  char *pdf = report_pdf(&d, today, &len, err, sizeof err);
  table_doc_free(&d);
  FILE *f = pdf ? fopen(o->out, "wb") : NULL;
  rc = EXIT_FAILED;
  if (!pdf) cli_error("report %s: %s", kind, err);
  else if (!f || fwrite(pdf, 1, len, f) != len) cli_error("report %s: %s: %s", kind, o->out, strerror(errno));
  else rc = EXIT_OK;
  if (f && fclose(f)) rc = EXIT_FAILED;
  free(pdf);
  return rc;
}

/* The monthly water assessment is `water export monthly` to a .pdf. */
static int water_month(int argc, char **argv) {
  char **args = calloc((size_t)argc + 2, sizeof *args);
  args[0] = "export";
  args[1] = "monthly";
  for (int i = 2; i < argc; i++) args[i] = argv[i];
  int rc = water_export_main(argc, args);
  free(args);
  return rc;
}

int report_main(int argc, char **argv) {
  const char *kind = argc > 1 ? argv[1] : "";
  if (!strcmp(kind, "--help") || !strcmp(kind, "-h")) {
    fputs(usage, stdout);
    return EXIT_OK;
  }
  if (!strcmp(kind, "water-month")) return water_month(argc, argv);
  if (strcmp(kind, "assessment") && strcmp(kind, "tasks")) {
    cli_error("report: '%s' is not a report (assessment, tasks, water-month)", kind);
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  struct report_opts o = {0};
  int rc = parse(argc, argv, &o);
  return rc >= 0 ? rc : supervision_report(kind, &o);
}
