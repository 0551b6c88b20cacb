/*
** GET /api/geo?kind=river|reservoir|zone: the imported features for the
** map, each {id, kind, name, code, geometry} with its GeoJSON geometry.
** Public, as the water pages are.
*/
#include "geo/api.h"
#include "geo/geo.h"
#include "db/rows.h"

static void list_features(struct http_request *req, struct http_response *res) {
  const char *kind = http_query(req, "kind");
  enum geo_kind k;
  if (kind && geo_kind_parse(kind, &k)) {
    http_reply_error(res, 400, "invalid_parameter", "kind='%s' must be river, reservoir or zone", kind);
    return;
  }
  json_t *rows = db_query_rows(req->db,
      "SELECT id, kind, name, code, geometry AS geometry_json FROM geo_feature "
      "WHERE ?1 IS NULL OR kind = ?1 ORDER BY kind, name", "s", kind);
  if (!rows) {
    http_reply_error(res, 500, "database_error", "%s", sqlite3_errmsg(req->db));
    return;
  }
  http_reply_json(res, 200, json_pack("{s:o}", "features", rows));
}

const struct http_route geo_routes[] = {
  {"GET", "/api/geo", list_features, ROUTE_PUBLIC},
  {NULL, NULL, NULL, 0},
};
