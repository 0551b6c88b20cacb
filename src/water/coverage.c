/*
** Coverage of assessment periods (coverage.h). The calendar arithmetic is
** supervision/period.c's (days since 1970, months and quarters).
*/
#include "water/coverage.h"
#include "supervision/period.h"
#include <stdio.h>
#include <string.h>

#define MONTHS_PER_YEAR 12

int water_days_coverage(const char *key, int days, const struct water_minimum *m,
                        const char *today, struct water_coverage *out) {
  struct period p;
  int now;
  if (period_parse(key, &p) || day_parse(today, &now)) return -1;
  int first = period_first_day(&p), last = period_last_day(&p);
  *out = (struct water_coverage){
    .have = days, .expected = last - first + 1,
    .min = p.kind == PERIOD_MONTH ? m->month_days : m->quarter_days,
    .in_progress = last >= now, .unit = "天"};
  return 0;
}

int water_year_coverage(int year, int months, int sections, const struct water_minimum *m,
                        const char *today, struct water_coverage *out) {
  int now, last;
  if (day_parse(today, &now) || day_from_ymd(year, 12, 31, &last)) return -1;
  *out = (struct water_coverage){
    .have = months, .expected = MONTHS_PER_YEAR * sections, .min = m->year_months * sections,
    .in_progress = last >= now, .unit = "个月"};
  return 0;
}

enum water_verdict water_coverage_verdict(const struct water_coverage *c) {
  if (c->have == 0 || c->have < c->min) return WATER_VERDICT_INSUFFICIENT;
  return c->in_progress ? WATER_VERDICT_PROVISIONAL : WATER_VERDICT_FINAL;
}

const char *water_verdict_code(enum water_verdict v) {
  switch (v) {
  case WATER_VERDICT_FINAL: return "final";
  case WATER_VERDICT_PROVISIONAL: return "in_progress";
  default: return "insufficient";
  }
}

const char *water_coverage_label(const struct water_coverage *c) {
  switch (water_coverage_verdict(c)) {
  case WATER_VERDICT_FINAL: return "";
  case WATER_VERDICT_PROVISIONAL: return "进行中";
  default: return c->in_progress ? "数据不足（进行中）" : "数据不足";
  }
}

void water_coverage_text(const struct water_coverage *c, struct buf *out) {
  if (c->expected == 0) buf_puts(out, "—");
  else buf_printf(out, "%d / %d %s", c->have, c->expected, c->unit);
}

json_t *water_coverage_json(const struct water_coverage *c) {
  struct buf text = {0};
  water_coverage_text(c, &text);
  json_t *j = json_pack("{s:i,s:i,s:i,s:s,s:b,s:s,s:s,s:s}", "have", c->have,
                        "expected", c->expected, "min", c->min, "unit", c->unit,
                        "in_progress", c->in_progress,
                        "status", water_verdict_code(water_coverage_verdict(c)),
                        "label", water_coverage_label(c), "text", buf_str(&text));
  buf_free(&text);
  return j;
}
