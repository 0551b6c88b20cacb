/*
** The demo's supervision story (demo.h): the year's tasks for every other
** measure of the plan, each with a plot that gives the dashboard its
** colours on the demo's today, and the acts of the plot (reports, reviews,
** notices and replies, extensions, completions) played in the order of
** their instants through the real HTTP handlers (http_find_route), each at
** its own past instant (clock.h) and date ($QINGSHUI_TODAY, which the
** handlers read). So every row is what the API would have written, with
** its audit line and inbox event.
**
** Every date is relative to TODAY, so that any date gives a year in full
** swing: a task starts on 1 January, or 60 days back when the year is
** younger than that (LEAD_IN_DAYS), and runs to 31 December.
*/
#include "demo/demo.h"
#include "demo/chance.h"
#include "demo/clock.h"
#include "db/rows.h"
#include "http/routes.h"
#include "supervision/config.h"
#include "supervision/period.h"
#include "util/time.h"
#include "util/buf.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEAD_IN_DAYS 60        /* a task has run at least this long on TODAY */

/* What happens to a task during the year, and the light it has today. */
enum plot {
  GREEN,             /* reported every period, on schedule */
  GREEN_RETURNED,    /* its first report was returned, then corrected */
  PROPOSED,          /* its lead proposed completion; the office has not decided */
  YELLOW_MISSING,    /* the last period due has no report: 催办, replied */
  YELLOW_DUE_SOON,   /* behind, a milestone due in two days */
  RED_MILESTONE,     /* a milestone 12 days late: 督办, replied */
  RED_BEHIND,        /* far behind the schedule: 督办, replied; 催办 to a support unit */
  DONE,              /* a shorter task, completed and rated */
  RED_OVERDUE,       /* past its deadline: 挂牌督办 open, an extension asked */
  EXTENDED,          /* an extension granted before its deadline */
};

static const enum plot PLOT_CYCLE[] = {GREEN, GREEN, YELLOW_MISSING, RED_MILESTONE, DONE,
                                       GREEN_RETURNED, YELLOW_DUE_SOON, RED_BEHIND, PROPOSED,
                                       GREEN, RED_OVERDUE, EXTENDED};
#define NPLOTS (sizeof PLOT_CYCLE / sizeof *PLOT_CYCLE)

/* Reported progress against the straight-line schedule, by plot. */
static const double PACE[] = {[GREEN] = 1.15, [GREEN_RETURNED] = 1.0, [PROPOSED] = 1.3,
                              [YELLOW_MISSING] = 1.0, [YELLOW_DUE_SOON] = 0.85,
                              [RED_MILESTONE] = 0.9, [RED_BEHIND] = 0.3, [DONE] = 1.0,
                              [RED_OVERDUE] = 0.9, [EXTENDED] = 1.0};

enum act_kind { CREATE, MILESTONE, REPORT, ACCEPT, RETURN, NOTICE, REPLY, EXTEND, GRANT,
                PROPOSE, CONFIRM };

static const char *const LEVEL_NAMES[] = {"cuiban", "duban", "guapai"};
enum { CUIBAN, DUBAN, GUAPAI };

struct act {
  int day, minute, seq;        /* when (China time), and the order of making */
  enum act_kind kind;
  int task;                    /* index into story.tasks */
  long long unit;              /* the acting unit; 0: the office */
  int ref;                     /* the act whose result this one acts on, or -1 */
  long long result;            /* the id of what the act made; 0 until played */
  double percent;
  int number;                  /* milestone index, notice level, rating */
  int date;                    /* a deadline, the date asked for */
  char period[PERIOD_KEY_SIZE];
};

struct demo_task {
  long long measure, id;
  const char *title;           /* the measure's, borrowed from story.measures */
  enum plot plot;
  int start, due, first_due;   /* first_due: before an extension */
  int milestones[2];
  json_t *units;               /* [{id, name, role, login}], leads first */
  size_t nleads;
};

struct story {
  sqlite3 *db;
  int today, year;
  const struct light_config *cfg;
  struct period latest;        /* the last period whose report deadline is past */
  json_t *measures;
  struct demo_task *tasks;
  size_t ntasks;
  struct act *acts;
  size_t nacts, cap;
  char *err;
  size_t errlen;
};

