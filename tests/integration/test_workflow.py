"""Integration tests of the workflow details that used to mislead (issue 12):
a notice sent to the wrong unit is withdrawn; an inbox item is done once
its action is taken; a confirmed task is at 100 %; the report form's
period is the first one still missing, and reporting it clears the light's
reason; a refusal by role carries a code and the role it needs. Real
binary, real database, 'today' injected."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import main  # noqa: E402
from test_supervision import SupervisionCase  # noqa: E402


def pending(client):
    """The kinds of what waits in CLIENT's inbox, newest first."""
    status, events = client.call("GET", "/api/inbox")
    assert status == 200, events
    return [e["kind"] for e in events]


class Withdraw(SupervisionCase):
    def test_a_notice_sent_to_the_wrong_unit_is_withdrawn(self):
        tid = self.create_task()["id"]
        zj, hb = self.client("zj"), self.client("hb")
        status, notice = self.admin.call("POST", f"/api/tasks/{tid}/notices", {
            "unit": "市住建委", "level": "duban", "text": "请加快排查", "deadline": "2026-07-01"})
        self.assertEqual(status, 201)
        self.assertIn("notice.issued", pending(zj))
        path = f"/api/notices/{notice['id']}/withdraw"
        # Only the office withdraws, and it says why.
        self.assertEqual(zj.call("POST", path, {"reason": "x"})[0], 403)
        status, err = self.admin.call("POST", path, {"reason": "  "})
        self.assertEqual((status, err["error"]), (400, "invalid_field"))
        self.assertIn("reason", err["detail"])
        self.assertEqual(self.admin.call("POST", path, {})[0], 400)
        self.assertEqual(self.admin.call("POST", "/api/notices/999/withdraw", {"reason": "x"})[0], 404)
        status, withdrawn = self.admin.call("POST", path, {"reason": "发错单位，应发市环保局"})
        self.assertEqual((status, withdrawn["state"], withdrawn["withdraw_reason"], withdrawn["withdrawn_by"]),
                         (200, "withdrawn", "发错单位，应发市环保局", "account:admin"))
        self.assertTrue(withdrawn["withdrawn_at"].endswith("Z"))
        # It has left the unit's inbox (kept among the done items), and the unit cannot answer it.
        self.assertNotIn("notice.issued", pending(zj))
        done = zj.call("GET", "/api/inbox?all=1")[1]
        self.assertTrue(any(e["kind"] == "notice.issued" and e["done_at"] for e in done))
        self.assertEqual(zj.call("POST", f"/api/notices/{notice['id']}/reply", {"text": "已收到"})[0], 409)
        self.assertEqual(self.admin.call("POST", path, {"reason": "again"})[0], 409)
        self.assertEqual(self.admin.call("POST", f"/api/notices/{notice['id']}/close", {})[0], 409)
        # The task's timeline keeps it, withdrawn, with the reason.
        shown = next(n for n in hb.call("GET", f"/api/tasks/{tid}")[1]["notices"] if n["id"] == notice["id"])
        self.assertEqual((shown["state"], shown["withdraw_reason"]), ("withdrawn", "发错单位，应发市环保局"))
        # It counts nowhere: the dashboard's open notices, the unit's assessment.
        leader = self.client("leader")
        self.assertEqual(leader.call("GET", "/api/dashboard?year=2026")[1]["open_notices"], 0)
        units = {u["unit"]: u for u in leader.call("GET", "/api/assessment?year=2026")[1]["units"]}
        self.assertEqual(units["市住建委"]["facts"]["notices"], [0, 0, 0])
        # Audited, with the notice as it was.
        rows = self.rows("SELECT actor, before, after FROM audit_log WHERE action = 'notice.withdraw'")
        self.assertEqual(len(rows), 1)
        self.assertEqual(json.loads(rows[0][1])["state"], "open")
        self.assertEqual(json.loads(rows[0][2])["state"], "withdrawn")
        self.assertEqual(rows[0][0], "account:admin")


