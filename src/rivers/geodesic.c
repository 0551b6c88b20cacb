/*
** Geodesic distance on the WGS84 ellipsoid (track.h): Vincenty's inverse
** formula (Survey Review XXIII, 176, 1975), iterated until lambda changes
** by less than 1e-12 rad (about 0.006 mm). Why not haversine: a sphere of
** the mean radius is off by up to 0.5 % along a meridian (a 10 km patrol:
** 50 m, more than a minimum-length rule's margin), and Vincenty costs
** little more.
*/
#include "rivers/track.h"
#include <math.h>

#define WGS84_A 6378137.0
#define WGS84_F (1 / 298.257223563)
#define WGS84_B (WGS84_A * (1 - WGS84_F))
#define RAD (M_PI / 180)
#define MAX_ITERATIONS 200

double geodesic_m(double lat1, double lon1, double lat2, double lon2) {
  if (lat1 == lat2 && lon1 == lon2) return 0;
  double L = (lon2 - lon1) * RAD;
  double U1 = atan((1 - WGS84_F) * tan(lat1 * RAD)), U2 = atan((1 - WGS84_F) * tan(lat2 * RAD));
  double sinU1 = sin(U1), cosU1 = cos(U1), sinU2 = sin(U2), cosU2 = cos(U2);
  double lambda = L, sin_sigma = 0, cos_sigma = 0, sigma = 0, cos2_alpha = 0, cos_2sm = 0;
  for (int i = 0; i < MAX_ITERATIONS; i++) {
    double sin_l = sin(lambda), cos_l = cos(lambda);
    double a = cosU2 * sin_l, b = cosU1 * sinU2 - sinU1 * cosU2 * cos_l;
    sin_sigma = sqrt(a * a + b * b);
    if (sin_sigma == 0) return 0;   /* the same point */
    cos_sigma = sinU1 * sinU2 + cosU1 * cosU2 * cos_l;
    sigma = atan2(sin_sigma, cos_sigma);
    double sin_alpha = cosU1 * cosU2 * sin_l / sin_sigma;
    cos2_alpha = 1 - sin_alpha * sin_alpha;
    cos_2sm = cos2_alpha != 0 ? cos_sigma - 2 * sinU1 * sinU2 / cos2_alpha : 0;   /* on the equator */
    double C = WGS84_F / 16 * cos2_alpha * (4 + WGS84_F * (4 - 3 * cos2_alpha));
    double previous = lambda;
    lambda = L + (1 - C) * WGS84_F * sin_alpha *
                     (sigma + C * sin_sigma * (cos_2sm + C * cos_sigma * (-1 + 2 * cos_2sm * cos_2sm)));
    if (fabs(lambda - previous) < 1e-12) {
      double u2 = cos2_alpha * (WGS84_A * WGS84_A - WGS84_B * WGS84_B) / (WGS84_B * WGS84_B);
      double A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      double B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      double ds = B * sin_sigma *
                  (cos_2sm + B / 4 * (cos_sigma * (-1 + 2 * cos_2sm * cos_2sm) -
                                      B / 6 * cos_2sm * (-3 + 4 * sin_sigma * sin_sigma) *
                                          (-3 + 4 * cos_2sm * cos_2sm)));
      return WGS84_B * A * (sigma - ds);
    }
  }
  return -1;
}
