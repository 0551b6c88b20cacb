/*
** Traffic lights (light.h). The schedule is kept as a fraction
** (expected % = num / den) and compared by cross-multiplying, so that
** "exactly on schedule" and "exactly the far-behind lag" are decided
** without rounding error for whole percents.
*/
#include "supervision/light.h"
#include "util/buf.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_NAME "lights.json"
#define MAX_DAYS 365
#define MAX_PERCENT 100

/* ---- configuration ---------------------------------------------------- */

/* Read the integer field NAME of OBJ, which must lie in MIN..MAX. */
static int int_field(json_t *obj, const char *name, int min, int max, int *out,
                     char *err, size_t errlen) {
  json_t *v = json_object_get(obj, name);
  if (!v) return errorf(err, errlen, CONFIG_NAME, "%s is missing", name);
  if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
    return errorf(err, errlen, CONFIG_NAME, "%s must be an integer %d..%d", name, min, max);
  *out = (int)json_integer_value(v);
  return 0;
}

static int period_field(json_t *obj, enum period_kind *out, char *err, size_t errlen) {
  json_t *v = json_object_get(obj, "period");
  if (!v) return errorf(err, errlen, CONFIG_NAME, "period is missing");
  if (period_kind_parse(json_string_value(v), out))
    return errorf(err, errlen, CONFIG_NAME, "period must be \"month\" or \"quarter\"");
  return 0;
}

/* Refuse fields this version does not know: a misspelt field would
** otherwise be silently replaced by nothing. */
static int no_unknown_fields(json_t *obj, char *err, size_t errlen) {
  static const char *const known[] = {"period", "warn_days", "far_behind_points",
                                      "report_grace_days"};
  const char *key;
  json_t *v;
  json_object_foreach(obj, key, v) {
    size_t i = 0;
    while (i < sizeof known / sizeof *known && strcmp(key, known[i])) i++;
    if (i == sizeof known / sizeof *known)
      return errorf(err, errlen, CONFIG_NAME, "unknown field \"%s\"", key);
  }
  return 0;
}

static int config_fields(json_t *root, struct light_config *out, char *err, size_t errlen) {
  if (!json_is_object(root)) return errorf(err, errlen, CONFIG_NAME, "the top level must be an object");
  if (no_unknown_fields(root, err, errlen) || period_field(root, &out->period, err, errlen) ||
      int_field(root, "warn_days", 0, MAX_DAYS, &out->warn_days, err, errlen) ||
      int_field(root, "far_behind_points", 1, MAX_PERCENT, &out->far_behind_points, err, errlen) ||
      int_field(root, "report_grace_days", 0, MAX_DAYS, &out->report_grace_days, err, errlen))
    return -1;
  return 0;
}

int light_config_parse(const char *json_text, struct light_config *out,
                       char *err, size_t errlen) {
  json_error_t je;
  json_t *root = json_loads(json_text ? json_text : "", JSON_REJECT_DUPLICATES, &je);
  if (!root) return errorf(err, errlen, CONFIG_NAME, "line %d: %s", je.line, je.text);
  struct light_config c;
  int rc = config_fields(root, &c, err, errlen);
  json_decref(root);
  if (!rc) *out = c;
  return rc;
}

/* ---- the schedule ----------------------------------------------------- */

/* Expected % on TODAY as NUM / DEN (DEN > 0). */
struct schedule { double num, den; };

static struct schedule schedule_on(const struct light_task *t, int today) {
  if (t->end_day == t->start_day)
    return (struct schedule){today >= t->end_day ? MAX_PERCENT : 0, 1};
  double den = (double)t->end_day - t->start_day;
  if (today <= t->start_day) return (struct schedule){0, den};
  if (today >= t->end_day) return (struct schedule){MAX_PERCENT * den, den};
  return (struct schedule){MAX_PERCENT * ((double)today - t->start_day), den};
}

static int behind(const struct schedule *s, double actual) {
  return actual * s->den < s->num;
}

static int far_behind(const struct schedule *s, double actual, const struct light_config *c) {
  return s->num - actual * s->den >= c->far_behind_points * s->den;
}

/* ---- reports ---------------------------------------------------------- */

