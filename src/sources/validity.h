/*
** Which online-monitoring values count, pure: the data flags of the three
** HJ 212 generations (data/sources/data_flags.csv: only N counts; a letter
** in no row is unknown, invalid, and the caller keeps it), the windows that
** the enterprise or the bureau marked (停运, 维护, 校准, 故障), and the
** thresholds of data/sources/validity.json (valid minutes per hour, valid
** hours per day; their source and its uncertainty are in the file).
** Then the derived values: an hour from minute data, the day's
** flow-weighted wastewater mean, a flue-gas hour 折算 to reference O2, and
** the capture and transmission rates of a period.
**
** Times are int64 seconds (the caller's clock: the stations' DataTime read
** as UTC, so that a day is [k*86400, (k+1)*86400)); a value stands for the
** period [t, t + length): a minute, an hour.
*/
#ifndef QS_SOURCES_VALIDITY_H
#define QS_SOURCES_VALIDITY_H
#include <stddef.h>
#include <stdint.h>

#define SRC_MINUTE 60
#define SRC_HOUR 3600
#define SRC_DAY 86400

struct src_rules {
  unsigned char flag_known[128], flag_valid[128], flag_stopped[128];
  int hour_min_valid_minutes;   /* a valid hour needs this many valid minutes */
  int day_min_valid_hours;      /* a valid day needs this many valid hours */
  int unflagged_valid;          /* a value without a flag counts as N */
  int64_t event_max_gap;        /* seconds an exceedance event bridges (exceed.h) */
};

/* Fill R from the flag table (CSV text, header flag,generation,valid,
** stopped,meaning,source) and validity.json (NUL-terminated). Returns 0, or
** -1 with the file, line and field in ERR (R unchanged then). A letter
** valid in one generation and invalid in another is refused. */
int src_rules_load(struct src_rules *r, const char *flags_csv, size_t flags_len,
                   const char *validity_json, char *err, size_t errlen);

/* 停运, 维护, 校准, 故障: the kinds of marked window. */
enum src_window_kind { SRC_WINDOW_STOPPED, SRC_WINDOW_MAINTENANCE, SRC_WINDOW_CALIBRATION,
                       SRC_WINDOW_FAULT };

/* A marked window [start, end). */
struct src_window {
  int64_t start, end;
  enum src_window_kind kind;
};

/* Why a value does or does not count by its flag and time (the means
** below also leave out values that are not finite, and negative volumes). */
enum src_verdict {
  SRC_VALID = 0,
  SRC_BAD_FLAG,       /* a known flag other than N (or unflagged, if so configured) */
  SRC_UNKNOWN_FLAG,   /* a letter in no generation's table: invalid, kept by the caller */
  SRC_MARKED,         /* its period overlaps a marked window */
};

/* The verdict on a value flagged FLAG (0: none) standing for [START,
** START + LENGTH), given the NW windows W. A period that overlaps a window
** at all is marked: the window's data are affected data, and a partly
** affected average is affected too. */
enum src_verdict src_value_verdict(const struct src_rules *r, char flag, int64_t start,
                                   int64_t length, const struct src_window *w, size_t nw);

/* 1 if FLAG is a stop flag (F) or [START, START + LENGTH) overlaps a 停运
** window: the capture rate leaves such periods out of the expected ones. */
int src_period_stopped(const struct src_rules *r, char flag, int64_t start, int64_t length,
                       const struct src_window *w, size_t nw);

/* One flagged value at time T. */
struct src_sample {
  int64_t t;
  double v;
  char flag;
};

/* A mean and whether it counts. */
struct src_mean {
  int n_valid;        /* valid values that went into it */
  int valid;          /* enough of them by the rules */
  double value;       /* NAN when no valid value */
};

