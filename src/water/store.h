/*
** The water tables (migration 0004_water.sql): sections, readings with
** their incremental aggregates, alarms, and the queries the API and the
** commands share. Every write runs in one BEGIN IMMEDIATE transaction with
** its audit line, so an import is all-or-nothing.
*/
#ifndef QS_WATER_STORE_H
#define QS_WATER_STORE_H
#include "water/coverage.h"
#include "water/evaluate.h"
#include <jansson.h>
#include <sqlite3.h>

/* What the evaluation needs to know about a section. */
struct water_section {
  long long id;
  char name[128];
  enum water_body body;
  int target;                  /* 1..5, 0 when none */
  water_mask assessed;         /* 0 = the class indicators */
  long long inflow_id;         /* 0 when none */
  char county[64];
};

/* Import sections from CSV (header: name,river,body,level, then optional
** province,city,county,county_up,county_down,inflow,target_class,
** target_demo,items,stations,lat,lon,note), inserting or updating by name.
** All or nothing; errors name line and field. *COUNT gets the rows stored. */
int water_import_sections(sqlite3 *db, const struct water_standard *s, const char *csv,
                          size_t len, const char *actor, int *count, char *err, size_t errlen);

/* Import readings from CSV (header: section,time,item,value[,flag]; value
** as measured, "0.01L" or flag L for below the detection limit; time
** 'YYYY-MM-DD HH:MM'). All or nothing; errors name line and field. A
** reading already stored with the same value is skipped; with a different
** value it is an error. Aggregates and alarms follow in the same
** transaction. *STORED and *ALARMS (may be NULL) get the counts. */
int water_import_readings(sqlite3 *db, const struct water_standard *s, const char *csv,
                          size_t len, const char *source, const char *actor,
                          int *stored, int *alarms, char *err, size_t errlen);

/* A bulk load's page cache: the readings of a hundred sections' series
** land on as many B-tree leaves, more than SQLite's default 2 MiB holds.
** water_bulk_cache_begin gives DB a larger one (unless it already has as
** much, or a size in pages) and returns what water_bulk_cache_end restores.
** Not for a connection that commits every few milliseconds (hj212/writer.c
** says why). */
int water_bulk_cache_begin(sqlite3 *db);
void water_bulk_cache_end(sqlite3 *db, int was);

/* Storing readings one by one inside the caller's transaction (the import
** above, the HJ 212 receiver): the row, its hour/day/month aggregates, and
** an alarm if its class is worse than the section's target. The
** aggregates are gathered in memory: call water_writer_flush before each
** commit (until then water_agg lacks the batch's sums). */
struct water_writer;

struct water_writer *water_writer_open(sqlite3 *db, const struct water_standard *s,
                                       char *err, size_t errlen);
/* Returns 0 stored, 1 already stored with the same value, -1 on error
** (ERR says why). *ALARM is set to 1 when an alarm was opened. */
int water_writer_add(struct water_writer *w, const struct water_section *sec, int item,
                     const char *at, double value, int below, const char *source,
                     int *alarm, char *err, size_t errlen);
/* Write the gathered aggregates; 0, or -1 with ERR (roll back then). */
int water_writer_flush(struct water_writer *w, char *err, size_t errlen);
/* Frees the writer; sums not flushed are dropped (as on a rollback). */
void water_writer_close(struct water_writer *w);

/* AT as 'YYYY-MM-DD HH:MM' (a 'T' separator is accepted) into OUT[17];
** -1 if it is not a valid time. */
int water_parse_time(const char *at, char *out);

/* The section with this id (or NAME when ID is 0). 0, 1 if absent, -1 on error. */
int water_section_get(sqlite3 *db, const struct water_standard *s, long long id,
                      const char *name, struct water_section *out);

/* A period key of the evaluation: 'YYYY' (year), 'YYYY-Qn' (quarter),
** 'YYYY-MM' (month), 'YYYY-MM-DD' (day), 'YYYY-MM-DD HH' (hour). */
enum water_span_kind { WATER_SPAN_HOUR, WATER_SPAN_DAY, WATER_SPAN_MONTH, WATER_SPAN_QUARTER,
                       WATER_SPAN_YEAR };
struct water_span {
  enum water_span_kind kind;
  const char *aggregate;       /* the aggregate rows it is computed from: hour, day, month */
  char from[16], to[16];       /* their first and last start, inclusive */
};

/* Parse a period key into *OUT. 0, or -1 if KEY is not one. */
int water_period_span(const char *key, struct water_span *out);

/* The values of SECTION's items for the period START (any key above,
** averaged as the method says: see collect() in query.c) into VALUES (NAN
** when not measured). Returns the number of items with data, -1 on error
** (including a START that is not a period key). */
int water_period_values(sqlite3 *db, const struct water_standard *s, long long section,
                        const char *start, double *values);

/* The number of days of the month or quarter KEY ('YYYY-MM', 'YYYY-Qn')
** on which SECTION has readings of any item; -1 on error (or a bad KEY). */
int water_days_with_data(sqlite3 *db, long long section, const char *key);

/* The same for every section at once, from one range scan of the
** aggregates: VALUES holds (MAX_ID + 1) rows of S->n doubles, row k for
** section id k. Returns 0, -1 on error. */
int water_period_values_all(sqlite3 *db, const struct water_standard *s, const char *start,
                            long long max_id, double *values);

/* JSON for the API and the pages (new references; NULL on database error). */
json_t *water_sections_json(sqlite3 *db);
/* Every section's class for MONTH (the latest with data when NULL or ""),
** with the month's coverage against MIN on TODAY: a section under it has
** no month_result (数据不足); NULL on database error. */
json_t *water_overview_json(sqlite3 *db, const struct water_standard *s, const char *month,
                            const struct water_minimum *min, const char *today);
json_t *water_trend_json(sqlite3 *db, const struct water_standard *s, long long section,
                         const char *item, const char *period, const char *from,
                         const char *to);
json_t *water_alarms_json(sqlite3 *db, const char *state);

/* Move alarm ID to TO ('acknowledged' or 'closed'). 0, 1 if no such alarm
** or the move is not allowed, -1 on database error. */
int water_alarm_move(sqlite3 *db, long long id, const char *to, const char *actor,
                     const char *note, char *err, size_t errlen);

/* The evaluation of a section's values as JSON (class, rating, items,
** main pollutants, compliance with TARGET when TARGET > 0). */
json_t *water_result_json(const struct water_standard *s, const struct water_result *r,
                          int target);

#endif
