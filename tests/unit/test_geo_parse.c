/*
** Unit tests of the GeoJSON reader of `geo import` (src/geo/parse.c): the
** features it keeps (names and codes from the named properties, geometry
** as compact JSON) and each reason a file is refused, with the index of
** the bad feature: a wrong geometry type, a zone that is no area, a
** position out of range or not numbers, a ring that does not close, too
** few points, a missing name, a repeated name, text that is not JSON (its
** line), a file that is no FeatureCollection or holds no feature.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "geo/geo.h"

static const struct geo_options RIVERS = {GEO_RIVER, "name", "code"};

/* A collection of the features written in FEATURES (comma-separated). */
static char *collection(const char *features) {
  static char text[4096];
  snprintf(text, sizeof text, "{\"type\":\"FeatureCollection\",\"features\":[%s]}", features);
  return text;
}

#define LINE_A "{\"type\":\"Feature\",\"properties\":{\"name\":\"神定河\",\"code\":\"SDH\"}," \
  "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[110.70,32.60],[110.80,32.75]]}}"
#define RESERVOIR "{\"type\":\"Feature\",\"properties\":{\"NAME\":\"潘口水库\",\"ID\":42}," \
  "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[110.1,32.1],[110.3,32.1],[110.3,32.3],[110.1,32.1]]]]}}"

/* A feature named N with geometry type T and coordinates C. */
#define FEATURE(n, t, c) "{\"type\":\"Feature\",\"properties\":{\"name\":\"" n "\"}," \
  "\"geometry\":{\"type\":\"" t "\",\"coordinates\":" c "}}"

static void expect_refused(const char *text, const struct geo_options *opt, long feature,
                           const char *reason) {
  struct geo_features fs;
  struct geo_error err;
  assert_int_equal(geo_parse(text, strlen(text), opt, &fs, &err), -1);
  assert_int_equal(fs.count, 0);
  assert_null(fs.items);
  if (err.feature != feature) fail_msg("feature %ld, not %ld: %s", err.feature, feature, err.reason);
  if (!strstr(err.reason, reason)) fail_msg("'%s' does not say '%s'", err.reason, reason);
}

static void keeps_names_codes_and_geometry(void **state) {
  (void)state;
  const char *text = collection(LINE_A "," FEATURE("剑河", "MultiLineString",
                                "[[[110.9,32.5],[111.0,32.6],[111.1,32.6]]]"));
  struct geo_features fs;
  struct geo_error err;
  assert_int_equal(geo_parse(text, strlen(text), &RIVERS, &fs, &err), 0);
  assert_int_equal(fs.count, 2);
  assert_string_equal(fs.items[0].name, "神定河");
  assert_string_equal(fs.items[0].code, "SDH");
  assert_string_equal(fs.items[0].geometry,
                      "{\"type\":\"LineString\",\"coordinates\":[[110.7,32.6],[110.8,32.75]]}");
  assert_string_equal(fs.items[1].name, "剑河");
  assert_string_equal(fs.items[1].code, "");
  geo_features_free(&fs);
}

static void properties_are_chosen(void **state) {
  (void)state;
  const struct geo_options opt = {GEO_ZONE, "NAME", "ID"};
  const char *text = collection(RESERVOIR);
  struct geo_features fs;
  struct geo_error err;
  assert_int_equal(geo_parse(text, strlen(text), &opt, &fs, &err), 0);
  assert_int_equal(fs.count, 1);
  assert_string_equal(fs.items[0].name, "潘口水库");
  assert_string_equal(fs.items[0].code, "42");
  geo_features_free(&fs);
  expect_refused(text, &RIVERS, 0, "property \"name\"");
}

static void wrong_geometry_type(void **state) {
  (void)state;
  expect_refused(collection(LINE_A "," FEATURE("点", "Point", "[110.7,32.6]")), &RIVERS, 1,
                 "geometry type Point: not one of LineString");
  const struct geo_options zones = {GEO_ZONE, "name", "code"};
  expect_refused(collection(LINE_A), &zones, 0, "a zone is a Polygon or MultiPolygon");
  expect_refused(collection("{\"type\":\"Feature\",\"properties\":{\"name\":\"x\"},\"geometry\":null}"),
                 &RIVERS, 0, "geometry: missing");
  expect_refused(collection(LINE_A ",{\"type\":\"Thing\"}"), &RIVERS, 1, "not a Feature");
}

