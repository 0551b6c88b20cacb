/*
** GB 3838-2002 as data: the class limits of Table 1 and how each item is
** evaluated (decimals, whether it counts toward the class, priority among
** main pollutants, how it is averaged). Both come from CSV text
** (data/standards/gb3838_table1.csv and gb3838_evaluation.csv) so that the
** numbers live in one cited place; the binary passes the embedded copies,
** the unit tests read the files. Pure: no I/O.
**
** Item semantics read from the table:
**   direction "upper"  lower is better, a value meets class k if <= limit k;
**   direction "lower"  higher is better (DO), meets class k if >= limit k;
**   direction "range"  every class is the same range ("6-9" for pH); inside
**                      the range the item puts no constraint on the class,
**                      outside it the item is 劣Ⅴ; without limits (water
**                      temperature) the item has no class at all.
**   a row coded X_LAKE holds the lake/reservoir limits of item X (TP_LAKE).
*/
#ifndef QS_WATER_STANDARD_H
#define QS_WATER_STANDARD_H
#include <stddef.h>
#include <stdint.h>

#define WATER_MAX_ITEMS 48
#define WATER_NCLASS 5          /* classes Ⅰ..Ⅴ have limits */
#define WATER_CLASS_WORST 6     /* 劣Ⅴ: beyond class Ⅴ */

enum water_direction { WATER_UPPER, WATER_LOWER, WATER_RANGE };
enum water_mean { WATER_MEAN_ARITHMETIC, WATER_MEAN_HYDROGEN_ION };

/* The kind of water body decides the TP limits and whether TN counts.
** A river-type reservoir (河流型水库) is evaluated as a river. */
enum water_body { WATER_RIVER = 0, WATER_LAKE = 1 };

struct water_item {
  char code[16];               /* "CODMN" */
  char name[64];               /* short Chinese name, "高锰酸盐指数" */
  char unit[32];
  enum water_direction dir;
  int has_limits;              /* 0 for water temperature */
  double limit[WATER_NCLASS];  /* Ⅰ..Ⅴ; for a range: [0] low, [1] high */
  int has_lake_limits;         /* TP: separate lake/reservoir row */
  double lake_limit[WATER_NCLASS];
  int decimals;                /* evaluation decimals; -1 = compare unrounded */
  int in_class;                /* 1 if it is one of the class indicators */
  int priority;                /* cyanide / heavy metal */
  enum water_mean mean;
};

#define WATER_MAX_ERAS 4

struct water_standard {
  struct water_item item[WATER_MAX_ITEMS];
  int n;
  /* Decimals by date (data/standards/cnemc_decimals.csv): from era[k].from
  ** ('YYYY-MM-DD') on, the items round as in era[k].s, a copy of this
  ** standard with those decimals; before the first, as this one. */
  struct water_era { char from[11]; struct water_standard *s; } era[WATER_MAX_ERAS];
  int nera;
};

/* A set of items, bit i standing for standard->item[i]. */
typedef uint64_t water_mask;

/* Fill S from the two CSV texts. Returns 0, or -1 with a message naming the
** file's line in ERR. Every Table 1 item must have an evaluation row. */
int water_standard_load(struct water_standard *s,
                        const char *table1, size_t table1_len,
                        const char *evaluation, size_t evaluation_len,
                        char *err, size_t errlen);

/* Add the dated decimals of CSV (header code,from,decimals[,source]; rows
** of one date form one era, dates ascending, each row holding from its date
** on). The eras' copies are allocated once and live as long as the program.
** Returns 0, or -1 with the line and field in ERR (S unchanged then). */
int water_standard_load_decimals(struct water_standard *s, const char *csv, size_t len,
                                 char *err, size_t errlen);

/* The standard in force on WHEN: a date or time ('YYYY-MM-DD...') or a
** period key ('YYYY', 'YYYY-Qn', 'YYYY-MM'), a period taking the rules in
** force on its first day. NULL or "" gives S itself (the earliest rules). */
const struct water_standard *water_standard_on(const struct water_standard *s, const char *when);

/* Index of the item coded CODE (case-insensitive), or -1. */
int water_item_index(const struct water_standard *s, const char *code);

/* The items that make up the class by default (the 21 indicators). */
water_mask water_class_indicators(const struct water_standard *s);

/* The limits that apply to ITEM in a water body of kind BODY. */
const double *water_item_limits(const struct water_item *item, enum water_body body);

#endif
