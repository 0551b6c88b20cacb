/*
** JSON API of online monitoring (api.h): stations with their online state,
** one station's latest values, a pollutant's readings for a chart, the
** receiver's refusal counters; registering and removing stations (admin).
**
** Times: created_at, last_packet_at and received_at are the platform's
** clock, ISO 8601 UTC 'YYYY-MM-DDTHH:MM:SSZ' as everywhere in the API;
** data_time is the station's DataTime, China's local time, as sent, as
** 'YYYY-MM-DD HH:MM:SS' with no zone. The tables hold seconds (migration
** 0010), turned to text with strftime/datetime(..., 'unixepoch').
*/
#include "hj212/api.h"
#include "db/db.h"
#include "db/rows.h"
#include "hj212/receiver.h"
#include "hj212/station.h"
#include "util/buf.h"
#include "util/embedded.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_OFFLINE_AFTER 600   /* seconds: two missed 5-minute uploads and some */
#define DEFAULT_POINTS 1000
#define MAX_POINTS 20000
#define DEFAULT_DAYS "7"           /* of readings when no lower bound is given */

/* SQL turning a UTC time (text or unix seconds) into the API's ISO 8601 UTC. */
#define UTC_ISO(x) "strftime('%Y-%m-%dT%H:%M:%SZ', " x ")"
#define UTC_ISO_EPOCH(x) "strftime('%Y-%m-%dT%H:%M:%SZ', " x ", 'unixepoch')"

/* The station's columns (never the password) and its online state against
** the threshold bound as ?1. */
#define STATION_COLUMNS                                                                   \
  "s.id, s.mn, s.name, s.st, s.kind, s.owner, s.lon, s.lat, " UTC_ISO("s.created_at") " AS created_at, " \
  UTC_ISO("s.last_packet_at") " AS last_packet_at, "                                      \
  "CAST(strftime('%s', 'now') - strftime('%s', s.last_packet_at) AS INTEGER) "            \
  "AS seconds_since_last_packet, "                                                        \
  "coalesce(strftime('%s', 'now') - strftime('%s', s.last_packet_at) <= ?1, 0) AS online"

/* ---- the factor table, for names and units ---- */

static struct hj212_codes *factor_table;
static pthread_once_t codes_once = PTHREAD_ONCE_INIT;

static void load_codes(void) {
  const struct embedded_file *f = embedded_find("data/hj212/factor_codes.csv");
  char err[160];
  factor_table = f ? hj212_codes_load((const char *)f->data, f->size, err, sizeof err) : NULL;
  if (!factor_table) fprintf(stderr, "qingshui: hj212 api: factor_codes.csv: %s\n", f ? err : "not embedded");
}

/* Add the code's name and unit (from the standard's table) to ROW. */
static void describe_code(json_t *row) {
  pthread_once(&codes_once, load_codes);
  const char *code = json_string_value(json_object_get(row, "code"));
  const struct hj212_code *c = factor_table && code ? hj212_codes_find(factor_table, code, strlen(code)) : NULL;
  json_object_set_new(row, "name", c ? json_string(c->name) : json_null());
  json_object_set_new(row, "unit", c ? json_string(c->unit) : json_null());
}

/* ---- parameters ---- */

static int digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

/* A time bound NAME as 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' or with 'T':
** written into OUT as 'YYYY-MM-DD HH:MM:SS' (a date alone is the start of
** the day for from, its end for to). DEF when absent; -1 and 400 if bad. */
static int time_param(struct http_request *req, struct http_response *res, const char *name,
                      const char *def, char out[20]) {
  const char *v = http_query(req, name);
  if (!v) { snprintf(out, 20, "%s", def); return 0; }
  size_t n = strlen(v);
  int date_ok = (n == 10 || n == 19) && digits(v, 4) && v[4] == '-' && digits(v + 5, 2) &&
                v[7] == '-' && digits(v + 8, 2);
  int time_ok = n == 10 || (n == 19 && (v[10] == ' ' || v[10] == 'T') && digits(v + 11, 2) && v[13] == ':' &&
                            digits(v + 14, 2) && v[16] == ':' && digits(v + 17, 2));
  if (!date_ok || !time_ok) {
    http_reply_error(res, 400, "invalid_parameter",
                     "%s='%s' must be YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (station's local time)", name, v);
    return -1;
  }
  snprintf(out, 20, "%.10s %s", v, n == 19 ? v + 11 : strcmp(name, "to") ? "00:00:00" : "23:59:59");
  return 0;
}

