/*
** `qingshui simulate` (simulate.h): N HJ 212 stations on one libuv loop,
** each with its own TCP connection, MN and password, sending 2017
** real-time uploads (CN 2011, Flag=5: the A bit asks for a 9014 reply).
**
** Values follow a day/night cycle on the packet's DataTime (discharges peak
** in the working day, pH and dissolved oxygen in the afternoon), with noise,
** occasional exceedance episodes and maintenance periods (data flag M). A
** packet not answered within --timeout is sent again, up to --retries times,
** as real data loggers do; a station keeps at most --window packets
** unanswered and buffers the readings that fall due meanwhile. Latency is
** measured from a packet's first send to its 9014.
**
** Load mode (--interval below 1 s): DataTime starts 30 days back and
** advances one second per packet, so that every packet is a distinct
** reading (the receiver stores a repeated DataTime once) and none is
** refused as lying in the future. A station's DataTime also keeps up with
** the run's clock (a second per packet of each station on average): real
** stations all report the present moment, and left to itself each
** station's clock would drift from the others' by its share of the
** acknowledgements (28 s apart after 10 s at 33,000 packets/s), spreading
** the receiver's time-first index over far more pages than real stations
** ever would.
*/
#include "hj212/simulate.h"
#include "db/db.h"
#include "db/rows.h"
#include "hj212/hj212.h"
#include "hj212/station.h"
#include "util/buf.h"
#include "util/cli.h"
#include "util/stream.h"
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <uv.h>

#define TZ_SECONDS (8 * 3600)     /* stations send China's local time */
#define TICK_MS 50                /* resolution of timeouts and reconnects */
#define MAX_WINDOW 64
#define MAX_BACKLOG 1000          /* readings a station buffers while it cannot send */
#define HIST_STEP_NS 100000ull    /* latency histogram: 0.1 ms steps ... */
#define HIST_BUCKETS 100000       /* ... up to 10 s */
#define LOAD_BACKFILL (30 * 86400)
#define RECONNECT_MS 1000

/* ---- what a station measures ---- */

struct factor {
  const char *code;
  double base;        /* typical value */
  double amp;         /* relative day/night amplitude */
  double peak_hour;   /* local hour of the daily maximum */
  double noise;       /* relative standard deviation */
  double exceed;      /* multiplier during an exceedance episode */
  double lo, hi;      /* bounds the value is kept within */
  int scaled;         /* multiplied by the station's pollution level */
  int decimals;
};

#define MAX_FACTORS 8

struct profile {
  const char *st, *kind, *label, *codes;
  const struct factor *factors;
  int n;                        /* at most MAX_FACTORS */
};

/* Surface-water section (ST 21): the GB 3838 items an automatic station measures. */
static const struct factor SECTION[] = {
  {"w01001", 7.6, 0.04, 15, 0.01, 1, 6, 9.5, 0, 2},    /* pH */
  {"w01009", 8.0, 0.15, 15, 0.03, 1, 2, 14, 0, 2},     /* dissolved oxygen */
  {"w01010", 18, 0.08, 16, 0.01, 1, 0, 35, 0, 1},      /* water temperature */
  {"w01019", 2.4, 0.10, 11, 0.05, 2.5, 0, 30, 1, 2},   /* permanganate index */
  {"w21003", 0.30, 0.20, 10, 0.08, 4, 0, 10, 1, 3},    /* ammonia nitrogen */
  {"w21011", 0.05, 0.15, 10, 0.08, 3, 0, 2, 1, 3},     /* total phosphorus */
  {"w21001", 1.2, 0.10, 10, 0.05, 2, 0, 20, 1, 2},     /* total nitrogen */
};

/* Wastewater outlet (ST 32): discharges follow the working day. */
static const struct factor OUTLET[] = {
  {"w01018", 32, 0.30, 14, 0.08, 3, 0, 2000, 1, 1},    /* COD */
  {"w21003", 2.5, 0.30, 14, 0.10, 4, 0, 200, 1, 2},    /* ammonia nitrogen */
  {"w21011", 0.3, 0.25, 14, 0.10, 3, 0, 50, 1, 3},     /* total phosphorus */
  {"w01001", 7.2, 0.02, 14, 0.01, 1, 5, 10, 0, 2},     /* pH */
  {"w00000", 18, 0.50, 13, 0.05, 1, 0, 5000, 1, 1},    /* flow, L/s */
};

