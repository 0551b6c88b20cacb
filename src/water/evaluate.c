/*
** Section, basin and trophic-state evaluation (evaluate.h).
**
** Main pollutants follow 环办〔2011〕22号: only for sections worse than Ⅲ;
** among the assessed items worse than Ⅲ, cyanide and heavy metals first,
** then the worst class, then the largest exceedance multiple against Ⅲ.
** pH and DO carry no multiple; on a tie of class they come after the items
** that have one (the method gives no way to compare them), in table order.
*/
#include "water/evaluate.h"
#include "util/buf.h"
#include <math.h>
#include <string.h>

#define CLASS_III 3

static int bit(water_mask m, int i) {
  return (int)((m >> i) & 1);
}

/* (C − C_Ⅲ) / C_Ⅲ for an upper-limit item worse than Ⅲ, else NAN. */
static double multiple_vs_iii(const struct water_item *it, enum water_body body,
                              double v, int cls) {
  if (it->dir != WATER_UPPER || cls <= CLASS_III) return NAN;
  double l3 = water_item_limits(it, body)[CLASS_III - 1];
  return (v - l3) / l3;
}

/* Does item A rank before item B as a main pollutant? */
static int ranks_before(const struct water_standard *s, const struct water_result *r,
                        int a, int b) {
  const struct water_item_result *x = &r->item[a], *y = &r->item[b];
  if (s->item[a].priority != s->item[b].priority) return s->item[a].priority;
  if (x->cls != y->cls) return x->cls > y->cls;
  if (isnan(x->multiple) != isnan(y->multiple)) return !isnan(x->multiple);
  if (!isnan(x->multiple) && x->multiple != y->multiple) return x->multiple > y->multiple;
  return a < b;
}

static void pick_main_pollutants(const struct water_standard *s, struct water_result *r) {
  r->n_main = 0;
  if (r->cls <= CLASS_III) return;
  int cand[WATER_MAX_ITEMS], n = 0;
  for (int i = 0; i < s->n; i++)
    if (r->item[i].counted && r->item[i].cls > CLASS_III) cand[n++] = i;
  /* insertion sort: a handful of items */
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && ranks_before(s, r, cand[j], cand[j - 1]); j--) {
      int t = cand[j];
      cand[j] = cand[j - 1];
      cand[j - 1] = t;
    }
  for (int i = 0; i < n && i < WATER_MAX_MAIN; i++) r->main[r->n_main++] = cand[i];
}

static void evaluate_item(const struct water_item *it, enum water_body body,
                          double raw, struct water_item_result *ir) {
  memset(ir, 0, sizeof *ir);
  ir->multiple = NAN;
  ir->value = NAN;
  if (isnan(raw)) return;
  ir->measured = 1;
  ir->value = water_round(raw, it->decimals);
  ir->cls = water_value_class(it, body, ir->value);
  ir->multiple = multiple_vs_iii(it, body, ir->value, ir->cls);
}

void water_evaluate(const struct water_standard *s, enum water_body body,
                    const double *values, water_mask assessed,
                    struct water_result *out) {
  if (!assessed) assessed = water_class_indicators(s);
  memset(out, 0, sizeof *out);
  out->body = body;
  int tn = water_item_index(s, "TN");
  for (int i = 0; i < s->n; i++) {
    struct water_item_result *ir = &out->item[i];
    evaluate_item(&s->item[i], body, values[i], ir);
    /* TN never makes a lake's class: it is reported on its own */
    int excluded = i == tn && body == WATER_LAKE;
    ir->counted = ir->measured && ir->cls > 0 && bit(assessed, i) && !excluded;
    if (ir->counted && ir->cls > out->cls) out->cls = ir->cls;
  }
  if (tn >= 0 && body == WATER_LAKE) out->tn_class = out->item[tn].cls;
  pick_main_pollutants(s, out);
}

void water_main_pollutants_text(const struct water_standard *s,
                                const struct water_result *r, struct buf *out) {
  for (int k = 0; k < r->n_main; k++) {
    int i = r->main[k];
    if (k) buf_puts(out, "、");
    buf_puts(out, s->item[i].name);
    double m = r->item[i].multiple;
    /* two decimals: one would print a small exceedance as (0.0) */
    if (!isnan(m)) buf_printf(out, "(%.2f)", water_round(m, 2));
  }
}

static double miss_multiple(const struct water_item *it, double v, double limit) {
  if (it->dir == WATER_UPPER) return (v - limit) / limit;
  if (it->dir == WATER_LOWER) return (limit - v) / limit;
  return NAN;
}