/* How reliably a unit reports: 0.6 to 1. */
static double diligence(long long unit) { return 0.6 + 0.4 * demo_chance((uint64_t)unit, 17, 29); }

/* ---- the acts ---- */

static struct act *add_act(struct story *s, enum act_kind kind, int task, int day, int minute,
                           long long unit, int ref) {
  if (s->nacts == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 1024;
    s->acts = xrealloc(s->acts, s->cap * sizeof *s->acts);
  }
  struct act *a = &s->acts[s->nacts];
  *a = (struct act){.day = day, .minute = minute, .seq = (int)s->nacts, .kind = kind,
                    .task = task, .unit = unit, .ref = ref};
  s->nacts++;
  return a;
}

static long long unit_id(const struct demo_task *t, size_t i) {
  return json_integer_value(json_object_get(json_array_get(t->units, i), "id"));
}

/* The lead a notice goes to: one of the leads, by task. */
static long long notice_lead(const struct demo_task *t, int k) {
  return unit_id(t, (size_t)k % t->nleads);
}

/* Percent reported on DAY by a task with T's schedule and plot. */
static double progress_on(const struct demo_task *t, int day) {
  double v = 100.0 * (day - t->start) / (t->due - t->start) * PACE[t->plot];
  return v < 0 ? 0 : v > 100 ? 100 : round(v);
}

/* The last day a report of T may be made on: before TODAY, and before the
** completion of a task that is done. */
static int last_report_day(const struct story *s, const struct demo_task *t) {
  return t->plot == DONE ? t->due - 3 : s->today - 1;
}

/* A report of UNIT for period P on DAY and, if REVIEWED, its review by
** the office (the reports of the last period due still wait for it). */
static void add_report(struct story *s, int k, long long unit, const struct period *p, int day,
                       int reviewed) {
  struct demo_task *t = &s->tasks[k];
  int minute = 9 * 60 + (int)(demo_chance((uint64_t)unit, (uint64_t)day, 3) * 480);
  struct act *r = add_act(s, REPORT, k, day, minute, unit, -1);
  period_key(p, r->period);
  r->percent = progress_on(t, day);
  int report = (int)(r - s->acts);
  int first = period_first_day(p) <= t->start;
  if (t->plot == GREEN_RETURNED && first && unit == unit_id(t, 0) && day + 3 < s->today) {
    add_act(s, RETURN, k, day + 1, 10 * 60, 0, report);
    struct act *again = add_act(s, REPORT, k, day + 2, 15 * 60, unit, -1);
    memcpy(again->period, r->period, sizeof again->period);
    again->percent = r->percent;
    again->number = 1;                                  /* the corrected one */
    add_act(s, ACCEPT, k, day + 3, 10 * 60, 0, (int)(again - s->acts));
  } else if (reviewed && day + 2 < s->today) {
    add_act(s, ACCEPT, k, day + 2, 10 * 60 + (int)(demo_chance((uint64_t)unit, (uint64_t)day, 5) * 300),
            0, report);
  }
}

/* Every report the plot has its units make, period by period. */
static void add_reports(struct story *s, int k) {
  struct demo_task *t = &s->tasks[k];
  const struct light_config *c = s->cfg;
  int until = last_report_day(s, t);
  for (struct period p = period_of_day(c->period, t->start); period_first_day(&p) <= t->due;
       p = period_next(&p)) {
    if (!light_report_required(t->start, t->due, &p, s->today, c)) continue;
    if (t->plot == YELLOW_MISSING && !memcmp(&p, &s->latest, sizeof p)) continue;
    int deadline = light_report_deadline(&p, c);
    for (size_t i = 0; i < json_array_size(t->units); i++) {
      long long unit = unit_id(t, i);
      double d = diligence(unit), roll = demo_chance((uint64_t)unit, (uint64_t)deadline, (uint64_t)k);
      if (i > 0 && roll > d) continue;                   /* the first lead always reports */
      int on_time = i == 0 || roll < d - 0.15;
      int day = on_time ? deadline - (int)(roll * 5) : deadline + 1 + (int)(roll * 6);
      if (day < period_first_day(&p)) day = period_first_day(&p);
      if (day > until) day = until;
      if (day <= t->start) continue;
      add_report(s, k, unit, &p, day, memcmp(&p, &s->latest, sizeof p) != 0);
    }
  }
}

