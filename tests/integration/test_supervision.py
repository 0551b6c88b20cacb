"""Integration tests of accounts and supervision against the real binary:
log-in, sessions, CSRF, lock-out, every role against every state-changing
route, the whole workflow of a task (report with attachment, return,
notice, extension, completion), lights on injected dates, the dashboard,
the assessment and its Excel file, the webhook, the audit log."""
import http.server
import io
import json
import os
import sqlite3
import sys
import threading
import time
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, TempDbCase, main, run  # noqa: E402

os.environ["QINGSHUI_PWHASH"] = "min"          # hashing cost for tests only
PASSWORD = "correct-horse-1"


class Client:
    """A browser-like client: the session cookie and the CSRF token."""

    def __init__(self, server):
        self.server = server
        self.cookie = None
        self.csrf = ""

    def login(self, login, password=PASSWORD):
        status, headers, body = self.server.request("POST", "/api/login",
                                                    {"login": login, "password": password})
        if status == 200:
            self.cookie = headers["set-cookie"].split(";")[0]
            self.csrf = json.loads(body)["csrf"]
        return status, headers, json.loads(body)

    def call(self, method, path, body=None, headers=None, csrf=True):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        if csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        status, _, data = self.server.request(method, path, body, h)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data


class SupervisionCase(TempDbCase):
    """A database with the seed plan, accounts of every role, and a server
    whose 'today' is fixed."""
    today = "2026-06-15"

    def setUp(self):
        super().setUp()
        self.init_with_seed()
        for login, role, unit in (("leader", "leader", None), ("hb", "unit", "市环保局"),
                                  ("zj", "unit", "市住建委"), ("sl", "unit", "市水利水电局"),
                                  ("fg", "unit", "市林业局")):
            args = ["user", "add", login, "--role", role] + (["--unit", unit] if unit else [])
            r = run(*args, db=self.db, input=PASSWORD + "\n")
            self.assertEqual(r.returncode, 0, r.stderr)
        self.admin_password = open(self.db + ".admin-password").read().strip()
        os.environ["QINGSHUI_TODAY"] = self.today
        self.server = Server(self.db)
        self.admin = self.client("admin", self.admin_password)
        con = sqlite3.connect(self.db)
        self.m8 = con.execute("SELECT id FROM measure WHERE ordinal = 8").fetchone()[0]
        con.close()

    def tearDown(self):
        self.assertEqual(self.server.stop(), 0)
        os.environ.pop("QINGSHUI_TODAY", None)
        super().tearDown()

    def client(self, login, password=PASSWORD):
        c = Client(self.server)
        status, _, body = c.login(login, password)
        self.assertEqual(status, 200, body)
        return c

    def create_task(self, **extra):
        body = {"measure_id": self.m8, "year": 2026, "title": "排污口整治", "start_on": "2026-01-01",
                "due_on": "2026-12-31", "milestones": [{"title": "完成排查", "due_on": "2026-06-30"}],
                "indicator": "整治排污口", "indicator_unit": "个", "baseline": 0, "target_value": 40}
        body.update(extra)
        status, task = self.admin.call("POST", "/api/tasks", body)
        self.assertEqual(status, 201, task)
        return task


