/*
** An implementation plan as parsed from its text: the pure core of the plan
** capability. Parsing needs no I/O: the caller passes the document's bytes
** and the unit dictionary (aliases, collectives, kinds), which lives in the
** database and is edited by users.
**
** A plan written like 十政办发〔2018〕8号 has a document number, a notice
** title, an issuing date, the plan's title, chapters "一、..." and measures
** "(一)..." numbered through the whole document, each ending with its units:
** "(牵头单位:A、B,责任单位:C,各县市区人民政府)".
*/
#ifndef QS_PLAN_H
#define QS_PLAN_H
#include <stddef.h>

enum unit_kind {
  UNIT_CITY_DEPARTMENT,
  UNIT_COUNTY_GOVERNMENT,
  UNIT_ZONE_COMMITTEE,
  UNIT_COLLECTIVE,
  UNIT_COMPANY,
  UNIT_OTHER,
};

/* The stable names used in the database, the API and the CSV data. */
const char *unit_kind_name(enum unit_kind kind);
/* Parse a kind name; returns -1 if unknown. */
int unit_kind_parse(const char *name);

/* What turns the unit names written in a document into canonical units. */
struct unit_dictionary {
  struct { char *alias, *name; } *aliases;          /* 农业局 -> 市农业局 */
  size_t naliases;
  struct { char *name; char **members; size_t nmembers; } *collectives;
  size_t ncollectives;                               /* 各县市区人民政府 -> 8 */
  struct { char *name; enum unit_kind kind; } *units; /* known units' kinds */
  size_t nunits;
  struct { char *suffix; enum unit_kind kind; } *suffix_rules;
  size_t nsuffix_rules;                              /* 管委会 -> zone committee */
};

void unit_dictionary_add_alias(struct unit_dictionary *d, const char *alias, const char *name);
void unit_dictionary_add_member(struct unit_dictionary *d, const char *collective, const char *member);
void unit_dictionary_add_unit(struct unit_dictionary *d, const char *name, enum unit_kind kind);
void unit_dictionary_add_suffix(struct unit_dictionary *d, const char *suffix, enum unit_kind kind);
void unit_dictionary_free(struct unit_dictionary *d);
/* Canonical name of NAME through the alias table (NAME itself if none). */
const char *unit_dictionary_canonical(const struct unit_dictionary *d, const char *name);
/* Kind of a canonical unit name: the known units first, then suffix rules. */
enum unit_kind unit_dictionary_kind(const struct unit_dictionary *d, const char *name);

/* A unit renamed, merged or split on DATE: DATE is a day YYYY-MM-DD after
** SINCE, the day the unit took its present name (NULL: before the records).
** Returns 0, or -1 with the reason in ERR. */
int unit_change_check(const char *since, const char *date, char *err, size_t errlen);
/* The same for renaming the unit called CURRENT to NEW_NAME, which must be
** another, non-empty name. */
int unit_rename_check(const char *current, const char *since, const char *new_name,
                      const char *date, char *err, size_t errlen);
/* "merger" (one or more units into one), "split" (one into several), or
** NULL (several into several, or none: not a succession). */
const char *unit_succession_kind(size_t npreds, size_t nsuccs);

enum unit_role { ROLE_LEAD, ROLE_SUPPORT };

struct unit_ref {
  char *name;          /* canonical unit name */
  char *written;       /* as the document wrote it (before aliasing) */
  char *via;           /* the collective it was expanded from, or NULL */
  enum unit_role role;
};

enum target_kind { TARGET_DATED, TARGET_QUANTITY };

struct plan_target {
  enum target_kind kind;
  int year, month;     /* for dated targets: the deadline (month 0 = year end) */
  double value;        /* for quantities: the number (七个 -> 7, 2.4万亩 -> 2.4) */
  char *measure_unit;  /* for quantities: 公里, 万亩, 个 ... */
  char *phrase;        /* the words that carry it: 到2020年, 818平方公里 */
  char *sentence;      /* the sentence it came from */
};

struct plan_measure {
  int ordinal;         /* (七十二) -> 72 */
  int chapter;         /* ordinal of its chapter */
  int line;            /* line of the document where it starts */
  char *title;         /* the first sentence, without its full stop */
  char *body;          /* the full text as written, units included */
  struct unit_ref *units;
  size_t nunits;
  struct plan_target *targets;
  size_t ntargets;
};

struct plan_chapter {
  int ordinal;
  int line;
  char *title;
};

struct plan_doc {
  char *doc_number;    /* 十政办发〔2018〕8号 */
  char *notice_title;  /* 关于印发...的通知 (may be NULL) */
  char *title;         /* the plan's own title */
  char *issuer;        /* 市人民政府办公室 (may be NULL) */
  char issued_on[11];  /* YYYY-MM-DD, or "" if not found */
  struct plan_chapter *chapters;
  size_t nchapters;
  struct plan_measure *measures;
  size_t nmeasures;
};

enum plan_problem_kind {
  PLAN_NOT_A_PLAN,          /* fatal: nothing can be imported */
  PLAN_DOC_INCOMPLETE,      /* the document is not all there: cut short, a chapter empty */
  PLAN_MEASURE_NO_UNITS,    /* a measure names no lead or responsible units */
};

/* A problem found while parsing: line 0 means the document as a whole. */
struct plan_problem {
  int line;
  enum plan_problem_kind kind;
  char message[320];
};

struct plan_problems {
  struct plan_problem *items;
  size_t n;
};

/* Parse TEXT (LEN bytes of UTF-8). Fills DOC and appends problems. Returns 0
** if the text is a plan (DOC then holds it, possibly with problems of the
** other kinds: measures without units, a text that ends before the
** document does), -1 if it is not (a PLAN_NOT_A_PLAN problem says why).
** The document's end is known by what it announces and how it closes: the
** chapters the preamble counts (共计十个方面), a measure under every
** chapter, the last measure closed by its units. Free DOC with
** plan_doc_free even on failure. */
int plan_parse(const char *text, size_t len, const struct unit_dictionary *dict,
               struct plan_doc *doc, struct plan_problems *problems);

void plan_doc_free(struct plan_doc *doc);
void plan_problems_free(struct plan_problems *p);

/* Split one unit list ("市环保局、市农业局等部门,各县市区人民政府") and append
** canonical references with ROLE to M, expanding collectives. Exposed for
** tests. */
void plan_add_units(struct plan_measure *m, const char *list, enum unit_role role,
                    const struct unit_dictionary *dict);

/* Find the dated and quantified targets in M's body. Exposed for tests. */
void plan_extract_targets(struct plan_measure *m);

#endif
