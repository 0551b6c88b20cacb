/*
** The demo's water history (demo.h): SYNTHETIC readings, one a day at
** 08:00, up to yesterday, so that the water pages, which open on the
** current month, show every section. The values are drawn as
** data/water/make_demo_readings.py draws the fixed synthetic file: around
** each section's stored means (the real CNEMC November readings), with a
** seasonal swing and noise fixed by section, item and day, so that the
** same day always gets the same value. They are stored with the source
** 'synthetic' and go through the CSV import (aggregates, alarms, audit).
** Days on which a section already has a reading are left alone.
*/
#include "demo/demo.h"
#include "demo/chance.h"
#include "db/rows.h"
#include "supervision/period.h"
#include "util/buf.h"
#include "util/cli.h"
#include "water/cmd.h"
#include "water/store.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define SOURCE "synthetic"

/* ITEM's value on DAY for a section whose mean is MEAN (make_demo_readings.py). */
static double value_on(const char *item, double mean, int day, uint64_t section) {
  int y, m, d, jan1;
  day_to_ymd(day, &y, &m, &d);
  day_from_ymd(y, 1, 1, &jan1);
  double season = sin(2 * M_PI * (day - jan1 + 1 - 100) / 365.0);
  double g = demo_noise(section, demo_text_hash(item), (uint64_t)day);
  double v;
  if (!strcmp(item, "PH")) v = mean + 0.15 * g;
  else if (!strcmp(item, "WT")) v = 17 + 9 * season + g;
  else if (!strcmp(item, "DO")) v = mean * (1 - 0.15 * season) * exp(0.06 * g);
  else v = mean * (1 + 0.25 * season) * exp(0.2 * g);
  return v > 0.001 ? v : 0.001;
}

/* The CSV rows of section ROW (id, name) for the days FROM..TO it lacks,
** appended to CSV; returns how many. */
static int section_rows(sqlite3 *db, json_t *row, int from, int to, struct buf *csv) {
  long long id = json_integer_value(json_object_get(row, "id"));
  const char *name = json_string_value(json_object_get(row, "name"));
  json_t *means = db_query_rows(db, "SELECT item, avg(value) AS mean FROM water_reading "
                                "WHERE section_id = ? AND source != ? GROUP BY item", "is", id, SOURCE);
  json_t *days = db_query_rows(db, "SELECT DISTINCT substr(at, 1, 10) AS day FROM water_reading "
                               "WHERE section_id = ? ORDER BY 1", "i", id);
  size_t next = 0;
  int rows = 0;
  for (int day = from; day <= to; day++) {
    char text[DAY_TEXT_SIZE];
    day_format(day, text);
    int seen = 0;
    while (next < json_array_size(days)) {
      int c = strcmp(json_string_value(json_object_get(json_array_get(days, next), "day")), text);
      if (c > 0) break;
      next++;
      if (c == 0) { seen = 1; break; }
    }
    if (seen) continue;
    size_t i;
    json_t *m;
    json_array_foreach(means, i, m) {
      const char *item = json_string_value(json_object_get(m, "item"));
      double v = value_on(item, json_real_value(json_object_get(m, "mean")), day, demo_text_hash(name));
      buf_printf(csv, "%s,%s 08:00,%s,%.4g\n", name, text, item, v);
      rows++;
    }
  }
  json_decref(days);
  json_decref(means);
  return rows;
}

int demo_water(sqlite3 *db, int today, int *stored, char *err, size_t errlen) {
  *stored = 0;
  const struct water_standard *std = water_builtin_standard(err, errlen);
  if (!std) return -1;
  int y, m, d, from;
  day_to_ymd(today, &y, &m, &d);
  day_from_ymd(y - 1, 1, 1, &from);
  json_t *sections = db_query_rows(db, "SELECT id, name FROM water_section ORDER BY id", "");
  struct buf csv = {0};
  buf_puts(&csv, "section,time,item,value\n");
  size_t i;
  json_t *row;
  int rows = 0;
  json_array_foreach(sections, i, row) rows += section_rows(db, row, from, today - 1, &csv);
  json_decref(sections);
  int rc = 0;
  if (rows)
    rc = water_import_readings(db, std, buf_str(&csv), csv.len, SOURCE, cli_actor(), stored, NULL,
                               err, errlen);
  buf_free(&csv);
  return rc;
}
