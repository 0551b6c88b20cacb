/*
** China time for people (time.h): arithmetic on the days of the proleptic
** Gregorian calendar (supervision/period.h), never the C library's zone,
** so the machine's TZ changes nothing.
*/
#include "util/time.h"
#include "supervision/period.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY_SECONDS 86400

void time_china_epoch(int64_t epoch, int seconds, char out[TIME_TEXT_SIZE]) {
  int64_t local = epoch + TIME_CHINA_OFFSET_SECONDS;
  int64_t day = local >= 0 ? local / DAY_SECONDS : -((-local + DAY_SECONDS - 1) / DAY_SECONDS);
  int64_t in_day = local - day * DAY_SECONDS;
  int y, m, d;
  day_to_ymd((int)day, &y, &m, &d);
  int hh = (int)(in_day / 3600), mm = (int)(in_day / 60 % 60), ss = (int)(in_day % 60);
  char text[64];   /* room for any int the compiler imagines; the years are 1..9999 */
  snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mm, ss);
  snprintf(out, TIME_TEXT_SIZE, "%.*s", seconds ? TIME_TEXT_SIZE - 1 : TIME_TEXT_SIZE - 4, text);
}

/* The value of N decimal digits at S, or -1 if any is not a digit. */
static int number(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* What may follow the seconds: nothing (SQLite's datetime()), or Z after
** optional fractions (ISO 8601 as the API writes it). */
static int utc_suffix(const char *s) {
  if (!*s) return 1;
  if (*s == '.') {
    s++;
    while (*s >= '0' && *s <= '9') s++;
  }
  return !strcmp(s, "Z");
}

int time_china_text(const char *utc, int seconds, char out[TIME_TEXT_SIZE]) {
  int day;
  char date[11];
  if (!utc || strlen(utc) < 19 || (utc[10] != 'T' && utc[10] != ' ') || utc[13] != ':' ||
      utc[16] != ':' || !utc_suffix(utc + 19))
    return -1;
  snprintf(date, sizeof date, "%.10s", utc);
  int hh = number(utc + 11, 2), mm = number(utc + 14, 2), ss = number(utc + 17, 2);
  if (day_parse(date, &day) || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
    return -1;
  time_china_epoch((int64_t)day * DAY_SECONDS + hh * 3600 + mm * 60 + ss, seconds, out);
  return 0;
}

void time_utc_epoch(int64_t epoch, char out[TIME_UTC_SIZE]) {
  time_t t = (time_t)epoch;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, TIME_UTC_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_utc_now(char out[TIME_UTC_SIZE]) { time_utc_epoch((int64_t)time(NULL), out); }

void time_today(char out[11]) {
  const char *fixed = getenv("QINGSHUI_TODAY");
  int day;
  if (fixed && !day_parse(fixed, &day)) {
    memcpy(out, fixed, 11);
    return;
  }
  char now[TIME_TEXT_SIZE];
  time_china_epoch((int64_t)time(NULL), 0, now);
  snprintf(out, 11, "%.10s", now);
}
