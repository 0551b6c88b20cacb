/*
** The plan registry's SQL (store.h). Every statement binds its parameters.
**
** A re-import is recognised by a hash of the parsed content, not of the
** file's bytes: the same document parsed with the same dictionary changes
** nothing, while a revised text or an edited alias updates the plan in
** place, keeping the ids of chapters and measures (by ordinal) that later
** capabilities refer to.
*/
#include "plan/store.h"
#include "db/sql.h"
#include "plan/unit_sql.h"
#include "db/db.h"
#include "db/rows.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/embedded.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the dictionary ---------------------------------------------------- */

/* Run SQL with each data row of the embedded CSV NAME bound as ?1..?N and
** the row's index as the last parameter when the SQL asks for one more. */
static int seed_from_csv(sqlite3 *db, const char *name, const char *sql,
                         char *err, size_t errlen) {
  const struct embedded_file *f = embedded_find(name);
  if (!f) { snprintf(err, errlen, "%s is not embedded", name); return -1; }
  sqlite3_stmt *st = db_prepare(db, sql, err, errlen);
  if (!st) return -1;
  struct csv_reader r;
  csv_init(&r, (const char *)f->data, f->size);
  int rc = csv_next(&r) == 1 ? 0 : -1, row = 0;   /* header */
  int nparams = sqlite3_bind_parameter_count(st);
  while (rc == 0 && csv_next(&r) == 1) {
    sqlite3_reset(st);
    for (int i = 0; i < nparams; i++) {
      if (i < r.nfields) sqlite3_bind_text(st, i + 1, r.fields[i], -1, SQLITE_TRANSIENT);
      else sqlite3_bind_int(st, i + 1, row);
    }
    if (sqlite3_step(st) != SQLITE_DONE) {
      snprintf(err, errlen, "%s line %d: %s", name, r.line, sqlite3_errmsg(db));
      rc = -1;
    }
    row++;
  }
  if (r.error[0]) { snprintf(err, errlen, "%s: %s", name, r.error); rc = -1; }
  csv_clear(&r);
  sqlite3_finalize(st);
  return rc;
}

int plan_seed_dictionary(sqlite3 *db, const char *actor, char *err, size_t errlen) {
  if (db_begin(db) != SQLITE_OK) {
    snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    return -1;
  }
  int rc = seed_from_csv(db, "data/plan/unit_aliases.csv",
             "INSERT OR IGNORE INTO unit_alias(alias, unit_name) VALUES(?1, ?2)", err, errlen);
  if (!rc) rc = seed_from_csv(db, "data/plan/unit_collectives.csv",
             "INSERT OR IGNORE INTO unit_collective(collective, member, position) VALUES(?1, ?2, ?3)",
             err, errlen);
  if (!rc) rc = seed_from_csv(db, "data/plan/units.csv",
             "INSERT OR IGNORE INTO unit(name, kind, name_en) VALUES(?1, ?2, ?3)", err, errlen);
  if (!rc) rc = seed_from_csv(db, "data/plan/unit_suffixes.csv",
             "INSERT OR IGNORE INTO unit_suffix_rule(suffix, kind, position) VALUES(?1, ?2, ?3)",
             err, errlen);
  if (rc) { db_rollback(db); return -1; }
  db_commit(db);
  return plan_seed_renames(db, actor, err, errlen);
}

/* The current name of the unit that bore the name X (an SQL expression):
** the unit whose name it is now, else the one that held it last. */
#define CURRENT_NAME_OF(x) \
  "(SELECT u.name FROM unit_name n JOIN unit u ON u.id = n.unit_id WHERE n.name = " x \
  " ORDER BY u.name = n.name DESC, n.valid_to IS NULL DESC, n.valid_to DESC LIMIT 1)"

/* Names resolve to the unit's current name: the aliases (their targets may
** be former names), then every former name, so that a plan of 2018 naming
** 市环保局 reaches the unit called 市生态环境局 today. */
int plan_load_dictionary(sqlite3 *db, struct unit_dictionary *d, char *err, size_t errlen) {
  static const char *const queries[] = {
    "SELECT alias, coalesce(" CURRENT_NAME_OF("a.unit_name") ", a.unit_name) FROM unit_alias a "
    "UNION ALL SELECT n.name, u.name FROM unit_name n JOIN unit u ON u.id = n.unit_id "
    "WHERE n.name != u.name AND NOT EXISTS (SELECT 1 FROM unit WHERE name = n.name) "
    "AND NOT EXISTS (SELECT 1 FROM unit_alias WHERE alias = n.name)",
    "SELECT collective, coalesce(" CURRENT_NAME_OF("c.member") ", c.member) "
    "FROM unit_collective c ORDER BY collective, position",
    "SELECT name, kind FROM unit",
    "SELECT suffix, kind FROM unit_suffix_rule ORDER BY position",
  };
  for (int q = 0; q < 4; q++) {
    sqlite3_stmt *st = db_prepare(db, queries[q], err, errlen);
    if (!st) return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const char *a = (const char *)sqlite3_column_text(st, 0);
      const char *b = (const char *)sqlite3_column_text(st, 1);
      if (q == 0) unit_dictionary_add_alias(d, a, b);
      else if (q == 1) unit_dictionary_add_member(d, a, b);
      else if (q == 2) unit_dictionary_add_unit(d, a, (enum unit_kind)unit_kind_parse(b));
      else unit_dictionary_add_suffix(d, a, (enum unit_kind)unit_kind_parse(b));
    }
    sqlite3_finalize(st);
  }
  return 0;
}

/* ---- import ------------------------------------------------------------ */

static const char *role_name(enum unit_role r) { return r == ROLE_LEAD ? "lead" : "support"; }

