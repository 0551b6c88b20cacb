-- Issue 12, workflow details that mislead:
--   * a notice (督办) sent to the wrong unit can be withdrawn by the
--     office: state 'withdrawn', with who, when and why. A withdrawn
--     notice counts nowhere (dashboard, assessment) and leaves the unit's
--     inbox; the task's timeline still shows it. SQLite cannot change a
--     CHECK constraint in place, so the table is rebuilt.
--   * an inbox item is done when the action it asks for is taken: events
--     name the row they are about (ref_id: the task, report, notice,
--     extension or completion, by the prefix of their kind), so that
--     replying to a notice or deciding a request settles its item. Events
--     recorded before this version have no ref_id and are settled by hand.
CREATE TABLE notice_new (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  level TEXT NOT NULL CHECK (level IN ('cuiban', 'duban', 'guapai')),
  text TEXT NOT NULL,
  deadline TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'replied', 'closed', 'withdrawn')),
  issued_by TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  reply TEXT,
  replied_by TEXT,
  replied_at TEXT,
  withdrawn_by TEXT,
  withdrawn_at TEXT,
  withdraw_reason TEXT
) STRICT;
INSERT INTO notice_new (id, task_id, unit_id, level, text, deadline, state, issued_by, issued_at,
                        reply, replied_by, replied_at)
SELECT id, task_id, unit_id, level, text, deadline, state, issued_by, issued_at, reply, replied_by,
       replied_at
FROM notice ORDER BY id;
DROP TABLE notice;
ALTER TABLE notice_new RENAME TO notice;
CREATE INDEX notice_task ON notice(task_id);
CREATE INDEX notice_unit ON notice(unit_id);

ALTER TABLE event ADD COLUMN ref_id INTEGER;
CREATE INDEX event_ref ON event(ref_id, kind);
