-- hj212_packet's and hj212_latest's times as integers (issue 3): seconds
-- since 1970-01-01 00:00:00, as unixepoch() reads the text they held.
--   data_time    the station's DataTime, China's local time, counted as
--                if it were UTC (unixepoch('2024-01-23 12:32:00') for
--                DataTime=20240123123200): the receiver's
--                hj212_time_seconds, and datetime(data_time, 'unixepoch')
--                gives the text back
--   received_at  the platform's clock, UTC
-- Why: the packet key (DataTime first) compared 19-byte strings at every
-- step of every insert, and each row carried 38 bytes of times. Measured
-- with the writer's statements alone, batches of 240 packets of 1,000
-- stations: 4.4 -> 3.7 us a packet; the receiver's writer thread at a
-- fixed 30,000 packets/s: 7.1-8.0 -> 6.4-6.9 us. After 300,000 packets
-- of the simulator: the table 21,754 -> 19,490 pages (rows of 281 -> 252
-- bytes), the key 2,810 -> 1,583 pages (entries of 32 -> 17 bytes).
--
-- The views keep their text times, so what reads them is unchanged.
DROP VIEW hj212_reading;
DROP VIEW hj212_station_seen;

CREATE TABLE hj212_packet_new (
  id INTEGER PRIMARY KEY,             -- arrival order (numbered by the writer)
  station_id INTEGER NOT NULL REFERENCES hj212_station(id) ON DELETE CASCADE,
  cn INTEGER NOT NULL,                -- 2011 real-time, 2051 minute, 2061 hour, 2031 day
  data_time INTEGER NOT NULL,         -- DataTime, seconds (see above)
  pno INTEGER NOT NULL DEFAULT 0,     -- piece of a split packet (PNO), 0 if whole
  qn TEXT,
  received_at INTEGER NOT NULL,       -- unix time
  readings TEXT NOT NULL              -- JSON (0008)
) STRICT;
INSERT INTO hj212_packet_new (id, station_id, cn, data_time, pno, qn, received_at, readings)
SELECT id, station_id, cn, unixepoch(data_time), pno, qn, unixepoch(received_at), readings
FROM hj212_packet ORDER BY id;
DROP TABLE hj212_packet;
ALTER TABLE hj212_packet_new RENAME TO hj212_packet;
CREATE UNIQUE INDEX hj212_packet_key ON hj212_packet(data_time, station_id, cn, pno);

CREATE TABLE hj212_latest_new (
  station_id INTEGER NOT NULL REFERENCES hj212_station(id) ON DELETE CASCADE,
  cn INTEGER NOT NULL,
  data_time INTEGER NOT NULL,         -- the newest DataTime stored, seconds
  received_at INTEGER NOT NULL,       -- unix time of the last packet, even of an older DataTime
  PRIMARY KEY (station_id, cn)
) STRICT, WITHOUT ROWID;
INSERT INTO hj212_latest_new (station_id, cn, data_time, received_at)
SELECT station_id, cn, unixepoch(data_time), unixepoch(received_at) FROM hj212_latest;
DROP TABLE hj212_latest;
ALTER TABLE hj212_latest_new RENAME TO hj212_latest;

-- A station with the time of its last packet (UTC text), as before.
CREATE VIEW hj212_station_seen AS
SELECT s.*, (SELECT datetime(max(received_at), 'unixepoch') FROM hj212_latest l
             WHERE l.station_id = s.id) AS last_packet_at
FROM hj212_station s;

-- The pollutant rows, as before, for reading and reports.
CREATE VIEW hj212_reading AS
SELECT p.id AS packet_id, p.station_id, p.cn, datetime(p.data_time, 'unixepoch') AS data_time,
       p.pno, r.key AS code,
       coalesce(r.value ->> 'sent', r.key) AS code_sent,
       (r.value ->> 'unknown') IS NULL AS known,
       r.value ->> 'Rtd' AS rtd, r.value ->> 'Avg' AS avg, r.value ->> 'Min' AS min,
       r.value ->> 'Max' AS max, r.value ->> 'Cou' AS cou, r.value ->> 'Flag' AS flag,
       p.qn, datetime(p.received_at, 'unixepoch') AS received_at
FROM hj212_packet p, json_each(p.readings) r;
