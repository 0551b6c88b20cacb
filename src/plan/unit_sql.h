/*
** SQL about units that several files of src/plan share: the parts written
** once, and where SQLite and PostgreSQL differ (JSON aggregates), the two
** variants side by side. Expressions over a unit row `u`.
*/
#ifndef QS_PLAN_UNIT_SQL_H
#define QS_PLAN_UNIT_SQL_H

/* The units whose work is u's today: u and those that ended into it. */
#define UNIT_FAMILY \
  "(SELECT unit_id FROM unit_current WHERE current_id = u.id UNION SELECT u.id)"

/* The measures u's family leads and supports, and the day u ended. */
#define UNIT_COUNTS \
  "(SELECT count(DISTINCT measure_id) FROM measure_unit WHERE unit_id IN " UNIT_FAMILY \
  "  AND role = 'lead') AS leads, " \
  "(SELECT count(DISTINCT measure_id) FROM measure_unit WHERE unit_id IN " UNIT_FAMILY \
  "  AND role = 'support') AS supports, u.dissolved_on"

/* u's former names (oldest first) and successors as JSON arrays, in each
** dialect: SQLite's json_group_array is '[]' over no rows, PostgreSQL's
** json_agg NULL; PostgreSQL puts NULLs last where SQLite puts them first. */
#define UNIT_HISTORY_SQLITE \
  "(SELECT json_group_array(name) FROM (SELECT name FROM unit_name " \
  "  WHERE unit_id = u.id AND name != u.name ORDER BY valid_to)) AS former_names_json, " \
  "(SELECT json_group_array(json_object('id', s.successor, 'name', su.name, 'kind', s.kind, " \
  "  'date', s.on_date)) FROM unit_succession s JOIN unit su ON su.id = s.successor " \
  "  WHERE s.predecessor = u.id) AS successors_json"
#define UNIT_HISTORY_PG \
  "(SELECT coalesce(json_agg(name ORDER BY valid_to NULLS FIRST), '[]') FROM unit_name " \
  "  WHERE unit_id = u.id AND name != u.name) AS former_names_json, " \
  "(SELECT coalesce(json_agg(json_build_object('id', s.successor, 'name', su.name, " \
  "  'kind', s.kind, 'date', s.on_date)), '[]') FROM unit_succession s " \
  "  JOIN unit su ON su.id = s.successor WHERE s.predecessor = u.id) AS successors_json"

#endif
