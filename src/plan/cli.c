/*
** The plan capability's subcommands: `plan import|show|list` and
** `units list|alias|rename|succeed`.
*/
#include "plan/cli.h"
#include "db/db.h"
#include "db/sql.h"
#include "plan/plan.h"
#include "plan/store.h"
#include "util/buf.h"
#include "util/cli.h"
#include "util/file.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse getopt's common options (--db, --help) for a subcommand whose usage
** text is USAGE; returns -1 to continue, or an exit code. */
struct common_opts {
  const char *db;
  int json;
  struct plan_import_opts import;
};

static int parse_common(int argc, char **argv, const char *usage, struct common_opts *o) {
  static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"json", no_argument, NULL, 'j'},
    {"allow-incomplete", no_argument, NULL, 'a'},
    {"allow-removal", no_argument, NULL, 'r'},
    {"encoding", required_argument, NULL, 'e'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': o->db = optarg; break;
    case 'j': o->json = 1; break;
    case 'a': o->import.allow_incomplete = 1; break;
    case 'r': o->import.allow_removal = 1; break;
    case 'e': o->import.encoding = optarg; break;
    case 'h': fputs(usage, stdout); return EXIT_OK;
    default: fputs(usage, stderr); return EXIT_USAGE;
    }
  }
  return -1;
}

static sqlite3 *open_db(const struct common_opts *o) {
  char err[512];
  sqlite3 *db = db_open(cli_db_path(o->db), DB_EXISTING, err, sizeof err);
  if (!db) cli_error("%s", err);
  return db;
}

static void print_json(json_t *j) {
  char *text = json_dumps(j, JSON_INDENT(2));
  if (text) puts(text);
  free(text);
}

static const char import_usage[] =
  "usage: qingshui plan import [--db PATH] [--encoding NAME] [--allow-incomplete]\n"
  "                            [--allow-removal] FILE\n"
  "\n"
  "Parse an implementation plan (text written like 十政办发〔2018〕8号)\n"
  "and store its chapters, measures, lead and responsible units and targets.\n"
  "Re-importing the same document changes nothing; a revised document\n"
  "updates the stored plan in one transaction. FILE may be - for stdin; at\n"
  "most 16 MiB. A text that ends before its document does (fewer chapters\n"
  "than the preamble announces, a chapter without measures, a last measure\n"
  "without its units) is refused as incomplete.\n"
  "\n"
  "  --encoding NAME     the file's encoding (UTF-8, GB18030, GBK, UTF-16LE,\n"
  "                      UTF-16BE, ...); default: detected (a BOM, else UTF-8\n"
  "                      if valid, else GB18030)\n"
  "  --allow-incomplete  import even if the text is incomplete (measures\n"
  "                      without units, the document cut short)\n"
  "  --allow-removal     let a revision remove measures (never those that\n"
  "                      tasks hang on)\n"
  "  --db PATH           database (default $QINGSHUI_DB or " QS_DEFAULT_DB ")\n"
  "\nExit status: 0 imported or unchanged, 1 refused (reasons on stderr), 2 usage.\n";

/* The problems of kind KIND. */
static size_t count_kind(const struct plan_problems *p, enum plan_problem_kind kind) {
  size_t n = 0;
  for (size_t i = 0; i < p->n; i++) n += p->items[i].kind == kind;
  return n;
}

