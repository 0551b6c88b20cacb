/*
** Every capability's route table, in one visible list. A capability adds
** one line here. Static files come last: they match any path. Below, the
** routes whose bodies are not small JSON forms.
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

const struct http_body_rule http_body_rules[] = {
  {"POST", "/api/login", 4096, 0},   /* a name and a password */
  {"POST", "/api/reports/{id}/attachments", ATTACHMENT_MAX_BYTES, 0},
  {"POST", "/api/completions/{id}/attachments", ATTACHMENT_MAX_BYTES, 0},
  {"POST", "/api/water/sections", HTTP_BODY_SERVER_MAX, 0},   /* CSV imports */
  {"POST", "/api/water/readings", HTTP_BODY_SERVER_MAX, 0},
  {"POST", "/api/water/classify", HTTP_BODY_SERVER_MAX, 1},   /* ~0.14 s of CPU per MiB */
  {NULL, NULL, 0, 0},
};
