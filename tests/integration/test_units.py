"""Integration tests of unit names over time, against the real binary: the
2019 reform's renames seeded by init (市环保局 is 市生态环境局), search by
any name, measures showing the name written and today's, `units rename`
and `units succeed` (merger, split) with their refusals, and tasks,
accounts, reports and the assessment following a unit to its successor."""
import glob
import json
import os
import sqlite3
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, SEED, Server, TempDbCase, main, run  # noqa: E402
from test_supervision import PASSWORD, SupervisionCase  # noqa: E402

q = urllib.parse.quote
SOURCE = "十堰市机构改革 test document"


def measure_unit(measure, unit_id):
    return next(u for u in measure["units"] if u["id"] == unit_id)


class Renames(TempDbCase):
    def setUp(self):
        super().setUp()
        self.init_with_seed()
        self.server = Server(self.db)

    def tearDown(self):
        self.assertEqual(self.server.stop(), 0)
        super().tearDown()

    def get(self, path):
        status, body = self.server.json("GET", path)
        self.assertEqual(status, 200, body)
        return body

    def unit_ids(self, query):
        return {u["id"] for u in self.get("/api/units?q=" + q(query))}

    def test_init_seeds_the_reform_renames_with_their_source(self):
        [(uid, name)] = self.rows("SELECT id, name FROM unit WHERE id IN "
                                  "(SELECT unit_id FROM unit_name WHERE name = '市环保局')")
        self.assertEqual(name, "市生态环境局")
        names = self.rows("SELECT name, valid_from, valid_to, source FROM unit_name WHERE unit_id = ? "
                          "ORDER BY id", uid)
        self.assertEqual([n[:3] for n in names], [("市环保局", None, "2019-01-01"),
                                                  ("市生态环境局", "2019-01-01", None)])
        self.assertIn("slj.shiyan.gov.cn", names[1][3])
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log WHERE action = 'unit.rename'"), [(2,)])
        self.assertIn("市水利和湖泊局  原 市水利水电局", run("units", "list", "水利", db=self.db).stdout)
        # init again, and a re-import: nothing renamed twice, the plan unchanged.
        self.assertEqual(run("init", db=self.db).returncode, 0)
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log WHERE action = 'unit.rename'"), [(2,)])
        self.assertIn("unchanged", run("plan", "import", SEED, db=self.db).stdout)

    def test_search_by_old_new_and_alias_name_finds_the_same_unit(self):
        ids = self.unit_ids("市环保局")
        self.assertEqual(len(ids), 1)
        for name in ("生态环境局", "市生态环境局", "市环境保护局"):   # new name, a part, the alias
            self.assertEqual(self.unit_ids(name), ids, name)
        by_old = self.get("/api/measures?unit=" + q("市环保局"))
        self.assertEqual(len(by_old), 30)   # 13 led, 17 supported
        self.assertEqual(self.get("/api/measures?unit=" + q("生态环境局")), by_old)
        self.assertEqual(self.get("/api/measures?unit=" + q("市生态环境局") + "&role=lead"),
                         self.get("/api/measures?unit=" + q("市环保局") + "&role=lead"))
        # The plan's text says 市环保局; a search for today's name finds its measures.
        found = self.get("/api/measures?q=" + q("生态环境局"))
        self.assertEqual([m["id"] for m in found], [m["id"] for m in by_old])
        self.assertFalse(any("生态环境局" in m["body"] for m in found))
        listing = run("units", "list", "市环保局", db=self.db).stdout
        self.assertIn("市生态环境局  原 市环保局", listing)

    def test_measure_shows_the_name_written_and_todays(self):
        [uid] = self.unit_ids("市环保局")
        [(m8,)] = self.rows("SELECT id FROM measure WHERE ordinal = 8")
        unit = measure_unit(self.get(f"/api/measures/{m8}"), uid)
        self.assertEqual((unit["name"], unit["current_name"], unit["written"]),
                         ("市环保局", "市生态环境局", "市环保局"))
        self.assertIn("市环保局（现市生态环境局）", run("plan", "show", db=self.db).stdout)
        detail = self.get(f"/api/units/{uid}")
        self.assertEqual([n["name"] for n in detail["names"]], ["市环保局", "市生态环境局"])
        self.assertEqual((detail["leads"], len(detail["lead"])), (13, 13))

    def test_rename_keeps_the_unit_and_is_audited(self):
        [uid] = self.unit_ids("市林业局")
        r = run("units", "rename", "市林业局", "市林业和园林局", "--date", "2021-03-01", "--source", SOURCE,
                db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.unit_ids("市林业和园林局"), {uid})
        self.assertEqual(self.unit_ids("市林业局"), {uid})
        measure = self.get("/api/measures?unit=" + q("市林业和园林局"))[0]
        unit = measure_unit(measure, uid)
        self.assertEqual((unit["name"], unit["current_name"]), ("市林业局", "市林业和园林局"))
        [(before, after)] = self.rows("SELECT before, after FROM audit_log WHERE action = 'unit.rename' "
                                      "AND entity_id = ?", uid)
        self.assertEqual(json.loads(before)["name"], "市林业局")
        self.assertEqual(json.loads(after), {"name": "市林业和园林局", "since": "2021-03-01", "source": SOURCE})
        # The old name in a re-imported plan still reaches the same unit.
        run("plan", "import", SEED, db=self.db, check=True)
        self.assertEqual(self.rows("SELECT count(*) FROM unit WHERE name IN ('市林业局', '市林业和园林局')"), [(1,)])

    def test_bad_renames_are_refused_and_change_nothing(self):
        for words in (["units", "rename", "--help"], ["units", "succeed", "--help"]):
            r = run(*words)
            self.assertEqual(r.returncode, 0, words)
            self.assertIn("--date YYYY-MM-DD --source TEXT", r.stdout, words)
        audit = self.rows("SELECT count(*) FROM audit_log")
        cases = [
            (["市林业局", "X局", "--date", "2021-02-30", "--source", SOURCE], 1, "date '2021-02-30'"),
            (["市无此局", "X局", "--date", "2021-03-01", "--source", SOURCE], 1, "no unit of today is named '市无此局'"),
            (["市环保局", "市新局", "--date", "2018-05-01", "--source", SOURCE], 1, "not after 2019-01-01"),
            (["市林业局", "市发改委", "--date", "2021-03-01", "--source", SOURCE], 1, "units succeed"),
            (["市林业局", "市林业局", "--date", "2021-03-01", "--source", SOURCE], 1, "already named"),
            (["市林业局", "X局", "--date", "2021-03-01"], 2, "--source"),
            (["市林业局", "--date", "2021-03-01", "--source", SOURCE], 2, "usage"),
        ]
        for args, code, message in cases:
            r = run("units", "rename", *args, db=self.db)
            self.assertEqual(r.returncode, code, args)
            self.assertIn(message, r.stderr, args)
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log"), audit)
        self.assertEqual(self.rows("SELECT count(*) FROM unit WHERE name = '市林业局'"), [(1,)])


