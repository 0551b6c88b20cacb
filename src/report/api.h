/*
** The report capability's HTTP routes and the PDF reply the other
** capabilities' *.pdf and *.xlsx routes share.
*/
#ifndef QS_REPORT_API_H
#define QS_REPORT_API_H
#include "http/server.h"
#include "util/table.h"

/* Reply with D (freed here) as a PDF download dated DATE, named STEM_PERIOD.pdf. */
void report_reply_pdf(struct http_response *res, struct table_doc *d, const char *date);
/* D (freed) as an Excel workbook download, or a 500 reply. */
void report_reply_xlsx(struct http_response *res, struct table_doc *d);

/* The language of an export: ?lang=zh|en, else Accept-Language; -1 after
** a 400 reply naming a bad lang. */
int report_request_lang(struct http_request *req, struct http_response *res, enum table_lang *out);

extern const struct http_route report_routes[];

#endif
