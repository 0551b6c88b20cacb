/*
** The GeoJSON reader of `geo import` (geo.h): a FeatureCollection of
** rivers, reservoirs or zones, checked feature by feature so that a bad
** file is refused with the index of its first bad feature and the reason
** (wrong geometry type, a position out of range, a ring that does not
** close, too few points), and nothing of it is kept. Pure: text in,
** features out.
*/
#include "geo/geo.h"
#include "util/buf.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const KIND_NAMES[] = {"river", "reservoir", "zone"};

int geo_kind_parse(const char *word, enum geo_kind *kind) {
  for (int k = 0; k < 3; k++)
    if (word && !strcmp(word, KIND_NAMES[k])) { *kind = (enum geo_kind)k; return 0; }
  return -1;
}

const char *geo_kind_name(enum geo_kind kind) { return KIND_NAMES[kind]; }

int geo_degrees_ok(int lat, double v) {
  double limit = lat ? 90 : 180;
  return v >= -limit && v <= limit;
}

static int fail(struct geo_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct geo_error *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->reason, sizeof err->reason, fmt, ap);
  va_end(ap);
  return -1;
}

/* PATH with "[I]" appended, into OUT (a path names a place in the geometry,
** "coordinates[0][3]"). */
static void subpath(char *out, size_t n, const char *path, size_t i) {
  /* a path longer than OUT is cut: it only names a place in a message */
  if (snprintf(out, n, "%s[%zu]", path, i) >= (int)n && n > 4) memcpy(out + n - 4, "...", 4);
}

/* A position: [longitude, latitude] or with an altitude, in range. */
static int check_position(const json_t *p, const char *path, struct geo_error *err) {
  size_t n = json_array_size(p);
  if (!json_is_array(p) || n < 2 || n > 3)
    return fail(err, "%s: a position is [longitude, latitude]", path);
  for (size_t i = 0; i < n; i++)
    if (!json_is_number(json_array_get(p, i)))
      return fail(err, "%s: a position holds numbers only", path);
  double lon = json_number_value(json_array_get(p, 0)), lat = json_number_value(json_array_get(p, 1));
  if (!geo_degrees_ok(0, lon)) return fail(err, "%s: longitude %g out of range -180..180", path, lon);
  if (!geo_degrees_ok(1, lat)) return fail(err, "%s: latitude %g out of range -90..90", path, lat);
  return 0;
}

/* Whether OBJ's "type" is TYPE. */
static int type_is(const json_t *obj, const char *type) {
  const char *t = json_string_value(json_object_get(obj, "type"));
  return t && !strcmp(t, type);
}

static int same_position(const json_t *a, const json_t *b) {
  for (size_t i = 0; i < 2; i++)
    if (json_number_value(json_array_get(a, i)) != json_number_value(json_array_get(b, i))) return 0;
  return 1;
}

/* A line of at least MIN positions; a RING also ends where it begins. */
static int check_line(const json_t *line, const char *path, int ring, struct geo_error *err) {
  size_t min = ring ? 4 : 2, n = json_array_size(line);
  if (!json_is_array(line)) return fail(err, "%s: not an array of positions", path);
  if (n < min)
    return fail(err, "%s: %zu positions, too few for a %s (at least %zu)", path, n,
                ring ? "ring" : "line", min);
  char sub[96];
  for (size_t i = 0; i < n; i++) {
    subpath(sub, sizeof sub, path, i);
    if (check_position(json_array_get(line, i), sub, err)) return -1;
  }
  if (ring && !same_position(json_array_get(line, 0), json_array_get(line, n - 1)))
    return fail(err, "%s: ring not closed (its last position is not its first)", path);
  return 0;
}

/* An array of at least one PART, each checked by CHECK (a line, rings). */
static int check_parts(const json_t *parts, const char *path, const char *what,
                       int (*check)(const json_t *, const char *, struct geo_error *),
                       struct geo_error *err) {
  if (!json_is_array(parts) || !json_array_size(parts))
    return fail(err, "%s: an array of at least one %s", path, what);
  char sub[96];
  for (size_t i = 0; i < json_array_size(parts); i++) {
    subpath(sub, sizeof sub, path, i);
    if (check(json_array_get(parts, i), sub, err)) return -1;
  }
  return 0;
}

static int check_open_line(const json_t *l, const char *path, struct geo_error *err) {
  return check_line(l, path, 0, err);
}

static int check_ring(const json_t *l, const char *path, struct geo_error *err) {
  return check_line(l, path, 1, err);
}

