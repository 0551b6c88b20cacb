/*
** The water tables as printable documents (export.h). Each table is first
** built as the same JSON the API returns, then its codes are named (河流,
** 国控, 溶解氧, 返还) and it is handed to the shared writers: Excel
** (util/xlsx.c) and PDF (report/pdf.c).
*/
#include "water/export.h"
#include "water/quality.h"
#include "util/xlsx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct table_column overview_cols[] = {
  {"断面", "Section", "name", TABLE_TEXT, 0, NULL}, {"河流", "River", "river", TABLE_TEXT, 0, NULL},
  {"水体类型", "Water body", "body", TABLE_TEXT, 0, NULL}, {"级别", "Level", "level", TABLE_TEXT, 0, NULL},
  {"区县", "County", "county", TABLE_TEXT, 0, NULL},
  {"目标类别", "Target class", "target_label", TABLE_TEXT, 0, NULL},
  {"示例目标", "Demo target", "target_demo", TABLE_BOOL, 0, NULL},
  {"有数据天数", "Days with data", "coverage.text", TABLE_TEXT, 0, NULL},
  {"状态", "Status", "coverage.label", TABLE_TEXT, 0, NULL},
  {"类别", "Class", "month_result.label", TABLE_TEXT, 0, NULL},
  {"评价", "Rating", "month_result.rating", TABLE_TEXT, 0, NULL},
  {"主要污染物", "Main pollutants", "month_result.main_pollutants", TABLE_TEXT, 0, NULL}};
static const struct table_column monthly_cols[] = {
  {"区县", "County", "county", TABLE_TEXT, 0, NULL}, {"断面", "Section", "section", TABLE_TEXT, 0, NULL},
  {"状态", "Status", "status_label", TABLE_TEXT, 0, NULL},
  {"有数据天数", "Days with data", "coverage.text", TABLE_TEXT, 0, NULL},
  {"类别", "Class", "label", TABLE_TEXT, 0, NULL}, {"目标", "Target", "target_label", TABLE_TEXT, 0, NULL},
  {"合格", "Passed", "pass", TABLE_BOOL, 0, NULL}, {"计算过程", "Working", "line", TABLE_WRAP, 0, NULL}};
static const struct table_column county_cols[] = {
  {"区县", "County", "county", TABLE_TEXT, 0, NULL}, {"状态", "Status", "status_label", TABLE_TEXT, 0, NULL},
  {"有数据断面月", "Section-months with data", "coverage.text", TABLE_TEXT, 0, NULL},
  {"监测断面月数", "Section-months", "months", TABLE_INT, 0, NULL},
  {"合格月数", "Passed", "passed", TABLE_INT, 0, NULL}, {"达标率", "Pass rate", "rate", TABLE_PERCENT, 1, NULL},
  {"得分", "Points", "points", TABLE_FIXED, 1, NULL}, {"等级", "Grade", "grade", TABLE_TEXT, 0, NULL},
  {"区域限批", "Approvals frozen", "freeze", TABLE_BOOL, 0, NULL},
  {"保证金", "Deposit", "deposit.amount", TABLE_FIXED, 0, NULL},
  {"保证金处理", "Deposit action", "deposit.action", TABLE_TEXT, 0, NULL},
  {"罚款", "Penalty", "penalty", TABLE_FIXED, 0, NULL}};
static const struct table_column line_cols[] = {
  {"区县", "County", "county", TABLE_TEXT, 0, NULL}, {"计算过程", "Working", "line", TABLE_WRAP, 0, NULL}};
static const struct table_column alarm_cols[] = {
  {"编号", "No.", "id", TABLE_INT, 0, NULL}, {"断面", "Section", "section", TABLE_TEXT, 0, NULL},
  {"指标", "Item", "item", TABLE_TEXT, 0, NULL}, {"监测时间", "Measured at", "at", TABLE_TEXT, 0, NULL},
  {"值", "Value", "value", TABLE_FIXED, 3, "decimals"}, {"类别", "Class", "class", TABLE_TEXT, 0, NULL},
  {"目标", "Target", "target_class", TABLE_TEXT, 0, NULL}, {"状态", "State", "state", TABLE_TEXT, 0, NULL},
  {"告警时间", "Raised at", "opened_at", TABLE_TIME, 0, NULL},
  {"确认人", "Acknowledged by", "acknowledged_by", TABLE_TEXT, 0, NULL},
  {"确认时间", "Acknowledged at", "acknowledged_at", TABLE_TIME, 0, NULL},
  {"关闭人", "Closed by", "closed_by", TABLE_TEXT, 0, NULL},
  {"关闭时间", "Closed at", "closed_at", TABLE_TIME, 0, NULL}};
