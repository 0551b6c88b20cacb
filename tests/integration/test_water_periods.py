"""The class of a section for any period (hour, day, month, quarter, year),
computed from the incremental aggregates with the method's averaging rules,
through GET /api/water/sections/{id}/evaluation on the real binary."""
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, TempDbCase, main, run  # noqa: E402

# NH3-N at 羊尾 (a river section). Limits: I 0.15, II 0.5, III 1.0, IV 1.5, V 2.0.
# 8 months with data: the year has the 8 months the rules ask for.
READINGS = """section,time,item,value
羊尾,2026-01-10 08:00,NH3N,0.1
羊尾,2026-01-10 09:00,NH3N,0.3
羊尾,2026-01-20 08:00,NH3N,1.1
羊尾,2026-02-05 08:00,NH3N,1.2
羊尾,2026-04-02 08:00,NH3N,1.8
羊尾,2026-07-02 08:00,NH3N,1.0
羊尾,2026-08-02 08:00,NH3N,1.0
羊尾,2026-09-02 08:00,NH3N,1.0
羊尾,2026-10-02 08:00,NH3N,1.0
羊尾,2026-11-02 08:00,NH3N,1.0
"""


class Periods(TempDbCase):
    def test_every_kind_of_period(self):
        run("init", db=self.db, check=True)
        run("water", "sections", "data/water/sections_demo.csv", db=self.db, check=True)
        path = os.path.join(self.dir, "r.csv")
        open(path, "w", encoding="utf-8").write(READINGS)
        r = run("water", "import", path, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        os.environ["QINGSHUI_TODAY"] = "2027-01-15"    # 2026 is over
        s = Server(self.db)
        try:
            _, sections = s.json("GET", "/api/water/sections")
            sid = next(x["id"] for x in sections if x["name"] == "羊尾")
            expected = {
                "2026-01-10 08": 1,   # 0.10
                "2026-01-10 09": 2,   # 0.30
                "2026-01-10": 2,      # mean 0.20
                "2026-01": 2,         # mean 0.50, on the class II limit
                "2026-02": 4,         # 1.20
                "2026-Q1": 3,         # mean of the quarter's values: 2.7 / 4 = 0.675 -> 0.68
                "2026-Q3": 3,         # 1.0 on three days
                "2026": 4,            # mean of monthly means: (0.50 + 1.20 + 1.80 + 5 × 1.0) / 8 = 1.0625 -> 1.062
            }
            for period, cls in expected.items():
                status, body = s.json("GET", f"/api/water/sections/{sid}/evaluation?period={urllib.parse.quote(period)}")
                self.assertEqual(status, 200, (period, body))
                self.assertEqual(body["result"]["class"], cls, period)
            # A quarter needs at least two values: Q2 has one.
            status, body = s.json("GET", f"/api/water/sections/{sid}/evaluation?period=2026-Q2")
            self.assertEqual((status, body["error"]), (404, "no_data"))
            for bad in ("2026-Q5", "26-01", "2026-1", "x"):
                status, body = s.json("GET", f"/api/water/sections/{sid}/evaluation?period={bad}")
                self.assertEqual(status, 400, bad)
                self.assertIn(f"period='{bad}'", body["detail"])
            self.assertEqual(s.json("GET", "/api/water/sections/9999/evaluation?period=2026")[0], 404)
            # the periods carry their coverage; a month or a year under the rule's minimum is not judged
            status, body = s.json("GET", f"/api/water/sections/{sid}/evaluation?period=2026-01")
            self.assertEqual((body["status"], body["coverage"]["text"]), ("final", "2 / 31 天"))
            status, body = s.json("GET", f"/api/water/sections/{sid}/evaluation?period=2026")
            self.assertEqual(body["coverage"]["have"], 8)
            for rule in ("shiyan-2016", "hubei"):
                status, body = s.json("GET", f"/api/water/sections/{sid}/evaluation?period=2026&rule={rule}")
                self.assertEqual(body["status"], "final", rule)
        finally:
            self.assertEqual(s.stop(), 0)

    def test_a_sparse_year_is_not_judged(self):
        run("init", db=self.db, check=True)
        run("water", "sections", "data/water/sections_demo.csv", db=self.db, check=True)
        path = os.path.join(self.dir, "r.csv")
        open(path, "w", encoding="utf-8").write(READINGS.split("羊尾,2026-07")[0])
        self.assertEqual(run("water", "import", path, db=self.db).returncode, 0)
        os.environ["QINGSHUI_TODAY"] = "2026-02-10"
        s = Server(self.db)
        try:
            sid = next(x["id"] for x in s.json("GET", "/api/water/sections")[1] if x["name"] == "羊尾")
            status, body = s.json("GET", f"/api/water/sections/{sid}/evaluation?period=2026")
            self.assertEqual(status, 200)
            self.assertEqual((body["status"], body["result"]), ("insufficient", None))
            self.assertEqual(body["coverage"]["label"], "数据不足（进行中）")
            # February is under way on 2026-02-10: judged on its data so far, not final
            status, body = s.json("GET", f"/api/water/sections/{sid}/evaluation?period=2026-02")
            self.assertEqual((body["status"], body["coverage"]["label"]), ("in_progress", "进行中"))
            self.assertEqual(body["result"]["class"], 4)
        finally:
            self.assertEqual(s.stop(), 0)


if __name__ == "__main__":
    main()
