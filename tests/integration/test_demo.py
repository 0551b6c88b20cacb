"""`qingshui demo`: the demo database of `make run`, built for two injected
dates (the middle of a year, and early March when the year is young), looks
like a city in the middle of its year: the dashboard has green, yellow and
red, the assessment ranks counties and departments, every demo section has
readings up to yesterday and a simulated station named after it, every demo
account signs in and sees its role's pages filled, every act of the story
lies before the day, and building again adds nothing. Also: a task created
with the defaults is not red on the day it is made.
"""
import datetime
import json
import os
import sqlite3

from harness import ROOT, Server, TempDbCase, main, run

os.environ["QINGSHUI_PWHASH"] = "min"          # hashing cost for tests only
WATER = os.path.join(ROOT, "data", "water")
SEED = os.path.join(ROOT, "data", "plans", "shiyan-plan-2018-8.txt")
ACCOUNTS = ("admin", "leader", "sthjj", "djk")
COUNTS = ("task", "report", "notice", "extension", "completion", "event", "audit_log",
          "water_reading", "account", "hj212_station")


def build_demo(db, today):
    """What `make demo` does, for TODAY."""
    for args in (("init",), ("plan", "import", SEED),
                 ("water", "sections", os.path.join(WATER, "sections_demo.csv")),
                 ("water", "import", os.path.join(WATER, "readings_2025-11.csv")),
                 ("simulate", "--stations", "24", "--register-only"),
                 ("demo", "--today", today)):
        r = run(*args, db=db)
        if r.returncode != 0:
            raise AssertionError(f"{args}: {r.stderr}")
    return r


class Client:
    """A signed-in browser: the session cookie and its CSRF token."""

    def __init__(self, server, login, password):
        self.server = server
        status, headers, body = server.request("POST", "/api/login",
                                               {"login": login, "password": password})
        if status != 200:
            raise AssertionError(f"{login} cannot sign in: {status} {body!r}")
        self.cookie = headers["set-cookie"].split(";")[0]
        self.session = json.loads(body)

    def get(self, path):
        status, _, data = self.server.request("GET", path, headers={"Cookie": self.cookie})
        return status, json.loads(data)


