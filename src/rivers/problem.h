/*
** Problems found on rivers (issue 18): their rectification deadlines by
** kind (data/rivers/problem_deadlines.json) and their escalation when
** overdue, up the chiefs' levels to 市. Pure: the caller passes the
** problem's history and today.
*/
#ifndef QS_RIVERS_PROBLEM_H
#define QS_RIVERS_PROBLEM_H
#include "rivers/patrol.h"
#include <stddef.h>

#define PROBLEM_KIND_SIZE 32

struct problem_kind {
  char name[PROBLEM_KIND_SIZE];
  int days;          /* the deadline: the day of assignment plus DAYS */
  int upper_days;    /* after each escalation, for the level above */
};

struct problem_kinds {
  struct problem_kind *items;
  size_t count;
};

/* The kinds of the deadlines file TEXT into OUT. 0, or -1 with ERR naming
** the entry and field. */
int problem_kinds_load(const char *text, struct problem_kinds *out, char *err, size_t errlen);
void problem_kinds_free(struct problem_kinds *k);
/* The kind called NAME, or NULL. */
const struct problem_kind *problem_kind_find(const struct problem_kinds *k, const char *name);

/* A problem's history: assigned to a level's chief on a day, closed
** (verified) on a day or DAY_NONE while open. */
struct problem_history {
  const struct problem_kind *kind;
  enum river_level level;
  int assigned_day;
  int closed_day;
};

/* One escalation: on DAY (the first day past the deadline) the problem
** went from FROM to TO, with a new DEADLINE. */
struct escalation_step {
  int day;
  enum river_level from, to;
  int deadline;
};

struct escalation {
  int steps;
  struct escalation_step step[LEVEL_COUNT - 1];
  enum river_level level;   /* where it is on the day asked */
  int deadline;             /* its deadline there */
  int overdue_days;         /* days past that deadline on TODAY, or when it was closed (only at 市) */
};

/* The escalations of H up to TODAY (or its closing day, if earlier): each
** time it is still open the day after its deadline it goes to the level
** above, until 市, where it stays, overdue. 0, or -1 if H has no kind,
** its days are not dates or it was closed before it was assigned. */
int problem_escalate(const struct problem_history *h, int today, struct escalation *out);

#endif
