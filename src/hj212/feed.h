/*
** HJ 212 readings into the water evaluation (issues 3 and 4): a water
** section lists in its `stations` column the MNs of the stations that
** feed it; the receiver's writer passes each newly stored reading of such
** a station to water_writer_add, inside the batch's transaction, so the
** section's hour/day/month aggregates and its alarms move in the same
** commit as the reading.
**
** The mapping is the station's pollutant code -> its indicator
** (hj212_station_code) -> the GB 3838 Table 1 item whose code is the
** indicator without punctuation, case-insensitively (NH3-N -> NH3N,
** CODMn -> CODMN); codes the standard does not know are not passed on.
** Loaded once per registry reload on the writer's connection; a station
** that feeds no section is absent, so its packets cost one lookup.
*/
#ifndef QS_HJ212_FEED_H
#define QS_HJ212_FEED_H
#include <sqlite3.h>
#include <stddef.h>

struct hj212_feeds;
struct hj212_feed;

/* The feeds as the database has them now; NULL with ERR on failure.
** Holds statements on DB: free it before closing DB. */
struct hj212_feeds *hj212_feeds_load(sqlite3 *db, char *err, size_t errlen);
void hj212_feeds_free(struct hj212_feeds *f);

/* Station ID's feed, or NULL when it feeds no section. */
const struct hj212_feed *hj212_feeds_find(const struct hj212_feeds *f, long long station_id);

/* One stored reading of a feeding station: pollutant CODE (2017) of an
** upload CN at DATA_TIME ('YYYY-MM-DD HH:MM:SS', local), its data FLAG
** (0 if absent) and values V[HJ212_RTD..HJ212_COU] with PRESENT bits.
** Returns 0 (passed on, or not for the water sections), -1 on a database
** error: roll the batch back. */
int hj212_feed_reading(const struct hj212_feed *feed, int cn, const char *data_time,
                       const char *code, char flag, unsigned present, const double *v);

/* Write what the water writer gathered; call before each commit. 0 or -1. */
int hj212_feeds_flush(struct hj212_feeds *f);

#endif
