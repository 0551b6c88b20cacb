/*
** Patrols of river and reservoir chiefs (issue 18): the chiefs' four
** levels, the patrol rules of each level (data/rivers/patrol_rules.json,
** loaded by rules.c), whether one patrol counts and why not, and which
** chiefs are behind their quota (patrol.c). Pure: the caller passes the
** rules' text, the patrols and today.
*/
#ifndef QS_RIVERS_PATROL_H
#define QS_RIVERS_PATROL_H
#include "rivers/track.h"
#include <stddef.h>

/* The four levels of a city's chiefs, top first. */
enum river_level { LEVEL_CITY, LEVEL_COUNTY, LEVEL_TOWNSHIP, LEVEL_VILLAGE, LEVEL_COUNT };

/* "市", "县", "乡", "村" (or city, county, township, village) into *OUT;
** -1 for any other word. */
int river_level_parse(const char *word, enum river_level *out);
/* "市" ... "村". */
const char *river_level_name(enum river_level level);

/* The periods a quota counts in: a week (Monday to Sunday), a 旬 (days
** 1-10, 11-20, 21 to the month's end), a month, a quarter. */
enum patrol_period { PATROL_WEEK, PATROL_XUN, PATROL_MONTH, PATROL_QUARTER };

/* One level's rule. PRESENT is 0 where the rule set says nothing for the
** level: no quota, no minimum. */
struct level_rule {
  int present;
  enum patrol_period period;
  int patrols;              /* required valid patrols per period */
  double min_duration_s, min_length_m;
  double min_coverage;      /* share of the segment within near_m of the track */
  double min_on_segment;    /* share of the track within near_m of the segment */
};

struct patrol_rules {
  char set[32];             /* the rule set's key in the file */
  struct level_rule level[LEVEL_COUNT];
  struct track_config track;
};

/* Load rule set SET (NULL: the file's "in_force") of the rules file TEXT
** into OUT, checking every set of the file (known keys, numbers in range).
** 0, or -1 with ERR naming the field. */
int patrol_rules_load(const char *text, const char *set, struct patrol_rules *out, char *err,
                      size_t errlen);

/* Why a patrol does not count: a code and a Chinese sentence. */
struct patrol_reason {
  const char *code;         /* too_short, too_brief, low_coverage, off_segment */
  char message[192];
};

struct patrol_verdict {
  int valid;
  int count;
  struct patrol_reason reasons[4];
};

/* Whether a patrol of a chief of LEVEL, measured as S, counts under R.
** COV is NULL when the segment is not known: its rules are then not
** applied. */
void patrol_judge(const struct patrol_rules *r, enum river_level level, const struct track_stats *s,
                  const struct coverage *cov, struct patrol_verdict *out);

/* "YYYY-MM-DD" and its NUL; "2026-W49", "2026-12-2" (the second 旬),
** "2026-12", "2026-Q4" and a NUL. */
#define PATROL_PERIOD_KEY_SIZE 12

/* The period of KIND holding DAY (supervision/period.h days): its first
** and last day and its key. */
void patrol_period_of(enum patrol_period kind, int day, int *first, int *last,
                      char key[PATROL_PERIOD_KEY_SIZE]);

struct chief {
  const char *id;
  enum river_level level;
};

struct patrol_record {
  const char *chief_id;
  int day;                  /* the day the patrol started */
  int valid;
};

/* A chief behind their level's quota on TODAY: in the current period
** (DONE of REQUIRED valid patrols so far, DAYS_LEFT after today), or in
** the period before, which has ended (PREVIOUS_DONE of REQUIRED). */
struct chief_standing {
  const char *chief_id;
  enum river_level level;
  char period[PATROL_PERIOD_KEY_SIZE], previous[PATROL_PERIOD_KEY_SIZE];
  int required, done, days_left, previous_done;
  int missed_previous;      /* the period before ended short */
};

/* The chiefs of CHIEFS (N) behind on TODAY, in the order given, into OUT
** (room for N); returns how many. A chief whose level has no quota is
** never behind. Invalid patrols and patrols after today do not count. */
size_t patrol_behind(const struct patrol_rules *r, const struct chief *chiefs, size_t n,
                     const struct patrol_record *patrols, size_t np, int today,
                     struct chief_standing *out);

#endif