/* The parsed content as canonical JSON: what the database will hold. */
static json_t *doc_json(const struct plan_doc *doc) {
  json_t *chapters = json_array(), *measures = json_array();
  for (size_t i = 0; i < doc->nchapters; i++)
    json_array_append_new(chapters, json_pack("[i,s]", doc->chapters[i].ordinal,
                                              doc->chapters[i].title));
  for (size_t i = 0; i < doc->nmeasures; i++) {
    const struct plan_measure *m = &doc->measures[i];
    json_t *units = json_array(), *targets = json_array();
    for (size_t j = 0; j < m->nunits; j++)
      json_array_append_new(units, json_pack("[s,s,s,s?]", m->units[j].name,
          role_name(m->units[j].role), m->units[j].written, m->units[j].via));
    for (size_t j = 0; j < m->ntargets; j++) {
      const struct plan_target *t = &m->targets[j];
      json_array_append_new(targets, json_pack("[s,i,i,f,s?,s,s]",
          t->kind == TARGET_DATED ? "dated" : "quantity", t->year, t->month, t->value,
          t->measure_unit, t->phrase, t->sentence));
    }
    json_array_append_new(measures, json_pack("[i,i,i,s,s,o,o]", m->ordinal, m->chapter,
                                              m->line, m->title, m->body, units, targets));
  }
  return json_pack("{s:s,s:s,s:s?,s:s?,s:s,s:o,s:o}", "doc_number", doc->doc_number,
                   "title", doc->title, "notice_title", doc->notice_title,
                   "issuer", doc->issuer, "issued_on", doc->issued_on,
                   "chapters", chapters, "measures", measures);
}

static void content_hash(const struct plan_doc *doc, char hex[65]) {
  json_t *j = doc_json(doc);
  char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
  unsigned char h[32];
  crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
  sodium_bin2hex(hex, 65, h, sizeof h);
  free(text);
  json_decref(j);
}

/* Step ST once; on failure describe it in ERR. Resets ST for reuse. */
static int step_done(sqlite3 *db, sqlite3_stmt *st, char *err, size_t errlen) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return 0;
  snprintf(err, errlen, "database: %s", sqlite3_errmsg(db));
  return -1;
}

static long long unit_id(sqlite3 *db, const struct unit_dictionary *dict, const char *name,
                         char *err, size_t errlen) {
  sqlite3_stmt *ins = db_prepare(db,
      "INSERT INTO unit(name, kind) VALUES(?1, ?2) ON CONFLICT(name) DO NOTHING", err, errlen);
  sqlite3_stmt *sel = db_prepare(db, "SELECT id FROM unit WHERE name = ?1", err, errlen);
  long long id = -1;
  if (ins && sel) {
    sqlite3_bind_text(ins, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, unit_kind_name(unit_dictionary_kind(dict, name)), -1, SQLITE_STATIC);
    sqlite3_bind_text(sel, 1, name, -1, SQLITE_STATIC);
    if (!step_done(db, ins, err, errlen) && sqlite3_step(sel) == SQLITE_ROW)
      id = sqlite3_column_int64(sel, 0);
  }
  sqlite3_finalize(ins);
  sqlite3_finalize(sel);
  return id;
}

