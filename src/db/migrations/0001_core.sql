-- Core tables shared by every capability: the audit log and API tokens.

-- Every change of data, by whom and when, with the state before and after.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,                 -- UTC, ISO 8601 with milliseconds
  actor TEXT NOT NULL,              -- user or token name, "cli:<login>" or "system"
  action TEXT NOT NULL,             -- e.g. plan.import, unit_alias.put
  entity TEXT NOT NULL,             -- table or kind of thing changed
  entity_id INTEGER,
  before TEXT,                      -- JSON, NULL for creations
  after TEXT                        -- JSON, NULL for deletions
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);

-- Bearer tokens for API clients and administration. Only a hash is kept.
CREATE TABLE api_token (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  token_hash BLOB NOT NULL UNIQUE,  -- BLAKE2b-256 of the token
  role TEXT NOT NULL CHECK (role IN ('admin')),
  created_at TEXT NOT NULL
) STRICT;