#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))

/* Codes of the data and their names, Chinese and English. */
struct code_name {
  const char *code, *zh, *en;
};
static const struct code_name bodies[] = {
  {"river", "河流", "river"}, {"lake", "湖库", "lake / reservoir"},
  {"river_reservoir", "河流型水库", "river-type reservoir"}, {NULL, NULL, NULL}};
static const struct code_name levels[] = {
  {"national", "国控", "national"}, {"provincial", "省控", "provincial"}, {"city", "市控", "city"},
  {NULL, NULL, NULL}};
static const struct code_name deposit_actions[] = {
  {"return", "返还", "returned"}, {"forfeit", "扣缴", "forfeited"}, {NULL, NULL, NULL}};
static const struct code_name alarm_states[] = {
  {"open", "未处理", "open"}, {"acknowledged", "已确认", "acknowledged"}, {"closed", "已关闭", "closed"},
  {NULL, NULL, NULL}};

/* Replace OBJ's KEY (a code) by its name in MAP, if it has one. */
static void name_code(json_t *obj, const char *key, const struct code_name *map, enum table_lang lang) {
  const char *code = json_string_value(json_object_get(obj, key));
  for (; code && map->code; map++)
    if (!strcmp(map->code, code)) {
      json_object_set_new(obj, key, json_string(lang == TABLE_EN ? map->en : map->zh));
      return;
    }
}

/* KEY's class number as its label (Ⅲ), under the key LABEL_KEY. */
static void label_class(json_t *obj, const char *key, const char *label_key) {
  json_t *v = json_object_get(obj, key);
  if (json_is_integer(v))
    json_object_set_new(obj, label_key, json_string(water_class_label((int)json_integer_value(v))));
}

static json_t *overview_rows(json_t *j, enum table_lang lang) {
  json_t *rows = json_incref(json_object_get(j, "sections"));
  size_t i;
  json_t *r;
  json_array_foreach(rows, i, r) {
    name_code(r, "body", bodies, lang);
    name_code(r, "level", levels, lang);
    label_class(r, "target_class", "target_label");
    json_t *demo = json_object_get(r, "target_demo");   /* 0/1 in the table: 否/是 printed */
    if (json_is_integer(demo)) json_object_set_new(r, "target_demo", json_boolean(json_integer_value(demo)));
  }
  return rows;
}

static json_t *monthly_rows(json_t *j) {
  json_t *rows = json_incref(json_object_get(j, "rows"));
  size_t i;
  json_t *r;
  json_array_foreach(rows, i, r) label_class(r, "target", "target_label");
  return rows;
}

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

static json_t *county_rows(json_t *j, enum table_lang lang) {
  json_t *rows = json_incref(json_object_get(j, "counties"));
  size_t i;
  json_t *r;
  json_array_foreach(rows, i, r) name_code(json_object_get(r, "deposit"), "action", deposit_actions, lang);
  return rows;
}

/* Alarms with their item named (溶解氧 DO), their value's decimals as the
** standard in force at the reading rounds it, classes as labels. */
static json_t *alarm_rows(json_t *alarms, const struct water_standard *s, enum table_lang lang) {
  size_t i;
  json_t *r;
  json_array_foreach(alarms, i, r) {
    const char *code = json_string_value(json_object_get(r, "item"));
    const struct water_standard *on = water_standard_on(s, json_string_value(json_object_get(r, "at")));
    int k = code ? water_item_index(on, code) : -1;
    if (k >= 0) {
      json_object_set_new(r, "item", json_sprintf("%s %s", on->item[k].name, on->item[k].code));
      if (on->item[k].decimals >= 0) json_object_set_new(r, "decimals", json_integer(on->item[k].decimals));
    }
    label_class(r, "class", "class");
    label_class(r, "target_class", "target_class");
    name_code(r, "state", alarm_states, lang);
  }
  return json_incref(alarms);
}

