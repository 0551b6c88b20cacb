-- Accounts and secrets (issue 19).
--
-- Stations' HJ 212 passwords are kept as salted hashes, never in clear:
-- 'b2:' || hex(salt) || ':' || hex(BLAKE2b-256 of the password keyed by
-- the salt), written by device_secret_hash(), an SQL function that every
-- connection has (src/auth/secret.c says why BLAKE2b and not argon2).
ALTER TABLE hj212_station RENAME COLUMN password TO password_hash;
UPDATE hj212_station SET password_hash = device_secret_hash(password_hash);

-- Failed log-ins, by login as typed (an account or not) and address: a
-- lock-out counts those of one address for one account, and more slowly
-- those of every address (src/auth/account.c). Rows older than the window
-- are deleted as new ones come. The counters on the account go.
CREATE TABLE login_failure (
  login TEXT NOT NULL COLLATE NOCASE,
  address TEXT NOT NULL,
  at INTEGER NOT NULL                 -- unix seconds
) STRICT;
CREATE INDEX login_failure_login ON login_failure(login, at);
ALTER TABLE account DROP COLUMN failed_logins;
ALTER TABLE account DROP COLUMN locked_until;
