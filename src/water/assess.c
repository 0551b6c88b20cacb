/*
** Cross-boundary assessment (assess.h). Each section-month is checked on
** its own (rounded monthly means, the section's target), a failing month is
** compared with the inflow section in the same month, and every step is
** written as a line so that an auditor can redo the arithmetic.
*/
#include "water/assess.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/embedded.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULE_PREFIX "data/water/rules/"

/* ---- rules --------------------------------------------------------------- */

static int rule_indicators(const struct water_standard *s, json_t *a, water_mask *mask,
                           char *err, size_t errlen) {
  size_t k;
  json_t *code;
  *mask = 0;
  json_array_foreach(a, k, code) {
    int i = json_is_string(code) ? water_item_index(s, json_string_value(code)) : -1;
    if (i < 0 || !s->item[i].has_limits) {
      snprintf(err, errlen, "indicators[%zu]: not a GB 3838 item with limits", k);
      return -1;
    }
    *mask |= (water_mask)1 << i;
  }
  return 0;
}

static int rule_grades(json_t *a, struct water_rule *r, char *err, size_t errlen) {
  size_t k;
  json_t *g;
  json_array_foreach(a, k, g) {
    const char *name;
    double min;
    if (k >= WATER_MAX_GRADES || json_unpack(g, "{s:s,s:F}", "grade", &name, "min", &min)) {
      snprintf(err, errlen, "grades[%zu]: expected {\"grade\": NAME, \"min\": NUMBER}", k);
      return -1;
    }
    snprintf(r->grade[k].name, sizeof r->grade[k].name, "%s", name);
    r->grade[k].min = min;
    r->ngrades = (int)k + 1;
  }
  return r->ngrades ? 0 : (snprintf(err, errlen, "grades: none given"), -1);
}

static int rule_money(json_t *money, struct water_rule *r, char *err, size_t errlen) {
  const char *unit = "万元";
  json_t *by_grade = NULL, *tiers = NULL;
  if (money && json_unpack(money, "{s?s,s?F,s?o,s?o}", "unit", &unit, "deposit", &r->deposit,
                           "deposit_by_grade", &by_grade, "penalty_tiers", &tiers)) {
    snprintf(err, errlen, "money: malformed");
    return -1;
  }
  snprintf(r->unit, sizeof r->unit, "%s", unit);
  if (by_grade) r->deposit_by_grade = json_incref(by_grade);
  size_t k;
  json_t *t;
  json_array_foreach(tiers, k, t) {
    if (k >= WATER_MAX_TIERS || json_unpack(t, "{s:F,s:F}", "above", &r->tier[k].above,
                                            "base", &r->tier[k].base)) {
      snprintf(err, errlen, "money.penalty_tiers[%zu]: expected {\"above\": m, \"base\": amount}", k);
      return -1;
    }
    r->ntiers = (int)k + 1;
  }
  return 0;
}

/* "coverage": {"month_min_days", "quarter_min_days", "year_min_months", "source"}. */
static int rule_minimum(json_t *j, struct water_rule *r, char *err, size_t errlen) {
  struct water_minimum *m = &r->minimum;
  const char *source;
  if (json_unpack(j, "{s:{s:i,s:i,s:i,s:s}}", "coverage", "month_min_days", &m->month_days,
                  "quarter_min_days", &m->quarter_days, "year_min_months", &m->year_months,
                  "source", &source) ||
      m->month_days < 1 || m->month_days > 28 || m->quarter_days < 1 || m->quarter_days > 90 ||
      m->year_months < 1 || m->year_months > 12) {
    snprintf(err, errlen, "coverage: expected {\"month_min_days\": 1..28, \"quarter_min_days\": "
             "1..90, \"year_min_months\": 1..12, \"source\": TEXT}");
    return -1;
  }
  snprintf(r->minimum_source, sizeof r->minimum_source, "%s", source);
  return 0;
}

json_t *water_minimum_json(const struct water_rule *rule) {
  return json_pack("{s:i,s:i,s:i,s:s}", "month_min_days", rule->minimum.month_days,
                   "quarter_min_days", rule->minimum.quarter_days,
                   "year_min_months", rule->minimum.year_months, "source", rule->minimum_source);
}

