"""Integration test of HJ 212 readings reaching the water evaluation: a
water section lists a station's MN in its `stations` column; packets over
real TCP with values worse than the section's target land, in the same
commit as the reading, in the section's hour/day/month aggregates and open
alarms. A retransmission adds nothing, a maintenance-flagged value and a
station that feeds no section stay out, and a section added while the
receiver runs is fed after the registry reload.

Run: python3 tests/integration/test_hj212_water.py BUILD_DIR (from the source root).
"""
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TempDbCase, main, run  # noqa: E402
from test_hj212 import Receiver, frame, qn_of, read_replies  # noqa: E402

FEEDER = "W420300_0001"
OTHER = "W420300_0002"
PW = "123456"
SECTIONS = ("name,river,body,level,target_class,stations\n"
            "测试断面,汉江,river,national,2,{mn} ;X_UNKNOWN\n")


def qn(n):
    return f"20240123100000{n:03d}"


def packet(qn, mn, minute, nh3n, codmn="3.1", nh3n_flag="N", cn=2011, field="Rtd"):
    """An upload with DataTime 2024-01-23 10:MM:00 (NH3-N class II limit: 0.5)."""
    return frame(f"QN={qn};ST=21;CN={cn};PW={PW};MN={mn};Flag=5;"
                 f"CP=&&DataTime=20240123{10:02d}{minute:02d}00;"
                 f"w21003-{field}={nh3n},w21003-Flag={nh3n_flag};"
                 f"w01019-{field}={codmn},w01019-Flag=N;w01010-{field}=12.5,w01010-Flag=N&&")


class HJ212WaterCase(TempDbCase):
    def setUp(self):
        super().setUp()
        run("init", db=self.db, check=True)
        for mn in (FEEDER, OTHER):
            run("station", "add", "--mn", mn, "--password", PW, "--st", "21", "--name", mn,
                "--codes", "w21003=NH3-N w01019=CODMn w01010=WT", db=self.db, check=True)
        self.import_sections(SECTIONS.format(mn=FEEDER))
        self.rx = Receiver(self.db)

    def tearDown(self):
        if self.rx.proc.poll() is None:
            self.assertEqual(self.rx.stop(), 0)
        super().tearDown()


    def import_sections(self, csv):
        path = os.path.join(self.dir, "sections.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(csv)
        run("water", "sections", path, db=self.db, check=True)

    def send(self, *packets):
        s = self.rx.connect()
        for p in packets:
            s.sendall(p)
        replies = read_replies(s, len(packets))
        s.close()
        return [qn_of(r) for r in replies]

    def agg(self, item):
        return self.rows("SELECT a.period, a.start, a.n, round(a.sum, 6) FROM water_agg a "
                         "JOIN water_section s ON s.id = a.section_id "
                         "WHERE s.name = '测试断面' AND a.item = ? ORDER BY a.period", item)

    def open_alarms(self):
        return self.rows("SELECT s.name, a.item, a.at, a.value, a.class FROM water_alarm a "
                         "JOIN water_section s ON s.id = a.section_id WHERE a.state = 'open' "
                         "ORDER BY a.item")

    def test_reading_reaches_aggregates_and_alarm(self):
        self.assertEqual(self.send(packet(qn(1), FEEDER, 5, "2.50")), [qn(1)])
        # acknowledged means committed, aggregates and alarm included
        self.assertEqual(self.agg("NH3N"), [("day", "2024-01-23", 1, 2.5),
                                            ("hour", "2024-01-23 10", 1, 2.5),
                                            ("month", "2024-01", 1, 2.5)])
        self.assertEqual(self.agg("CODMN")[0], ("day", "2024-01-23", 1, 3.1))
        self.assertEqual(len(self.agg("WT")), 3)   # measured, but no class
        self.assertEqual(self.open_alarms(), [("测试断面", "NH3N", "2024-01-23 10:05", 2.5, 6)])
        self.assertEqual(self.rows("SELECT DISTINCT source FROM water_reading"), [("hj212",)])

    def test_retransmission_and_flags_and_other_station(self):
        p = packet(qn(1), FEEDER, 5, "0.40")
        self.assertEqual(self.send(p, p), [qn(1), qn(1)])
        # a maintenance value, a daily mean, and a station that feeds nothing
        self.assertEqual(self.send(packet(qn(2), FEEDER, 6, "9.0", nh3n_flag="M"),
                                   packet(qn(3), FEEDER, 0, "9.0", cn=2031, field="Avg"),
                                   packet(qn(4), OTHER, 7, "9.0")), [qn(2), qn(3), qn(4)])
        self.assertEqual(self.agg("NH3N")[0], ("day", "2024-01-23", 1, 0.4))
        self.assertEqual(self.agg("CODMN")[0], ("day", "2024-01-23", 2, 6.2))
        self.assertEqual(self.open_alarms(), [])
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_reading WHERE code = 'w21003'")[0][0], 4)

    def test_batch_with_retransmissions_feeds_each_reading_once(self):
        # the writer stores a batch 16 rows a statement: 43 packets, two of
        # them already stored, two sent twice in the same stream; each
        # packet is stored once and each reading reaches the section once
        self.rx.stop()
        self.rx = Receiver(self.db, "--hj212-batch-ms", "200")
        self.assertEqual(self.send(packet(qn(5), FEEDER, 5, "0.05"),
                                   packet(qn(20), FEEDER, 20, "0.20")), [qn(5), qn(20)])
        minutes = list(range(40)) + [5, 30, 30]
        packets = [packet(qn(100 + i), FEEDER, m, f"{m / 100:.2f}") for i, m in enumerate(minutes)]
        self.assertEqual(self.send(*packets), [qn(100 + i) for i in range(len(minutes))])
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_packet")[0][0], 40)
        self.assertEqual(self.agg("NH3N")[0], ("day", "2024-01-23", 40, 7.8))

    def test_hour_mean_and_section_added_while_running(self):
        self.import_sections(SECTIONS.replace("测试断面", "新断面").format(mn=FEEDER))
        time.sleep(2.5)   # the receiver's registry reload (RELOAD_MS)
        self.assertEqual(self.send(packet(qn(1), FEEDER, 0, "1.20", cn=2061, field="Avg")), [qn(1)])
        fed = self.rows("SELECT s.name, r.value FROM water_reading r JOIN water_section s "
                        "ON s.id = r.section_id WHERE r.item = 'NH3N' ORDER BY s.name")
        self.assertEqual(fed, [("新断面", 1.2), ("测试断面", 1.2)])
        self.assertEqual(len(self.open_alarms()), 2)


if __name__ == "__main__":
    main()
