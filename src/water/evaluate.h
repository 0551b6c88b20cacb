/*
** Evaluation of a section, a river or basin, and a reservoir's trophic
** state, as 《地表水环境质量评价办法（试行）》(环办〔2011〕22号) does it. Pure.
**
** A section's values for a period are the (unrounded) means of its items,
** one double per standard item, NAN where the item was not measured; the
** period's aggregation (hour, day, month, quarter, year) is the caller's,
** with water_acc (quality.h). Evaluation rounds each mean, classes it, and
** takes the worst class of the assessed indicators (single-factor method).
*/
#ifndef QS_WATER_EVALUATE_H
#define QS_WATER_EVALUATE_H
#include "water/quality.h"

#define WATER_MAX_MAIN 3

struct water_item_result {
  int measured;                /* a value was given */
  double value;                /* the rounded mean */
  int cls;                     /* its class, 0 if the item has no limits */
  int counted;                 /* it took part in the section's class */
  double multiple;             /* (C − C_Ⅲ) / C_Ⅲ when worse than Ⅲ, else NAN;
                                  never for pH, DO or items without limits */
};

struct water_result {
  enum water_body body;
  int cls;                     /* 1..6, 0 when no assessed item was measured */
  struct water_item_result item[WATER_MAX_ITEMS];
  int tn_class;                /* lakes and reservoirs: TN's own class (0 if none) */
  int main[WATER_MAX_MAIN];    /* main pollutants, item indices, worst first */
  int n_main;
};

/* Evaluate a section whose item means are VALUES (S->n doubles, NAN = not
** measured), on the indicators in ASSESSED (0 = the class indicators). */
void water_evaluate(const struct water_standard *s, enum water_body body,
                    const double *values, water_mask assessed,
                    struct water_result *out);

/* Append the main pollutants as the method writes them, e.g.
** "高锰酸盐指数(1.20)、总磷(0.50)", the multiple at two decimals, to OUT (nothing when there are none). */
struct buf;
void water_main_pollutants_text(const struct water_standard *s,
                                const struct water_result *r, struct buf *out);

/* One indicator that misses a section's target class. */
struct water_miss {
  int item;
  double value;                /* rounded */
  int cls;
  double target_limit;         /* the limit of the target class (pH: NAN) */
  double multiple;             /* how far beyond it, relative: (C − L) / L, or
                                  (L − C) / L for DO; NAN for pH */
};

/* The assessed indicators of R that are worse than TARGET (1..5), worst
** class first, in MISS (room for MAX). Returns their number (0 = met). */
int water_compliance(const struct water_standard *s, const struct water_result *r,
                     int target, struct water_miss *miss, int max);

/* River or basin (水系) rating from its sections' classes (5 sections or
** more): the shares of Ⅰ–Ⅲ and of 劣Ⅴ, returned through P13 and PWORST. */
enum water_rating water_basin_rating_by_share(const int *classes, int n,
                                              double *p13, double *pworst);

/* River or basin evaluation by the method's rule: with 5 sections or more,
** the class proportions; with fewer, the mean of each indicator over the
** sections (pH through [H+]) evaluated as one section, returned in MEAN
** (which may be NULL for 5 or more). RESULTS are the sections' evaluations;
** VALUES their item means (n rows of S->n). */
enum water_rating water_basin_rating(const struct water_standard *s, enum water_body body,
                                     const struct water_result *results,
                                     const double *const *values, int n,
                                     water_mask assessed, struct water_result *mean);

/* Basin main pollutants (5 sections or more): the items that exceed Ⅲ in
** the most sections, top 3, with their exceedance rates (share of sections
** in RATE). Returns their number. */
int water_basin_main_pollutants(const struct water_standard *s,
                                const struct water_result *results, int n,
                                int *items, double *rate);

/* Comprehensive trophic level index TLI(Σ) (总站生字〔2001〕090号) from
** chlorophyll a (mg/m³), TP, TN, CODMn (mg/L) and Secchi depth SD (m). A
** NAN parameter is left out and the others' weights are renormalised.
** Returns NAN when none is given. */
double water_tli(double chla, double tp, double tn, double sd, double codmn);

/* "贫营养", "中营养", "轻度富营养", "中度富营养", "重度富营养". */
const char *water_tli_grade(double tli);

#endif
