/*
** Annual assessment (score.h). Configuration numbers are read as
** hundredths of a point ("centi") and all the arithmetic stays in integers,
** so a printed breakdown is the computation itself, not an approximation.
*/
#include "supervision/score.h"
#include "util/buf.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CONFIG_NAME "assessment.json"
#define CENTI 100
#define FULL_SCORE (100 * CENTI)
/* A config number times 100 within this of an integer has <= 2 decimals. */
#define DECIMALS_EPSILON 1e-6

static const char *const part_names[SCORE_PARTS] = {"completion", "timeliness", "reports",
                                                    "quality"};
static const char *const level_names[NOTICE_LEVELS] = {"cuiban", "duban", "guapai"};

const char *score_part_name(enum score_part part) { return part_names[part]; }
const char *notice_level_name(enum notice_level level) { return level_names[level]; }

int notice_level_parse(const char *name, enum notice_level *out) {
  for (int i = 0; i < NOTICE_LEVELS; i++)
    if (name && !strcmp(name, level_names[i])) {
      *out = (enum notice_level)i;
      return 0;
    }
  return -1;
}

/* ---- errors and text -------------------------------------------------- */

/* Append to the NUL-terminated text in DST (SIZE bytes), truncating. */
static void append(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char *dst, size_t size, const char *fmt, ...) {
  size_t len = strlen(dst);
  if (len + 1 >= size) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(dst + len, size - len, fmt, ap);
  va_end(ap);
}

/* Points with two decimals: 3750 -> "37.50". */
struct amount { char s[24]; };

static struct amount points_text(long centi) {
  struct amount a;
  snprintf(a.s, sizeof a.s, "%s%ld.%02ld", centi < 0 ? "-" : "", labs(centi) / CENTI,
           labs(centi) % CENTI);
  return a;
}

/* A configured number as written: 5000 -> "50", 50 -> "0.5", 125 -> "1.25". */
static struct amount number_text(long centi) {
  struct amount a = points_text(centi);
  size_t end = strlen(a.s);
  if (centi % CENTI == 0) a.s[end - 3] = 0;          /* "50.00" -> "50" */
  else if (centi % (CENTI / 10) == 0) a.s[end - 1] = 0;  /* "0.50" -> "0.5" */
  return a;
}

/* ---- configuration ---------------------------------------------------- */

/* The number at V in hundredths, if it lies in MIN..MAX (hundredths) and has
** at most two decimals. */
static int centi_value(json_t *v, long min, long max, long *out) {
  if (!json_is_number(v)) return -1;
  double x = json_number_value(v) * CENTI;
  if (!(x >= min && x <= max) || fabs(x - round(x)) > DECIMALS_EPSILON) return -1;
  *out = lround(x);
  return 0;
}

static int centi_field(json_t *obj, const char *section, const char *name, long min, long max,
                       long *out, char *err, size_t errlen) {
  json_t *v = json_object_get(obj, name);
  const char *dot = section[0] ? "." : "";
  if (!v) return errorf(err, errlen, CONFIG_NAME, "%s%s%s is missing", section, dot, name);
  if (centi_value(v, min, max, out))
    return errorf(err, errlen, CONFIG_NAME, "%s%s%s must be a number %s..%s with at most 2 decimals", section,
                dot, name, number_text(min).s, number_text(max).s);
  return 0;
}

/* Refuse fields not in KNOWN (N names): a misspelt field would silently
** fall back to nothing. SECTION names the object in the message. */
static int only_known(json_t *obj, const char *section, const char *const *known, size_t n,
                      char *err, size_t errlen) {
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    size_t i = 0;
    while (i < n && strcmp(key, known[i])) i++;
    if (i == n)
      return errorf(err, errlen, CONFIG_NAME, "unknown field \"%s%s%s\"", section, section[0] ? "." : "", key);
  }
  return 0;
}