int water_compliance(const struct water_standard *s, const struct water_result *r,
                     int target, struct water_miss *miss, int max) {
  int n = 0;
  for (int worst = WATER_CLASS_WORST; worst > target; worst--)
    for (int i = 0; i < s->n && n < max; i++) {
      const struct water_item_result *ir = &r->item[i];
      if (!ir->counted || ir->cls != worst) continue;
      const struct water_item *it = &s->item[i];
      double limit = it->dir == WATER_RANGE ? NAN
                                            : water_item_limits(it, r->body)[target - 1];
      miss[n++] = (struct water_miss){i, ir->value, ir->cls, limit,
                                      miss_multiple(it, ir->value, limit)};
    }
  return n;
}

/* The class-proportion rule over RATED sections, GOOD of them Ⅰ–Ⅲ and
** WORST of them 劣Ⅴ. */
static enum water_rating share_rating(int good, int worst, int rated,
                                      double *p13, double *pworst) {
  if (!rated) return WATER_RATING_NONE;
  double g = (double)good / rated, w = (double)worst / rated;
  if (p13) *p13 = g;
  if (pworst) *pworst = w;
  if (g >= 0.9) return WATER_RATING_EXCELLENT;
  if (g >= 0.75) return WATER_RATING_GOOD;
  if (w < 0.2) return WATER_RATING_LIGHT;
  if (w < 0.4) return WATER_RATING_MODERATE;
  return WATER_RATING_HEAVY;
}

enum water_rating water_basin_rating_by_share(const int *classes, int n,
                                              double *p13, double *pworst) {
  int good = 0, worst = 0, rated = 0;
  for (int i = 0; i < n; i++) {
    if (classes[i] < 1) continue;
    rated++;
    good += classes[i] <= CLASS_III;
    worst += classes[i] == WATER_CLASS_WORST;
  }
  return share_rating(good, worst, rated, p13, pworst);
}

/* Mean of each item over the N sections' values, then one evaluation. */
static void evaluate_mean(const struct water_standard *s, enum water_body body,
                          const double *const *values, int n, water_mask assessed,
                          struct water_result *out) {
  double mean[WATER_MAX_ITEMS];
  for (int i = 0; i < s->n; i++) {
    struct water_acc acc = {0};
    for (int k = 0; k < n; k++)
      if (!isnan(values[k][i])) water_acc_add(&acc, &s->item[i], values[k][i]);
    mean[i] = water_acc_mean(&acc, &s->item[i]);
  }
  water_evaluate(s, body, mean, assessed, out);
}

enum water_rating water_basin_rating(const struct water_standard *s, enum water_body body,
                                     const struct water_result *results,
                                     const double *const *values, int n,
                                     water_mask assessed, struct water_result *mean) {
  if (n >= 5) {
    int good = 0, worst = 0, rated = 0;
    for (int k = 0; k < n; k++) {
      if (results[k].cls < 1) continue;
      rated++;
      good += results[k].cls <= CLASS_III;
      worst += results[k].cls == WATER_CLASS_WORST;
    }
    return share_rating(good, worst, rated, NULL, NULL);
  }
  struct water_result local;
  if (!mean) mean = &local;
  evaluate_mean(s, body, values, n, assessed, mean);
  return water_class_rating(mean->cls);
}

int water_basin_main_pollutants(const struct water_standard *s,
                                const struct water_result *results, int n,
                                int *items, double *rate) {
  int count[WATER_MAX_ITEMS] = {0};
  for (int k = 0; k < n; k++)
    for (int i = 0; i < s->n; i++)
      count[i] += results[k].item[i].counted && results[k].item[i].cls > CLASS_III;
  int m = 0;
  for (int pick = 0; pick < WATER_MAX_MAIN; pick++) {
    int best = -1;
    for (int i = 0; i < s->n; i++)
      if (count[i] > 0 && (best < 0 || count[i] > count[best])) best = i;
    if (best < 0) break;
    items[m] = best;
    rate[m++] = (double)count[best] / n;
    count[best] = 0;
  }
  return m;
}

double water_tli(double chla, double tp, double tn, double sd, double codmn) {
  /* TLI(j) = 10 (a_j + b_j ln x_j); weights W_j = r_j² / Σ r_j², r_j being
  ** parameter j's correlation with chl-a (金相灿《中国湖泊环境》) */
  static const double a[5] = {2.5, 9.436, 5.453, 5.118, 0.109};
  static const double b[5] = {1.086, 1.624, 1.694, -1.94, 2.661};
  static const double r[5] = {1, 0.84, 0.82, -0.83, 0.83};
  const double x[5] = {chla, tp, tn, sd, codmn};
  double wsum = 0, sum = 0;
  for (int j = 0; j < 5; j++) {
    if (isnan(x[j])) continue;
    wsum += r[j] * r[j];
    sum += r[j] * r[j] * 10 * (a[j] + b[j] * log(x[j]));
  }
  return wsum > 0 ? sum / wsum : NAN;
}

const char *water_tli_grade(double tli) {
  if (isnan(tli)) return "";
  if (tli < 30) return "贫营养";
  if (tli <= 50) return "中营养";
  if (tli <= 60) return "轻度富营养";
  if (tli <= 70) return "中度富营养";
  return "重度富营养";
}
