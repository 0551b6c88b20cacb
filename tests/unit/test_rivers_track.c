/*
** Unit tests of the track computations of the river chiefs' patrols
** (src/rivers/geodesic.c, track.c, trackfile.c) against hand-computed
** values: one degree of latitude from the equator (the meridian arc,
** 110574.3886 m on WGS84 by integrating the meridian's radius of
** curvature), Vincenty's own test pair (Flinders Peak to Buninyong,
** 54972.271 m), a walk along the equator (a * dlon) with one GPS glitch,
** with a glitch as its first point, with a gap and in two parts; a track
** 50 m and 500 m beside a segment; and the GPX and GeoJSON readers, with
** the line or field of each refusal.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rivers/track.h"
#include "test_rivers_common.h"

#define WGS84_A 6378137.0
/* Metres along the equator per degree of longitude: a * pi / 180. */
#define EQUATOR_M_PER_DEG (WGS84_A * M_PI / 180)
/* 50 m north of the equator, in degrees: 50 / (a (1 - e^2)) (the meridian's
** radius of curvature there), to 1e-9 degrees (0.1 mm). */
#define LAT_50_M 0.00045218474

static const struct track_config CONFIG = {120 / 3.6, 300, 100, 10};

static void meridian_arc_of_one_degree(void **state) {
  (void)state;
  assert_near(geodesic_m(0, 0, 1, 0), 110574.3886, 0.001);
  assert_near(geodesic_m(1, 0, 0, 0), 110574.3886, 0.001);
  assert_near(geodesic_m(0, 0, 0, 1), EQUATOR_M_PER_DEG, 0.001);
  assert_near(geodesic_m(32.6, 110.8, 32.6, 110.8), 0, 0);
}

/* Vincenty (1975) / Geoscience Australia's worked example: Flinders Peak
** -37°57'03.72030" 144°25'29.52440" to Buninyong -37°39'10.15610"
** 143°55'35.38390": 54972.271 m (GRS80, which differs from WGS84 by
** 0.1 mm in b: far below this tolerance). */
static void vincenty_test_pair(void **state) {
  (void)state;
  double lat1 = -(37 + 57 / 60.0 + 3.72030 / 3600), lon1 = 144 + 25 / 60.0 + 29.52440 / 3600;
  double lat2 = -(37 + 39 / 60.0 + 10.15610 / 3600), lon2 = 143 + 55 / 60.0 + 35.38390 / 3600;
  assert_near(geodesic_m(lat1, lon1, lat2, lon2), 54972.271, 0.001);
}

/* N points along the equator every 0.001 degrees of longitude, one a
** minute (111 m a minute: 6.7 km/h). */
static struct track walk(size_t n) {
  struct track t = {calloc(n, sizeof(struct track_point)), n};
  for (size_t i = 0; i < n; i++) t.points[i] = (struct track_point){0, 0.001 * (double)i, 60.0 * (double)i, 0, 0};
  return t;
}

static void a_glitch_is_left_out_and_counted(void **state) {
  (void)state;
  struct track t = walk(11);
  t.points[5].lat = 0.05;   /* 5.5 km north for a minute: 330 km/h */
  enum point_use use[11];
  struct track_stats s;
  track_measure(&t, &CONFIG, &s, use);
  assert_int_equal(s.points, 11);
  assert_int_equal(s.jumps, 1);
  assert_int_equal(s.gaps, 0);
  assert_int_equal(use[5], POINT_DROPPED);
  assert_int_equal(use[6], POINT_JOINED);
  assert_near(s.length_m, 0.01 * EQUATOR_M_PER_DEG, 0.001);   /* 1113.195 m */
  assert_near(s.duration_s, 600, 0);
  t.points[5].lat = 0.001;  /* 111 m off for a minute: possible, so walked */
  track_measure(&t, &CONFIG, &s, use);
  assert_int_equal(s.jumps, 0);
  assert_near(s.length_m, 0.008 * EQUATOR_M_PER_DEG + geodesic_m(0, 0.004, 0.001, 0.005) +
                              geodesic_m(0.001, 0.005, 0, 0.006), 0.001);
  free(t.points);
}