static int object_field(json_t *root, const char *name, json_t **out, char *err, size_t errlen) {
  *out = json_object_get(root, name);
  if (!json_is_object(*out)) return errorf(err, errlen, CONFIG_NAME, "%s must be an object", name);
  return 0;
}

static int parse_weights(json_t *root, struct assessment_config *c, char *err, size_t errlen) {
  json_t *w;
  if (object_field(root, "weights", &w, err, errlen) ||
      only_known(w, "weights", part_names, SCORE_PARTS, err, errlen))
    return -1;
  long sum = 0;
  for (int i = 0; i < SCORE_PARTS; i++) {
    /* Completion must weigh something: it is always measurable, so the
    ** scaled base (折算) never divides by zero. */
    long min = i == SCORE_COMPLETION ? 1 : 0;
    if (centi_field(w, "weights", part_names[i], min, FULL_SCORE, &c->weight[i], err, errlen))
      return -1;
    sum += c->weight[i];
  }
  if (sum != FULL_SCORE)
    return errorf(err, errlen, CONFIG_NAME, "weights must add up to 100 (they add up to %s)", points_text(sum).s);
  return 0;
}

static int parse_deductions(json_t *root, struct assessment_config *c, char *err, size_t errlen) {
  json_t *d;
  if (object_field(root, "deductions", &d, err, errlen) ||
      only_known(d, "deductions", level_names, NOTICE_LEVELS, err, errlen))
    return -1;
  for (int i = 0; i < NOTICE_LEVELS; i++)
    if (centi_field(d, "deductions", level_names[i], 0, FULL_SCORE, &c->deduction[i], err, errlen))
      return -1;
  return centi_field(root, "", "deduction_cap", 0, FULL_SCORE, &c->deduction_cap, err, errlen);
}

static int name_field(json_t *g, size_t i, const char *name, char out[SCORE_NAME_SIZE],
                      char *err, size_t errlen) {
  const char *s = json_string_value(json_object_get(g, name));
  if (!s || !s[0] || strlen(s) >= SCORE_NAME_SIZE)
    return errorf(err, errlen, CONFIG_NAME, "grades[%zu].%s must be a non-empty string of at most %d bytes", i,
                name, SCORE_NAME_SIZE - 1);
  memcpy(out, s, strlen(s) + 1);
  return 0;
}

static int parse_grade(json_t *g, size_t i, struct score_grade *out, char *err, size_t errlen) {
  static const char *const known[] = {"code", "zh", "en", "min"};
  char section[32];
  snprintf(section, sizeof section, "grades[%zu]", i);
  if (!json_is_object(g)) return errorf(err, errlen, CONFIG_NAME, "%s must be an object", section);
  if (only_known(g, section, known, sizeof known / sizeof *known, err, errlen) ||
      name_field(g, i, "code", out->code, err, errlen) ||
      name_field(g, i, "zh", out->zh, err, errlen) ||
      name_field(g, i, "en", out->en, err, errlen) ||
      centi_field(g, section, "min", 0, FULL_SCORE, &out->min, err, errlen))
    return -1;
  return 0;
}

/* Grades highest first, each minimum below the one before, the last 0 so
** that every score has a grade. */
static int parse_grades(json_t *root, struct assessment_config *c, char *err, size_t errlen) {
  json_t *a = json_object_get(root, "grades");
  size_t n = json_array_size(a);
  if (!json_is_array(a) || n < 1 || n > SCORE_MAX_GRADES)
    return errorf(err, errlen, CONFIG_NAME, "grades must be an array of 1..%d grades", SCORE_MAX_GRADES);
  for (size_t i = 0; i < n; i++) {
    if (parse_grade(json_array_get(a, i), i, &c->grades[i], err, errlen)) return -1;
    if (i > 0 && c->grades[i].min >= c->grades[i - 1].min)
      return errorf(err, errlen, CONFIG_NAME, "grades[%zu].min must be below grades[%zu].min (highest first)", i,
                  i - 1);
  }
  if (c->grades[n - 1].min != 0)
    return errorf(err, errlen, CONFIG_NAME, "grades[%zu].min must be 0 so that every score has a grade", n - 1);
  c->ngrades = n;
  return 0;
}

