/*
** Air quality by HJ 633 (2012 and 2026 editions): the tables as data and
** the AQI of an hour and of a day. Pure: the tables come in as CSV text
** (data/air/, data/standards/hj633_*iaqi.csv) through a lookup the caller
** gives; no I/O, no clock.
**
** A station-hour is stamped at the END of the hour ("2026-03-01 01:00" is
** the hour 00:00-01:00), as the national platform stamps it; the edition in
** force is chosen by that stamp, a day's by its first hour (D 01:00).
*/
#ifndef QS_AIR_H
#define QS_AIR_H
#include <stddef.h>

/* The items, keyed as in data/air/pollutants.csv and in the CLI's columns.
** AIR_O3 is the 1-hour O3 (the daily AQI: its daily maximum), AIR_O3_8H the
** 8-hour moving mean (daily AQI only). */
enum air_key { AIR_PM10, AIR_PM25, AIR_O3, AIR_O3_8H, AIR_SO2, AIR_NO2, AIR_CO, AIR_NKEYS };

#define AIR_MAX_BP 8
#define AIR_MAX_EDITIONS 4
#define AIR_NLEVELS 6

/* One breakpoint table: IAQI iaqi[k] at concentration conc[k], k < n. */
struct air_table {
  int n;
  double conc[AIR_MAX_BP], iaqi[AIR_MAX_BP];
};

enum air_mode { AIR_REALTIME, AIR_DAILY };

struct air_edition {
  char name[32];                       /* "HJ 633—2026" */
  long first_hour;                     /* air_hour_parse of its first stamp */
  struct air_table table[2][AIR_NKEYS]; /* [mode][key]; n = 0: not evaluated */
  double so2_1h_above_top;             /* IAQI past 800, or -1: the 24-hour SO2 */
  double o3_8h_above_top;              /* IAQI past 800, or -1: the 1-hour O3 */
  int pm10_hidden;                     /* an empty PM10 beside a PM2.5 is hidden */
};

struct air_level {
  int level, aqi_min, aqi_max;         /* aqi_max -1: no upper bound */
  char name[32], grade[16], colour[16], rgb[8];
  char effect[256], advice[512];
};

struct air_validity {
  int day_min_hours, o3_8h_min_hours, o3_8h_max_min_windows, o3_1h_max_min_hours;
  int month_min_days, february_min_days, year_min_days;
};

struct air_standard {
  struct air_edition edition[AIR_MAX_EDITIONS];
  int nedition;                        /* ascending first_hour */
  char key[AIR_NKEYS][8];              /* "pm2_5" */
  char published[AIR_NKEYS][48];       /* "细颗粒物(PM2.5)" */
  int decimals[AIR_NKEYS];
  int order[AIR_NKEYS];                /* listing order of primary pollutants */
  struct air_level level[AIR_NLEVELS];
  struct air_validity validity;
  double index_limit[AIR_NKEYS];       /* composite-index Sᵢ; 0: not in the index */
};

/* Returns the text of the data file NAME ("data/air/levels.csv") and its
** length, or NULL if there is none. */
typedef const char *(*air_find_fn)(const char *name, size_t *len, void *ctx);

/* Load every table through FIND. 0, or -1 with the file, line and field in ERR. */
int air_standard_load(struct air_standard *s, air_find_fn find, void *ctx,
                      char *err, size_t errlen);

/* The key's index for NAME ("pm2_5"), or -1. */
int air_key_index(const char *name);

/* "YYYY-MM-DD HH:MM" (HH 00..24) as hours since 1970-01-01 00:00 into *OUT;
** -1 if malformed. Minutes must be 00. */
int air_hour_parse(const char *text, long *out);

/* The edition in force for the hour stamped HOUR (end of the hour). */
const struct air_edition *air_edition_at(const struct air_standard *s, long hour);

/* The level of a published AQI. */
const struct air_level *air_level_of(const struct air_standard *s, int aqi);

/* X rounded to DECIMALS half to even (a decimal tie within 1e-9 counts as
** a tie, so 0.325 rounds to 0.32). */
double air_round(double x, int decimals);

/* ---- the AQI ------------------------------------------------------------- */

enum air_state { AIR_PRESENT, AIR_MISSING, AIR_NOT_MEASURED };

/* One hour's latest 1-hour values, or one day's means (mode AIR_DAILY):
** value[k] used only when state[k] is AIR_PRESENT. so2_24h is the 24-hour
** SO2 that 2012 reports past the 1-hour table's top (< 0: unknown). */
struct air_input {
  enum air_state state[AIR_NKEYS];
  double value[AIR_NKEYS];
  double so2_24h;
};

struct air_result {
  int published;                 /* 0: the platform publishes no AQI */
  int aqi;                       /* valid when published */
  int iaqi[AIR_NKEYS];           /* -1: not evaluated */
  unsigned primary;              /* bit k: key k is a primary pollutant */
  const struct air_level *level; /* NULL when not published */
};

/* IAQI of concentration C on table T, rounded up; 500 above the top of a
** table that reaches 500, -1 above the top of one that does not. */
int air_iaqi(const struct air_table *t, double c);

/* The AQI of IN in MODE by edition E (air.md §2): items not measured are
** ignored; a missing item withholds an AQI of 100 or less; without both PM
** items nothing is published; primary pollutants only above 50, ties all.
** The published data show these rules for the hour; a day is held to the
** same ones (what the platform does with an incomplete day is not known). */
void air_aqi(const struct air_standard *s, const struct air_edition *e, enum air_mode mode,
             const struct air_input *in, struct air_result *out);

/* ---- means (GB 3095 validity, validity.csv) --------------------------------- */

/* The mean of the N values at V that are not NAN, or NAN if fewer than MIN. */
double air_mean(const double *v, int n, int min);

/* The day's maximum 8-hour O3 from its 24 hourly values (index 0 = the hour
** ending 01:00; NAN missing): the largest of the 8-hour means ending
** 08:00..24:00 that have at least o3_8h_min_hours values, or NAN with fewer
** than o3_8h_max_min_windows such means. */
double air_o3_8h_max(const struct air_validity *v, const double hours[24]);

/* The daily input from a station's 24 hours (HOURS[k][i] value of key k in
** the hour i; NAN missing). NOT_MEASURED marks keys the station lacks. */
void air_day_input(const struct air_validity *v, const double hours[AIR_NKEYS][24],
                   unsigned not_measured, struct air_input *day);

#endif
