-- Water quality (issue 4): monitoring sections, readings, the aggregates
-- kept up to date as readings arrive, and alarms. Evaluation itself is code
-- (src/water/) over GB 3838 tables that are data (data/standards/).

-- A monitoring section (断面).
CREATE TABLE water_section (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,          -- 神定河口: readings name their section by it
  river TEXT NOT NULL,                -- river or water body
  body TEXT NOT NULL CHECK (body IN ('river', 'lake', 'river_reservoir')),
  level TEXT NOT NULL CHECK (level IN ('national', 'provincial', 'city')),
  province TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  county TEXT NOT NULL DEFAULT '',    -- the county assessed on this section
  county_up TEXT NOT NULL DEFAULT '', -- cross-boundary: upstream county
  county_down TEXT NOT NULL DEFAULT '',
  inflow_id INTEGER REFERENCES water_section(id) ON DELETE SET NULL,
  target_class INTEGER CHECK (target_class BETWEEN 1 AND 5),
  target_demo INTEGER NOT NULL DEFAULT 0 CHECK (target_demo IN (0, 1)),
  items TEXT NOT NULL DEFAULT '',     -- assessed item codes, space-separated; '' = the 21
  stations TEXT NOT NULL DEFAULT '',  -- codes (HJ 212 MN) of the stations feeding it
  lat REAL,
  lon REAL,
  note TEXT NOT NULL DEFAULT ''
) STRICT;

-- One measured value. VALUE is what counts: half the detection limit when
-- BELOW_DL (written 0.01L). AT is local time, 'YYYY-MM-DD HH:MM'.
CREATE TABLE water_reading (
  section_id INTEGER NOT NULL REFERENCES water_section(id) ON DELETE CASCADE,
  item TEXT NOT NULL,
  at TEXT NOT NULL,
  value REAL NOT NULL,
  below_dl INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL,               -- 'csv', 'hj212', 'demo'
  PRIMARY KEY (section_id, item, at)
) STRICT, WITHOUT ROWID;

-- Running sums per section, item and hour / day / month, updated in the
-- transaction that stores the reading. SUM is of values, or of hydrogen-ion
-- concentrations for pH (so that the mean is -log10(sum/n)).
CREATE TABLE water_agg (
  section_id INTEGER NOT NULL REFERENCES water_section(id) ON DELETE CASCADE,
  item TEXT NOT NULL,
  period TEXT NOT NULL CHECK (period IN ('hour', 'day', 'month')),
  start TEXT NOT NULL,                -- 'YYYY-MM-DD HH', 'YYYY-MM-DD', 'YYYY-MM'
  sum REAL NOT NULL,
  n INTEGER NOT NULL,
  min REAL NOT NULL,
  max REAL NOT NULL,
  PRIMARY KEY (period, start, section_id, item)
) STRICT, WITHOUT ROWID;
CREATE INDEX water_agg_section ON water_agg(section_id, item, period, start);

-- A value worse than its section's target: open -> acknowledged -> closed.
-- One alarm per section and item is live (open or acknowledged) at a time.
CREATE TABLE water_alarm (
  id INTEGER PRIMARY KEY,
  section_id INTEGER NOT NULL REFERENCES water_section(id) ON DELETE CASCADE,
  item TEXT NOT NULL,
  at TEXT NOT NULL,                   -- the reading that opened it
  value REAL NOT NULL,
  class INTEGER NOT NULL,
  target_class INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'closed')),
  opened_at TEXT NOT NULL,
  acknowledged_by TEXT,
  acknowledged_at TEXT,
  closed_by TEXT,
  closed_at TEXT,
  note TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX water_alarm_state ON water_alarm(state, section_id);
CREATE UNIQUE INDEX water_alarm_live ON water_alarm(section_id, item)
  WHERE state IN ('open', 'acknowledged');
