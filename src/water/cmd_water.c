/*
** `qingshui water`: the subcommands of the water capability, and the
** embedded GB 3838 tables. I/O lives here; the work is in the pure core
** and in store/query/assess.
*/
#include "water/cmd.h"
#include "db/db.h"
#include "util/time.h"
#include "util/buf.h"
#include "util/cli.h"
#include "util/file.h"
#include "util/embedded.h"
#include "water/assess.h"
#include "water/classify.h"
#include "water/export.h"
#include "report/report.h"
#include "supervision/action.h"
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE1 "data/standards/gb3838_table1.csv"
#define EVALUATION "data/standards/gb3838_evaluation.csv"
#define DECIMALS "data/standards/cnemc_decimals.csv"

static struct water_standard builtin;
static char builtin_error[200];
static int builtin_ok;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

/* The decimals by date: the file QINGSHUI_WATER_DECIMALS names (the first
** day of the 2026 rules is not known for certain: see the table's source),
** else the embedded table. */
static int load_decimals(void) {
  const char *path = getenv("QINGSHUI_WATER_DECIMALS");
  if (path && *path) {
    size_t len;
    char *text = file_read(path, &len);
    if (!text) {
      snprintf(builtin_error, sizeof builtin_error, "QINGSHUI_WATER_DECIMALS: cannot read %s", path);
      return -1;
    }
    int rc = water_standard_load_decimals(&builtin, text, len, builtin_error, sizeof builtin_error);
    free(text);
    return rc;
  }
  const struct embedded_file *d = embedded_find(DECIMALS);
  if (!d) {
    snprintf(builtin_error, sizeof builtin_error, "%s is not embedded", DECIMALS);
    return -1;
  }
  return water_standard_load_decimals(&builtin, (const char *)d->data, d->size,
                                      builtin_error, sizeof builtin_error);
}

static void load_builtin(void) {
  const struct embedded_file *t = embedded_find(TABLE1);
  const struct embedded_file *e = embedded_find(EVALUATION);
  if (!t || !e) {
    snprintf(builtin_error, sizeof builtin_error, "%s or %s is not embedded", TABLE1, EVALUATION);
    return;
  }
  builtin_ok = !water_standard_load(&builtin, (const char *)t->data, t->size,
                                    (const char *)e->data, e->size,
                                    builtin_error, sizeof builtin_error) &&
               !load_decimals();
}

const struct water_standard *water_builtin_standard(char *err, size_t errlen) {
  pthread_once(&builtin_once, load_builtin);
  if (builtin_ok) return &builtin;
  snprintf(err, errlen, "%s", builtin_error);
  return NULL;
}

static const char classify_usage[] =
  "usage: qingshui water classify [FILE|-]\n"
  "\n"
  "Class of each row of readings by GB 3838-2002, as the 2011 evaluation method\n"
  "does it (values rounded half to even at the decimals in force at the row's\n"
  "time: data/standards/cnemc_decimals.csv, or the file QINGSHUI_WATER_DECIMALS\n"
  "names; a row without a time by the earliest rules; single-factor\n"
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
  struct buf out = {0};
  size_t len = 0;
  int rc = EXIT_FAILED;
  char *in = file_read_text(path, NULL, CSV_FILE_MAX, &len, err, sizeof err);
  if (!in) cli_error("water classify: %s: %s", path, err);
  else if (water_classify_csv(s, in, len, &out, err, sizeof err))
    cli_error("water classify: %s: %s", path, err);
  else if (fwrite(buf_str(&out), 1, out.len, stdout) != out.len || fflush(stdout))
    cli_error("water classify: writing: %s", strerror(errno));
  else rc = EXIT_OK;
  free(in);
  buf_free(&out);
  return rc;
}

/* ---- database subcommands ----------------------------------------------- */

struct opts {
  const char *db, *month, *rule, *rule_file, *state, *out, *note;
  const char *encoding;        /* of an imported CSV; NULL: detected */
  const char *lang;            /* export headings: zh (default) or en */
  int year;
  int argc;                    /* positional arguments left */
  char **argv;
};

