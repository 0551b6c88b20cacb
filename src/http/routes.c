/*
** Every capability's route table, in one visible list. A capability adds
** one line here. Static files come last: they match any path.
*/
#include "http/routes.h"
#include "auth/api.h"
#include "hj212/api.h"
#include "plan/api.h"
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
  static_routes,
  NULL,
};
