/*
** Cross-boundary section assessment and compensation, with the rules as
** configuration (data/water/rules/ID.json, or a city's own file): the
** indicators assessed, the monthly pass rule (target met, or no indicator
** worse than at the inflow section), grades by annual pass rate or by
** points, and money terms (deposit returned or forfeited by grade, tiered
** penalty base × (1 + m), points per class of improvement). Results come
** with their computation line by line and the 区域限批 flag.
*/
#ifndef QS_WATER_ASSESS_H
#define QS_WATER_ASSESS_H
#include "water/coverage.h"
#include "water/store.h"
#include <jansson.h>
#include <sqlite3.h>

#define WATER_MAX_GRADES 8
#define WATER_MAX_TIERS 12

struct water_rule {
  char id[64];
  char name[256];
  water_mask indicators;       /* 0 = the class indicators */
  int inflow_not_worse;        /* a month also passes if no indicator is worse than inflow */
  int by_points;               /* grades by points instead of pass rate */
  double points_base, points_per_class;
  struct { char name[32]; double min; } grade[WATER_MAX_GRADES];
  int ngrades;                 /* best first */
  char freeze[32];             /* the grade that triggers 区域限批 */
  char unit[16];
  double deposit;              /* 0 = no deposit term */
  json_t *deposit_by_grade;    /* grade -> "return" | "forfeit" (owned) */
  struct { double above, base; } tier[WATER_MAX_TIERS];
  int ntiers;
  struct water_minimum minimum;  /* "coverage": the data a period needs to be judged */
  char minimum_source[1024];
};

/* Parse a rule from JSON text; -1 with ERR naming the problem. Free with
** water_rule_free. */
int water_rule_parse(const struct water_standard *s, const char *text, size_t len,
                     struct water_rule *r, char *err, size_t errlen);
/* The embedded rule data/water/rules/ID.json. */
int water_rule_builtin(const struct water_standard *s, const char *id, struct water_rule *r,
                       char *err, size_t errlen);
void water_rule_free(struct water_rule *r);

/* The embedded rules: [{id, name, source}, ...]. */
json_t *water_rules_json(void);

/* The rule's minimum as JSON: {month_min_days, quarter_min_days,
** year_min_months, source}. */
json_t *water_minimum_json(const struct water_rule *rule);

/* The coverage of SECTION over PERIOD (a month or quarter: days with data;
** a year: months with the rule's days) on TODAY into OUT. Returns 1, 0 for
** an hour or a day (no coverage rule), -1 on error. */
int water_section_coverage(sqlite3 *db, const struct water_rule *rule, long long section,
                           const char *period, const char *today, struct water_coverage *out);

/* The monthly assessment table of MONTH ('YYYY-MM') on TODAY: per county,
** per assessed section, its coverage and status, and when judged (enough
** days with data) class, target, pass and why. NULL on database error. */
json_t *water_month_json(sqlite3 *db, const struct water_standard *s,
                         const struct water_rule *rule, const char *month, const char *today);

/* The annual assessment of YEAR per county on TODAY: coverage and status,
** section-months, passes, rate, points, grade, money, the freeze flag and
** the lines of the computation. A county under the rule's minimum gets no
** rate, grade, money or freeze; a year not over gets a provisional grade
** and no money or freeze. NULL on database error. */
json_t *water_assess_json(sqlite3 *db, const struct water_standard *s,
                          const struct water_rule *rule, int year, const char *today);

#endif
