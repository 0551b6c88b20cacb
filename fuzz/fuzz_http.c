/*
** libFuzzer target for the HTTP request handling: each input is a request
** (method, target with path and query, headers, body) that goes through the
** server's own dispatch (src/http/dispatch.c: text checks, routing, who is
** asking, access, body limits, the route's handler, JSON encoding) against
** a copy of a real database, without sockets. The first byte picks the
** caller: anonymous, the administrator's bearer token, a unit's session or
** a leader's (cookie and CSRF token).
**
** Input after that byte: "METHOD TARGET\n", header lines "Name: value\n",
** an empty line, the body. The path and query are percent-decoded as
** libmicrohttpd does. Every reply must be built (never the fixed 500 of a
** reply that could not be encoded), have a real status, and a JSON reply
** must parse, an error being an object with an "error" string.
**
** The database is $FUZZ_HTTP_DB, made by scripts/fuzz.sh with the binary
** (init, the plan, water sections, the accounts "unit1" and "leader1" with
** the password FUZZ_PASSWORD), copied to a temporary folder first.
** Build and run with scripts/fuzz.sh (clang -fsanitize=fuzzer,address,undefined).
*/
#include <sys/socket.h>
#include <microhttpd.h>

#include "auth/account.h"
#include "auth/token.h"
#include "db/db.h"
#include "db/sql.h"
#include "http/dispatch.h"
#include "util/file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_PASSWORD "fuzz-password-1"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static sqlite3 *db;
static struct sql_db *store;   /* the layer over DB */
static char admin_header[16 + TOKEN_TEXT_LEN];
static struct session { struct principal who; char cookie[SESSION_TOKEN_LEN + 1]; } sessions[2];
static const struct http_body_limits limits = {12 << 20, 64 << 10};

static void fail(const char *what) {
  fprintf(stderr, "fuzz_http: %s (run it through scripts/fuzz.sh)\n", what);
  exit(2);
}

/* Copy the file FROM to TO. */
static void copy_file(const char *from, const char *to) {
  size_t len;
  char *bytes = file_read(from, &len);
  FILE *f = bytes ? fopen(to, "wb") : NULL;
  if (!f || fwrite(bytes, 1, len, f) != len || fclose(f)) fail("cannot copy $FUZZ_HTTP_DB");
  free(bytes);
}

static const char *const logins[2] = {"unit1", "leader1"};

/* Sign LOGINS[I] in, as the browser would have after logging in: 0, or -1
** if that cannot be done (an input changed the password or disabled it). */
static int sign_in(int i) {
  struct session *s = &sessions[i];
  return account_authenticate(store, logins[i], FUZZ_PASSWORD, "127.0.0.1", &s->who) == LOGIN_OK &&
                 !session_open(store, &s->who, s->cookie) ? 0 : -1;
}

/* Session I, opened again if an input logged it out; NULL if it cannot be. */
static const struct session *session(int i) {
  struct principal who;
  if (session_lookup(store, sessions[i].cookie, &who) && sign_in(i)) return NULL;
  return &sessions[i];
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *seeded = getenv("FUZZ_HTTP_DB");
  char dir[] = "/tmp/fuzz_http.XXXXXX", path[64], tokfile[512], err[512];
  if (!seeded) fail("FUZZ_HTTP_DB is not set");
  if (!mkdtemp(dir)) fail("cannot make a temporary folder");
  snprintf(path, sizeof path, "%s/fuzz.db", dir);
  copy_file(seeded, path);
  if (!(db = db_open(path, DB_EXISTING, err, sizeof err))) fail(err);
  store = sql_wrap_sqlite(db);
  if (http_check_body_rules(err, sizeof err)) fail(err);
  snprintf(tokfile, sizeof tokfile, "%s.admin-token", seeded);
  size_t len;
  char *token = file_read(tokfile, &len);
  if (!token || len < TOKEN_TEXT_LEN) fail("no admin token beside $FUZZ_HTTP_DB");
  snprintf(admin_header, sizeof admin_header, "Bearer %.*s", TOKEN_TEXT_LEN, token);
  free(token);
  if (sign_in(0) || sign_in(1))
    fail("the database has no accounts unit1 and leader1 with the fuzz password");
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
  const struct session *signed_in = caller >= 2 ? session(caller - 2) : NULL;
  if (signed_in) {
    add(&cookies, SESSION_COOKIE, signed_in->cookie);
    add(&headers, "X-CSRF-Token", signed_in->who.csrf);
  }

  struct http_request req = {.method = method, .path = target, .db = db, .store = store, .query = &query,
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
