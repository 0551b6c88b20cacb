/*
** Unit names: the dictionary that canonicalises them, the splitting of
** a measure's unit lists into canonical unit references, and the rules of
** renaming, merging and splitting units. Pure.
**
** Which names are aliases, which are collectives and what kind a unit is are
** data (the CSV files in data/plan/, then the database, editable by users); this file
** only applies them.
*/
#include "plan/plan.h"
#include "supervision/period.h"
#include "util/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
  [UNIT_CITY_DEPARTMENT] = "city_department",
  [UNIT_COUNTY_GOVERNMENT] = "county_government",
  [UNIT_ZONE_COMMITTEE] = "zone_committee",
  [UNIT_COLLECTIVE] = "collective",
  [UNIT_COMPANY] = "company",
  [UNIT_OTHER] = "other",
};

const char *unit_kind_name(enum unit_kind kind) { return kind_names[kind]; }

int unit_kind_parse(const char *name) {
  for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
    if (!strcmp(kind_names[i], name)) return (int)i;
  return -1;
}

#define GROW(array, count) \
  ((array) = xrealloc((array), ((count) + 1) * sizeof *(array)), &(array)[(count)++])

void unit_dictionary_add_alias(struct unit_dictionary *d, const char *alias, const char *name) {
  GROW(d->aliases, d->naliases);
  d->aliases[d->naliases - 1].alias = xstrdup(alias);
  d->aliases[d->naliases - 1].name = xstrdup(name);
}

void unit_dictionary_add_member(struct unit_dictionary *d, const char *collective,
                                const char *member) {
  size_t i;
  for (i = 0; i < d->ncollectives; i++)
    if (!strcmp(d->collectives[i].name, collective)) break;
  if (i == d->ncollectives) {
    GROW(d->collectives, d->ncollectives);
    d->collectives[i].name = xstrdup(collective);
    d->collectives[i].members = NULL;
    d->collectives[i].nmembers = 0;
  }
  char **slot = GROW(d->collectives[i].members, d->collectives[i].nmembers);
  *slot = xstrdup(member);
}

void unit_dictionary_add_unit(struct unit_dictionary *d, const char *name, enum unit_kind kind) {
  GROW(d->units, d->nunits);
  d->units[d->nunits - 1].name = xstrdup(name);
  d->units[d->nunits - 1].kind = kind;
}

void unit_dictionary_add_suffix(struct unit_dictionary *d, const char *suffix, enum unit_kind kind) {
  GROW(d->suffix_rules, d->nsuffix_rules);
  d->suffix_rules[d->nsuffix_rules - 1].suffix = xstrdup(suffix);
  d->suffix_rules[d->nsuffix_rules - 1].kind = kind;
}

void unit_dictionary_free(struct unit_dictionary *d) {
  for (size_t i = 0; i < d->naliases; i++) { free(d->aliases[i].alias); free(d->aliases[i].name); }
  for (size_t i = 0; i < d->ncollectives; i++) {
    for (size_t j = 0; j < d->collectives[i].nmembers; j++) free(d->collectives[i].members[j]);
    free(d->collectives[i].members);
    free(d->collectives[i].name);
  }
  for (size_t i = 0; i < d->nunits; i++) free(d->units[i].name);
  for (size_t i = 0; i < d->nsuffix_rules; i++) free(d->suffix_rules[i].suffix);
  free(d->aliases);
  free(d->collectives);
  free(d->units);
  free(d->suffix_rules);
  memset(d, 0, sizeof *d);
}

const char *unit_dictionary_canonical(const struct unit_dictionary *d, const char *name) {
  for (size_t i = 0; i < d->naliases; i++)
    if (!strcmp(d->aliases[i].alias, name)) return d->aliases[i].name;
  return name;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !memcmp(s + n - m, suffix, m);
}

