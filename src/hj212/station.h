/*
** The HJ 212 station registry (tables hj212_station, hj212_station_code):
** adding, listing, removing and importing stations, and `qingshui station`.
*/
#ifndef QS_HJ212_STATION_H
#define QS_HJ212_STATION_H
#include <sqlite3.h>
#include <stddef.h>

/* A station as registered. Strings are owned by the caller's storage. */
struct station_def {
  const char *mn, *password, *st, *name, *kind, *owner;
  const char *codes;   /* "w01018=COD w21003=NH3-N" or NULL */
  const char *lon, *lat;  /* decimal degrees as text; both NULL or "" when unknown */
};

/* Check DEF's fields as the receiver will use them; the first problem in
** ERR (naming the field) and -1, or 0. */
int station_check(const struct station_def *def, char *err, size_t errlen);

/* Insert DEF and its audit line, as ACTOR (inside the caller's
** transaction). Returns the id or -1. */
long long station_insert(sqlite3 *db, const struct station_def *def, const char *actor,
                         char *err, size_t errlen);

/* Write the audit line of an added or updated station ACTION (no password). */
int station_audit(sqlite3 *db, const char *action, long long id, const struct station_def *def,
                  const char *actor, char *err, size_t errlen);

/* Remove the station with MN (when ID is 0) or ID, with its readings, and
** audit it (inside the caller's transaction). Returns 1 removed, 0 if there
** is no such station, -1 with ERR. */
int station_remove(sqlite3 *db, const char *mn, long long id, const char *actor,
                   char *err, size_t errlen);

/* `qingshui station ...` */
int station_cli(int argc, char **argv);

#endif