static const struct profile PROFILES[] = {
  {"21", "water_section", "模拟断面",
   "w01001=pH w01009=DO w01010=WT w01019=CODMn w21003=NH3-N w21011=TP w21001=TN", SECTION, 7},
  {"32", "outlet", "模拟排口", "w01018=COD w21003=NH3-N w21011=TP w01001=pH w00000=flow",
   OUTLET, 5},
};

_Static_assert(sizeof SECTION / sizeof *SECTION <= MAX_FACTORS && sizeof OUTLET / sizeof *OUTLET <= MAX_FACTORS,
               "a profile has more factors than a station's curve holds");

/* Every third station is an outlet, the others are river sections. */
static const struct profile *profile_of(unsigned idx) { return &PROFILES[idx % 3 == 2]; }

/* ---- options ---- */

struct options {
  unsigned stations, window, retries;
  double interval, duration, timeout, progress;
  unsigned long long seed;
  const char *target, *register_db;
  int register_only;
};

static const char usage_text[] =
  "usage: qingshui simulate --stations N --target HOST:PORT [OPTIONS]\n"
  "\n"
  "Play N HJ 212 stations (2017 real-time uploads, CN 2011, reply requested):\n"
  "river sections (ST 21) and wastewater outlets (ST 32) with day/night patterns,\n"
  "occasional exceedances, maintenance periods (flag M) and retries when no\n"
  "reply comes. Prints progress on stderr and a summary line on stdout.\n"
  "\n"
  "  --stations N        stations, each with its own connection (1..100000)\n"
  "  --target HOST:PORT  the receiver (qingshui serve --hj212)\n"
  "  --interval S        seconds between a station's packets (default 30); below 1\n"
  "                      is load mode, 0 sends as fast as replies come\n"
  "  --duration S        stop after S seconds (default: run until Ctrl-C)\n"
  "  --seed N            stations' MNs, passwords and values (default 1)\n"
  "  --register-db PATH  first write the stations (MN, password, ST, codes) into\n"
  "                      the station registry of PATH, so the receiver accepts them\n"
  "  --db PATH           the same as --register-db PATH\n"
  "  --register-only     register and exit\n"
  "  --timeout S         wait this long for a reply before sending again (default 5)\n"
  "  --retries N         send again at most N times, then give up (default 3)\n"
  "  --window N          unanswered packets a station may have (default 1, max 64)\n"
  "  --progress S        progress line every S seconds on stderr (default 5, 0: none)\n"
  "\n"
  "Summary: sent (first sends), acknowledged, retried, gave_up, unanswered,\n"
  "ack_per_s, p50_ms, p99_ms, max_ms. Exit status 1 if nothing was acknowledged.\n";

static int parse_number(const char *name, const char *v, double lo, double hi, double *out) {
  char *end;
  double d = strtod(v, &end);
  if (!*v || *end || !(d >= lo && d <= hi)) {
    cli_error("simulate: --%s '%s' must be a number from %g to %g", name, v, lo, hi);
    return -1;
  }
  *out = d;
  return 0;
}

