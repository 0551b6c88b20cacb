/*
** Excel exports (export.h). Each table is first built as the same JSON the
** API returns, then written column by column, so the workbook and the page
** cannot disagree. libxlsxwriter 1.1.4 writes only to files, hence the
** temporary file read back into memory.
*/
#include "water/export.h"
#include "util/buf.h"
#include "util/file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* A column: its heading and the JSON key (a "a.b" path for nested keys). */
struct column {
  const char *heading;
  const char *key;
};

static json_t *lookup(json_t *row, const char *key) {
  const char *dot = strchr(key, '.');
  if (!dot) return json_object_get(row, key);
  char head[64];
  snprintf(head, sizeof head, "%.*s", (int)(dot - key), key);
  return lookup(json_object_get(row, head), dot + 1);
}

/* A cell from V: a JSON null (a rate of 0 of 0, a class not judged) is
** written "—"; a missing key leaves the cell empty. */
static void write_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *v) {
  if (json_is_null(v)) worksheet_write_string(ws, r, c, "—", NULL);
  else if (json_is_string(v)) worksheet_write_string(ws, r, c, json_string_value(v), NULL);
  else if (json_is_number(v)) worksheet_write_number(ws, r, c, json_number_value(v), NULL);
  else if (json_is_boolean(v)) worksheet_write_string(ws, r, c, json_is_true(v) ? "是" : "否", NULL);
}

static void write_sheet(lxw_workbook *wb, const char *name, json_t *rows,
                        const struct column *cols, int ncols) {
  lxw_worksheet *ws = workbook_add_worksheet(wb, name);
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (int c = 0; c < ncols; c++) {
    worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c].heading, bold);
    worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, 14, NULL);
  }
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row)
    for (int c = 0; c < ncols; c++)
      write_cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, lookup(row, cols[c].key));
}

static const struct column overview_cols[] = {
  {"断面", "name"}, {"河流", "river"}, {"水体类型", "body"}, {"级别", "level"},
  {"区县", "county"}, {"目标类别", "target_class"}, {"示例目标", "target_demo"},
  {"有数据天数", "coverage.text"}, {"状态", "coverage.label"}, {"类别", "month_result.label"}, {"评价", "month_result.rating"},
  {"主要污染物", "month_result.main_pollutants"}};
static const struct column monthly_cols[] = {
  {"区县", "county"}, {"断面", "section"}, {"状态", "status_label"}, {"有数据天数", "coverage.text"},
  {"类别", "label"}, {"目标", "target"}, {"合格", "pass"}, {"计算过程", "line"}};
static const struct column county_cols[] = {
  {"区县", "county"}, {"状态", "status_label"}, {"有数据断面月", "coverage.text"},
  {"监测断面月数", "months"}, {"合格月数", "passed"}, {"达标率", "rate"},
  {"得分", "points"}, {"等级", "grade"}, {"区域限批", "freeze"},
  {"保证金", "deposit.amount"}, {"保证金处理", "deposit.action"}, {"罚款", "penalty"}};
static const struct column line_cols[] = {{"区县", "county"}, {"计算过程", "line"}};
static const struct column alarm_cols[] = {
  {"编号", "id"}, {"断面", "section"}, {"指标", "item"}, {"时间", "at"}, {"值", "value"},
  {"类别", "class"}, {"目标", "target_class"}, {"状态", "state"}, {"确认人", "acknowledged_by"},
  {"确认时间", "acknowledged_at"}, {"关闭人", "closed_by"}, {"关闭时间", "closed_at"}};
#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))

/* The assessment's lines flattened to rows {county, line}. */
static json_t *assessment_lines(json_t *counties) {
  json_t *rows = json_array();
  size_t i, k;
  json_t *c, *line;
  json_array_foreach(counties, i, c)
    json_array_foreach(json_object_get(c, "lines"), k, line)
      json_array_append_new(rows, json_pack("{s:O,s:O}", "county", json_object_get(c, "county"),
                                            "line", line));
  return rows;
}

/* Build TABLE's JSON and write its sheets; -1 if TABLE is unknown. */
static int fill(lxw_workbook *wb, sqlite3 *db, const struct water_standard *s,
                const struct water_export_args *a, const char *table, char *err, size_t errlen) {
  json_t *j = NULL;
  if (!strcmp(table, "overview") && (j = water_overview_json(db, s, a->month, &a->rule->minimum, a->today)))
    write_sheet(wb, "水质概况", json_object_get(j, "sections"), overview_cols, NCOLS(overview_cols));
  else if (!strcmp(table, "monthly") && a->month && (j = water_month_json(db, s, a->rule, a->month, a->today)))
    write_sheet(wb, "月度考核", json_object_get(j, "rows"), monthly_cols, NCOLS(monthly_cols));
  else if (!strcmp(table, "assessment") && a->year && (j = water_assess_json(db, s, a->rule, a->year, a->today))) {
    json_t *counties = json_object_get(j, "counties"), *lines = assessment_lines(counties);
    write_sheet(wb, "年度考核", counties, county_cols, NCOLS(county_cols));
    write_sheet(wb, "计算过程", lines, line_cols, NCOLS(line_cols));
    json_decref(lines);
  } else if (!strcmp(table, "alarms") && (j = water_alarms_json(db, NULL)))
    write_sheet(wb, "告警", j, alarm_cols, NCOLS(alarm_cols));
  if (j) {
    json_decref(j);
    return 0;
  }
  snprintf(err, errlen, "table '%s' unknown or missing its month/year (overview, "
           "monthly?month=YYYY-MM, assessment?year=YYYY, alarms)", table);
  return -1;
}

char *water_export_xlsx(sqlite3 *db, const struct water_standard *s,
                        const struct water_export_args *a, size_t *len,
                        char *err, size_t errlen) {
  char table[32];
  snprintf(table, sizeof table, "%s", a->table);
  char *dot = strstr(table, ".xlsx");
  if (dot) *dot = 0;
  char path[] = "/tmp/qingshui-export-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create a temporary file");
    return NULL;
  }
  close(fd);
  lxw_workbook *wb = workbook_new(path);
  char *out = NULL;
  if (wb && !fill(wb, db, s, a, table, err, errlen)) {
    if (workbook_close(wb) == LXW_NO_ERROR) out = file_read(path, len);
    else snprintf(err, errlen, "cannot write the workbook");
  } else if (wb) {
    workbook_close(wb);
  }
  unlink(path);
  return out;
}
