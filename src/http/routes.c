/*
** Every capability's route table, in one visible list. A capability adds
** one line here, and one line in http_route_capabilities. Static files
** come last: they match any path. Below, the routes whose bodies are not
** small JSON forms.
*/
#include "http/routes.h"
#include "auth/api.h"
#include "geo/api.h"
#include "hj212/api.h"
#include "plan/api.h"
#include "supervision/attachments.h"
#include "supervision/api.h"
#include "water/api.h"
#include "report/api.h"

const struct http_route *const http_route_tables[] = {
  core_routes,
  auth_routes,
  plan_routes,
  supervision_task_routes,
  supervision_workflow_routes,
  supervision_overview_routes,
  water_routes,
  report_routes,
  hj212_routes,
  geo_routes,
  static_routes,
  NULL,
};

/* Line for line with http_route_tables: what each table is, and whether
** it runs on PostgreSQL (its SQL ported to db/sql.h; docs/scale.md). */
const struct http_capability http_route_capabilities[] = {
  {"core", 1},
  {"accounts and sessions", 1},
  {"plan and units", 0},
  {"supervision tasks", 0},
  {"supervision workflow", 0},
  {"supervision overview", 0},
  {"water", 0},
  {"reports", 0},
  {"HJ 212 stations", 0},
  {"map layers", 0},
  {"web UI files", 1},
};

const struct http_body_rule http_body_rules[] = {
  {"POST", "/api/login", 4096, 0},   /* a name and a password */
  {"POST", "/api/reports/{id}/attachments", ATTACHMENT_MAX_BYTES, 0},
  {"POST", "/api/completions/{id}/attachments", ATTACHMENT_MAX_BYTES, 0},
  {"POST", "/api/water/sections", HTTP_BODY_SERVER_MAX, 0},   /* CSV imports */
  {"POST", "/api/water/readings", HTTP_BODY_SERVER_MAX, 0},
  {"POST", "/api/water/classify", HTTP_BODY_SERVER_MAX, 1},   /* ~0.14 s of CPU per MiB */
  {NULL, NULL, 0, 0},
};

_Static_assert(sizeof http_route_capabilities / sizeof http_route_capabilities[0] ==
                   sizeof http_route_tables / sizeof http_route_tables[0] - 1,
               "one capability line per route table");
