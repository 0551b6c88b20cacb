/*
** Counting each unit's facts and scoring them (assessment.h).
**
** The facts follow the rules of the lights, so that what a unit sees on
** its task pages during the year is what it is assessed on at the end:
** reports are due for the periods light_report_required names, on time up
** to light_report_deadline. The assessment is "as of" today, or the end of
** the year once it is over.
*/
#include "supervision/assessment.h"
#include "util/time.h"
#include "supervision/action.h"
#include "supervision/config.h"
#include "db/rows.h"
#include "util/buf.h"
#include "util/xlsx.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long get_int(json_t *row, const char *key) {
  return json_integer_value(json_object_get(row, key));
}

/* Reports due from UNIT on its tasks of YEAR by AS_OF, and those on time. */
static void count_reports(sqlite3 *db, long long unit, int year, int as_of,
                          const struct light_config *cfg, struct unit_facts *f) {
  json_t *tasks = db_query_rows(db, "SELECT t.id, t.start_on, t.due_on FROM task t JOIN task_unit tu "
                                "ON tu.task_id = t.id WHERE tu.unit_id = ? AND t.year = ?", "ii", unit,
                                (long long)year);
  size_t i;
  json_t *t;
  json_array_foreach(tasks, i, t) {
    int start, end;
    if (day_parse(json_string_value(json_object_get(t, "start_on")), &start) ||
        day_parse(json_string_value(json_object_get(t, "due_on")), &end)) continue;
    json_t *reports = db_query_rows(db, "SELECT period, min(submitted_on) AS first_on FROM report "
                                    "WHERE task_id = ? AND unit_id = ? AND state != 'returned' "
                                    "GROUP BY period", "ii", get_int(t, "id"), unit);
    for (struct period p = period_of_day(cfg->period, start); period_first_day(&p) <= end;
         p = period_next(&p)) {
      if (!light_report_required(start, end, &p, as_of, cfg)) continue;
      f->reports_due++;
      char key[PERIOD_KEY_SIZE];
      period_key(&p, key);
      size_t j;
      json_t *r;
      json_array_foreach(reports, j, r) {
        int on;
        if (strcmp(json_string_value(json_object_get(r, "period")), key) ||
            day_parse(json_string_value(json_object_get(r, "first_on")), &on)) continue;
        if (on <= light_report_deadline(&p, cfg)) f->reports_on_time++;
      }
    }
    json_decref(reports);
  }
  json_decref(tasks);
}

static void count_facts(sqlite3 *db, long long unit, int year, int as_of, const char *as_of_text,
                        const struct light_config *cfg, struct unit_facts *f) {
  json_t *row = db_query_row(db,
      "SELECT count(*) AS total, sum(t.state = 'done') AS done, "
      "sum(t.state = 'done' AND t.completed_on <= t.due_on) AS on_time, "
      "(SELECT count(*) FROM milestone m JOIN task_unit x ON x.task_id = m.task_id AND x.role = 'lead' "
      " JOIN task y ON y.id = m.task_id WHERE x.unit_id = ?1 AND y.year = ?2 AND m.due_on <= ?3) AS m_due, "
      "(SELECT count(*) FROM milestone m JOIN task_unit x ON x.task_id = m.task_id AND x.role = 'lead' "
      " JOIN task y ON y.id = m.task_id WHERE x.unit_id = ?1 AND y.year = ?2 AND m.due_on <= ?3 "
      " AND m.done_on <= m.due_on) AS m_on_time "
      "FROM task t JOIN task_unit tu ON tu.task_id = t.id AND tu.role = 'lead' "
      "WHERE tu.unit_id = ?1 AND t.year = ?2", "iis", unit, (long long)year, as_of_text);
  f->tasks_total = (int)get_int(row, "total");
  f->tasks_completed = (int)get_int(row, "done");
  f->tasks_on_time = (int)get_int(row, "on_time");
  f->milestones_due = (int)get_int(row, "m_due");
  f->milestones_on_time = (int)get_int(row, "m_on_time");
  json_decref(row);
  json_t *levels = db_query_rows(db, "SELECT n.level, count(*) AS n FROM notice n JOIN task t ON "
                                 "t.id = n.task_id WHERE n.unit_id = ? AND t.year = ? "
                                 "AND n.state != 'withdrawn' GROUP BY n.level",
                                 "ii", unit, (long long)year);
  size_t i;
  json_t *l;
  json_array_foreach(levels, i, l) {
    enum notice_level level;
    if (!notice_level_parse(json_string_value(json_object_get(l, "level")), &level))
      f->notices[level] = (int)get_int(l, "n");
  }
  json_decref(levels);
  json_t *ratings = db_query_rows(db, "SELECT t.rating, count(*) AS n FROM task t JOIN task_unit tu ON "
                                  "tu.task_id = t.id AND tu.role = 'lead' WHERE tu.unit_id = ? AND "
                                  "t.year = ? AND t.state = 'done' AND t.rating IS NOT NULL "
                                  "GROUP BY t.rating", "ii", unit, (long long)year);
  json_array_foreach(ratings, i, l) f->ratings[get_int(l, "rating") - 1] = (int)get_int(l, "n");
  json_decref(ratings);
  count_reports(db, unit, year, as_of, cfg, f);
}