class DemoDate:
    """Mixed into a TempDbCase with TODAY: the demo built once for the class."""
    today = None

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.folder = tempfile.mkdtemp(prefix="qingshui-demo-")
        cls.demo_db = os.path.join(cls.folder, "q.db")
        cls.first_run = build_demo(cls.demo_db, cls.today)
        cls.year = int(cls.today[:4])
        day = datetime.date.fromisoformat(cls.today)
        cls.yesterday = (day - datetime.timedelta(days=1)).isoformat()
        # the start of TODAY in China, in UTC: every act of the story is before it
        cls.day_start_utc = f"{cls.yesterday}T16:00:00"
        os.environ["QINGSHUI_TODAY"] = cls.today
        cls.server = Server(cls.demo_db)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        os.environ.pop("QINGSHUI_TODAY", None)
        import shutil
        shutil.rmtree(cls.folder, ignore_errors=True)

    def sql(self, query, *args):
        con = sqlite3.connect(self.demo_db, timeout=10)
        try:
            return con.execute(query, args).fetchall()
        finally:
            con.close()

    def password(self, login):
        path = f"{self.demo_db}.{login}-password"
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600, path)
        return open(path).read().strip()

    def client(self, login):
        return Client(self.server, login, self.password(login))

    def test_dashboard_has_green_yellow_and_red(self):
        status, d = self.client("leader").get(f"/api/dashboard?year={self.year}")
        self.assertEqual(status, 200)
        for color in ("green", "yellow", "red", "done"):
            self.assertGreater(d["totals"].get(color, 0), 0, (color, d["totals"]))
        self.assertGreater(len(d["overdue"]), 0)
        self.assertGreater(d["open_notices"], 0)

    def test_assessment_ranks_counties_and_departments(self):
        status, a = self.client("leader").get(f"/api/assessment?year={self.year}")
        self.assertEqual(status, 200)
        for group in ("counties", "departments"):
            ranked = [u for u in a["units"] if u["group"] == group and u["rank"]]
            self.assertGreaterEqual(len(ranked), 5, group)
            self.assertGreater(len({u["score"] for u in ranked}), 2, (group, ranked))
            self.assertIn(1, [u["rank"] for u in ranked])

    def test_the_story_has_every_kind_of_act(self):
        states = dict(((k, s), n) for k, s, n in self.sql(
            "SELECT 'report', state, count(*) FROM report GROUP BY state UNION ALL "
            "SELECT 'notice.' || level, state, count(*) FROM notice GROUP BY level, state UNION ALL "
            "SELECT 'extension', state, count(*) FROM extension GROUP BY state UNION ALL "
            "SELECT 'completion', state, count(*) FROM completion GROUP BY state"))
        for key in (("report", "accepted"), ("report", "returned"), ("report", "submitted"),
                    ("notice.cuiban", "replied"), ("notice.duban", "replied"),
                    ("notice.guapai", "open"), ("extension", "granted"),
                    ("extension", "pending"), ("completion", "confirmed"),
                    ("completion", "pending")):
            self.assertGreater(states.get(key, 0), 0, key)
        self.assertGreater(self.sql("SELECT count(DISTINCT measure_id) FROM task WHERE year = ?",
                                    self.year)[0][0], 30)
        self.assertEqual(self.sql("SELECT count(*) FROM task WHERE rating IS NOT NULL")[0][0], 3)

    def test_every_act_lies_before_today(self):
        for table, column in (("task", "created_at"), ("report", "submitted_at"),
                              ("report", "reviewed_at"), ("notice", "issued_at"),
                              ("notice", "replied_at"), ("extension", "requested_at"),
                              ("extension", "decided_at"), ("completion", "proposed_at"),
                              ("completion", "decided_at"), ("event", "at"),
                              ("account WHERE login != 'admin'", "created_at")):
            latest = self.sql(f"SELECT max({column}) FROM {table}")[0][0]
            self.assertIsNotNone(latest, table)
            self.assertLessEqual(latest[:19], self.day_start_utc, (table, column))
        # the story's audit lines (the other commands of the build, and the
        # test's sign-ins, are written at the real time)
        latest = self.sql("SELECT max(at) FROM audit_log WHERE entity IN ('task', 'milestone', "
                          "'report', 'notice', 'extension', 'completion') OR (entity = 'account' "
                          "AND entity_id > 1)")[0][0]
        self.assertLessEqual(latest[:19], self.day_start_utc)
        self.assertLess(self.sql("SELECT max(submitted_on) FROM report")[0][0], self.today)
        # the story is told across the year, not in one instant
        self.assertGreater(self.sql("SELECT count(DISTINCT substr(at, 1, 10)) FROM audit_log")[0][0], 20)

    def test_every_section_has_readings_to_yesterday_and_a_station(self):
        sections = self.sql("SELECT s.name, s.stations, max(r.at), min(r.at) FROM water_section s "
                            "LEFT JOIN water_reading r ON r.section_id = s.id GROUP BY s.id")
        self.assertEqual(len(sections), 16)
        stations = dict(self.sql("SELECT mn, name FROM hj212_station"))
        for name, mn, last, first in sections:
            self.assertEqual(last[:10], self.yesterday, name)
            self.assertLessEqual(first[:4], str(self.year - 1), name)
            self.assertIn(mn, stations, name)
            self.assertIn(name, stations[mn])
        days = self.sql("SELECT count(DISTINCT substr(at, 1, 10)) FROM water_reading "
                        "WHERE source = 'synthetic' AND at >= ?", f"{self.year}-01-01")[0][0]
        elapsed = (datetime.date.fromisoformat(self.today) - datetime.date(self.year, 1, 1)).days
        self.assertEqual(days, elapsed)
        month = self.yesterday[:7]
        status, _, body = self.server.request("GET", f"/api/water/overview?month={month}")
        overview = json.loads(body)
        self.assertEqual(status, 200)
        self.assertEqual([s["name"] for s in overview["sections"] if not s.get("month_result")], [])

    def test_each_account_signs_in_and_sees_its_pages(self):
        admin = self.client("admin")
        for path in ("/api/inbox", "/api/audit", f"/api/tasks?year={self.year}"):
            status, body = admin.get(path)
            self.assertEqual(status, 200, path)
            self.assertGreater(len(body), 0, path)
        leader = self.client("leader")
        status, d = leader.get(f"/api/dashboard?year={self.year}")
        self.assertGreater(sum(d["totals"].values()), 30)
        status, tasks = leader.get(f"/api/tasks?year={self.year}")
        self.assertEqual(len(tasks), self.sql("SELECT count(*) FROM task")[0][0])
        for login, unit in (("sthjj", ("市生态环境局", "市环保局")), ("djk", ("丹江口市人民政府",))):
            c = self.client(login)
            self.assertEqual(c.session["level"], "unit")
            status, tasks = c.get(f"/api/tasks?year={self.year}")
            self.assertEqual(status, 200)
            self.assertGreater(len(tasks), 0, login)
            for t in tasks:
                self.assertTrue(any(u["name"] in unit for u in t["units"]), (login, t["title"]))
            status, inbox = c.get("/api/inbox")
            self.assertGreater(len(inbox), 0, login)
            status, detail = c.get(f"/api/tasks/{tasks[0]['id']}")
            self.assertEqual(status, 200)
            self.assertGreater(len(detail["reports"]), 0, login)

    def test_building_again_adds_nothing(self):
        self.assertIn("36 tasks created", self.first_run.stdout)
        counts = lambda: {t: self.sql(f"SELECT count(*) FROM {t}")[0][0] for t in COUNTS}
        before = counts()
        r = build_demo(self.demo_db, self.today)
        self.assertIn("0 tasks created", r.stdout)
        self.assertIn("0 synthetic water readings added", r.stdout)
        again = counts()
        # the build's other commands audit what they check again (stations registered)
        self.assertEqual({**before, "audit_log": 0}, {**again, "audit_log": 0})
        r = run("demo", "--today", self.today, db=self.demo_db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(counts(), again)


class MidYear(DemoDate, TempDbCase):
    today = "2026-07-15"

    def test_same_date_same_story(self):
        other = os.path.join(self.dir, "again.db")
        build_demo(other, self.today)
        story = ("SELECT t.title, t.start_on, t.due_on, t.state, t.rating, r.period, r.unit_id, "
                 "r.percent, r.state, r.submitted_at FROM report r JOIN task t ON t.id = r.task_id "
                 "ORDER BY r.id")
        con = sqlite3.connect(other)
        try:
            again = con.execute(story).fetchall()
        finally:
            con.close()
        self.assertEqual(self.sql(story), again)
        self.assertGreater(len(again), 100)


class EarlyInTheYear(DemoDate, TempDbCase):
    today = "2027-03-02"


class NewTaskDefaults(TempDbCase):
    """A task created with the defaults on 2026-12-04: it starts that day, is
    due at the year's end and is green; on 31 December it gets one day."""

    def test_default_task_is_not_red(self):
        self.init_with_seed()
        token = open(self.db + ".admin-token").read().strip()
        measure = self.rows("SELECT id FROM measure WHERE ordinal = 8")[0][0]
        auth = {"Authorization": f"Bearer {token}"}
        for today, start, due in (("2026-12-04", "2026-12-04", "2026-12-31"),
                                  ("2026-12-31", "2026-12-31", "2027-01-01")):
            os.environ["QINGSHUI_TODAY"] = today
            server = Server(self.db)
            try:
                status, task = server.json("POST", "/api/tasks", {"measure_id": measure, "year": 2026,
                                                                  "title": "新任务"}, auth)
                self.assertEqual(status, 201, task)
                self.assertEqual((task["start_on"], task["due_on"]), (start, due))
                status, task = server.json("GET", f"/api/tasks/{task['id']}", headers=auth)
                self.assertEqual(task["light"]["color"], "green", task["light"])
                self.assertEqual(task["light"]["reasons"], [])
            finally:
                server.stop()
                os.environ.pop("QINGSHUI_TODAY", None)


class CommandLine(TempDbCase):
    def test_bad_date_is_a_usage_error_and_changes_nothing(self):
        self.init_with_seed()
        r = run("demo", "--today", "2026-02-30", db=self.db)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--today '2026-02-30' is not a date", r.stderr)
        self.assertEqual(self.rows("SELECT count(*) FROM account")[0][0], 1)
        self.assertEqual(self.rows("SELECT count(*) FROM task")[0][0], 0)

    def test_help_and_missing_database(self):
        r = run("demo", "--help")
        self.assertEqual((r.returncode, r.stdout.split("\n")[0]),
                         (0, "usage: qingshui demo [--db PATH] [--today YYYY-MM-DD]"))
        r = run("demo", "--today", "2026-07-15", db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("does not exist", r.stderr)
        self.assertFalse(os.path.exists(self.db))


if __name__ == "__main__":
    main()
