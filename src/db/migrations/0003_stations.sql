-- HJ 212 online monitoring (issue 3): the stations that report to us, the
-- mapping of their pollutant codes to our indicators, and their readings.

-- A station (data logger), identified by its MN.
CREATE TABLE hj212_station (
  id INTEGER PRIMARY KEY,
  mn TEXT NOT NULL UNIQUE,            -- device id sent in every packet
  password TEXT NOT NULL,             -- PW: sent in clear by the protocol, so kept to compare
  st TEXT NOT NULL,                   -- system type: 21 surface water, 32 wastewater, ...
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('water_section', 'outlet', 'sewage_plant', 'air_station')),
  owner TEXT NOT NULL DEFAULT '',     -- what it belongs to: section, enterprise, plant
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
  last_packet_at TEXT                 -- UTC, set by the receiver's writer
) STRICT;

-- Pollutant code (2017 code) -> our indicator (w01018 -> COD).
CREATE TABLE hj212_station_code (
  station_id INTEGER NOT NULL REFERENCES hj212_station(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  indicator TEXT NOT NULL,
  PRIMARY KEY (station_id, code)
) STRICT, WITHOUT ROWID;

-- One pollutant's values of one upload. The key makes a retransmitted
-- packet (same MN, CN, DataTime) store nothing new.
CREATE TABLE hj212_reading (
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
  PRIMARY KEY (station_id, cn, data_time, code)
) STRICT, WITHOUT ROWID;
CREATE INDEX hj212_reading_time ON hj212_reading(station_id, data_time);