static int parse_config(json_t *root, struct assessment_config *c, char *err, size_t errlen) {
  static const char *const known[] = {"weights", "deductions", "deduction_cap", "grades"};
  if (!json_is_object(root)) return errorf(err, errlen, CONFIG_NAME, "the top level must be an object");
  if (only_known(root, "", known, sizeof known / sizeof *known, err, errlen) ||
      parse_weights(root, c, err, errlen) || parse_deductions(root, c, err, errlen) ||
      parse_grades(root, c, err, errlen))
    return -1;
  return 0;
}

int assessment_config_parse(const char *json_text, struct assessment_config *out,
                            char *err, size_t errlen) {
  json_error_t je;
  json_t *root = json_loads(json_text ? json_text : "", JSON_REJECT_DUPLICATES, &je);
  if (!root) return errorf(err, errlen, CONFIG_NAME, "line %d: %s", je.line, je.text);
  struct assessment_config c = {0};
  int rc = parse_config(root, &c, err, errlen);
  json_decref(root);
  if (!rc) *out = c;
  return rc;
}

/* ---- facts ------------------------------------------------------------ */

static int facts_error(char *err, size_t errlen, size_t i, const struct unit_facts *f,
                       const char *what) {
  snprintf(err, errlen, "unit %zu (%s): %s", i, f->name ? f->name : "unnamed", what);
  return -1;
}

static int ratings_count(const struct unit_facts *f) {
  int n = 0;
  for (int k = 0; k < SCORE_RATING_MAX; k++) n += f->ratings[k];
  return n;
}

static int any_negative(const struct unit_facts *f) {
  int neg = f->tasks_total < 0 || f->tasks_completed < 0 || f->tasks_on_time < 0 ||
            f->milestones_due < 0 || f->milestones_on_time < 0 || f->reports_due < 0 ||
            f->reports_on_time < 0;
  for (int i = 0; i < NOTICE_LEVELS; i++) neg |= f->notices[i] < 0;
  for (int k = 0; k < SCORE_RATING_MAX; k++) neg |= f->ratings[k] < 0;
  return neg;
}

/* Counts that cannot be true together point to a bug in the caller's
** queries; scoring them would publish a wrong rank. */
static int check_facts(const struct unit_facts *f, size_t i, char *err, size_t errlen) {
  if (any_negative(f)) return facts_error(err, errlen, i, f, "a count is negative");
  if (f->tasks_completed > f->tasks_total)
    return facts_error(err, errlen, i, f, "tasks_completed exceeds tasks_total");
  if (f->tasks_on_time > f->tasks_completed)
    return facts_error(err, errlen, i, f, "tasks_on_time exceeds tasks_completed");
  if (f->milestones_on_time > f->milestones_due)
    return facts_error(err, errlen, i, f, "milestones_on_time exceeds milestones_due");
  if (f->reports_on_time > f->reports_due)
    return facts_error(err, errlen, i, f, "reports_on_time exceeds reports_due");
  if (ratings_count(f) > f->tasks_completed)
    return facts_error(err, errlen, i, f, "more ratings than tasks_completed");
  return 0;
}

/* ---- parts ------------------------------------------------------------ */

/* A / B rounded half up, for A >= 0 and B > 0. */
static long div_half_up(long long a, long long b) {
  return (long)((2 * a + b) / (2 * b));
}