/* The breakdown as printable lines. */
static json_t *breakdown_lines(const struct unit_score *s) {
  json_t *lines = json_array();
  for (int p = 0; p < SCORE_PARTS; p++)
    json_array_append_new(lines, json_sprintf("%s: %s", score_part_name((enum score_part)p),
        s->part[p].applicable ? s->part[p].formula : "n/a"));
  json_array_append_new(lines, json_sprintf("base: %s", s->base_formula));
  json_array_append_new(lines, json_sprintf("deduction: %s", s->deduction_formula));
  json_array_append_new(lines, json_sprintf("score: %s", s->score_formula));
  return lines;
}

static json_t *facts_json(const struct unit_facts *f) {
  return json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:[i,i,i],s:[i,i,i,i,i]}",
      "tasks_total", f->tasks_total, "tasks_completed", f->tasks_completed,
      "tasks_on_time", f->tasks_on_time, "milestones_due", f->milestones_due,
      "milestones_on_time", f->milestones_on_time, "reports_due", f->reports_due,
      "reports_on_time", f->reports_on_time, "notices", f->notices[0], f->notices[1], f->notices[2],
      "ratings", f->ratings[0], f->ratings[1], f->ratings[2], f->ratings[3], f->ratings[4]);
}

/* Score one group of units (rows of {id, name, kind}) and append them to OUT. */
static int score_group(sqlite3 *db, json_t *units, const char *group, int year, int as_of,
                       const char *as_of_text, json_t *out, char *err, size_t errlen) {
  const struct supervision_config *cfg = supervision_config();
  size_t n = json_array_size(units);
  if (!n) return 0;
  struct unit_facts *facts = xcalloc(n, sizeof *facts);
  struct unit_score *scores = xcalloc(n, sizeof *scores);
  for (size_t i = 0; i < n; i++) {
    facts[i].name = json_string_value(json_object_get(json_array_get(units, i), "name"));
    count_facts(db, get_int(json_array_get(units, i), "id"), year, as_of, as_of_text, &cfg->light, &facts[i]);
  }
  int rc = score_units(&cfg->assessment, facts, n, scores, err, errlen);
  for (size_t i = 0; rc == 0 && i < n; i++) {
    json_t *u = json_array_get(units, i);
    const struct score_grade *g = scores[i].grade >= 0 ? &cfg->assessment.grades[scores[i].grade] : NULL;
    int in = scores[i].assessed;
    /* a unit without tasks is 不参评: no rank, no score (null, never 0) */
    json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:s,s:b,s:o,s:o,s:s?,s:s?,s:o,s:o,s:o}",
        "unit_id", (json_int_t)get_int(u, "id"), "unit", facts[i].name,
        "kind", json_string_value(json_object_get(u, "kind")), "group", group, "assessed", in,
        "rank", in ? json_integer(scores[i].rank) : json_null(),
        "score", in ? json_real(scores[i].score) : json_null(), "grade", g ? g->zh : NULL,
        "grade_en", g ? g->en : NULL, "breakdown", breakdown_lines(&scores[i]),
        "facts", facts_json(&facts[i]), "detail", unit_score_json(&cfg->assessment, &scores[i])));
  }
  free(facts);
  free(scores);
  return rc;
}

