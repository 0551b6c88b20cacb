/*
** Excel workbooks of printable tables (table.h), the one writer every export
** uses: per sheet a title row, a header row repeated on every printed page,
** cells formatted by their column's kind, widths that fit the text, A4
** (landscape when wide) fitted to one page wide, the title in the page
** header and the page numbers in the footer.
*/
#ifndef QS_UTIL_XLSX_H
#define QS_UTIL_XLSX_H
#include "util/table.h"

/* The workbook as malloc'd bytes (*LEN long), or NULL with ERR set. */
char *xlsx_write_doc(const struct table_doc *d, size_t *len, char *err, size_t errlen);

#endif
