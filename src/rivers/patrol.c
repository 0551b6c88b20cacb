/*
** Whether a patrol counts, the periods of quotas, and who is behind
** (patrol.h).
*/
#include "rivers/patrol.h"
#include "supervision/period.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void add_reason(struct patrol_verdict *v, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_reason(struct patrol_verdict *v, const char *code, const char *fmt, ...) {
  struct patrol_reason *r = &v->reasons[v->count++];
  r->code = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->message, sizeof r->message, fmt, ap);
  va_end(ap);
}

/* SECONDS as "9 分 59 秒" or "10 分钟", never rounded up to a minimum. */
static void minutes_text(double seconds, char *out, size_t n) {
  long s = (long)floor(seconds);
  if (s % 60) snprintf(out, n, "%ld 分 %ld 秒", s / 60, s % 60);
  else snprintf(out, n, "%ld 分钟", s / 60);
}

void patrol_judge(const struct patrol_rules *r, enum river_level level, const struct track_stats *s,
                  const struct coverage *cov, struct patrol_verdict *out) {
  memset(out, 0, sizeof *out);
  const struct level_rule *l = &r->level[level];
  const char *who = river_level_name(level);
  if (s->length_m < l->min_length_m)
    add_reason(out, "too_short", "巡河里程 %.1f 米,少于%s级河湖长每次巡河的 %.0f 米",
               floor(s->length_m * 10) / 10, who, l->min_length_m);
  if (s->duration_s < l->min_duration_s) {
    char took[32];
    minutes_text(s->duration_s, took, sizeof took);
    add_reason(out, "too_brief", "巡河时长 %s,少于%s级河湖长每次巡河的 %.0f 分钟", took, who,
               l->min_duration_s / 60);
  }
  if (cov && cov->coverage < l->min_coverage)
    add_reason(out, "low_coverage", "轨迹覆盖河段 %.0f%%,少于要求的 %.0f%%", cov->coverage * 100,
               l->min_coverage * 100);
  if (cov && cov->on_segment < l->min_on_segment)
    add_reason(out, "off_segment", "轨迹只有 %.0f%% 在河段 %.0f 米以内,少于要求的 %.0f%%: 未沿河段巡查",
               cov->on_segment * 100, r->track.near_m, l->min_on_segment * 100);
  out->valid = out->count == 0;
}

/* Monday of the week of DAY: day 0 (1970-01-01) was a Thursday. */
static int monday_of(int day) {
  int weekday = ((day + 3) % 7 + 7) % 7;   /* 0 Monday .. 6 Sunday */
  return day - weekday;
}

/* The ISO 8601 week key of the week starting MONDAY: the year of its
** Thursday, and the week number counted from that year's first Thursday. */
static void iso_week_key(int monday, char key[PATROL_PERIOD_KEY_SIZE]) {
  int thursday = monday + 3, y, m, d, jan1;
  day_to_ymd(thursday, &y, &m, &d);
  day_from_ymd(y, 1, 1, &jan1);
  int week = (thursday - jan1) / 7 + 1;   /* 1..53 */
  snprintf(key, PATROL_PERIOD_KEY_SIZE, "%04d-W%02d", y % 10000, week % 100);
}

void patrol_period_of(enum patrol_period kind, int day, int *first, int *last,
                      char key[PATROL_PERIOD_KEY_SIZE]) {
  if (kind == PATROL_WEEK) {
    *first = monday_of(day);
    *last = *first + 6;
    iso_week_key(*first, key);
    return;
  }
  if (kind == PATROL_MONTH || kind == PATROL_QUARTER) {
    struct period p = period_of_day(kind == PATROL_MONTH ? PERIOD_MONTH : PERIOD_QUARTER, day);
    *first = period_first_day(&p);
    *last = period_last_day(&p);
    period_key(&p, key);
    return;
  }
  int y, m, d, xun;
  day_to_ymd(day, &y, &m, &d);
  xun = d <= 10 ? 1 : d <= 20 ? 2 : 3;
  day_from_ymd(y, m, (xun - 1) * 10 + 1, first);
  if (xun < 3) {
    *last = *first + 9;
  } else {
    struct period month = period_of_day(PERIOD_MONTH, day);
    *last = period_last_day(&month);
  }
  snprintf(key, PATROL_PERIOD_KEY_SIZE, "%04d-%02d-%d", y % 10000, m % 100, xun % 10);
}

/* Valid patrols of chief ID from FIRST to LAST (inclusive). */
static int count_valid(const struct patrol_record *patrols, size_t np, const char *id, int first, int last) {
  int n = 0;
  for (size_t i = 0; i < np; i++)
    n += patrols[i].valid && patrols[i].day >= first && patrols[i].day <= last &&
         !strcmp(patrols[i].chief_id, id);
  return n;
}

size_t patrol_behind(const struct patrol_rules *r, const struct chief *chiefs, size_t n,
                     const struct patrol_record *patrols, size_t np, int today,
                     struct chief_standing *out) {
  size_t behind = 0;
  for (size_t i = 0; i < n; i++) {
    const struct level_rule *l = &r->level[chiefs[i].level];
    if (!l->present) continue;
    struct chief_standing s = {.chief_id = chiefs[i].id, .level = chiefs[i].level, .required = l->patrols};
    int first, last, prev_first, prev_last;
    patrol_period_of(l->period, today, &first, &last, s.period);
    patrol_period_of(l->period, first - 1, &prev_first, &prev_last, s.previous);
    s.done = count_valid(patrols, np, s.chief_id, first, today);
    s.days_left = last - today;
    s.previous_done = count_valid(patrols, np, s.chief_id, prev_first, prev_last);
    s.missed_previous = s.previous_done < s.required;
    if (s.done < s.required || s.missed_previous) out[behind++] = s;
  }
  return behind;
}