static void coordinates_out_of_range(void **state) {
  (void)state;
  expect_refused(collection(FEATURE("a", "LineString", "[[110.7,32.6],[200.5,32.6]]")), &RIVERS, 0,
                 "coordinates[1]: longitude 200.5 out of range -180..180");
  expect_refused(collection(LINE_A "," LINE_A "," FEATURE("b", "LineString", "[[110.7,91],[110.8,32.6]]")),
                 &RIVERS, 1, "name 神定河: also the name of feature 0");
  expect_refused(collection(LINE_A "," FEATURE("b", "LineString", "[[110.7,-90.5],[110.8,32.6]]")),
                 &RIVERS, 1, "coordinates[0]: latitude -90.5 out of range -90..90");
  expect_refused(collection(FEATURE("c", "LineString", "[[110.7,\"32.6\"],[110.8,32.6]]")), &RIVERS, 0,
                 "coordinates[0]: a position holds numbers only");
  expect_refused(collection(FEATURE("d", "LineString", "[[110.7],[110.8,32.6]]")), &RIVERS, 0,
                 "coordinates[0]: a position is [longitude, latitude]");
}

static void unclosed_ring(void **state) {
  (void)state;
  expect_refused(collection(FEATURE("湖", "Polygon",
                 "[[[111,32.6],[111.2,32.6],[111.2,32.8],[111,32.6]],"
                 "[[111.05,32.65],[111.1,32.65],[111.1,32.7],[111.06,32.65]]]")),
                 &RIVERS, 0, "coordinates[1]: ring not closed");
  expect_refused(collection(FEATURE("库", "MultiPolygon",
                 "[[[[111,32.6],[111.2,32.6],[111.2,32.8],[111,32.6]]],"
                 "[[[112,32.6],[112.2,32.6],[112.2,32.8],[112.1,32.9]]]]")),
                 &RIVERS, 0, "coordinates[1][0]: ring not closed");
}

static void too_few_points(void **state) {
  (void)state;
  expect_refused(collection(FEATURE("a", "LineString", "[[110.7,32.6]]")), &RIVERS, 0,
                 "coordinates: 1 positions, too few for a line (at least 2)");
  expect_refused(collection(FEATURE("b", "Polygon", "[[[111,32.6],[111.2,32.6],[111,32.6]]]")), &RIVERS, 0,
                 "coordinates[0]: 3 positions, too few for a ring (at least 4)");
  expect_refused(collection(FEATURE("c", "MultiLineString", "[]")), &RIVERS, 0,
                 "coordinates: an array of at least one line");
}

static void not_json_names_the_line(void **state) {
  (void)state;
  expect_refused("{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\",,}]}", &RIVERS, -1,
                 "not JSON: line 3");
  expect_refused("{\"type\":\"Feature\"}", &RIVERS, -1, "not a GeoJSON FeatureCollection");
  expect_refused("{\"type\":\"FeatureCollection\",\"features\":{}}", &RIVERS, -1,
                 "not a GeoJSON FeatureCollection");
  expect_refused(collection(""), &RIVERS, -1, "the FeatureCollection has no features");
}

static void kinds_by_word(void **state) {
  (void)state;
  enum geo_kind k;
  assert_int_equal(geo_kind_parse("reservoir", &k), 0);
  assert_int_equal(k, GEO_RESERVOIR);
  assert_string_equal(geo_kind_name(k), "reservoir");
  assert_int_equal(geo_kind_parse("lake", &k), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(keeps_names_codes_and_geometry),
      cmocka_unit_test(properties_are_chosen),
      cmocka_unit_test(wrong_geometry_type),
      cmocka_unit_test(coordinates_out_of_range),
      cmocka_unit_test(unclosed_ring),
      cmocka_unit_test(too_few_points),
      cmocka_unit_test(not_json_names_the_line),
      cmocka_unit_test(kinds_by_word),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
