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

/* Copy the seed dictionary (data/plan/, embedded) into an empty database. */
int plan_seed_dictionary(sqlite3 *db, char *err, size_t errlen);

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
  const char *unit;         /* unit id or exact name */
  const char *role;         /* "lead" or "support" */
  const char *q;            /* substring of title or body */
};

/* The id of the unit named by its id or exact name; 0 if none. */
long long plan_find_unit(sqlite3 *db, const char *id_or_name);

json_t *plan_query_plans(sqlite3 *db);
json_t *plan_query_plan(sqlite3 *db, long long id);              /* NULL if none */
json_t *plan_query_measures(sqlite3 *db, const struct measure_filter *f);
json_t *plan_query_measure(sqlite3 *db, long long id);           /* NULL if none */
json_t *plan_query_units(sqlite3 *db);
json_t *plan_query_unit(sqlite3 *db, long long id);              /* NULL if none */
json_t *plan_query_matrix(sqlite3 *db, long long plan_id);       /* NULL if none */
json_t *plan_query_aliases(sqlite3 *db);

/* Set or remove an alias (audited). Return 0, or -1 with ERR. */
int plan_put_alias(sqlite3 *db, const char *alias, const char *unit, const char *actor,
                   char *err, size_t errlen);
int plan_delete_alias(sqlite3 *db, const char *alias, const char *actor, int *found,
                      char *err, size_t errlen);

#endif
