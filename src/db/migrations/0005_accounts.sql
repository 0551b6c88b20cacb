-- Accounts and browser sessions. Roles: admin (the leading-group office),
-- leader (reads everything), unit (bound to one unit). Passwords are
-- argon2id strings from libsodium; session tokens are stored as hashes.

CREATE TABLE account (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'unit')),
  unit_id INTEGER REFERENCES unit(id),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,                -- UTC ISO 8601; NULL when not locked
  created_at TEXT NOT NULL,
  CHECK ((role = 'unit') = (unit_id IS NOT NULL))
) STRICT;

CREATE TABLE session (
  token_hash BLOB PRIMARY KEY,      -- BLAKE2b-256 of the cookie's value
  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,         -- sent back in X-CSRF-Token on changes
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX session_account ON session(account_id);