static int store_measure_details(sqlite3 *db, long long measure_id, const struct plan_measure *m,
                                 const struct unit_dictionary *dict, char *err, size_t errlen) {
  sqlite3_stmt *mu = db_prepare(db, "INSERT INTO measure_unit(measure_id, unit_id, role, "
                                "position, written, via) VALUES(?,?,?,?,?,?)", err, errlen);
  sqlite3_stmt *mt = db_prepare(db, "INSERT INTO measure_target(measure_id, position, kind, "
                                "year, month, value, measure_unit, phrase, sentence) "
                                "VALUES(?,?,?,?,?,?,?,?,?)", err, errlen);
  int rc = (mu && mt) ? 0 : -1;
  for (size_t j = 0; !rc && j < m->nunits; j++) {
    long long uid = unit_id(db, dict, m->units[j].name, err, errlen);
    if (uid < 0) { rc = -1; break; }
    sqlite3_bind_int64(mu, 1, measure_id);
    sqlite3_bind_int64(mu, 2, uid);
    sqlite3_bind_text(mu, 3, role_name(m->units[j].role), -1, SQLITE_STATIC);
    sqlite3_bind_int(mu, 4, (int)j);
    sqlite3_bind_text(mu, 5, m->units[j].written, -1, SQLITE_STATIC);
    sqlite3_bind_text(mu, 6, m->units[j].via, -1, SQLITE_STATIC);
    rc = step_done(db, mu, err, errlen);
  }
  for (size_t j = 0; !rc && j < m->ntargets; j++) {
    const struct plan_target *t = &m->targets[j];
    int dated = t->kind == TARGET_DATED;
    sqlite3_bind_int64(mt, 1, measure_id);
    sqlite3_bind_int(mt, 2, (int)j);
    sqlite3_bind_text(mt, 3, dated ? "dated" : "quantity", -1, SQLITE_STATIC);
    if (dated) sqlite3_bind_int(mt, 4, t->year); else sqlite3_bind_null(mt, 4);
    if (dated && t->month) sqlite3_bind_int(mt, 5, t->month); else sqlite3_bind_null(mt, 5);
    if (!dated) sqlite3_bind_double(mt, 6, t->value); else sqlite3_bind_null(mt, 6);
    sqlite3_bind_text(mt, 7, t->measure_unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(mt, 8, t->phrase, -1, SQLITE_STATIC);
    sqlite3_bind_text(mt, 9, t->sentence, -1, SQLITE_STATIC);
    rc = step_done(db, mt, err, errlen);
  }
  sqlite3_finalize(mu);
  sqlite3_finalize(mt);
  return rc;
}

/* Upsert chapters and measures by ordinal, then drop what the new text no
** longer has and rewrite each measure's units and targets. */
static int store_structure(sqlite3 *db, long long plan_id, const struct plan_doc *doc,
                           const struct unit_dictionary *dict, char *err, size_t errlen) {
  sqlite3_stmt *ch = db_prepare(db, "INSERT INTO chapter(plan_id, ordinal, title) VALUES(?,?,?) "
      "ON CONFLICT(plan_id, ordinal) DO UPDATE SET title = excluded.title RETURNING id", err, errlen);
  sqlite3_stmt *me = db_prepare(db, "INSERT INTO measure(plan_id, chapter_id, ordinal, title, body, "
      "source_line) VALUES(?,?,?,?,?,?) ON CONFLICT(plan_id, ordinal) DO UPDATE SET "
      "chapter_id = excluded.chapter_id, title = excluded.title, body = excluded.body, "
      "source_line = excluded.source_line RETURNING id", err, errlen);
  long long *chapter_ids = xcalloc(doc->nchapters + 1, sizeof *chapter_ids);
  int rc = (ch && me) ? 0 : -1;
  for (size_t i = 0; !rc && i < doc->nchapters; i++) {
    sqlite3_bind_int64(ch, 1, plan_id);
    sqlite3_bind_int(ch, 2, doc->chapters[i].ordinal);
    sqlite3_bind_text(ch, 3, doc->chapters[i].title, -1, SQLITE_STATIC);
    if (sqlite3_step(ch) == SQLITE_ROW) chapter_ids[i] = sqlite3_column_int64(ch, 0);
    rc = step_done(db, ch, err, errlen);
  }
  const char *cleanup[] = {
    "DELETE FROM measure_unit WHERE measure_id IN (SELECT id FROM measure WHERE plan_id = ?1)",
    "DELETE FROM measure_target WHERE measure_id IN (SELECT id FROM measure WHERE plan_id = ?1)",
    "DELETE FROM measure WHERE plan_id = ?1 AND ordinal > ?2",
  };
  for (size_t k = 0; !rc && k < 3; k++) {
    sqlite3_stmt *st = db_prepare(db, cleanup[k], err, errlen);
    if (!st) { rc = -1; break; }
    sqlite3_bind_int64(st, 1, plan_id);
    if (sqlite3_bind_parameter_count(st) >= 2) sqlite3_bind_int(st, 2, (int)doc->nmeasures);
    if (sqlite3_bind_parameter_count(st) >= 3) sqlite3_bind_int(st, 3, (int)doc->nchapters);
    rc = step_done(db, st, err, errlen);
    sqlite3_finalize(st);
  }
  for (size_t i = 0; !rc && i < doc->nmeasures; i++) {
    const struct plan_measure *m = &doc->measures[i];
    sqlite3_bind_int64(me, 1, plan_id);
    sqlite3_bind_int64(me, 2, chapter_ids[m->chapter - 1]);
    sqlite3_bind_int(me, 3, m->ordinal);
    sqlite3_bind_text(me, 4, m->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(me, 5, m->body, -1, SQLITE_STATIC);
    sqlite3_bind_int(me, 6, m->line);
    long long mid = sqlite3_step(me) == SQLITE_ROW ? sqlite3_column_int64(me, 0) : 0;
    rc = step_done(db, me, err, errlen);
    if (!rc) rc = store_measure_details(db, mid, m, dict, err, errlen);
  }
  /* chapters last: the measures kept have moved off the chapters dropped */
  sqlite3_stmt *drop = rc ? NULL : db_prepare(db, "DELETE FROM chapter WHERE plan_id = ?1 AND "
                                              "ordinal > ?2", err, errlen);
  if (drop) {
    sqlite3_bind_int64(drop, 1, plan_id);
    sqlite3_bind_int(drop, 2, (int)doc->nchapters);
    rc = step_done(db, drop, err, errlen);
    sqlite3_finalize(drop);
  } else if (!rc) {
    rc = -1;
  }
  free(chapter_ids);
  sqlite3_finalize(ch);
  sqlite3_finalize(me);
  return rc;
}

/* Look up the stored plan with DOC's number: its id and content hash. */
static long long find_plan(sqlite3 *db, const char *doc_number, char hash[65]) {
  sqlite3_stmt *st = NULL;
  long long id = 0;
  hash[0] = 0;
  if (sqlite3_prepare_v2(db, "SELECT id, source_sha256 FROM plan WHERE doc_number = ?",
                         -1, &st, NULL) != SQLITE_OK) return -1;
  sqlite3_bind_text(st, 1, doc_number, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW) {
    id = sqlite3_column_int64(st, 0);
    snprintf(hash, 65, "%s", (const char *)sqlite3_column_text(st, 1));
  }
  sqlite3_finalize(st);
  return id;
}

static int upsert_plan_row(sqlite3 *db, const struct plan_doc *doc, const char *hash,
                           const char *source_name, long long *id, char *err, size_t errlen) {
  sqlite3_stmt *st = db_prepare(db,
      "INSERT INTO plan(doc_number, title, notice_title, issuer, issued_on, source_sha256, "
      "source_name, imported_at) VALUES(?,?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now')) "
      "ON CONFLICT(doc_number) DO UPDATE SET title = excluded.title, "
      "notice_title = excluded.notice_title, issuer = excluded.issuer, "
      "issued_on = excluded.issued_on, source_sha256 = excluded.source_sha256, "
      "source_name = excluded.source_name, imported_at = excluded.imported_at RETURNING id",
      err, errlen);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, doc->doc_number, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, doc->title, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, doc->notice_title, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, doc->issuer, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, doc->issued_on[0] ? doc->issued_on : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, source_name, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
  int rc = step_done(db, st, err, errlen);
  sqlite3_finalize(st);
  return rc;
}

/* The measures of stored plan PLAN_ID that DOC no longer has (measures are
** numbered through the document, so those past its last), and the tasks
** and reports that hang on them. Returns 0 if the revision may go ahead:
** nothing removed, or ALLOW_REMOVAL and nothing hangs on what is; else -1
** with ERR listing them. RANGE: the measures removed ("(34) to (72)"), or "". */
static int check_removal(sqlite3 *db, long long plan_id, const struct plan_doc *doc,
                         int allow_removal, char range[64], char *err, size_t errlen) {
  sqlite3_stmt *st = db_prepare(db,
      "SELECT m.ordinal, m.title, "
      "(SELECT group_concat(t.id || ' (' || t.year || ')', ', ') FROM task t "
      " WHERE t.measure_id = m.id), "
      "(SELECT group_concat(r.id, ', ') FROM report r JOIN task t ON t.id = r.task_id "
      " WHERE t.measure_id = m.id) "
      "FROM measure m WHERE m.plan_id = ?1 AND m.ordinal > ?2 ORDER BY m.ordinal", err, errlen);
  if (!st) return -1;
  sqlite3_bind_int64(st, 1, plan_id);
  sqlite3_bind_int(st, 2, (int)doc->nmeasures);
  struct buf removed = {0}, hanging = {0};
  int first = 0, last = 0, count = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    last = sqlite3_column_int(st, 0);
    if (!count++) first = last;
    const char *tasks = (const char *)sqlite3_column_text(st, 2);
    const char *reports = (const char *)sqlite3_column_text(st, 3);
    if (count <= 3) buf_printf(&removed, "%s(%d) %s", count > 1 ? ", " : "", last,
                               (const char *)sqlite3_column_text(st, 1));
    if (tasks)
      buf_printf(&hanging, "; measure (%d): tasks %s%s%s", last, tasks,
                 reports ? ", reports " : "", reports ? reports : "");
  }
  sqlite3_finalize(st);
  int rc = 0;
  range[0] = 0;
  if (count) {
    snprintf(range, 64, count > 1 ? "(%d) to (%d)" : "(%d)", first, last);
    if (hanging.len)
      snprintf(err, errlen, "refused: the revision removes %d measure(s), %s, and tasks hang on "
               "them%s (remove those tasks first)", count, range, buf_str(&hanging));
    else if (!allow_removal)
      snprintf(err, errlen, "refused: the revision removes %d measure(s), %s: %s%s (use "
               "--allow-removal if that is meant)", count, range, buf_str(&removed),
               count > 3 ? ", ..." : "");
    rc = hanging.len || !allow_removal ? -1 : 0;
  }
  buf_free(&removed);
  buf_free(&hanging);
  return rc;
}

int plan_store(sqlite3 *db, const struct plan_doc *doc, const char *source_name,
               const char *actor, int allow_removal, enum plan_import_outcome *outcome,
               long long *plan_id, char *err, size_t errlen) {
  struct unit_dictionary dict = {0};
  char hash[65], old_hash[65], removed[64] = "";
  content_hash(doc, hash);
  if (db_begin(db) != SQLITE_OK) {
    snprintf(err, errlen, "database busy: %s", sqlite3_errmsg(db));
    return -1;
  }
  int rc = plan_load_dictionary(db, &dict, err, errlen);
  long long existing = rc ? -1 : find_plan(db, doc->doc_number, old_hash);
  if (existing < 0) rc = -1;
  if (!rc && existing && !strcmp(hash, old_hash)) {
    *outcome = IMPORT_UNCHANGED;
    *plan_id = existing;
    db_rollback(db);
    unit_dictionary_free(&dict);
    return 0;
  }
  if (!rc && existing) rc = check_removal(db, existing, doc, allow_removal, removed, err, errlen);
  if (!rc) rc = upsert_plan_row(db, doc, hash, source_name, plan_id, err, errlen);
  if (!rc) rc = store_structure(db, *plan_id, doc, &dict, err, errlen);
  if (!rc) {
    json_t *after = json_pack("{s:s,s:s,s:I,s:I}", "doc_number", doc->doc_number,
                              "content_hash", hash, "chapters", (json_int_t)doc->nchapters,
                              "measures", (json_int_t)doc->nmeasures);
    if (removed[0]) json_object_set_new(after, "removed_measures", json_string(removed));
    json_t *before = existing ? json_pack("{s:s}", "content_hash", old_hash) : NULL;
    char *after_text = json_dumps(after, JSON_COMPACT);
    char *before_text = before ? json_dumps(before, JSON_COMPACT) : NULL;
    if (db_audit(db, actor, existing ? "plan.update" : "plan.create", "plan", *plan_id,
                 before_text, after_text) != SQLITE_OK) {
      snprintf(err, errlen, "audit log: %s", sqlite3_errmsg(db));
      rc = -1;
    }
    free(after_text);
    free(before_text);
    json_decref(after);
    json_decref(before);
  }
  if (!rc && db_commit(db) != SQLITE_OK) {
    snprintf(err, errlen, "commit failed: %s", sqlite3_errmsg(db));
    rc = -1;
  }
  if (rc) db_rollback(db);
  else *outcome = existing ? IMPORT_UPDATED : IMPORT_CREATED;
  unit_dictionary_free(&dict);
  return rc;
}

/* ---- queries ----------------------------------------------------------- */

/* Units of measure m, as JSON text, in document order: each with the name
** it had when the plan was issued and the name of the unit (or units, after
** a split) that does its work today. */
#define MEASURE_UNITS_JSON \
  "(SELECT json_group_array(json_object('id', u.id, 'name', coalesce((SELECT n.name FROM unit_name n " \
  "  WHERE n.unit_id = u.id AND (n.valid_from IS NULL OR n.valid_from <= p.issued_on) " \
  "  AND (n.valid_to IS NULL OR n.valid_to > p.issued_on) ORDER BY n.valid_from DESC LIMIT 1), u.name), " \
  "'current_name', (SELECT group_concat(cu.name, '、') FROM unit_current c JOIN unit cu " \
  "  ON cu.id = c.current_id WHERE c.unit_id = u.id), 'kind', u.kind, " \
  "'role', mu.role, 'via', mu.via, 'written', mu.written)) FROM " \
  "(SELECT * FROM measure_unit WHERE measure_id = m.id ORDER BY role, position) mu " \
  "JOIN unit u ON u.id = mu.unit_id JOIN plan p ON p.id = m.plan_id) AS units_json"

#define MEASURE_TARGETS_JSON \
  "(SELECT json_group_array(json_object('kind', kind, 'year', year, 'month', month, " \
  "'value', value, 'measure_unit', measure_unit, 'phrase', phrase, 'sentence', sentence)) " \
  "FROM (SELECT * FROM measure_target WHERE measure_id = m.id ORDER BY position)) AS targets_json"

#define MEASURE_COLUMNS \
  "m.id, m.plan_id, m.ordinal, c.ordinal AS chapter, c.title AS chapter_title, m.title, " \
  "m.body, m.source_line, " MEASURE_UNITS_JSON ", " MEASURE_TARGETS_JSON

static json_t *query_all(sqlite3 *db, const char *sql, long long id) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
  if (sqlite3_bind_parameter_count(st)) sqlite3_bind_int64(st, 1, id);
  json_t *rows = db_rows_json(st);
  sqlite3_finalize(st);
  return rows;
}

