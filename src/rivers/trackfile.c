/*
** Reading tracks and segments (track.h): GPX with libxml2 (no network, no
** entity expansion: the parser's defaults plus XML_PARSE_NONET), GeoJSON
** with jansson, segment lines through the geo capability's reader.
** A multi-threaded caller (the server, later) calls xmlInitParser() once
** before its threads start: libxml2's first initialisation is not
** thread-safe; its error handler, set here per call, is per thread.
*/
#include "rivers/track.h"
#include "geo/geo.h"
#include "supervision/period.h"
#include "util/buf.h"
#include <ctype.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(struct track_error *err, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct track_error *err, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->reason, sizeof err->reason, fmt, ap);
  va_end(ap);
  err->line = line;
  return -1;
}

/* N digits at *S into *V, advancing *S; -1 if not digits. */
static int take_digits(const char **s, int n, int *v) {
  *v = 0;
  for (int i = 0; i < n; i++, (*s)++) {
    if (!isdigit((unsigned char)**s)) return -1;
    *v = *v * 10 + (**s - '0');
  }
  return 0;
}

/* C at *S, advancing; -1 if another character is there. */
static int take(const char **s, char c) {
  if (**s != c) return -1;
  (*s)++;
  return 0;
}

int iso_time_parse(const char *text, double *out) {
  const char *s = text;
  int y, mo, d, h, mi, sec, day;
  if (take_digits(&s, 4, &y) || take(&s, '-') || take_digits(&s, 2, &mo) || take(&s, '-') ||
      take_digits(&s, 2, &d) || (take(&s, 'T') && take(&s, ' ')) || take_digits(&s, 2, &h) ||
      take(&s, ':') || take_digits(&s, 2, &mi) || take(&s, ':') || take_digits(&s, 2, &sec) ||
      day_from_ymd(y, mo, d, &day) || h > 23 || mi > 59 || sec > 60)
    return -1;
  double fraction = 0;
  if (*s == '.') {
    char *end;
    fraction = strtod(s, &end);
    if (end == s + 1) return -1;
    s = end;
  }
  int offset = 0;
  if (*s == '+' || *s == '-') {
    int sign = *s++ == '-' ? -1 : 1, oh, om;
    if (take_digits(&s, 2, &oh) || take(&s, ':') || take_digits(&s, 2, &om) || oh > 23 || om > 59)
      return -1;
    offset = sign * (oh * 3600 + om * 60);
  } else if (take(&s, 'Z')) {
    return -1;
  }
  if (*s) return -1;
  *out = (double)day * 86400 + h * 3600 + mi * 60 + sec + fraction - offset;
  return 0;
}

void track_free(struct track *t) {
  free(t->points);
  memset(t, 0, sizeof *t);
}

/* Append a point to T (its capacity doubled as needed in *CAP). */
static void add_point(struct track *t, size_t *cap, struct track_point p) {
  if (t->count == *cap) {
    *cap = *cap ? *cap * 2 : 256;
    t->points = xrealloc(t->points, *cap * sizeof *t->points);
  }
  t->points[t->count++] = p;
}

/* Checks every reader makes of a new point: in range, not before the
** previous one. WHERE names it in messages. */
static int check_point(const struct track *t, const struct track_point *p, const char *where,
                       struct track_error *err) {
  if (!geo_degrees_ok(1, p->lat)) return fail(err, p->line, "%s: latitude %g out of range -90..90", where, p->lat);
  if (!geo_degrees_ok(0, p->lon)) return fail(err, p->line, "%s: longitude %g out of range -180..180", where, p->lon);
  if (t->count && p->t < t->points[t->count - 1].t)
    return fail(err, p->line, "%s: time earlier than the position before it", where);
  return 0;
}

/* ---- GPX ----------------------------------------------------------- */