static int rule_from_json(const struct water_standard *s, json_t *j, struct water_rule *r,
                          char *err, size_t errlen) {
  const char *id, *name, *by = "rate", *freeze = "不合格";
  json_t *indicators = NULL, *grades, *money = NULL, *points = NULL;
  int target = 1, inflow = 1;
  json_error_t e;
  if (json_unpack_ex(j, &e, 0, "{s:s,s:s,s?o,s?{s?b,s?b},s?s,s?o,s:o,s?s,s?o}", "id", &id,
                     "name", &name, "indicators", &indicators, "monthly_pass", "target", &target,
                     "inflow_not_worse", &inflow, "grade_by", &by, "points", &points,
                     "grades", &grades, "freeze_grade", &freeze, "money", &money)) {
    snprintf(err, errlen, "rule: %s", e.text);
    return -1;
  }
  snprintf(r->id, sizeof r->id, "%s", id);
  snprintf(r->name, sizeof r->name, "%s", name);
  snprintf(r->freeze, sizeof r->freeze, "%s", freeze);
  r->inflow_not_worse = inflow;
  r->by_points = !strcmp(by, "points");
  if (r->by_points && (!points || json_unpack(points, "{s:F,s:F}", "base", &r->points_base,
                                              "per_class_improved", &r->points_per_class))) {
    snprintf(err, errlen, "points: grade_by points needs {\"base\": N, \"per_class_improved\": N}");
    return -1;
  }
  if (indicators && rule_indicators(s, indicators, &r->indicators, err, errlen)) return -1;
  if (rule_grades(grades, r, err, errlen) || rule_minimum(j, r, err, errlen)) return -1;
  return rule_money(money, r, err, errlen);
}

int water_rule_parse(const struct water_standard *s, const char *text, size_t len,
                     struct water_rule *r, char *err, size_t errlen) {
  json_error_t e;
  memset(r, 0, sizeof *r);
  json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
  if (!j) {
    snprintf(err, errlen, "line %d: %s", e.line, e.text);
    return -1;
  }
  int rc = rule_from_json(s, j, r, err, errlen);
  json_decref(j);
  if (rc) water_rule_free(r);
  return rc;
}

int water_rule_builtin(const struct water_standard *s, const char *id, struct water_rule *r,
                       char *err, size_t errlen) {
  char name[128];
  snprintf(name, sizeof name, RULE_PREFIX "%s.json", id);
  const struct embedded_file *f = strchr(id, '/') ? NULL : embedded_find(name);
  if (!f) {
    snprintf(err, errlen, "no rule '%s'", id);
    return -1;
  }
  return water_rule_parse(s, (const char *)f->data, f->size, r, err, errlen);
}

void water_rule_free(struct water_rule *r) {
  json_decref(r->deposit_by_grade);
  r->deposit_by_grade = NULL;
}

json_t *water_rules_json(void) {
  json_t *a = json_array();
  size_t plen = strlen(RULE_PREFIX);
  for (size_t i = 0; i < embedded_file_count; i++) {
    const struct embedded_file *f = &embedded_files[i];
    if (strncmp(f->name, RULE_PREFIX, plen)) continue;
    json_t *j = json_loadb((const char *)f->data, f->size, 0, NULL);
    if (!j) continue;
    json_array_append_new(a, json_pack("{s:O,s:O,s:O}", "id", json_object_get(j, "id"),
      "name", json_object_get(j, "name"), "source", json_object_get(j, "source")));
    json_decref(j);
  }
  return a;
}

/* ---- one section-month --------------------------------------------------- */

struct month_check {
  struct water_coverage cov;   /* days with data against the month's days */
  int cls;                     /* 0 = not judged (no data, or under the minimum) */
  int pass;
  double worst;                /* largest multiple over the target limit (NAN if none) */
};

static void put_value(struct buf *b, const struct water_item *it, double v) {
  buf_printf(b, "%.*f", it->decimals < 0 ? 3 : it->decimals, v);
}

static water_mask assessed_mask(const struct water_rule *rule, const struct water_section *sec) {
  return sec->assessed ? sec->assessed : rule->indicators;
}

/* Is an indicator of R worse than at the inflow (IN)? Lines go to B. */
static int worse_than_inflow(const struct water_standard *s, const struct water_result *r,
                             const struct water_result *in, struct buf *b) {
  int worse = 0;
  for (int i = 0; i < s->n; i++) {
    const struct water_item_result *x = &r->item[i], *y = &in->item[i];
    if (!x->counted) continue;
    const struct water_item *it = &s->item[i];
    int w = !y->measured ||
            (it->dir == WATER_UPPER ? x->value > y->value
             : it->dir == WATER_LOWER ? x->value < y->value : x->cls > y->cls);
    buf_printf(b, " %s ", it->name);
    put_value(b, it, x->value);
    if (y->measured) {
      buf_puts(b, w ? " 劣于入境 " : " 不劣于入境 ");
      put_value(b, it, y->value);
    } else {
      buf_puts(b, " 入境无数据");
    }
    buf_puts(b, "；");
    worse |= w;
  }
  return worse;
}