/* What the station serves, from the view of migration 0015: its sections
** (and, once they exist, outlets), each {kind, id, name, lon, lat}. */
#define SERVES_COLUMN                                                                     \
  "(SELECT json_group_array(json_object('kind', 'section', 'id', w.id, 'name', w.name, "  \
  "  'lon', w.lon, 'lat', w.lat)) FROM station_section l "                                \
  "  JOIN water_section w ON w.id = l.section_id WHERE l.station_id = s.id) AS serves_json"

/* A station row as the API gives it: the online flag as a JSON boolean
   (SQLite gives 0/1) and the name of its system code (st_name, or null). */
static void describe_station(json_t *station) {
  json_t *v = json_object_get(station, "online");
  json_object_set_new(station, "online", json_boolean(json_integer_value(v) != 0));
  const char *name = hj212_system_name(json_string_value(json_object_get(station, "st")));
  json_object_set_new(station, "st_name", name ? json_string(name) : json_null());
}

/* ---- reads ---- */

static void list_stations(struct http_request *req, struct http_response *res) {
  long long after = http_query_int(req, res, "offline_after", 1, 31536000, DEFAULT_OFFLINE_AFTER);
  if (after < 0) return;
  json_t *rows = db_query_rows(req->db,
      "SELECT " STATION_COLUMNS ", " SERVES_COLUMN ", (SELECT count(*) FROM hj212_station_code c "
      "WHERE c.station_id = s.id) AS mapped_codes FROM hj212_station_seen s ORDER BY s.id", "i", after);
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) describe_station(row);
  http_reply_json(res, 200, json_pack("{s:I,s:o}", "offline_after", after, "stations", rows));
}

/* Station ID with its state, or NULL (and a 404 reply). */
static json_t *station_row(struct http_request *req, struct http_response *res, long long id,
                           long long offline_after) {
  json_t *s = db_query_row(req->db, "SELECT " STATION_COLUMNS ", " SERVES_COLUMN
                           " FROM hj212_station_seen s WHERE s.id = ?2",
                           "ii", offline_after, id);
  if (!s) http_reply_error(res, 404, "not_found", "station %lld does not exist", id);
  else describe_station(s);
  return s;
}

static void get_station(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  long long after = id ? http_query_int(req, res, "offline_after", 1, 31536000, DEFAULT_OFFLINE_AFTER) : -1;
  json_t *s = after < 0 ? NULL : station_row(req, res, id, after);
  if (!s) return;
  json_object_set_new(s, "codes", db_query_rows(req->db,
      "SELECT code, indicator FROM hj212_station_code WHERE station_id = ? ORDER BY code", "i", id));
  /* the newest value of each code: the newest packets of each CN
     (hj212_latest), looked up by the packet key */
  json_t *latest = db_query_rows(req->db,
      "WITH r AS (SELECT datetime(p.data_time, 'unixepoch') AS data_time, p.cn, "
      "  " UTC_ISO_EPOCH("p.received_at") " AS received_at, j.key AS code, j.value AS v "
      "  FROM hj212_latest l JOIN hj212_packet p ON p.data_time = l.data_time "
      "  AND p.station_id = l.station_id AND p.cn = l.cn, json_each(p.readings) j "
      "  WHERE l.station_id = ?1) "
      "SELECT r.code, coalesce(v ->> 'sent', r.code) AS code_sent, c.indicator, "
      "  (v ->> 'unknown') IS NULL AS known, max(r.data_time) AS data_time, r.cn, "
      "  v ->> 'Rtd' AS rtd, v ->> 'Avg' AS avg, v ->> 'Min' AS min, v ->> 'Max' AS max, "
      "  v ->> 'Cou' AS cou, v ->> 'Flag' AS flag, r.received_at "
      "FROM r LEFT JOIN hj212_station_code c ON c.station_id = ?1 AND c.code = r.code "
      "GROUP BY r.code ORDER BY r.code", "i", id);
  size_t i;
  json_t *row;
  json_array_foreach(latest, i, row) describe_code(row);
  json_object_set_new(s, "latest", latest);
  http_reply_json(res, 200, s);
}

