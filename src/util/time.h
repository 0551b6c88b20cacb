/*
** Times shown to people: qingshui stores the platform's clock in UTC
** (ISO 8601 with Z, or unix seconds) and shows it in China time
** (Asia/Shanghai, UTC+8 all year: China has had no daylight saving time
** since 1991), as "YYYY-MM-DD HH:MM" or with ":SS". The water data's own
** times (HJ 212 DataTime, sample times) are China time already and are
** never passed through here. Also "today" for every rule that needs a date.
*/
#ifndef QS_UTIL_TIME_H
#define QS_UTIL_TIME_H
#include <stdint.h>

/* China time is UTC+8 all year. */
#define TIME_CHINA_OFFSET_SECONDS (8 * 3600)

/* "YYYY-MM-DD HH:MM:SS" and its NUL. */
#define TIME_TEXT_SIZE 20

/* UNIX seconds as China time: "YYYY-MM-DD HH:MM", or with ":SS" if SECONDS. */
void time_china_epoch(int64_t epoch, int seconds, char out[TIME_TEXT_SIZE]);

/* A UTC time as stored ("YYYY-MM-DDTHH:MM:SS[.fff]Z" or "YYYY-MM-DD HH:MM:SS")
** as China time, as time_china_epoch writes it; -1 if UTC is not such a time. */
int time_china_text(const char *utc, int seconds, char out[TIME_TEXT_SIZE]);

/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define TIME_UTC_SIZE 21

/* The real clock now, as the API and the database write it: ISO 8601 UTC. */
void time_utc_now(char out[TIME_UTC_SIZE]);

/* UNIX seconds EPOCH as time_utc_now writes a time. */
void time_utc_epoch(int64_t epoch, char out[TIME_UTC_SIZE]);

/* Today's date in China (YYYY-MM-DD): $QINGSHUI_TODAY when it is a date
** (demos and tests), else the real clock's date at UTC+8, whatever the
** machine's zone. The one reader of "today": lights, the assessment's
** as-of day, the dates of reports, completions and milestones done. */
void time_today(char out[11]);

#endif