int water_export_doc(sqlite3 *db, const struct water_standard *s, const struct water_export_args *a,
                     struct table_doc *d, char *err, size_t errlen) {
  char table[32];
  snprintf(table, sizeof table, "%s", a->table);
  char *dot = strchr(table, '.');
  if (dot) *dot = 0;
  memset(d, 0, sizeof *d);
  d->lang = a->lang;
  const char *rule = a->rule->name[0] ? a->rule->name : a->rule->id;
  json_t *j = NULL;
  if (!strcmp(table, "overview") && (j = water_overview_json(db, s, a->month, &a->rule->minimum, a->today))) {
    const char *month = json_string_value(json_object_get(j, "month"));
    snprintf(d->stem, sizeof d->stem, "%s", table_word(d, "水质概况", "water-quality-overview"));
    snprintf(d->period, sizeof d->period, "%s", month ? month : "");
    table_add_sheet(d, table_word(d, "水质概况", "Overview"), overview_cols, NCOLS(overview_cols),
                    overview_rows(j, d->lang), table_word(d, "地表水监测断面水质概况（%s，GB 3838-2002）",
                    "Surface water sections (%s, GB 3838-2002)"), d->period);
  } else if (!strcmp(table, "monthly") && a->month && (j = water_month_json(db, s, a->rule, a->month, a->today))) {
    snprintf(d->stem, sizeof d->stem, "%s", table_word(d, "水质月度考核", "water-monthly-assessment"));
    snprintf(d->period, sizeof d->period, "%s", a->month);
    table_add_sheet(d, table_word(d, "月度考核", "Monthly"), monthly_cols, NCOLS(monthly_cols), monthly_rows(j),
                    table_word(d, "跨界断面水质月度考核（%s，%s）", "Cross-boundary sections, monthly (%s, %s)"),
                    a->month, rule);
  } else if (!strcmp(table, "assessment") && a->year && (j = water_assess_json(db, s, a->rule, a->year, a->today))) {
    snprintf(d->stem, sizeof d->stem, "%s", table_word(d, "水质年度考核", "water-annual-assessment"));
    snprintf(d->period, sizeof d->period, "%d", a->year);
    const char *unit = json_string_value(json_object_get(j, "unit"));
    table_add_sheet(d, table_word(d, "年度考核", "Annual"), county_cols, NCOLS(county_cols), county_rows(j, d->lang),
                    table_word(d, "跨界断面水质年度考核（%d 年，%s；金额单位：%s）",
                               "Cross-boundary sections, annual (%d, %s; amounts in %s)"),
                    a->year, rule, unit ? unit : "");
    table_add_sheet(d, table_word(d, "计算过程", "Working"), line_cols, NCOLS(line_cols),
                    assessment_lines(json_object_get(j, "counties")),
                    table_word(d, "年度考核计算过程（%d 年，%s）", "Working of the annual assessment (%d, %s)"),
                    a->year, rule);
  } else if (!strcmp(table, "alarms") && (j = water_alarms_json(db, NULL))) {
    snprintf(d->stem, sizeof d->stem, "%s", table_word(d, "水质告警", "water-alarms"));
    snprintf(d->period, sizeof d->period, "%s", a->today);
    table_add_sheet(d, table_word(d, "告警", "Alarms"), alarm_cols, NCOLS(alarm_cols), alarm_rows(j, s, d->lang),
                    table_word(d, "水质超标告警（截至 %s；时间为北京时间）", "Water quality alarms (as of %s; China time)"),
                    a->today);
  }
  if (j) {
    json_decref(j);
    return 0;
  }
  snprintf(err, errlen, "table '%s' unknown or missing its month/year (overview, "
           "monthly?month=YYYY-MM, assessment?year=YYYY, alarms)", table);
  return -1;
}

char *water_export_xlsx(sqlite3 *db, const struct water_standard *s, const struct water_export_args *a,
                        size_t *len, char name[TABLE_FILE_NAME_SIZE], char *err, size_t errlen) {
  struct table_doc d;
  if (water_export_doc(db, s, a, &d, err, errlen)) return NULL;
  char *out = xlsx_write_doc(&d, len, err, errlen);
  table_file_name(&d, "xlsx", name, TABLE_FILE_NAME_SIZE);
  table_doc_free(&d);
  return out;
}