/* Fill O from argv; 1 for --help, -1 on a usage error, 0 otherwise. */
static int parse_options(int argc, char **argv, struct options *o) {
  static const struct option longopts[] = {
    {"stations", required_argument, NULL, 'n'}, {"interval", required_argument, NULL, 'i'},
    {"target", required_argument, NULL, 't'},   {"duration", required_argument, NULL, 'd'},
    {"seed", required_argument, NULL, 's'},     {"register-db", required_argument, NULL, 'r'},
    {"db", required_argument, NULL, 'r'},
    {"register-only", no_argument, NULL, 'R'},  {"timeout", required_argument, NULL, 'T'},
    {"retries", required_argument, NULL, 'y'},  {"window", required_argument, NULL, 'w'},
    {"progress", required_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};
  *o = (struct options){.window = 1, .retries = 3, .interval = 30, .timeout = 5, .progress = 5,
                        .seed = 1};
  double v = 0;
  int c, bad = 0;
  optind = 1;
  while (!bad && (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'n': bad = parse_number("stations", optarg, 1, 100000, &v); o->stations = (unsigned)v; break;
    case 'i': bad = parse_number("interval", optarg, 0, 86400, &o->interval); break;
    case 'd': bad = parse_number("duration", optarg, 0, 1e9, &o->duration); break;
    case 's': bad = parse_number("seed", optarg, 0, 1e15, &v); o->seed = (unsigned long long)v; break;
    case 'T': bad = parse_number("timeout", optarg, 0.05, 3600, &o->timeout); break;
    case 'y': bad = parse_number("retries", optarg, 0, 99, &v); o->retries = (unsigned)v; break;
    case 'w': bad = parse_number("window", optarg, 1, MAX_WINDOW, &v); o->window = (unsigned)v; break;
    case 'p': bad = parse_number("progress", optarg, 0, 86400, &o->progress); break;
    case 't': o->target = optarg; break;
    case 'r': o->register_db = optarg; break;
    case 'R': o->register_only = 1; break;
    case 'h': fputs(usage_text, stdout); return 1;
    default: bad = 1;
    }
  }
  if (!bad && optind != argc) bad = 1;
  if (!bad && !o->stations) { cli_error("simulate: --stations is required"); bad = 1; }
  if (!bad && o->register_only && !o->register_db) { cli_error("simulate: --register-only needs --register-db"); bad = 1; }
  if (!bad && !o->register_only && !o->target) { cli_error("simulate: --target is required"); bad = 1; }
  if (bad) fputs(usage_text, stderr);
  return bad ? -1 : 0;
}

/* ---- random numbers: a fixed generator, so a seed replays the same run ---- */

static uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

static double uniform(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return (double)((*s * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

/* Roughly normal, mean 0, deviation 1 (sum of four uniforms). */
static double gauss(uint64_t *s) {
  return (uniform(s) + uniform(s) + uniform(s) + uniform(s) - 2.0) * 1.7320508;
}

/* Station IDX's MN and password: derived from the seed, so a registry
** written with --register-db matches later runs with the same seed. */
static void station_identity(unsigned long long seed, unsigned idx, char *mn, size_t mnlen,
                             char *pw, size_t pwlen) {
  snprintf(mn, mnlen, "SIM%04X_%06u", (unsigned)(seed & 0xFFFF), idx + 1);
  snprintf(pw, pwlen, "%012llX", (unsigned long long)(splitmix64(seed * 1000003u + idx) >> 16));
}

/* ---- registration ---- */

/* The station's name: its profile and number ("模拟断面 5"), and the water
** sections whose stations column lists MN, so that the station list says
** which section it feeds ("模拟断面 5 · 焦家院"). */
static void station_name(sqlite3 *db, const struct profile *pr, unsigned idx, const char *mn,
                         char *out, size_t len) {
  json_t *row = db_query_row(db,
      "SELECT group_concat(name, '、') AS names FROM water_section WHERE ' ' || "
      "replace(replace(replace(stations, ',', ' '), ';', ' '), char(9), ' ') || ' ' "
      "LIKE '% ' || ? || ' %'", "s", mn);
  const char *sections = json_string_value(json_object_get(row, "names"));
  if (sections) snprintf(out, len, "%s %u · %s", pr->label, idx + 1, sections);
  else snprintf(out, len, "%s %u", pr->label, idx + 1);
  json_decref(row);
}

/* Insert or update one station and its code mapping. */
static int register_one(sqlite3 *db, const struct options *o, unsigned idx, char *err, size_t errlen) {
  char mn[HJ212_MN_MAX + 1], pw[HJ212_PW_MAX + 1], name[256], owner[64];
  const struct profile *pr = profile_of(idx);
  station_identity(o->seed, idx, mn, sizeof mn, pw, sizeof pw);
  station_name(db, pr, idx, mn, name, sizeof name);
  snprintf(owner, sizeof owner, "模拟站（种子 %llu）", o->seed);
  struct station_def def = {mn, pw, pr->st, name, pr->kind, owner, pr->codes, NULL, NULL};
  if (station_check(&def, err, errlen)) return -1;
  if (db_exec_bind(db, err, errlen,
        "INSERT INTO hj212_station (mn, password_hash, st, name, kind, owner) "
        "VALUES (?, device_secret_hash(?), ?, ?, ?, ?) "
        "ON CONFLICT (mn) DO UPDATE SET password_hash = excluded.password_hash, st = excluded.st, "
        "name = excluded.name, kind = excluded.kind, owner = excluded.owner",
        "ssssss", mn, pw, pr->st, name, pr->kind, owner) < 0)
    return -1;
  char *codes = xstrdup(pr->codes), *save = NULL;
  int rc = 0;
  for (char *t = strtok_r(codes, " ", &save); t && !rc; t = strtok_r(NULL, " ", &save)) {
    char *eq = strchr(t, '=');
    *eq = 0;
    rc = db_exec_bind(db, err, errlen,
           "INSERT OR REPLACE INTO hj212_station_code (station_id, code, indicator) "
           "SELECT id, ?, ? FROM hj212_station WHERE mn = ?", "sss", t, eq + 1, mn) < 0;
  }
  free(codes);
  json_t *row = rc ? NULL : db_query_row(db, "SELECT id FROM hj212_station WHERE mn = ?", "s", mn);
  rc = rc || !row ||
       station_audit(db, "station.register", json_integer_value(json_object_get(row, "id")), &def,
                     cli_actor(), err, errlen);
  json_decref(row);
  return rc ? -1 : 0;
}

/* Write every station into the registry of PATH, in one transaction. */
static int register_stations(const struct options *o) {
  char err[512];
  sqlite3 *db = db_open(o->register_db, DB_EXISTING, err, sizeof err);
  if (!db) { cli_error("simulate: --register-db: %s", err); return -1; }
  int rc = db_begin(db) == SQLITE_OK ? 0 : -1;
  if (rc) snprintf(err, sizeof err, "%s", sqlite3_errmsg(db));
  for (unsigned i = 0; i < o->stations && !rc; i++) rc = register_one(db, o, i, err, sizeof err);
  if (!rc && db_commit(db) != SQLITE_OK) { snprintf(err, sizeof err, "%s", sqlite3_errmsg(db)); rc = -1; }
  if (rc) db_rollback(db);
  sqlite3_close_v2(db);
  if (rc) cli_error("simulate: --register-db %s: %s", o->register_db, err);
  else fprintf(stderr, "simulate: %u stations registered in %s\n", o->stations, o->register_db);
  return rc;
}

/* ---- stations ---- */

enum conn_state { DOWN, CONNECTING, UP, CLOSING };

struct pending {
  char frame[HJ212_FRAME_MAX];
  size_t len;
  char qn[HJ212_QN_LEN + 1];
  uint64_t first_ns, deadline_ms;
  unsigned tries;
};

struct sim;

struct station {
  struct sim *sim;
  const struct profile *profile;
  uv_tcp_t tcp;
  uv_connect_t connect_req;
  uv_timer_t timer;
  char mn[HJ212_MN_MAX + 1], pw[HJ212_PW_MAX + 1];
  enum conn_state state;
  uint64_t reconnect_at, rng;
  double level;               /* how polluted this station's water is, 0.6-1.6 */
  int64_t clock;              /* last DataTime sent, seconds (local wall clock) */
  int64_t curve_minute;       /* of DataTime that DAY is for, -1: none yet */
  double day[MAX_FACTORS];    /* each factor's daily curve, -1..1 */
  unsigned exceed_left, maint_left, backlog, ninflight;
  struct pending *inflight;   /* --window of them */
  struct hj212_framer framer;
};

struct sim {
  struct options o;
  uv_loop_t loop;
  uv_timer_t tick;
  uv_signal_t sigint, sigterm;
  struct sockaddr_storage addr;
  struct station *st;
  uint64_t start_ms, stop_ms, end_ms, last_progress_ms;
  int64_t first_data_time;      /* seconds (local wall clock) */
  int stopping, closed;
  uint64_t sent, acked, acked_in_time, retried, gave_up, connect_failures, disconnects;
  uint64_t *hist, max_ns;
  struct hj212_packet reply;
  char readbuf[65536];
};

static int load_mode(const struct sim *s) { return s->o.interval < 1; }

/* The daily curve of each factor at DataTime T, computed again once a
** minute of DataTime (a cosine a factor a packet was a tenth of the
** simulator's own instructions at full load). */
static void follow_the_day(struct station *st, int64_t t) {
  if (t / 60 == st->curve_minute) return;
  st->curve_minute = t / 60;
  double hour = (double)(st->curve_minute * 60 % 86400) / 3600;
  for (int i = 0; i < st->profile->n; i++)
    st->day[i] = cos(2 * M_PI * (hour - st->profile->factors[i].peak_hour) / 24.0);
}

/* Value of factor I of station ST, its curve at DAY. */
static double factor_value(struct station *st, int i, double day) {
  const struct factor *f = &st->profile->factors[i];
  double v = f->base * (f->scaled ? st->level : 1.0) * (1 + f->amp * day);
  v *= 1 + f->noise * gauss(&st->rng);
  if (st->exceed_left) v *= f->exceed;
  return v < f->lo ? f->lo : v > f->hi ? f->hi : v;
}

/* Start or continue an exceedance or maintenance episode. */
static void advance_episodes(struct station *st) {
  if (st->exceed_left) st->exceed_left--;
  else if (uniform(&st->rng) < 0.002) st->exceed_left = 5 + (unsigned)(uniform(&st->rng) * 25);
  if (st->maint_left) st->maint_left--;
  else if (uniform(&st->rng) < 0.001) st->maint_left = 3 + (unsigned)(uniform(&st->rng) * 8);
}

/* The next DataTime: one second after the last at least, the wall clock
** in real time, the run's clock in load mode (see the top). */
static int64_t next_data_time(struct station *st) {
  int64_t now = (int64_t)time(NULL) + TZ_SECONDS;
  int64_t t = st->clock + 1;
  const struct sim *s = st->sim;
  int64_t run = s->first_data_time + (int64_t)(s->sent / s->o.stations);
  if (!load_mode(s) && t < now) t = now;
  else if (load_mode(s) && t < run) t = run;
  return st->clock = t;
}

/* V with DECIMALS digits after the point, as %.*f would write it (but for
** ties, which simulated values do not care about) into OUT; returns the
** length. printf's float formatting was the simulator's largest cost of
** its own, a seventh of its time per packet at full load. */
static size_t format_fixed(char *out, double v, int decimals) {
  static const double SCALE[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  char digits[32];
  size_t n = 0, len = 0;
  if (v < 0) { out[len++] = '-'; v = -v; }
  unsigned long long x = (unsigned long long)(v * SCALE[decimals] + 0.5);   /* v >= 0 */
  do { digits[n++] = (char)('0' + x % 10); x /= 10; } while (x || n <= (size_t)decimals);
  while (n > 0) {
    if (n == (size_t)decimals) out[len++] = '.';
    out[len++] = digits[--n];
  }
  return len;
}

/* ";CODE-Rtd=V,CODE-Flag=F" of factor F appended to CP at N; the new length.
** A profile's factors fit a segment many times over. */
static size_t put_factor(char *cp, size_t n, const struct factor *f, double v, char flag) {
  size_t code = strlen(f->code);
  cp[n++] = ';';
  memcpy(cp + n, f->code, code);
  memcpy(cp + n + code, "-Rtd=", 5);
  n += code + 5;
  n += format_fixed(cp + n, v, f->decimals);
  cp[n++] = ',';
  memcpy(cp + n, f->code, code);
  memcpy(cp + n + code, "-Flag=", 6);
  n += code + 6;
  cp[n++] = flag;
  return n;
}

/* Build the station's next upload into P. */
static int build_upload(struct station *st, struct pending *p) {
  int64_t t = next_data_time(st);
  /* QN: the DataTime's digits and the millisecond of sending */
  hj212_format_qn(p->qn, t * 1000 + (int64_t)(uv_hrtime() / 1000000 % 1000), 0);
  advance_episodes(st);
  follow_the_day(st, t);
  char cp[HJ212_SEGMENT_MAX];
  memcpy(cp, "DataTime=", 9);
  memcpy(cp + 9, p->qn, 14);
  size_t n = 23;
  for (int i = 0; i < st->profile->n; i++) {
    const struct factor *f = &st->profile->factors[i];
    n = put_factor(cp, n, f, factor_value(st, i, st->day[i]), st->maint_left ? 'M' : 'N');
  }
  cp[n] = 0;
  struct hj212_target target = {p->qn, st->profile->st, st->pw, st->mn, HJ212_V2017, 1};
  p->len = hj212_build_command(p->frame, sizeof p->frame, &target, 2011, cp);
  return p->len ? 0 : -1;
}

/* Write P (stream_send copies what the socket does not take at once: P
** may be answered and reused before the rest is written). */
static void transmit(struct station *st, struct pending *p) {
  p->deadline_ms = uv_now(&st->sim->loop) + (uint64_t)(st->sim->o.timeout * 1000);
  p->tries++;
  stream_send((uv_stream_t *)&st->tcp, p->frame, p->len);
}

/* Send new packets while the window and the schedule allow. */
static void pump(struct station *st) {
  struct sim *s = st->sim;
  while (st->state == UP && !s->stopping && st->ninflight < s->o.window &&
         (st->backlog || s->o.interval == 0)) {
    struct pending *p = &st->inflight[st->ninflight];
    p->tries = 0;
    if (build_upload(st, p)) { fprintf(stderr, "simulate: %s: packet too long\n", st->mn); return; }
    p->first_ns = uv_hrtime();
    st->ninflight++;
    if (st->backlog) st->backlog--;
    s->sent++;
    transmit(st, p);
  }
}

static void forget(struct station *st, unsigned i) {
  if (i + 1 < st->ninflight) st->inflight[i] = st->inflight[st->ninflight - 1];
  st->ninflight--;
}

static void record_latency(struct sim *s, uint64_t ns) {
  uint64_t b = ns / HIST_STEP_NS;
  s->hist[b < HIST_BUCKETS ? b : HIST_BUCKETS - 1]++;
  if (ns > s->max_ns) s->max_ns = ns;
}

/* A 9014 for QN (LEN bytes): the packet is done. */
static void acknowledged(struct station *st, const char *qn, size_t len) {
  struct sim *s = st->sim;
  for (unsigned i = 0; i < st->ninflight; i++) {
    if (len != HJ212_QN_LEN || memcmp(st->inflight[i].qn, qn, len)) continue;
    record_latency(s, uv_hrtime() - st->inflight[i].first_ns);
    s->acked++;
    if (!s->stopping) s->acked_in_time++;
    forget(st, i);
    pump(st);
    return;
  }
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *b) {
  (void)suggested;
  struct station *st = h->data;
  /* one buffer for all: on_read consumes the bytes before the next read */
  *b = uv_buf_init(st->sim->readbuf, sizeof st->sim->readbuf);
}

static void drop_connection(struct station *st);

static void on_read(uv_stream_t *stream, ssize_t n, const uv_buf_t *b) {
  struct station *st = stream->data;
  if (n < 0) { drop_connection(st); return; }
  const char *p = b->base;
  size_t len = (size_t)n;
  struct hj212_frame fr;
  enum hj212_reason why;
  enum hj212_frame_result r;
  struct hj212_packet *pkt = &st->sim->reply;
  while ((r = hj212_framer_next(&st->framer, &p, &len, &fr, &why)) != HJ212_FRAME_NEED_MORE) {
    if (r == HJ212_FRAME_OK && hj212_parse(fr.segment, fr.len, NULL, pkt) == HJ212_OK &&
        pkt->cn == 9014 && pkt->has_qn)
      acknowledged(st, pkt->qn.p, pkt->qn.len);
  }
}

static void on_closed(uv_handle_t *h) {
  struct station *st = h->data;
  st->state = DOWN;
  st->reconnect_at = uv_now(&st->sim->loop) + RECONNECT_MS + (uint64_t)(uniform(&st->rng) * RECONNECT_MS);
}

/* The connection broke or failed: close it; the tick reconnects later. */
static void drop_connection(struct station *st) {
  if (st->state == CLOSING || st->state == DOWN) return;
  if (st->state == UP) st->sim->disconnects++;
  st->state = CLOSING;
  uv_close((uv_handle_t *)&st->tcp, on_closed);
}

static void on_connect(uv_connect_t *req, int status) {
  struct station *st = req->data;
  if (status) {
    if (status != UV_ECANCELED) st->sim->connect_failures++;
    drop_connection(st);
    return;
  }
  st->state = UP;
  hj212_framer_init(&st->framer);
  uv_tcp_nodelay(&st->tcp, 1);
  uv_read_start((uv_stream_t *)&st->tcp, alloc_cb, on_read);
  /* what was unanswered on the old connection goes again */
  for (unsigned i = 0; i < st->ninflight; i++) {
    st->sim->retried++;
    transmit(st, &st->inflight[i]);
  }
  pump(st);
}

static void connect_station(struct station *st) {
  uv_tcp_init(&st->sim->loop, &st->tcp);
  st->tcp.data = st;
  st->connect_req.data = st;
  st->state = CONNECTING;
  if (uv_tcp_connect(&st->connect_req, &st->tcp, (struct sockaddr *)&st->sim->addr, on_connect)) {
    st->sim->connect_failures++;
    st->state = CLOSING;
    uv_close((uv_handle_t *)&st->tcp, on_closed);
  }
}

/* A reading falls due. */
static void on_schedule(uv_timer_t *t) {
  struct station *st = t->data;
  if (st->backlog < MAX_BACKLOG) st->backlog++;
  pump(st);
}

/* Unanswered packets past their deadline: again, or given up. */
static void check_timeouts(struct station *st, uint64_t now) {
  struct sim *s = st->sim;
  for (unsigned i = 0; i < st->ninflight;) {
    struct pending *p = &st->inflight[i];
    if (p->deadline_ms > now || st->state != UP) { i++; continue; }
    if (p->tries > s->o.retries) { s->gave_up++; forget(st, i); continue; }
    s->retried++;
    transmit(st, p);
    i++;
  }
  pump(st);
}

static void init_station(struct sim *s, unsigned idx) {
  struct station *st = &s->st[idx];
  st->sim = s;
  st->profile = profile_of(idx);
  station_identity(s->o.seed, idx, st->mn, sizeof st->mn, st->pw, sizeof st->pw);
  st->rng = splitmix64(s->o.seed ^ ((uint64_t)idx << 32)) | 1;
  st->level = 0.6 + uniform(&st->rng);
  st->curve_minute = -1;
  st->clock = s->first_data_time - 1;
  st->inflight = xcalloc(s->o.window, sizeof *st->inflight);
  uv_timer_init(&s->loop, &st->timer);
  st->timer.data = st;
  if (s->o.interval > 0) {
    uint64_t every = (uint64_t)(s->o.interval * 1000);
    if (!every) every = 1;
    /* stations do not all report at the same instant */
    uv_timer_start(&st->timer, on_schedule, (uint64_t)(uniform(&st->rng) * (double)every), every);
  }
  connect_station(st);
}

/* ---- the run ---- */

static double percentile_ms(const struct sim *s, double q) {
  uint64_t total = 0, seen = 0;
  for (size_t i = 0; i < HIST_BUCKETS; i++) total += s->hist[i];
  if (!total) return 0;
  uint64_t want = (uint64_t)ceil(q * (double)total);
  for (size_t i = 0; i < HIST_BUCKETS; i++)
    if ((seen += s->hist[i]) >= want) return (double)(i + 1) * HIST_STEP_NS / 1e6;
  return (double)s->max_ns / 1e6;
}

static unsigned count_state(const struct sim *s, enum conn_state state, uint64_t *inflight) {
  unsigned n = 0;
  *inflight = 0;
  for (unsigned i = 0; i < s->o.stations; i++) {
    n += s->st[i].state == state;
    *inflight += s->st[i].ninflight;
  }
  return n;
}

static void progress(struct sim *s, uint64_t now) {
  uint64_t inflight;
  unsigned up = count_state(s, UP, &inflight);
  double secs = (double)(now - s->start_ms) / 1000.0;
  fprintf(stderr, "simulate: %.0f s: connected %u/%u, sent %llu, acknowledged %llu (%.0f/s), "
          "retried %llu, gave up %llu\n", secs, up, s->o.stations, (unsigned long long)s->sent,
          (unsigned long long)s->acked, secs > 0 ? (double)s->acked / secs : 0.0,
          (unsigned long long)s->retried, (unsigned long long)s->gave_up);
}

static void close_any(uv_handle_t *h, void *arg) {
  (void)arg;
  if (!uv_is_closing(h)) uv_close(h, NULL);
}

/* Stop sending; answers to what is in flight are awaited one timeout. */
static void begin_stop(struct sim *s, uint64_t now) {
  if (s->stopping) return;
  s->stopping = 1;
  s->stop_ms = now;
  s->end_ms = now + (uint64_t)(s->o.timeout * 1000);
  for (unsigned i = 0; i < s->o.stations; i++) uv_timer_stop(&s->st[i].timer);
}

static void on_tick(uv_timer_t *t) {
  struct sim *s = t->data;
  uint64_t now = uv_now(&s->loop), inflight = 0;
  for (unsigned i = 0; i < s->o.stations; i++) {
    struct station *st = &s->st[i];
    if (st->state == DOWN && !s->stopping && now >= st->reconnect_at) connect_station(st);
    check_timeouts(st, now);
    inflight += st->ninflight;
  }
  if (s->o.progress > 0 && now - s->last_progress_ms >= (uint64_t)(s->o.progress * 1000)) {
    progress(s, now);
    s->last_progress_ms = now;
  }
  if (s->o.duration > 0 && now - s->start_ms >= (uint64_t)(s->o.duration * 1000)) begin_stop(s, now);
  if (s->stopping && (inflight == 0 || now >= s->end_ms) && !s->closed) {
    s->closed = 1;
    uv_walk(&s->loop, close_any, NULL);
  }
}

static void on_signal(uv_signal_t *h, int signum) {
  (void)signum;
  struct sim *s = h->data;
  begin_stop(s, uv_now(&s->loop));
}

static int resolve_target(const char *target, struct sockaddr_storage *out) {
  const char *colon = strrchr(target, ':');
  char host[256];
  if (!colon || colon == target || (size_t)(colon - target) >= sizeof host || !colon[1]) {
    cli_error("simulate: --target '%s': expected HOST:PORT", target);
    return -1;
  }
  snprintf(host, sizeof host, "%.*s", (int)(colon - target), target);
  if (host[0] == '[' && host[strlen(host) - 1] == ']') {   /* [::1]:9212 */
    memmove(host, host + 1, strlen(host));
    host[strlen(host) - 1] = 0;
  }
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
  int rc = getaddrinfo(host, colon + 1, &hints, &res);
  if (rc || !res) {
    cli_error("simulate: --target '%s': %s", target, rc ? gai_strerror(rc) : "no address");
    return -1;
  }
  memcpy(out, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  return 0;
}

static void print_summary(const struct sim *s, uint64_t now) {
  uint64_t unanswered = 0;
  for (unsigned i = 0; i < s->o.stations; i++) unanswered += s->st[i].ninflight;
  double secs = (double)((s->stopping ? s->stop_ms : now) - s->start_ms) / 1000.0;
  struct rusage ru;   /* the load generator's own CPU, for benchmarks that share the cores */
  getrusage(RUSAGE_SELF, &ru);
  printf("simulate: stations=%u interval=%g window=%u duration_s=%.1f sent=%llu acknowledged=%llu "
         "retried=%llu gave_up=%llu unanswered=%llu ack_per_s=%.0f p50_ms=%.2f p99_ms=%.2f "
         "max_ms=%.2f connect_failures=%llu disconnects=%llu user_s=%.2f sys_s=%.2f\n",
         s->o.stations, s->o.interval, s->o.window, secs, (unsigned long long)s->sent,
         (unsigned long long)s->acked, (unsigned long long)s->retried,
         (unsigned long long)s->gave_up, (unsigned long long)unanswered,
         secs > 0 ? (double)s->acked_in_time / secs : 0.0, percentile_ms(s, 0.50),
         percentile_ms(s, 0.99), (double)s->max_ns / 1e6, (unsigned long long)s->connect_failures,
         (unsigned long long)s->disconnects, (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
         (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
  fflush(stdout);
}

static int run(struct sim *s) {
  uv_loop_init(&s->loop);
  s->hist = xcalloc(HIST_BUCKETS, sizeof *s->hist);
  s->st = xcalloc(s->o.stations, sizeof *s->st);
  s->start_ms = s->last_progress_ms = uv_now(&s->loop);
  s->first_data_time = (int64_t)time(NULL) + TZ_SECONDS - (load_mode(s) ? LOAD_BACKFILL : 0);
  for (unsigned i = 0; i < s->o.stations; i++) init_station(s, i);
  uv_timer_init(&s->loop, &s->tick);
  s->tick.data = s;
  uv_timer_start(&s->tick, on_tick, TICK_MS, TICK_MS);
  uv_signal_init(&s->loop, &s->sigint);
  uv_signal_init(&s->loop, &s->sigterm);
  s->sigint.data = s->sigterm.data = s;
  uv_signal_start(&s->sigint, on_signal, SIGINT);
  uv_signal_start(&s->sigterm, on_signal, SIGTERM);
  fprintf(stderr, "simulate: %u stations -> %s, interval %g s%s\n", s->o.stations, s->o.target,
          s->o.interval, load_mode(s) ? " (load mode: DataTime from 30 days back, 1 s apart)" : "");
  uv_run(&s->loop, UV_RUN_DEFAULT);
  print_summary(s, uv_now(&s->loop));
  uv_loop_close(&s->loop);
  for (unsigned i = 0; i < s->o.stations; i++) free(s->st[i].inflight);
  free(s->st);
  free(s->hist);
  return s->acked || !s->sent ? EXIT_OK : EXIT_FAILED;
}

int simulate_main(int argc, char **argv) {
  struct sim *s = xcalloc(1, sizeof *s);
  int r = parse_options(argc, argv, &s->o), rc;
  if (r) rc = r > 0 ? EXIT_OK : EXIT_USAGE;
  else if (s->o.register_db && register_stations(&s->o)) rc = EXIT_FAILED;
  else if (s->o.register_only) rc = EXIT_OK;
  else if (resolve_target(s->o.target, &s->addr)) rc = EXIT_FAILED;
  else rc = run(s);
  free(s);
  return rc;
}