static void add_notice(struct story *s, int k, long long unit, int level, int day, int deadline,
                       int reply_day) {
  struct act *n = add_act(s, NOTICE, k, day, 11 * 60, 0, -1);
  n->unit = unit;
  n->number = level;
  n->date = deadline;
  if (reply_day && reply_day < s->today)
    add_act(s, REPLY, k, reply_day, 16 * 60, unit, (int)(n - s->acts));
}

/* The notices, extensions and completions of T's plot. */
static void add_plot(struct story *s, int k) {
  struct demo_task *t = &s->tasks[k];
  int today = s->today;
  long long first = unit_id(t, 0);
  int missing_since = light_report_deadline(&s->latest, s->cfg) + 1;
  switch (t->plot) {
  case YELLOW_MISSING: {
    int day = missing_since < today ? missing_since : today - 1;
    add_notice(s, k, notice_lead(t, k), CUIBAN, day, day + 7, day + 1);
    break;
  }
  case RED_MILESTONE:
    add_notice(s, k, notice_lead(t, k), DUBAN, today - 8, today + 7, today - 6);
    break;
  case RED_BEHIND:
    add_notice(s, k, notice_lead(t, k), DUBAN, today - 20, today + 10, today - 18);
    if (json_array_size(t->units) > t->nleads)
      add_notice(s, k, unit_id(t, t->nleads + (size_t)k % (json_array_size(t->units) - t->nleads)),
                 CUIBAN, today - 25, today - 18, today - 24);
    break;
  case RED_OVERDUE: {
    add_notice(s, k, notice_lead(t, k), GUAPAI, today - 4, today + 10, 0);
    struct act *x = add_act(s, EXTEND, k, today - 3, 15 * 60, first, -1);
    x->date = today + 30;
    break;
  }
  case EXTENDED: {
    struct act *x = add_act(s, EXTEND, k, t->first_due - 6, 15 * 60, first, -1);
    x->date = t->due;
    add_act(s, GRANT, k, t->first_due - 4, 10 * 60, 0, (int)(x - s->acts));
    break;
  }
  case DONE: {
    /* the third done task was completed a few days late */
    int late = k % (int)(3 * NPLOTS) == 4 + 2 * (int)NPLOTS;
    int proposed = late ? t->due + 3 : t->due - 2;
    struct act *c = add_act(s, PROPOSE, k, proposed, 14 * 60, first, -1);
    struct act *ok = add_act(s, CONFIRM, k, proposed + 2, 10 * 60, 0, (int)(c - s->acts));
    ok->number = 5 - k % 3;
    break;
  }
  case PROPOSED:
    add_act(s, PROPOSE, k, today - 2, 14 * 60, first, -1);
    break;
  default:
    break;
  }
}

/* T's dates and milestones, by plot (see enum plot). */
static void schedule_task(struct story *s, struct demo_task *t) {
  int today = s->today, year_end;
  day_from_ymd(s->year, 12, 31, &year_end);
  t->due = t->first_due = year_end;
  if (t->plot == DONE) t->due = t->first_due = t->start + (today - t->start) * 2 / 3;
  if (t->plot == RED_OVERDUE) t->due = t->first_due = today - 6;
  if (t->plot == EXTENDED) t->first_due = today - 6;
  int until = t->first_due < today ? t->first_due : today;
  t->milestones[0] = t->start + (until - t->start) / 3;
  t->milestones[1] = today + 30 < t->first_due ? today + 30 : t->first_due;
  if (t->plot == DONE || t->plot == RED_OVERDUE) t->milestones[1] = t->first_due - 5;
  if (t->plot == YELLOW_DUE_SOON) t->milestones[1] = today + 2 < t->due ? today + 2 : t->due;
  if (t->plot == RED_MILESTONE) t->milestones[0] = today - 12;
}

