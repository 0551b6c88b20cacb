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

/* The monthly assessment table of MONTH ('YYYY-MM'): per county, per
** section, class, target, pass and why. NULL on database error. */
json_t *water_month_json(sqlite3 *db, const struct water_standard *s,
                         const struct water_rule *rule, const char *month);

/* The annual assessment of YEAR per county: section-months, passes, rate,
** points, grade, money, the freeze flag and the lines of the computation. */
json_t *water_assess_json(sqlite3 *db, const struct water_standard *s,
                          const struct water_rule *rule, int year);

#endif
