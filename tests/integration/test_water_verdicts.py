"""No verdict on missing data, and rounding by the rules in force on a
reading's date, on the real binary: the annual and monthly assessments of a
year with four days of December readings (API, CLI and Excel say 数据不足,
and move no money), a complete year judged as before, the minimum as
configuration in a rule file, and `water classify` rounding 2025 and 2026
readings by their own dates (and by a replaced decimals table).

Run: python3 tests/integration/test_water_verdicts.py BUILD_DIR (from the source root).
"""
import io
import json
import os
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BINARY, ROOT, Server, TempDbCase, main, run  # noqa: E402

DATA = os.path.join(ROOT, "data", "water")
TODAY = "2026-12-04"


def december_readings():
    """Four days of readings of one section of 丹江口市 (NH3-N over its class II target)."""
    rows = ["section,time,item,value"]
    for d in range(1, 5):
        rows += [f"丹江口水库坝上中,2026-12-0{d} 08:00,NH3N,0.9", f"丹江口水库坝上中,2026-12-0{d} 08:00,CODMN,2.0"]
    return "\n".join(rows) + "\n"


class Verdicts(TempDbCase):
    def setUp(self):
        super().setUp()
        os.environ["QINGSHUI_TODAY"] = TODAY
        run("init", db=self.db, check=True)
        run("water", "sections", os.path.join(DATA, "sections_demo.csv"), db=self.db, check=True)
        run("water", "import", os.path.join(DATA, "readings_synthetic_2024-2025.csv"), db=self.db, check=True)
        run("water", "import", os.path.join(DATA, "readings_2025-11.csv"), db=self.db, check=True)
        path = os.path.join(self.dir, "december.csv")
        open(path, "w", encoding="utf-8").write(december_readings())
        run("water", "import", path, db=self.db, check=True)

    def tearDown(self):
        os.environ.pop("QINGSHUI_TODAY", None)
        super().tearDown()

    def cli(self, *args):
        p = run("water", *args, db=self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_sparse_year_has_no_verdict_and_no_money(self):
        s = Server(self.db)
        try:
            status, j = s.json("GET", "/api/water/assessment?year=2026&rule=shiyan-2016")
            self.assertEqual(status, 200)
            self.assertEqual(j["minimum"]["year_min_months"], 8)
            by = {c["county"]: c for c in j["counties"]}
            djk = by["丹江口市"]
            self.assertEqual((djk["status"], djk["final"], djk["grade"], djk["freeze"], djk["rate"]),
                             ("insufficient", False, None, False, None))
            self.assertEqual(djk["coverage"]["text"], "1 / 36 个月")
            self.assertNotIn("deposit", djk)
            self.assertTrue(djk["lines"][-1].startswith("数据不足：1 / 36 个断面月有数据（至少 24）"), djk["lines"])
            for c in j["counties"]:
                self.assertEqual(c["status"], "insufficient", c["county"])
                self.assertFalse(c["freeze"])
                self.assertNotIn("deposit", c)
            zero = by["张湾区"]                                  # 0 of 0 months
            self.assertEqual((zero["months"], zero["rate"], zero["coverage"]["have"]), (0, None, 0))
            self.assertIn("达标率 R = 0 / 0 = —", zero["lines"])
            # Excel says the same: 数据不足, no 扣缴, no 区域限批 "是", — for the rate
            status, h, data = s.request("GET", "/api/water/export/assessment.xlsx?year=2026&rule=shiyan-2016")
            self.assertEqual(status, 200)
            book = zipfile.ZipFile(io.BytesIO(data))
            strings = book.read("xl/sharedStrings.xml").decode()
            self.assertIn("数据不足（进行中）", strings)
            self.assertIn("1 / 36 个月", strings)
            self.assertIn("—", strings)
            self.assertNotIn("扣缴", strings)
            self.assertNotIn("forfeit", strings)
            # the monthly table: December is in progress, judged on its four days; the others have no data
            status, m = s.json("GET", "/api/water/monthly?month=2026-12&rule=shiyan-2016")
            rows = {r["section"]: r for r in m["rows"]}
            dam = rows["丹江口水库坝上中"]
            self.assertEqual((dam["status"], dam["final"], dam["class"], dam["pass"]), ("in_progress", False, 3, False))
            self.assertEqual(dam["coverage"]["text"], "4 / 31 天")
            self.assertEqual(len(rows), 14)
            for name, r in rows.items():
                if name != "丹江口水库坝上中":
                    self.assertEqual((r["status"], r["class"], r["pass"]), ("insufficient", None, None), name)
            status, h, data = s.request("GET", "/api/water/export/monthly.xlsx?month=2026-12&rule=shiyan-2016")
            strings = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml").decode()
            self.assertIn("进行中", strings)
            self.assertIn("0 / 31 天", strings)
            self.assertEqual(s.json("GET", "/api/water/monthly?month=2026-13")[0], 400)
            # the overview of the month: the same coverage, and no class where there is no data
            status, ov = s.json("GET", "/api/water/overview?month=2026-12")
            secs = {x["name"]: x for x in ov["sections"]}
            self.assertEqual(secs["丹江口水库坝上中"]["coverage"]["status"], "in_progress")
            self.assertEqual(secs["丹江口水库坝上中"]["month_result"]["class"], 3)
            self.assertEqual(secs["羊尾"]["coverage"]["text"], "0 / 31 天")
            self.assertNotIn("month_result", secs["羊尾"])
            self.assertEqual(ov["overall"]["rated"], 1)
            status, h, data = s.request("GET", "/api/water/export/overview.xlsx?month=2026-12")
            strings = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml").decode()
            self.assertIn("4 / 31 天", strings)
            self.assertIn("数据不足（进行中）", strings)
        finally:
            self.assertEqual(s.stop(), 0)
        # the CLI computes the same table
        self.assertEqual(self.cli("assess", "--year", "2026")["counties"], j["counties"])

    def test_complete_year_is_judged_as_before(self):
        j = self.cli("assess", "--year", "2025", "--rule", "shiyan-2016")
        for c in j["counties"]:
            self.assertEqual((c["status"], c["final"]), ("final", True), c["county"])
            self.assertIn(c["grade"], ("优秀", "合格", "不合格"))
            self.assertIn(c["deposit"]["action"], ("return", "forfeit"))
            self.assertEqual(c["deposit"]["action"] == "forfeit", c["grade"] == "不合格")
            self.assertAlmostEqual(c["rate"], c["passed"] / c["months"])
        m = self.cli("month", "--month", "2025-11", "--rule", "shiyan-2016")
        judged = [r for r in m["rows"] if r["class"]]
        self.assertEqual(len(judged), 14)            # the 14 assessed sections (county and target)
        self.assertTrue(all(r["status"] == "final" and r["final"] for r in judged))
        self.assertTrue(any(r["pass"] is False for r in judged) and any(r["pass"] for r in judged))
        # the same month seen while it was under way: provisional, and the year moves no money
        os.environ["QINGSHUI_TODAY"] = "2025-11-20"
        m = self.cli("month", "--month", "2025-11")
        self.assertTrue(all(r["status"] == "in_progress" for r in m["rows"] if r["class"]))
        y = self.cli("assess", "--year", "2025")
        for c in y["counties"]:
            self.assertEqual(c["status"], "in_progress", c["county"])
            self.assertNotIn("deposit", c)
            self.assertFalse(c["freeze"])
            self.assertTrue(c["lines"][-1].startswith("年度进行中（截至 2025-11-20）"))

    def test_minimum_is_configuration(self):
        rule = json.load(open(os.path.join(DATA, "rules", "shiyan-2016.json"), encoding="utf-8"))
        rule["coverage"]["month_min_days"] = 20             # as for automatic stations
        path = os.path.join(self.dir, "rule.json")
        json.dump(rule, open(path, "w", encoding="utf-8"), ensure_ascii=False)
        m = self.cli("month", "--month", "2025-11", "--rule-file", path)
        r = next(x for x in m["rows"] if x["section"] == "神定河口")
        self.assertEqual((r["status"], r["class"]), ("insufficient", None))
        self.assertRegex(r["line"], r"数据不足，\d+ / 30 天有数据（至少 20 天），不评价")
        ov = self.cli("overview", "--month", "2025-11", "--rule-file", path)
        self.assertTrue(all(x["coverage"]["status"] == "insufficient" and "month_result" not in x
                            for x in ov["sections"]))
        self.assertEqual(ov["overall"]["rated"], 0)
        del rule["coverage"]
        json.dump(rule, open(path, "w", encoding="utf-8"), ensure_ascii=False)
        p = run("water", "month", "--month", "2025-11", "--rule-file", path, db=self.db)
        self.assertEqual(p.returncode, 1)
        self.assertIn("coverage: expected", p.stderr)
        p = run("water", "month", "--month", "2025-13", db=self.db)
        self.assertEqual(p.returncode, 2)


class Rounding(TempDbCase):
    ROWS = ("section,type,time,PH,DO,CODMN\n"
            "a,river,2025-11-10 08:00,9.2,5.97,6.03\n"
            "b,river,2026-02-10 08:00,9.2,7.5,2.0\n"
            "c,river,2026-02-10 08:00,7.5,5.97,2.0\n"
            "d,river,2026-02-10 08:00,7.5,7.5,6.03\n")

    def classes(self, stdout):
        return {line.split(",")[0]: line.split(",")[6] for line in stdout.splitlines()[1:]}

    def test_each_reading_by_its_date(self):
        p = run("water", "classify", input=self.ROWS)
        self.assertEqual(p.returncode, 0, p.stderr)
        # 2025: pH 9, DO 6.0, CODMn 6.0 -> Ⅲ; 2026: pH 9.20 劣Ⅴ, DO 5.97 Ⅲ, CODMn 6.03 Ⅳ
        self.assertEqual(self.classes(p.stdout), {"a": "3", "b": "6", "c": "3", "d": "4"})

    def test_stored_readings_by_their_date(self):
        # 羊尾's target is Ⅱ (DO >= 6): DO 5.97 is 6.0 in 2025 (met), 5.97 in 2026 (Ⅲ: an alarm)
        run("init", db=self.db, check=True)
        run("water", "sections", os.path.join(DATA, "sections_demo.csv"), db=self.db, check=True)
        path = os.path.join(self.dir, "do.csv")
        open(path, "w", encoding="utf-8").write("section,time,item,value\n"
                                                 "羊尾,2025-11-10 08:00,DO,5.97\n羊尾,2026-02-10 08:00,DO,5.97\n")
        p = run("water", "import", path, db=self.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("1 alarms opened", p.stdout)
        alarms = json.loads(run("water", "alarms", db=self.db, check=True).stdout)
        self.assertEqual([(a["at"], a["class"]) for a in alarms], [("2026-02-10 08:00", 3)])
        for month, value, cls in (("2025-11", 6.0, 2), ("2026-02", 5.97, 3)):
            ov = json.loads(run("water", "overview", "--month", month, db=self.db, check=True).stdout)
            r = next(x for x in ov["sections"] if x["name"] == "羊尾")["month_result"]
            item = next(i for i in r["items"] if i["code"] == "DO")
            self.assertEqual((item["value"], item["class"]), (value, cls), month)

    def test_replaced_decimals_table(self):
        table = os.path.join(self.dir, "decimals.csv")
        open(table, "w").write("code,from,decimals\nPH,2026-03-01,2\nDO,2026-03-01,2\nCODMN,2026-03-01,2\n")
        env = dict(os.environ, QINGSHUI_WATER_DECIMALS=table)
        p = subprocess.run([BINARY, "water", "classify"], input=self.ROWS, capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        # February 2026 is before the table's date: rounded the 2025 way
        self.assertEqual(self.classes(p.stdout), {"a": "3", "b": "1", "c": "2", "d": "3"})
        open(table, "w").write("code,from,decimals\nPH,2026-03-01,x\n")
        p = subprocess.run([BINARY, "water", "classify"], input=self.ROWS, capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 1)
        self.assertIn("cnemc_decimals.csv line 2, field decimals: 'x' is not 0..10", p.stderr)


if __name__ == "__main__":
    main()