/* The milestones the lead marks done: those due before today, the day before. */
static void add_milestones_done(struct story *s, int k) {
  struct demo_task *t = &s->tasks[k];
  for (int m = 0; m < 2; m++) {
    if (t->plot == RED_MILESTONE && m == 0) continue;
    int day = t->milestones[m] - 1;
    if (day <= t->start || day >= s->today) continue;
    add_act(s, MILESTONE, k, day, 17 * 60, unit_id(t, 0), -1)->number = m;
  }
}

/* ---- the tasks ---- */

/* The units of MEASURE, leads first, each with the login of its demo
** account if it has one. */
static json_t *measure_units(sqlite3 *db, long long measure, size_t *nleads) {
  json_t *units = db_query_rows(db,
      "SELECT u.id, u.name, mu.role, (SELECT min(a.login) FROM account a WHERE a.unit_id = u.id) "
      "AS login FROM measure_unit mu JOIN unit u ON u.id = mu.unit_id WHERE mu.measure_id = ? "
      "ORDER BY mu.role = 'lead' DESC, u.id", "i", measure);
  *nleads = 0;
  size_t i;
  json_t *u;
  json_array_foreach(units, i, u)
    *nleads += !strcmp(json_string_value(json_object_get(u, "role")), "lead");
  return units;
}

/* Every other measure of the first plan (those with a lead unit), with its
** units and plot. */
static int cast_tasks(struct story *s) {
  s->measures = db_query_rows(s->db, "SELECT m.id, m.title FROM measure m JOIN chapter c ON "
                              "c.id = m.chapter_id WHERE c.plan_id = (SELECT min(id) FROM plan) "
                              "AND m.ordinal % 2 = 1 AND EXISTS (SELECT 1 FROM measure_unit mu WHERE "
                              "mu.measure_id = m.id AND mu.role = 'lead') ORDER BY m.ordinal", "");
  s->ntasks = json_array_size(s->measures);
  if (!s->ntasks) {
    snprintf(s->err, s->errlen, "the database has no plan (import one first)");
    return -1;
  }
  s->tasks = xcalloc(s->ntasks, sizeof *s->tasks);
  int jan1;
  day_from_ymd(s->year, 1, 1, &jan1);
  for (size_t k = 0; k < s->ntasks; k++) {
    struct demo_task *t = &s->tasks[k];
    json_t *m = json_array_get(s->measures, k);
    t->measure = json_integer_value(json_object_get(m, "id"));
    t->title = json_string_value(json_object_get(m, "title"));
    t->plot = PLOT_CYCLE[k % NPLOTS];
    t->start = jan1 < s->today - LEAD_IN_DAYS ? jan1 : s->today - LEAD_IN_DAYS;
    t->units = measure_units(s->db, t->measure, &t->nleads);
    schedule_task(s, t);
    add_act(s, CREATE, (int)k, t->start, 9 * 60 + (int)k, 0, -1);
    add_milestones_done(s, (int)k);
    add_reports(s, (int)k);
    add_plot(s, (int)k);
  }
  return 0;
}

/* ---- playing ---- */

static int by_time(const void *pa, const void *pb) {
  const struct act *a = pa, *b = pb;
  if (a->day != b->day) return a->day < b->day ? -1 : 1;
  if (a->minute != b->minute) return a->minute < b->minute ? -1 : 1;
  return (a->seq > b->seq) - (a->seq < b->seq);
}

static void principal_of(const struct story *s, const struct act *a, struct principal *who) {
  memset(who, 0, sizeof *who);
  if (!a->unit || a->kind == NOTICE) {
    who->level = ACCESS_ADMIN;
    snprintf(who->name, sizeof who->name, "account:admin");
    return;
  }
  const struct demo_task *t = &s->tasks[a->task];
  who->level = ACCESS_UNIT;
  who->unit_id = a->unit;
  for (size_t i = 0; i < json_array_size(t->units); i++) {
    json_t *u = json_array_get(t->units, i);
    if (json_integer_value(json_object_get(u, "id")) != a->unit) continue;
    const char *login = json_string_value(json_object_get(u, "login"));
    snprintf(who->name, sizeof who->name, login ? "account:%s" : "demo:%s",
             login ? login : json_string_value(json_object_get(u, "name")));
  }
}