static json_t *query_one(sqlite3 *db, const char *sql, long long id) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
  sqlite3_bind_int64(st, 1, id);
  json_t *row = db_row_json(st);
  sqlite3_finalize(st);
  return row;
}

long long plan_find_unit(sqlite3 *db, const char *id_or_name) {
  struct sql_db *sql = sql_wrap_sqlite(db);
  long long id = plan_find_unit_in(sql, id_or_name);
  sql_close(sql);
  return id;
}

json_t *plan_query_plans(sqlite3 *db) {
  return query_all(db,
      "SELECT p.id, p.doc_number, p.title, p.issuer, p.issued_on, p.imported_at, "
      "(SELECT count(*) FROM chapter WHERE plan_id = p.id) AS chapters, "
      "(SELECT count(*) FROM measure WHERE plan_id = p.id) AS measures "
      "FROM plan p ORDER BY p.issued_on DESC, p.id", 0);
}

json_t *plan_query_plan(sqlite3 *db, long long id) {
  json_t *plan = query_one(db,
      "SELECT id, doc_number, title, notice_title, issuer, issued_on, source_name, imported_at, "
      "(SELECT json_group_array(json_object('id', c.id, 'ordinal', c.ordinal, 'title', c.title, "
      "'measures', (SELECT count(*) FROM measure WHERE chapter_id = c.id))) FROM "
      "(SELECT * FROM chapter WHERE plan_id = plan.id ORDER BY ordinal) c) AS chapters_json "
      "FROM plan WHERE id = ?", id);
  if (!plan) return NULL;
  json_object_set_new(plan, "measures", plan_query_measures(db,
                      &(struct measure_filter){.plan_id = id}));
  return plan;
}