/* Parse the options every database subcommand shares; returns -1 to go
** on, or an exit code (help printed, or a usage error). */
static int parse_opts(int argc, char **argv, const char *usage, struct opts *o) {
  static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'}, {"month", required_argument, NULL, 'm'},
    {"year", required_argument, NULL, 'y'}, {"rule", required_argument, NULL, 'r'},
    {"rule-file", required_argument, NULL, 'f'}, {"state", required_argument, NULL, 's'},
    {"out", required_argument, NULL, 'o'}, {"note", required_argument, NULL, 'n'},
    {"encoding", required_argument, NULL, 'e'}, {"lang", required_argument, NULL, 'l'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
  };
  int c;
  memset(o, 0, sizeof *o);
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'm': o->month = optarg; break;
    case 'y': o->year = atoi(optarg); break;
    case 'r': o->rule = optarg; break;
    case 'f': o->rule_file = optarg; break;
    case 's': o->state = optarg; break;
    case 'o': o->out = optarg; break;
    case 'n': o->note = optarg; break;
    case 'e': o->encoding = optarg; break;
    case 'l': o->lang = optarg; break;
    case 'h': fputs(usage, stdout); return EXIT_OK;
    default: fputs(usage, stderr); return EXIT_USAGE;
    }
  }
  o->argc = argc - optind;
  o->argv = argv + optind;
  return -1;
}

/* The database and the standard, or NULL after an error message. */
static sqlite3 *open_db(const struct opts *o, const struct water_standard **s) {
  char err[512];
  if (!(*s = water_builtin_standard(err, sizeof err))) {
    cli_error("water: %s", err);
    return NULL;
  }
  sqlite3 *db = db_open(cli_db_path(o->db), DB_EXISTING, err, sizeof err);
  if (!db) cli_error("%s", err);
  return db;
}

static int print_json(json_t *j) {
  if (!j) {
    cli_error("water: database error");
    return EXIT_FAILED;
  }
  char *text = json_dumps(j, JSON_INDENT(2));
  if (text) puts(text);
  free(text);
  json_decref(j);
  return EXIT_OK;
}

/* The rule from --rule-file, or the embedded --rule (default Shiyan 2016). */
static int load_rule(const struct opts *o, const struct water_standard *s, struct water_rule *r) {
  char err[256];
  if (o->rule_file) {
    size_t len = 0;
    char *text = file_read(o->rule_file, &len);
    int rc = !text ? -1 : water_rule_parse(s, text, len, r, err, sizeof err);
    if (rc) cli_error("water: rule %s: %s", o->rule_file, text ? err : strerror(errno));
    free(text);
    return rc;
  }
  if (water_rule_builtin(s, o->rule ? o->rule : "shiyan-2016", r, err, sizeof err)) {
    cli_error("water: %s (rules: hubei, shiyan-2016, shiyan-2021, example-tiered)", err);
    return -1;
  }
  return 0;
}

static const char sections_usage[] =
  "usage: qingshui water sections [--db PATH] [--encoding NAME] [FILE|-]\n"
  "\n"
  "Without FILE, list the monitoring sections as JSON. With FILE, import\n"
  "sections from CSV (header name,river,body,level and optionally province,\n"
  "city,county,county_up,county_down,inflow,target_class,target_demo,items,\n"
  "stations,lat,lon,note), inserting or updating by name; all or nothing.\n"
  "body: river|lake|river_reservoir; level: national|provincial|city.\n"
  "The file's encoding (UTF-8, GB18030, UTF-16 with a BOM) is detected\n"
  "unless --encoding names it.\n";

static int cmd_sections(int argc, char **argv) {
  struct opts o;
  int rc = parse_opts(argc, argv, sections_usage, &o);
  if (rc >= 0) return rc;
  if (o.argc > 1) { fputs(sections_usage, stderr); return EXIT_USAGE; }
  const struct water_standard *s;
  sqlite3 *db = open_db(&o, &s);
  if (!db) return EXIT_FAILED;
  if (!o.argc) rc = print_json(water_sections_json(db));
  else {
    char err[300];
    int n;
    size_t len = 0;
    char *in = file_read_text(o.argv[0], o.encoding, CSV_FILE_MAX, &len, err, sizeof err);
    if (!in) cli_error("water sections: %s: %s", o.argv[0], err);
    else if (water_import_sections(db, s, in, len, cli_actor(), &n, err, sizeof err))
      cli_error("water sections: %s: %s", o.argv[0], err);
    else { printf("%d sections stored\n", n); rc = EXIT_OK; }
    free(in);
    if (rc < 0) rc = EXIT_FAILED;
  }
  sqlite3_close_v2(db);
  return rc;
}

