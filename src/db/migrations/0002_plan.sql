-- The plan registry: plans, chapters, measures, units and their roles,
-- the targets found in the text, and the unit dictionary (data users edit).

CREATE TABLE plan (
  id INTEGER PRIMARY KEY,
  doc_number TEXT NOT NULL UNIQUE,  -- 十政办发〔2018〕8号: a plan's identity
  title TEXT NOT NULL,
  notice_title TEXT,
  issuer TEXT,
  issued_on TEXT,                   -- YYYY-MM-DD
  source_sha256 TEXT NOT NULL,      -- of the imported text: same text, no change
  source_name TEXT,
  imported_at TEXT NOT NULL
) STRICT;

CREATE TABLE chapter (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  title TEXT NOT NULL,
  UNIQUE (plan_id, ordinal)
) STRICT;

CREATE TABLE measure (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  chapter_id INTEGER NOT NULL REFERENCES chapter(id),
  ordinal INTEGER NOT NULL,         -- (七十二) -> 72, through the document
  title TEXT NOT NULL,              -- the first sentence
  body TEXT NOT NULL,               -- the full text as written
  source_line INTEGER NOT NULL,
  UNIQUE (plan_id, ordinal)
) STRICT;
CREATE INDEX measure_chapter ON measure(chapter_id);

CREATE TABLE unit (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  name_en TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('city_department', 'county_government',
        'zone_committee', 'collective', 'company', 'other'))
) STRICT;

CREATE TABLE measure_unit (
  measure_id INTEGER NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  role TEXT NOT NULL CHECK (role IN ('lead', 'support')),
  position INTEGER NOT NULL,        -- order in the document
  written TEXT NOT NULL,            -- the name as the document wrote it
  via TEXT,                         -- the collective it was expanded from
  PRIMARY KEY (measure_id, unit_id, role)
) STRICT, WITHOUT ROWID;
CREATE INDEX measure_unit_unit ON measure_unit(unit_id, role);

CREATE TABLE measure_target (
  id INTEGER PRIMARY KEY,
  measure_id INTEGER NOT NULL REFERENCES measure(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('dated', 'quantity')),
  year INTEGER,
  month INTEGER,
  value REAL,
  measure_unit TEXT,
  phrase TEXT NOT NULL,
  sentence TEXT NOT NULL
) STRICT;
CREATE INDEX measure_target_measure ON measure_target(measure_id);

-- The unit dictionary, seeded from data/plan/ by init.
CREATE TABLE unit_alias (
  alias TEXT PRIMARY KEY,
  unit_name TEXT NOT NULL
) STRICT;

CREATE TABLE unit_collective (
  collective TEXT NOT NULL,
  member TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (collective, member)
) STRICT;

CREATE TABLE unit_suffix_rule (
  suffix TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  position INTEGER NOT NULL
) STRICT;
