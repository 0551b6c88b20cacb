/*
** Rivers, reservoirs and zones from GeoJSON (issue 14): the pure parser
** and validator (parse.c), the store (store.c), `qingshui geo import`
** (cli.c) and GET /api/geo (api.c).
*/
#ifndef QS_GEO_H
#define QS_GEO_H
#include <stddef.h>

/* The most `geo import` reads: a county's rivers simplified for a map are
** a few MiB; a survey-grade file is simplified before import. */
#define GEO_FILE_MAX ((size_t)64 << 20)

enum geo_kind { GEO_RIVER, GEO_RESERVOIR, GEO_ZONE };

/* One imported feature; strings malloc'd. GEOMETRY is the feature's
** geometry object as compact JSON text. */
struct geo_feature {
  char *name, *code, *geometry;
};

struct geo_features {
  struct geo_feature *items;
  size_t count;
};

/* What to read: the kind (a zone must be an area) and the properties that
** hold each feature's name (required) and code (optional). */
struct geo_options {
  enum geo_kind kind;
  const char *name_property, *code_property;
};

/* Why a file was refused: FEATURE is the index of the feature in the
** collection's features array (from 0), or -1 when the file as a whole is
** wrong (not JSON: LINE says where). */
struct geo_error {
  long feature;
  int line;
  char reason[256];
};

/* Whether V is a latitude (LAT) or a longitude in decimal degrees:
** -90..90, -180..180. */
int geo_degrees_ok(int lat, double v);

/* "river", "reservoir", "zone" into *KIND; -1 for any other word. */
int geo_kind_parse(const char *word, enum geo_kind *kind);
const char *geo_kind_name(enum geo_kind kind);

/* Parse the FeatureCollection in TEXT (LEN bytes) into OUT, checking every
** geometry: LineString, MultiLineString, Polygon or MultiPolygon (a zone:
** only areas), positions of 2 or 3 numbers within -180..180 and -90..90,
** at least 2 positions a line, rings of at least 4 positions that close,
** a name that no other feature of the file has; at least one feature.
** 0, or -1 with ERR (and
** OUT empty) at the first problem. */
int geo_parse(const char *text, size_t len, const struct geo_options *opt,
              struct geo_features *out, struct geo_error *err);

void geo_features_free(struct geo_features *features);

#endif