class InboxSettles(SupervisionCase):
    def test_taking_the_action_settles_the_item(self):
        tid = self.create_task()["id"]
        hb, sl = self.client("hb"), self.client("sl")
        # A notice: the unit's item goes when it replies, the office's when it closes it.
        _, notice = self.admin.call("POST", f"/api/tasks/{tid}/notices", {
            "unit": "市环保局", "level": "cuiban", "text": "请报送", "deadline": "2026-07-01"})
        self.assertIn("notice.issued", pending(hb))
        self.assertEqual(hb.call("POST", f"/api/notices/{notice['id']}/reply", {"text": "已报送"})[0], 200)
        self.assertNotIn("notice.issued", pending(hb))
        self.assertIn("notice.replied", pending(self.admin))
        self.assertEqual(self.admin.call("POST", f"/api/notices/{notice['id']}/close", {})[0], 200)
        self.assertNotIn("notice.replied", pending(self.admin))
        # A report: reviewing it settles the office's item; a report sent back is
        # settled when the unit reports on that period again.
        _, report = sl.call("POST", f"/api/tasks/{tid}/reports", {"period": "2026-05", "text": "t", "percent": 20})
        self.assertIn("report.submitted", pending(self.admin))
        self.admin.call("POST", f"/api/reports/{report['id']}/return", {"comment": "补充照片"})
        self.assertNotIn("report.submitted", pending(self.admin))
        self.assertIn("report.returned", pending(sl))
        _, other = sl.call("POST", f"/api/tasks/{tid}/reports", {"period": "2026-04", "text": "t", "percent": 10})
        self.assertIn("report.returned", pending(sl))          # another period does not answer it
        _, again = sl.call("POST", f"/api/tasks/{tid}/reports", {"period": "2026-05", "text": "附照片", "percent": 20})
        self.assertNotIn("report.returned", pending(sl))
        self.assertEqual(pending(self.admin).count("report.submitted"), 2)
        self.admin.call("POST", f"/api/reports/{again['id']}/accept", {})
        self.assertEqual(pending(self.admin).count("report.submitted"), 1)
        self.admin.call("POST", f"/api/reports/{other['id']}/accept", {})
        self.assertNotIn("report.submitted", pending(self.admin))
        # An extension: deciding it settles the request.
        _, ext = hb.call("POST", f"/api/tasks/{tid}/extensions", {"until": "2027-01-31", "reason": "汛期"})
        self.assertIn("extension.requested", pending(self.admin))
        self.admin.call("POST", f"/api/extensions/{ext['id']}/decide", {"grant": False, "comment": "不延期"})
        self.assertNotIn("extension.requested", pending(self.admin))
        # A completion: sent back, proposed again, confirmed.
        _, c1 = hb.call("POST", f"/api/tasks/{tid}/completion", {"evidence": "材料"})
        self.assertIn("completion.proposed", pending(self.admin))
        self.admin.call("POST", f"/api/completions/{c1['id']}/decide", {"confirm": False, "comment": "缺验收"})
        self.assertNotIn("completion.proposed", pending(self.admin))
        self.assertIn("completion.returned", pending(hb))
        _, c2 = hb.call("POST", f"/api/tasks/{tid}/completion", {"evidence": "附验收"})
        self.assertNotIn("completion.returned", pending(hb))
        self.admin.call("POST", f"/api/completions/{c2['id']}/decide", {"confirm": True, "rating": 4})
        self.assertNotIn("completion.proposed", pending(self.admin))
        # What remains is information only, done by hand.
        self.assertEqual(set(pending(self.admin)), set())
        self.assertEqual(set(pending(hb)), {"task.assigned", "extension.refused", "completion.confirmed"})


class ConfirmedIsComplete(SupervisionCase):
    def test_a_confirmed_task_is_at_100_percent(self):
        tid = self.create_task()["id"]
        hb = self.client("hb")
        hb.call("POST", f"/api/tasks/{tid}/reports", {"period": "2026-05", "text": "t", "percent": 40})
        _, c = hb.call("POST", f"/api/tasks/{tid}/completion", {"evidence": "材料"})
        self.assertEqual(hb.call("GET", f"/api/tasks/{tid}")[1]["percent"], 40)   # proposed is not done
        self.admin.call("POST", f"/api/completions/{c['id']}/decide", {"confirm": True, "rating": 5})
        self.assertEqual(hb.call("GET", f"/api/tasks/{tid}")[1]["percent"], 100)
        listed = next(t for t in self.client("leader").call("GET", "/api/tasks?year=2026")[1] if t["id"] == tid)
        self.assertEqual((listed["percent"], listed["light"]["color"]), (100, "done"))