static const char import_usage[] =
  "usage: qingshui water import [--db PATH] [--encoding NAME] FILE|-\n"
  "\n"
  "Import monitoring data from CSV with the header section,time,item,value\n"
  "(and optionally flag): time YYYY-MM-DD HH:MM, item a GB 3838 code, value\n"
  "as measured (0.01L, or flag L, for below the detection limit). All or\n"
  "nothing: an error names its line and field and nothing is stored.\n"
  "Aggregates and alarms are updated in the same transaction. The file's\n"
  "encoding is detected unless --encoding names it (as for water sections).\n";

static int cmd_import(int argc, char **argv) {
  struct opts o;
  int rc = parse_opts(argc, argv, import_usage, &o);
  if (rc >= 0) return rc;
  if (o.argc != 1) { fputs(import_usage, stderr); return EXIT_USAGE; }
  const struct water_standard *s;
  sqlite3 *db = open_db(&o, &s);
  if (!db) return EXIT_FAILED;
  size_t len = 0;
  char err[300];
  int n, alarms;
  rc = EXIT_FAILED;
  char *in = file_read_text(o.argv[0], o.encoding, CSV_FILE_MAX, &len, err, sizeof err);
  if (!in) cli_error("water import: %s: %s", o.argv[0], err);
  else if (water_import_readings(db, s, in, len, "csv", cli_actor(), &n, &alarms, err, sizeof err))
    cli_error("water import: %s: %s", o.argv[0], err);
  else { printf("%d readings stored, %d alarms opened\n", n, alarms); rc = EXIT_OK; }
  free(in);
  sqlite3_close_v2(db);
  return rc;
}

static const char report_usage[] =
  "usage: qingshui water overview [--db PATH] [--month YYYY-MM] [--rule ID|--rule-file F]\n"
  "       qingshui water month    [--db PATH] --month YYYY-MM [--rule ID|--rule-file F]\n"
  "       qingshui water assess   [--db PATH] --year YYYY [--rule ID|--rule-file F]\n"
  "       qingshui water alarms   [--db PATH] [--state open|acknowledged|closed]\n"
  "\n"
  "Print, as JSON: the class of every section for a month (overview); the\n"
  "monthly cross-boundary assessment per county (month); the annual\n"
  "assessment with its computation line by line, grade, money and the\n"
  "区域限批 flag (assess); the alarms (alarms). Rules: hubei, shiyan-2016\n"
  "(default), shiyan-2021, example-tiered, or a JSON file of your own.\n"
  "A month, a county-year with less data than the rule's \"coverage\" asks\n"
  "is 数据不足: no class, grade or money; one not over on QINGSHUI_TODAY (or\n"
  "today) is 进行中: provisional, no money.\n";

/* Is TEXT a month 'YYYY-MM' (01..12)? */
static int is_month(const char *text) {
  struct water_span span;
  return text && !water_period_span(text, &span) && span.kind == WATER_SPAN_MONTH &&
         atoi(text + 5) >= 1 && atoi(text + 5) <= 12;
}

static int cmd_report(int argc, char **argv) {
  struct opts o;
  int rc = parse_opts(argc, argv, report_usage, &o);
  if (rc >= 0) return rc;
  const char *what = argv[0];
  int needs_month = !strcmp(what, "month"), needs_year = !strcmp(what, "assess");
  if (o.argc || (needs_month && !is_month(o.month)) || (needs_year && !o.year)) {
    fputs(report_usage, stderr);
    return EXIT_USAGE;
  }
  const struct water_standard *s;
  struct water_rule rule;
  sqlite3 *db = open_db(&o, &s);
  if (!db) return EXIT_FAILED;
  char today[11];
  time_today(today);
  if (!strcmp(what, "alarms")) rc = print_json(water_alarms_json(db, o.state));
  else if (load_rule(&o, s, &rule)) rc = EXIT_FAILED;
  else {
    /* the overview judges a month by the rule's minimum too */
    rc = print_json(!strcmp(what, "overview") ? water_overview_json(db, s, o.month, &rule.minimum, today)
                    : needs_month ? water_month_json(db, s, &rule, o.month, today)
                    : water_assess_json(db, s, &rule, o.year, today));
    water_rule_free(&rule);
  }
  sqlite3_close_v2(db);
  return rc;
}

static const char alarm_usage[] =
  "usage: qingshui water alarm [--db PATH] [--note TEXT] acknowledge|close ID\n"
  "\n"
  "Move an alarm: open -> acknowledged -> closed (open -> closed too).\n";

