/*
** `qingshui serve`: open (and migrate) the database, start the HTTP server,
** print where it listens, and run until SIGTERM or SIGINT, then shut down
** cleanly: connections finish, threads are joined, the database is closed.
**
** The signals are blocked before any thread starts, so that every thread
** inherits the mask and only the main thread receives them, in sigwait().
*/
#include "http/serve.h"
#include "db/db.h"
#include "db/sql.h"
#include "hj212/receiver.h"
#include "http/server.h"
#include "supervision/webhook.h"
#include "util/cli.h"
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every option of serve, with its default and bounds: one table feeds
** parsing, validation and --help. */
struct serve_option {
  const char *name;
  const char *help;
  long min, max, def;
};

enum { OPT_THREADS, OPT_MAX_CONN, OPT_MAX_PER_IP, OPT_TIMEOUT, OPT_HEADER_TIMEOUT, OPT_BODY_RATE,
       OPT_MAX_BODY, OPT_ANON_MAX_BODY, OPT_BODY_BUDGET, OPT_HEAVY_PER_MINUTE,
       OPT_HJ212_IDLE, OPT_HJ212_SLOW, OPT_HJ212_MAX_CONN, OPT_HJ212_PER_ADDR, OPT_HJ212_BATCH_MS,
       OPT_HJ212_BATCH_ROWS, OPT_HJ212_FUTURE, NUM_INT_OPTS };

static const struct serve_option int_options[NUM_INT_OPTS] = {
  [OPT_THREADS] = {"threads", "HTTP worker threads", 1, 64, 4},
  [OPT_MAX_CONN] = {"max-connections", "open HTTP connections at most", 1, 100000, 2048},
  /* one Chromium with a few tabs opened more than 16 (tests/browser/water),
     and an office behind one NAT has several; 64 of 2048 makes 32
     addresses needed to fill the slots. At most a quarter is allowed */
  [OPT_MAX_PER_IP] = {"max-per-ip", "open HTTP connections per client address (at most a quarter of --max-connections)", 1, 100000, 64},
  [OPT_TIMEOUT] = {"timeout", "seconds before an idle connection is closed", 1, 3600, 30},
  [OPT_HEADER_TIMEOUT] = {"header-timeout", "seconds to send a request's headers (from connecting or the last reply)", 1, 3600, 10},
  [OPT_BODY_RATE] = {"body-rate", "bytes/s a body must average after --header-timeout seconds of grace", 1, 1L << 30, 1024},
  [OPT_ANON_MAX_BODY] = {"anonymous-max-body", "largest body in bytes from a caller not signed in", 1024, 256L << 20, 64L << 10},
  [OPT_BODY_BUDGET] = {"body-budget", "bytes of request bodies held at once, all clients (past it: 503)", 1L << 20, 16L << 30, 256L << 20},
  [OPT_HEAVY_PER_MINUTE] = {"heavy-per-minute", "costly requests (water classify) a minute per address without signing in", 1, 100000, 20},
  /* HJ 212: stations behind one carrier NAT share an address, hence the
     high per-address limit. A batch waits at most 2 ms for company: with
     1,000 stations one packet in flight, 20 ms gave 20,000 acks/s (p50
     48 ms), 2 ms 34,000 (p50 27 ms); packets that come during a commit
     make the next batch anyway (bench/bench_hj212_e2e.sh) */
  [OPT_HJ212_IDLE] = {"hj212-idle", "seconds before a silent station connection is closed", 1, 86400, 900},
  [OPT_HJ212_SLOW] = {"hj212-slow", "seconds a packet may stay incomplete", 1, 3600, 60},
  [OPT_HJ212_MAX_CONN] = {"hj212-max-connections", "open station connections at most", 1, 1000000, 20000},
  [OPT_HJ212_PER_ADDR] = {"hj212-max-per-address", "station connections per address", 1, 1000000, 5000},
  [OPT_HJ212_BATCH_MS] = {"hj212-batch-ms", "longest wait before a batch of readings is committed", 1, 1000, 2},
  [OPT_HJ212_BATCH_ROWS] = {"hj212-batch-rows", "packets that trigger a commit at once", 1, 100000, 1000},
  [OPT_HJ212_FUTURE] = {"hj212-future", "seconds a DataTime may be ahead of our clock", 0, 31536000, 600},
  [OPT_MAX_BODY] = {"max-body", "largest request body in bytes (attachments)", 1024, 256L << 20, 12L << 20},
};

