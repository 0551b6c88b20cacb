/*
** The shape every supervision change takes: one transaction in which the
** change is made, written to the audit log with the row before and after,
** and announced as an event to whoever must act next (their inbox and the
** webhook). Handlers call action_begin, make their change, then
** action_audit/action_event, then action_commit, which replies.
*/
#ifndef QS_SUPERVISION_ACTION_H
#define QS_SUPERVISION_ACTION_H
#include "http/server.h"

struct action {
  struct http_request *req;
  struct http_response *res;
  char err[256];
  const char *code;           /* the error code if it fails; NULL: "refused" */
  int failed;
};

/* Start the transaction; on failure replies 503 and returns -1. */
int action_begin(struct action *a, struct http_request *req, struct http_response *res);

/* The row of TABLE with ID as a JSON object (new reference) or NULL.
** TABLE must be one of the supervision tables (checked). */
json_t *action_row(sqlite3 *db, const char *table, long long id);

/* Audit ACTION on TABLE's row ID, BEFORE (may be NULL; stolen) and the row now. */
void action_audit(struct action *a, const char *action, const char *table, long long id,
                  json_t *before);

/* Record an event for UNIT_ID's accounts (0: for the administrators)
** about REF_ID: the row of the table its kind begins with (notice.issued:
** a notice), so that action_settle can find it again. */
void action_event(struct action *a, const char *kind, long long task_id, long long unit_id,
                  long long ref_id, const char *summary);

/* The action an inbox item asked for has been taken: mark the events of
** KIND about REF_ID done, whoever they were addressed to. */
void action_settle(struct action *a, const char *kind, long long ref_id);

/* action_settle about each row of ROWS (objects with an "id", from
** db_query_rows; stolen): a request sent back is settled when it is made
** again. */
void action_settle_rows(struct action *a, const char *kind, json_t *rows);

/* Run SQL (types as db_exec_bind) as part of the action; on failure the
** action is marked failed and ERR says why. Returns rows changed or -1. */
int action_exec(struct action *a, const char *sql, const char *types, ...);

/* Commit and reply STATUS with BODY (stolen), or roll back and reply the
** error if anything failed. */
void action_commit(struct action *a, int status, json_t *body);

#endif