int plan_import_file(sqlite3 *db, const char *path, const struct plan_import_opts *opts,
                     const char *actor) {
  size_t len = 0;
  char err[4096];
  char *text = file_read_text(path, opts->encoding, PLAN_FILE_MAX, &len, err, sizeof err);
  if (!text) {
    cli_error("%s refused: %s", path, err);
    return EXIT_FAILED;
  }
  struct unit_dictionary dict = {0};
  struct plan_doc doc;
  struct plan_problems problems = {0};
  int rc = EXIT_FAILED;
  if (plan_load_dictionary(db, &dict, err, sizeof err)) {
    cli_error("%s", err);
    free(text);
    return EXIT_FAILED;
  }
  int parsed = plan_parse(text, len, &dict, &doc, &problems);
  for (size_t i = 0; i < problems.n; i++) {
    if (problems.items[i].line)
      fprintf(stderr, "%s:%d: %s\n", path, problems.items[i].line, problems.items[i].message);
    else
      fprintf(stderr, "%s: %s\n", path, problems.items[i].message);
  }
  if (parsed < 0) {
    cli_error("%s refused: it is not a plan this importer can read", path);
  } else if (count_kind(&problems, PLAN_DOC_INCOMPLETE) && !opts->allow_incomplete) {
    cli_error("%s refused as incomplete: the document is not all there (use "
              "--allow-incomplete to import it as it is)", path);
  } else if (problems.n && !opts->allow_incomplete) {
    cli_error("%s refused: %zu measure(s) without units (use --allow-incomplete to import anyway)",
              path, problems.n);
  } else {
    enum plan_import_outcome outcome;
    long long id;
    if (plan_store(db, &doc, path, actor, opts->allow_removal, &outcome, &id, err, sizeof err)) {
      cli_error("%s: %s", path, err);
    } else {
      static const char *const words[] = {"imported", "updated", "unchanged"};
      printf("%s %s: plan %lld, %s, %zu chapters, %zu measures\n", words[outcome],
             doc.doc_number, id, doc.title, doc.nchapters, doc.nmeasures);
      rc = EXIT_OK;
    }
  }
  plan_doc_free(&doc);
  plan_problems_free(&problems);
  unit_dictionary_free(&dict);
  free(text);
  return rc;
}

static int plan_import_main(int argc, char **argv) {
  struct common_opts o = {0};
  int rc = parse_common(argc, argv, import_usage, &o);
  if (rc >= 0) return rc;
  if (optind != argc - 1) {
    fputs(import_usage, stderr);
    return EXIT_USAGE;
  }
  sqlite3 *db = open_db(&o);
  if (!db) return EXIT_FAILED;
  rc = plan_import_file(db, argv[optind], &o.import, cli_actor());
  sqlite3_close_v2(db);
  return rc;
}

static const char show_usage[] =
  "usage: qingshui plan show [--db PATH] [--json] [ID]\n"
  "\n"
  "Print a plan: its chapters and measures with lead (牵头) and responsible\n"
  "(责任) units and the targets found in each. Without ID, the only plan or\n"
  "the list of plans.\n";

static void print_units(json_t *units, const char *role, const char *label) {
  size_t i;
  json_t *u;
  int first = 1;
  printf("      %s: ", label);
  json_array_foreach(units, i, u) {
    if (strcmp(json_string_value(json_object_get(u, "role")), role)) continue;
    const char *name = json_string_value(json_object_get(u, "name"));
    const char *now = json_string_value(json_object_get(u, "current_name"));
    printf("%s%s", first ? "" : "、", name);
    if (now && strcmp(now, name)) printf("（现%s）", now);
    first = 0;
  }
  putchar('\n');
}

static void print_plan(json_t *plan) {
  printf("%s  %s\n", json_string_value(json_object_get(plan, "doc_number")),
         json_string_value(json_object_get(plan, "title")));
  const char *issued = json_string_value(json_object_get(plan, "issued_on"));
  if (issued) printf("issued %s\n", issued);
  size_t i, j;
  json_t *c, *m;
  json_array_foreach(json_object_get(plan, "chapters"), i, c) {
    json_int_t ordinal = json_integer_value(json_object_get(c, "ordinal"));
    printf("\n%lld. %s\n", (long long)ordinal, json_string_value(json_object_get(c, "title")));
    json_array_foreach(json_object_get(plan, "measures"), j, m) {
      if (json_integer_value(json_object_get(m, "chapter")) != ordinal) continue;
      printf("  (%lld) %s\n", (long long)json_integer_value(json_object_get(m, "ordinal")),
             json_string_value(json_object_get(m, "title")));
      print_units(json_object_get(m, "units"), "lead", "牵头");
      print_units(json_object_get(m, "units"), "support", "责任");
      size_t k;
      json_t *t;
      json_array_foreach(json_object_get(m, "targets"), k, t)
        printf("      目标: %s\n", json_string_value(json_object_get(t, "phrase")));
    }
  }
}