/* The fraction NUM / DEN of a part, or DEN 0 when there is nothing to
** measure; WHY says what is missing. */
static void part_fraction(const struct unit_facts *f, enum score_part p, long *num, long *den,
                          const char **why) {
  long rating_sum = 0;
  for (int k = 0; k < SCORE_RATING_MAX; k++) rating_sum += (long)(k + 1) * f->ratings[k];
  static const char *const whys[SCORE_PARTS] = {"no tasks", "no tasks", "no reports due",
                                                "no rated task"};
  const long nums[SCORE_PARTS] = {f->tasks_completed,
                                  (long)f->tasks_on_time + f->milestones_on_time,
                                  f->reports_on_time, rating_sum};
  const long dens[SCORE_PARTS] = {f->tasks_total, (long)f->tasks_total + f->milestones_due,
                                  f->reports_due, (long)SCORE_RATING_MAX * ratings_count(f)};
  *num = nums[p];
  *den = dens[p];
  *why = whys[p];
}

/* Score part P into LINE; returns its points in hundredths (0 if n/a). */
static long score_part(const struct assessment_config *c, const struct unit_facts *f,
                       enum score_part p, struct score_line *line) {
  const char *why;
  *line = (struct score_line){.weight = c->weight[p] / (double)CENTI};
  part_fraction(f, p, &line->num, &line->den, &why);
  if (f->tasks_total == 0) why = "no tasks";
  if (line->den == 0 || f->tasks_total == 0) {
    snprintf(line->formula, sizeof line->formula, "n/a: %s", why);
    return 0;
  }
  line->applicable = 1;
  long points = div_half_up((long long)c->weight[p] * line->num, line->den);
  line->points = points / (double)CENTI;
  if (p == SCORE_QUALITY)
    snprintf(line->formula, sizeof line->formula, "%s × %ld / (%d × %ld) = %s",
             number_text(c->weight[p]).s, line->num, SCORE_RATING_MAX,
             line->den / SCORE_RATING_MAX, points_text(points).s);
  else
    snprintf(line->formula, sizeof line->formula, "%s × %ld / %ld = %s",
             number_text(c->weight[p]).s, line->num, line->den, points_text(points).s);
  return points;
}

/* ---- one unit --------------------------------------------------------- */

/* The base from the parts' points; scaled to 100 over the applicable
** weights when some part is n/a (折算). */
static long score_base(const struct assessment_config *c, const long points[SCORE_PARTS],
                       struct unit_score *s) {
  long sum = 0, weights = 0;
  for (int p = 0; p < SCORE_PARTS; p++) {
    if (!s->part[p].applicable) continue;
    sum += points[p];
    weights += c->weight[p];
  }
  /* The formula is written straight into base_formula: the terms, then the
  ** scaling when some part is n/a. */
  int scaled = weights != FULL_SCORE;
  long base = scaled ? div_half_up((long long)sum * FULL_SCORE, weights) : sum;
  s->base_formula[0] = 0;
  if (scaled) append(s->base_formula, sizeof s->base_formula, "(");
  for (int p = 0, first = 1; p < SCORE_PARTS; p++) {
    if (!s->part[p].applicable) continue;
    append(s->base_formula, sizeof s->base_formula, "%s%s", first ? "" : " + ",
           points_text(points[p]).s);
    first = 0;
  }
  if (scaled)
    append(s->base_formula, sizeof s->base_formula, ") / %s × 100 = %s",
           number_text(weights).s, points_text(base).s);
  else
    append(s->base_formula, sizeof s->base_formula, " = %s", points_text(sum).s);
  return base;
}

static long score_deduction(const struct assessment_config *c, const struct unit_facts *f,
                            struct unit_score *s) {
  long long raw = 0;
  char *text = s->deduction_formula;
  text[0] = 0;
  for (int l = 0; l < NOTICE_LEVELS; l++) {
    raw += (long long)f->notices[l] * c->deduction[l];
    append(text, sizeof s->deduction_formula, "%s%s %d × %s", l ? " + " : "", level_names[l],
           f->notices[l], number_text(c->deduction[l]).s);
  }
  long ded = raw > c->deduction_cap ? c->deduction_cap : (long)raw;
  append(text, sizeof s->deduction_formula, " = %s, cap %s → %s", points_text((long)raw).s,
         number_text(c->deduction_cap).s, points_text(ded).s);
  return ded;
}

