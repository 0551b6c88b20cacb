/*
** The report routes: the letterhead the print views show, and a document
** sent as a PDF download (report_reply_pdf, used by each capability's
** *.pdf route with the access of its JSON route).
*/
#include "report/api.h"
#include "report/report.h"
#include "util/xlsx.h"
#include <stdlib.h>

void report_reply_pdf(struct http_response *res, struct table_doc *d, const char *date) {
  char err[256], name[TABLE_FILE_NAME_SIZE];
  size_t len = 0;
  char *pdf = report_pdf(d, date, &len, err, sizeof err);
  table_file_name(d, "pdf", name, sizeof name);
  table_doc_free(d);
  if (!pdf) {
    http_reply_error(res, 500, "report_failed", "%s", err);
    return;
  }
  http_reply_download(res, pdf, len, "application/pdf", name);
}

void report_reply_xlsx(struct http_response *res, struct table_doc *d) {
  char err[256], name[TABLE_FILE_NAME_SIZE];
  size_t len = 0;
  char *book = xlsx_write_doc(d, &len, err, sizeof err);
  table_file_name(d, "xlsx", name, sizeof name);
  table_doc_free(d);
  if (!book) {
    http_reply_error(res, 500, "export_failed", "%s", err);
    return;
  }
  http_reply_download(res, book, len, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
}

int report_request_lang(struct http_request *req, struct http_response *res, enum table_lang *out) {
  const char *lang = http_query(req, "lang");
  if (!table_lang_parse(lang, http_header(req, "Accept-Language"), out)) return 0;
  http_reply_error(res, 400, "invalid_parameter", "lang='%s' must be zh or en", lang);
  return -1;
}

static void letterhead(struct http_request *req, struct http_response *res) {
  (void)req;
  http_reply_json(res, 200, json_pack("{s:s,s:s}", "issuer", report_issuer(TABLE_ZH),
                                      "issuer_en", report_issuer(TABLE_EN)));
}

const struct http_route report_routes[] = {
  {"GET", "/api/report/letterhead", letterhead, ROUTE_PUBLIC},
  {NULL, NULL, NULL, 0},
};