/* The units a filter's unit names (wanted): those with that id or exactly
** that name, former name or alias; failing that, any of whose names contains
** it. A measure matches when one of its units does that unit's work today. */
#define WANTED_UNITS \
  "WITH exact(uid) AS (SELECT id FROM unit WHERE id = ?3 " \
  "  UNION SELECT unit_id FROM unit_any_name WHERE name = ?3), " \
  "hits(uid) AS (SELECT uid FROM exact UNION SELECT unit_id FROM unit_any_name " \
  "  WHERE NOT EXISTS (SELECT 1 FROM exact) AND instr(name, ?3) > 0), " \
  "wanted(cid) AS (SELECT current_id FROM unit_current WHERE unit_id IN (SELECT uid FROM hits)) "

json_t *plan_query_measures(sqlite3 *db, const struct measure_filter *f) {
  sqlite3_stmt *st = NULL;
  const char *sql =
      WANTED_UNITS "SELECT " MEASURE_COLUMNS " FROM measure m JOIN chapter c ON c.id = m.chapter_id "
      "WHERE (?1 IS NULL OR m.plan_id = ?1) AND (?2 IS NULL OR c.ordinal = ?2) "
      "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM measure_unit mu JOIN unit_current uc "
      "     ON uc.unit_id = mu.unit_id WHERE mu.measure_id = m.id "
      "     AND uc.current_id IN (SELECT cid FROM wanted) AND (?4 IS NULL OR mu.role = ?4))) "
      "AND (?5 IS NULL OR instr(m.title, ?5) > 0 OR instr(m.body, ?5) > 0 "
      "     OR EXISTS (SELECT 1 FROM measure_unit mu JOIN unit_current uc ON uc.unit_id = mu.unit_id "
      "     JOIN unit cu ON cu.id = uc.current_id WHERE mu.measure_id = m.id AND instr(cu.name, ?5) > 0)) "
      "ORDER BY m.plan_id, m.ordinal";
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
  if (f->plan_id) sqlite3_bind_int64(st, 1, f->plan_id);
  if (f->chapter) sqlite3_bind_int(st, 2, f->chapter);
  sqlite3_bind_text(st, 3, f->unit, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, f->role, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, f->q && *f->q ? f->q : NULL, -1, SQLITE_STATIC);
  json_t *rows = db_rows_json(st);
  sqlite3_finalize(st);
  return rows;
}

