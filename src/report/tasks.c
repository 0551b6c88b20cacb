/*
** The year's task list as a printable document (report.h): the same rows
** GET /api/tasks returns, each with its lead unit and its light named.
*/
#include "report/report.h"
#include "supervision/view.h"
#include "util/buf.h"
#include <stdio.h>
#include <string.h>

static const struct table_column task_cols[] = {
  {"措施", "Measure", "measure_ordinal", TABLE_INT, 0, NULL}, {"任务", "Task", "title", TABLE_WRAP, 0, NULL},
  {"牵头单位", "Lead unit", "lead", TABLE_TEXT, 0, NULL}, {"开始", "Starts", "start_on", TABLE_TEXT, 0, NULL},
  {"截止", "Due", "due_on", TABLE_TEXT, 0, NULL},
  {"进度（%）", "Progress (%)", "percent", TABLE_FIXED, 0, NULL},
  {"应达（%）", "Expected (%)", "light.expected", TABLE_FIXED, 0, NULL},
  {"灯色", "Light", "light_label", TABLE_TEXT, 0, NULL}};

static const char *light_label(const char *color, enum table_lang lang) {
  static const char *const names[][3] = {
    {"green", "正常", "on track"}, {"yellow", "预警", "warning"}, {"red", "滞后", "behind"}, {"done", "办结", "done"}};
  for (size_t i = 0; color && i < sizeof names / sizeof names[0]; i++)
    if (!strcmp(names[i][0], color)) return names[i][lang == TABLE_EN ? 2 : 1];
  return "—";
}

static json_t *task_rows(json_t *tasks, enum table_lang lang) {
  size_t i, k;
  json_t *t, *u;
  json_array_foreach(tasks, i, t) {
    struct buf lead = {0};
    json_array_foreach(json_object_get(t, "units"), k, u)
      if (!strcmp(json_string_value(json_object_get(u, "role")), "lead"))
        buf_printf(&lead, "%s%s", lead.len ? "、" : "", json_string_value(json_object_get(u, "name")));
    json_object_set_new(t, "lead", json_string(buf_str(&lead)));
    json_object_set_new(t, "light_label", json_string(light_label(
        json_string_value(json_object_get(json_object_get(t, "light"), "color")), lang)));
    buf_free(&lead);
  }
  return tasks;
}

void report_tasks_doc(sqlite3 *db, const struct task_filter *f, enum table_lang lang, struct table_doc *d) {
  memset(d, 0, sizeof *d);
  d->lang = lang;
  snprintf(d->stem, sizeof d->stem, "%s", table_word(d, "年度任务清单", "tasks"));
  snprintf(d->period, sizeof d->period, "%d", f->year);
  table_add_sheet(d, table_word(d, "任务", "Tasks"), task_cols, (int)(sizeof task_cols / sizeof task_cols[0]),
                  task_rows(task_list_json(db, f), lang),
                  table_word(d, "%d 年度实施方案任务清单（十政办发〔2018〕8号）",
                             "Tasks of the implementation plan, %d (十政办发〔2018〕8号)"), f->year);
}
