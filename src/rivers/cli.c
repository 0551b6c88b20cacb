/*
** `qingshui river track FILE [--json] [--level 村|乡|县|市] [--segment
** FILE.geojson] [--rules SET]`: what the server computes of a patrol's
** track (track.h), and, given a level, whether it counts under that
** level's rules (patrol.h). No database.
*/
#include "rivers/cli.h"
#include "rivers/patrol.h"
#include "rivers/track.h"
#include "geo/geo.h"
#include "util/buf.h"
#include "util/cli.h"
#include "util/embedded.h"
#include "util/file.h"
#include "util/time.h"
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RULES_FILE "data/rivers/patrol_rules.json"

static const char track_usage[] =
    "usage: qingshui river track [--json] [--level 市|县|乡|村] [--segment FILE.geojson]\n"
    "                            [--rules SET] FILE\n"
    "  what the server computes of a patrol track: FILE is GPX 1.0/1.1 (trkpt with\n"
    "  lat, lon and time) or GeoJSON (LineString/MultiLineString with a coordTimes or\n"
    "  times property, or Point features with a time property). Prints points,\n"
    "  length_m (geodesic, WGS84), duration_s, jumps (positions faster than the\n"
    "  rules' max_speed_kmh from the one before: left out of the length) and gaps.\n"
    "  --segment: the share of the segment's lines within near_m of the track\n"
    "  (coverage) and of the track within near_m of the segment (on_segment); the\n"
    "  file is GeoJSON as `geo import` takes it (named LineString features).\n"
    "  --level: whether the patrol counts under that level's rules (too short, too\n"
    "  brief, away from the segment), each reason a code and a sentence.\n"
    "  --rules SET: a rule set of data/rivers/patrol_rules.json other than the one\n"
    "  in force. --json: one JSON object.\n"
    "  Exit: 0 computed (valid or not), 1 a file refused, 2 a wrong command line.\n";

struct track_opts {
  const char *file, *segment, *set;
  int json, has_level;
  enum river_level level;
};

/* 0, 1 (help printed) or -1 (usage error printed). */
static int parse_opts(int argc, char **argv, struct track_opts *o) {
  static const struct option longopts[] = {
      {"json", no_argument, NULL, 'j'},         {"level", required_argument, NULL, 'l'},
      {"segment", required_argument, NULL, 's'}, {"rules", required_argument, NULL, 'r'},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  *o = (struct track_opts){0};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'j': o->json = 1; break;
    case 'l':
      if (river_level_parse(optarg, &o->level)) {
        cli_error("river track: --level %s: 市, 县, 乡 or 村", optarg);
        return -1;
      }
      o->has_level = 1;
      break;
    case 's': o->segment = optarg; break;
    case 'r': o->set = optarg; break;
    case 'h': fputs(track_usage, stdout); return 1;
    default: fputs(track_usage, stderr); return -1;
    }
  }
  if (optind + 1 != argc) { fputs(track_usage, stderr); return -1; }
  o->file = argv[optind];
  return 0;
}

/* Report a refused file PATH with the reader's error E. */
static void file_error(const char *path, const struct track_error *e) {
  if (e->line > 0) cli_error("river track: %s: line %d: %s", path, e->line, e->reason);
  else cli_error("river track: %s: %s", path, e->reason);
}

/* The track of PATH, measured; -1 after saying why. USE is malloc'd. */
static int load_track(const char *path, const struct track_config *c, struct track *t,
                      struct track_stats *s, enum point_use **use) {
  size_t len;
  char *text = file_read_max(path, GEO_FILE_MAX, &len);
  if (!text) { cli_error("river track: %s: cannot read: %s", path, strerror(errno)); return -1; }
  struct track_error e;
  int rc = track_parse(text, len, t, &e);
  free(text);
  if (rc) { file_error(path, &e); return -1; }
  *use = xcalloc(t->count, sizeof **use);
  track_measure(t, c, s, *use);
  return 0;
}

static int load_segment(const char *path, struct lines *seg) {
  char err[300];
  size_t len;
  char *text = file_read_text(path, NULL, GEO_FILE_MAX, &len, err, sizeof err);
  if (!text) { cli_error("river track: %s: %s", path, err); return -1; }
  struct track_error e;
  int rc = segment_parse(text, len, seg, &e);
  free(text);
  if (rc) file_error(path, &e);
  return rc;
}

