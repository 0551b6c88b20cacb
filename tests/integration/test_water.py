"""Integration tests of the water capability on the real binary: classify
(including the CNEMC acceptance through the CLI), sections and readings
imports (all-or-nothing, errors with line and field), aggregates, alarms,
assessment, API and Excel export over a real server on loopback.

Run: python3 tests/integration/test_water.py BUILD_DIR (from the source root).
"""
import csv
import datetime
import io
import json
import os
import sqlite3
import sys
import zipfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Server, TempDbCase, china_time, main, run  # noqa: E402

DATA = os.path.join(ROOT, "data", "water")
TESTDATA = os.path.join(ROOT, "tests", "data", "water")
ITEMS = [("WT", "water_temp_C_raw"), ("PH", "pH_raw"), ("DO", "DO_mg_L_raw"),
         ("CODMN", "CODMn_mg_L_raw"), ("NH3N", "NH3N_mg_L_raw"), ("TP", "TP_mg_L_raw"),
         ("TN", "TN_mg_L_raw")]


def cnemc_input():
    """The CNEMC rows with a published class as classify input, and those classes."""
    with open(os.path.join(TESTDATA, "cnemc_section_types.csv"), encoding="utf-8") as f:
        types = {(r["province"], r["city"], r["river"], r["section"]): r["type"]
                 for r in csv.DictReader(f)}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "type", "time"] + [code for code, _ in ITEMS])
    published = []
    with open(os.path.join(TESTDATA, "cnemc_auto_national_2025-11.csv"), encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if not r["class_num"]:
                continue
            key = (r["province"], r["city"], r["river"], r["section"])
            w.writerow(["|".join(key), types[key], r["observed_at"]] + [r[c] for _, c in ITEMS])
            published.append(r["class_num"])
    return out.getvalue(), published


class Classify(TempDbCase):
    def test_cnemc_every_published_class(self):
        text, published = cnemc_input()
        p = run("water", "classify", "-", input=text)
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = list(csv.DictReader(io.StringIO(p.stdout)))
        computed = [r["class"] for r in rows]
        agree = sum(a == b for a, b in zip(computed, published))
        print(f"CNEMC 2025-11 through the binary: {agree} of {len(published)} reproduced")
        self.assertEqual(len(published), 8209)
        self.assertEqual(agree, len(published))

    def test_malformed_row_names_line_and_field(self):
        text = "section,type,time,PH,NH3N\na,river,2025-11-10,7,0.5\nb,river,2025-11-10,7,x\n"
        p = run("water", "classify", input=text)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, "")
        self.assertIn("line 3, field NH3N", p.stderr)

    def test_help(self):
        p = run("water", "classify", "--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("section,type,time", p.stdout)


def xlsx_rows(data):
    """The first sheet of the workbook DATA as dicts keyed by the header row
    (the first row of more than one cell, under the title; numbers as their
    text)."""
    ns = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        shared = [("".join(t.text or "" for t in si.iter(f"{{{ns['x']}}}t")))
                  for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("x:si", ns)]
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    table = []
    for r in sheet.iter(f"{{{ns['x']}}}row"):
        cells = {}
        for c in r.findall("x:c", ns):
            v = c.find("x:v", ns)
            if v is not None:
                column = "".join(ch for ch in c.get("r") if ch.isalpha())
                text = shared[int(v.text)] if c.get("t") == "s" else v.text
                cells[column] = text[:-2] if text.endswith(".0") else text
        table.append(cells)
    at = next(i for i, row in enumerate(table) if len(row) > 1)
    head = table[at]
    return [{head[k]: v for k, v in row.items() if k in head} for row in table[at + 1:]]


def demo_db(case):
    run("init", db=case.db, check=True)
    run("water", "sections", os.path.join(DATA, "sections_demo.csv"), db=case.db, check=True)
    run("water", "import", os.path.join(DATA, "readings_synthetic_2024-2025.csv"), db=case.db, check=True)
    run("water", "import", os.path.join(DATA, "readings_2025-11.csv"), db=case.db, check=True)


class Store(TempDbCase):
    def setUp(self):
        super().setUp()
        demo_db(self)

    def json(self, *args):
        p = run("water", *args, db=self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_sections(self):
        sections = self.json("sections")
        self.assertEqual(len(sections), 16)
        names = {s["name"] for s in sections}
        self.assertIn("陶岔", names)
        self.assertIn("神定河口", names)
        self.assertTrue(all(s["target_demo"] == 1 for s in sections))

    def test_import_is_all_or_nothing(self):
        before = self.json("overview", "--month", "2025-12")
        bad = os.path.join(self.dir, "bad.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("section,time,item,value\n神定河口,2025-12-01 08:00,NH3N,0.5\n"
                    "神定河口,2025-12-01 12:00,NH3N,abc\n")
        p = run("water", "import", bad, db=self.db)
        self.assertEqual(p.returncode, 1)
        self.assertIn("line 3, field value", p.stderr)
        after = self.json("overview", "--month", "2025-12")
        self.assertEqual(before, after)
        self.assertFalse(any("month_result" in s for s in after["sections"]))
        with open(bad, "w", encoding="utf-8") as f:
            f.write("section,time,item,value\n无此断面,2025-12-01 08:00,NH3N,0.5\n")
        p = run("water", "import", bad, db=self.db)
        self.assertIn("line 2, field section", p.stderr)

    def test_month_class_from_aggregates(self):
        # one new month for one section: its class is the class of the means
        csvtext = ("section,time,item,value,flag\n"
                   "泗河口,2026-01-01 08:00,NH3N,1.2,\n泗河口,2026-01-02 08:00,NH3N,1.4,\n"
                   "泗河口,2026-01-01 08:00,TP,0.02,L\n泗河口,2026-01-01 08:00,PH,5,\n"
                   "泗河口,2026-01-02 08:00,PH,9,\n")
        path = os.path.join(self.dir, "m.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(csvtext)
        p = run("water", "import", path, db=self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("5 readings stored", p.stdout)
        ov = self.json("overview", "--month", "2026-01")
        s = next(x for x in ov["sections"] if x["name"] == "泗河口")
        r = s["month_result"]
        items = {i["code"]: i for i in r["items"]}
        self.assertEqual(items["NH3N"]["value"], 1.3)      # mean 1.3: class IV
        self.assertEqual(items["NH3N"]["class"], 4)
        self.assertEqual(items["TP"]["value"], 0.01)       # 0.02L -> 0.01
        self.assertEqual(items["PH"]["value"], 5.3)        # [H+] mean of 5 and 9, 2 decimals in 2026
        self.assertEqual(r["class"], 6)
        self.assertFalse(r["compliance"]["met"])

    def test_aggregates_equal_the_readings(self):
        # 20,000 hourly readings: more hour keys than the writer gathers
        # before it flushes, so sums are written in several batches
        path = os.path.join(self.dir, "h.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("section,time,item,value\n")
            for h in range(10000):
                at = f"2027-{1 + h // 720 % 12:02d}-{1 + h // 24 % 30:02d} {h % 24:02d}:00"
                if h // 8640:
                    at = "2028" + at[4:]
                f.write(f"神定河口,{at},CODMN,{2 + h % 7 * 0.5}\n神定河口,{at},PH,{6.5 + h % 5 * 0.4:.1f}\n")
        p = run("water", "import", path, db=self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("20000 readings stored", p.stdout)
        db = sqlite3.connect(self.db)
        db.create_function("pow10", 1, lambda v: 10 ** -v)
        for period, length in (("hour", 13), ("day", 10), ("month", 7)):
            wrong = db.execute(f"""
                SELECT count(*) FROM water_agg a JOIN (
                  SELECT section_id, item, substr(at, 1, {length}) AS start, count(*) AS n,
                         sum(CASE WHEN item = 'PH' THEN pow10(value) ELSE value END) AS sum,
                         min(value) AS min, max(value) AS max
                  FROM water_reading GROUP BY 1, 2, 3) r USING (section_id, item, start)
                WHERE a.period = ? AND (a.n != r.n OR a.min != r.min OR a.max != r.max
                                        OR abs(a.sum - r.sum) > 1e-9 * abs(r.sum))""", (period,)).fetchone()[0]
            rows = db.execute("SELECT count(*) FROM water_agg WHERE period = ?", (period,)).fetchone()[0]
            groups = db.execute(f"SELECT count(DISTINCT section_id || item || substr(at, 1, {length})) "
                                "FROM water_reading").fetchone()[0]
            self.assertEqual((wrong, rows), (0, groups), period)
        db.close()

    def test_alarms_lifecycle(self):
        alarms = self.json("alarms", "--state", "open")
        self.assertTrue(alarms)
        a = alarms[0]
        p = run("water", "alarm", "acknowledge", str(a["id"]), "--note", "seen", db=self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run("water", "alarm", "acknowledge", str(a["id"]), db=self.db)
        self.assertEqual(p.returncode, 1)                 # not open any more
        p = run("water", "alarm", "close", str(a["id"]), db=self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        closed = self.json("alarms", "--state", "closed")
        c = next(x for x in closed if x["id"] == a["id"])
        self.assertTrue(c["acknowledged_by"].startswith("cli:"), c["acknowledged_by"])
        self.assertEqual(c["note"], "seen")
        self.assertTrue(c["closed_at"])

    def test_assessment_lines_and_freeze(self):
        j = self.json("assess", "--year", "2025", "--rule", "hubei")
        self.assertEqual(j["rule"], "hubei")
        for c in j["counties"]:
            self.assertTrue(c["lines"][-1].startswith("等级："))
            self.assertEqual(c["freeze"], c["grade"] == "不合格")
            rate_line = next(x for x in c["lines"] if x.startswith("达标率"))
            self.assertIn(f"= {c['passed']} / {c['months']}", rate_line)
        tiered = self.json("assess", "--year", "2025", "--rule", "example-tiered")
        self.assertTrue(all("penalty" in c for c in tiered["counties"]))

    def test_export_xlsx(self):
        out = os.path.join(self.dir, "a.xlsx")
        p = run("water", "export", "assessment", "--year", "2025", "--out", out, db=self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        with zipfile.ZipFile(out) as z:
            self.assertIn("xl/workbook.xml", z.namelist())
            self.assertIn("计算过程", z.read("xl/workbook.xml").decode())


class Api(TempDbCase):
    def setUp(self):
        super().setUp()
        demo_db(self)
        with open(self.db + ".admin-token", encoding="utf-8") as f:
            self.token = f.read().strip()
        self.server = Server(self.db)

    def tearDown(self):
        self.assertEqual(self.server.stop(), 0)
        super().tearDown()

    def test_read_api(self):
        s = self.server
        status, ov = s.json("GET", "/api/water/overview?month=2025-11")
        self.assertEqual(status, 200)
        self.assertEqual(ov["overall"]["rated"], 16)
        self.assertIn(ov["overall"]["rating"], ["优", "良好", "轻度污染", "中度污染", "重度污染"])
        tc = next(x for x in ov["sections"] if x["name"] == "陶岔")
        self.assertEqual(tc["month_result"]["label"], "Ⅱ")
        status, tr = s.json("GET", f"/api/water/sections/{tc['id']}/trend?item=TP&period=month")
        self.assertEqual(status, 200)
        self.assertEqual(tr["bands"], [0.01, 0.025, 0.05, 0.1, 0.2])   # lake TP limits
        self.assertTrue(tr["points"])
        status, m = s.json("GET", "/api/water/monthly?month=2025-11&rule=shiyan-2016")
        self.assertEqual(status, 200)
        self.assertTrue(m["rows"])
        status, a = s.json("GET", "/api/water/assessment?year=2025&rule=shiyan-2021")
        self.assertEqual(status, 200)
        self.assertIn("points", a["counties"][0])
        status, rules = s.json("GET", "/api/water/rules")
        self.assertEqual({r["id"] for r in rules}, {"hubei", "shiyan-2016", "shiyan-2021", "example-tiered"})
        self.assertEqual(s.json("GET", "/api/water/monthly")[0], 400)
        self.assertEqual(s.json("GET", "/api/water/assessment?year=2025&rule=../x")[0], 400)
        self.assertEqual(s.json("GET", "/api/water/sections/999/trend?item=TP")[0], 404)

    def test_classify_and_export(self):
        s = self.server
        status, h, body = s.request("POST", "/api/water/classify",
                                    b"section,type,time,CODMN\nx,river,2025-11-10,4.05\n"
                                    b"x,river,2026-02-10,4.05\n")
        self.assertEqual(status, 200)
        self.assertIn(b"x,river,2025-11-10,4.05,2,", body)     # 4.0 (1 decimal in 2025)
        self.assertIn(b"x,river,2026-02-10,4.05,3,", body)     # 4.05 (2 decimals in 2026)
        status, h, body = s.request("GET", "/api/water/export/overview.xlsx?month=2025-11")
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b"PK"))

    def test_writes_need_admin(self):
        s = self.server
        body = "section,time,item,value\n陶岔,2026-02-01 08:00,NH3N,3.0\n".encode()
        status, _ = s.json("POST", "/api/water/readings", body)
        self.assertEqual(status, 401)
        auth = {"Authorization": f"Bearer {self.token}"}
        status, j = s.json("POST", "/api/water/readings", body, auth)
        self.assertEqual(status, 200, j)
        self.assertEqual(j, {"readings": 1, "alarms": 1})   # no NH3-N alarm was live
        status, j = s.json("POST", "/api/water/readings", b"section,time,item,value\n", auth)
        self.assertEqual(status, 200)
        status, j = s.json("POST", "/api/water/readings",
                           "section,time,item,value\n陶岔,2026-02-31x,TP,0.3\n".encode(), auth)
        self.assertEqual(status, 400)
        self.assertIn("line 2, field time", j["detail"])
        status, alarms = s.json("GET", "/api/water/alarms?state=open")
        a = next(x for x in alarms if x["section"] == "陶岔" and x["at"] == "2026-02-01 08:00")
        status, j = s.json("POST", f"/api/water/alarms/{a['id']}/acknowledge", {"note": "checked"}, auth)
        self.assertEqual(status, 200, j)
        status, j = s.json("POST", f"/api/water/alarms/{a['id']}/acknowledge", None, auth)
        self.assertEqual(status, 409)

    def test_alarms_excel_times(self):
        """The alarm's reading time is China time as sampled (not shifted);
        who acknowledged it when (stored UTC, just now) is in China time."""
        s = self.server
        auth = {"Authorization": f"Bearer {self.token}"}
        body = "section,time,item,value\n陶岔,2026-02-01 23:30,NH3N,3.0\n".encode()
        self.assertEqual(s.json("POST", "/api/water/readings", body, auth)[0], 200)
        _, alarms = s.json("GET", "/api/water/alarms?state=open")
        a = next(x for x in alarms if x["section"] == "陶岔" and x["at"] == "2026-02-01 23:30")
        self.assertEqual(s.json("POST", f"/api/water/alarms/{a['id']}/acknowledge", None, auth)[0], 200)
        _, alarms = s.json("GET", "/api/water/alarms?state=acknowledged")
        acknowledged_at = next(x for x in alarms if x["id"] == a["id"])["acknowledged_at"]
        stored = datetime.datetime.fromisoformat(acknowledged_at.replace("Z", "+00:00"))
        self.assertLess(abs((stored - datetime.datetime.now(datetime.timezone.utc)).total_seconds()), 60)
        status, _, data = s.request("GET", "/api/water/export/alarms.xlsx")
        self.assertEqual(status, 200)
        row = next(r for r in xlsx_rows(data) if r.get("编号") == str(a["id"]))
        self.assertEqual(row["监测时间"], "2026-02-01 23:30")
        self.assertEqual(row["确认时间"], china_time(acknowledged_at))


if __name__ == "__main__":
    main()