static void a_glitch_first_moves_the_start(void **state) {
  (void)state;
  struct track t = walk(6);
  t.points[0].lon = -1;     /* 111 km west a minute before the walk */
  enum point_use use[6];
  struct track_stats s;
  track_measure(&t, &CONFIG, &s, use);
  assert_int_equal(s.jumps, 1);
  assert_int_equal(use[1], POINT_STARTS);
  assert_near(s.length_m, 0.004 * EQUATOR_M_PER_DEG, 0.001);
  free(t.points);
}

static void gaps_and_parts_are_not_lines(void **state) {
  (void)state;
  struct track t = walk(6);
  for (size_t i = 3; i < 6; i++) t.points[i].t += 600;   /* ten minutes without a position */
  struct track_stats s;
  track_measure(&t, &CONFIG, &s, NULL);
  assert_int_equal(s.gaps, 1);
  assert_int_equal(s.jumps, 0);
  assert_near(s.length_m, 0.004 * EQUATOR_M_PER_DEG, 0.001);
  assert_near(s.duration_s, 900, 0);
  free(t.points);
  t = walk(6);
  for (size_t i = 3; i < 6; i++) t.points[i].part = 1;
  track_measure(&t, &CONFIG, &s, NULL);
  assert_int_equal(s.gaps, 0);
  assert_near(s.length_m, 0.004 * EQUATOR_M_PER_DEG, 0.001);
  free(t.points);
}

/* A line from longitude 0 to TO along latitude LAT, in N pieces. */
static struct lines line_at(double lat, double to, size_t n) {
  struct lines l = {calloc(1, sizeof(struct polyline)), 1};
  l.items[0].pos = calloc(n + 1, sizeof *l.items[0].pos);
  l.items[0].count = n + 1;
  for (size_t i = 0; i <= n; i++) {
    l.items[0].pos[i][0] = to * (double)i / (double)n;
    l.items[0].pos[i][1] = lat;
  }
  return l;
}

static void a_track_beside_the_segment(void **state) {
  (void)state;
  struct lines segment = line_at(0, 0.01, 1);            /* 1113.195 m of the equator */
  struct lines at50 = line_at(LAT_50_M, 0.01, 10), at500 = line_at(10 * LAT_50_M, 0.01, 10);
  struct lines half = line_at(LAT_50_M, 0.005, 5);
  struct coverage c;
  track_coverage(&at50, &segment, &CONFIG, &c);
  assert_near(c.segment_m, 0.01 * EQUATOR_M_PER_DEG, 0.001);
  assert_near(c.coverage, 1, 1e-9);
  assert_near(c.on_segment, 1, 1e-9);
  track_coverage(&at500, &segment, &CONFIG, &c);
  assert_near(c.coverage, 0, 0);
  assert_near(c.on_segment, 0, 0);
  /* Half the segment walked: the other half's samples within 100 m of the
  ** track's end count too (100 m of 1113 m, to a 10 m sample). */
  track_coverage(&half, &segment, &CONFIG, &c);
  assert_near(c.covered_m, 0.005 * EQUATOR_M_PER_DEG + sqrt(100 * 100 - 50 * 50), 10);
  assert_near(c.on_segment, 1, 1e-9);
  lines_free(&segment);
  lines_free(&at50);
  lines_free(&at500);
  lines_free(&half);
}

static void times(void **state) {
  (void)state;
  double t;
  assert_int_equal(iso_time_parse("1970-01-02T00:00:00Z", &t), 0);
  assert_near(t, 86400, 0);
  assert_int_equal(iso_time_parse("2026-05-01T16:00:00.5+08:00", &t), 0);
  double z;
  assert_int_equal(iso_time_parse("2026-05-01T08:00:00Z", &z), 0);
  assert_near(t - z, 0.5, 1e-9);
  assert_int_equal(iso_time_parse("2026-02-29T08:00:00Z", &t), -1);
  assert_int_equal(iso_time_parse("2026-05-01T08:00:00", &t), -1);   /* no zone */
  assert_int_equal(iso_time_parse("2026-05-01T08:00:00Zx", &t), -1);
}

