"""Integration tests of `qingshui simulate`: simulated stations registered
with --register-db, played against a real `serve --hj212` on loopback for a
few seconds; their readings must be in the database, every packet
acknowledged. Also: --help, usage errors, and retries against a receiver
that does not know the stations.

Run: python3 tests/integration/test_hj212_simulate.py BUILD_DIR (from the source root).
"""
import math
import os
import re
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TempDbCase, main, run  # noqa: E402
from test_hj212 import Receiver  # noqa: E402


def summary(stdout):
    """The summary line's key=value pairs."""
    line = [x for x in stdout.splitlines() if x.startswith("simulate: stations=")][-1]
    return dict(re.findall(r"(\w+)=(\S+)", line))


class SimulateCase(TempDbCase):
    def setUp(self):
        super().setUp()
        run("init", db=self.db, check=True)


    def simulate(self, *args):
        return run("simulate", *args)

    def test_help_and_usage(self):
        r = self.simulate("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("--register-db", r.stdout)
        self.assertEqual(self.simulate("--stations", "3").returncode, 2)   # no --target
        r = self.simulate("--stations", "0", "--target", "127.0.0.1:1")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--stations", r.stderr)
        r = self.simulate("--stations", "2", "--target", "nohostport")
        self.assertEqual(r.returncode, 1)
        self.assertIn("HOST:PORT", r.stderr)

    def test_registered_stations_send_readings(self):
        r = self.simulate("--stations", "6", "--register-db", self.db, "--register-only")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_station")[0][0], 6)
        # registering again updates, it does not duplicate
        self.simulate("--stations", "6", "--register-db", self.db, "--register-only")
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_station")[0][0], 6)
        self.assertEqual(self.rows("SELECT indicator FROM hj212_station_code c JOIN hj212_station s "
                                   "ON s.id = c.station_id WHERE s.mn = 'SIM0001_000003' "
                                   "AND c.code = 'w01018'"), [("COD",)])
        rx = Receiver(self.db)
        try:
            r = self.simulate("--stations", "6", "--interval", "0.2", "--duration", "3",
                              "--target", f"127.0.0.1:{rx.port}", "--progress", "1")
        finally:
            self.assertEqual(rx.stop(), 0)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("connected 6/6", r.stderr)
        s = summary(r.stdout)
        self.assertGreater(int(s["sent"]), 30)
        self.assertEqual(s["acknowledged"], s["sent"])
        self.assertEqual(s["gave_up"], "0")
        self.assertGreater(float(s["p99_ms"]), 0)
        # every acknowledged packet is stored: 7 values a section, 5 an outlet
        packets = self.rows("SELECT count(DISTINCT station_id || data_time) FROM hj212_reading")[0][0]
        self.assertEqual(packets, int(s["acknowledged"]))
        self.assertEqual(self.rows("SELECT count(DISTINCT station_id) FROM hj212_reading")[0][0], 6)
        codes = {c for (c,) in self.rows("SELECT DISTINCT code FROM hj212_reading")}
        self.assertTrue({"w01018", "w21003", "w21011", "w01001"} <= codes)
        [(lo, hi)] = self.rows("SELECT min(rtd), max(rtd) FROM hj212_reading WHERE code = 'w01001'")
        self.assertTrue(6 <= lo <= hi <= 9.5, (lo, hi))
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_station_seen WHERE last_packet_at IS NULL")[0][0], 0)

    def test_values_follow_the_day(self):
        # load mode: each packet a second of DataTime after the last, so a
        # few seconds of sending cover hours of the day; water temperature
        # (w01010) peaks at 16:00, and its hourly means follow that cosine
        self.simulate("--stations", "1", "--register-db", self.db, "--register-only")
        rx = Receiver(self.db)
        try:
            r = self.simulate("--stations", "1", "--interval", "0", "--window", "64", "--duration", "4",
                              "--target", f"127.0.0.1:{rx.port}")
        finally:
            self.assertEqual(rx.stop(), 0)
        self.assertEqual(r.returncode, 0, r.stderr)
        hours = self.rows("SELECT CAST(substr(data_time, 12, 2) AS INTEGER) AS h, avg(rtd), count(*) "
                          "FROM hj212_reading WHERE code = 'w01010' AND flag = 'N' GROUP BY h HAVING count(*) > 100")
        self.assertGreaterEqual(len(hours), 3, hours)
        curve = [math.cos(2 * math.pi * (h - 16) / 24) for h, _, _ in hours]
        means = [m for _, m, _ in hours]
        mc, mm = sum(curve) / len(curve), sum(means) / len(means)
        cov = sum((c - mc) * (m - mm) for c, m in zip(curve, means))
        var = math.sqrt(sum((c - mc) ** 2 for c in curve) * sum((m - mm) ** 2 for m in means))
        self.assertGreater(cov / var, 0.9, hours)

    def test_unknown_stations_are_retried_then_given_up(self):
        rx = Receiver(self.db)
        try:
            r = self.simulate("--stations", "2", "--interval", "1", "--duration", "1.5",
                              "--timeout", "0.2", "--retries", "2", "--target", f"127.0.0.1:{rx.port}",
                              "--progress", "0")
            metrics = rx.metrics()
        finally:
            self.assertEqual(rx.stop(), 0)
        self.assertEqual(r.returncode, 1)   # nothing acknowledged
        s = summary(r.stdout)
        self.assertEqual(s["acknowledged"], "0")
        self.assertGreater(int(s["retried"]), 0)
        self.assertGreater(int(s["gave_up"]), 0)
        self.assertGreaterEqual(int(s["retried"]), 2 * int(s["gave_up"]))   # each tried 3 times
        self.assertRegex(metrics, r'reason="unknown_mn"\} [1-9]')


if __name__ == "__main__":
    main()
