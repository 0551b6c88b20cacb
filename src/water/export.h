/*
** The water tables as printable documents (util/table.h): overview,
** monthly assessment, annual assessment, alarms; and as Excel workbooks.
*/
#ifndef QS_WATER_EXPORT_H
#define QS_WATER_EXPORT_H
#include "water/assess.h"
#include "util/table.h"

struct water_export_args {
  const char *table;           /* "overview", "monthly", "assessment", "alarms" (".xlsx", ".pdf" optional) */
  const char *month;           /* overview, monthly */
  int year;                    /* assessment */
  const struct water_rule *rule;
  const char *today;           /* 'YYYY-MM-DD': what is still in progress */
  enum table_lang lang;        /* headings, titles and named codes */
};

/* Fill D (free with table_doc_free) with A's table; -1 with ERR if the
** table is unknown or lacks its month or year. */
int water_export_doc(sqlite3 *db, const struct water_standard *s, const struct water_export_args *a,
                     struct table_doc *d, char *err, size_t errlen);

/* The workbook as malloc'd bytes (*LEN long) and its file name (水质月度考核_2026-05.xlsx),
** or NULL with ERR set. */
char *water_export_xlsx(sqlite3 *db, const struct water_standard *s, const struct water_export_args *a,
                        size_t *len, char name[TABLE_FILE_NAME_SIZE], char *err, size_t errlen);

#endif