static int cmd_alarm(int argc, char **argv) {
  struct opts o;
  int rc = parse_opts(argc, argv, alarm_usage, &o);
  if (rc >= 0) return rc;
  if (o.argc != 2 || (strcmp(o.argv[0], "acknowledge") && strcmp(o.argv[0], "close"))) {
    fputs(alarm_usage, stderr);
    return EXIT_USAGE;
  }
  const struct water_standard *s;
  sqlite3 *db = open_db(&o, &s);
  if (!db) return EXIT_FAILED;
  char err[256];
  const char *to = strcmp(o.argv[0], "close") ? "acknowledged" : "closed";
  rc = water_alarm_move(db, atoll(o.argv[1]), to, cli_actor(), o.note, err, sizeof err);
  if (rc < 0) cli_error("water alarm: %s", err);
  else if (rc) cli_error("water alarm: alarm %s cannot become %s", o.argv[1], to);
  else printf("alarm %s %s\n", o.argv[1], to);
  sqlite3_close_v2(db);
  return rc ? EXIT_FAILED : EXIT_OK;
}

static const char export_usage[] =
  "usage: qingshui water export [--db PATH] --out FILE.xlsx|FILE.pdf TABLE\n"
  "                             [--month YYYY-MM] [--year YYYY] [--rule ID] [--lang zh|en]\n"
  "\n"
  "Write TABLE to an Excel workbook, or a PDF when FILE ends in .pdf: overview\n"
  "[--month], monthly --month, assessment --year (with its computation sheet),\n"
  "alarms. Headings in Chinese, or English with --lang en.\n";

/* A's table as FILE's kind (.pdf or .xlsx) in memory, or NULL with ERR. */
static char *export_bytes(sqlite3 *db, const struct water_standard *s, const struct water_export_args *a,
                          const char *file, size_t *len, char *err, size_t errlen) {
  size_t n = strlen(file);
  if (n < 4 || strcmp(file + n - 4, ".pdf")) {
    char name[TABLE_FILE_NAME_SIZE];
    return water_export_xlsx(db, s, a, len, name, err, errlen);
  }
  struct table_doc d;
  if (water_export_doc(db, s, a, &d, err, errlen)) return NULL;
  char *pdf = report_pdf(&d, a->today, len, err, errlen);
  table_doc_free(&d);
  return pdf;
}

int water_export_main(int argc, char **argv) {
  struct opts o;
  int rc = parse_opts(argc, argv, export_usage, &o);
  if (rc >= 0) return rc;
  if (o.argc != 1 || !o.out) { fputs(export_usage, stderr); return EXIT_USAGE; }
  enum table_lang lang;
  if (table_lang_parse(o.lang, NULL, &lang)) {
    cli_error("water export: --lang '%s' is not zh or en", o.lang);
    return EXIT_USAGE;
  }
  const struct water_standard *s;
  struct water_rule rule;
  sqlite3 *db = open_db(&o, &s);
  if (!db) return EXIT_FAILED;
  rc = EXIT_FAILED;
  if (!load_rule(&o, s, &rule)) {
    char today[11];
    time_today(today);
    struct water_export_args a = {o.argv[0], o.month, o.year, &rule, today, lang};
    char err[256];
    size_t len;
    char *bytes = export_bytes(db, s, &a, o.out, &len, err, sizeof err);
    FILE *f = bytes ? fopen(o.out, "wb") : NULL;
    if (!bytes) cli_error("water export: %s", err);
    else if (!f || fwrite(bytes, 1, len, f) != len) cli_error("water export: %s: %s", o.out, strerror(errno));
    else rc = EXIT_OK;
    if (f && fclose(f)) rc = EXIT_FAILED;
    free(bytes);
    water_rule_free(&rule);
  }
  sqlite3_close_v2(db);
  return rc;
}

static const struct cli_command water_commands[] = {
  {"classify", cmd_classify, "class of each row of a readings CSV (GB 3838-2002)"},
  {"sections", cmd_sections, "list monitoring sections, or import them from CSV"},
  {"import", cmd_import, "import monitoring data from CSV (all or nothing)"},
  {"overview", cmd_report, "class of every section for a month"},
  {"month", cmd_report, "monthly cross-boundary assessment per county"},
  {"assess", cmd_report, "annual assessment per county, line by line"},
  {"alarms", cmd_report, "list alarms"},
  {"alarm", cmd_alarm, "acknowledge or close an alarm"},
  {"export", water_export_main, "export a table to Excel or PDF"},
  {NULL, NULL, NULL},
};

int water_main(int argc, char **argv) {
  return cli_dispatch("qingshui water", water_commands, argc, argv);
}
