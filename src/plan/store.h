/*
** The plan registry in the database: importing a parsed plan, the unit
** dictionary, and the queries behind the API and the CLI. Queries return
** jansson values (new references) so that the API and the CLI show the same
** facts from one piece of code.
*/
#ifndef QS_PLAN_STORE_H
#define QS_PLAN_STORE_H
#include "plan/plan.h"
#include <jansson.h>
#include <sqlite3.h>

/* Copy the seed dictionary (data/plan/, embedded) into an empty database,
** then apply its renames (plan_seed_renames). */
int plan_seed_dictionary(sqlite3 *db, const char *actor, char *err, size_t errlen);

/* Apply the renames of data/plan/unit_renames.csv (the 2019 reform) that
** the database does not have yet, audited as ACTOR: the unit keeps its id
** and takes the new name from the date on. Run by init on every database. */
int plan_seed_renames(sqlite3 *db, const char *actor, char *err, size_t errlen);

/* Rename the unit of today named OLD (any of its names) to NEW_NAME from
** DATE (YYYY-MM-DD) on, citing SOURCE; audited. The unit keeps its id, so
** its tasks, reports and accounts stay with it. Return 0, or -1 with ERR. */
int plan_unit_rename(sqlite3 *db, const char *old, const char *new_name, const char *date,
                     const char *source, const char *actor, char *err, size_t errlen);

/* End the units PREDS on DATE and pass their work to SUCCS (units of today,
** or new units of the first predecessor's kind): a merger (one successor)
** or a split (one predecessor, several successors). Every successor takes
** the predecessors' tasks; the first also takes their accounts, reports,
** notices and inbox. The plan keeps naming the predecessors. Audited;
** return 0, or -1 with ERR and nothing changed. */
int plan_unit_succeed(sqlite3 *db, char *const *preds, size_t npreds, char *const *succs,
                      size_t nsuccs, const char *date, const char *source, const char *actor,
                      char *err, size_t errlen);

/* Load the dictionary the parser uses. */
int plan_load_dictionary(sqlite3 *db, struct unit_dictionary *dict, char *err, size_t errlen);

enum plan_import_outcome { IMPORT_CREATED, IMPORT_UPDATED, IMPORT_UNCHANGED };

/* Store DOC in one transaction: a new plan, an update of the plan with the
** same document number, or nothing when the stored plan is the same. An
** update that removes measures is refused unless ALLOW_REMOVAL, and always
** when tasks hang on them (ERR lists them). */
int plan_store(sqlite3 *db, const struct plan_doc *doc, const char *source_name,
               const char *actor, int allow_removal, enum plan_import_outcome *outcome,
               long long *plan_id, char *err, size_t errlen);

/* Filters of plan_query_measures; NULL or 0 means "any". */
struct measure_filter {
  long long plan_id;
  int chapter;              /* chapter ordinal */
  const char *unit;         /* unit id or name (exact, else part of one): the unit of today */
  const char *role;         /* "lead" or "support" */
  const char *q;            /* substring of title, body or a unit's name of today */
};

/* The unit of today named by an id, a name it has or had, or an alias: after
** a merger its successor. 0 if none, or if a split left several. */
long long plan_find_unit(sqlite3 *db, const char *id_or_name);

json_t *plan_query_plans(sqlite3 *db);
json_t *plan_query_plan(sqlite3 *db, long long id);              /* NULL if none */
json_t *plan_query_measures(sqlite3 *db, const struct measure_filter *f);
json_t *plan_query_measure(sqlite3 *db, long long id);           /* NULL if none */
json_t *plan_query_unit(sqlite3 *db, long long id);              /* NULL if none */
json_t *plan_query_matrix(sqlite3 *db, long long plan_id);       /* NULL if none */

/* On either store (unit_store.c, over the SQL layer): units with their
** counts, former names and successors, Q (or NULL) keeping those with a
** name, former name or alias (theirs or their predecessors') containing
** it; the alias table. */
struct sql_db;
long long plan_find_unit_in(struct sql_db *db, const char *id_or_name);   /* plan_find_unit's */
json_t *plan_query_units(struct sql_db *db, const char *q);
json_t *plan_query_aliases(struct sql_db *db);

/* Set or remove an alias (audited); *FOUND says whether there was one to
** remove. Return 0, or -1 with ERR and nothing changed. */
int plan_put_alias(struct sql_db *db, const char *alias, const char *unit, const char *actor,
                   char *err, size_t errlen);
int plan_delete_alias(struct sql_db *db, const char *alias, const char *actor, int *found,
                      char *err, size_t errlen);

#endif
