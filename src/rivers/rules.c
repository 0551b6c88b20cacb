/*
** Loading data/rivers/patrol_rules.json (patrol.h): the measuring of
** tracks and the rule sets by level. Every set of the file is checked,
** not only the one in force, so that a typo in a set kept for reference
** is found when the file changes, not when someone switches to it.
*/
#include "rivers/patrol.h"
#include "util/buf.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define RULES_NAME "data/rivers/patrol_rules.json"

static const char *const LEVEL_NAMES[LEVEL_COUNT] = {"市", "县", "乡", "村"};
static const char *const LEVEL_WORDS[LEVEL_COUNT] = {"city", "county", "township", "village"};
static const char *const PERIOD_NAMES[] = {"week", "xun", "month", "quarter"};

int river_level_parse(const char *word, enum river_level *out) {
  for (int i = 0; i < LEVEL_COUNT; i++)
    if (word && (!strcmp(word, LEVEL_NAMES[i]) || !strcmp(word, LEVEL_WORDS[i]))) {
      *out = (enum river_level)i;
      return 0;
    }
  return -1;
}

const char *river_level_name(enum river_level level) { return LEVEL_NAMES[level]; }

/* Whether every key of OBJ is one of KEYS (NULL-terminated); the first
** other into *UNKNOWN. */
static int keys_known(const json_t *obj, const char *const *keys, const char **unknown) {
  const char *k;
  const json_t *v;
  json_object_foreach((json_t *)obj, k, v) {
    int found = 0;
    for (size_t i = 0; keys[i] && !found; i++) found = !strcmp(k, keys[i]);
    if (!found) { *unknown = k; return 0; }
  }
  return 1;
}

/* Number KEY of OBJ in MIN..MAX into *OUT, or DEFAULT_ when absent. */
static int number_field(const json_t *obj, const char *key, double min, double max, double default_,
                        double *out, const char *where, char *err, size_t errlen) {
  const json_t *v = json_object_get(obj, key);
  if (!v) { *out = default_; return 0; }
  if (!json_is_number(v) || json_number_value(v) < min || json_number_value(v) > max)
    return errorf(err, errlen, RULES_NAME, "%s.%s: a number from %g to %g", where, key, min, max);
  *out = json_number_value(v);
  return 0;
}

static int track_config_load(const json_t *t, struct track_config *c, char *err, size_t errlen) {
  static const char *const keys[] = {"max_speed_kmh", "gap_s", "near_m", "sample_m", "source", NULL};
  const char *unknown;
  if (!json_is_object(t)) return errorf(err, errlen, RULES_NAME, "track: missing or not an object");
  if (!keys_known(t, keys, &unknown)) return errorf(err, errlen, RULES_NAME, "track.%s: unknown key", unknown);
  double kmh = NAN;
  if (number_field(t, "max_speed_kmh", 1, 1000, NAN, &kmh, "track", err, errlen) ||
      number_field(t, "gap_s", 1, 86400, NAN, &c->gap_s, "track", err, errlen) ||
      number_field(t, "near_m", 1, 10000, NAN, &c->near_m, "track", err, errlen) ||
      number_field(t, "sample_m", 0.1, 1000, NAN, &c->sample_m, "track", err, errlen))
    return -1;
  if (isnan(kmh) || isnan(c->gap_s) || isnan(c->near_m) || isnan(c->sample_m))
    return errorf(err, errlen, RULES_NAME, "track: needs max_speed_kmh, gap_s, near_m and sample_m");
  c->max_speed_mps = kmh / 3.6;
  return 0;
}

