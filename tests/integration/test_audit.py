"""Integration tests of the audit log's filters (issue 14), against the real
binary on the demo of 2026-07-15: by actor, by action (exact or a family),
by entity and entity id, by days in China time, combined with the paging
by id; the lists the filters offer; bad days refused with their name. And
a station's system code named by HJ 212-2017 table 5 (st_name)."""
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, TempDbCase, main, run  # noqa: E402

TODAY = "2026-07-15"
q = urllib.parse.quote


class AuditFilters(TempDbCase):
    @classmethod
    def setUpClass(cls):
        os.environ["QINGSHUI_PWHASH"] = "min"
        os.environ["QINGSHUI_TODAY"] = TODAY

    def setUp(self):
        super().setUp()
        self.init_with_seed()
        run("simulate", "--stations", "4", "--register-only", db=self.db, check=True)
        run("demo", "--today", TODAY, db=self.db, check=True)
        with open(self.db + ".admin-token") as f:
            self.auth = {"Authorization": "Bearer " + f.read().strip()}
        self.server = Server(self.db)

    def tearDown(self):
        self.assertEqual(self.server.stop(), 0)
        super().tearDown()

    def get(self, path, status=200):
        got, body = self.server.json("GET", path, headers=self.auth)
        self.assertEqual(got, status, body)
        return body

    def test_filters_by_actor_action_entity_and_day(self):
        sthjj = self.get("/api/audit?limit=1000&actor=account:sthjj")
        self.assertTrue(sthjj)
        self.assertEqual({r["actor"] for r in sthjj}, {"account:sthjj"})
        family = self.get("/api/audit?limit=1000&action=notice")
        self.assertEqual({r["action"] for r in family}, {"notice.issue", "notice.reply"})
        self.assertEqual(len(family), self.rows("SELECT count(*) FROM audit_log WHERE action LIKE 'notice.%'")[0][0])
        exact = self.get("/api/audit?limit=1000&action=report.return")
        self.assertEqual(len(exact), self.rows("SELECT count(*) FROM audit_log WHERE action = 'report.return'")[0][0])
        self.assertEqual(self.get("/api/audit?action=rep"), [])          # a family is a whole word
        notices = self.get("/api/audit?limit=1000&entity=notice")
        self.assertEqual({r["entity"] for r in notices}, {"notice"})
        one = notices[-1]["entity_id"]
        self.assertTrue(all(r["entity_id"] == one for r in self.get(f"/api/audit?entity=notice&entity_id={one}")))
        # a day in China time: 2026-06-20T03:00:00Z is 11:00 on the 20th
        day = self.get("/api/audit?limit=1000&from=2026-06-20&to=2026-06-20")
        self.assertTrue(day)
        for r in day:
            self.assertTrue("2026-06-19T16:00:00" <= r["at"] < "2026-06-20T16:00:00", r["at"])
        expected = self.rows("SELECT count(*) FROM audit_log WHERE at >= '2026-06-19T16:00:00' AND at < '2026-06-20T16:00:00'")
        self.assertEqual(len(day), expected[0][0])
        # combined with paging, newest first
        page = self.get("/api/audit?limit=3&action=report")
        older = self.get(f"/api/audit?limit=3&action=report&before={page[-1]['id']}")
        self.assertLess(older[0]["id"], page[-1]["id"])
        # empty filters are no filters
        self.assertEqual(len(self.get("/api/audit?limit=5&actor=&action=&entity=&from=&to=")), 5)

    def test_filter_lists(self):
        lists = self.get("/api/audit/filters")
        actions = [a["value"] for a in lists["actions"]]
        self.assertIn("notice.issue", actions)
        self.assertIn("account:sthjj", [a["value"] for a in lists["actors"]])
        self.assertIn("task", [a["value"] for a in lists["entities"]])
        self.assertEqual(actions, sorted(set(actions)))

    def test_bad_days_are_refused_with_their_name(self):
        for bad in ("2026-02-30", "20260601", "x"):
            body = self.get(f"/api/audit?from={q(bad)}", status=400)
            self.assertEqual(body["error"], "invalid_parameter")
            self.assertIn(f"from='{bad}'", body["detail"])
        self.assertIn("to=", self.get("/api/audit?to=2026-13-01", status=400)["detail"])
        self.assertEqual(self.server.json("GET", "/api/audit/filters")[0], 401)

    def test_stations_name_their_system_code(self):
        stations = self.get("/api/stations")["stations"]
        names = {s["st"]: s["st_name"] for s in stations}
        self.assertEqual(names.get("21"), "地表水质量监测")
        self.assertEqual(self.get(f"/api/stations/{stations[0]['id']}")["st_name"], names[stations[0]["st"]])
        self.assertTrue(all(s["owner"].startswith("模拟站") for s in stations))


if __name__ == "__main__":
    main()
