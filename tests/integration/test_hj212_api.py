"""Integration tests of the online-monitoring API against the real binary
with its HJ 212 receiver: station list with online/offline state, one
station's latest values, readings for a chart, refusal counters, station
registration and removal by the administrator, and who may call what.

Run: python3 tests/integration/test_hj212_api.py BUILD_DIR (from the source root).
"""
import http.client
import json
import os
import sqlite3
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TempDbCase, main, run  # noqa: E402
from test_hj212 import MN, PW, Receiver, read_replies, upload  # noqa: E402

os.environ["QINGSHUI_PWHASH"] = "min"          # hashing cost for tests only
UNIT_PASSWORD = "unit-password-1"


class HJ212ApiCase(TempDbCase):
    def setUp(self):
        super().setUp()
        self.init_with_seed()            # the units accounts belong to
        run("station", "add", "--mn", MN, "--password", PW, "--st", "21", "--name", "汉江断面",
            "--codes", "w01018=COD w21003=NH3-N", db=self.db, check=True)
        run("station", "add", "--mn", "QUIET_01", "--password", "abcdef", "--st", "32",
            "--name", "silent outlet", "--kind", "outlet", db=self.db, check=True)
        r = run("user", "add", "hb", "--role", "unit", "--unit", "市环保局", db=self.db,
                input=UNIT_PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.token = open(self.db + ".admin-token").read().strip()
        self.rx = Receiver(self.db)

    def tearDown(self):
        self.assertEqual(self.rx.stop(), 0)
        super().tearDown()

    def call(self, method, path, body=None, headers=None, auth=True):
        h = dict(headers or {})
        if auth:
            h["Authorization"] = "Bearer " + self.token
        c = http.client.HTTPConnection("127.0.0.1", self.rx.http_port, timeout=30)
        c.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, json.loads(data) if data else None

    def send_packets(self, minutes, **kw):
        s = self.rx.connect()
        for m in minutes:
            s.sendall(upload(f"2024012312{m:02d}00001", m, cod=20 + m, **kw))
        replies = read_replies(s, len(minutes)) if kw.get("pw", PW) == PW else []
        s.close()
        return replies

    def station_id(self, mn):
        con = sqlite3.connect(self.db)
        try:
            return con.execute("SELECT id FROM hj212_station WHERE mn = ?", (mn,)).fetchone()[0]
        finally:
            con.close()

    def test_reads_need_an_account_writes_need_admin(self):
        self.assertEqual(self.call("GET", "/api/stations", auth=False)[0], 401)
        self.assertEqual(self.call("GET", "/api/hj212/refused", auth=False)[0], 401)
        self.assertEqual(self.call("GET", "/api/stations", auth=True)[0], 200)
        # a unit account signs in: it may read, not write
        c = http.client.HTTPConnection("127.0.0.1", self.rx.http_port, timeout=30)
        c.request("POST", "/api/login", body=json.dumps({"login": "hb", "password": UNIT_PASSWORD}))
        r = c.getresponse()
        self.assertEqual(r.status, 200)
        cookie = r.getheader("Set-Cookie").split(";")[0]
        csrf = json.loads(r.read())["csrf"]
        c.close()
        unit = {"Cookie": cookie, "X-CSRF-Token": csrf}
        self.assertEqual(self.call("GET", "/api/stations", headers=unit, auth=False)[0], 200)
        sid = self.station_id(MN)
        self.assertEqual(self.call("GET", f"/api/stations/{sid}", headers=unit, auth=False)[0], 200)
        status, _ = self.call("POST", "/api/stations", {"mn": "X_1", "password": "p", "st": "21", "name": "x"},
                              headers=unit, auth=False)
        self.assertEqual(status, 403)
        self.assertEqual(self.call("DELETE", f"/api/stations/{sid}", headers=unit, auth=False)[0], 403)

    def test_station_list_online_offline(self):
        self.send_packets([1])
        status, body = self.call("GET", "/api/stations")
        self.assertEqual(status, 200)
        self.assertEqual(body["offline_after"], 600)
        by_mn = {s["mn"]: s for s in body["stations"]}
        self.assertTrue(by_mn[MN]["online"])
        self.assertIsNotNone(by_mn[MN]["last_packet_at"])
        self.assertLessEqual(by_mn[MN]["seconds_since_last_packet"], 5)
        self.assertEqual(by_mn[MN]["mapped_codes"], 2)
        self.assertFalse(by_mn["QUIET_01"]["online"])
        self.assertIsNone(by_mn["QUIET_01"]["last_packet_at"])
        self.assertNotIn("password", by_mn[MN])
        time.sleep(2.1)
        _, body = self.call("GET", "/api/stations?offline_after=1")
        self.assertFalse({s["mn"]: s for s in body["stations"]}[MN]["online"])
        self.assertEqual(self.call("GET", "/api/stations?offline_after=soon")[0], 400)

    def test_station_latest_values(self):
        self.send_packets([1, 2, 3])
        sid = self.station_id(MN)
        status, s = self.call("GET", f"/api/stations/{sid}")
        self.assertEqual(status, 200)
        self.assertEqual(s["name"], "汉江断面")
        self.assertTrue(s["online"])
        latest = {r["code"]: r for r in s["latest"]}
        self.assertEqual(set(latest), {"w01018", "w21003"})
        self.assertEqual(latest["w01018"]["rtd"], 23)            # the packet of minute 3
        self.assertEqual(latest["w01018"]["data_time"], "2024-01-23 12:03:00")
        self.assertEqual(latest["w01018"]["indicator"], "COD")
        self.assertEqual(latest["w01018"]["name"], "化学需氧量")
        self.assertEqual(latest["w01018"]["unit"], "毫克/升")
        self.assertEqual(latest["w01018"]["flag"], "N")
        self.assertEqual(latest["w21003"]["indicator"], "NH3-N")
        self.assertEqual([c["code"] for c in s["codes"]], ["w01018", "w21003"])
        self.assertEqual(self.call("GET", "/api/stations/999")[0], 404)
        self.assertEqual(self.call("GET", "/api/stations/abc")[0], 404)

    def test_readings_for_a_chart(self):
        self.send_packets([5, 1, 3, 2, 4])
        sid = self.station_id(MN)
        status, r = self.call("GET", f"/api/stations/{sid}/readings?code=w01018")
        self.assertEqual(status, 200)
        self.assertEqual([p["data_time"][-5:-3] for p in r["points"]], ["01", "02", "03", "04", "05"])
        self.assertEqual([p["rtd"] for p in r["points"]], [21, 22, 23, 24, 25])
        self.assertEqual((r["indicator"], r["name"], r["truncated"]), ("COD", "化学需氧量", False))
        # no bounds: the 7 days up to the station's newest DataTime
        self.assertEqual((r["from"], r["to"]), ("2024-01-16 12:05:00", "2024-01-23 12:05:00"))
        _, r = self.call("GET", f"/api/stations/{sid}/readings?code=w01018&to=2024-01-31")
        self.assertEqual((r["from"], len(r["points"])), ("2024-01-24 23:59:59", 0))
        q = urllib.parse.urlencode({"code": "w01018", "from": "2024-01-23 12:02:00", "to": "2024-01-23T12:04:00"})
        _, r = self.call("GET", f"/api/stations/{sid}/readings?{q}")
        self.assertEqual([p["rtd"] for p in r["points"]], [22, 23, 24])
        _, r = self.call("GET", f"/api/stations/{sid}/readings?code=w01018&limit=2")
        self.assertEqual(([p["rtd"] for p in r["points"]], r["truncated"]), ([24, 25], True))
        _, r = self.call("GET", f"/api/stations/{sid}/readings?code=w01018&from=2024-01-24")
        self.assertEqual(r["points"], [])
        _, r = self.call("GET", f"/api/stations/{sid}/readings?code=w01018&to=2024-01-23")
        self.assertEqual(len(r["points"]), 5)                       # a date alone: the whole day
        for bad in ("code=", "code=w01018&from=yesterday", "code=w01018&limit=0", "code=w0;1"):
            status, err = self.call("GET", f"/api/stations/{sid}/readings?{bad}")
            self.assertEqual(status, 400, bad)
            self.assertEqual(err["error"], "invalid_parameter")
        self.assertEqual(self.call("GET", "/api/stations/999/readings?code=w01018")[0], 404)

    def test_refused_counters(self):
        self.send_packets([7], pw="999999")
        s = self.rx.connect()
        s.sendall(b"garbage" + upload("20240123120800001", 8))
        read_replies(s, 1)
        s.close()
        status, body = self.call("GET", "/api/hj212/refused")
        self.assertEqual(status, 200)
        counts = {r["reason"]: r["count"] for r in body["refused"]}
        self.assertEqual(counts["wrong_password"], 1)
        self.assertEqual(counts["garbage"], 1)
        self.assertEqual(counts["crc_mismatch"], 0)
        self.assertEqual(body["refused_total"], 2)
        self.assertGreaterEqual(body["committed"], 1)
        self.assertTrue(all(r["text"] for r in body["refused"]))

    def test_admin_registers_and_removes_a_station(self):
        new = {"mn": "API_0001", "password": "BF470F88957588DE902D1A52", "st": "32", "name": "污水厂出口",
               "kind": "sewage_plant", "owner": "某污水处理厂", "codes": {"w01018": "COD", "w21011": "TP"}}
        status, s = self.call("POST", "/api/stations", new)
        self.assertEqual(status, 201, s)
        self.assertEqual((s["mn"], s["kind"], s["online"]), ("API_0001", "sewage_plant", False))
        self.assertEqual(self.call("POST", "/api/stations", new)[0], 409)
        for field, value in (("mn", "bad mn"), ("st", "3"), ("kind", "lake"), ("codes", {"w01018": "C O D"})):
            status, err = self.call("POST", "/api/stations", {**new, "mn": "API_0002", field: value})
            self.assertEqual(status, 400, field)
            self.assertIn(field, err["detail"])
        self.assertEqual(self.call("POST", "/api/stations", {"mn": "API_0003"})[0], 400)
        _, detail = self.call("GET", f"/api/stations/{s['id']}")
        self.assertEqual(detail["codes"], [{"code": "w01018", "indicator": "COD"}, {"code": "w21011", "indicator": "TP"}])
        status, gone = self.call("DELETE", f"/api/stations/{s['id']}")
        self.assertEqual((status, gone["mn"]), (200, "API_0001"))
        self.assertEqual(self.call("DELETE", f"/api/stations/{s['id']}")[0], 404)
        con = sqlite3.connect(self.db)
        actions = [a for (a,) in con.execute("SELECT action FROM audit_log WHERE entity = 'hj212_station' "
                                             "AND actor NOT LIKE 'cli:%' ORDER BY id")]   # setUp's CLI adds
        con.close()
        self.assertEqual(actions, ["station.create", "station.delete"])


if __name__ == "__main__":
    main()
