/*
** Values, rounding and classes of one item (quality.h).
**
** Rounding is done on decimal digits, not on the binary double: 0.055 is
** stored as 0.05500000000000000028, and rounding that double would make a
** tie look like a value above the tie. Taking the value's 15 significant
** digits (all a double carries reliably) recovers the decimal the value was
** written as, or the true decimal mean of such values.
*/
#include "water/quality.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIG_DIGITS 15

/* Digits: only [0-9] with at most one '.', at least one digit. */
static int plain_decimal(const char *s, size_t n) {
  int digits = 0, dots = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] >= '0' && s[i] <= '9') digits++;
    else if (s[i] == '.') dots++;
    else return 0;
  }
  return digits > 0 && dots <= 1;
}

int water_parse_value(const char *text, double *value, int *below) {
  size_t n = strlen(text);
  *below = 0;
  while (n && (*text == ' ' || *text == '\t')) text++, n--;
  while (n && (text[n - 1] == ' ' || text[n - 1] == '\t')) n--;
  if (!n) return 1;
  if (text[n - 1] == 'L') {
    *below = 1;
    n--;
  }
  if (n > 40 || !plain_decimal(text, n)) return -1;
  char tmp[48];
  memcpy(tmp, text, n);
  tmp[n] = 0;
  *value = strtod(tmp, NULL);
  if (*below) *value /= 2;
  return 0;
}

/* Round the digit string D (NDIG digits, most significant first) to KEEP
** digits, half to even; returns the kept digits as an integer (which may
** have one digit more after a carry, e.g. 999 -> 1000). */
static long long round_digits(const char *d, int ndig, int keep) {
  long long m = 0;
  for (int i = 0; i < keep; i++) m = m * 10 + (d[i] - '0');
  if (keep >= ndig) return m;
  int first = d[keep] - '0';
  int rest = 0;
  for (int i = keep + 1; i < ndig; i++) rest |= d[i] != '0';
  if (first > 5 || (first == 5 && (rest || (m & 1)))) m++;
  return m;
}

double water_round(double v, int decimals) {
  if (decimals < 0 || !isfinite(v) || v == 0) return v;
  char s[40];
  /* d.dddddddddddddde+XX: SIG_DIGITS digits and the exponent of the first */
  snprintf(s, sizeof s, "%.*e", SIG_DIGITS - 1, fabs(v));
  char digits[SIG_DIGITS];
  digits[0] = s[0];
  memcpy(digits + 1, s + 2, SIG_DIGITS - 1);
  int exp10 = atoi(strchr(s, 'e') + 1);
  /* digits to keep: those down to 10^-decimals */
  int keep = exp10 + decimals + 1;
  if (keep < 0) keep = 0;
  if (keep >= SIG_DIGITS) return v;
  long long m = round_digits(digits, SIG_DIGITS, keep);
  if (m == 0) {
    /* a result of 0 keeps one significant digit instead */
    keep = 1;
    m = round_digits(digits, SIG_DIGITS, keep);
  }
  /* strtod of "mE-k" gives the same double as the decimal written out */
  char out[48];
  snprintf(out, sizeof out, "%s%lldE%d", v < 0 ? "-" : "", m, exp10 - keep + 1);
  return strtod(out, NULL);
}

static int range_class(const struct water_item *item, double v) {
  return (v >= item->limit[0] && v <= item->limit[1]) ? 1 : WATER_CLASS_WORST;
}

int water_value_class(const struct water_item *item, enum water_body body, double v) {
  if (!item->has_limits || isnan(v)) return 0;
  if (item->dir == WATER_RANGE) return range_class(item, v);
  const double *limit = water_item_limits(item, body);
  /* the best class whose limit is met: shared limits give the better class */
  for (int k = 0; k < WATER_NCLASS; k++) {
    int meets = item->dir == WATER_LOWER ? v >= limit[k] : v <= limit[k];
    if (meets) return k + 1;
  }
  return WATER_CLASS_WORST;
}

void water_acc_add(struct water_acc *a, const struct water_item *item, double v) {
  a->sum += item->mean == WATER_MEAN_HYDROGEN_ION ? pow(10, -v) : v;
  a->n++;
}

void water_acc_merge(struct water_acc *a, const struct water_acc *b) {
  a->sum += b->sum;
  a->n += b->n;
}

double water_acc_mean(const struct water_acc *a, const struct water_item *item) {
  if (a->n == 0) return NAN;
  double mean = a->sum / (double)a->n;
  return item->mean == WATER_MEAN_HYDROGEN_ION ? -log10(mean) : mean;
}

int water_set_class(const struct water_item *item, enum water_body body,
                    const double *values, int n, double *rounded) {
  struct water_acc acc = {0};
  for (int i = 0; i < n; i++) water_acc_add(&acc, item, values[i]);
  double r = water_round(water_acc_mean(&acc, item), item->decimals);
  if (rounded) *rounded = r;
  return water_value_class(item, body, r);
}

const char *water_class_label(int cls) {
  static const char *const labels[] = {"", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"};
  return (cls >= 1 && cls <= WATER_CLASS_WORST) ? labels[cls] : "";
}

enum water_rating water_class_rating(int cls) {
  switch (cls) {
  case 1:
  case 2: return WATER_RATING_EXCELLENT;
  case 3: return WATER_RATING_GOOD;
  case 4: return WATER_RATING_LIGHT;
  case 5: return WATER_RATING_MODERATE;
  case 6: return WATER_RATING_HEAVY;
  default: return WATER_RATING_NONE;
  }
}

const char *water_rating_label(enum water_rating r) {
  static const char *const labels[] = {"", "优", "良好", "轻度污染", "中度污染", "重度污染"};
  return (r >= WATER_RATING_NONE && r <= WATER_RATING_HEAVY) ? labels[r] : "";
}