int light_report_deadline(const struct period *p, const struct light_config *config) {
  return period_last_day(p) + config->report_grace_days;
}

int light_report_required(int start_day, int end_day, const struct period *p,
                          int today, const struct light_config *config) {
  return period_first_day(p) <= end_day && period_last_day(p) >= start_day &&
         light_report_deadline(p, config) < today;
}

static int was_reported(const struct light_task *t, const char *key) {
  for (size_t i = 0; i < t->nreported; i++)
    if (t->reported[i] && !strcmp(t->reported[i], key)) return 1;
  return 0;
}

/* The latest period whose deadline has passed on TODAY: the grace may be
** longer than a period, so step back from the current one until it has. */
static struct period latest_due_period(int today, const struct light_config *c) {
  struct period p = period_of_day(c->period, today);
  while (light_report_deadline(&p, c) >= today) p = period_prev(&p);
  return p;
}

/* ---- reasons ---------------------------------------------------------- */

static struct light_reason *add_reason(struct light_result *r, enum light_code code, int days) {
  r->reasons = xrealloc(r->reasons, (r->nreasons + 1) * sizeof *r->reasons);
  struct light_reason *x = &r->reasons[r->nreasons++];
  *x = (struct light_reason){.code = code, .milestone = -1, .days = days,
                             .actual_day = DAY_NONE};
  return x;
}

/* A reason comparing the schedule with the actual percent. */
static void add_progress_reason(struct light_result *r, enum light_code code, int days,
                                const struct light_task *t) {
  struct light_reason *x = add_reason(r, code, days);
  x->expected = r->expected;
  x->actual = t->percent;
  x->actual_day = t->percent_day;
}

static int milestone_open(const struct light_milestone *m) {
  return m->done_day == DAY_NONE;
}

static void red_reasons(const struct light_task *t, int today, const struct schedule *s,
                        const struct light_config *c, struct light_result *r) {
  if (today > t->end_day) add_reason(r, LIGHT_TASK_OVERDUE, today - t->end_day);
  for (size_t i = 0; i < t->nmilestones; i++) {
    const struct light_milestone *m = &t->milestones[i];
    if (milestone_open(m) && today > m->due_day)
      add_reason(r, LIGHT_MILESTONE_OVERDUE, today - m->due_day)->milestone = (int)i;
  }
  if (far_behind(s, t->percent, c)) add_progress_reason(r, LIGHT_FAR_BEHIND, 0, t);
}

/* 1 if DUE is today or within warn_days ahead. */
static int due_soon(int due, int today, const struct light_config *c) {
  return due >= today && due - today <= c->warn_days;
}

/* The deadlines close ahead, for a task behind schedule: open milestones,
** then the end day itself. */
static void due_soon_reasons(const struct light_task *t, int today, const struct light_config *c,
                             struct light_result *r) {
  for (size_t i = 0; i < t->nmilestones; i++) {
    const struct light_milestone *m = &t->milestones[i];
    if (milestone_open(m) && due_soon(m->due_day, today, c)) {
      add_progress_reason(r, LIGHT_MILESTONE_DUE_SOON_BEHIND, m->due_day - today, t);
      r->reasons[r->nreasons - 1].milestone = (int)i;
    }
  }
  if (due_soon(t->end_day, today, c))
    add_progress_reason(r, LIGHT_TASK_DUE_SOON_BEHIND, t->end_day - today, t);
}

/* REPORT_MISSING if the latest period due has no report. */
static void report_reason(const struct light_task *t, int today, const struct light_config *c,
                          struct light_result *r) {
  struct period p = latest_due_period(today, c);
  char key[PERIOD_KEY_SIZE];
  period_key(&p, key);
  if (light_report_required(t->start_day, t->end_day, &p, today, c) && !was_reported(t, key)) {
    struct light_reason *x = add_reason(r, LIGHT_REPORT_MISSING,
                                        today - light_report_deadline(&p, c));
    memcpy(x->period, key, sizeof key);
  }
}

static void yellow_reasons(const struct light_task *t, int today, const struct schedule *s,
                           const struct light_config *c, struct light_result *r) {
  if (behind(s, t->percent)) due_soon_reasons(t, today, c, r);
  report_reason(t, today, c, r);
}

