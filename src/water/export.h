/*
** Excel exports (libxlsxwriter) of the water tables: overview, monthly
** assessment, annual assessment, alarms.
*/
#ifndef QS_WATER_EXPORT_H
#define QS_WATER_EXPORT_H
#include "water/assess.h"

struct water_export_args {
  const char *table;           /* "overview", "monthly", "assessment", "alarms" (".xlsx" optional) */
  const char *month;           /* overview, monthly */
  int year;                    /* assessment */
  const struct water_rule *rule;
  const char *today;           /* 'YYYY-MM-DD': what is still in progress */
};

/* The workbook as malloc'd bytes (*LEN long), or NULL with ERR set. */
char *water_export_xlsx(sqlite3 *db, const struct water_standard *s,
                        const struct water_export_args *a, size_t *len,
                        char *err, size_t errlen);

#endif