static void usage(FILE *out) {
  fprintf(out,
    "usage: qingshui serve [--db PATH|URI] [--listen ADDR:PORT] [OPTIONS]\n"
    "\n"
    "Serve the web UI and the JSON API until SIGTERM or SIGINT.\n"
    "Prints 'listening on http://ADDR:PORT' once ready (PORT 0 picks a free port).\n"
    "\n"
    "  --db PATH|URI        database (default $QINGSHUI_DB or " QS_DEFAULT_DB "); a\n"
    "                       postgresql:// URI serves accounts, sessions and the audit log\n"
    "                       (the rest answers 503 store_unsupported; HJ 212 off)\n"
    "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080)\n"
    "  --webhook URL        POST every supervision event as JSON to URL\n"
    "  --hj212 ADDR:PORT    where stations send HJ 212 (default 0.0.0.0:9212, 'off' for none)\n"
    "  --trusted-proxy ADDR the reverse proxy in front (an IP address): its connections are\n"
    "                       not limited per address (the proxy does that), and a request's\n"
    "                       client is the last address of its X-Forwarded-For\n");
  for (int i = 0; i < NUM_INT_OPTS; i++)
    fprintf(out, "  --%-18s %s (default %ld, %ld..%ld)\n", int_options[i].name,
            int_options[i].help, int_options[i].def, int_options[i].min, int_options[i].max);
}

static int parse_int_option(int which, const char *value, long *out) {
  char *end;
  long v = strtol(value, &end, 10);
  if (!*value || *end || v < int_options[which].min || v > int_options[which].max) {
    cli_error("serve: --%s '%s' must be a whole number from %ld to %ld",
              int_options[which].name, value, int_options[which].min, int_options[which].max);
    return -1;
  }
  *out = v;
  return 0;
}

