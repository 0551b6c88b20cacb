-- Supervision: measures decomposed into annual tasks with owner units,
-- milestones and an indicator; progress reports with attachments;
-- supervision notices (催办/督办/挂牌督办), extension requests, completion
-- proposals (办结); the inbox of events and the webhook outbox.
-- Dates are YYYY-MM-DD; instants are UTC ISO 8601.

CREATE TABLE task (
  id INTEGER PRIMARY KEY,
  measure_id INTEGER NOT NULL REFERENCES measure(id),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  start_on TEXT NOT NULL,
  due_on TEXT NOT NULL CHECK (due_on >= start_on),
  indicator TEXT,                   -- what is measured
  indicator_unit TEXT,              -- its unit of measure
  baseline REAL,
  target_value REAL,
  source_target_id INTEGER REFERENCES measure_target(id) ON DELETE SET NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'proposed', 'done')),
  completed_on TEXT,
  rating INTEGER CHECK (rating BETWEEN 1 AND 5),
  copied_from INTEGER REFERENCES task(id),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX task_measure ON task(measure_id);
CREATE INDEX task_year ON task(year);

CREATE TABLE task_unit (
  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  role TEXT NOT NULL CHECK (role IN ('lead', 'support')),
  PRIMARY KEY (task_id, unit_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX task_unit_unit ON task_unit(unit_id);

CREATE TABLE milestone (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  due_on TEXT NOT NULL,
  done_on TEXT
) STRICT;
CREATE INDEX milestone_task ON milestone(task_id);

CREATE TABLE report (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  period TEXT NOT NULL,             -- 2026-11 or 2026-Q4
  text TEXT NOT NULL,
  percent REAL NOT NULL CHECK (percent BETWEEN 0 AND 100),
  indicator_value REAL,
  state TEXT NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted', 'returned', 'accepted')),
  comment TEXT,
  submitted_by TEXT NOT NULL,
  submitted_on TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  reviewed_by TEXT,
  reviewed_at TEXT
) STRICT;
CREATE INDEX report_task ON report(task_id, period);

CREATE TABLE attachment (
  id INTEGER PRIMARY KEY,
  report_id INTEGER REFERENCES report(id) ON DELETE CASCADE,
  completion_id INTEGER REFERENCES completion(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL,             -- the file is var/attachments/<sha256>
  name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL,
  CHECK ((report_id IS NULL) != (completion_id IS NULL))
) STRICT;

CREATE TABLE notice (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  level TEXT NOT NULL CHECK (level IN ('cuiban', 'duban', 'guapai')),
  text TEXT NOT NULL,
  deadline TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'replied', 'closed')),
  issued_by TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  reply TEXT,
  replied_by TEXT,
  replied_at TEXT
) STRICT;
CREATE INDEX notice_task ON notice(task_id);
CREATE INDEX notice_unit ON notice(unit_id);

CREATE TABLE extension (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  requested_until TEXT NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'granted', 'refused')),
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  comment TEXT
) STRICT;

CREATE TABLE completion (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  evidence TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'returned')),
  proposed_by TEXT NOT NULL,
  proposed_on TEXT NOT NULL,
  proposed_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  comment TEXT,
  rating INTEGER CHECK (rating BETWEEN 1 AND 5)
) STRICT;

-- What waits for whom: events addressed to a unit's accounts or to the
-- administrators (unit_id NULL). Also the webhook's source.
CREATE TABLE event (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,               -- notice.issued, report.returned, completion.proposed, ...
  task_id INTEGER REFERENCES task(id) ON DELETE CASCADE,
  unit_id INTEGER REFERENCES unit(id),
  summary TEXT NOT NULL,
  done_at TEXT                      -- when its recipient dealt with it
) STRICT;
CREATE INDEX event_unit ON event(unit_id, done_at);

CREATE TABLE webhook_delivery (
  event_id INTEGER PRIMARY KEY REFERENCES event(id) ON DELETE CASCADE,
  attempts INTEGER NOT NULL DEFAULT 0,
  delivered_at TEXT,
  last_error TEXT,
  last_try TEXT
) STRICT;