static int plan_show_main(int argc, char **argv) {
  struct common_opts o = {0};
  int rc = parse_common(argc, argv, show_usage, &o);
  if (rc >= 0) return rc;
  if (optind < argc - 1) { fputs(show_usage, stderr); return EXIT_USAGE; }
  sqlite3 *db = open_db(&o);
  if (!db) return EXIT_FAILED;
  long long id = 0;
  if (optind == argc - 1) {
    char *end;
    id = strtoll(argv[optind], &end, 10);
    if (*end || id <= 0) {
      cli_error("plan show: '%s' is not a plan id", argv[optind]);
      sqlite3_close_v2(db);
      return EXIT_USAGE;
    }
  } else {
    json_t *plans = plan_query_plans(db);
    if (json_array_size(plans) == 1)
      id = json_integer_value(json_object_get(json_array_get(plans, 0), "id"));
    else if (o.json)
      print_json(plans);
    else if (!json_array_size(plans))
      cli_error("no plan imported yet (use 'qingshui plan import FILE')");
    size_t i;
    json_t *p;
    json_array_foreach(plans, i, p) if (!id && !o.json)
      printf("%lld  %s  %s\n", (long long)json_integer_value(json_object_get(p, "id")),
             json_string_value(json_object_get(p, "doc_number")),
             json_string_value(json_object_get(p, "title")));
    rc = json_array_size(plans) ? EXIT_OK : EXIT_FAILED;
    json_decref(plans);
  }
  if (id) {
    json_t *plan = plan_query_plan(db, id);
    if (!plan) {
      cli_error("plan %lld does not exist", id);
      rc = EXIT_FAILED;
    } else {
      if (o.json) print_json(plan); else print_plan(plan);
      rc = EXIT_OK;
    }
    json_decref(plan);
  }
  sqlite3_close_v2(db);
  return rc;
}

static const struct cli_command plan_commands[] = {
  {"import", plan_import_main, "import an implementation plan from a text file"},
  {"show", plan_show_main, "print a plan's chapters, measures, units and targets"},
  {NULL, NULL, NULL},
};

int plan_cli(int argc, char **argv) {
  return cli_dispatch("qingshui plan", plan_commands, argc, argv);
}

/* ---- units ------------------------------------------------------------- */

static const char units_list_usage[] =
  "usage: qingshui units list [--db PATH|URI] [--json] [NAME]\n"
  "\nEvery unit, with its kind and the number of measures it leads (牵头) and\n"
  "supports (责任), its former names and, for a unit that has ended, its\n"
  "successors. NAME keeps the units any of whose names, former names or\n"
  "aliases contains it.\n";

/* "原 A、B" and "→ C (merger 2020-01-01)": a unit's history on one line. */
static void print_history(json_t *u) {
  size_t i;
  json_t *v;
  json_array_foreach(json_object_get(u, "former_names"), i, v)
    printf("%s%s", i ? "、" : "  原 ", json_string_value(v));
  json_array_foreach(json_object_get(u, "successors"), i, v)
    printf("%s%s (%s %s)", i ? "、" : "  → ", json_string_value(json_object_get(v, "name")),
           json_string_value(json_object_get(v, "kind")), json_string_value(json_object_get(v, "date")));
}

