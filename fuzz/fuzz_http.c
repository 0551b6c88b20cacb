/*
** libFuzzer target for the HTTP request handling: each input is a request
** (method, target with path and query, headers, body) that goes through the
** server's own dispatch (src/http/dispatch.c: text checks, routing, who is
** asking, access, body limits, the route's handler, JSON encoding) against
** a real database, without sockets. The first byte picks the caller:
** anonymous, the administrator's bearer token, a wrong token, or a
** made-up session cookie.
**
** Input after that byte: "METHOD TARGET\n", header lines "Name: value\n",
** an empty line, the body. The path and query are percent-decoded as
** libmicrohttpd does. Every reply must be built (never the fixed 500 of a
** reply that could not be encoded), have a real status, and a JSON reply
** must parse, an error being an object with an "error" string.
** Build and run with scripts/fuzz.sh (clang -fsanitize=fuzzer,address,undefined).
*/
#include <sys/socket.h>
#include <microhttpd.h>

#include "auth/account.h"
#include "auth/token.h"
#include "db/db.h"
#include "http/dispatch.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static sqlite3 *db;
static char admin_header[16 + TOKEN_TEXT_LEN];
static const struct http_body_limits limits = {12 << 20, 64 << 10};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char dir[] = "/tmp/fuzz_http.XXXXXX", path[64], err[512], token[TOKEN_TEXT_LEN + 1];
  if (!mkdtemp(dir)) abort();
  snprintf(path, sizeof path, "%s/fuzz.db", dir);
  db = db_open(path, DB_CREATE, err, sizeof err);
  if (!db || token_create(db, "fuzz", "fuzz", token, err, sizeof err) ||
      http_check_body_rules(err, sizeof err)) {
    fprintf(stderr, "fuzz_http: %s\n", err);
    abort();
  }
  snprintf(admin_header, sizeof admin_header, "Bearer %s", token);
  return 0;
}

/* Add NAME=VALUE to F as the server's collector does (overflow past the cap). */
static void add(struct http_fields *f, const char *name, const char *value) {
  if (f->n == HTTP_MAX_FIELDS) f->overflow = 1;
  else f->pair[f->n++] = (struct http_pair){name, value};
}

/* Split the query Q (modified in place) into percent-decoded arguments. */
static void parse_query(char *q, struct http_fields *query) {
  for (char *arg = strtok(q, "&"); arg; arg = strtok(NULL, "&")) {
    char *eq = strchr(arg, '=');
    if (eq) {
      *eq = 0;
      MHD_http_unescape(eq + 1);
    }
    MHD_http_unescape(arg);
    add(query, arg, eq ? eq + 1 : NULL);
  }
}

/* The reply must have been built, and be what it says it is. */
static void check_reply(const struct http_response *res) {
  if (res->encode_failed || res->status < 100 || res->status > 599) abort();
  if (!res->owned_body || !res->content_type || strncmp(res->content_type, "application/json", 16))
    return;
  json_t *j = json_loadb(res->owned_body, res->body_len, 0, NULL);
  if (!j) abort();
  if (res->status >= 400 && !json_is_string(json_object_get(j, "error"))) abort();
  json_decref(j);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  if (size < 1) return 0;
  int caller = data[0] & 3;
  char *text = malloc(size);   /* NUL-terminated copy of the rest */
  memcpy(text, data + 1, size - 1);
  text[size - 1] = 0;
  static struct http_fields query, headers, cookies;
  memset(&query, 0, sizeof query);
  memset(&headers, 0, sizeof headers);
  memset(&cookies, 0, sizeof cookies);

  char *line_end = strchr(text, '\n');
  char *rest = line_end ? line_end + 1 : text + strlen(text);
  if (line_end) *line_end = 0;
  char root[] = "/";
  char *method = text, *target = strchr(text, ' ');
  if (target) *target++ = 0;
  else target = root;
  char *q = strchr(target, '?');
  if (q) {
    *q++ = 0;
    parse_query(q, &query);
  }
  MHD_http_unescape(target);
  /* headers up to an empty line; the body is what follows */
  const char *body = rest;
  while (*rest) {
    char *eol = strchr(rest, '\n');
    if (eol) *eol = 0;
    if (!*rest) { body = eol ? eol + 1 : rest; break; }
    char *colon = strchr(rest, ':');
    if (colon) {
      *colon = 0;
      add(&headers, rest, colon + 1 + strspn(colon + 1, " "));
    }
    rest = eol ? eol + 1 : rest + strlen(rest);
    body = rest;
  }
  if (caller == 1) add(&headers, "Authorization", admin_header);
  if (caller == 2) add(&headers, "Authorization", "Bearer 00");
  if (caller == 3) add(&cookies, SESSION_COOKIE, "c0ffee");

  struct http_request req = {.method = method, .path = target, .db = db, .query = &query,
                             .headers = &headers, .cookies = &cookies, .peer = "192.0.2.1"};
  struct http_response res = {.status = 200};
  size_t body_len = size - 1 - (size_t)(body - text);
  if (http_accept(&req, &res, &limits)) {
    req.body = body;
    req.body_len = body_len;
    if (body_len > req.max_body) http_reply_too_large(&req, &res);
    else http_run(&req, &res);
  }
  http_encode(&res);
  check_reply(&res);
  http_response_free(&res);
  free(text);
  return 0;
}
