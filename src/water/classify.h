/*
** `water classify` without the I/O: readings as CSV text in, the same rows
** with class, class_label, rating and main_pollutants appended out. The
** input header is `section,type,time,` then item codes of GB 3838 Table 1;
** `type` is river or lake (reservoir is accepted as lake); a value is as
** measured, "0.01L" below the detection limit, empty when not measured.
** Each row is one section at one time (empty, or starting 'YYYY-MM-DD'),
** evaluated by water_evaluate() on the class indicators present, rounded by
** the rules in force at that time (water_standard_on), exactly as the
** server does. Pure.
*/
#ifndef QS_WATER_CLASSIFY_H
#define QS_WATER_CLASSIFY_H
#include "water/standard.h"
#include <stddef.h>

struct buf;

/* Classify the LEN bytes at IN, appending the result to OUT. Returns 0, or
** -1 at the first malformed row with ERR "line N, field F: what" (OUT then
** holds a partial result that the caller should not print). */
int water_classify_csv(const struct water_standard *s, const char *in, size_t len,
                       struct buf *out, char *err, size_t errlen);

/* Write FIELD to OUT as one CSV field, quoted when it needs to be. */
void water_csv_field(struct buf *out, const char *field);

#endif