static int check_polygon(const json_t *rings, const char *path, struct geo_error *err) {
  return check_parts(rings, path, "ring", check_ring, err);
}

/* A geometry of the types a map draws as lines and areas. */
static int check_geometry(const json_t *g, enum geo_kind kind, struct geo_error *err) {
  const char *type = json_string_value(json_object_get(g, "type"));
  const json_t *c = json_object_get(g, "coordinates");
  if (!json_is_object(g)) return fail(err, "geometry: missing or not an object");
  if (!type) return fail(err, "geometry: no type");
  int area = !strcmp(type, "Polygon") || !strcmp(type, "MultiPolygon");
  int line = !strcmp(type, "LineString") || !strcmp(type, "MultiLineString");
  if (!area && !line)
    return fail(err, "geometry type %s: not one of LineString, MultiLineString, Polygon, MultiPolygon",
                type);
  if (kind == GEO_ZONE && !area) return fail(err, "geometry type %s: a zone is a Polygon or MultiPolygon", type);
  if (!strcmp(type, "LineString")) return check_line(c, "coordinates", 0, err);
  if (!strcmp(type, "MultiLineString")) return check_parts(c, "coordinates", "line", check_open_line, err);
  if (!strcmp(type, "Polygon")) return check_polygon(c, "coordinates", err);
  return check_parts(c, "coordinates", "polygon", check_polygon, err);
}

/* Property P of a feature as text: a string, or an integer code. NULL if
** absent or of another type. */
static char *property_text(const json_t *props, const char *p) {
  const json_t *v = json_object_get(props, p);
  if (json_is_string(v)) return xstrdup(json_string_value(v));
  if (json_is_integer(v)) {
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
    return xstrdup(text);
  }
  return NULL;
}

/* Feature F into OUT (its name, code and geometry), or -1 with ERR. */
static int read_feature(const json_t *f, const struct geo_options *opt, struct geo_feature *out,
                        struct geo_error *err) {
  if (!type_is(f, "Feature"))
    return fail(err, "not a Feature object");
  const json_t *props = json_object_get(f, "properties"), *g = json_object_get(f, "geometry");
  char *name = property_text(props, opt->name_property);
  if (!name || !*name) {
    free(name);
    return fail(err, "property \"%s\" (the name) missing, empty or not text", opt->name_property);
  }
  if (check_geometry(g, opt->kind, err)) { free(name); return -1; }
  char *code = property_text(props, opt->code_property);
  out->name = name;
  out->code = code ? code : xstrdup("");
  out->geometry = json_dumps(g, JSON_COMPACT | JSON_REAL_PRECISION(10));
  return 0;
}

/* The index of an earlier feature named as feature N, or -1. */
static long earlier_name(const struct geo_features *fs, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(fs->items[i].name, fs->items[n].name)) return (long)i;
  return -1;
}

int geo_parse(const char *text, size_t len, const struct geo_options *opt,
              struct geo_features *out, struct geo_error *err) {
  memset(out, 0, sizeof *out);
  memset(err, 0, sizeof *err);
  err->feature = -1;
  json_error_t jerr;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root) {
    err->line = jerr.line;
    return fail(err, "not JSON: line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
  }
  const json_t *features = json_object_get(root, "features");
  int rc = 0;
  if (!type_is(root, "FeatureCollection") || !json_is_array(features)) {
    rc = fail(err, "not a GeoJSON FeatureCollection (type \"FeatureCollection\" with a features array)");
    goto done;
  }
  if (!json_array_size(features)) {
    rc = fail(err, "the FeatureCollection has no features");
    goto done;
  }
  out->items = xcalloc(json_array_size(features) + 1, sizeof *out->items);
  for (size_t i = 0; i < json_array_size(features) && !rc; i++) {
    rc = read_feature(json_array_get(features, i), opt, &out->items[i], err);
    if (!rc) out->count++;
    long twin = rc ? -1 : earlier_name(out, i);
    if (twin >= 0) rc = fail(err, "name %s: also the name of feature %ld", out->items[i].name, twin);
    if (rc) err->feature = (long)i;
  }
done:
  json_decref(root);
  if (rc) geo_features_free(out);
  return rc;
}

void geo_features_free(struct geo_features *fs) {
  for (size_t i = 0; i < fs->count; i++) {
    free(fs->items[i].name);
    free(fs->items[i].code);
    free(fs->items[i].geometry);
  }
  free(fs->items);
  memset(fs, 0, sizeof *fs);
}
