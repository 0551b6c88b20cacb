/*
** Reports fit to print: a printable table (util/table.h) as a PDF in the
** official layout (issuing body, title, date, the table with its header on
** every page, page numbers, room for a signature), and the documents the
** `qingshui report` command and the *.pdf routes print.
**
** The PDF is drawn with cairo and pango: pango shapes CJK text and falls
** back through fontconfig to an installed CJK font (fonts-wqy-microhei or
** fonts-noto-cjk), cairo embeds the subset of the glyphs it used with a
** ToUnicode map (so the text can be searched and copied: pdftotext reads
** it). libharu was not chosen: it neither shapes text nor falls back
** between fonts, and its CJK fonts are not embedded.
*/
#ifndef QS_REPORT_REPORT_H
#define QS_REPORT_REPORT_H
#include "util/table.h"
#include "supervision/view.h"
#include <sqlite3.h>

/* The issuing body printed at the head (data/report/letterhead.json). */
const char *report_issuer(enum table_lang lang);

/* D as a PDF dated DATE ('YYYY-MM-DD'): malloc'd bytes (*LEN long), or NULL with ERR. */
char *report_pdf(const struct table_doc *d, const char *date, size_t *len, char *err, size_t errlen);

/* The tasks F selects (F->year set) as a document. */
void report_tasks_doc(sqlite3 *db, const struct task_filter *f, enum table_lang lang, struct table_doc *d);

/* `qingshui report assessment|water-month|tasks`. */
int report_main(int argc, char **argv);

#endif