static void put_misses(const struct water_standard *s, const struct water_result *r,
                       int target, struct buf *b, double *worst) {
  struct water_miss miss[WATER_MAX_ITEMS];
  int n = water_compliance(s, r, target, miss, WATER_MAX_ITEMS);
  *worst = NAN;
  for (int k = 0; k < n; k++) {
    const struct water_item *it = &s->item[miss[k].item];
    buf_printf(b, " %s ", it->name);
    put_value(b, it, miss[k].value);
    if (isnan(miss[k].multiple)) {
      buf_printf(b, " %s类超出范围；", water_class_label(miss[k].cls));
      continue;
    }
    buf_printf(b, " %s%s类限值 ", it->dir == WATER_LOWER ? "低于" : "超", water_class_label(target));
    put_value(b, it, miss[k].target_limit);
    buf_printf(b, " 的 %.2f 倍；", water_round(miss[k].multiple, 2));
    if (isnan(*worst) || miss[k].multiple > *worst) *worst = miss[k].multiple;
  }
}

static void inflow_check(sqlite3 *db, const struct water_standard *s, const struct water_section *sec,
                         water_mask mask, const struct water_result *r, const char *month,
                         struct month_check *c, struct buf *b) {
  struct water_section in;
  double v[WATER_MAX_ITEMS];
  if (!sec->inflow_id || water_section_get(db, s, sec->inflow_id, NULL, &in)) {
    buf_puts(b, " 无入境对照断面 → 不合格");
    return;
  }
  if (water_period_values(db, s, in.id, month, v) <= 0) {
    buf_printf(b, " 入境断面 %s 本月无数据 → 不合格", in.name);
    return;
  }
  struct water_result rin;
  water_evaluate(s, in.body, v, mask, &rin);
  buf_printf(b, " 对照入境断面 %s：", in.name);
  c->pass = !worse_than_inflow(s, r, &rin, b);
  buf_puts(b, c->pass ? " → 无指标劣于入境，合格" : " → 不合格");
}

/* The month's coverage into C; its line when it cannot be judged. Returns
** 1 if the month has enough data to be judged, 0 if not, -1 on error. */
static int month_coverage(sqlite3 *db, const struct water_rule *rule, const struct water_section *sec,
                          const char *month, const char *today, struct month_check *c,
                          struct buf *b) {
  int days = water_days_with_data(db, sec->id, month);
  if (days < 0 || water_days_coverage(month, days, &rule->minimum, today, &c->cov)) return -1;
  if (water_coverage_verdict(&c->cov) != WATER_VERDICT_INSUFFICIENT) return 1;
  buf_printf(b, "%s %s：%s，%d / %d 天有数据（至少 %d 天），不评价", month, sec->name,
             water_coverage_label(&c->cov), c->cov.have, c->cov.expected, c->cov.min);
  return 0;
}

static int check_month(sqlite3 *db, const struct water_standard *s, const struct water_rule *rule,
                       const struct water_section *sec, const char *month, const char *today,
                       struct month_check *c, struct buf *b) {
  double v[WATER_MAX_ITEMS];
  memset(c, 0, sizeof *c);
  c->worst = NAN;
  int enough = month_coverage(db, rule, sec, month, today, c, b);
  if (enough <= 0) return enough;
  s = water_standard_on(s, month);   /* rounded and written by the month's rules */
  int n = water_period_values(db, s, sec->id, month, v);
  if (n < 0) return -1;
  water_mask mask = assessed_mask(rule, sec);
  struct water_result r;
  water_evaluate(s, sec->body, v, mask, &r);
  if (!n || !r.cls) {
    buf_printf(b, "%s %s：无考核指标数据，不评价", month, sec->name);
    return 0;
  }
  c->cls = r.cls;
  buf_printf(b, "%s %s：%s%s类（目标%s类）", month, sec->name,
             c->cov.in_progress ? "月份进行中，暂为" : "", water_class_label(r.cls),
             water_class_label(sec->target));
  if (r.cls <= sec->target) {
    c->pass = 1;
    buf_puts(b, " 达标，合格");
    return 0;
  }
  put_misses(s, &r, sec->target, b, &c->worst);
  if (rule->inflow_not_worse) inflow_check(db, s, sec, mask, &r, month, c, b);
  else buf_puts(b, " → 不合格");
  return 0;
}

