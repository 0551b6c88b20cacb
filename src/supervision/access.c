/*
** Access to tasks (access.h).
*/
#include "supervision/access.h"
#include <string.h>

enum task_role task_role_of(sqlite3 *db, long long task_id, long long unit_id) {
  sqlite3_stmt *st = NULL;
  enum task_role role = TASK_ROLE_NONE;
  if (sqlite3_prepare_v2(db, "SELECT role FROM task_unit WHERE task_id = ? AND unit_id = ?",
                         -1, &st, NULL) != SQLITE_OK) return role;
  sqlite3_bind_int64(st, 1, task_id);
  sqlite3_bind_int64(st, 2, unit_id);
  if (sqlite3_step(st) == SQLITE_ROW)
    role = strcmp((const char *)sqlite3_column_text(st, 0), "lead") ? TASK_ROLE_SUPPORT : TASK_ROLE_LEAD;
  sqlite3_finalize(st);
  return role;
}

int may_read_task(sqlite3 *db, const struct principal *who, long long task_id) {
  if (who->level >= ACCESS_LEADER) return 1;
  return who->level == ACCESS_UNIT && task_role_of(db, task_id, who->unit_id) != TASK_ROLE_NONE;
}
