"""Integration tests of the HJ 212 receiver: the real binary on a free
loopback port, real TCP. Split and merged packets, a retransmission stored
once, a refused password, the acknowledgement arriving only after commit,
station CLI and CSV import, and a kill -9 crash test: every acknowledged
packet is in the database, none twice.

Run: python3 tests/integration/test_hj212.py BUILD_DIR (from the source root).
"""
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BINARY, ROOT, TempDbCase, main, run  # noqa: E402

MN = "A110000_0001"
PW = "123456"


def crc16(data: bytes) -> int:
    """The standard's CRC (Appendix A), independently of the C code."""
    crc = 0xFFFF
    for b in data:
        crc = (crc >> 8) ^ b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def frame(segment: str) -> bytes:
    seg = segment.encode()
    return b"##%04d" % len(seg) + seg + b"%04X\r\n" % crc16(seg)


def upload(qn, minute, cod=23.5, pw=PW, mn=MN, flag=5, st="21", extra="", hour=12):
    """A 2017 real-time upload with DataTime 2024-01-23 HH:MM:00 (HH 12 unless given)."""
    return frame(f"QN={qn};ST={st};CN=2011;PW={pw};MN={mn};Flag={flag};{extra}"
                 f"CP=&&DataTime=20240123{hour:02d}{minute:02d}00;w01018-Rtd={cod},w01018-Flag=N;"
                 f"w21003-Rtd=0.5,w21003-Flag=N&&")


