/*
** The annual assessment of units: their facts for a year counted from the
** database, scored by the pure core (score.c), as JSON and as an Excel
** workbook formatted for printing. City departments are ranked together,
** and county governments with the zone committees.
*/
#ifndef QS_SUPERVISION_ASSESSMENT_H
#define QS_SUPERVISION_ASSESSMENT_H
#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include "util/table.h"

/* {"year", "as_of", "units": [{unit, kind, group, rank, score, grade,
** breakdown: [lines], facts, detail}]} or NULL with ERR. */
json_t *assessment_json(sqlite3 *db, int year, char *err, size_t errlen);

/* The same as a printable document (free with table_doc_free); -1 with ERR. */
int assessment_doc(sqlite3 *db, int year, enum table_lang lang, struct table_doc *d, char *err, size_t errlen);

/* The same as an .xlsx file in memory (malloc'd, *LEN bytes) and its file
** name (年度目标责任考核_2026.xlsx), or NULL. */
char *assessment_xlsx(sqlite3 *db, int year, enum table_lang lang, size_t *len,
                      char name[TABLE_FILE_NAME_SIZE], char *err, size_t errlen);

#endif