static int code_ok(const char *code) {
  size_t n = code ? strlen(code) : 0;
  if (n == 0 || n > 16) return 0;
  for (size_t i = 0; i < n; i++)
    if (!strchr("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_", code[i])) return 0;
  return 1;
}

/* Bounds left out ("") default to the station's newest DataTime and
** DEFAULT_DAYS before the upper bound: the packet key is time first, so a
** range costs what every station sent in it, and an open one would read
** back through all of history for a station that stopped reporting. */
static int default_range(sqlite3 *db, long long id, char from[20], char to[20]) {
  json_t *r = db_query_row(db,
      "WITH t AS (SELECT coalesce(nullif(?2, ''), (SELECT datetime(max(data_time), 'unixepoch') "
      "  FROM hj212_latest WHERE station_id = ?1), '0000-01-01 00:00:00') AS upper) "
      "SELECT upper, coalesce(nullif(?3, ''), datetime(upper, '-" DEFAULT_DAYS " days'), "
      "  '0000-01-01 00:00:00') AS lower FROM t", "iss", id, to, from);
  if (!r) return -1;
  snprintf(to, 20, "%s", json_string_value(json_object_get(r, "upper")));
  snprintf(from, 20, "%s", json_string_value(json_object_get(r, "lower")));
  json_decref(r);
  return 0;
}

/* Whether station ID reports CODE: a code mapped to an indicator, or one
** in its newest packets (hj212_latest, by the packet key). The packet key
** is time first, so reading a range costs what every station sent in it:
** a code the station does not report is answered without that read. A
** code dropped from both (neither mapped nor still sent) is not looked
** for in older packets. -1 on a database error. */
static int station_reports(sqlite3 *db, long long id, const char *code) {
  json_t *r = db_query_row(db,
      "SELECT EXISTS (SELECT 1 FROM hj212_station_code WHERE station_id = ?1 AND code = ?2) "
      "  OR EXISTS (SELECT 1 FROM hj212_latest l JOIN hj212_packet p ON p.data_time = l.data_time "
      "    AND p.station_id = l.station_id AND p.cn = l.cn "
      "    WHERE l.station_id = ?1 AND p.readings -> ?2 IS NOT NULL) AS reported", "is", id, code);
  int reported = r ? (int)json_integer_value(json_object_get(r, "reported")) : -1;
  json_decref(r);
  return reported;
}

