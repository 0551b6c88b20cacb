/*
** Annual assessment (目标责任考核) of units: the pure core. The caller counts
** each unit's facts for the year from the database; this turns them into a
** 100-point score, a grade and a rank, with a breakdown an auditor can redo
** by hand. Every number comes from assessment.json (data/supervision/).
**
** Arithmetic is done in hundredths of a point with integers, rounding half
** up at each step shown in the breakdown, so that the printed numbers add
** up exactly and equal scores are equal (ties share a rank).
**
**   completion  = w × tasks_completed / tasks_total
**   timeliness  = w × (tasks_on_time + milestones_on_time)
**                   / (tasks_total + milestones_due)
**   reports     = w × reports_on_time / reports_due
**   quality     = w × (sum of ratings) / (5 × number rated)
**   base        = sum of the parts; if a part has nothing to measure
**                 (no reports due, no rated task) it is "n/a" and the base
**                 is scaled over the remaining weights (折算):
**                 base = sum of parts / sum of their weights × 100
**   deduction   = sum over levels of notices × points, at most the cap
**   score       = max(0, base − deduction)
**   grade       = the first grade (highest first) whose minimum <= score
**   rank        = 1 + the number of assessed units with a higher score
**
** A unit with no tasks has nothing to assess: it is "not assessed" (不参评),
** scores 0, has no grade (-1) and no rank (0), and does not push others
** down; its JSON has null for score and rank.
*/
#ifndef QS_SUPERVISION_SCORE_H
#define QS_SUPERVISION_SCORE_H
#include <jansson.h>
#include <stddef.h>

enum score_part { SCORE_COMPLETION, SCORE_TIMELINESS, SCORE_REPORTS, SCORE_QUALITY, SCORE_PARTS };

/* The notice levels, as stored in notice.level. */
enum notice_level { NOTICE_CUIBAN, NOTICE_DUBAN, NOTICE_GUAPAI, NOTICE_LEVELS };

#define SCORE_RATING_MAX 5
#define SCORE_MAX_GRADES 8
#define SCORE_NAME_SIZE 32
#define SCORE_FORMULA_SIZE 160

struct score_grade {
  char code[SCORE_NAME_SIZE];      /* "excellent" */
  char zh[SCORE_NAME_SIZE];        /* "优秀" */
  char en[SCORE_NAME_SIZE];        /* "Excellent" */
  long min;                        /* minimum score, hundredths of a point */
};

/* Weights and points are kept in hundredths of a point. */
struct assessment_config {
  long weight[SCORE_PARTS];        /* add up to 10000; completion > 0 */
  long deduction[NOTICE_LEVELS];   /* per notice received */
  long deduction_cap;
  struct score_grade grades[SCORE_MAX_GRADES];  /* highest first, last min 0 */
  size_t ngrades;
};

/* Parse the text of assessment.json into *OUT. Returns 0, or -1 with ERR
** (of ERRLEN bytes) naming the field: "assessment.json: weights.quality
** must be a number 0..100 with at most 2 decimals". */
int assessment_config_parse(const char *json_text, struct assessment_config *out,
                            char *err, size_t errlen);

/* One unit's facts for the assessed year, counted by the caller. */
struct unit_facts {
  const char *name;                /* borrowed; only used in error messages */
  int tasks_total;                 /* the year's tasks where the unit leads */
  int tasks_completed;             /* confirmed done (办结) */
  int tasks_on_time;               /* completed on or before their end day */
  int milestones_due;              /* milestones due in the year */
  int milestones_on_time;          /* done on or before their due day */
  int reports_due;                 /* see light_report_required */
  int reports_on_time;             /* submitted by light_report_deadline */
  int notices[NOTICE_LEVELS];      /* notices received, by level */
  int ratings[SCORE_RATING_MAX];   /* ratings[k]: completed tasks rated k + 1 */
};

/* One line of the breakdown. */
struct score_line {
  int applicable;                  /* 0: nothing to measure (n/a) */
  double weight;
  long num, den;                   /* the fraction of the weight earned */
  double points;                   /* weight × num / den, to 2 decimals */
  char formula[SCORE_FORMULA_SIZE];   /* "50 × 3 / 4 = 37.50" */
};

struct unit_score {
  int assessed;                    /* 0 when the unit has no tasks */
  struct score_line part[SCORE_PARTS];
  double base;                     /* sum of parts, scaled to 100 if some are n/a */
  double deduction;                /* after the cap */
  double score;                    /* max(0, base − deduction) */
  long score_centi;                /* the same in hundredths (exact, for ties) */
  int grade;                       /* index into config->grades, -1 if not assessed */
  int rank;                        /* 1 is best, ties share; 0 if not assessed */
  char base_formula[SCORE_FORMULA_SIZE];
  char deduction_formula[SCORE_FORMULA_SIZE];
  char score_formula[SCORE_FORMULA_SIZE];
};

/* Score the N units of FACTS into OUT[0..N) (caller's array; nothing to
** free) and rank them among themselves: call once per group that is ranked
** together (the city's departments, the counties). Returns 0, or -1 with
** ERR naming the unit and the count if FACTS are inconsistent (more
** completed than total, a negative count...); OUT is then unspecified. */
int score_units(const struct assessment_config *config, const struct unit_facts *facts,
                size_t n, struct unit_score *out, char *err, size_t errlen);

/* Stable names: "completion", "timeliness", "reports", "quality";
** "cuiban", "duban", "guapai" (as in notice.level). */
const char *score_part_name(enum score_part part);
const char *notice_level_name(enum notice_level level);
/* Parse a level name; returns 0 with *OUT set, or -1 if unknown. */
int notice_level_parse(const char *name, enum notice_level *out);

/* S as {"assessed", "score", "grade": {"code","zh","en"} or null, "rank",
** "base", "deduction", "parts": {name: {"applicable", "weight", "num",
** "den", "points", "formula"}}, "formulas": {"base","deduction","score"}}:
** a new reference owned by the caller. */
json_t *unit_score_json(const struct assessment_config *config, const struct unit_score *s);

#endif