enum unit_kind unit_dictionary_kind(const struct unit_dictionary *d, const char *name) {
  for (size_t i = 0; i < d->nunits; i++)
    if (!strcmp(d->units[i].name, name)) return d->units[i].kind;
  for (size_t i = 0; i < d->ncollectives; i++)
    if (!strcmp(d->collectives[i].name, name)) return UNIT_COLLECTIVE;
  for (size_t i = 0; i < d->nsuffix_rules; i++)
    if (ends_with(name, d->suffix_rules[i].suffix)) return d->suffix_rules[i].kind;
  return UNIT_OTHER;
}

/* Append one reference unless the measure already has NAME in ROLE. */
static void add_ref(struct plan_measure *m, const char *name, const char *written,
                    const char *via, enum unit_role role) {
  for (size_t i = 0; i < m->nunits; i++)
    if (m->units[i].role == role && !strcmp(m->units[i].name, name)) return;
  struct unit_ref *r = GROW(m->units, m->nunits);
  r->name = xstrdup(name);
  r->written = xstrdup(written);
  r->via = via ? xstrdup(via) : NULL;
  r->role = role;
}

/* Words that close a list without naming a unit: "市环保局等部门". */
static const char *const list_tails[] = {"等部门", "等单位", "等"};

static void add_one(struct plan_measure *m, char *item, enum unit_role role,
                    const struct unit_dictionary *d) {
  for (size_t i = 0; i < sizeof list_tails / sizeof list_tails[0]; i++) {
    size_t n = strlen(item), t = strlen(list_tails[i]);
    if (n > t && ends_with(item, list_tails[i])) { item[n - t] = 0; break; }
  }
  if (!*item) return;
  const char *name = unit_dictionary_canonical(d, item);
  for (size_t i = 0; i < d->ncollectives; i++) {
    if (strcmp(d->collectives[i].name, name)) continue;
    for (size_t j = 0; j < d->collectives[i].nmembers; j++)
      add_ref(m, d->collectives[i].members[j], item, name, role);
    return;
  }
  add_ref(m, name, item, NULL, role);
}

void plan_add_units(struct plan_measure *m, const char *list, enum unit_role role,
                    const struct unit_dictionary *d) {
  static const char *const separators[] = {"\xE3\x80\x81" /* 、 */, ",", ";", " "};
  char *copy = xstrdup(list);
  char *start = copy;
  for (char *p = copy;;) {
    size_t seplen = 0;
    for (size_t i = 0; !seplen && i < sizeof separators / sizeof separators[0]; i++)
      if (!strncmp(p, separators[i], strlen(separators[i]))) seplen = strlen(separators[i]);
    if (seplen || !*p) {
      int end = !*p;
      *p = 0;
      add_one(m, start, role, d);
      if (end) break;
      p += seplen;
      start = p;
    } else {
      p++;
    }
  }
  free(copy);
}

/* ---- changes of units: the rules, without the database ------------------ */

int unit_change_check(const char *since, const char *date, char *err, size_t errlen) {
  int day;
  if (!date || day_parse(date, &day)) {
    snprintf(err, errlen, "date '%s' is not a day written YYYY-MM-DD", date ? date : "");
    return -1;
  }
  if (since && strcmp(date, since) <= 0) {
    snprintf(err, errlen, "the change on %s is not after %s, when the unit took its name", date, since);
    return -1;
  }
  return 0;
}

int unit_rename_check(const char *current, const char *since, const char *new_name,
                      const char *date, char *err, size_t errlen) {
  if (!*new_name) {
    snprintf(err, errlen, "the new name is empty");
    return -1;
  }
  if (!strcmp(current, new_name)) {
    snprintf(err, errlen, "the unit is already named '%s'", new_name);
    return -1;
  }
  return unit_change_check(since, date, err, errlen);
}

const char *unit_succession_kind(size_t npreds, size_t nsuccs) {
  if (npreds == 1 && nsuccs > 1) return "split";
  if (npreds >= 1 && nsuccs == 1) return "merger";
  return NULL;
}