static int level_load(const json_t *l, const char *where, struct level_rule *r, char *err, size_t errlen) {
  static const char *const keys[] = {"period", "patrols", "min_duration_min", "min_length_m",
                                     "min_coverage", "min_on_segment", "source", NULL};
  const char *unknown, *period = json_string_value(json_object_get(l, "period"));
  if (!json_is_object(l)) return errorf(err, errlen, RULES_NAME, "%s: not an object", where);
  if (!keys_known(l, keys, &unknown)) return errorf(err, errlen, RULES_NAME, "%s.%s: unknown key", where, unknown);
  int found = -1;
  for (int i = 0; i < 4 && period; i++)
    if (!strcmp(period, PERIOD_NAMES[i])) found = i;
  if (found < 0) return errorf(err, errlen, RULES_NAME, "%s.period: week, xun, month or quarter", where);
  double patrols = NAN, minutes = 0;
  if (number_field(l, "patrols", 1, 100, NAN, &patrols, where, err, errlen) ||
      number_field(l, "min_duration_min", 0, 1440, 0, &minutes, where, err, errlen) ||
      number_field(l, "min_length_m", 0, 1e6, 0, &r->min_length_m, where, err, errlen) ||
      number_field(l, "min_coverage", 0, 1, 0, &r->min_coverage, where, err, errlen) ||
      number_field(l, "min_on_segment", 0, 1, 0, &r->min_on_segment, where, err, errlen))
    return -1;
  if (isnan(patrols) || patrols != floor(patrols))
    return errorf(err, errlen, RULES_NAME, "%s.patrols: a whole number of patrols is required", where);
  r->present = 1;
  r->period = (enum patrol_period)found;
  r->patrols = (int)patrols;
  r->min_duration_s = minutes * 60;
  return 0;
}

/* Set S (its key NAME) into OUT's levels. */
static int set_load(const json_t *s, const char *name, struct patrol_rules *out, char *err, size_t errlen) {
  static const char *const keys[] = {"title", "uncertain", "source", "levels", NULL};
  const char *unknown, *level_key;
  const json_t *levels = json_object_get(s, "levels"), *l;
  char where[96];
  if (!json_is_object(s) || !json_is_string(json_object_get(s, "source")) || !json_is_object(levels))
    return errorf(err, errlen, RULES_NAME, "sets.%s: needs a source and levels", name);
  if (!keys_known(s, keys, &unknown)) return errorf(err, errlen, RULES_NAME, "sets.%s.%s: unknown key", name, unknown);
  memset(out->level, 0, sizeof out->level);
  json_object_foreach((json_t *)levels, level_key, l) {
    enum river_level level;
    snprintf(where, sizeof where, "sets.%s.levels.%s", name, level_key);
    if (river_level_parse(level_key, &level)) return errorf(err, errlen, RULES_NAME, "%s: not 市, 县, 乡 or 村", where);
    if (level_load(l, where, &out->level[level], err, errlen)) return -1;
  }
  return 0;
}

int patrol_rules_load(const char *text, const char *set, struct patrol_rules *out, char *err,
                      size_t errlen) {
  memset(out, 0, sizeof *out);
  json_error_t je;
  json_t *root = json_loads(text ? text : "", JSON_REJECT_DUPLICATES, &je);
  if (!root) return errorf(err, errlen, RULES_NAME, "line %d: %s", je.line, je.text);
  const json_t *sets = json_object_get(root, "sets"), *s;
  const char *wanted = set ? set : json_string_value(json_object_get(root, "in_force")), *name;
  int rc = track_config_load(json_object_get(root, "track"), &out->track, err, errlen);
  if (!rc && !json_is_object(sets)) rc = errorf(err, errlen, RULES_NAME, "sets: missing or not an object");
  struct patrol_rules scratch = {0};
  if (!rc) json_object_foreach((json_t *)sets, name, s) {
    if ((rc = set_load(s, name, &scratch, err, errlen))) break;
  }
  if (!rc && (!wanted || !json_is_object(json_object_get(sets, wanted))))
    rc = errorf(err, errlen, RULES_NAME, "no rule set \"%s\"", wanted ? wanted : "(in_force missing)");
  if (!rc && strlen(wanted) >= sizeof out->set)
    rc = errorf(err, errlen, RULES_NAME, "rule set name \"%s\" too long", wanted);
  if (!rc) {
    set_load(json_object_get(sets, wanted), wanted, out, err, errlen);
    snprintf(out->set, sizeof out->set, "%s", wanted);
  }
  json_decref(root);
  return rc;
}