static int units_list_main(int argc, char **argv) {
  struct common_opts o = {0};
  int rc = parse_common(argc, argv, units_list_usage, &o);
  if (rc >= 0) return rc;
  if (optind < argc - 1) { fputs(units_list_usage, stderr); return EXIT_USAGE; }
  char err[512];
  struct sql_db *db = sql_open(cli_db_path(o.db), DB_EXISTING, err, sizeof err);
  if (!db) { cli_error("%s", err); return EXIT_FAILED; }
  json_t *units = plan_query_units(db, optind < argc ? argv[optind] : NULL);
  if (o.json) {
    print_json(units);
  } else {
    size_t i;
    json_t *u;
    printf("%-5s %-18s %5s %5s  %s\n", "id", "kind", "lead", "supp", "name");
    json_array_foreach(units, i, u) {
      printf("%-5lld %-18s %5lld %5lld  %s", (long long)json_integer_value(json_object_get(u, "id")),
             json_string_value(json_object_get(u, "kind")),
             (long long)json_integer_value(json_object_get(u, "leads")),
             (long long)json_integer_value(json_object_get(u, "supports")),
             json_string_value(json_object_get(u, "name")));
      print_history(u);
      putchar('\n');
    }
  }
  json_decref(units);
  sql_close(db);
  return EXIT_OK;
}

static const char rename_usage[] =
  "usage: qingshui units rename [--db PATH] OLD NEW --date YYYY-MM-DD --source TEXT\n"
  "\nThe unit named OLD (any of its names) is called NEW from DATE on, as the\n"
  "document SOURCE says. It stays the same unit: its tasks, reports and\n"
  "accounts stay with it; plans keep the name they were written with and show\n"
  "the new one beside it. Audited.\n";

static const char succeed_usage[] =
  "usage: qingshui units succeed [--db PATH] OLD... --into NEW [--into NEW...]\n"
  "                              --date YYYY-MM-DD --source TEXT\n"
  "\nA merger (several OLD, one NEW) or a split (one OLD, several NEW): the OLD\n"
  "units end on DATE. NEW units that do not exist yet are created with the kind\n"
  "of the first OLD. Every NEW takes the tasks of the OLD units; the first NEW\n"
  "also takes their accounts, reports, notices and inbox. Plans keep naming the\n"
  "OLD units and show the NEW ones beside them. Audited.\n";

/* The options of `units rename` and `units succeed`. */
struct change_opts { const char *db, *date, *source; char *into[16]; size_t ninto; };

static int parse_change(int argc, char **argv, const char *usage, struct change_opts *o) {
  static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'}, {"date", required_argument, NULL, 't'},
    {"source", required_argument, NULL, 's'}, {"into", required_argument, NULL, 'i'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
  };
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    if (c == 'd') o->db = optarg;
    else if (c == 't') o->date = optarg;
    else if (c == 's') o->source = optarg;
    else if (c == 'i' && o->ninto == sizeof o->into / sizeof o->into[0]) {
      fprintf(stderr, "qingshui: at most %zu --into\n", sizeof o->into / sizeof o->into[0]);
      return EXIT_USAGE;
    } else if (c == 'i') o->into[o->ninto++] = optarg;
    else if (c == 'h') { fputs(usage, stdout); return EXIT_OK; }
    else { fputs(usage, stderr); return EXIT_USAGE; }
  }
  if (!o->date || !o->source) {
    fprintf(stderr, "qingshui: --date and --source are required\n%s", usage);
    return EXIT_USAGE;
  }
  return -1;
}

static int units_rename_main(int argc, char **argv) {
  struct change_opts o = {0};
  int rc = parse_change(argc, argv, rename_usage, &o);
  if (rc >= 0) return rc;
  if (optind != argc - 2 || o.ninto) { fputs(rename_usage, stderr); return EXIT_USAGE; }
  sqlite3 *db = open_db(&(struct common_opts){.db = o.db});
  if (!db) return EXIT_FAILED;
  char err[512];
  rc = EXIT_OK;
  if (plan_unit_rename(db, argv[optind], argv[optind + 1], o.date, o.source, cli_actor(),
                       err, sizeof err)) {
    cli_error("units rename: %s", err);
    rc = EXIT_FAILED;
  } else {
    printf("%s is %s from %s on\n", argv[optind], argv[optind + 1], o.date);
  }
  sqlite3_close_v2(db);
  return rc;
}