static void utc_text(double t, char out[TIME_UTC_SIZE]) {
  time_t s = (time_t)t;
  struct tm tm;
  gmtime_r(&s, &tm);
  strftime(out, TIME_UTC_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Everything computed, for both outputs. COV and V are NULL when not
** asked for. */
struct result {
  const struct track_stats *s;
  const struct coverage *cov;
  const struct patrol_verdict *v;
  const struct patrol_rules *rules;
  const struct track_opts *o;
};

static void print_json(const struct result *r) {
  char start[TIME_UTC_SIZE], end[TIME_UTC_SIZE];
  utc_text(r->s->start_t, start);
  utc_text(r->s->end_t, end);
  json_t *o = json_pack("{s:f, s:f, s:I, s:i, s:i, s:s, s:s, s:f}", "length_m", r->s->length_m,
                        "duration_s", r->s->duration_s, "points", (json_int_t)r->s->points, "jumps",
                        r->s->jumps, "gaps", r->s->gaps, "start", start, "end", end, "max_speed_kmh",
                        r->rules->track.max_speed_mps * 3.6);
  if (r->cov)
    json_object_set_new(o, "coverage", json_pack("{s:f, s:f, s:f, s:f, s:f}", "near_m",
                        r->rules->track.near_m, "segment_m", r->cov->segment_m, "covered_m",
                        r->cov->covered_m, "share", r->cov->coverage, "on_segment", r->cov->on_segment));
  if (r->v) {
    json_t *reasons = json_array();
    for (int i = 0; i < r->v->count; i++)
      json_array_append_new(reasons, json_pack("{s:s, s:s}", "code", r->v->reasons[i].code, "message",
                                               r->v->reasons[i].message));
    json_object_set_new(o, "level", json_string(river_level_name(r->o->level)));
    json_object_set_new(o, "rules", json_string(r->rules->set));
    json_object_set_new(o, "valid", json_boolean(r->v->valid));
    json_object_set_new(o, "reasons", reasons);
  }
  char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(12));
  puts(text);
  free(text);
  json_decref(o);
}

static void print_text(const struct result *r) {
  char start[TIME_UTC_SIZE], end[TIME_UTC_SIZE];
  utc_text(r->s->start_t, start);
  utc_text(r->s->end_t, end);
  printf("points      %zu\nlength_m    %.1f\nduration_s  %.0f\njumps       %d (faster than %.0f km/h)\n"
         "gaps        %d\nstart       %s\nend         %s\n",
         r->s->points, r->s->length_m, r->s->duration_s, r->s->jumps, r->rules->track.max_speed_mps * 3.6,
         r->s->gaps, start, end);
  if (r->cov)
    printf("coverage    %.3f (%.1f of the segment's %.1f m within %.0f m of the track)\n"
           "on_segment  %.3f (of the track within %.0f m of the segment)\n",
           r->cov->coverage, r->cov->covered_m, r->cov->segment_m, r->rules->track.near_m,
           r->cov->on_segment, r->rules->track.near_m);
  if (!r->v) return;
  printf("level       %s (rules %s)\nvalid       %s\n", river_level_name(r->o->level), r->rules->set,
         r->v->valid ? "yes" : "no");
  for (int i = 0; i < r->v->count; i++)
    printf("reason      %s: %s\n", r->v->reasons[i].code, r->v->reasons[i].message);
}

static int track_main(int argc, char **argv) {
  struct track_opts o;
  int p = parse_opts(argc, argv, &o);
  if (p) return p > 0 ? EXIT_OK : EXIT_USAGE;
  struct patrol_rules rules;
  char err[400];
  const struct embedded_file *f = embedded_find(RULES_FILE);
  if (patrol_rules_load(f ? (const char *)f->data : NULL, o.set, &rules, err, sizeof err)) {
    cli_error("river track: %s", err);
    return o.set ? EXIT_USAGE : EXIT_FAILED;
  }
  if (o.has_level && !rules.level[o.level].present) {
    cli_error("river track: rule set %s has no rule for %s级", rules.set, river_level_name(o.level));
    return EXIT_USAGE;
  }
  struct track t = {0};
  struct track_stats s;
  enum point_use *use = NULL;
  struct lines seg = {0}, walked = {0};
  struct coverage cov;
  struct patrol_verdict v;
  int rc = load_track(o.file, &rules.track, &t, &s, &use) ? EXIT_FAILED : EXIT_OK;
  if (rc == EXIT_OK && o.segment && load_segment(o.segment, &seg)) rc = EXIT_FAILED;
  if (rc == EXIT_OK) {
    if (o.segment) {
      track_lines(&t, use, &walked);
      track_coverage(&walked, &seg, &rules.track, &cov);
    }
    if (o.has_level) patrol_judge(&rules, o.level, &s, o.segment ? &cov : NULL, &v);
    struct result r = {&s, o.segment ? &cov : NULL, o.has_level ? &v : NULL, &rules, &o};
    if (o.json) print_json(&r);
    else print_text(&r);
  }
  track_free(&t);
  free(use);
  lines_free(&seg);
  lines_free(&walked);
  return rc;
}

int river_cli(int argc, char **argv) {
  static const struct cli_command commands[] = {
      {"track", track_main, "length, duration, jumps and coverage of a patrol track (GPX, GeoJSON)"},
      {NULL, NULL, NULL}};
  return cli_dispatch("qingshui river", commands, argc, argv);
}
