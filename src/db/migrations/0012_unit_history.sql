-- Units change: the 2019 reform renamed 市环保局 to 市生态环境局, and
-- reforms merge and split bodies. A rename keeps the unit (its id), so its
-- tasks, reports and accounts follow for free: unit.name is the current
-- name and unit_name every name the unit has had, with the days it held it.
-- A merger or a split ends units (unit.dissolved_on) and links them to their
-- successors; the store moves their tasks, accounts and records to the
-- successors (plan_unit_succeed), and only the plan (measure_unit) keeps
-- pointing at the unit it was written with.

ALTER TABLE unit ADD COLUMN dissolved_on TEXT;  -- YYYY-MM-DD; NULL: still exists

CREATE TABLE unit_name (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  name TEXT NOT NULL,
  valid_from TEXT,                  -- YYYY-MM-DD, inclusive; NULL: before the records
  valid_to TEXT,                    -- YYYY-MM-DD, exclusive; NULL: still in force
  source TEXT,                      -- the document that made the change
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from < valid_to)
) STRICT;
CREATE INDEX unit_name_unit ON unit_name(unit_id);
CREATE INDEX unit_name_name ON unit_name(name);

INSERT INTO unit_name(unit_id, name) SELECT id, name FROM unit;

-- Every unit has its first name from the day it is created.
CREATE TRIGGER unit_first_name AFTER INSERT ON unit BEGIN
  INSERT INTO unit_name(unit_id, name) VALUES (NEW.id, NEW.name);
END;

CREATE TABLE unit_succession (
  predecessor INTEGER NOT NULL REFERENCES unit(id),
  successor INTEGER NOT NULL REFERENCES unit(id),
  on_date TEXT NOT NULL,            -- YYYY-MM-DD
  kind TEXT NOT NULL CHECK (kind IN ('merger', 'split')),
  source TEXT NOT NULL,
  PRIMARY KEY (predecessor, successor),
  CHECK (predecessor != successor)
) STRICT;
CREATE INDEX unit_succession_successor ON unit_succession(successor);

-- The unit or units that exist today for each unit: itself, or the end of
-- its chain of successors (several after a split).
CREATE VIEW unit_current(unit_id, current_id) AS
  WITH RECURSIVE chain(unit_id, current_id) AS (
    SELECT id, id FROM unit
    UNION
    SELECT chain.unit_id, s.successor FROM chain
    JOIN unit_succession s ON s.predecessor = chain.current_id
  )
  SELECT chain.unit_id, chain.current_id FROM chain
  JOIN unit u ON u.id = chain.current_id WHERE u.dissolved_on IS NULL;

-- Every name that finds a unit: its names, then the aliases of those names.
CREATE VIEW unit_any_name(name, unit_id) AS
  SELECT name, unit_id FROM unit_name
  UNION
  SELECT a.alias, n.unit_id FROM unit_alias a JOIN unit_name n ON n.name = a.unit_name;