class ReportPeriod(SupervisionCase):
    """Today is 2026-06-15; reports are monthly, due 5 days after the month."""

    def report(self, client, tid, period, percent=10):
        status, body = client.call("POST", f"/api/tasks/{tid}/reports", {"period": period, "text": "t", "percent": percent})
        self.assertEqual(status, 201, body)
        return body

    def missing(self, client, tid):
        light = client.call("GET", f"/api/tasks/{tid}")[1]["light"]
        return [r["period"] for r in light["reasons"] if r["code"] == "REPORT_MISSING"]

    def test_the_first_period_still_missing(self):
        tid = self.create_task()["id"]
        sl, hb = self.client("sl"), self.client("hb")
        period = lambda c: c.call("GET", f"/api/tasks/{tid}")[1]["report_period"]   # noqa: E731
        self.assertEqual(period(sl), "2026-01")
        for month in ("2026-01", "2026-02", "2026-04"):
            self.report(sl, tid, month)
        self.assertEqual(period(sl), "2026-03")           # a gap is offered first
        self.report(sl, tid, "2026-03")
        self.assertEqual(period(sl), "2026-05")
        self.assertEqual(self.missing(sl, tid), ["2026-05"])
        self.report(sl, tid, "2026-05", 40)
        self.assertEqual(self.missing(sl, tid), [])        # the reason goes with the report
        self.assertEqual(period(sl), "2026-06")           # the month in progress
        self.report(sl, tid, "2026-06", 45)
        self.assertEqual(period(sl), "2026-06")           # nothing missing: the latest
        status, err = sl.call("POST", f"/api/tasks/{tid}/reports", {"period": "2026-06", "text": "t", "percent": 50})
        self.assertEqual((status, err["error"]), (400, "already_reported"))
        # Each unit owes its own reports; a report sent back is owed again.
        self.assertEqual(period(hb), "2026-01")
        first = self.report(hb, tid, "2026-01")
        self.assertEqual(period(hb), "2026-02")
        self.admin.call("POST", f"/api/reports/{first['id']}/return", {"comment": "补充"})
        self.assertEqual(period(hb), "2026-01")
        # The office does not report: no default for it.
        self.assertNotIn("report_period", self.admin.call("GET", f"/api/tasks/{tid}")[1])

    def test_a_task_starting_later_or_ended(self):
        late = self.create_task(start_on="2026-03-10", milestones=[])["id"]
        sl = self.client("sl")
        self.assertEqual(sl.call("GET", f"/api/tasks/{late}")[1]["report_period"], "2026-03")
        ahead = self.create_task(start_on="2026-09-01", milestones=[])["id"]
        self.assertEqual(sl.call("GET", f"/api/tasks/{ahead}")[1]["report_period"], "2026-09")
        ended = self.create_task(start_on="2026-01-01", due_on="2026-02-10", milestones=[])["id"]
        for month in ("2026-01", "2026-02"):
            self.report(sl, ended, month)
        self.assertEqual(sl.call("GET", f"/api/tasks/{ended}")[1]["report_period"], "2026-02")


class RoleRefusal(SupervisionCase):
    def test_a_refusal_by_role_names_the_role(self):
        hb, leader = self.client("hb"), self.client("leader")
        for path in ("/api/dashboard", "/api/assessment?year=2026"):
            status, err = hb.call("GET", path)
            self.assertEqual((status, err["error"], err["role"]), (403, "role_required", "leader"), path)
        status, err = leader.call("GET", "/api/audit")
        self.assertEqual((status, err["error"], err["role"]), (403, "role_required", "admin"))
        # Refusals of another kind keep their own code.
        tid = self.create_task()["id"]
        status, err = self.client("fg").call("GET", f"/api/tasks/{tid}")
        self.assertEqual((status, err["error"]), (403, "forbidden"))


if __name__ == "__main__":
    main()
