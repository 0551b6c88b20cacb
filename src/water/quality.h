/*
** One item's values: reading a value as measured ("0.032", "0.01L"),
** averaging a set of values, rounding half to even at the item's decimals,
** and the class the rounded value meets. Pure.
**
** The method's order is: average the raw values (below-detection values as
** half the detection limit, pH through [H+]), round the mean at the item's
** evaluation decimals (总站水字〔2018〕87号, 四舍六入五成双), then compare with
** the limits, a value on a limit meeting that class and shared limits
** (COD Ⅰ = Ⅱ = 15) giving the best class.
*/
#ifndef QS_WATER_QUALITY_H
#define QS_WATER_QUALITY_H
#include "water/standard.h"

/* Parse TEXT as measured: a non-negative decimal ("0.032", "15", ".5"),
** optionally followed by L for "below the detection limit" ("0.01L"), which
** counts as half the limit. Returns 0 with *VALUE set (and *BELOW = 1 for an
** L value), 1 for an empty text (not measured), -1 if malformed. */
int water_parse_value(const char *text, double *value, int *below);

/* V rounded half to even at DECIMALS places (DECIMALS < 0: unchanged). A
** value that would round to 0 keeps one significant digit, as the rule
** requires. Works on V's 15 significant decimal digits, so a mean such as
** (0.04 + 0.05) / 2 is a true tie at 0.045 and rounds to 0.04. */
double water_round(double v, int decimals);

/* The class (1..6) that the already rounded value V of ITEM meets in a
** water body of kind BODY, or 0 if the item has no class limits. */
int water_value_class(const struct water_item *item, enum water_body body, double v);

/* A running mean of one item over any set of values: combine two by
** adding their fields, which is what makes incremental aggregates work.
** For pH the sum is of hydrogen-ion concentrations. */
struct water_acc {
  double sum;
  long n;
};

void water_acc_add(struct water_acc *a, const struct water_item *item, double v);
void water_acc_merge(struct water_acc *a, const struct water_acc *b);
/* The mean (unrounded), or NAN when the set is empty. */
double water_acc_mean(const struct water_acc *a, const struct water_item *item);

/* Class of a set of N raw values of ITEM: mean, round, compare. 0 if N is 0
** or the item has no limits. *ROUNDED (if not NULL) gets the rounded mean. */
int water_set_class(const struct water_item *item, enum water_body body,
                    const double *values, int n, double *rounded);

/* "Ⅰ".."Ⅴ", "劣Ⅴ" for 1..6; "" otherwise. */
const char *water_class_label(int cls);

/* The section rating of a class (环办〔2011〕22号 表1). */
enum water_rating {
  WATER_RATING_NONE = 0,
  WATER_RATING_EXCELLENT,     /* 优: Ⅰ–Ⅱ (basin: Ⅰ–Ⅲ share >= 90%) */
  WATER_RATING_GOOD,          /* 良好 */
  WATER_RATING_LIGHT,         /* 轻度污染 */
  WATER_RATING_MODERATE,      /* 中度污染 */
  WATER_RATING_HEAVY,         /* 重度污染 */
};

enum water_rating water_class_rating(int cls);
/* "优", "良好", "轻度污染", "中度污染", "重度污染"; "" for NONE. */
const char *water_rating_label(enum water_rating r);

#endif
