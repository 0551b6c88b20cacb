-- Issue 14, a map of the city:
--   * stations carry coordinates (WGS-84/GCJ-02 as the source gives them,
--     decimal degrees), as sections already do (0004: water_section.lat,
--     lon). Which section a station serves stays where the receiver reads
--     it, in water_section.stations (its MNs): the API derives the link
--     both ways from there, so that it cannot say two things.
--   * rivers, reservoirs and zones imported from GeoJSON (`qingshui geo
--     import`): one row per feature, its geometry as the GeoJSON geometry
--     object, checked on import (src/geo/parse.c). A feature of the same
--     kind and name is replaced by a new import.
ALTER TABLE hj212_station ADD COLUMN lon REAL CHECK (lon BETWEEN -180 AND 180);
ALTER TABLE hj212_station ADD COLUMN lat REAL CHECK (lat BETWEEN -90 AND 90);

CREATE TABLE geo_feature (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('river', 'reservoir', 'zone')),
  name TEXT NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  geometry TEXT NOT NULL,             -- GeoJSON geometry object: LineString ... MultiPolygon
  source TEXT NOT NULL DEFAULT '',    -- the file it came from
  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
  UNIQUE (kind, name)
) STRICT;

-- Which station feeds which section: a station's MN listed in the
-- section's stations column (separated by spaces, commas, semicolons or
-- tabs, as the receiver reads it: src/hj212/feed.c). The one place the
-- pages' links in both directions come from.
CREATE VIEW station_section AS
SELECT t.id AS station_id, w.id AS section_id
FROM water_section w JOIN hj212_station t
  ON instr(' ' || replace(replace(replace(w.stations, ',', ' '), ';', ' '), char(9), ' ') || ' ',
           ' ' || t.mn || ' ') > 0;