/* The hour [HOUR_START, +3600) from minute data M (one sample per minute;
** others ignored): the arithmetic mean of its valid minutes, valid when
** there are hour_min_valid_minutes of them. */
void src_hour_from_minutes(const struct src_rules *r, const struct src_sample *m, size_t n,
                           int64_t hour_start, const struct src_window *w, size_t nw,
                           struct src_mean *out);

/* A wastewater hour: the concentration C (Avg) with its flag, and the
** hour's volume Q in m3 (w00000-Cou) with its flag. */
struct src_water_hour {
  int64_t t;
  double c;
  char c_flag;
  double q;
  char q_flag;
};

/* A wastewater day. */
struct src_water_day {
  int valid_hours;    /* hours whose concentration and volume both count */
  int valid;          /* valid_hours >= day_min_valid_hours */
  double mean;        /* flow-weighted mean sum(C*Q)/sum(Q); NAN if sum(Q) is 0 */
  double volume;      /* sum(Q) of the valid hours, m3 */
  double load;        /* sum(C*Q) of the valid hours (concentration unit x m3) */
};

/* The day [DAY_START, +86400) from the hours H (one per hour; others
** ignored). An hour counts only if both its concentration and its volume
** do. Invalid hours are left out, not substituted (HJ 75's 修约 is not
** implemented). The same sums give a flue-gas day's load (C in mg/m3 as
** measured, not 折算; Q the a00000-Cou volume); gas limits are judged on
** hours (src_gas_hour), not on this mean. */
void src_water_day(const struct src_rules *r, const struct src_water_hour *h, size_t n,
                   int64_t day_start, const struct src_window *w, size_t nw,
                   struct src_water_day *out);

/* 折算: C at the measured O2 (percent) converted to the reference O2,
** C_ref = C x (21 - O2_ref) / (21 - O2_measured) (HJ 75-2017, as quoted
** in shared/domain/survey-2.md §1.3; the same as HJ 1045-2019's C x
** alpha/alpha_s). Returns 0, or -1 if an O2 is outside [0, 21) or C is
** not finite. */
int src_reference_o2(double c, double o2_measured, double o2_ref, double *out);

/* A flue-gas hour: the concentration with its flag and the O2 with its. */
struct src_gas_hour {
  int64_t t;
  double c;
  char c_flag;
  double o2;
  char o2_flag;
};

/* The hour's value as judged: C 折算 to O2_REF when O2_REF is not NAN
** (then the O2 must count too), else C as measured. */
void src_gas_hour(const struct src_rules *r, const struct src_gas_hour *h, double o2_ref,
                  const struct src_window *w, size_t nw, struct src_mean *out);

/* 有效数据捕集率 of [START, END) by hours (gov-sources.md §4.2, as coded in
** public code): rate = valid / (expected - stopped) x 100, expected the
** hours of the period, stopped those flagged F or in a 停运 window (with or
** without data), valid the hours with a counting value. */
struct src_capture {
  int expected, stopped, valid;
  double rate;        /* percent; NAN if every hour is stopped */
};

/* H: the hourly samples at whole hours (any order; the first of an hour
** counts, others and samples between hours are ignored). Returns
** 0, or -1 if END <= START or the bounds are not whole hours. */
int src_capture_rate(const struct src_rules *r, const struct src_sample *h, size_t n,
                     int64_t start, int64_t end, const struct src_window *w, size_t nw,
                     struct src_capture *out);

/* 传输率 of [START, END): of the EXPECTED = (END - START) / INTERVAL
** reporting slots (INTERVAL the station's reporting interval, slot k being
** [START + k*INTERVAL, +INTERVAL)), how many received a data time: a
** repeated or extra packet in a slot counts once. Returns 0 with
** *RECEIVED, *EXPECTED and *RATE (percent), or -1 if INTERVAL <= 0 or the
** period is shorter than one interval. */
int src_transmission_rate(const int64_t *times, size_t n, int64_t start, int64_t end,
                          int64_t interval, int *received, int *expected, double *rate);

#endif
