/*
** Discharged quantities and the permitted annual quantity (quantity.h).
*/
#include "sources/quantity.h"
#include "supervision/period.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define TOTALS_NAME "data/sources/totals.json"

int src_unit_kg_factor(const char *unit, double *factor) {
  static const struct { const char *unit; double kg; } units[] = {
    {"毫克/升", 1e-3},        /* mg/L x m3 = g */
    {"毫克/立方米", 1e-6},    /* mg/m3 x m3 = mg */
    {"微克/升", 1e-6},        /* ug/L x m3 = mg */
  };
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (!strcmp(unit, units[i].unit)) {
      *factor = units[i].kg;
      return 0;
    }
  return -1;
}

void src_year_totals(const struct src_day_quantity *d, size_t n, int year,
                     struct src_year_totals *out) {
  memset(out, 0, sizeof *out);
  out->year = year;
  for (size_t i = 0; i < n; i++) {
    int y, m, dd;
    day_to_ymd(d[i].day, &y, &m, &dd);
    if (y != year) continue;
    out->month_kg[m - 1] += d[i].kg;
    out->year_kg += d[i].kg;
    out->invalid_days[m - 1] += !d[i].valid;
  }
}

static int ratio_field(json_t *root, const char *key, double *out, char *err, size_t errlen) {
  json_t *v = json_object_get(root, key);
  if (!json_is_number(v) || json_number_value(v) <= 0) {
    snprintf(err, errlen, TOTALS_NAME ": %s must be a number above 0", key);
    return -1;
  }
  *out = json_number_value(v);
  return 0;
}

int src_totals_config_parse(const char *json_text, struct src_totals_config *out, char *err,
                            size_t errlen) {
  json_error_t je;
  json_t *root = json_loads(json_text ? json_text : "", JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    snprintf(err, errlen, TOTALS_NAME ": line %d: %s", je.line, je.text);
    return -1;
  }
  struct src_totals_config c;
  int rc = ratio_field(root, "warn_ratio", &c.warn_ratio, err, errlen) ||
           ratio_field(root, "reached_ratio", &c.reached_ratio, err, errlen);
  if (!rc && c.warn_ratio >= c.reached_ratio) {
    snprintf(err, errlen, TOTALS_NAME ": warn_ratio must be below reached_ratio");
    rc = 1;
  }
  json_decref(root);
  if (rc) return -1;
  *out = c;
  return 0;
}

void src_quota_check(const struct src_totals_config *c, double used_kg, double permitted_t,
                     struct src_quota *out) {
  out->used_t = used_kg / 1000;
  out->permitted_t = permitted_t;
  if (!(permitted_t > 0)) {
    out->ratio = NAN;
    out->state = SRC_QUOTA_NONE;
    return;
  }
  out->ratio = out->used_t / permitted_t;
  out->state = out->ratio >= c->reached_ratio ? SRC_QUOTA_REACHED
             : out->ratio >= c->warn_ratio    ? SRC_QUOTA_WARNING
                                              : SRC_QUOTA_OK;
}
