-- HJ 212 readings as a log of packets (issue 3): one row per accepted
-- upload, in arrival order, instead of one row per pollutant in each
-- station's key range.
--
-- Why: stations report at the same moments, so a batch of the receiver
-- holds one packet of each of a thousand stations. Keyed by station, that
-- batch dirtied a page per station (measured: 1.1 pages and 34 us per
-- packet, 4.6 KB of WAL each); appended in arrival order with a time-first
-- index it dirties a page per dozen packets (3.5 us, 400 bytes of WAL).
-- A station's recent packets are found through the same index within a
-- time range, and its newest ones through hj212_latest.

-- One accepted upload: its values as JSON, keyed by the 2017 code:
--   {"w01018": {"Rtd": 32.1, "Flag": "N"}, "011": {"Rtd": 5, "sent": "011", "unknown": 1}}
-- with the fields the station sent (Rtd Avg Min Max Cou ZsRtd ZsAvg ZsMin
-- ZsMax as numbers written as sent, Flag, EFlag, SampleTime), "sent" when
-- the code as sent differs (a 2005 code mapped), "unknown" for a code in
-- no table. Only the receiver writes it, with hj212_record_json, which the
-- unit tests and the fuzzer hold to valid JSON for every segment; a CHECK
-- (json_valid(readings)) would parse each record again, 1.6 of the
-- writer's 7 us per packet (measured alone, 1,000 stations per batch).
CREATE TABLE hj212_packet (
  id INTEGER PRIMARY KEY,             -- arrival order
  station_id INTEGER NOT NULL REFERENCES hj212_station(id) ON DELETE CASCADE,
  cn INTEGER NOT NULL,                -- 2011 real-time, 2051 minute, 2061 hour, 2031 day
  data_time TEXT NOT NULL,            -- station's DataTime, 'YYYY-MM-DD HH:MM:SS'
  pno INTEGER NOT NULL DEFAULT 0,     -- piece of a split packet (PNO), 0 if whole
  qn TEXT,
  received_at TEXT NOT NULL,          -- UTC
  readings TEXT NOT NULL              -- JSON: no CHECK, see below
) STRICT;
-- A retransmission (same station, upload, DataTime and piece) stores
-- nothing new; time first, so a batch's entries land side by side.
CREATE UNIQUE INDEX hj212_packet_key ON hj212_packet(data_time, station_id, cn, pno);

-- Each station's newest DataTime per command, and when it last sent a
-- packet: a row per station and CN, so the writer's updates stay in a few
-- pages (the station table's last_packet_at, updated by every batch,
-- dirtied one page per 30 stations). The newest packets are found from
-- here through hj212_packet_key.
CREATE TABLE hj212_latest (
  station_id INTEGER NOT NULL REFERENCES hj212_station(id) ON DELETE CASCADE,
  cn INTEGER NOT NULL,
  data_time TEXT NOT NULL,            -- the newest DataTime stored
  received_at TEXT NOT NULL,          -- UTC of the last packet, even of an older DataTime
  PRIMARY KEY (station_id, cn)
) STRICT, WITHOUT ROWID;

-- The readings of 0003/0007, moved (their values become JSON numbers;
-- json_patch onto {} leaves out the fields that were NULL).
INSERT INTO hj212_packet (station_id, cn, data_time, qn, received_at, readings)
SELECT station_id, cn, data_time, max(qn), max(received_at),
       json_group_object(code, json_patch('{}', json_object(
         'Rtd', rtd, 'Avg', avg, 'Min', min, 'Max', max, 'Cou', cou, 'Flag', flag,
         'sent', CASE WHEN code_sent <> code THEN code_sent END,
         'unknown', CASE WHEN known = 0 THEN 1 END)))
FROM hj212_reading GROUP BY station_id, cn, data_time ORDER BY min(received_at), station_id;
INSERT INTO hj212_latest (station_id, cn, data_time, received_at)
SELECT station_id, cn, max(data_time), max(received_at) FROM hj212_packet GROUP BY station_id, cn;
DROP TABLE hj212_reading;
ALTER TABLE hj212_station DROP COLUMN last_packet_at;

-- A station with the time of its last packet (UTC), as before.
CREATE VIEW hj212_station_seen AS
SELECT s.*, (SELECT max(received_at) FROM hj212_latest l WHERE l.station_id = s.id) AS last_packet_at
FROM hj212_station s;

-- The pollutant rows, as before, for reading and reports.
CREATE VIEW hj212_reading AS
SELECT p.id AS packet_id, p.station_id, p.cn, p.data_time, p.pno, r.key AS code,
       coalesce(r.value ->> 'sent', r.key) AS code_sent,
       (r.value ->> 'unknown') IS NULL AS known,
       r.value ->> 'Rtd' AS rtd, r.value ->> 'Avg' AS avg, r.value ->> 'Min' AS min,
       r.value ->> 'Max' AS max, r.value ->> 'Cou' AS cou, r.value ->> 'Flag' AS flag,
       p.qn, p.received_at
FROM hj212_packet p, json_each(p.readings) r;