/* ---- sections by county -------------------------------------------------- */

/* The assessed sections (a county and a target), ordered by county. */
static int assessed_sections(sqlite3 *db, const struct water_standard *s,
                             struct water_section **out) {
  char err[200];
  sqlite3_stmt *st = db_prepare(db, "SELECT id FROM water_section WHERE county <> '' AND "
                                    "target_class IS NOT NULL ORDER BY county, id", err, sizeof err);
  if (!st) return -1;
  int n = 0, cap = 0;
  *out = NULL;
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (n == cap) *out = xrealloc(*out, (cap = cap ? cap * 2 : 32) * sizeof **out);
    if (!water_section_get(db, s, sqlite3_column_int64(st, 0), NULL, &(*out)[n])) n++;
  }
  sqlite3_finalize(st);
  return n;
}

/* One row of the month table; class and pass are null when not judged. */
static json_t *month_row(const struct water_section *sec, const struct month_check *c,
                         const char *line) {
  enum water_verdict v = water_coverage_verdict(&c->cov);
  int judged = c->cls > 0;
  return json_pack("{s:s,s:I,s:s,s:o,s:o,s:i,s:o,s:s,s:s,s:b,s:o,s:s}",
    "county", sec->county, "section_id", (json_int_t)sec->id, "section", sec->name,
    "class", judged ? json_integer(c->cls) : json_null(),
    "label", judged ? json_string(water_class_label(c->cls)) : json_null(),
    "target", sec->target, "pass", judged ? json_boolean(c->pass) : json_null(),
    "status", judged ? water_verdict_code(v) : "insufficient",
    "status_label", judged ? water_coverage_label(&c->cov) : "数据不足",
    "final", judged && v == WATER_VERDICT_FINAL, "coverage", water_coverage_json(&c->cov),
    "line", line);
}

json_t *water_month_json(sqlite3 *db, const struct water_standard *s,
                         const struct water_rule *rule, const char *month, const char *today) {
  struct water_section *sec;
  int n = assessed_sections(db, s, &sec);
  if (n < 0) return NULL;
  json_t *rows = json_array();
  int failed = 0;
  for (int k = 0; k < n && !failed; k++) {
    struct month_check c;
    struct buf line = {0};
    failed = check_month(db, s, rule, &sec[k], month, today, &c, &line) < 0;
    if (!failed) json_array_append_new(rows, month_row(&sec[k], &c, buf_str(&line)));
    buf_free(&line);
  }
  free(sec);
  if (failed) {
    json_decref(rows);
    return NULL;
  }
  return json_pack("{s:s,s:s,s:s,s:o,s:o}", "rule", rule->id, "month", month, "today", today,
                   "minimum", water_minimum_json(rule), "rows", rows);
}

/* ---- one county-year ----------------------------------------------------- */

struct county_total {
  int sections, months, passed;  /* months: the section-months judged */
  double improved_points, penalty;
};

static double tier_base(const struct water_rule *rule, double m) {
  double base = 0;
  for (int k = 0; k < rule->ntiers; k++)
    if (m > rule->tier[k].above) base = rule->tier[k].base;
  return base;
}

/* The number of months of YEAR that SEC has enough data to be judged on. */
static int judged_months(sqlite3 *db, const struct water_rule *rule,
                         const struct water_section *sec, int year) {
  int n = 0;
  for (int mo = 1; mo <= 12; mo++) {
    char month[16];
    snprintf(month, sizeof month, "%04d-%02d", year % 10000, mo);
    int days = water_days_with_data(db, sec->id, month);
    if (days < 0) return -1;
    n += days >= rule->minimum.month_days;
  }
  return n;
}