#define GPX_HEAD "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"

static void gpx_tracks(void **state) {
  (void)state;
  const char *text = GPX_HEAD "<trk><trkseg>\n"
    "<trkpt lat=\"0\" lon=\"0\"><ele>100</ele><time>2026-05-01T08:00:00Z</time></trkpt>\n"
    "<trkpt lat=\"0\" lon=\"0.001\"><time>2026-05-01T08:01:00Z</time></trkpt>\n"
    "</trkseg><trkseg>\n"
    "<trkpt lat=\"0\" lon=\"0.002\"><time>2026-05-01T08:02:00Z</time></trkpt>\n"
    "</trkseg></trk></gpx>\n";
  struct track t;
  struct track_error e;
  assert_int_equal(track_parse(text, strlen(text), &t, &e), 0);
  assert_int_equal(t.count, 3);
  assert_int_equal(t.points[1].line, 5);
  assert_int_equal(t.points[2].part, 1);
  assert_near(t.points[2].lon, 0.002, 0);
  struct track_stats s;
  track_measure(&t, &CONFIG, &s, NULL);
  assert_near(s.length_m, 0.001 * EQUATOR_M_PER_DEG, 0.001);   /* not across the parts */
  track_free(&t);
  const char *gpx10 = "<gpx version=\"1.0\" xmlns=\"http://www.topografix.com/GPX/1/0\"><trk><trkseg>"
    "<trkpt lat=\"32.6\" lon=\"110.8\"><time>2026-05-01T08:00:00Z</time><speed>1.2</speed></trkpt>"
    "<trkpt lat=\"32.6\" lon=\"110.801\"><time>\n  2026-05-01T08:01:00Z\n</time></trkpt></trkseg></trk></gpx>";
  assert_int_equal(track_parse(gpx10, strlen(gpx10), &t, &e), 0);
  assert_int_equal(t.count, 2);
  assert_near(t.points[1].t - t.points[0].t, 60, 0);
  track_free(&t);
}

static void expect_refused(const char *text, int line, const char *reason) {
  struct track t;
  struct track_error e;
  assert_int_equal(track_parse(text, strlen(text), &t, &e), -1);
  if (!strstr(e.reason, reason)) fail_msg("reason \"%s\" lacks \"%s\"", e.reason, reason);
  assert_int_equal(e.line, line);
  assert_null(t.points);
}

static void bad_gpx_says_where(void **state) {
  (void)state;
  expect_refused(GPX_HEAD "<trk><trkseg>\n<trkpt lat=\"0\" lon=\"0\"></trkpt>\n</trkseg></trk></gpx>", 4, "no time");
  expect_refused(GPX_HEAD "<trk><trkseg>\n\n<trkpt lat=\"95\" lon=\"0\"><time>2026-05-01T08:00:00Z</time></trkpt>\n"
                 "</trkseg></trk></gpx>", 5, "latitude 95");
  expect_refused(GPX_HEAD "<trk><trkseg>\n<trkpt lat=\"0\"><time>2026-05-01T08:00:00Z</time></trkpt>\n"
                 "</trkseg></trk></gpx>", 4, "attribute lon");
  expect_refused(GPX_HEAD "<trk><trkseg>\n<trkpt lat=\"0\" lon=\"0\"><time>yesterday</time></trkpt>\n"
                 "</trkseg></trk></gpx>", 4, "\"yesterday\": not an ISO 8601 time");
  expect_refused(GPX_HEAD "<trk><trkseg>\n<trkpt lat=\"0\" lon=\"0\"><time>2026-05-01T08:01:00Z</time></trkpt>\n"
                 "<trkpt lat=\"0\" lon=\"0\"><time>2026-05-01T08:00:00Z</time></trkpt>\n</trkseg></trk></gpx>",
                 5, "earlier than the position before");
  expect_refused(GPX_HEAD "<trk>\n<trkseg>\n</trk></gpx>", 5, "not XML: Opening and ending tag mismatch");
  expect_refused(GPX_HEAD "<trk></trk></gpx>", 0, "no positions");
  expect_refused("<kml></kml>", 1, "not a GPX document");
  expect_refused("track", 1, "neither GPX");
}

