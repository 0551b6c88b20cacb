-- PostgreSQL's 0011_secrets.sql: the failed log-ins (src/auth/account.c).
-- SQLite's 0011 also renames hj212_station.password to password_hash and
-- drops the account's counters; on PostgreSQL the account never had them,
-- and the station table (0003) will be made with password_hash when it is
-- ported. Logins are matched by lower(login), as SQLite's COLLATE NOCASE.
CREATE TABLE login_failure (
  login text NOT NULL,
  address text NOT NULL,
  at bigint NOT NULL                  -- unix seconds
);
CREATE INDEX login_failure_login ON login_failure(lower(login), at);