class Accounts(SupervisionCase):
    def test_login_cookie_session_and_logout(self):
        c = Client(self.server)
        status, headers, body = c.login("hb")
        self.assertEqual(status, 200)
        cookie = headers["set-cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        self.assertEqual(body["account"]["unit_name"], "市生态环境局")
        self.assertEqual(len(body["csrf"]), 64)
        status, session = c.call("GET", "/api/session")
        self.assertEqual((status, session["level"]), (200, "unit"))
        self.assertEqual(c.call("POST", "/api/logout")[0], 200)
        self.assertEqual(c.call("GET", "/api/tasks")[0], 401)

    def test_wrong_password_and_lock_out(self):
        c = Client(self.server)
        for _ in range(5):
            status, _, body = c.login("zj", "wrong-password")
            self.assertEqual((status, body["error"]), (401, "bad_credentials"))
        status, _, body = c.login("zj")
        self.assertEqual((status, body["error"]), (423, "locked"))
        # An unknown login gets the same answer as a wrong password.
        self.assertEqual(c.login("nobody")[2]["error"], "bad_credentials")
        # The administrator's reset unlocks it.
        r = run("user", "passwd", "zj", db=self.db, input="another-pass-2\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(c.login("zj", "another-pass-2")[0], 200)

    def test_csrf_is_required_with_a_session(self):
        hb = self.client("hb")
        status, body = hb.call("POST", "/api/password", {"old_password": PASSWORD, "new_password": "x" * 9},
                               csrf=False)
        self.assertEqual((status, body["error"]), (403, "csrf"))
        hb.csrf = "0" * 64
        self.assertEqual(hb.call("POST", "/api/password", {"old_password": PASSWORD, "new_password": "x" * 9})[0], 403)

    def test_password_change_and_disable(self):
        hb = self.client("hb")
        status, body = hb.call("POST", "/api/password", {"old_password": "nope", "new_password": "new-password-9"})
        self.assertEqual(status, 403)
        status, body = hb.call("POST", "/api/password", {"old_password": PASSWORD, "new_password": "short"})
        self.assertEqual(status, 400)
        self.assertIn("8 characters", body["detail"])
        self.assertEqual(hb.call("POST", "/api/password", {"old_password": PASSWORD, "new_password": "new-password-9"})[0], 200)
        self.assertEqual(Client(self.server).login("hb", "new-password-9")[0], 200)
        self.assertEqual(self.admin.call("POST", "/api/accounts/hb/disable")[0], 200)
        self.assertEqual(hb.call("GET", "/api/tasks")[0], 401)          # its sessions ended
        status, _, body = Client(self.server).login("hb", "new-password-9")
        self.assertEqual((status, body["error"]), (403, "disabled"))

    def test_accounts_api_and_audit(self):
        status, created = self.admin.call("POST", "/api/accounts", {"login": "sy", "role": "unit", "unit": "丹江口市人民政府",
                                                                    "password": PASSWORD})
        self.assertEqual((status, created["unit_name"]), (201, "丹江口市人民政府"))
        self.assertEqual(self.admin.call("POST", "/api/accounts", {"login": "x", "role": "unit", "password": PASSWORD})[0], 400)
        self.assertEqual(self.admin.call("POST", "/api/accounts", {"login": "sy", "role": "leader", "password": PASSWORD})[0], 400)
        self.assertEqual(self.client("leader").call("GET", "/api/accounts")[0], 403)
        status, audit = self.admin.call("GET", "/api/audit?limit=5")
        self.assertEqual(status, 200)
        create = next(a for a in audit if a["action"] == "account.create")
        self.assertEqual(create["actor"], "account:admin")
        self.assertEqual(create["after"]["login"], "sy")
        self.assertNotIn("password_hash", json.dumps(audit))

    def test_cli_user_errors(self):
        r = run("user", "add", "tiny", "--role", "leader", db=self.db, input="short\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("8 characters", r.stderr)
        r = run("user", "add", "u2", "--role", "unit", "--unit", "没有这个单位", db=self.db, input=PASSWORD + "\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("does not exist", r.stderr)
        self.assertIn("hb", run("user", "list", db=self.db).stdout)


class RateLimit(SupervisionCase):
    def test_too_many_attempts_from_one_address(self):
        c = Client(self.server)
        statuses = [c.login("nobody", "x")[0] for _ in range(21)]
        # setUp signed the administrator in: that was the first of 20 allowed.
        self.assertEqual(statuses[:19], [401] * 19)
        self.assertEqual(statuses[19:], [429, 429])


class Authorization(SupervisionCase):
    """Every role against every state-changing route of supervision."""

    def test_matrix(self):
        task = self.create_task()
        tid = task["id"]
        other = self.create_task(title="第二项")["id"]
        hb, zj, sl, fg, leader = (self.client(x) for x in ("hb", "zj", "sl", "fg", "leader"))
        anonymous = Client(self.server)
        # Something to act on for every route.
        _, report_a = sl.call("POST", f"/api/tasks/{tid}/reports", {"period": "2026-05", "text": "t", "percent": 10})
        _, report_b = sl.call("POST", f"/api/tasks/{tid}/reports", {"period": "2026-04", "text": "t", "percent": 5})
        _, notice_a = self.admin.call("POST", f"/api/tasks/{tid}/notices", {"unit": "市环保局", "level": "duban",
                                                                             "text": "加快", "deadline": "2026-07-01"})
        _, notice_b = self.admin.call("POST", f"/api/tasks/{tid}/notices", {"unit": "市环保局", "level": "cuiban",
                                                                             "text": "催", "deadline": "2026-07-01"})
        _, ext = hb.call("POST", f"/api/tasks/{tid}/extensions", {"until": "2027-03-31", "reason": "雨季"})
        _, completion = hb.call("POST", f"/api/tasks/{other}/completion", {"evidence": "材料"})
        milestone = task["milestones"][0]["id"]
        pdf = b"%PDF-1.4 x"
        file_header = {"X-Filename": "a.pdf"}
        routes = [  # (method, path, body, extra headers, roles allowed)
            ("POST", "/api/tasks", {"measure_id": self.m8, "year": 2027, "title": "x", "start_on": "2027-01-01",
                                    "due_on": "2027-12-31"}, None, {"admin"}),
            ("POST", f"/api/tasks/{tid}/copy", {"year": 2028}, None, {"admin"}),
            ("POST", f"/api/tasks/{tid}/reports", {"period": "2026-03", "text": "t", "percent": 5}, None, {"hb", "zj", "sl"}),
            ("POST", f"/api/reports/{report_a['id']}/attachments", pdf, file_header, {"sl"}),
            ("POST", f"/api/reports/{report_a['id']}/return", {"comment": "补充"}, None, {"admin"}),
            ("POST", f"/api/reports/{report_b['id']}/accept", {}, None, {"admin"}),
            ("POST", f"/api/tasks/{tid}/notices", {"unit": "市住建委", "level": "cuiban", "text": "t",
                                                   "deadline": "2026-07-01"}, None, {"admin"}),
            ("POST", f"/api/notices/{notice_a['id']}/reply", {"text": "已加快"}, None, {"hb"}),
            ("POST", f"/api/notices/{notice_b['id']}/close", {}, None, {"admin"}),
            ("POST", f"/api/tasks/{tid}/extensions", {"until": "2027-01-31", "reason": "r"}, None, {"hb", "zj", "sl"}),
            ("POST", f"/api/extensions/{ext['id']}/decide", {"grant": False, "comment": "no"}, None, {"admin"}),
            ("POST", f"/api/milestones/{milestone}/done", None, None, {"hb", "zj", "admin"}),
            ("POST", f"/api/completions/{completion['id']}/attachments", pdf, file_header, {"hb"}),
            ("POST", f"/api/completions/{completion['id']}/decide", {"confirm": True, "rating": 3}, None, {"admin"}),
            ("POST", f"/api/tasks/{tid}/completion", {"evidence": "材料"}, None, {"hb", "zj"}),   # the lead units
            ("POST", "/api/accounts", {"login": "new", "role": "leader", "password": PASSWORD}, None, {"admin"}),
            ("POST", "/api/accounts/new/disable", None, None, {"admin"}),
            ("POST", "/api/accounts/new/enable", None, None, {"admin"}),
            ("PUT", "/api/unit-aliases/" + urllib.parse.quote("环保"), {"unit": "市环保局"}, None, {"admin"}),
            ("DELETE", "/api/unit-aliases/" + urllib.parse.quote("环保"), None, None, {"admin"}),
        ]
        clients = {"anonymous": anonymous, "fg": fg, "leader": leader, "sl": sl, "zj": zj, "hb": hb, "admin": self.admin}
        for method, path, body, headers, allowed in routes:
            for name, c in clients.items():
                if name in allowed:
                    continue
                status, reply = c.call(method, path, body, headers)
                expected = 401 if name == "anonymous" else 403
                self.assertEqual(status, expected, f"{name} {method} {path}: {reply}")
                self.assertTrue(reply["detail"], f"{name} {method} {path}: a refusal says why")
            first = sorted(allowed)[0]   # one allowed role does it; the state has changed for the others
            status, reply = clients[first].call(method, path, body, headers)
            self.assertIn(status, (200, 201), f"{first} {method} {path}: {reply}")
        # Routes for any signed-in account refuse only the anonymous.
        for method, path in (("POST", "/api/logout"), ("POST", "/api/password"), ("GET", "/api/inbox")):
            self.assertEqual(anonymous.call(method, path, {})[0], 401, path)
        # An inbox entry is only its recipient's.
        event = hb.call("GET", "/api/inbox")[1][0]["id"]
        self.assertEqual(sl.call("POST", f"/api/inbox/{event}/done")[0], 404)
        self.assertEqual(hb.call("POST", f"/api/inbox/{event}/done")[0], 200)
        # Reading: units see only their tasks; leaders everything.
        self.assertEqual(fg.call("GET", f"/api/tasks/{tid}")[0], 403)
        self.assertEqual(len(fg.call("GET", "/api/tasks")[1]), 0)
        self.assertEqual(leader.call("GET", f"/api/tasks/{tid}")[0], 200)
        for path in ("/api/dashboard", "/api/assessment?year=2026", "/api/assessment.xlsx?year=2026", "/api/audit"):
            self.assertEqual(hb.call("GET", path)[0], 403, path)
            self.assertEqual(anonymous.call("GET", path)[0], 401, path)
        self.assertEqual(leader.call("GET", "/api/dashboard")[0], 200)
        self.assertEqual(leader.call("GET", "/api/audit")[0], 403)


class Workflow(SupervisionCase):
    def test_task_from_measure_to_completion(self):
        task = self.create_task()
        tid = task["id"]
        self.assertEqual({u["name"] for u in task["units"] if u["role"] == "lead"}, {"市生态环境局", "市交通运输局", "市住建委"})
        hb, sl = self.client("hb"), self.client("sl")
        status, inbox = hb.call("GET", "/api/inbox")
        self.assertEqual([e["kind"] for e in inbox], ["task.assigned"])
        # A responsible unit reports with an attachment; admin returns it; it reports again.
        status, report = sl.call("POST", f"/api/tasks/{tid}/reports", {"period": "2026-05", "text": "排查 12 个", "percent": 20})
        self.assertEqual(status, 201)
        self.assertEqual(sl.call("POST", f"/api/tasks/{tid}/reports", {"period": "2026-05", "text": "again", "percent": 20})[0], 400)
        pdf = b"%PDF-1.4\n" + b"x" * 100
        status, att = sl.call("POST", f"/api/reports/{report['id']}/attachments", pdf,
                              {"X-Filename": urllib.parse.quote("排查清单.pdf")})
        self.assertEqual((status, att["mime"], att["size"]), (201, "application/pdf", len(pdf)))
        self.assertEqual(hb.call("POST", f"/api/reports/{report['id']}/attachments", pdf, {"X-Filename": "a.pdf"})[0], 403)
        status, returned = self.admin.call("POST", f"/api/reports/{report['id']}/return", {"comment": "请附照片"})
        self.assertEqual((status, returned["state"]), (200, "returned"))
        self.assertEqual([e["kind"] for e in sl.call("GET", "/api/inbox")[1]][0], "report.returned")
        status, report2 = sl.call("POST", f"/api/tasks/{tid}/reports", {"period": "2026-05", "text": "排查 12 个，附照片", "percent": 25})
        self.assertEqual(status, 201)
        self.assertEqual(self.admin.call("POST", f"/api/reports/{report2['id']}/accept", {})[1]["state"], "accepted")
        # The attachment: its unit and leaders read it, other units do not.
        status, data = sl.call("GET", f"/api/attachments/{att['id']}")
        self.assertEqual((status, data), (200, pdf))
        self.assertEqual(self.client("fg").call("GET", f"/api/attachments/{att['id']}")[0], 403)
        self.assertEqual(self.client("leader").call("GET", f"/api/attachments/{att['id']}")[0], 200)
        # A notice, its reply; an extension granted moves the deadline.
        status, notice = self.admin.call("POST", f"/api/tasks/{tid}/notices", {"unit": "市环保局", "level": "guapai",
                                                                              "text": "挂牌督办", "deadline": "2026-07-10"})
        self.assertEqual(status, 201)
        self.assertEqual(self.admin.call("POST", f"/api/tasks/{tid}/notices", {"unit": "市林业局", "level": "duban",
                                                                               "text": "x", "deadline": "2026-07-10"})[0], 400)
        self.assertEqual(hb.call("POST", f"/api/notices/{notice['id']}/reply", {"text": "已整改"})[1]["state"], "replied")
        self.assertEqual(hb.call("POST", f"/api/notices/{notice['id']}/reply", {"text": "again"})[0], 409)
        _, ext = hb.call("POST", f"/api/tasks/{tid}/extensions", {"until": "2027-02-28", "reason": "汛期施工受限"})
        self.assertEqual(self.admin.call("POST", f"/api/extensions/{ext['id']}/decide", {"grant": True})[1]["state"], "granted")
        self.assertEqual(hb.call("GET", f"/api/tasks/{tid}")[1]["due_on"], "2027-02-28")
        # Only a lead unit proposes completion; admin sends it back, then confirms it with a rating.
        self.assertEqual(sl.call("POST", f"/api/tasks/{tid}/completion", {"evidence": "x"})[0], 403)
        _, c1 = hb.call("POST", f"/api/tasks/{tid}/completion", {"evidence": "全部整治完成"})
        self.assertEqual(hb.call("GET", f"/api/tasks/{tid}")[1]["state"], "proposed")
        self.assertEqual(self.admin.call("POST", f"/api/completions/{c1['id']}/decide", {"confirm": False})[0], 400)
        self.assertEqual(self.admin.call("POST", f"/api/completions/{c1['id']}/decide",
                                         {"confirm": False, "comment": "缺验收材料"})[1]["state"], "returned")
        self.assertEqual(hb.call("GET", f"/api/tasks/{tid}")[1]["state"], "open")
        _, c2 = hb.call("POST", f"/api/tasks/{tid}/completion", {"evidence": "附验收材料"})
        self.assertEqual(self.admin.call("POST", f"/api/completions/{c2['id']}/decide", {"confirm": True})[0], 400)
        status, c2 = self.admin.call("POST", f"/api/completions/{c2['id']}/decide", {"confirm": True, "rating": 4})
        self.assertEqual((status, c2["state"]), (200, "confirmed"))
        done = hb.call("GET", f"/api/tasks/{tid}")[1]
        self.assertEqual((done["state"], done["rating"], done["completed_on"], done["light"]["color"]),
                         ("done", 4, self.today, "done"))
        # Every change is in the audit log with who did it and the state before.
        con = sqlite3.connect(self.db)
        rows = con.execute("SELECT actor, action, before FROM audit_log WHERE entity IN ('task', 'report', 'notice', "
                           "'extension', 'completion', 'attachment') ORDER BY id").fetchall()
        con.close()
        actions = [r[1] for r in rows]
        for a in ("task.create", "report.submit", "attachment.add", "report.return", "notice.issue",
                  "notice.reply", "extension.grant", "task.extend", "completion.propose", "completion.return",
                  "completion.confirm", "task.done"):
            self.assertIn(a, actions)
        extend = next(r for r in rows if r[1] == "task.extend")
        self.assertEqual(json.loads(extend[2])["due_on"], "2026-12-31")
        self.assertEqual(next(r for r in rows if r[1] == "notice.reply")[0], "account:hb")

    def test_copy_forward_and_validation(self):
        task = self.create_task(start_on="2024-02-29", due_on="2024-12-31", year=2024,
                                milestones=[{"title": "a", "due_on": "2024-02-29"}])
        status, copy = self.admin.call("POST", f"/api/tasks/{task['id']}/copy", {"year": 2025})
        self.assertEqual(status, 201)
        self.assertEqual((copy["year"], copy["start_on"], copy["due_on"]), (2025, "2025-02-28", "2025-12-31"))
        self.assertEqual(copy["milestones"][0]["due_on"], "2025-02-28")
        self.assertEqual(copy["copied_from"], task["id"])
        self.assertEqual(len(copy["units"]), len(task["units"]))
        status, err = self.admin.call("POST", "/api/tasks", {"measure_id": self.m8, "year": 2026, "title": "x",
                                                             "start_on": "2026-02-30", "due_on": "2026-12-31"})
        self.assertEqual(status, 400)
        self.assertIn("start_on '2026-02-30'", err["detail"])
        status, err = self.admin.call("POST", "/api/tasks", {"measure_id": self.m8, "year": 2026, "title": "x",
                                                             "start_on": "2026-01-01", "due_on": "2026-12-31",
                                                             "units": [{"unit": "市发改委", "role": "support"}]})
        self.assertEqual(status, 400)
        self.assertIn("lead unit", err["detail"])
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM task").fetchone()[0], 2)   # refused ones left nothing
        con.close()

    def test_attachment_checks(self):
        task = self.create_task()
        sl = self.client("sl")
        _, report = sl.call("POST", f"/api/tasks/{task['id']}/reports", {"period": "2026-05", "text": "t", "percent": 5})
        path = f"/api/reports/{report['id']}/attachments"
        status, err = sl.call("POST", path, b"MZ\x90\x00 not allowed", {"X-Filename": "virus.pdf"})
        self.assertEqual(status, 415)
        self.assertEqual(sl.call("POST", path, b"%PDF-1.4", {"X-Filename": "..%2Fescape.pdf"})[0], 415)
        self.assertEqual(sl.call("POST", path, b"%PDF-1.4" + b"x" * (10 << 20), {"X-Filename": "big.pdf"})[0], 413)
        self.assertEqual(sl.call("POST", path, "纯文本说明".encode(), {"X-Filename": urllib.parse.quote("说明.txt")})[0], 201)


class LightsOnDates(TempDbCase):
    """The same task seen on different days: the light is derived, never stored."""

    def test_green_yellow_red(self):
        self.init_with_seed()
        con = sqlite3.connect(self.db)
        m8 = con.execute("SELECT id FROM measure WHERE ordinal = 8").fetchone()[0]
        con.close()
        token = {"Authorization": "Bearer " + open(self.db + ".admin-token").read().strip()}
        os.environ["QINGSHUI_TODAY"] = "2026-01-02"
        s = Server(self.db)
        status, task = s.json("POST", "/api/tasks", {"measure_id": m8, "year": 2026, "title": "t", "start_on": "2026-01-01",
                                                     "due_on": "2026-12-31", "milestones": [{"title": "m", "due_on": "2026-03-31"}]}, token)
        self.assertEqual(s.json("GET", f"/api/tasks/{task['id']}", None, token)[1]["light"]["color"], "green")
        self.assertEqual(s.stop(), 0)
        expectations = {
            "2026-03-29": ("yellow", "MILESTONE_DUE_SOON_BEHIND"),   # due in 2 days, 0% done
            "2026-04-01": ("red", "MILESTONE_OVERDUE"),
            "2027-01-01": ("red", "TASK_OVERDUE"),
        }
        for day, (color, code) in expectations.items():
            os.environ["QINGSHUI_TODAY"] = day
            s = Server(self.db)
            light = s.json("GET", f"/api/tasks/{task['id']}", None, token)[1]["light"]
            self.assertEqual(light["color"], color, day)
            self.assertIn(code, [r["code"] for r in light["reasons"]], day)
            self.assertEqual(s.stop(), 0)
        os.environ.pop("QINGSHUI_TODAY")


class Overview(SupervisionCase):
    def test_dashboard_assessment_and_excel(self):
        task = self.create_task()
        self.create_task(title="雨污分流", milestones=[])
        hb = self.client("hb")
        _, c = hb.call("POST", f"/api/tasks/{task['id']}/completion", {"evidence": "done"})
        self.admin.call("POST", f"/api/completions/{c['id']}/decide", {"confirm": True, "rating": 5})
        self.admin.call("POST", f"/api/tasks/{task['id']}/notices", {"unit": "市住建委", "level": "duban", "text": "t",
                                                                     "deadline": "2026-07-01"})
        leader = self.client("leader")
        status, d = leader.call("GET", "/api/dashboard?year=2026")
        self.assertEqual(status, 200)
        self.assertEqual(sum(d["totals"].values()), 2)
        self.assertEqual(d["totals"].get("done"), 1)
        self.assertEqual(d["open_notices"], 1)
        status, a = leader.call("GET", "/api/assessment?year=2026")
        self.assertEqual(status, 200)
        by_unit = {u["unit"]: u for u in a["units"]}
        hbu, zju = by_unit["市生态环境局"], by_unit["市住建委"]
        self.assertEqual(hbu["facts"]["tasks_total"], 2)
        self.assertEqual(hbu["facts"]["tasks_completed"], 1)
        self.assertEqual(zju["facts"]["notices"], [0, 1, 0])
        self.assertGreater(hbu["score"], zju["score"])     # same tasks, but a 督办 received
        self.assertEqual(hbu["rank"], 1)
        # a unit with tasks it does not lead has nothing to assess: 不参评, no rank, no score (never rank 0)
        support_only = [u for u in a["units"] if u["facts"]["tasks_total"] == 0]
        self.assertTrue(support_only)
        for u in support_only:
            self.assertEqual((u["assessed"], u["rank"], u["score"], u["grade"]), (False, None, None, None), u["unit"])
        self.assertTrue(all(u["rank"] >= 1 for u in a["units"] if u["assessed"]))
        self.assertTrue(any(line.startswith("completion: 50 × 1 / 2") for line in hbu["breakdown"]), hbu["breakdown"])
        self.assertEqual(leader.call("GET", "/api/assessment?year=x")[0], 400)
        status, data = leader.call("GET", "/api/assessment.xlsx?year=2026")
        self.assertEqual(status, 200)
        book = zipfile.ZipFile(io.BytesIO(data))
        strings = book.read("xl/sharedStrings.xml").decode()
        self.assertIn("市生态环境局", strings)
        self.assertIn("2026 年度目标责任考核", strings)
        self.assertIn("不参评（无牵头任务）", strings)
        self.assertIn("fitToPage", book.read("xl/worksheets/sheet1.xml").decode())


class Webhook(TempDbCase):
    def test_events_are_posted(self):
        self.init_with_seed()
        received = []

        class Hook(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        hook = http.server.HTTPServer(("127.0.0.1", 0), Hook)
        threading.Thread(target=hook.serve_forever, daemon=True).start()
        s = Server(self.db, "--webhook", f"http://127.0.0.1:{hook.server_port}/events")
        token = {"Authorization": "Bearer " + open(self.db + ".admin-token").read().strip()}
        con = sqlite3.connect(self.db)
        m8 = con.execute("SELECT id FROM measure WHERE ordinal = 8").fetchone()[0]
        con.close()
        status, task = s.json("POST", "/api/tasks", {"measure_id": m8, "year": 2026, "title": "t",
                                                     "start_on": "2026-01-01", "due_on": "2026-12-31"}, token)
        # Delivery is at least once: a retry after a slow answer may repeat an event.
        deadline = time.time() + 30
        while len({e["id"] for e in received}) < len(task["units"]) and time.time() < deadline:
            time.sleep(0.1)
        self.assertEqual(s.stop(), 0)
        hook.shutdown()
        self.assertEqual(len({e["id"] for e in received}), len(task["units"]))
        self.assertEqual({e["kind"] for e in received}, {"task.assigned"})
        self.assertIn("市生态环境局", {e["unit_name"] for e in received})
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM webhook_delivery WHERE delivered_at IS NOT NULL").fetchone()[0],
                         len(task["units"]))
        con.close()


if __name__ == "__main__":
    main()
