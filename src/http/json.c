/*
** Reply and request helpers for JSON handlers (server.h).
*/
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>

#include "http/server.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void http_reply_json(struct http_response *res, int status, json_t *body) {
  json_decref(res->json);
  res->status = status;
  res->json = body ? body : json_null();
}

void http_reply_error(struct http_response *res, int status, const char *error,
                      const char *detail_fmt, ...) {
  char detail[512];
  va_list ap;
  va_start(ap, detail_fmt);
  vsnprintf(detail, sizeof detail, detail_fmt, ap);
  va_end(ap);
  http_reply_json(res, status, json_pack("{s:s,s:s}", "error", error, "detail", detail));
}

const char *http_query(struct http_request *req, const char *name) {
  return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_cookie(struct http_request *req, const char *name) {
  return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

json_t *http_body_json(struct http_request *req, struct http_response *res) {
  json_error_t e;
  if (req->body_len > HTTP_MAX_JSON_BODY) {
    http_reply_error(res, 413, "payload_too_large", "JSON bodies are limited to %d bytes",
                     HTTP_MAX_JSON_BODY);
    return NULL;
  }
  json_t *j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &e);
  if (!j) {
    http_reply_error(res, 400, "invalid_json", "request body, line %d column %d: %s",
                     e.line, e.column, e.text);
    return NULL;
  }
  if (!json_is_object(j)) {
    json_decref(j);
    http_reply_error(res, 400, "invalid_json", "request body must be a JSON object");
    return NULL;
  }
  return j;
}

json_t *http_body_unpack(struct http_request *req, struct http_response *res,
                         const char *format, ...) {
  json_t *body = http_body_json(req, res);
  if (!body) return NULL;
  json_error_t e;
  va_list ap;
  va_start(ap, format);
  int bad = json_vunpack_ex(body, &e, JSON_STRICT, format, ap);
  va_end(ap);
  if (bad) {
    http_reply_error(res, 400, "invalid_field", "body: %s", e.text);
    json_decref(body);
    return NULL;
  }
  return body;
}

long long http_param_id(struct http_request *req, struct http_response *res, int i) {
  char *end;
  long long id = i < req->nparams ? strtoll(req->params[i], &end, 10) : 0;
  if (i >= req->nparams || *end || id <= 0) {
    http_reply_error(res, 404, "not_found", "'%s' is not a valid id",
                     i < req->nparams ? req->params[i] : "");
    return 0;
  }
  return id;
}
