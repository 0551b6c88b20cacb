/*
** A track's length, duration, jumps and gaps, and how it covers a segment
** (track.h).
*/
#include "rivers/track.h"
#include "util/buf.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The mean Earth radius (IUGG), for the local plane of lines_within_m. */
#define MEAN_RADIUS_M 6371008.8
#define RAD (M_PI / 180)

static double point_distance(const struct track_point *a, const struct track_point *b) {
  return geodesic_m(a->lat, a->lon, b->lat, b->lon);
}

/* Whether B can follow A at a possible speed. */
static int plausible(const struct track_point *a, const struct track_point *b, double max_speed) {
  double d = point_distance(a, b), dt = b->t - a->t;
  return d <= max_speed * dt;
}

void track_measure(const struct track *t, const struct track_config *c, struct track_stats *out,
                   enum point_use *use) {
  memset(out, 0, sizeof *out);
  out->points = t->count;
  if (!t->count) return;
  const struct track_point *p = t->points;
  out->start_t = p[0].t;
  out->end_t = p[t->count - 1].t;
  out->duration_s = out->end_t - out->start_t;
  size_t kept = 0;                          /* the last kept point */
  if (use) use[0] = POINT_STARTS;
  for (size_t i = 1; i < t->count; i++) {
    enum point_use u = POINT_JOINED;
    if (p[i].part != p[kept].part) u = POINT_STARTS;
    else if (p[i].t - p[kept].t > c->gap_s) { u = POINT_STARTS; out->gaps++; }
    else if (!plausible(&p[kept], &p[i], c->max_speed_mps)) {
      int moved = i + 1 < t->count && p[i + 1].part == p[i].part &&
                  !plausible(&p[kept], &p[i + 1], c->max_speed_mps) &&
                  plausible(&p[i], &p[i + 1], c->max_speed_mps);
      out->jumps++;
      if (!moved) {                         /* a glitch: away and back */
        if (use) use[i] = POINT_DROPPED;
        continue;
      }
      u = POINT_STARTS;
    }
    if (u == POINT_JOINED) out->length_m += point_distance(&p[kept], &p[i]);
    if (use) use[i] = u;
    kept = i;
  }
}

void lines_free(struct lines *l) {
  for (size_t i = 0; i < l->count; i++) free(l->items[i].pos);
  free(l->items);
  memset(l, 0, sizeof *l);
}

double lines_length_m(const struct lines *l) {
  double total = 0;
  for (size_t i = 0; i < l->count; i++)
    for (size_t k = 1; k < l->items[i].count; k++) {
      const double *a = l->items[i].pos[k - 1], *b = l->items[i].pos[k];
      total += geodesic_m(a[1], a[0], b[1], b[0]);
    }
  return total;
}

void track_lines(const struct track *t, const enum point_use *use, struct lines *out) {
  memset(out, 0, sizeof *out);
  out->items = xcalloc(t->count + 1, sizeof *out->items);
  struct polyline *line = NULL;
  for (size_t i = 0; i < t->count; i++) {
    if (use[i] == POINT_DROPPED) continue;
    if (use[i] == POINT_STARTS || !line) {
      line = &out->items[out->count++];
      line->pos = xcalloc(t->count - i, sizeof *line->pos);
    }
    line->pos[line->count][0] = t->points[i].lon;
    line->pos[line->count][1] = t->points[i].lat;
    line->count++;
  }
}

/* The distance in metres from P to the edge A-B, in a plane tangent at P
** (equirectangular: exact enough within a few hundred metres). */
static double edge_distance(const double p[2], const double a[2], const double b[2]) {
  double kx = cos(p[1] * RAD) * RAD * MEAN_RADIUS_M, ky = RAD * MEAN_RADIUS_M;
  double ax = (a[0] - p[0]) * kx, ay = (a[1] - p[1]) * ky;
  double bx = (b[0] - p[0]) * kx, by = (b[1] - p[1]) * ky;
  double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
  double s = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
  if (s < 0) s = 0;
  if (s > 1) s = 1;
  double x = ax + s * dx, y = ay + s * dy;
  return sqrt(x * x + y * y);
}

/* Whether P is within NEAR_M of some edge (or lone point) of L. Edges
** whose box is farther than NEAR_M are skipped without computing. */
static int near_lines(const double p[2], const struct lines *l, double near_m) {
  double dlat = near_m / (RAD * MEAN_RADIUS_M) * 1.01;
  double dlon = dlat / fmax(cos(p[1] * RAD), 1e-6);
  for (size_t i = 0; i < l->count; i++) {
    const struct polyline *line = &l->items[i];
    for (size_t k = 0; k < line->count; k++) {
      const double *a = line->pos[k], *b = line->pos[k + 1 < line->count ? k + 1 : k];
      if (fmin(a[1], b[1]) > p[1] + dlat || fmax(a[1], b[1]) < p[1] - dlat ||
          fmin(a[0], b[0]) > p[0] + dlon || fmax(a[0], b[0]) < p[0] - dlon)
        continue;
      if (edge_distance(p, a, b) <= near_m) return 1;
    }
  }
  return 0;
}

double lines_within_m(const struct lines *a, const struct lines *b, double near_m, double sample_m) {
  double within = 0;
  for (size_t i = 0; i < a->count; i++)
    for (size_t k = 1; k < a->items[i].count; k++) {
      const double *p = a->items[i].pos[k - 1], *q = a->items[i].pos[k];
      double d = geodesic_m(p[1], p[0], q[1], q[0]);
      size_t pieces = (size_t)ceil(d / sample_m);
      for (size_t s = 0; s < pieces; s++) {
        double f = (s + 0.5) / (double)pieces;
        double mid[2] = {p[0] + f * (q[0] - p[0]), p[1] + f * (q[1] - p[1])};
        if (near_lines(mid, b, near_m)) within += d / (double)pieces;
      }
    }
  return within;
}

void track_coverage(const struct lines *track, const struct lines *segment,
                    const struct track_config *c, struct coverage *out) {
  memset(out, 0, sizeof *out);
  out->segment_m = lines_length_m(segment);
  out->track_m = lines_length_m(track);
  out->covered_m = lines_within_m(segment, track, c->near_m, c->sample_m);
  out->near_m = lines_within_m(track, segment, c->near_m, c->sample_m);
  out->coverage = out->segment_m > 0 ? out->covered_m / out->segment_m : 0;
  out->on_segment = out->track_m > 0 ? out->near_m / out->track_m : 0;
}