static json_t *date_json(int day) {
  char text[DAY_TEXT_SIZE];
  day_format(day, text);
  return json_string(text);
}

static const char *unit_name(const struct demo_task *t, long long unit) {
  for (size_t i = 0; i < json_array_size(t->units); i++)
    if (unit_id(t, i) == unit)
      return json_string_value(json_object_get(json_array_get(t->units, i), "name"));
  return "";
}

/* The request of act A: its path in PATH and its body (a new reference). */
static json_t *request_of(const struct story *s, const struct act *a, char *path, size_t len) {
  const struct demo_task *t = &s->tasks[a->task];
  long long ref = a->ref >= 0 ? s->acts[a->ref].result : 0;
  char text[512];
  switch (a->kind) {
  case CREATE: {
    snprintf(path, len, "/api/tasks");
    snprintf(text, sizeof text, "%d年度：%s", s->year, t->title);
    json_t *ms = json_pack("[{s:s,s:o},{s:s,s:o}]", "title", "完成方案编制与部署", "due_on",
                           date_json(t->milestones[0]), "title", "完成年度主要工程量", "due_on",
                           date_json(t->milestones[1]));
    return json_pack("{s:I,s:i,s:s,s:s,s:o,s:o,s:o}", "measure_id", (json_int_t)t->measure,
                     "year", s->year, "title", text, "description", "演示数据（由演示程序生成）",
                     "start_on", date_json(t->start), "due_on", date_json(t->first_due),
                     "milestones", ms);
  }
  case MILESTONE: {
    json_t *row = db_query_row(s->db, "SELECT id FROM milestone WHERE task_id = ? ORDER BY due_on, id "
                               "LIMIT 1 OFFSET ?", "ii", t->id, (long long)a->number);
    snprintf(path, len, "/api/milestones/%lld/done", (long long)json_integer_value(json_object_get(row, "id")));
    json_decref(row);
    return json_object();
  }
  case REPORT:
    snprintf(path, len, "/api/tasks/%lld/reports", t->id);
    snprintf(text, sizeof text, a->number ? "%s 进展（补充后重报）：已补充工程量清单和现场照片，累计完成 %.0f%%。"
                                          : "%s 进展：按年度计划推进，累计完成 %.0f%%。", a->period, a->percent);
    return json_pack("{s:s,s:s,s:f}", "period", a->period, "text", text, "percent", a->percent);
  case ACCEPT:
    snprintf(path, len, "/api/reports/%lld/accept", ref);
    return json_object();
  case RETURN:
    snprintf(path, len, "/api/reports/%lld/return", ref);
    return json_pack("{s:s}", "comment", "请补充量化数据和佐证材料后重新报送");
  case NOTICE: {
    static const char *const texts[] = {
      "%s：本期进展尚未报送，请于 %s 前报送。",
      "%s：任务进度滞后，请说明原因，于 %s 前报送整改措施。",
      "%s：任务逾期未办结，挂牌督办，请于 %s 前办结并书面报告。"};
    char deadline[DAY_TEXT_SIZE];
    day_format(a->date, deadline);
    snprintf(path, len, "/api/tasks/%lld/notices", t->id);
    snprintf(text, sizeof text, texts[a->number], unit_name(t, a->unit), deadline);
    return json_pack("{s:s,s:s,s:s,s:s}", "unit", unit_name(t, a->unit), "level",
                     LEVEL_NAMES[a->number], "text", text, "deadline", deadline);
  }
  case REPLY:
    snprintf(path, len, "/api/notices/%lld/reply", ref);
    return json_pack("{s:s}", "text", "已收到，已制定整改措施，将按期完成并报送。");
  case EXTEND:
    snprintf(path, len, "/api/tasks/%lld/extensions", t->id);
    return json_pack("{s:o,s:s}", "until", date_json(a->date), "reason",
                     "受汛期施工窗口和资金拨付进度影响，申请延期。");
  case GRANT:
    snprintf(path, len, "/api/extensions/%lld/decide", ref);
    return json_pack("{s:b,s:s}", "grant", 1, "comment", "同意延期，请按新期限完成");
  case PROPOSE:
    snprintf(path, len, "/api/tasks/%lld/completion", t->id);
    return json_pack("{s:s}", "evidence", "年度任务已完成，验收意见和影像资料已归档。");
  case CONFIRM:
    snprintf(path, len, "/api/completions/%lld/decide", ref);
    return json_pack("{s:b,s:I,s:s}", "confirm", 1, "rating", (json_int_t)a->number, "comment",
                     "经核查，同意办结");
  }
  return NULL;
}