static void get_readings(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  if (!id) return;
  const char *code = http_query(req, "code");
  char from[20], to[20];
  long long limit = http_query_int(req, res, "limit", 1, MAX_POINTS, DEFAULT_POINTS);
  long long cn = limit < 0 ? -1 : http_query_int(req, res, "cn", 0, 9999, 0);
  if (cn < 0 || time_param(req, res, "from", "", from) || time_param(req, res, "to", "", to))
    return;
  if (!code_ok(code)) {
    http_reply_error(res, 400, "invalid_parameter", "code='%s' must be a pollutant code such as w01018",
                     code ? code : "");
    return;
  }
  json_t *s = station_row(req, res, id, DEFAULT_OFFLINE_AFTER);
  if (!s) return;
  json_decref(s);
  int reported = station_reports(req->db, id, code);
  if (reported < 0 || default_range(req->db, id, from, to)) {
    http_reply_error(res, 500, "database_error", "%s", sqlite3_errmsg(req->db));
    return;
  }
  /* the newest LIMIT points of the range, returned oldest first: the
     packet key's range of DataTime, read backwards until LIMIT are found */
  json_t *points = !reported ? json_array() : db_query_rows(req->db,
      "SELECT datetime(data_time, 'unixepoch') AS data_time, cn, rtd, avg, min, max, cou, flag "
      "FROM (SELECT p.data_time, p.cn, v ->> 'Rtd' AS rtd, v ->> 'Avg' AS avg, "
      "  v ->> 'Min' AS min, v ->> 'Max' AS max, v ->> 'Cou' AS cou, v ->> 'Flag' AS flag "
      "  FROM (SELECT data_time, cn, readings -> ?2 AS v FROM hj212_packet "
      "    WHERE data_time BETWEEN unixepoch(?3) AND unixepoch(?4) AND station_id = ?1 "
      "    AND (?5 = 0 OR cn = ?5)) p "
      "  WHERE v IS NOT NULL ORDER BY p.data_time DESC, p.cn LIMIT ?6) ORDER BY data_time, cn",
      "isssii", id, code, from, to, cn, limit);
  json_t *out = json_pack("{s:I,s:s,s:s,s:s,s:o,s:b}", "station_id", id, "code", code, "from", from,
                          "to", to, "points", points,
                          "truncated", json_array_size(points) == (size_t)limit);
  json_t *mapped = db_query_row(req->db, "SELECT indicator FROM hj212_station_code "
                                "WHERE station_id = ? AND code = ?", "is", id, code);
  json_object_set(out, "indicator", mapped ? json_object_get(mapped, "indicator") : json_null());
  json_decref(mapped);
  describe_code(out);
  http_reply_json(res, 200, out);
}

static void get_refused(struct http_request *req, struct http_response *res) {
  (void)req;
  struct hj212_counters c;
  hj212_receiver_counters(&c);
  json_t *reasons = json_array();
  unsigned long long total = 0;
  for (int r = 1; r < HJ212_REASON_COUNT; r++) {
    json_array_append_new(reasons, json_pack("{s:s,s:s,s:I}", "reason",
        hj212_reason_name((enum hj212_reason)r), "text", hj212_reason_text((enum hj212_reason)r),
        "count", (json_int_t)c.refused[r]));
    total += c.refused[r];
  }
  http_reply_json(res, 200, json_pack("{s:o,s:I,s:I,s:I,s:I}", "refused", reasons, "refused_total",
      (json_int_t)total, "accepted", (json_int_t)c.accepted, "committed", (json_int_t)c.committed,
      "connections", (json_int_t)c.connections));
}

/* ---- writes (admin) ---- */

/* {"w01018": "COD", ...} as "w01018=COD ..." (station_check validates it);
** NULL when CODES is absent, or with *BAD set when it is not such an object. */
static char *codes_text(json_t *codes, int *bad) {
  *bad = 0;
  if (!codes) return NULL;
  struct buf b = {0};
  const char *code;
  json_t *v;
  *bad = !json_is_object(codes);
  json_object_foreach(codes, code, v) {
    const char *ind = json_string_value(v);
    if (!ind || !*ind || strpbrk(ind, " =") || strpbrk(code, " =")) *bad = 1;
    else buf_printf(&b, "%s%s=%s", b.len ? " " : "", code, ind);
  }
  if (*bad || !b.len) { buf_free(&b); return NULL; }
  return b.data;
}

/* A coordinate field NAME of the body: absent or null leaves *OUT NULL, a
** number is written into TEXT for station_check; anything else is a 400. */
static int degrees_text(struct http_response *res, const char *name, const json_t *v, char text[32],
                        const char **out) {
  *out = NULL;
  if (!v || json_is_null(v)) return 0;
  if (!json_is_number(v)) {
    http_reply_error(res, 400, "invalid_field", "%s: a number of decimal degrees", name);
    return -1;
  }
  snprintf(text, 32, "%.17g", json_number_value(v));
  *out = text;
  return 0;
}