json_t *plan_query_measure(sqlite3 *db, long long id) {
  return query_one(db, "SELECT " MEASURE_COLUMNS ", p.doc_number, p.title AS plan_title "
                   "FROM measure m JOIN chapter c ON c.id = m.chapter_id "
                   "JOIN plan p ON p.id = m.plan_id WHERE m.id = ?", id);
}

/* One unit with its history, aliases and measures (its own and, for a unit
** of today, those of the units it succeeded). */
json_t *plan_query_unit(sqlite3 *db, long long id) {
  json_t *unit = query_one(db, "SELECT u.id, u.name, u.name_en, u.kind, " UNIT_COUNTS ", "
      UNIT_HISTORY_SQLITE ", "
      "(SELECT json_group_array(alias) FROM unit_alias WHERE unit_name IN "
      "  (SELECT name FROM unit_name WHERE unit_id = u.id)) AS aliases_json, "
      "(SELECT json_group_array(json_object('name', name, 'valid_from', valid_from, "
      "  'valid_to', valid_to, 'source', source)) FROM (SELECT * FROM unit_name WHERE unit_id = u.id "
      "  ORDER BY valid_from IS NOT NULL, valid_from)) AS names_json, "
      "(SELECT json_group_array(json_object('id', s.predecessor, 'name', pu.name, 'kind', s.kind, "
      "  'date', s.on_date)) FROM unit_succession s JOIN unit pu ON pu.id = s.predecessor "
      "  WHERE s.successor = u.id) AS predecessors_json "
      "FROM unit u WHERE u.id = ?", id);
  if (!unit) return NULL;
  char key[32];
  snprintf(key, sizeof key, "%lld", id);
  json_object_set_new(unit, "lead", plan_query_measures(db,
      &(struct measure_filter){.unit = key, .role = "lead"}));
  json_object_set_new(unit, "support", plan_query_measures(db,
      &(struct measure_filter){.unit = key, .role = "support"}));
  return unit;
}

/* Units of today by chapter: a measure counts for the units that do its
** work now (the successors of a unit that ended), once per unit. */
json_t *plan_query_matrix(sqlite3 *db, long long plan_id) {
  json_t *chapters = query_all(db, "SELECT ordinal, title FROM chapter WHERE plan_id = ? "
                               "ORDER BY ordinal", plan_id);
  if (!chapters || !json_array_size(chapters)) {
    json_decref(chapters);
    return NULL;
  }
  json_t *cells = query_all(db,
      "SELECT u.id AS unit_id, u.name AS unit, u.kind, c.ordinal AS chapter, "
      "count(DISTINCT CASE WHEN mu.role = 'lead' THEN m.id END) AS lead, "
      "count(DISTINCT CASE WHEN mu.role = 'support' THEN m.id END) AS support "
      "FROM measure_unit mu JOIN measure m ON m.id = mu.measure_id "
      "JOIN chapter c ON c.id = m.chapter_id JOIN unit_current uc ON uc.unit_id = mu.unit_id "
      "JOIN unit u ON u.id = uc.current_id "
      "WHERE m.plan_id = ? GROUP BY u.id, c.ordinal ORDER BY u.id, c.ordinal", plan_id);
  return json_pack("{s:I,s:o,s:o}", "plan_id", (json_int_t)plan_id, "chapters", chapters,
                   "cells", cells);
}

/* ---- renames, mergers and splits -------------------------------------- */

/* A unit that exists today named NAME (any of its names or aliases), or 0
** with the reason in ERR. */
static long long existing_unit(sqlite3 *db, const char *name, char *err, size_t errlen) {
  long long id = plan_find_unit(db, name);
  if (!id) snprintf(err, errlen, "no unit of today is named '%s' (see 'qingshui units list')", name);
  return id;
}

/* Audit ACTION on unit ID with BEFORE and AFTER (both stolen). */
static int audit_unit(sqlite3 *db, const char *actor, const char *action, long long id,
                      json_t *before, json_t *after, char *err, size_t errlen) {
  char *b = json_dumps(before, JSON_COMPACT), *a = json_dumps(after, JSON_COMPACT);
  int rc = db_audit(db, actor, action, "unit", id, b, a) == SQLITE_OK ? 0 : -1;
  if (rc) snprintf(err, errlen, "audit log: %s", sqlite3_errmsg(db));
  free(b);
  free(a);
  json_decref(before);
  json_decref(after);
  return rc;
}

/* Rename unit UID to NEW_NAME from DATE on, inside the caller's transaction. */
static int rename_tx(sqlite3 *db, long long uid, const char *new_name, const char *date,
                     const char *source, const char *actor, char *err, size_t errlen) {
  json_t *now = db_query_row(db, "SELECT u.name, n.valid_from FROM unit u JOIN unit_name n "
                             "ON n.unit_id = u.id AND n.name = u.name AND n.valid_to IS NULL "
                             "WHERE u.id = ?", "i", uid);
  const char *old = json_string_value(json_object_get(now, "name"));
  const char *since = json_string_value(json_object_get(now, "valid_from"));
  json_t *clash = NULL;
  int rc = -1;
  if (!old)
    snprintf(err, errlen, "unit %lld has no name in force", uid);
  else if (unit_rename_check(old, since, new_name, date, err, errlen))
    ;
  else if ((clash = db_query_row(db, "SELECT id FROM unit WHERE name = ?", "s", new_name)))
    snprintf(err, errlen, "'%s' is another unit: to join the two use 'qingshui units succeed "
             "%s --into %s'", new_name, old, new_name);
  else
    rc = 0;
  if (!rc && (db_exec_bind(db, err, errlen, "UPDATE unit_name SET valid_to = ?2 WHERE unit_id = ?1 "
                           "AND valid_to IS NULL", "is", uid, date) < 0 ||
              db_exec_bind(db, err, errlen, "INSERT INTO unit_name(unit_id, name, valid_from, source) "
                           "VALUES(?, ?, ?, ?)", "isss", uid, new_name, date, source) < 0 ||
              db_exec_bind(db, err, errlen, "UPDATE unit SET name = ?2, name_en = NULL WHERE id = ?1",
                           "is", uid, new_name) < 0))
    rc = -1;
  if (!rc)
    rc = audit_unit(db, actor, "unit.rename", uid, json_pack("{s:s,s:s?}", "name", old, "since", since),
                    json_pack("{s:s,s:s,s:s}", "name", new_name, "since", date, "source", source),
                    err, errlen);
  json_decref(clash);
  json_decref(now);
  return rc;
}