/* The months of SEC in YEAR into T, their lines into LINES (a month
** without any data gives none). The number of months judged, -1 on error. */
static int section_year(sqlite3 *db, const struct water_standard *s, const struct water_rule *rule,
                        const struct water_section *sec, int year, const char *today,
                        struct county_total *t, json_t *lines) {
  int judged = 0;
  for (int mo = 1; mo <= 12; mo++) {
    char month[16];
    snprintf(month, sizeof month, "%04d-%02d", year % 10000, mo);
    struct month_check c;
    struct buf b = {0};
    int rc = check_month(db, s, rule, sec, month, today, &c, &b);
    if (rc < 0) {
      buf_free(&b);
      return -1;
    }
    if (!c.cls && c.cov.have) json_array_append_new(lines, json_string(buf_str(&b)));
    if (c.cls) {
      judged++;
      t->months++;
      t->passed += c.pass;
      double base = c.pass || isnan(c.worst) ? 0 : tier_base(rule, c.worst);
      if (base > 0) {
        double amount = base * (1 + c.worst);
        t->penalty += amount;
        buf_printf(&b, "；罚 %.2f × (1 + %.2f) = %.2f %s", base, c.worst, amount, rule->unit);
      }
      json_array_append_new(lines, json_string(buf_str(&b)));
    }
    buf_free(&b);
  }
  return judged;
}

/* Points for whole classes of improvement of the annual class, when both
** years have the months the rule asks for (MONTHS: those of YEAR).
** Returns 0, -1 on error. */
static int improvement(sqlite3 *db, const struct water_standard *s, const struct water_rule *rule,
                       const struct water_section *sec, int year, int months,
                       struct county_total *t, json_t *lines) {
  char y0[16], y1[16];
  double v0[WATER_MAX_ITEMS], v1[WATER_MAX_ITEMS];
  snprintf(y0, sizeof y0, "%04d", (year - 1) % 10000);
  snprintf(y1, sizeof y1, "%04d", year % 10000);
  int before = judged_months(db, rule, sec, year - 1), need = rule->minimum.year_months;
  if (before < 0) return -1;
  if (months < need || before < need) {
    char line[512];
    snprintf(line, sizeof line, "%s 年均水质提升：%s 年 %d 个月、%s 年 %d 个月有数据（各需 %d 个月），不计分",
             sec->name, y0, before, y1, months, need);
    if (months || before) json_array_append_new(lines, json_string(line));
    return 0;
  }
  if (water_period_values(db, s, sec->id, y0, v0) <= 0 ||
      water_period_values(db, s, sec->id, y1, v1) <= 0)
    return 0;
  struct water_result r0, r1;
  water_evaluate(water_standard_on(s, y0), sec->body, v0, assessed_mask(rule, sec), &r0);
  water_evaluate(water_standard_on(s, y1), sec->body, v1, assessed_mask(rule, sec), &r1);
  if (!r0.cls || !r1.cls || r1.cls >= r0.cls) return 0;
  double pts = rule->points_per_class * (r0.cls - r1.cls);
  t->improved_points += pts;
  char line[256];
  snprintf(line, sizeof line, "%s 年均水质 %s类 → %s类，提升 %d 个类别：+%.0f 分", sec->name,
           water_class_label(r0.cls), water_class_label(r1.cls), r0.cls - r1.cls, pts);
  json_array_append_new(lines, json_string(line));
  return 0;
}

static const char *grade_of(const struct water_rule *rule, double score) {
  for (int k = 0; k < rule->ngrades; k++)
    if (score >= rule->grade[k].min) return rule->grade[k].name;
  return rule->grade[rule->ngrades - 1].name;
}

/* The money lines and fields of a final county-year. */
static void county_money(const struct water_rule *rule, const char *grade,
                         const struct county_total *t, json_t *j, json_t *lines) {
  char line[256];
  if (rule->deposit > 0) {
    const char *action = json_string_value(json_object_get(rule->deposit_by_grade, grade));
    action = action ? action : "return";
    json_object_set_new(j, "deposit", json_pack("{s:f,s:s}", "amount", rule->deposit, "action", action));
    snprintf(line, sizeof line, "保证金 %.0f %s：%s", rule->deposit, rule->unit,
             strcmp(action, "forfeit") ? "返还" : "扣缴");
    json_array_append_new(lines, json_string(line));
  }
  if (rule->ntiers) {
    json_object_set_new(j, "penalty", json_real(t->penalty));
    snprintf(line, sizeof line, "罚款合计 %.2f %s", t->penalty, rule->unit);
    json_array_append_new(lines, json_string(line));
  }
}

/* Why a county-year carries no verdict or no money, as its last line. */
static void county_withheld(const struct water_coverage *cov, enum water_verdict v,
                            const char *today, json_t *lines) {
  char line[384];
  if (v == WATER_VERDICT_INSUFFICIENT)
    snprintf(line, sizeof line, "数据不足：%d / %d 个断面月有数据（至少 %d），不评等级，"
             "不计保证金、罚款和区域限批", cov->have, cov->expected, cov->min);
  else
    snprintf(line, sizeof line, "年度进行中（截至 %s）：等级为暂定，不计保证金、罚款和区域限批", today);
  json_array_append_new(lines, json_string(line));
}