static enum light_color worst(const struct light_result *r) {
  enum light_color color = LIGHT_GREEN;
  for (size_t i = 0; i < r->nreasons; i++) {
    enum light_code code = r->reasons[i].code;
    if (code == LIGHT_TASK_OVERDUE || code == LIGHT_MILESTONE_OVERDUE || code == LIGHT_FAR_BEHIND)
      return LIGHT_RED;
    color = LIGHT_YELLOW;
  }
  return color;
}

/* A recorded day: a real date, or DAY_NONE for "not yet". */
static int optional_day(int day) {
  return day == DAY_NONE || day_valid(day);
}

/* Days the rules subtract must be real dates (DAY_NONE passed as a due day
** would overflow), and the schedule must run forwards. */
static int task_valid(const struct light_task *t, int today) {
  if (!day_valid(t->start_day) || !day_valid(t->end_day) || !day_valid(today) ||
      t->end_day < t->start_day || !optional_day(t->completed_day) ||
      !optional_day(t->percent_day) || !(t->percent >= 0 && t->percent <= MAX_PERCENT))
    return 0;
  for (size_t i = 0; i < t->nmilestones; i++)
    if (!day_valid(t->milestones[i].due_day) || !optional_day(t->milestones[i].done_day)) return 0;
  return 1;
}

int light_compute(const struct light_task *task, int today,
                  const struct light_config *config, struct light_result *out) {
  *out = (struct light_result){0};
  if (!task_valid(task, today)) return -1;
  struct schedule s = schedule_on(task, today);
  out->expected = s.num / s.den;
  if (task->completed_day != DAY_NONE) {
    out->color = LIGHT_DONE;
    if (task->completed_day > task->end_day)
      add_reason(out, LIGHT_COMPLETED_LATE, task->completed_day - task->end_day);
    return 0;
  }
  red_reasons(task, today, &s, config, out);
  yellow_reasons(task, today, &s, config, out);
  out->color = worst(out);
  return 0;
}

void light_result_free(struct light_result *r) {
  free(r->reasons);
  *r = (struct light_result){0};
}

/* ---- names and JSON --------------------------------------------------- */

const char *light_color_name(enum light_color color) {
  static const char *const names[] = {"green", "yellow", "red", "done"};
  return names[color];
}

const char *light_code_name(enum light_code code) {
  static const char *const names[] = {"TASK_OVERDUE", "MILESTONE_OVERDUE", "FAR_BEHIND",
                                      "MILESTONE_DUE_SOON_BEHIND", "TASK_DUE_SOON_BEHIND",
                                      "REPORT_MISSING",
                                      "COMPLETED_LATE"};
  return names[code];
}

/* Percents are shown to two decimals; the decisions used exact fractions. */
static json_t *percent_json(double v) {
  return json_real(round(v * 100) / 100);
}

static json_t *day_json(int day) {
  char text[DAY_TEXT_SIZE];
  day_format(day, text);
  return json_string(text);
}

static json_t *reason_json(const struct light_reason *x) {
  json_t *o = json_pack("{s:s, s:i}", "code", light_code_name(x->code), "days", x->days);
  if (x->milestone >= 0) json_object_set_new(o, "milestone", json_integer(x->milestone));
  if (x->code == LIGHT_FAR_BEHIND || x->code == LIGHT_MILESTONE_DUE_SOON_BEHIND ||
      x->code == LIGHT_TASK_DUE_SOON_BEHIND) {
    json_object_set_new(o, "expected", percent_json(x->expected));
    json_object_set_new(o, "actual", percent_json(x->actual));
    json_object_set_new(o, "actual_day", x->actual_day == DAY_NONE ? json_null()
                                                                   : day_json(x->actual_day));
  }
  if (x->period[0]) json_object_set_new(o, "period", json_string(x->period));
  return o;
}

json_t *light_result_json(const struct light_result *r) {
  json_t *reasons = json_array();
  for (size_t i = 0; i < r->nreasons; i++)
    json_array_append_new(reasons, reason_json(&r->reasons[i]));
  return json_pack("{s:s, s:o, s:o}", "color", light_color_name(r->color),
                   "expected", percent_json(r->expected), "reasons", reasons);
}
