-- HJ 212 readings keyed as they are read (issue 3): a station's rows in
-- DataTime order, so the primary key serves both the retransmission check
-- and a station's recent rows, and the receiver's writer maintains one
-- B-tree per row instead of two (the secondary index hj212_reading_time
-- doubled the pages every batch dirtied). The same columns make the key,
-- so the same readings stay distinct and a repeated one still stores once.
CREATE TABLE hj212_reading_new (
  station_id INTEGER NOT NULL REFERENCES hj212_station(id) ON DELETE CASCADE,
  cn INTEGER NOT NULL,                -- 2011 real-time, 2051 minute, 2061 hour, 2031 day
  data_time TEXT NOT NULL,            -- station's DataTime, 'YYYY-MM-DD HH:MM:SS'
  code TEXT NOT NULL,                 -- the 2017 code (2005 codes mapped)
  code_sent TEXT NOT NULL,            -- as the station sent it
  known INTEGER NOT NULL,             -- 0: a code in no table, kept as sent
  rtd REAL, avg REAL, min REAL, max REAL, cou REAL,
  flag TEXT,                          -- N F M S D C T B, NULL if not sent
  qn TEXT,
  received_at TEXT NOT NULL,          -- UTC
  PRIMARY KEY (station_id, data_time, cn, code)
) STRICT, WITHOUT ROWID;
INSERT INTO hj212_reading_new SELECT * FROM hj212_reading ORDER BY station_id, data_time, cn, code;
DROP TABLE hj212_reading;
ALTER TABLE hj212_reading_new RENAME TO hj212_reading;