json_t *assessment_json(sqlite3 *db, int year, char *err, size_t errlen) {
  char today[11], as_of_text[11];
  time_today(today);
  snprintf(as_of_text, sizeof as_of_text, "%04d-12-31", year);
  if (strcmp(today, as_of_text) < 0) memcpy(as_of_text, today, sizeof as_of_text);
  int as_of;
  if (day_parse(as_of_text, &as_of)) { snprintf(err, errlen, "bad date %s", as_of_text); return NULL; }
  static const char *const groups[][2] = {
    {"counties", "u.kind IN ('county_government', 'zone_committee')"},
    {"departments", "u.kind NOT IN ('county_government', 'zone_committee')"},
  };
  json_t *out = json_array();
  for (size_t g = 0; g < 2; g++) {
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT DISTINCT u.id, u.name, u.kind FROM unit u JOIN task_unit tu ON "
             "tu.unit_id = u.id JOIN task t ON t.id = tu.task_id WHERE t.year = ? AND %s ORDER BY u.id",
             groups[g][1]);
    json_t *units = db_query_rows(db, sql, "i", (long long)year);
    int rc = score_group(db, units, groups[g][0], year, as_of, as_of_text, out, err, errlen);
    json_decref(units);
    if (rc) { json_decref(out); return NULL; }
  }
  return json_pack("{s:i,s:s,s:o}", "year", year, "as_of", as_of_text, "units", out);
}

static const struct table_column assessment_cols[] = {
  {"分组", "Group", "group_label", TABLE_TEXT, 0, NULL}, {"名次", "Rank", "rank", TABLE_INT, 0, NULL},
  {"单位", "Unit", "unit", TABLE_TEXT, 0, NULL}, {"得分", "Score", "score", TABLE_FIXED, 2, NULL},
  {"等次", "Grade", "grade_label", TABLE_TEXT, 0, NULL},
  {"计分明细", "Breakdown", "breakdown_text", TABLE_WRAP, 0, NULL}};

/* The words of a breakdown line (score.c writes them in English) as the
** page names them (web/i18n.js assessment.part.*). */
static const char *const breakdown_words[][3] = {
  {"completion: ", "完成率：", "Completion: "}, {"timeliness: ", "及时性：", "Timeliness: "},
  {"reports: ", "报送：", "Reports: "}, {"quality: ", "质量：", "Quality: "}, {"base: ", "基础分：", "Base: "},
  {"deduction: ", "督办扣分：", "Deductions: "}, {"score: ", "得分：", "Score: "}, {"cuiban", "催办", "cuiban"},
  {"duban", "督办", "duban"}, {"guapai", "挂牌督办", "guapai"}, {"cap", "上限", "cap"}, {"n/a", "不适用", "n/a"}};

static void append_breakdown_line(struct buf *out, const char *line, enum table_lang lang) {
  for (const char *p = line; *p;) {
    size_t k = 0, n = sizeof breakdown_words / sizeof breakdown_words[0];
    while (k < n && strncmp(p, breakdown_words[k][0], strlen(breakdown_words[k][0]))) k++;
    if (k == n) {
      buf_append(out, p++, 1);
      continue;
    }
    buf_puts(out, breakdown_words[k][lang == TABLE_EN ? 2 : 1]);
    p += strlen(breakdown_words[k][0]);
  }
}

/* Ranked first by rank, then those not assessed (rank null), by name. */
static int by_rank(const void *a, const void *b) {
  json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
  json_t *rx = json_object_get(x, "rank"), *ry = json_object_get(y, "rank");
  long long kx = json_is_integer(rx) ? json_integer_value(rx) : LLONG_MAX;
  long long ky = json_is_integer(ry) ? json_integer_value(ry) : LLONG_MAX;
  if (kx != ky) return kx < ky ? -1 : 1;
  return strcmp(json_string_value(json_object_get(x, "unit")), json_string_value(json_object_get(y, "unit")));
}