static int grade_of(const struct assessment_config *c, long score) {
  size_t g = 0;
  while (score < c->grades[g].min) g++;   /* the last min is 0: always stops */
  return (int)g;
}

static void not_assessed(const struct assessment_config *c, const struct unit_facts *f,
                         struct unit_score *s) {
  *s = (struct unit_score){.grade = -1};
  for (int p = 0; p < SCORE_PARTS; p++) score_part(c, f, (enum score_part)p, &s->part[p]);
  snprintf(s->base_formula, sizeof s->base_formula, "not assessed: no tasks");
  snprintf(s->score_formula, sizeof s->score_formula, "not assessed: no tasks");
}

static void score_unit(const struct assessment_config *c, const struct unit_facts *f,
                       struct unit_score *s) {
  if (f->tasks_total == 0) {
    not_assessed(c, f, s);
    return;
  }
  *s = (struct unit_score){.assessed = 1};
  long points[SCORE_PARTS];
  for (int p = 0; p < SCORE_PARTS; p++)
    points[p] = score_part(c, f, (enum score_part)p, &s->part[p]);
  long base = score_base(c, points, s);
  long ded = score_deduction(c, f, s);
  s->score_centi = base > ded ? base - ded : 0;
  snprintf(s->score_formula, sizeof s->score_formula, "%s%s − %s%s = %s",
           base < ded ? "max(0, " : "", points_text(base).s, points_text(ded).s,
           base < ded ? ")" : "", points_text(s->score_centi).s);
  s->base = base / (double)CENTI;
  s->deduction = ded / (double)CENTI;
  s->score = s->score_centi / (double)CENTI;
  s->grade = grade_of(c, s->score_centi);
}

/* Competition ranking (1, 1, 3): a unit's rank is one more than the number
** of assessed units scoring strictly higher. Quadratic, which is nothing for
** the few dozen units of a city. */
static void rank_units(struct unit_score *out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!out[i].assessed) continue;
    int higher = 0;
    for (size_t j = 0; j < n; j++)
      higher += out[j].assessed && out[j].score_centi > out[i].score_centi;
    out[i].rank = higher + 1;
  }
}

int score_units(const struct assessment_config *config, const struct unit_facts *facts,
                size_t n, struct unit_score *out, char *err, size_t errlen) {
  for (size_t i = 0; i < n; i++)
    if (check_facts(&facts[i], i, err, errlen)) return -1;
  for (size_t i = 0; i < n; i++) score_unit(config, &facts[i], &out[i]);
  rank_units(out, n);
  return 0;
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *line_json(const struct score_line *l) {
  return json_pack("{s:b, s:f, s:I, s:I, s:f, s:s}", "applicable", l->applicable, "weight",
                   l->weight, "num", (json_int_t)l->num, "den", (json_int_t)l->den, "points",
                   l->points, "formula", l->formula);
}

static json_t *grade_json(const struct assessment_config *c, int g) {
  if (g < 0) return json_null();
  const struct score_grade *x = &c->grades[g];
  return json_pack("{s:s, s:s, s:s}", "code", x->code, "zh", x->zh, "en", x->en);
}

json_t *unit_score_json(const struct assessment_config *config, const struct unit_score *s) {
  json_t *parts = json_object();
  for (int p = 0; p < SCORE_PARTS; p++)
    json_object_set_new(parts, part_names[p], line_json(&s->part[p]));
  /* a unit not assessed has no score and no rank, not 0 */
  return json_pack("{s:b, s:o, s:o, s:o, s:f, s:f, s:o, s:{s:s, s:s, s:s}}",
                   "assessed", s->assessed,
                   "score", s->assessed ? json_real(s->score) : json_null(),
                   "grade", grade_json(config, s->grade),
                   "rank", s->assessed ? json_integer(s->rank) : json_null(), "base", s->base, "deduction", s->deduction, "parts", parts,
                   "formulas", "base", s->base_formula, "deduction", s->deduction_formula,
                   "score", s->score_formula);
}
