#!/usr/bin/env python3
"""The readings of one station as the stations grow (issue 15): for each
count of stations, a new database with that many stations, each with a
packet every 10 minutes for 14 days (cn 2051, w01018 and w21003), then
GET /api/stations/1/readings of a code the station reports (1,000
points, the default range of 7 days) and of one it does not, the median
of 21 requests on loopback; then the same with an index that starts from
the station, hj212_packet(station_id, data_time, cn), which issue 15
proposed and the writer could not afford (bench/bench_hj212.md, "An index
from the station"); and the query plan of a station's removal (the
foreign key's cascade into hj212_packet) without and with it.

Usage: python3 bench/bench_readings.py BUILD [STATIONS...]   (default 100 1000)
Figures only, no thresholds.
"""
import http.client
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build-bench"
COUNTS = [int(n) for n in sys.argv[2:]] or [100, 1000]
Q = os.path.join(BUILD, "qingshui")
START = 1704067200          # 2024-01-01 00:00:00 as the packets' DataTime seconds
STEP, DAYS = 600, 14


def fill(db, stations):
    con = sqlite3.connect(db)
    con.executemany("INSERT INTO hj212_station (id, mn, password_hash, st, name, kind) "
                    "VALUES (?, ?, 'pw', '21', ?, 'water_section')",
                    [(i, f"MN{i:08d}", f"station {i}") for i in range(1, stations + 1)])
    times = range(START, START + DAYS * 86400, STEP)
    rows = ((t * stations + s, s, t, json.dumps({"w01018": {"Avg": 20 + s % 7}, "w21003": {"Avg": 1.5}}))
            for t in times for s in range(1, stations + 1))
    con.executemany("INSERT INTO hj212_packet (id, station_id, cn, data_time, received_at, readings) "
                    "VALUES (?, ?, 2051, ?, ?, ?)", ((i, s, t, t, r) for i, s, t, r in rows))
    con.executemany("INSERT INTO hj212_latest VALUES (?, 2051, ?, ?)",
                    [(s, times[-1], times[-1]) for s in range(1, stations + 1)])
    con.commit()
    con.execute("ANALYZE")
    con.commit()
    con.close()


def timed(port, token, path, n=21):
    ms = []
    for _ in range(n):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        t = time.perf_counter()
        c.request("GET", path, headers={"Authorization": "Bearer " + token})
        r = c.getresponse()
        body = json.loads(r.read())
        ms.append((time.perf_counter() - t) * 1000)
        c.close()
    return statistics.median(ms), min(ms), len(body.get("points", []))


def measure(db, label):
    token = open(db + ".admin-token").read().strip()
    p = subprocess.Popen([Q, "serve", "--db", db, "--listen", "127.0.0.1:0", "--hj212", "off"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(p.stdout.readline().split("http://127.0.0.1:")[1].split()[0])
    for code in ["w01018", "w99999"]:
        ms, least, n = timed(port, token, f"/api/stations/1/readings?code={code}")
        print(f"    {label}, code {code}: {ms:.1f} ms median, {least:.1f} ms least, {n} points")
    p.terminate()
    p.wait()


def main():
    for stations in COUNTS:
        with tempfile.TemporaryDirectory(prefix="qingshui-bench-readings-") as d:
            db = os.path.join(d, "q.db")
            subprocess.run([Q, "init", "--db", db], check=True, capture_output=True)
            fill(db, stations)
            packets = sqlite3.connect(db).execute("SELECT count(*) FROM hj212_packet").fetchone()[0]
            print(f"{stations} stations, {packets} packets:")
            for label in ["the packet key alone", "with a station index"]:
                if label != "the packet key alone":
                    con = sqlite3.connect(db)
                    con.execute("CREATE INDEX hj212_packet_station ON hj212_packet(station_id, data_time, cn)")
                    con.execute("ANALYZE")
                    con.commit()
                    con.close()
                measure(db, label)
                con = sqlite3.connect(db)
                plan = con.execute("EXPLAIN QUERY PLAN DELETE FROM hj212_packet WHERE station_id = 1").fetchall()
                con.close()
                print(f"    {label}, a station's removal (the cascade):", "; ".join(r[3] for r in plan))


if __name__ == "__main__":
    main()