/* RESULT's units as printable rows: group and grade named, the breakdown one line a part. */
static json_t *assessment_rows(json_t *result, enum table_lang lang) {
  json_t *rows = json_array(), *units = json_object_get(result, "units");
  size_t n = json_array_size(units), i;
  json_t **ranked = xcalloc(n + 1, sizeof *ranked);
  for (i = 0; i < n; i++) ranked[i] = json_array_get(units, i);
  for (size_t start = 0, end; start < n; start = end) {   /* each group, in the order of the JSON */
    const char *group = json_string_value(json_object_get(ranked[start], "group"));
    for (end = start; end < n && !strcmp(group, json_string_value(json_object_get(ranked[end], "group"))); end++) {}
    qsort(ranked + start, end - start, sizeof *ranked, by_rank);
  }
  for (i = 0; i < n; i++) {
    json_t *u = ranked[i];
    struct buf lines = {0};
    size_t j;
    json_t *line;
    json_array_foreach(json_object_get(u, "breakdown"), j, line) {
      if (j) buf_puts(&lines, "\n");
      append_breakdown_line(&lines, json_string_value(line), lang);
    }
    int counties = !strcmp(json_string_value(json_object_get(u, "group")), "counties");
    int in = json_is_true(json_object_get(u, "assessed"));
    const char *grade = json_string_value(json_object_get(u, lang == TABLE_EN ? "grade_en" : "grade"));
    json_array_append_new(rows, json_pack("{s:s,s:O,s:O,s:O,s:s,s:s}",
        "group_label", lang == TABLE_EN ? (counties ? "Counties" : "City departments") : (counties ? "县市区" : "市直部门"),
        "rank", json_object_get(u, "rank"), "unit", json_object_get(u, "unit"),
        "score", json_object_get(u, "score"),
        "grade_label", in && grade ? grade : lang == TABLE_EN ? "Not assessed (no lead task)" : "不参评（无牵头任务）",
        "breakdown_text", buf_str(&lines)));
    buf_free(&lines);
  }
  free(ranked);
  return rows;
}

int assessment_doc(sqlite3 *db, int year, enum table_lang lang, struct table_doc *d, char *err, size_t errlen) {
  json_t *result = assessment_json(db, year, err, errlen);
  if (!result) return -1;
  memset(d, 0, sizeof *d);
  d->lang = lang;
  snprintf(d->stem, sizeof d->stem, "%s", table_word(d, "年度目标责任考核", "annual-assessment"));
  snprintf(d->period, sizeof d->period, "%d", year);
  const char *as_of = json_string_value(json_object_get(result, "as_of"));
  const struct assessment_config *c = &supervision_config()->assessment;   /* weights in hundredths */
  table_add_sheet(d, table_word(d, "年度考核", "Assessment"), assessment_cols,
                  (int)(sizeof assessment_cols / sizeof assessment_cols[0]), assessment_rows(result, lang),
                  table_word(d, "%d 年度目标责任考核（截至 %s；计分：完成率 %g、及时性 %g、报送 %g、质量 %g，督办扣分至多 %g）",
                             "Annual assessment %d (as of %s; weights: completion %g, timeliness %g, reports %g, "
                             "quality %g; deductions at most %g)"),
                  year, as_of, c->weight[SCORE_COMPLETION] / 100.0, c->weight[SCORE_TIMELINESS] / 100.0,
                  c->weight[SCORE_REPORTS] / 100.0, c->weight[SCORE_QUALITY] / 100.0, c->deduction_cap / 100.0);
  json_decref(result);
  return 0;
}

char *assessment_xlsx(sqlite3 *db, int year, enum table_lang lang, size_t *len,
                      char name[TABLE_FILE_NAME_SIZE], char *err, size_t errlen) {
  struct table_doc d;
  if (assessment_doc(db, year, lang, &d, err, errlen)) return NULL;
  char *data = xlsx_write_doc(&d, len, err, errlen);
  table_file_name(&d, "xlsx", name, TABLE_FILE_NAME_SIZE);
  table_doc_free(&d);
  return data;
}