static void geojson_tracks(void **state) {
  (void)state;
  const char *lines = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
    "\"properties\":{\"coordTimes\":[[\"2026-05-01T08:00:00Z\",\"2026-05-01T08:01:00Z\"],[\"2026-05-01T08:05:00Z\"]]},"
    "\"geometry\":{\"type\":\"MultiLineString\",\"coordinates\":[[[0,0],[0.001,0]],[[0.002,0]]]}}]}";
  const char *points = "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"time\":\"2026-05-01T16:00:00+08:00\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}},"
    "{\"type\":\"Feature\",\"properties\":{\"time\":\"2026-05-01T08:01:00Z\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[0.001,0]}}]}";
  struct track t;
  struct track_error e;
  struct track_stats s;
  assert_int_equal(track_parse(lines, strlen(lines), &t, &e), 0);
  assert_int_equal(t.count, 3);
  assert_int_not_equal(t.points[1].part, t.points[2].part);
  track_free(&t);
  assert_int_equal(track_parse(points, strlen(points), &t, &e), 0);
  track_measure(&t, &CONFIG, &s, NULL);
  assert_near(s.length_m, 0.001 * EQUATOR_M_PER_DEG, 0.001);
  assert_near(s.duration_s, 60, 0);
  track_free(&t);
  expect_refused("{\"type\":\"Feature\",\"properties\":{\"times\":[\"2026-05-01T08:00:00Z\"]},"
                 "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,0]]}}", 0,
                 "features[0]: the times array must have one time per position (2)");
  expect_refused("{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[]}}",
                 0, "features[0]: geometry type Polygon");
  expect_refused("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"time\":\"2026-05-01T08:00:00Z\"},"
                 "\"geometry\":{\"type\":\"Point\",\"coordinates\":[200,0]}}]}", 0, "features[0]: longitude 200");
  expect_refused("{\"type\":\"Feature\",\n\"properties\":{}\n,}", 3, "not JSON");
}

static void segments_are_lines_of_named_features(void **state) {
  (void)state;
  const char *text = "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"a\"},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[0,0],[0.01,0]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"b\"},\"geometry\":{\"type\":\"MultiLineString\",\"coordinates\":[[[0,1],[0.01,1]],[[0,2],[0.01,2]]]}}]}";
  struct lines l;
  struct track_error e;
  assert_int_equal(segment_parse(text, strlen(text), &l, &e), 0);
  assert_int_equal(l.count, 3);
  assert_near(lines_length_m(&l) - 0.01 * EQUATOR_M_PER_DEG, 0.01 * EQUATOR_M_PER_DEG * (cos(M_PI / 180) + cos(M_PI / 90)), 0.05);
  lines_free(&l);
  const char *area = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"a\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}";
  assert_int_equal(segment_parse(area, strlen(area), &l, &e), -1);
  assert_string_equal(e.reason, "features[0]: a segment is a LineString or MultiLineString");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(meridian_arc_of_one_degree),
      cmocka_unit_test(vincenty_test_pair),
      cmocka_unit_test(a_glitch_is_left_out_and_counted),
      cmocka_unit_test(a_glitch_first_moves_the_start),
      cmocka_unit_test(gaps_and_parts_are_not_lines),
      cmocka_unit_test(a_track_beside_the_segment),
      cmocka_unit_test(times),
      cmocka_unit_test(gpx_tracks),
      cmocka_unit_test(bad_gpx_says_where),
      cmocka_unit_test(geojson_tracks),
      cmocka_unit_test(segments_are_lines_of_named_features),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