class Upgrade(TempDbCase):
    def test_an_existing_database_takes_the_history_and_the_renames(self):
        """A database of the schema before 0012, written by applying the older
        migrations, with 市环保局 and an account of it: init upgrades it."""
        con = sqlite3.connect(self.db)
        older = sorted(f for f in glob.glob(os.path.join(ROOT, "src/db/migrations/*.sql"))
                       if int(os.path.basename(f)[:4]) < 11)   # 0011 needs the binary's SQL functions
        for f in older:
            con.executescript(open(f, encoding="utf-8").read())
        con.execute(f"PRAGMA user_version = {int(os.path.basename(older[-1])[:4])}")
        con.execute("INSERT INTO unit(id, name, kind) VALUES (7, '市环保局', 'city_department'), "
                    "(8, '市发改委', 'city_department')")
        con.execute("INSERT INTO account(login, display_name, role, unit_id, password_hash, created_at) "
                    "VALUES ('hb', 'hb', 'unit', 7, 'x', '2026-01-01T00:00:00Z')")
        con.commit()
        con.close()
        r = run("init", db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("upgrading the database to schema version 12", r.stderr)
        self.assertEqual(self.rows("SELECT id, name FROM unit ORDER BY id")[:2],
                         [(7, "市生态环境局"), (8, "市发改委")])
        self.assertEqual(self.rows("SELECT unit_id, name, valid_to FROM unit_name WHERE unit_id IN (7, 8) "
                                   "ORDER BY unit_id, id"),
                         [(7, "市环保局", "2019-01-01"), (7, "市生态环境局", None), (8, "市发改委", None)])
        self.assertEqual(self.rows("SELECT unit_id FROM account WHERE login = 'hb'"), [(7,)])
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log WHERE action = 'unit.rename'"), [(2,)])
        # 市水利水电局 was in no plan yet: its unit exists now under today's name.
        self.assertEqual(len(self.rows("SELECT id FROM unit WHERE name = '市水利和湖泊局'")), 1)


class Succession(SupervisionCase):
    def unit_id(self, name):
        [(uid,)] = self.rows("SELECT id FROM unit WHERE name = ?", name)
        return uid

    def succeed(self, *args):
        r = run("units", "succeed", *args, "--date", "2026-07-01", "--source", SOURCE, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_a_task_of_the_old_name_is_listed_for_an_account_of_the_new_name(self):
        r = run("user", "add", "sthj", "--role", "unit", "--unit", "市生态环境局", db=self.db, input=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        task = self.create_task()     # the units of measure 8 as the plan of 2018 names them
        for login in ("sthj", "hb"):  # hb was added as 市环保局
            status, tasks = self.client(login).call("GET", "/api/tasks")
            self.assertEqual(status, 200)
            self.assertEqual([t["id"] for t in tasks], [task["id"]], login)

    def test_a_merger_moves_tasks_accounts_reports_and_the_assessment(self):
        task = self.create_task()
        old = self.unit_id("市住建委")
        status, report = self.client("zj").call("POST", f"/api/tasks/{task['id']}/reports",
                                                {"period": "2026-05", "text": "排查", "percent": 20})
        self.assertEqual(status, 201, report)
        self.succeed("市住建委", "--into", "市住房和城乡建设局")
        new = self.unit_id("市住房和城乡建设局")
        status, detail = self.admin.call("GET", f"/api/tasks/{task['id']}")
        leads = {u["name"] for u in detail["units"] if u["role"] == "lead"}
        self.assertEqual(leads, {"市生态环境局", "市交通运输局", "市住房和城乡建设局"})
        self.assertEqual({r["unit_id"] for r in detail["reports"]}, {new})
        # The old account now acts for the successor; a new account of it may report.
        zj = self.client("zj")
        self.assertEqual(zj.call("GET", "/api/session")[1]["account"]["unit_name"], "市住房和城乡建设局")
        r = run("user", "add", "zf", "--role", "unit", "--unit", "市住建委", db=self.db, input=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.rows("SELECT unit_id FROM account WHERE login = 'zf'"), [(new,)])
        status, _ = self.client("zf").call("POST", f"/api/tasks/{task['id']}/reports",
                                           {"period": "2026-06", "text": "整治", "percent": 40})
        self.assertEqual(status, 201)
        status, a = self.client("leader").call("GET", "/api/assessment?year=2026")
        self.assertEqual(status, 200)
        names = {u["unit"] for u in a["units"]}
        self.assertIn("市住房和城乡建设局", names)
        self.assertNotIn("市住建委", names)
        # The plan still names 市住建委, with its successor beside it.
        unit = measure_unit(self.admin.call("GET", f"/api/measures/{self.m8}")[1], old)
        self.assertEqual((unit["name"], unit["current_name"]), ("市住建委", "市住房和城乡建设局"))
        _, units = self.admin.call("GET", "/api/units?q=" + q("住建委"))
        by_id = {u["id"]: u for u in units}
        self.assertEqual(by_id[old]["successors"][0]["name"], "市住房和城乡建设局")
        self.assertEqual(by_id[old]["dissolved_on"], "2026-07-01")
        self.assertGreater(by_id[new]["leads"], 0)    # the measures of its predecessor
        _, matrix = self.admin.call("GET", "/api/plans/1/matrix")
        self.assertEqual(sum(c["lead"] for c in matrix["cells"] if c["unit_id"] == new), by_id[new]["leads"])
        self.assertFalse([c for c in matrix["cells"] if c["unit_id"] == old])
        # A task made after the merger goes to the successor, not to the unit that ended.
        later = self.create_task(title="第二个任务")
        self.assertIn(new, {u["id"] for u in later["units"]})
        self.assertNotIn(old, {u["id"] for u in later["units"]})
        [(after,)] = self.rows("SELECT after FROM audit_log WHERE action = 'unit.succeed' AND entity_id = ?", old)
        self.assertEqual(json.loads(after)["moved"]["task_unit"], 1)
        self.assertEqual(json.loads(after)["moved"]["account"], 1)

    def test_a_split_gives_the_tasks_to_every_successor(self):
        task = self.create_task()
        self.succeed("市住建委", "--into", "市住房和城乡建设局", "--into", "市城市管理执法委员会")
        a, b = self.unit_id("市住房和城乡建设局"), self.unit_id("市城市管理执法委员会")
        _, detail = self.admin.call("GET", f"/api/tasks/{task['id']}")
        roles = {u["id"]: u["role"] for u in detail["units"]}
        self.assertEqual((roles.get(a), roles.get(b)), ("lead", "lead"))
        self.assertEqual(self.rows("SELECT unit_id FROM account WHERE login = 'zj'"), [(a,)])
        unit = measure_unit(self.admin.call("GET", f"/api/measures/{self.m8}")[1], self.unit_id("市住建委"))
        self.assertEqual(sorted(unit["current_name"].split("、")), sorted(["市住房和城乡建设局", "市城市管理执法委员会"]))
        # The old name no longer names one unit.
        r = run("user", "add", "x", "--role", "unit", "--unit", "市住建委", db=self.db, input=PASSWORD + "\n")
        self.assertEqual(r.returncode, 1)

    def test_bad_successions_are_refused_and_change_nothing(self):
        audit = self.rows("SELECT count(*) FROM audit_log")
        cases = [
            (["市住建委", "市林业局", "--into", "A局", "--into", "B局"], 1, "a merger ends several units"),
            (["市无此局", "--into", "A局"], 1, "no unit of today is named '市无此局'"),
            (["市住建委", "--into", "市住建委"], 1, "cannot succeed itself"),
            (["市住建委", "--into", "A局", "--date", "2026-13-01"], 1, "date '2026-13-01'"),
            (["--into", "A局"], 2, "usage"),
            (["市住建委"], 2, "usage"),
        ]
        for args, code, message in cases:
            dated = args if "--date" in args else args + ["--date", "2026-07-01"]
            r = run("units", "succeed", *dated, "--source", SOURCE, db=self.db)
            self.assertEqual(r.returncode, code, args)
            self.assertIn(message, r.stderr, args)
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log"), audit)
        self.assertEqual(self.rows("SELECT count(*) FROM unit WHERE name IN ('A局', 'B局')"), [(0,)])
        self.assertEqual(self.rows("SELECT count(*) FROM unit WHERE dissolved_on IS NOT NULL"), [(0,)])


if __name__ == "__main__":
    main()
