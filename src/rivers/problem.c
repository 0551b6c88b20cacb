/*
** Problem deadlines and escalation (problem.h).
*/
#include "rivers/problem.h"
#include "supervision/period.h"
#include "util/buf.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define DEADLINES_NAME "data/rivers/problem_deadlines.json"
#define MAX_DAYS 3660

/* An integer field KEY of entry I, 1..MAX_DAYS, into *OUT. */
static int days_field(const json_t *e, size_t i, const char *key, int *out, char *err, size_t errlen) {
  const json_t *v = json_object_get(e, key);
  if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > MAX_DAYS)
    return errorf(err, errlen, DEADLINES_NAME, "kinds[%zu].%s: a whole number of days, 1 to %d", i, key, MAX_DAYS);
  *out = (int)json_integer_value(v);
  return 0;
}

int problem_kinds_load(const char *text, struct problem_kinds *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  json_error_t je;
  json_t *root = json_loads(text ? text : "", JSON_REJECT_DUPLICATES, &je);
  if (!root) return errorf(err, errlen, DEADLINES_NAME, "line %d: %s", je.line, je.text);
  const json_t *kinds = json_object_get(root, "kinds");
  int rc = 0;
  if (!json_is_string(json_object_get(root, "source")) || !json_is_array(kinds) || !json_array_size(kinds))
    rc = errorf(err, errlen, DEADLINES_NAME, "needs a source and a non-empty kinds array");
  if (!rc) out->items = xcalloc(json_array_size(kinds), sizeof *out->items);
  for (size_t i = 0; !rc && i < json_array_size(kinds); i++) {
    const json_t *e = json_array_get(kinds, i);
    const char *name = json_string_value(json_object_get(e, "kind"));
    struct problem_kind *k = &out->items[i];
    if (!name || !*name || strlen(name) >= sizeof k->name)
      rc = errorf(err, errlen, DEADLINES_NAME, "kinds[%zu].kind: a name of 1 to %d bytes", i,
                  PROBLEM_KIND_SIZE - 1);
    else if (problem_kind_find(out, name))
      rc = errorf(err, errlen, DEADLINES_NAME, "kinds[%zu].kind: %s listed twice", i, name);
    else if (!(rc = days_field(e, i, "days", &k->days, err, errlen)) &&
             !(rc = days_field(e, i, "upper_days", &k->upper_days, err, errlen))) {
      snprintf(k->name, sizeof k->name, "%s", name);
      out->count++;
    }
  }
  json_decref(root);
  if (rc) problem_kinds_free(out);
  return rc;
}

void problem_kinds_free(struct problem_kinds *k) {
  free(k->items);
  memset(k, 0, sizeof *k);
}

const struct problem_kind *problem_kind_find(const struct problem_kinds *k, const char *name) {
  for (size_t i = 0; i < k->count; i++)
    if (!strcmp(k->items[i].name, name)) return &k->items[i];
  return NULL;
}

int problem_escalate(const struct problem_history *h, int today, struct escalation *out) {
  memset(out, 0, sizeof *out);
  int closed = h->closed_day != DAY_NONE;
  if (!h->kind || !day_valid(h->assigned_day) || !day_valid(today) || (closed && !day_valid(h->closed_day)) ||
      (closed && h->closed_day < h->assigned_day))
    return -1;
  int until = closed && h->closed_day < today ? h->closed_day : today;
  out->level = h->level;
  out->deadline = h->assigned_day + h->kind->days;
  /* Still open the day after the deadline: up one level, if there is one. */
  while (out->level > LEVEL_CITY && until > out->deadline) {
    struct escalation_step *s = &out->step[out->steps++];
    s->day = out->deadline + 1;
    s->from = out->level;
    s->to = out->level - 1;
    s->deadline = s->day + h->kind->upper_days;
    out->level = s->to;
    out->deadline = s->deadline;
  }
  out->overdue_days = until > out->deadline ? until - out->deadline : 0;
  return 0;
}
