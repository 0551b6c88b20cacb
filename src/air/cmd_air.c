/*
** `qingshui air`: the subcommands of the air capability (aqi, rank) and the
** embedded tables. I/O lives here; the work is in convert.c and the core.
*/
#include "air/cmd.h"
#include "air/convert.h"
#include "util/buf.h"
#include "util/cli.h"
#include "util/embedded.h"
#include "util/file.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct air_standard builtin;
static char builtin_error[256];
static int builtin_ok;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static const char *find_embedded(const char *name, size_t *len, void *ctx) {
  (void)ctx;
  const struct embedded_file *f = embedded_find(name);
  if (!f) return NULL;
  *len = f->size;
  return (const char *)f->data;
}

static void load_builtin(void) {
  builtin_ok = !air_standard_load(&builtin, find_embedded, NULL, builtin_error,
                                  sizeof builtin_error);
}

const struct air_standard *air_builtin_standard(char *err, size_t errlen) {
  pthread_once(&builtin_once, load_builtin);
  if (builtin_ok) return &builtin;
  snprintf(err, errlen, "%s", builtin_error);
  return NULL;
}

typedef int (*convert_fn)(const struct air_standard *, const char *, size_t, struct buf *,
                          char *, size_t);

/* Read [FILE|-], convert it with CONVERT, print the result: the shape of
** both subcommands. Nothing is printed when the input is refused. */
static int run_convert(int argc, char **argv, const char *name, const char *usage,
                       convert_fn convert) {
  if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(usage, stdout);
    return EXIT_OK;
  }
  if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1])) {
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  char err[512];
  const struct air_standard *s = air_builtin_standard(err, sizeof err);
  if (!s) {
    cli_error("air %s: %s", name, err);
    return EXIT_FAILED;
  }
  const char *path = argc == 2 ? argv[1] : "-";
  struct buf out = {0};
  size_t len = 0;
  int rc = EXIT_FAILED;
  char *in = file_read_text(path, NULL, CSV_FILE_MAX, &len, err, sizeof err);
  if (!in) cli_error("air %s: %s: %s", name, path, err);
  else if (convert(s, in, len, &out, err, sizeof err)) cli_error("air %s: %s: %s", name, path, err);
  else if (fwrite(buf_str(&out), 1, out.len, stdout) != out.len || fflush(stdout))
    cli_error("air %s: writing: %s", name, strerror(errno));
  else rc = EXIT_OK;
  free(in);
  buf_free(&out);
  return rc;
}

static const char aqi_usage[] =
  "usage: qingshui air aqi [FILE|-]\n"
  "\n"
  "The real-time AQI of each station-hour, as the national platform publishes it\n"
  "(HJ 633-2012 up to the hour ending 2026-03-01 00:00, HJ 633-2026 from the hour\n"
  "ending 01:00): IAQI rounded up, PM2.5 and PM10 on their 24-hour tables, the\n"
  "other items on their 1-hour tables; primary pollutants above 50, ties all.\n"
  "\n"
  "Input (FILE, or standard input when FILE is - or absent; encoding detected):\n"
  "CSV with the columns time (YYYY-MM-DD HH:00, the END of the hour),\n"
  "station_code, pm2_5, pm10, so2, no2, o3 (ug/m3), co (mg/m3), optionally\n"
  "so2_24h (used past 800 ug/m3 of 1-hour SO2 under HJ 633-2012); other columns\n"
  "are ignored. A value empty or NA is missing (an AQI of 100 or less is then\n"
  "not published), / is not measured (ignored).\n"
  "\n"
  "Output: station_code,time,aqi,level,primary, one row per input row in its\n"
  "order; aqi and level empty where nothing is published, primary the keys\n"
  "(pm10, pm2_5, o3, so2, no2, co) joined by ','. A malformed row stops the\n"
  "command with its line and field and exit status 1, before any output.\n";

static const char rank_usage[] =
  "usage: qingshui air rank [FILE|-]\n"
  "\n"
  "Rank cities by their composite air-quality index (环境空气质量综合指数,\n"
  "HJ 663): ascending at two decimals, equal indices sharing a rank.\n"
  "\n"
  "Input: CSV with the column city and either composite_index (main_pollutant,\n"
  "if present, is passed through) or the period's statistics so2, no2, pm10,\n"
  "pm2_5 (means, ug/m3), co (95th percentile of daily means, mg/m3) and o3_8h\n"
  "(90th percentile of daily maximum 8-hour means), from which the index and\n"
  "its main pollutant are computed (data/air/composite_index.csv).\n"
  "\n"
  "Output: rank,city,composite_index,main_pollutant, by rank.\n";

static int cmd_aqi(int argc, char **argv) {
  return run_convert(argc, argv, "aqi", aqi_usage, air_aqi_csv);
}

static int cmd_rank(int argc, char **argv) {
  return run_convert(argc, argv, "rank", rank_usage, air_rank_csv);
}

static const struct cli_command air_commands[] = {
  {"aqi", cmd_aqi, "real-time AQI of hourly station rows (HJ 633-2012 / 2026)"},
  {"rank", cmd_rank, "rank cities by composite index (HJ 663)"},
  {NULL, NULL, NULL},
};

int air_main(int argc, char **argv) {
  return cli_dispatch("qingshui air", air_commands, argc, argv);
}
