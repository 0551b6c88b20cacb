/*
** The supervision capability's HTTP routes, in three tables: tasks and
** reports (tasks_api.c), the supervision workflow (workflow_api.c), the
** dashboard and the annual assessment (overview_api.c).
*/
#ifndef QS_SUPERVISION_API_H
#define QS_SUPERVISION_API_H
#include "http/server.h"

extern const struct http_route supervision_task_routes[];
extern const struct http_route supervision_workflow_routes[];
extern const struct http_route supervision_overview_routes[];

#endif