static int named(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* Attribute NAME of N as a number into *V; -1 if absent or not a number. */
static int number_attribute(xmlNode *n, const char *name, double *v) {
  xmlChar *text = xmlGetProp(n, (const xmlChar *)name);
  char *end = NULL;
  if (text) *v = strtod((const char *)text, &end);
  int ok = text && end != (char *)text && !*end && isfinite(*v);
  xmlFree(text);
  return ok ? 0 : -1;
}

static int gpx_point(xmlNode *n, int part, struct track *t, size_t *cap, struct track_error *err) {
  struct track_point p = {.line = (int)xmlGetLineNo(n), .part = part};
  if (number_attribute(n, "lat", &p.lat))
    return fail(err, p.line, "trkpt: attribute lat missing or not a number");
  if (number_attribute(n, "lon", &p.lon))
    return fail(err, p.line, "trkpt: attribute lon missing or not a number");
  xmlNode *time = NULL;
  for (xmlNode *c = n->children; c; c = c->next)
    if (named(c, "time")) time = c;
  if (!time) return fail(err, p.line, "trkpt: no time (a patrol's positions need their times)");
  xmlChar *content = xmlNodeGetContent(time);
  char text[64];   /* the time without the blanks a pretty-printer puts around it */
  const char *from = content ? (const char *)content : "";
  while (*from && isspace((unsigned char)*from)) from++;
  snprintf(text, sizeof text, "%s", from);
  for (size_t end = strlen(text); end && isspace((unsigned char)text[end - 1]); end--) text[end - 1] = 0;
  xmlFree(content);
  int bad = iso_time_parse(text, &p.t);
  if (bad) fail(err, (int)xmlGetLineNo(time), "trkpt time \"%.40s\": not an ISO 8601 time", text);
  if (bad || check_point(t, &p, "trkpt", err)) return -1;
  add_point(t, cap, p);
  return 0;
}

static int gpx_read(xmlNode *root, struct track *t, struct track_error *err) {
  if (!named(root, "gpx")) return fail(err, (int)xmlGetLineNo(root), "not a GPX document (root <%s>)", root->name);
  size_t cap = 0;
  int part = 0;
  for (xmlNode *trk = root->children; trk; trk = trk->next) {
    if (!named(trk, "trk")) continue;
    for (xmlNode *seg = trk->children; seg; seg = seg->next) {
      if (!named(seg, "trkseg")) continue;
      for (xmlNode *pt = seg->children; pt; pt = pt->next)
        if (named(pt, "trkpt") && gpx_point(pt, part, t, &cap, err)) return -1;
      part++;
    }
  }
  return 0;
}

/* libxml2's errors go to a handler of the thread (Debian builds it with
** threads): this one keeps the first, which says where the document
** first went wrong; later ones follow from it. */
static void keep_first_error(void *ctx, xmlErrorPtr e) {
  struct track_error *err = ctx;
  if (err->reason[0] || !e || e->level < XML_ERR_ERROR) return;
  fail(err, e->line, "not XML: %s", e->message ? e->message : "unreadable");
  size_t n = strlen(err->reason);
  if (n && err->reason[n - 1] == '\n') err->reason[n - 1] = 0;
}

static int gpx_parse(const char *text, size_t len, struct track *t, struct track_error *err) {
  if (len > (size_t)INT32_MAX) return fail(err, 0, "GPX file too large");
  xmlSetStructuredErrorFunc(err, keep_first_error);
  xmlDoc *doc = xmlReadMemory(text, (int)len, "track.gpx", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlSetStructuredErrorFunc(NULL, NULL);
  if (!doc) return err->reason[0] ? -1 : fail(err, 0, "not XML");
  err->reason[0] = 0;   /* a recovered warning is not a refusal */
  int rc = gpx_read(xmlDocGetRootElement(doc), t, err);
  xmlFreeDoc(doc);
  return rc;
}

/* ---- GeoJSON ---------------------------------------------------------- */

/* Position POS ([lon, lat, ...]) at time TIME (a JSON string) as a point
** of PART; WHERE names both in messages. */
static int json_point(const json_t *pos, const json_t *time, int part, const char *where,
                      struct track *t, size_t *cap, struct track_error *err) {
  struct track_point p = {.part = part};
  if (!json_is_array(pos) || json_array_size(pos) < 2 || !json_is_number(json_array_get(pos, 0)) ||
      !json_is_number(json_array_get(pos, 1)))
    return fail(err, 0, "%s: a position is [longitude, latitude]", where);
  p.lon = json_number_value(json_array_get(pos, 0));
  p.lat = json_number_value(json_array_get(pos, 1));
  if (!json_is_string(time))
    return fail(err, 0, "%s: no time (a string) for this position", where);
  if (iso_time_parse(json_string_value(time), &p.t))
    return fail(err, 0, "%s: time \"%.40s\" is not an ISO 8601 time", where, json_string_value(time));
  if (check_point(t, &p, where, err)) return -1;
  add_point(t, cap, p);
  return 0;
}

/* One line of positions with its times array. */
static int json_line(const json_t *coords, const json_t *times, int part, const char *where,
                     struct track *t, size_t *cap, struct track_error *err) {
  if (!json_is_array(coords) || json_array_size(coords) < 1)
    return fail(err, 0, "%s.coordinates: not an array of positions", where);
  if (!json_is_array(times) || json_array_size(times) != json_array_size(coords))
    return fail(err, 0, "%s: the times array must have one time per position (%zu)", where,
                json_array_size(coords));
  char sub[128];
  for (size_t i = 0; i < json_array_size(coords); i++) {
    snprintf(sub, sizeof sub, "%s position %zu", where, i);
    if (json_point(json_array_get(coords, i), json_array_get(times, i), part, sub, t, cap, err))
      return -1;
  }
  return 0;
}

static int json_feature(const json_t *f, size_t index, int *part, struct track *t, size_t *cap,
                        struct track_error *err) {
  char where[64];
  snprintf(where, sizeof where, "features[%zu]", index);
  const json_t *g = json_object_get(f, "geometry"), *props = json_object_get(f, "properties");
  const char *type = json_string_value(json_object_get(g, "type"));
  const json_t *coords = json_object_get(g, "coordinates");
  const json_t *times = json_object_get(props, "coordTimes");
  if (!times) times = json_object_get(props, "times");
  if (!type) return fail(err, 0, "%s: no geometry type", where);
  if (!strcmp(type, "Point")) return json_point(coords, json_object_get(props, "time"), 0, where, t, cap, err);
  if (!strcmp(type, "LineString")) return json_line(coords, times, ++*part, where, t, cap, err);
  if (strcmp(type, "MultiLineString"))
    return fail(err, 0, "%s: geometry type %s: a track is LineString, MultiLineString or Point", where, type);
  if (!json_is_array(coords) || !json_is_array(times) || json_array_size(times) != json_array_size(coords))
    return fail(err, 0, "%s: coordTimes must hold one array of times per line", where);
  char sub[96];
  for (size_t i = 0; i < json_array_size(coords); i++) {
    snprintf(sub, sizeof sub, "%s line %zu", where, i);
    if (json_line(json_array_get(coords, i), json_array_get(times, i), ++*part, sub, t, cap, err))
      return -1;
  }
  return 0;
}

static int geojson_parse(const char *text, size_t len, struct track *t, struct track_error *err) {
  json_error_t je;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if (!root) return fail(err, je.line, "not JSON: column %d: %s", je.column, je.text);
  const char *type = json_string_value(json_object_get(root, "type"));
  json_t *features = json_object_get(root, "features"), *single = NULL;
  int rc = 0, part = 0;
  size_t cap = 0;
  if (type && !strcmp(type, "Feature")) {
    single = json_array();
    json_array_append(single, root);
    features = single;
  } else if (!type || strcmp(type, "FeatureCollection") || !json_is_array(features)) {
    rc = fail(err, 0, "not a GeoJSON Feature or FeatureCollection");
  }
  for (size_t i = 0; !rc && i < json_array_size(features); i++)
    rc = json_feature(json_array_get(features, i), i, &part, t, &cap, err);
  json_decref(single);
  json_decref(root);
  return rc;
}

int track_parse(const char *text, size_t len, struct track *out, struct track_error *err) {
  memset(out, 0, sizeof *out);
  memset(err, 0, sizeof *err);
  size_t i = 0;
  while (i < len && isspace((unsigned char)text[i])) i++;
  if (i + 3 <= len && !memcmp(text + i, "\xEF\xBB\xBF", 3)) i += 3;   /* a UTF-8 BOM */
  int rc = i < len && text[i] == '<'   ? gpx_parse(text, len, out, err)
           : i < len && text[i] == '{' ? geojson_parse(text, len, out, err)
                                       : fail(err, 1, "neither GPX (XML) nor GeoJSON");
  if (!rc && !out->count) rc = fail(err, 0, "no positions in the track");
  if (rc) track_free(out);
  return rc;
}

/* ---- segments ---------------------------------------------------------- */

/* A GeoJSON line's positions into L. */
static void read_polyline(const json_t *coords, struct polyline *l) {
  l->count = json_array_size(coords);
  l->pos = xcalloc(l->count + 1, sizeof *l->pos);
  for (size_t i = 0; i < l->count; i++)
    for (int k = 0; k < 2; k++)
      l->pos[i][k] = json_number_value(json_array_get(json_array_get(coords, i), (size_t)k));
}

/* The lines of a checked geometry (text from geo_parse) appended to OUT;
** -1 if it is an area. */
static int add_geometry_lines(const char *geometry, struct lines *out) {
  json_t *g = json_loads(geometry, 0, NULL);
  const json_t *c = json_object_get(g, "coordinates");
  const char *type = json_string_value(json_object_get(g, "type"));
  int multi = !strcmp(type, "MultiLineString");
  if (!multi && strcmp(type, "LineString")) { json_decref(g); return -1; }
  size_t n = multi ? json_array_size(c) : 1;
  out->items = xrealloc(out->items, (out->count + n) * sizeof *out->items);
  for (size_t i = 0; i < n; i++) read_polyline(multi ? json_array_get(c, i) : c, &out->items[out->count++]);
  json_decref(g);
  return 0;
}

int segment_parse(const char *text, size_t len, struct lines *out, struct track_error *err) {
  memset(out, 0, sizeof *out);
  memset(err, 0, sizeof *err);
  struct geo_options opt = {GEO_RIVER, "name", "code"};
  struct geo_features fs;
  struct geo_error ge;
  if (geo_parse(text, len, &opt, &fs, &ge)) {
    if (ge.feature >= 0) return fail(err, 0, "features[%ld]: %s", ge.feature, ge.reason);
    return fail(err, ge.line, "%s", ge.reason);
  }
  int rc = 0;
  for (size_t i = 0; i < fs.count && !rc; i++)
    if (add_geometry_lines(fs.items[i].geometry, out))
      rc = fail(err, 0, "features[%zu]: a segment is a LineString or MultiLineString", i);
  geo_features_free(&fs);
  if (rc) lines_free(out);
  return rc;
}
