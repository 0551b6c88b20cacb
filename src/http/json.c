/*
** Reply and request helpers for JSON handlers (server.h).
*/
#include "http/server.h"
#include <errno.h>
#include "util/utf8.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void http_reply_json(struct http_response *res, int status, json_t *body) {
  json_decref(res->json);
  res->status = status;
  res->json = body;
  res->encode_failed = !body;   /* json_pack refused its input: http_encode says so */
}

/* Copy IN to OUT (OUTLEN bytes) with each byte that is not part of valid
** UTF-8 written as \xHH, so that any text can go into a JSON reply. */
static void escape_invalid_utf8(const char *in, char *out, size_t outlen) {
  size_t len = strlen(in), o = 0;
  for (size_t i = 0; i < len && o + 5 <= outlen;) {
    uint32_t cp;
    size_t n = utf8_decode(in + i, len - i, &cp);
    if (n && o + n < outlen) {
      memcpy(out + o, in + i, n);
      o += n;
      i += n;
    } else if (n) {
      break;
    } else {
      o += (size_t)snprintf(out + o, outlen - o, "\\x%02X", (unsigned char)in[i]);
      i++;
    }
  }
  out[o] = 0;
}

void http_reply_error(struct http_response *res, int status, const char *error,
                      const char *detail_fmt, ...) {
  char detail[512], text[4 * sizeof detail];   /* every byte may become \xHH */
  va_list ap;
  va_start(ap, detail_fmt);
  vsnprintf(detail, sizeof detail, detail_fmt, ap);   /* may cut a character: escaped below */
  va_end(ap);
  escape_invalid_utf8(detail, text, sizeof text);
  http_reply_json(res, status, json_pack("{s:s,s:s}", "error", error, "detail", text));
}

/* The value of NAME in FIELDS (names compared by CMP), or NULL. */
static const char *field(const struct http_fields *fields, const char *name,
                         int (*cmp)(const char *, const char *)) {
  for (size_t i = 0; fields && i < fields->n; i++)
    if (!cmp(fields->pair[i].name, name)) return fields->pair[i].value;
  return NULL;
}

const char *http_query(struct http_request *req, const char *name) {
  return field(req->query, name, strcmp);
}

const char *http_header(struct http_request *req, const char *name) {
  return field(req->headers, name, strcasecmp);
}

void http_attachment(struct http_response *res, const char *name) {
  char ascii[160], encoded[640];
  size_t a = 0, e = 0;
  if ((unsigned char)name[0] >= 0x80) a = (size_t)snprintf(ascii, sizeof ascii, "qingshui");
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                strchr("-._~", *p);
    if (*p < 0x80 && *p >= 0x20 && *p != '"' && *p != '\\' && a + 1 < sizeof ascii) ascii[a++] = (char)*p;
    if (plain && e + 1 < sizeof encoded) encoded[e++] = (char)*p;
    else if (!plain && e + 3 < sizeof encoded) e += (size_t)snprintf(encoded + e, 4, "%%%02X", *p);
  }
  ascii[a] = encoded[e] = 0;
  snprintf(res->content_disposition, sizeof res->content_disposition,
           "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, encoded);
}

void http_reply_download(struct http_response *res, char *body, size_t len, const char *content_type,
                         const char *name) {
  res->status = 200;
  res->owned_body = body;
  res->body_len = len;
  res->content_type = content_type;
  http_attachment(res, name);
}

const char *http_cookie(struct http_request *req, const char *name) {
  return field(req->cookies, name, strcmp);
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

/* What a value of json_unpack's type letter T must be, or NULL if T is not
** one the API's formats use. */
static const char *type_wanted(char t, const json_t *v) {
  switch (t) {
  case 's': return json_is_string(v) ? "" : "a string";
  case 'I': return json_is_integer(v) ? "" : "a whole number";
  case 'F': return json_is_number(v) ? "" : "a number";
  case 'b': return json_is_boolean(v) ? "" : "true or false";
  case 'o': case 'O': return "";
  default: return NULL;
  }
}

/* Name the field of BODY that FORMAT ("{s:T,s?T,...}", keys and targets
** in AP) refuses: "field 'year' must be a whole number, got \"2026\"".
** 0, or -1 if no single field is to blame (jansson's text says why). */
static int name_bad_field(const json_t *body, const char *format, va_list ap, char *out, size_t outlen) {
  if (*format++ != '{') return -1;
  while (format[0] == 's' && (format[1] == ':' || format[1] == '?') && format[2]) {
    const char *key = va_arg(ap, const char *);
    (void)va_arg(ap, void *);
    const json_t *v = json_object_get(body, key);
    if (!v && format[1] == ':') {
      snprintf(out, outlen, "field '%s' is required", key);
      return 0;
    }
    const char *wanted = v ? type_wanted(format[2], v) : "";
    if (!wanted) return -1;
    if (*wanted) {
      char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
      snprintf(out, outlen, "field '%s' must be %s, got %.60s", key, wanted, text ? text : "?");
      free(text);
      return 0;
    }
    format += 3;
    if (*format == ',') format++;
  }
  return -1;
}

json_t *http_body_unpack(struct http_request *req, struct http_response *res,
                         const char *format, ...) {
  json_t *body = http_body_json(req, res);
  if (!body) return NULL;
  json_error_t e;
  va_list ap, again;
  va_start(ap, format);
  va_copy(again, ap);
  int bad = json_vunpack_ex(body, &e, JSON_STRICT, format, ap);
  va_end(ap);
  if (bad) {
    char why[256];
    if (name_bad_field(body, format, again, why, sizeof why)) snprintf(why, sizeof why, "%s", e.text);
    http_reply_error(res, 400, "invalid_field", "body: %s", why);
    json_decref(body);
    body = NULL;
  }
  va_end(again);
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

long long http_query_int(struct http_request *req, struct http_response *res, const char *name,
                         long long lo, long long hi, long long def) {
  const char *v = http_query(req, name);
  if (!v) return def;
  char *end;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  if (!*v || *end || errno || n < lo || n > hi) {
    http_reply_error(res, 400, "invalid_parameter", "%s='%s' must be a whole number from %lld to %lld",
                     name, v, lo, hi);
    return -1;
  }
  return n;
}

json_t *http_page(struct http_request *req, struct http_response *res, json_t *rows) {
  long long limit = http_query_int(req, res, "limit", 1, 1000, 0);
  long long offset = limit < 0 ? -1 : http_query_int(req, res, "offset", 0, 1000000000, 0);
  if (offset < 0) {
    json_decref(rows);
    return NULL;
  }
  if (!limit) return rows;
  size_t total = json_array_size(rows);
  snprintf(res->total_count, sizeof res->total_count, "%zu", total);
  json_t *page = json_array();
  for (size_t i = (size_t)offset; i < total && i < (size_t)(offset + limit); i++)
    json_array_append(page, json_array_get(rows, i));
  json_decref(rows);
  return page;
}
