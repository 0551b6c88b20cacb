/*
** Who may do what with a task. Admins change everything; leaders read
** everything; a unit's accounts read and act on the tasks their unit owns,
** as lead (牵头) or support (责任) unit.
*/
#ifndef QS_SUPERVISION_ACCESS_H
#define QS_SUPERVISION_ACCESS_H
#include "auth/principal.h"
#include <sqlite3.h>

enum task_role { TASK_ROLE_NONE, TASK_ROLE_SUPPORT, TASK_ROLE_LEAD };

/* The role of UNIT_ID in TASK_ID. */
enum task_role task_role_of(sqlite3 *db, long long task_id, long long unit_id);

/* 1 if WHO may read TASK_ID (and its reports, notices and attachments). */
int may_read_task(sqlite3 *db, const struct principal *who, long long task_id);

#endif