/* Tables whose rows stay with the unit they name when it ends: the plan as
** written, and the unit's own history. */
static int stays_with_unit(const char *table) {
  static const char *const kept[] = {"measure_unit", "unit_name", "unit_succession", "task_unit"};
  for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
    if (!strcmp(table, kept[i])) return 1;
  return 0;
}

/* Pass the work of unit PRED to SUCCS: every successor takes its tasks (in
** its role; lead wins over support), the first takes every other row that
** names it (accounts, reports, notices, inbox: whatever table refers to a
** unit). Counts the moved rows into MOVED. */
static int move_work(sqlite3 *db, long long pred, const long long *succs, size_t nsuccs,
                     json_t *moved, char *err, size_t errlen) {
  for (size_t i = 0; i < nsuccs; i++) {
    int n = db_exec_bind(db, err, errlen, "INSERT INTO task_unit(task_id, unit_id, role) "
        "SELECT task_id, ?2, role FROM task_unit WHERE unit_id = ?1 "
        "ON CONFLICT(task_id, unit_id) DO UPDATE SET role = 'lead' WHERE excluded.role = 'lead'",
        "ii", pred, succs[i]);
    if (n < 0) return -1;
    if (!i) json_object_set_new(moved, "task_unit", json_integer(n));
  }
  if (db_exec_bind(db, err, errlen, "DELETE FROM task_unit WHERE unit_id = ?", "i", pred) < 0) return -1;
  json_t *refs = db_query_rows(db, "SELECT m.name AS tab, f.\"from\" AS col FROM sqlite_schema m, "
      "pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f.\"table\" = 'unit' "
      "ORDER BY m.name", "");
  size_t i;
  json_t *r;
  int rc = 0;
  json_array_foreach(refs, i, r) {
    const char *tab = json_string_value(json_object_get(r, "tab"));
    if (rc || stays_with_unit(tab)) continue;
    char sql[256];  /* names from the schema itself, quoted */
    snprintf(sql, sizeof sql, "UPDATE \"%s\" SET \"%s\" = ?2 WHERE \"%s\" = ?1", tab,
             json_string_value(json_object_get(r, "col")), json_string_value(json_object_get(r, "col")));
    int n = db_exec_bind(db, err, errlen, sql, "ii", pred, succs[0]);
    if (n < 0) rc = -1;
    else if (n) json_object_set_new(moved, tab, json_integer(n));
  }
  json_decref(refs);
  return rc;
}

/* The successor named NAME: the unit of today with that name, or a new unit
** of KIND. */
static long long successor_unit(sqlite3 *db, const char *name, const char *kind,
                                char *err, size_t errlen) {
  long long id = plan_find_unit(db, name);
  if (id) return id;
  json_t *row = db_query_row(db, "INSERT INTO unit(name, kind) VALUES(?, ?) RETURNING id", "ss", name, kind);
  id = json_integer_value(json_object_get(row, "id"));
  if (!id) snprintf(err, errlen, "cannot create unit '%s': %s", name, sqlite3_errmsg(db));
  json_decref(row);
  return id;
}

/* End PREDS on DATE, link them to SUCCS and move their work, inside the
** caller's transaction. */
static int succeed_tx(sqlite3 *db, const long long *preds, size_t npreds, const long long *succs,
                      size_t nsuccs, const char *date, const char *source, const char *actor,
                      char *err, size_t errlen) {
  const char *kind = unit_succession_kind(npreds, nsuccs);
  int rc = 0;
  for (size_t p = 0; !rc && p < npreds; p++) {
    json_t *before = db_query_row(db, "SELECT u.id, u.name, u.kind, n.valid_from AS since FROM unit u "
                                  "JOIN unit_name n ON n.unit_id = u.id AND n.valid_to IS NULL "
                                  "WHERE u.id = ?", "i", preds[p]);
    json_t *moved = json_object(), *to = json_array();
    rc = unit_change_check(json_string_value(json_object_get(before, "since")), date, err, errlen);
    for (size_t s = 0; !rc && s < nsuccs; s++) {
      json_array_append_new(to, json_integer(succs[s]));
      if (db_exec_bind(db, err, errlen, "INSERT INTO unit_succession(predecessor, successor, on_date, "
                       "kind, source) VALUES(?, ?, ?, ?, ?)", "iisss", preds[p], succs[s], date, kind,
                       source) < 0) rc = -1;
    }
    if (!rc) rc = move_work(db, preds[p], succs, nsuccs, moved, err, errlen);
    if (!rc && (db_exec_bind(db, err, errlen, "UPDATE unit SET dissolved_on = ?2 WHERE id = ?1", "is",
                             preds[p], date) < 0 ||
                db_exec_bind(db, err, errlen, "UPDATE unit_name SET valid_to = ?2 WHERE unit_id = ?1 "
                             "AND valid_to IS NULL", "is", preds[p], date) < 0)) rc = -1;
    if (!rc) {
      rc = audit_unit(db, actor, "unit.succeed", preds[p], before,
                      json_pack("{s:s,s:s,s:s,s:o,s:o}", "kind", kind, "date", date, "source", source,
                                "successors", to, "moved", moved), err, errlen);
    } else {
      json_decref(before);
      json_decref(moved);
      json_decref(to);
    }
  }
  return rc;
}