int serve_main(int argc, char **argv) {
  struct option longopts[NUM_INT_OPTS + 7];
  for (int i = 0; i < NUM_INT_OPTS; i++)
    longopts[i] = (struct option){int_options[i].name, required_argument, NULL, 1000 + i};
  longopts[NUM_INT_OPTS] = (struct option){"db", required_argument, NULL, 'd'};
  longopts[NUM_INT_OPTS + 1] = (struct option){"listen", required_argument, NULL, 'l'};
  longopts[NUM_INT_OPTS + 2] = (struct option){"help", no_argument, NULL, 'h'};
  longopts[NUM_INT_OPTS + 3] = (struct option){"hj212", required_argument, NULL, 'j'};
  longopts[NUM_INT_OPTS + 4] = (struct option){"webhook", required_argument, NULL, 'w'};
  longopts[NUM_INT_OPTS + 5] = (struct option){"trusted-proxy", required_argument, NULL, 'p'};
  longopts[NUM_INT_OPTS + 6] = (struct option){NULL, 0, NULL, 0};
  long values[NUM_INT_OPTS];
  for (int i = 0; i < NUM_INT_OPTS; i++) values[i] = int_options[i].def;
  const char *db_option = NULL, *listen = "127.0.0.1:8080", *hj212 = "0.0.0.0:9212";
  const char *webhook_url = NULL, *trusted_proxy = NULL;
  int c, hj212_explicit = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    if (c >= 1000 && c < 1000 + NUM_INT_OPTS) {
      if (parse_int_option(c - 1000, optarg, &values[c - 1000])) return EXIT_USAGE;
    } else if (c == 'd') {
      db_option = optarg;
    } else if (c == 'l') {
      listen = optarg;
    } else if (c == 'w') {
      webhook_url = optarg;
    } else if (c == 'p') {
      trusted_proxy = optarg;
    } else if (c == 'j') {
      hj212 = optarg;
      hj212_explicit = 1;
    } else if (c == 'h') {
      usage(stdout);
      return EXIT_OK;
    } else {
      usage(stderr);
      return EXIT_USAGE;
    }
  }
  if (optind != argc) { usage(stderr); return EXIT_USAGE; }
  if (trusted_proxy && !http_address_valid(trusted_proxy)) {
    cli_error("serve: --trusted-proxy '%s' is not an IPv4 or IPv6 address", trusted_proxy);
    return EXIT_USAGE;
  }
  if (values[OPT_MAX_PER_IP] > values[OPT_MAX_CONN] / 4) {
    cli_error("serve: --max-per-ip %ld must be at most a quarter of --max-connections %ld, "
              "so that a few addresses cannot hold every connection",
              values[OPT_MAX_PER_IP], values[OPT_MAX_CONN]);
    return EXIT_USAGE;
  }

  const char *path = cli_db_path(db_option);
  int on_pg = sql_is_pg_target(path);
  if (on_pg && (hj212_explicit && strcmp(hj212, "off"))) {
    cli_error("serve: the HJ 212 receiver does not run on PostgreSQL yet: --hj212 off");
    return EXIT_USAGE;
  }
  if (on_pg && webhook_url) {
    cli_error("serve: --webhook (the supervision outbox) does not run on PostgreSQL yet");
    return EXIT_USAGE;
  }
  if (on_pg && !hj212_explicit)
    fprintf(stderr, "qingshui: serve: on PostgreSQL the HJ 212 receiver is off (not ported yet); "
                    "the API of the capabilities not ported answers 503 store_unsupported\n");
  if (on_pg) hj212 = "off";
  char err[512];
  struct sql_db *db = sql_open(path, DB_CREATE, err, sizeof err);
  if (!db) { cli_error("%s", err); return EXIT_FAILED; }
  sql_close(db);

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct http_server_config cfg = {
    .listen = listen, .db_path = path,
    .threads = (unsigned)values[OPT_THREADS],
    .max_connections = (unsigned)values[OPT_MAX_CONN],
    .max_per_ip = (unsigned)values[OPT_MAX_PER_IP],
    .timeout_seconds = (unsigned)values[OPT_TIMEOUT],
    .header_seconds = (unsigned)values[OPT_HEADER_TIMEOUT],
    .body_rate = (unsigned)values[OPT_BODY_RATE],
    .max_body = (size_t)values[OPT_MAX_BODY],
    .anonymous_max_body = (size_t)values[OPT_ANON_MAX_BODY],
    .body_budget = (size_t)values[OPT_BODY_BUDGET],
    .heavy_per_minute = (unsigned)values[OPT_HEAVY_PER_MINUTE],
    .trusted_proxy = trusted_proxy,
  };
  struct http_server *http = http_server_start(&cfg, err, sizeof err);
  if (!http) { cli_error("serve: %s", err); return EXIT_FAILED; }
  char host[64];
  snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen, ':') - listen), listen);
  printf("listening on http://%s:%u (database %s)\n", host, http_server_port(http),
         on_pg ? "on PostgreSQL" : path);   /* a URI may hold a password */
  fflush(stdout);

  struct hj212_receiver *receiver = NULL;
  if (strcmp(hj212, "off") != 0) {
    struct hj212_receiver_config rcfg = {
      .listen = hj212, .db_path = path,
      .idle_seconds = (unsigned)values[OPT_HJ212_IDLE],
      .slow_seconds = (unsigned)values[OPT_HJ212_SLOW],
      .max_connections = (unsigned)values[OPT_HJ212_MAX_CONN],
      .max_per_address = (unsigned)values[OPT_HJ212_PER_ADDR],
      .batch_ms = (unsigned)values[OPT_HJ212_BATCH_MS],
      .batch_rows = (unsigned)values[OPT_HJ212_BATCH_ROWS],
      .future_seconds = (unsigned)values[OPT_HJ212_FUTURE],
    };
    receiver = hj212_receiver_start(&rcfg, err, sizeof err);
    if (receiver) {
      printf("hj212 listening on %.*s:%u\n", (int)(strrchr(hj212, ':') - hj212), hj212,
             hj212_receiver_port(receiver));
      fflush(stdout);
    } else if (hj212_explicit) {
      cli_error("serve: %s", err);
      http_server_stop(http);
      return EXIT_FAILED;
    } else {   /* the default port taken (another server): serve HTTP anyway */
      fprintf(stderr, "qingshui: serve: HJ 212 receiver not started: %s\n", err);
    }
  }

  struct webhook *webhook = NULL;
  if (webhook_url && !(webhook = webhook_start(webhook_url, path, err, sizeof err))) {
    cli_error("serve: %s", err);
    hj212_receiver_stop(receiver);
    http_server_stop(http);
    return EXIT_FAILED;
  }

  int sig = 0;
  sigwait(&stop_signals, &sig);
  fprintf(stderr, "qingshui: %s received, shutting down\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  webhook_stop(webhook);
  hj212_receiver_stop(receiver);
  http_server_stop(http);
  return EXIT_OK;
}