/* Run act A through the route the API would, at its instant. */
static int play(struct story *s, struct act *a) {
  if (a->ref >= 0 && !s->acts[a->ref].result) return 0;    /* what it acts on was not made */
  char path[128], today[DAY_TEXT_SIZE];
  json_t *body = request_of(s, a, path, sizeof path);
  char *text = json_dumps(body, JSON_COMPACT);
  json_decref(body);
  day_format(a->day, today);
  setenv("QINGSHUI_TODAY", today, 1);
  demo_clock_set((int64_t)a->day * 86400 + a->minute * 60 - TIME_CHINA_OFFSET_SECONDS);
  struct http_request req = {.method = "POST", .path = path, .body = text, .body_len = strlen(text),
                             .db = s->db};
  struct http_response res = {.status = 200};
  principal_of(s, a, &req.who);
  req.actor = req.who.name;
  int known;
  const struct http_route *route = http_find_route(&req, &known);
  if (route && (enum access_level)(route->flags & ROUTE_LEVEL_MASK) <= req.who.level)
    route->handler(&req, &res);
  else
    res.status = 403;
  int rc = 0;
  if (res.status >= 300) {
    json_t *detail = json_object_get(res.json, "detail");
    snprintf(s->err, s->errlen, "%s on %s: %d %s", path, today, res.status,
             detail ? json_string_value(detail) : "(no detail)");
    rc = -1;
  } else {
    a->result = json_integer_value(json_object_get(res.json, "id"));
    if (a->kind == CREATE) s->tasks[a->task].id = a->result;
  }
  json_decref(res.json);
  free(text);
  return rc;
}

static void free_story(struct story *s) {
  for (size_t k = 0; k < s->ntasks; k++) json_decref(s->tasks[k].units);
  free(s->tasks);
  free(s->acts);
  json_decref(s->measures);
}

int demo_supervision(sqlite3 *db, int today, int *created, char *err, size_t errlen) {
  int y, m, d;
  day_to_ymd(today, &y, &m, &d);
  *created = 0;
  json_t *row = db_query_row(db, "SELECT count(*) AS n FROM task WHERE year = ?", "i", (long long)y);
  long long existing = json_integer_value(json_object_get(row, "n"));
  json_decref(row);
  if (existing) return 0;
  struct story s = {.db = db, .today = today, .year = y, .cfg = &supervision_config()->light,
                    .err = err, .errlen = errlen};
  s.latest = period_of_day(s.cfg->period, today);
  while (light_report_deadline(&s.latest, s.cfg) >= today) s.latest = period_prev(&s.latest);
  char *saved = getenv("QINGSHUI_TODAY") ? xstrdup(getenv("QINGSHUI_TODAY")) : NULL;
  int rc = cast_tasks(&s);
  if (!rc) qsort(s.acts, s.nacts, sizeof *s.acts, by_time);
  /* refs are indices of the unsorted acts: renumber them */
  int *where = xcalloc(s.nacts + 1, sizeof *where);
  for (size_t i = 0; i < s.nacts; i++) where[s.acts[i].seq] = (int)i;
  for (size_t i = 0; i < s.nacts; i++)
    if (s.acts[i].ref >= 0) s.acts[i].ref = where[s.acts[i].ref];
  free(where);
  for (size_t i = 0; !rc && i < s.nacts; i++)
    if (s.acts[i].day < today) rc = play(&s, &s.acts[i]);
  if (saved) setenv("QINGSHUI_TODAY", saved, 1);
  else unsetenv("QINGSHUI_TODAY");
  free(saved);
  demo_clock_set((int64_t)today * 86400 - TIME_CHINA_OFFSET_SECONDS);
  if (!rc) *created = (int)s.ntasks;
  free_story(&s);
  return rc;
}