static int units_succeed_main(int argc, char **argv) {
  struct change_opts o = {0};
  int rc = parse_change(argc, argv, succeed_usage, &o);
  if (rc >= 0) return rc;
  if (optind == argc || !o.ninto) { fputs(succeed_usage, stderr); return EXIT_USAGE; }
  sqlite3 *db = open_db(&(struct common_opts){.db = o.db});
  if (!db) return EXIT_FAILED;
  char err[512];
  rc = EXIT_OK;
  size_t npreds = (size_t)(argc - optind);
  if (plan_unit_succeed(db, argv + optind, npreds, o.into, o.ninto, o.date, o.source,
                        cli_actor(), err, sizeof err)) {
    cli_error("units succeed: %s", err);
    rc = EXIT_FAILED;
  } else {
    printf("%zu unit(s) ended on %s; their work is with %zu successor(s)\n", npreds, o.date, o.ninto);
  }
  sqlite3_close_v2(db);
  return rc;
}

static const char alias_usage[] =
  "usage: qingshui units alias [--db PATH|URI] list\n"
  "       qingshui units alias [--db PATH|URI] set ALIAS UNIT\n"
  "       qingshui units alias [--db PATH|URI] remove ALIAS\n"
  "\nThe alias table maps names as documents write them to canonical units\n"
  "(农业局 -> 市农业局). Re-import a plan to apply a change to it.\n"
  "The database is a SQLite file or a postgresql:// URI.\n";

static int units_alias_main(int argc, char **argv) {
  struct common_opts o = {0};
  int rc = parse_common(argc, argv, alias_usage, &o);
  if (rc >= 0) return rc;
  int n = argc - optind;
  const char *verb = n ? argv[optind] : "";
  int ok_shape = (!strcmp(verb, "list") && n == 1) || (!strcmp(verb, "set") && n == 3) ||
                 (!strcmp(verb, "remove") && n == 2);
  if (!ok_shape) { fputs(alias_usage, stderr); return EXIT_USAGE; }
  char err[512];
  struct sql_db *db = sql_open(cli_db_path(o.db), DB_EXISTING, err, sizeof err);
  if (!db) { cli_error("%s", err); return EXIT_FAILED; }
  const char *actor = cli_actor();
  rc = EXIT_OK;
  if (!strcmp(verb, "list")) {
    json_t *aliases = plan_query_aliases(db);
    size_t i;
    json_t *a;
    json_array_foreach(aliases, i, a)
      printf("%s -> %s\n", json_string_value(json_object_get(a, "alias")),
             json_string_value(json_object_get(a, "unit")));
    json_decref(aliases);
  } else if (!strcmp(verb, "set")) {
    if (plan_put_alias(db, argv[optind + 1], argv[optind + 2], actor, err, sizeof err)) {
      cli_error("units alias set: %s", err);
      rc = EXIT_FAILED;
    }
  } else {
    int found = 0;
    if (plan_delete_alias(db, argv[optind + 1], actor, &found, err, sizeof err)) {
      cli_error("units alias remove: %s", err);
      rc = EXIT_FAILED;
    } else if (!found) {
      cli_error("units alias remove: no alias '%s'", argv[optind + 1]);
      rc = EXIT_FAILED;
    }
  }
  sql_close(db);
  return rc;
}

static const struct cli_command unit_commands[] = {
  {"list", units_list_main, "list units with their kind and roles"},
  {"alias", units_alias_main, "list, set or remove unit name aliases"},
  {"rename", units_rename_main, "give a unit a new name from a date on (a reform)"},
  {"succeed", units_succeed_main, "merge units into one or split one into several"},
  {NULL, NULL, NULL},
};

int units_cli(int argc, char **argv) {
  return cli_dispatch("qingshui units", unit_commands, argc, argv);
}