/* Insert DEF (audited) in one transaction; the new id or -1 with ERR. */
static long long insert_station(struct http_request *req, const struct station_def *def, char *err,
                                size_t errlen) {
  if (db_begin(req->db) != SQLITE_OK) { snprintf(err, errlen, "%s", sqlite3_errmsg(req->db)); return -1; }
  long long id = station_insert(req->db, def, req->actor, err, errlen);
  if (id > 0 && db_commit(req->db) == SQLITE_OK) return id;
  db_rollback(req->db);
  return -1;
}

static void post_station(struct http_request *req, struct http_response *res) {
  struct station_def def = {.kind = "water_section"};
  json_t *codes = NULL, *lon = NULL, *lat = NULL;
  json_t *body = http_body_unpack(req, res, "{s:s,s:s,s:s,s:s,s?s,s?s,s?o,s?o,s?o}", "mn", &def.mn,
                                  "password", &def.password, "st", &def.st, "name", &def.name,
                                  "kind", &def.kind, "owner", &def.owner, "codes", &codes,
                                  "lon", &lon, "lat", &lat);
  if (!body) return;
  char lon_text[32], lat_text[32];
  if (degrees_text(res, "lon", lon, lon_text, &def.lon) || degrees_text(res, "lat", lat, lat_text, &def.lat)) {
    json_decref(body);
    return;
  }
  int bad;
  char *text = codes_text(codes, &bad);
  def.codes = text;
  char err[512];
  json_t *dup = bad ? NULL : db_query_row(req->db, "SELECT id FROM hj212_station WHERE mn = ?", "s", def.mn);
  long long id = -1;
  if (bad) http_reply_error(res, 400, "invalid_field", "codes: an object of code: indicator, e.g. {\"w01018\": \"COD\"}");
  else if (dup) http_reply_error(res, 409, "conflict", "a station with MN %s exists", def.mn);
  else if (station_check(&def, err, sizeof err)) http_reply_error(res, 400, "invalid_field", "%s", err);
  else if ((id = insert_station(req, &def, err, sizeof err)) < 0)
    http_reply_error(res, 500, "database_error", "station %s: %s", def.mn, err);
  if (id > 0) {
    json_t *s = station_row(req, res, id, DEFAULT_OFFLINE_AFTER);
    if (s) http_reply_json(res, 201, s);
  }
  json_decref(dup);
  free(text);
  json_decref(body);
}

static void delete_station(struct http_request *req, struct http_response *res) {
  long long id = http_param_id(req, res, 0);
  if (!id) return;
  char err[256] = "";
  json_t *before = db_query_row(req->db, "SELECT mn FROM hj212_station WHERE id = ?", "i", id);
  if (!before) { http_reply_error(res, 404, "not_found", "station %lld does not exist", id); return; }
  int n = -1;
  if (db_begin(req->db) == SQLITE_OK) {
    n = station_remove(req->db, NULL, id, req->actor, err, sizeof err);
    if (n != 1 || db_commit(req->db) != SQLITE_OK) { db_rollback(req->db); n = -1; }
  }
  if (n != 1)
    http_reply_error(res, 500, "database_error", "removing station %lld: %s", id,
                     err[0] ? err : sqlite3_errmsg(req->db));
  else
    http_reply_json(res, 200, json_pack("{s:I,s:O}", "deleted", id, "mn", json_object_get(before, "mn")));
  json_decref(before);
}

const struct http_route hj212_routes[] = {
  {"GET", "/api/stations", list_stations, ROUTE_UNIT},
  {"POST", "/api/stations", post_station, ROUTE_ADMIN},
  {"GET", "/api/stations/{id}", get_station, ROUTE_UNIT},
  {"DELETE", "/api/stations/{id}", delete_station, ROUTE_ADMIN},
  {"GET", "/api/stations/{id}/readings", get_readings, ROUTE_UNIT},
  {"GET", "/api/hj212/refused", get_refused, ROUTE_UNIT},
  {NULL, NULL, NULL, 0},
};
