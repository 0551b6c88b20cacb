/*
** `qingshui demo`: a city in the middle of its year, on any date. On a
** database holding the plan and the demo water sections it adds, for the
** year of --today (default: today, China time):
**   - demo accounts for each role, their passwords beside the admin's;
**   - tasks for 36 measures with their year's story: reports accepted and
**     returned, 催办, 督办 and 挂牌督办 with replies, extensions, completions
**     with ratings (supervision.c), played through the real HTTP handlers
**     at past instants (clock.h), so the audit log and the inbox hold;
**   - SYNTHETIC daily water readings up to yesterday (water.c).
** The same date gives the same story; running again adds nothing that is
** already there.
*/
#ifndef QS_DEMO_DEMO_H
#define QS_DEMO_DEMO_H
#include <sqlite3.h>
#include <stddef.h>

/* China's offset from UTC (no daylight saving): the demo's days are China's. */
#define DEMO_CHINA_SECONDS (8 * 3600)

int demo_main(int argc, char **argv);

/* The supervision story for the year of TODAY (a day number, period.h).
** *CREATED gets the tasks made (0 when the year already has tasks).
** 0, or -1 with ERR. */
int demo_supervision(sqlite3 *db, int today, int *created, char *err, size_t errlen);

/* Synthetic readings, one a day at 08:00, from 1 January of the year
** before TODAY's to the day before TODAY, for every section on the days it
** has no reading, drawn around the section's stored means. *STORED gets
** the readings added. 0, or -1 with ERR. */
int demo_water(sqlite3 *db, int today, int *stored, char *err, size_t errlen);

#endif
