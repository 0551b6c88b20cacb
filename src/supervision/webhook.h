/*
** The outgoing webhook: every supervision event (a notice issued, a report
** returned, a completion proposed, ...) is POSTed as JSON to a configured
** URL, for the city's messaging system. Delivery runs on its own thread,
** reads the events table, retries with back-off and records each outcome
** in webhook_delivery, so a restart loses nothing.
*/
#ifndef QS_SUPERVISION_WEBHOOK_H
#define QS_SUPERVISION_WEBHOOK_H

struct webhook;

/* Start delivering the events created from now on to URL, using the
** database at DB_PATH. Returns NULL with ERR set on failure. */
struct webhook *webhook_start(const char *url, const char *db_path, char *err, unsigned long errlen);

/* Stop the thread (waits for a delivery in flight). */
void webhook_stop(struct webhook *w);

#endif
