/*
** Patrol tracks (issue 18): the pure computations of what the server says
** of a track. Geodesic distances on WGS84 (geodesic.c), a track's length,
** duration, impossible jumps and gaps, and the coverage of a segment
** (track.c); reading GPX and GeoJSON tracks and segment lines
** (trackfile.c). No I/O: text in, numbers out.
*/
#ifndef QS_RIVERS_TRACK_H
#define QS_RIVERS_TRACK_H
#include <stddef.h>

/* The geodesic distance in metres between two positions (decimal degrees)
** on the WGS84 ellipsoid, by Vincenty's inverse formula (0.1 mm). -1 for
** nearly antipodal points, where it does not converge (never a patrol). */
double geodesic_m(double lat1, double lon1, double lat2, double lon2);

/* One recorded position: T in UNIX seconds (fractions kept), LINE where
** the file has it (GPX; 0 for GeoJSON), PART the track segment (GPX
** trkseg, GeoJSON line) it belongs to: no distance is counted between
** parts. */
struct track_point {
  double lat, lon, t;
  int line, part;
};

struct track {
  struct track_point *points;
  size_t count;
};

/* How a track is measured (patrol_rules.json "track"). */
struct track_config {
  double max_speed_mps;  /* faster than this between two positions: a jump */
  double gap_s;          /* longer than this without a position: a gap */
  double near_m;         /* "near" a segment: within this distance */
  double sample_m;       /* lines are tested every this many metres */
};

/* What track_measure makes of each point. */
enum point_use {
  POINT_DROPPED,   /* a glitch: an impossible jump away and back */
  POINT_JOINED,    /* kept, joined to the kept point before it */
  POINT_STARTS,    /* kept, starts a piece: first, new part, after a gap or a jump */
};

struct track_stats {
  size_t points;
  double length_m;     /* the joined pieces only */
  double duration_s;   /* first to last position */
  int jumps;           /* impossible jumps, each left out of the length */
  int gaps;            /* silences longer than gap_s, left out of the length */
  double start_t, end_t;
};

/* Measure T (its times non-decreasing, at least one point). USE, when not
** NULL, gets each point's use (T->count entries). A position that an
** impossible speed separates from the kept one before it is dropped if
** the next position is consistent with the kept one (a glitch); if the
** next is consistent with it instead, the track moved: the jump's edge is
** left out, the track goes on from there. Either way one jump. */
void track_measure(const struct track *t, const struct track_config *c, struct track_stats *out,
                   enum point_use *use);

/* Lines of [longitude, latitude] positions: a segment's geometry, or the
** joined pieces of a track. */
struct polyline {
  double (*pos)[2];
  size_t count;
};

struct lines {
  struct polyline *items;
  size_t count;
};

void lines_free(struct lines *l);

/* The geodesic length of L in metres. */
double lines_length_m(const struct lines *l);

/* The joined pieces of T (USE from track_measure) as lines. */
void track_lines(const struct track *t, const enum point_use *use, struct lines *out);

/* Of the length of A, how many metres lie within NEAR_M of B: A is cut
** into pieces of at most SAMPLE_M and a piece counts when its middle is
** that near (distances to B's edges in a local plane around the point:
** within 0.1 % at these distances). */
double lines_within_m(const struct lines *a, const struct lines *b, double near_m, double sample_m);

/* A track against a segment: the share of the segment's length within
** near_m of the track (coverage), and the share of the track's length
** within near_m of the segment (whether it stayed near). A share of an
** empty line is 0. */
struct coverage {
  double segment_m, covered_m, coverage;
  double track_m, near_m, on_segment;
};

void track_coverage(const struct lines *track, const struct lines *segment,
                    const struct track_config *c, struct coverage *out);

/* Why a file was refused: LINE (0 when unknown) and what (the field and
** its value). */
struct track_error {
  int line;
  char reason[256];
};

/* A GPX 1.0 or 1.1 document: every trkpt (lat, lon, time) of every trk,
** each trkseg a part. A GeoJSON document (a FeatureCollection, a Feature):
** LineString or MultiLineString features with their positions' times in a
** "coordTimes" or "times" property (an array, one ISO 8601 time a
** position; for a MultiLineString an array a line), or Point features with
** a "time" property (one part). Times are ISO 8601 with Z or an offset; a
** position without a time, out of range or earlier than the one before
** refuses the file. The format is taken from the first non-blank byte
** ('<' GPX, '{' GeoJSON). 0, or -1 with ERR. */
int track_parse(const char *text, size_t len, struct track *out, struct track_error *err);

void track_free(struct track *t);

/* The lines of a segment file: the GeoJSON that `geo import` takes (a
** FeatureCollection of named LineString and MultiLineString features),
** every feature's lines together. 0, or -1 with ERR. */
int segment_parse(const char *text, size_t len, struct lines *out, struct track_error *err);

/* An ISO 8601 time ("2026-05-01T08:00:00Z", "...T16:00:00.5+08:00") in
** UNIX seconds into *OUT; -1 if malformed. */
int iso_time_parse(const char *text, double *out);

#endif