/* End the transaction of a change: commit if RC is 0, else roll back. */
static int finish(sqlite3 *db, int rc, char *err, size_t errlen) {
  if (!rc && db_commit(db) != SQLITE_OK) {
    snprintf(err, errlen, "commit failed: %s", sqlite3_errmsg(db));
    rc = -1;
  }
  if (rc) db_rollback(db);
  return rc;
}

static int begin(sqlite3 *db, char *err, size_t errlen) {
  if (db_begin(db) == SQLITE_OK) return 0;
  snprintf(err, errlen, "database busy: %s", sqlite3_errmsg(db));
  return -1;
}

int plan_unit_rename(sqlite3 *db, const char *old, const char *new_name, const char *date,
                     const char *source, const char *actor, char *err, size_t errlen) {
  if (!*source) {
    snprintf(err, errlen, "the source must not be empty");
    return -1;
  }
  if (begin(db, err, errlen)) return -1;
  long long uid = existing_unit(db, old, err, errlen);
  return finish(db, uid ? rename_tx(db, uid, new_name, date, source, actor, err, errlen) : -1,
                err, errlen);
}

int plan_unit_succeed(sqlite3 *db, char *const *preds, size_t npreds, char *const *succs,
                      size_t nsuccs, const char *date, const char *source, const char *actor,
                      char *err, size_t errlen) {
  if (!unit_succession_kind(npreds, nsuccs) || !*source) {
    snprintf(err, errlen, "a merger ends several units into one, a split one unit into several; "
             "both need a source");
    return -1;
  }
  if (unit_change_check(NULL, date, err, errlen) || begin(db, err, errlen)) return -1;
  long long *pid = xcalloc(npreds, sizeof *pid), *sid = xcalloc(nsuccs, sizeof *sid);
  int rc = 0;
  for (size_t i = 0; !rc && i < npreds; i++)
    if (!(pid[i] = existing_unit(db, preds[i], err, errlen))) rc = -1;
  json_t *first = rc ? NULL : db_query_row(db, "SELECT kind FROM unit WHERE id = ?", "i", pid[0]);
  for (size_t i = 0; !rc && i < nsuccs; i++) {
    sid[i] = successor_unit(db, succs[i], json_string_value(json_object_get(first, "kind")), err, errlen);
    for (size_t j = 0; sid[i] && j < npreds; j++)
      if (sid[i] == pid[j]) {
        snprintf(err, errlen, "'%s' cannot succeed itself", succs[i]);
        sid[i] = 0;
      }
    if (!sid[i]) rc = -1;
  }
  if (!rc) rc = succeed_tx(db, pid, npreds, sid, nsuccs, date, source, actor, err, errlen);
  json_decref(first);
  free(pid);
  free(sid);
  return finish(db, rc, err, errlen);
}

/* Apply one rename of the seed unless it is already in the history: the
** unit bearing OLD (created if no plan named it yet) takes NEW, or joins the
** unit of today already called NEW. */
static int seed_rename(sqlite3 *db, const struct unit_dictionary *dict, const char *old,
                       const char *new_name, const char *date, const char *source,
                       const char *actor, char *err, size_t errlen) {
  json_t *done = db_query_row(db, "SELECT 1 AS x FROM unit_name WHERE name = ? AND valid_to IS NOT NULL",
                              "s", old);
  json_t *row = done ? NULL : db_query_row(db, "SELECT id FROM unit WHERE name = ? AND dissolved_on IS NULL",
                                           "s", old);
  long long uid = json_integer_value(json_object_get(row, "id")), target = 0;
  int rc = 0;
  if (!done && !uid)
    uid = successor_unit(db, old, unit_kind_name(unit_dictionary_kind(dict, new_name)), err, errlen);
  if (!done && uid) {
    json_t *other = db_query_row(db, "SELECT id FROM unit WHERE name = ?", "s", new_name);
    target = json_integer_value(json_object_get(other, "id"));
    json_decref(other);
    rc = target ? succeed_tx(db, &uid, 1, &target, 1, date, source, actor, err, errlen)
                : rename_tx(db, uid, new_name, date, source, actor, err, errlen);
  } else if (!done) {
    rc = -1;
  }
  json_decref(done);
  json_decref(row);
  return rc;
}

int plan_seed_renames(sqlite3 *db, const char *actor, char *err, size_t errlen) {
  static const char name[] = "data/plan/unit_renames.csv";
  const struct embedded_file *f = embedded_find(name);
  if (!f) { snprintf(err, errlen, "%s is not embedded", name); return -1; }
  if (begin(db, err, errlen)) return -1;
  struct unit_dictionary dict = {0};
  int rc = plan_load_dictionary(db, &dict, err, errlen);
  struct csv_reader r;
  csv_init(&r, (const char *)f->data, f->size);
  if (!rc && csv_next(&r) != 1) rc = -1;   /* header */
  while (!rc && csv_next(&r) == 1) {
    char why[400];
    if (r.nfields != 4 || unit_change_check(NULL, r.fields[2], why, sizeof why))
      snprintf(why, sizeof why, "old,new,date,source with a date YYYY-MM-DD expected");
    else if (!seed_rename(db, &dict, r.fields[0], r.fields[1], r.fields[2], r.fields[3], actor,
                          why, sizeof why))
      continue;
    snprintf(err, errlen, "%s line %d: %s", name, r.line, why);
    rc = -1;
  }
  if (!rc && r.error[0]) { snprintf(err, errlen, "%s: %s", name, r.error); rc = -1; }
  csv_clear(&r);
  unit_dictionary_free(&dict);
  return finish(db, rc, err, errlen);
}