static json_t *county_json(const struct water_rule *rule, const char *county, int year,
                           const char *today, const struct county_total *t, json_t *lines) {
  struct water_coverage cov;     /* TODAY was checked by every month before */
  water_year_coverage(year, t->months, t->sections, &rule->minimum, today, &cov);
  enum water_verdict v = water_coverage_verdict(&cov);
  int graded = v != WATER_VERDICT_INSUFFICIENT, final = v == WATER_VERDICT_FINAL;
  double rate = t->months ? (double)t->passed / t->months : 0;
  char line[256];
  if (t->months) snprintf(line, sizeof line, "达标率 R = %d / %d = %.4f", t->passed, t->months, rate);
  else snprintf(line, sizeof line, "达标率 R = 0 / 0 = —");
  json_array_append_new(lines, json_string(line));
  double score = rate;
  if (rule->by_points && graded) {
    score = rule->points_base * rate + t->improved_points;
    snprintf(line, sizeof line, "得分 = %.0f × %.4f + %.0f = %.2f", rule->points_base, rate,
             t->improved_points, score);
    json_array_append_new(lines, json_string(line));
  }
  const char *grade = graded ? grade_of(rule, score) : NULL;
  int freeze = final && !strcmp(grade, rule->freeze);
  json_t *j = json_pack("{s:s,s:s,s:s,s:b,s:o,s:i,s:i,s:o,s:o,s:b}", "county", county,
                        "status", water_verdict_code(v), "status_label", water_coverage_label(&cov),
                        "final", final, "coverage", water_coverage_json(&cov),
                        "months", t->months, "passed", t->passed,
                        "rate", graded ? json_real(rate) : json_null(),   /* not judged: — */
                        "grade", grade ? json_string(grade) : json_null(), "freeze", freeze);
  if (rule->by_points && graded) json_object_set_new(j, "points", json_real(score));
  if (graded) {
    snprintf(line, sizeof line, "等级：%s%s%s", grade, final ? "" : "（暂定）", freeze ? "（区域限批）" : "");
    json_array_append_new(lines, json_string(line));
  }
  if (final) county_money(rule, grade, t, j, lines);
  else county_withheld(&cov, v, today, lines);
  json_object_set_new(j, "lines", lines);
  return j;
}

json_t *water_assess_json(sqlite3 *db, const struct water_standard *s,
                          const struct water_rule *rule, int year, const char *today) {
  struct water_section *sec;
  int n = assessed_sections(db, s, &sec);
  if (n < 0) return NULL;
  json_t *counties = json_array();
  int failed = 0;
  for (int k = 0; k < n && !failed;) {
    struct county_total t = {0};
    json_t *lines = json_array();
    int first = k;
    for (; k < n && !strcmp(sec[k].county, sec[first].county) && !failed; k++) {
      int months = section_year(db, s, rule, &sec[k], year, today, &t, lines);
      failed = months < 0;
      t.sections++;
      if (!failed && rule->by_points)
        failed = improvement(db, s, rule, &sec[k], year, months, &t, lines) < 0;
    }
    if (failed) json_decref(lines);
    else json_array_append_new(counties, county_json(rule, sec[first].county, year, today, &t, lines));
  }
  free(sec);
  if (failed) {
    json_decref(counties);
    return NULL;
  }
  return json_pack("{s:s,s:s,s:i,s:s,s:s,s:o,s:o}", "rule", rule->id, "rule_name", rule->name,
                   "year", year, "unit", rule->unit, "today", today,
                   "minimum", water_minimum_json(rule), "counties", counties);
}

int water_section_coverage(sqlite3 *db, const struct water_rule *rule, long long section,
                           const char *period, const char *today, struct water_coverage *out) {
  struct water_span span;
  if (water_period_span(period, &span)) return -1;
  if (span.kind == WATER_SPAN_YEAR) {
    struct water_section sec = {.id = section};
    int months = judged_months(db, rule, &sec, atoi(period));
    return months < 0 || water_year_coverage(atoi(period), months, 1, &rule->minimum, today, out)
           ? -1 : 1;
  }
  if (span.kind != WATER_SPAN_MONTH && span.kind != WATER_SPAN_QUARTER) return 0;
  int days = water_days_with_data(db, section, period);
  return days < 0 || water_days_coverage(period, days, &rule->minimum, today, out) ? -1 : 1;
}
