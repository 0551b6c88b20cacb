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

/* {"year", "as_of", "units": [{unit, kind, group, rank, score, grade,
** breakdown: [lines], facts, detail}]} or NULL with ERR. */
json_t *assessment_json(sqlite3 *db, int year, char *err, size_t errlen);

/* The same as an .xlsx file in memory (malloc'd, *LEN bytes), or NULL. */
char *assessment_xlsx(sqlite3 *db, int year, size_t *len, char *err, size_t errlen);

#endif