class Receiver:
    """`qingshui serve` with the HJ 212 receiver on a port the kernel picks."""

    def __init__(self, db, *extra):
        self.proc = subprocess.Popen(
            [BINARY, "serve", "--db", db, "--listen", "127.0.0.1:0", "--hj212", "127.0.0.1:0", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        self.port = None
        for _ in range(2):
            line = self.proc.stdout.readline()
            if line.startswith("hj212 listening on"):
                self.port = int(line.rsplit(":", 1)[1])
            elif "listening on http" in line:
                self.http_port = int(line.split("http://127.0.0.1:")[1].split()[0])
        if not self.port:
            self.proc.kill()
            raise RuntimeError("receiver did not start: " + self.proc.stderr.read())

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def metrics(self):
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        c.request("GET", "/metrics")
        body = c.getresponse().read().decode()
        c.close()
        return body

    def stop(self):
        self.proc.terminate()
        try:
            return self.proc.wait(timeout=30)
        finally:
            self.proc.stdout.close()
            self.proc.stderr.close()

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


def read_replies(sock, n, timeout=10):
    """Read N CR LF-terminated frames."""
    sock.settimeout(timeout)
    data = b""
    while data.count(b"\r\n") < n:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return [f for f in data.split(b"\r\n") if f]


def qn_of(reply: bytes) -> str:
    return reply.decode().split("QN=")[1].split(";")[0]


class HJ212Case(TempDbCase):
    def setUp(self):
        super().setUp()
        run("init", db=self.db, check=True)
        run("station", "add", "--mn", MN, "--password", PW, "--st", "21", "--name", "test section",
            "--codes", "w01018=COD w21003=NH3-N", db=self.db, check=True)
        self.rx = Receiver(self.db)

    def tearDown(self):
        if self.rx.proc.poll() is None:
            self.assertEqual(self.rx.stop(), 0)
        super().tearDown()


    def test_ack_after_commit(self):
        s = self.rx.connect()
        s.sendall(upload("20240123120000001", 0))
        [reply] = read_replies(s, 1)
        self.assertIn(b"ST=91;CN=9014;PW=123456;MN=A110000_0001;Flag=4;CP=&&&&", reply)
        self.assertEqual(qn_of(reply), "20240123120000001")
        # the reply came after the commit: the row is already visible
        self.assertEqual(self.rows("SELECT code, rtd, flag FROM hj212_reading ORDER BY code"),
                         [("w01018", 23.5, "N"), ("w21003", 0.5, "N")])
        s.close()

    def test_split_and_merged_packets(self):
        s = self.rx.connect()
        stream = b"".join(upload(f"2024012312{m:02d}00001", m) for m in range(1, 11))
        # merged: ten packets in one write; then one packet byte by byte
        s.sendall(stream)
        one = upload("20240123122000001", 20)
        for i in range(len(one)):
            s.sendall(one[i:i + 1])
            time.sleep(0.001)
        replies = read_replies(s, 11)
        self.assertEqual(len(replies), 11)
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_reading")[0][0], 22)
        s.close()

    def test_replies_in_the_order_packets_came(self):
        # 600 packets in one stream, committed in batches of 3: the replies
        # come back in the order sent, across batches too
        self.rx.stop()
        self.rx = Receiver(self.db, "--hj212-batch-rows", "3")
        s = self.rx.connect()
        qns = [f"20240123{h:02d}{m:02d}00001" for h in range(13, 23) for m in range(60)]
        s.sendall(b"".join(upload(qn, int(qn[10:12]), hour=int(qn[8:10])) for qn in qns))
        replies = read_replies(s, len(qns))
        self.assertEqual([qn_of(r) for r in replies], qns)
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_packet")[0][0], len(qns))
        s.close()

    def test_latest_written_soon_after_a_busy_batch(self):
        # a batch of 100 packets within 500 ms of the last write of
        # hj212_latest leaves it for later: written once packets stop
        self.rx.stop()
        run("station", "add", "--mn", "A110000_0002", "--password", PW, "--st", "21", "--name", "second",
            db=self.db, check=True)
        self.rx = Receiver(self.db, "--hj212-batch-ms", "200")
        s = self.rx.connect()
        for hour in (13, 14):
            s.sendall(b"".join(upload(f"20240123{hour}{m:02d}00001", m, hour=hour) for m in range(50))
                      + b"".join(upload(f"20240123{hour}{m:02d}00002", m, hour=hour, mn="A110000_0002")
                                 for m in range(50)))
            self.assertEqual(len(read_replies(s, 100)), 100)
        s.close()
        deadline = time.time() + 3
        newest = "SELECT DISTINCT datetime(data_time, 'unixepoch') FROM hj212_latest"
        while time.time() < deadline and self.rows(newest) != [("2024-01-23 14:49:00",)]:
            time.sleep(0.05)
        self.assertEqual(self.rows(newest), [("2024-01-23 14:49:00",)])

    def test_latest_caught_up_after_a_crash(self):
        # a packet committed, but hj212_latest not yet written when the
        # server died: the writer catches up from the packets above the mark
        s = self.rx.connect()
        s.sendall(upload("20240123120000001", 0))
        read_replies(s, 1)
        s.close()
        self.assertEqual(self.rx.stop(), 0)
        con = sqlite3.connect(self.db)
        con.execute("INSERT INTO hj212_packet (id, station_id, cn, data_time, received_at, readings) "
                    "SELECT max(id) + 1, station_id, 2011, unixepoch('2024-01-23 13:00:00'), "
                    "unixepoch('2024-01-23 05:00:00'), '{}' FROM hj212_packet")
        con.commit()
        con.close()
        latest = "SELECT datetime(data_time, 'unixepoch') FROM hj212_latest"
        self.assertEqual(self.rows(latest), [("2024-01-23 12:00:00",)])
        self.rx = Receiver(self.db)
        s = self.rx.connect()
        s.sendall(upload("20240123120100001", 1))   # older than the newest: moves nothing
        read_replies(s, 1)
        s.close()
        self.assertEqual(self.rows(latest), [("2024-01-23 13:00:00",)])

    def test_packet_ids_never_go_back(self):
        # the newest packets deleted with their station: the next packet
        # still takes an id above them (hj212_latest_mark counts on it)
        run("station", "add", "--mn", "GONE_0001", "--password", PW, "--st", "21", "--name", "gone",
            db=self.db, check=True)
        time.sleep(2.5)   # the receiver's registry reload
        s = self.rx.connect()
        s.sendall(upload("20240123120000001", 0))
        s.sendall(upload("20240123120000002", 0, mn="GONE_0001"))
        read_replies(s, 2)
        gone = self.rows("SELECT max(id) FROM hj212_packet")[0][0]
        run("station", "remove", "--mn", "GONE_0001", db=self.db, check=True)
        s.sendall(upload("20240123120100003", 1))
        read_replies(s, 1)
        s.close()
        self.assertGreater(self.rows("SELECT max(id) FROM hj212_packet")[0][0], gone)

    def test_removed_station_does_not_hold_back_its_batch(self):
        # a station removed, but still in the receiver's registry (read
        # again every 2 s): its packet and another station's go into one
        # batch; the other is stored and answered at once, its own is
        # neither (the foreign key would fail the whole batch)
        self.assertEqual(self.rx.stop(), 0)
        run("station", "add", "--mn", "GONE_0002", "--password", PW, "--st", "21", "--name", "gone",
            db=self.db, check=True)
        self.rx = Receiver(self.db, "--hj212-batch-ms", "300")   # has just read the registry
        gone, kept = self.rx.connect(), self.rx.connect()
        run("station", "remove", "--mn", "GONE_0002", db=self.db, check=True)
        gone.sendall(upload("20240123120000001", 0, mn="GONE_0002"))
        kept.sendall(upload("20240123120000002", 0))
        self.assertEqual([qn_of(r) for r in read_replies(kept, 1, timeout=1.5)], ["20240123120000002"])
        gone.settimeout(0.5)
        with self.assertRaises(socket.timeout):
            gone.recv(100)
        gone.close()
        kept.close()
        self.assertEqual(self.rows("SELECT qn FROM hj212_packet"), [("20240123120000002",)])
        self.assertIn("qingshui_hj212_committed_total 1\n", self.rx.metrics())
        self.rx.proc.terminate()
        err = self.rx.proc.communicate(timeout=30)[1]
        self.assertIn("left out, their stations removed: 1 packets", err)   # not refused as unknown

    def test_station_removed_while_its_latest_row_waits(self):
        # under load (a batch of 32 packets or more) hj212_latest is written
        # at most every 500 ms, the newest packets held in memory meanwhile;
        # a station removed in that time (here a few ms after the busy
        # batch) must not fail the next write of them, nor the other
        # stations' packets that go with it (the writer's retry: with it
        # disabled this test fails)
        self.assertEqual(self.rx.stop(), 0)
        run("station", "add", "--mn", "GONE_0003", "--password", PW, "--st", "21", "--name", "gone",
            db=self.db, check=True)
        self.rx = Receiver(self.db, "--hj212-batch-ms", "100")
        gone, kept = self.rx.connect(), self.rx.connect()
        kept.sendall(upload("20240123110000001", 0, hour=11))   # a first batch writes hj212_latest
        read_replies(kept, 1)
        gone.sendall(upload("20240123130000099", 59, mn="GONE_0003", hour=13))
        kept.sendall(b"".join(upload(f"202401231300000{m:02d}", m, hour=13) for m in range(40)))
        read_replies(gone, 1)
        self.assertEqual(len(read_replies(kept, 40)), 40)   # one busy batch: hj212_latest left for later
        con = sqlite3.connect(self.db, timeout=10)
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("DELETE FROM hj212_station WHERE mn = 'GONE_0003'")   # its packets go with it
        con.commit()
        con.close()
        kept.sendall(upload("20240123140000001", 0, hour=14))
        self.assertEqual([qn_of(r) for r in read_replies(kept, 1, timeout=5)], ["20240123140000001"])
        gone.close()
        kept.close()
        self.assertEqual(self.rows("SELECT s.mn, datetime(l.data_time, 'unixepoch') FROM hj212_latest l "
                                   "JOIN hj212_station s ON s.id = l.station_id"),
                         [(MN, "2024-01-23 14:00:00")])
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_packet"), [(42,)])
        self.assertIn("qingshui_hj212_committed_total 43\n", self.rx.metrics())

    def test_garbage_between_packets(self):
        s = self.rx.connect()
        s.sendall(b"junk##0042garbage\r\n" + upload("20240123123000001", 30) + b"\x00\xffxx"
                  + upload("20240123123100001", 31))
        self.assertEqual(len(read_replies(s, 2)), 2)
        self.assertIn('reason="garbage"', self.rx.metrics())
        s.close()

    def test_retransmission_stored_once(self):
        s = self.rx.connect()
        pkt = upload("20240123124000001", 40)
        s.sendall(pkt)
        read_replies(s, 1)
        s.sendall(pkt)   # the station did not see the reply and sends again
        self.assertEqual(len(read_replies(s, 1)), 1)   # answered again
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_reading WHERE data_time = "
                                   "'2024-01-23 12:40:00'")[0][0], 2)
        s.close()

    def test_refused_password_and_unknown_mn(self):
        s = self.rx.connect()
        s.sendall(upload("20240123125000001", 50, pw="999999") + upload("20240123125100001", 51, mn="NOPE1"))
        s.sendall(upload("20240123125200001", 52))   # the connection still works
        replies = read_replies(s, 1)
        self.assertEqual(len(replies), 1)
        self.assertEqual(qn_of(replies[0]), "20240123125200001")
        m = self.rx.metrics()
        self.assertIn('qingshui_hj212_refused_total{reason="wrong_password"} 1', m)
        self.assertIn('qingshui_hj212_refused_total{reason="unknown_mn"} 1', m)
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_reading")[0][0], 2)
        s.close()

    def test_bad_crc_and_future_time(self):
        s = self.rx.connect()
        bad = bytearray(upload("20240123125300001", 53))
        bad[-7] = ord("0") if bad[-7] != ord("0") else ord("1")   # damage the CRC
        future = frame(f"QN=20240123125400001;ST=21;CN=2011;PW={PW};MN={MN};Flag=5;"
                       "CP=&&DataTime=20990101000000;w01018-Rtd=1&&")
        s.sendall(bytes(bad) + future + upload("20240123125500001", 55))
        replies = read_replies(s, 1)
        self.assertEqual(qn_of(replies[0]), "20240123125500001")
        m = self.rx.metrics()
        self.assertIn('reason="crc_mismatch"} 1', m)
        self.assertIn('reason="future_time"} 1', m)
        s.close()

    def test_lying_length_does_not_stall(self):
        # "##0900", 70 bytes and CR LF, then a good packet: the good one is
        # acknowledged at once (the stream ends long before the 900 bytes
        # the length claims), whether it comes in the same write or later
        liar = b"##0900" + b"QN=20240123125800001;ST=21;CN=2011;".ljust(70, b"x") + b"\r\n"
        s = self.rx.connect()
        started = time.monotonic()
        s.sendall(liar + upload("20240123125800002", 58))
        self.assertEqual([qn_of(r) for r in read_replies(s, 1, timeout=3)], ["20240123125800002"])
        s.sendall(liar)
        time.sleep(0.1)   # the lying frame waits in the framer alone
        s.sendall(upload("20240123125900002", 59))
        self.assertEqual([qn_of(r) for r in read_replies(s, 1, timeout=3)], ["20240123125900002"])
        self.assertLess(time.monotonic() - started, 2)
        self.assertEqual(self.rows("SELECT qn FROM hj212_packet ORDER BY qn"),
                         [("20240123125800002",), ("20240123125900002",)])
        self.assertIn('qingshui_hj212_refused_total{reason="length_overrun"} 2', self.rx.metrics())
        s.close()

    def test_no_ack_requested(self):
        s = self.rx.connect()
        s.sendall(upload("20240123125600001", 56, flag=4) + upload("20240123125700001", 57))
        [reply] = read_replies(s, 1)
        self.assertEqual(qn_of(reply), "20240123125700001")
        s.close()

    def test_station_cli_and_import(self):
        path = os.path.join(self.dir, "stations.csv")
        with open(path, "w") as f:
            f.write("mn,password,st,name,kind,owner,codes\n"
                    "OUT_0001,BF470F88957588DE902D1A52,32,outlet 1,outlet,plant A,w01018=COD\n"
                    "BAD MN,1,32,x,outlet,,\n")
        r = run("station", "import", path, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 3: mn", r.stderr)
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_station")[0][0], 1)   # nothing imported
        with open(path, "w") as f:
            f.write("mn,password,st,name,kind,owner,codes\n"
                    "OUT_0001,BF470F88957588DE902D1A52,32,outlet 1,outlet,plant A,w01018=COD\n")
        self.assertEqual(run("station", "import", path, db=self.db).returncode, 0)
        out = run("station", "list", db=self.db).stdout
        self.assertIn("OUT_0001", out)
        self.assertEqual(run("station", "add", "--mn", "X", "--password", "1", "--st", "3",
                             "--name", "n", db=self.db).returncode, 2)
        self.assertEqual(run("station", "remove", "--mn", "OUT_0001", db=self.db).returncode, 0)
        self.assertEqual(run("station", "remove", "--mn", "OUT_0001", db=self.db).returncode, 1)

    def test_every_registered_station_is_found(self):
        # every registered station is found, in any order of registration,
        # MNs that begin others too (the receiver's table: known.c, whose
        # unit test makes them collide)
        mns = [f"R{(i * 7) % 200:03d}_{i:04d}" for i in range(200)] + ["P" * n for n in range(1, 25)]
        path = os.path.join(self.dir, "stations.csv")
        with open(path, "w") as f:
            f.write("mn,password,st,name\n" + "".join(f"{mn},{PW},21,s{mn}\n" for mn in mns))
        self.assertEqual(run("station", "import", path, db=self.db).returncode, 0)
        time.sleep(2.5)   # the receiver's registry reload
        s = self.rx.connect()
        s.sendall(b"".join(upload(f"20240123120000{i:03d}", 0, mn=mn) for i, mn in enumerate(mns)))
        self.assertEqual(len(read_replies(s, len(mns), timeout=5)), len(mns))
        s.close()
        self.assertEqual(self.rows("SELECT count(DISTINCT station_id) FROM hj212_packet")[0][0], len(mns))

    def test_kill9_loses_no_acknowledged_packet(self):
        acked = set()
        sent = 0
        for round_ in range(3):
            stop = threading.Event()
            lock = threading.Lock()

            def station(idx, round_=round_):
                nonlocal sent
                try:
                    s = self.rx.connect()
                    n = 0
                    while not stop.is_set():
                        qn = f"2024{round_ + 1:02d}{idx + 10:02d}{n // 60 % 24:02d}{n % 60:02d}00{n % 1000:03d}"
                        minute = n % 60
                        seg = (f"QN={qn};ST=21;CN=2011;PW={PW};MN={MN};Flag=5;CP=&&DataTime="
                               f"2024{round_ + 1:02d}{idx + 10:02d}{n // 60 % 24:02d}{minute:02d}00;"
                               f"w01018-Rtd={n}.5,w01018-Flag=N&&")
                        s.sendall(frame(seg))
                        with lock:
                            sent += 1
                        reply = read_replies(s, 1, timeout=5)
                        if reply:
                            with lock:
                                acked.add(qn)
                        n += 1
                        if n >= 1400:
                            break
                    s.close()
                except OSError:
                    pass   # the server died under us: expected

            threads = [threading.Thread(target=station, args=(i,)) for i in range(8)]
            for t in threads:
                t.start()
            time.sleep(1.0 + round_ * 0.3)
            self.rx.kill()   # SIGKILL at an arbitrary moment
            stop.set()
            for t in threads:
                t.join()
            self.rx = Receiver(self.db)
        stored = self.rows("SELECT qn, count(*) FROM hj212_reading GROUP BY station_id, cn, data_time, code")
        self.assertTrue(all(c == 1 for _, c in stored))
        stored_qns = {q for q, _ in stored}
        missing = acked - stored_qns
        self.assertEqual(missing, set(), f"{len(missing)} acknowledged packets lost")
        self.assertGreater(len(acked), 100)
        print(f"kill -9 x3: {sent} sent, {len(acked)} acknowledged, {len(stored_qns)} stored, 0 lost",
              file=sys.stderr)


class StationAudit(TempDbCase):
    """Every change of the station registry, from the CLI too, is in the audit log."""

    def test_cli_changes_are_audited(self):
        run("init", db=self.db, check=True)
        r = run("station", "add", "--mn", "AUDIT001", "--password", "pw123456", "--st", "32",
                "--name", "排口甲", "--codes", "w01018=COD", db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        csv = os.path.join(self.dir, "s.csv")
        open(csv, "w", encoding="utf-8").write("mn,password,st,name\nAUDIT002,pw123456,21,断面乙\n")
        self.assertEqual(run("station", "import", csv, db=self.db).returncode, 0)
        self.assertEqual(run("station", "remove", "--mn", "AUDIT001", db=self.db).returncode, 0)
        self.assertEqual(run("station", "remove", "--mn", "AUDIT001", db=self.db).returncode, 1)
        r = run("simulate", "--stations", "1", "--register-only", "--target", "127.0.0.1:1", db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        con = sqlite3.connect(self.db)
        rows = con.execute("SELECT actor, action, before, after FROM audit_log WHERE entity = 'hj212_station' "
                           "ORDER BY id").fetchall()
        con.close()
        self.assertEqual([r[1] for r in rows], ["station.create", "station.create", "station.delete",
                                                "station.register"])
        self.assertTrue(all(r[0].startswith("cli:") for r in rows))
        self.assertIn("AUDIT001", rows[2][2])
        self.assertNotIn("pw123456", "".join(str(r) for r in rows))   # no password in the log



class MigrationCase(TempDbCase):
    """Migrations 0008-0010: readings stored one row per pollutant (schema
    7) become packets with times in seconds, read back through the
    hj212_reading view unchanged."""

    def test_readings_become_packets(self):
        con = sqlite3.connect(self.db)
        folder = os.path.join(ROOT, "src", "db", "migrations")
        for name in sorted(os.listdir(folder)):
            if name < "0008":
                con.executescript(open(os.path.join(folder, name), encoding="utf-8").read())
        con.execute("PRAGMA user_version=7")
        con.execute("INSERT INTO hj212_station (id, mn, password, st, name, kind, last_packet_at) "
                    "VALUES (1, 'M1', 'pw', '21', 's', 'water_section', '2024-01-23 04:30:02')")
        old = [  # station_id, cn, data_time, code, code_sent, known, rtd, avg, flag, qn, received_at
            (1, 2011, "2024-01-23 12:00:00", "w01018", "011", 1, 23.5, None, "N", "Q1", "2024-01-23 04:00:01"),
            (1, 2011, "2024-01-23 12:00:00", "w21003", "w21003", 1, 0.5, None, "N", "Q1", "2024-01-23 04:00:01"),
            (1, 2011, "2024-01-23 12:30:00", "x9", "x9", 0, 7.0, None, None, None, "2024-01-23 04:30:02"),
            (1, 2061, "2024-01-23 11:00:00", "w01018", "w01018", 1, None, 21.25, "N", "Q3", "2024-01-23 04:29:00"),
        ]
        con.executemany("INSERT INTO hj212_reading (station_id, cn, data_time, code, code_sent, known, rtd, "
                        "avg, flag, qn, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", old)
        con.commit()
        con.close()
        r = run("station", "list", db=self.db, check=True)   # opening the database migrates it
        latest = int(sorted(os.listdir(folder))[-1][:4])
        self.assertEqual(self.rows("PRAGMA user_version"), [(latest,)])
        # each step said on stderr, with its time; a database already current says nothing
        for v, name in ((8, "0008_packet_log.sql"), (9, "0009_latest_mark.sql"), (10, "0010_packet_times.sql")):
            self.assertIn(f"upgrading the database to schema version {v} ({name})...", r.stderr)
            self.assertRegex(r.stderr, rf"schema version {v} in \d+\.\d s")
        self.assertNotIn("schema version 7", r.stderr)
        self.assertNotIn("upgrading", run("station", "list", db=self.db, check=True).stderr)
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_packet"), [(3,)])
        back = self.rows("SELECT station_id, cn, data_time, code, code_sent, known, rtd, avg, flag, qn, "
                         "received_at FROM hj212_reading ORDER BY data_time, code")
        self.assertEqual(sorted(back, key=lambda r: (r[2], r[3])), sorted(old, key=lambda r: (r[2], r[3])))
        # 0010: the times are seconds, the views' text as before
        self.assertEqual(self.rows("SELECT cn, data_time, received_at FROM hj212_latest ORDER BY cn"),
                         [(2011, 1706013000, 1705984202), (2061, 1706007600, 1705984140)])
        self.assertEqual(self.rows("SELECT typeof(data_time), typeof(received_at), count(*) FROM hj212_packet "
                                   "GROUP BY 1, 2"), [("integer", "integer", 3)])
        self.assertEqual(self.rows("SELECT last_packet_at FROM hj212_station_seen"), [("2024-01-23 04:30:02",)])
        # the station list shows it in China time
        self.assertIn("\t2024-01-23 12:30:02\n", r.stdout)
        # 0009: hj212_latest is current up to the last packet moved
        self.assertEqual(self.rows("SELECT packet_id FROM hj212_latest_mark"), [(3,)])


if __name__ == "__main__":
    main()
