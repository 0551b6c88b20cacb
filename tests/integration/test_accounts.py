"""Integration tests of accounts and secrets (issue 19) and the account
items of issue 12, against the real binary: sessions ended by a password
change, one answer for every failed log-in, the lock-out by account and
address, the administrator's reset and unlock, the Secure cookie behind a
trusted proxy, the database file's mode, stations' passwords kept as
salted hashes, attachment names that follow the detected type, and
malformed parameters refused with their name.

Clients on other addresses connect from 127.0.0.2, 127.0.0.3, ... (the
whole of 127/8 is loopback on Linux)."""
import http.client
import json
import os
import socket
import sqlite3
import stat
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Server, TempDbCase, main, run  # noqa: E402
from test_hj212 import Receiver, read_replies, upload  # noqa: E402

os.environ["QINGSHUI_PWHASH"] = "min"          # hashing cost for tests only
PASSWORD = "correct-horse-1"
LIMIT_VARS = ("QINGSHUI_LOGIN_FAILURES_PER_ADDRESS", "QINGSHUI_LOGIN_FAILURES_PER_ACCOUNT",
              "QINGSHUI_LOGIN_LOCK_SECONDS")


class Client:
    """A browser from one address: its session cookie and CSRF token."""

    def __init__(self, server, address="127.0.0.1", headers=None):
        self.server, self.address = server, address
        self.headers = dict(headers or {})
        self.cookie, self.csrf, self.set_cookie = None, "", None

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30,
                                          source_address=(self.address, 0))
        h = {**self.headers, **(headers or {})}
        if self.cookie:
            h["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        headers = {k.lower(): v for k, v in r.getheaders()}
        conn.close()
        return r.status, headers, data

    def login(self, login, password=PASSWORD):
        """(status, raw body); keeps the cookie on success."""
        status, headers, body = self.request("POST", "/api/login", {"login": login, "password": password})
        self.set_cookie = headers.get("set-cookie")
        if status == 200:
            self.cookie = self.set_cookie.split(";")[0]
            self.csrf = json.loads(body)["csrf"]
        return status, body

    def call(self, method, path, body=None, headers=None):
        status, _, data = self.request(method, path, body, headers)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data


class AccountsCase(TempDbCase):
    """The seed plan, a unit account hb and a leader; a server started by the test."""

    def setUp(self):
        super().setUp()
        for name in LIMIT_VARS:
            os.environ.pop(name, None)
        self.init_with_seed()
        for login, role, unit in (("hb", "unit", "市环保局"), ("leader", "leader", None)):
            args = ["user", "add", login, "--role", role] + (["--unit", unit] if unit else [])
            self.assertEqual(run(*args, db=self.db, input=PASSWORD + "\n").returncode, 0)
        self.admin_password = open(self.db + ".admin-password").read().strip()
        self.server = None

    def start(self, *extra, **env):
        os.environ.update(env)
        self.server = Server(self.db, *extra)
        for name in env:
            os.environ.pop(name)
        return self.server

    def tearDown(self):
        if self.server:
            self.assertEqual(self.server.stop(), 0)
        super().tearDown()

    def signed_in(self, login, password=PASSWORD, address="127.0.0.1"):
        c = Client(self.server, address)
        status, body = c.login(login, password)
        self.assertEqual(status, 200, body)
        return c


class Sessions(AccountsCase):
    def test_password_change_ends_the_other_sessions_only(self):
        self.start()
        here, there = self.signed_in("hb"), self.signed_in("hb", address="127.0.0.2")
        self.assertEqual(there.call("GET", "/api/tasks")[0], 200)
        status, body = here.call("POST", "/api/password", {"old_password": PASSWORD, "new_password": "new-password-9"})
        self.assertEqual(status, 200, body)
        self.assertEqual(here.call("GET", "/api/tasks")[0], 200)       # this one stays
        self.assertEqual(there.call("GET", "/api/tasks")[0], 401)      # the other one ended
        self.assertEqual(Client(self.server).login("hb", "new-password-9")[0], 200)

    def test_admin_resets_a_password_and_every_session_ends(self):
        self.start()
        admin, hb = self.signed_in("admin", self.admin_password), self.signed_in("hb")
        self.assertEqual(hb.call("POST", "/api/accounts/hb/password", {"password": "reset-pass-77"})[0], 403)
        status, body = admin.call("POST", "/api/accounts/hb/password", {"password": "reset-pass-77"})
        self.assertEqual((status, body), (200, {"login": "hb", "changed": True}))
        self.assertEqual(hb.call("GET", "/api/tasks")[0], 401)
        self.assertEqual(Client(self.server).login("hb")[0], 401)
        self.assertEqual(Client(self.server).login("hb", "reset-pass-77")[0], 200)
        self.assertEqual(admin.call("POST", "/api/accounts/hb/password", {"password": "short"})[0], 400)
        self.assertEqual(admin.call("POST", "/api/accounts/nobody/password", {"password": "long-enough-1"})[0], 404)
        audit = admin.call("GET", "/api/audit?limit=20")[1]
        reset = [a for a in audit if a["action"] == "account.password"]
        self.assertEqual([(a["actor"], a["after"]["login"]) for a in reset], [("account:admin", "hb")])
        self.assertNotIn("reset-pass-77", json.dumps(audit))


class FailedLogins(AccountsCase):
    def test_every_failure_gets_the_same_answer_until_the_right_password(self):
        run("user", "add", "gone", "--role", "leader", db=self.db, input=PASSWORD + "\n", check=True)
        run("user", "disable", "gone", db=self.db, check=True)
        self.start()
        stranger = Client(self.server, "127.0.0.5")
        for _ in range(5):
            stranger.login("leader", "wrong-password")
        answers = {name: stranger.login(login, "wrong-password")
                   for name, login in (("wrong", "hb"), ("unknown", "nobody"), ("disabled", "gone"),
                                       ("locked", "leader"))}
        self.assertEqual(set(answers.values()),
                         {(401, b'{"error":"bad_credentials","detail":"wrong login or password"}')}, answers)
        # the right password says what holds
        self.assertEqual(json.loads(stranger.login("gone")[1])["error"], "disabled")
        status, body = stranger.login("leader")
        self.assertEqual((status, json.loads(body)["error"]), (423, "locked"))

    def test_an_unknown_login_takes_as_long_as_a_wrong_password(self):
        os.environ["QINGSHUI_PWHASH"] = "interactive"   # the real cost, so that the time shows
        try:
            run("user", "passwd", "hb", db=self.db, input=PASSWORD + "\n", check=True)
            self.start()
        finally:
            os.environ["QINGSHUI_PWHASH"] = "min"

        def median_seconds(login, address):
            c, times = Client(self.server, address), []
            for _ in range(4):
                started = time.monotonic()
                self.assertEqual(c.login(login, "wrong-password")[0], 401)
                times.append(time.monotonic() - started)
            return statistics.median(times)
        wrong, unknown = median_seconds("hb", "127.0.0.6"), median_seconds("nobody", "127.0.0.7")
        self.assertGreater(unknown, 0.5 * wrong, (unknown, wrong))
        self.assertGreater(wrong, 0.02)    # an argon2 verification happened at all

    def test_a_stranger_cannot_lock_the_office_out(self):
        self.start()
        stranger = Client(self.server, "127.0.0.9")
        for _ in range(5):
            self.assertEqual(stranger.login("admin", "guess")[0], 401)
        self.assertEqual(stranger.login("admin", self.admin_password)[0], 423)   # locked for that address
        for _ in range(5):
            self.assertEqual(stranger.login("admin", "guess")[0], 401)
        # twice the limit: even the right password is no longer checked from there
        self.assertEqual(stranger.login("admin", self.admin_password)[0], 401)
        self.signed_in("admin", self.admin_password, address="127.0.0.2")        # not for the office

    def test_the_account_wide_limit_and_the_window(self):
        self.start(QINGSHUI_LOGIN_FAILURES_PER_ADDRESS="3", QINGSHUI_LOGIN_FAILURES_PER_ACCOUNT="4",
                   QINGSHUI_LOGIN_LOCK_SECONDS="2")
        for address in ("127.0.0.3", "127.0.0.4"):
            for _ in range(2):
                self.assertEqual(Client(self.server, address).login("hb", "guess")[0], 401)
        # four failures from two addresses: locked for a third
        self.assertEqual(Client(self.server, "127.0.0.5").login("hb")[0], 423)
        time.sleep(2.5)
        self.signed_in("hb", address="127.0.0.5")

    def test_admin_unlocks_an_account(self):
        self.start()
        locked = Client(self.server, "127.0.0.8")
        for _ in range(5):
            locked.login("hb", "guess")
        self.assertEqual(locked.login("hb")[0], 423)
        admin = self.signed_in("admin", self.admin_password)
        row = next(a for a in admin.call("GET", "/api/accounts")[1] if a["login"] == "hb")
        self.assertEqual(row["failed_logins"], 5)
        self.assertEqual(self.signed_in("leader").call("POST", "/api/accounts/hb/unlock")[0], 403)
        self.assertEqual(admin.call("POST", "/api/accounts/hb/unlock"), (200, {"login": "hb", "unlocked": True}))
        self.assertEqual(admin.call("POST", "/api/accounts/nobody/unlock")[0], 404)
        self.assertEqual(locked.login("hb")[0], 200)
        unlock = next(a for a in admin.call("GET", "/api/audit?limit=20")[1] if a["action"] == "account.unlock")
        self.assertEqual((unlock["actor"], unlock["before"]["failed_logins"], unlock["after"]["failed_logins"]),
                         ("account:admin", 5, 0))


class Proxy(AccountsCase):
    def test_secure_cookie_only_over_https_through_the_trusted_proxy(self):
        self.start("--trusted-proxy", "127.0.0.2")
        https = {"X-Forwarded-Proto": "https"}
        proxied = Client(self.server, "127.0.0.2", https)
        proxied.login("hb")
        self.assertIn("; Secure", proxied.set_cookie)
        self.assertIn("HttpOnly", proxied.set_cookie)
        _, headers, _ = proxied.request("POST", "/api/logout")
        self.assertIn("; Secure", headers["set-cookie"])
        for client in (Client(self.server, "127.0.0.3", https), Client(self.server, "127.0.0.2")):
            client.login("hb")
            self.assertNotIn("Secure", client.set_cookie)

    def test_lock_out_counts_the_forwarded_address(self):
        self.start("--trusted-proxy", "127.0.0.2")
        stranger = Client(self.server, "127.0.0.2", {"X-Forwarded-For": "198.51.100.7"})
        for _ in range(6):
            stranger.login("admin", "guess")
        self.assertEqual(stranger.login("admin", self.admin_password)[0], 423)
        office = Client(self.server, "127.0.0.2", {"X-Forwarded-For": "spoofed, 203.0.113.5"})
        self.assertEqual(office.login("admin", self.admin_password)[0], 200)
        # an address that is not the proxy cannot choose its own
        spoofer = Client(self.server, "127.0.0.4", {"X-Forwarded-For": "203.0.113.5"})
        for _ in range(5):
            spoofer.login("hb", "guess")
        self.assertEqual(office.login("hb")[0], 200)

    def test_a_trusted_proxy_must_be_an_address(self):
        r = run("serve", "--trusted-proxy", "proxy.example", "--listen", "127.0.0.1:0", db=self.db)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--trusted-proxy 'proxy.example' is not an IPv4 or IPv6 address", r.stderr)


class DatabaseFile(TempDbCase):
    def mode(self, path):
        return stat.S_IMODE(os.stat(path).st_mode)

    def test_database_wal_and_shm_are_private(self):
        os.umask(0o022)
        run("init", db=self.db, check=True)
        server = Server(self.db)
        try:
            c = Client(server)
            self.assertEqual(c.login("admin", open(self.db + ".admin-password").read().strip())[0], 200)
            for suffix in ("", "-wal", "-shm"):
                self.assertEqual(self.mode(self.db + suffix), 0o600, suffix)
        finally:
            self.assertEqual(server.stop(), 0)

    def test_init_tightens_an_existing_file(self):
        run("init", db=self.db, check=True)
        os.chmod(self.db, 0o644)
        run("init", db=self.db, check=True)
        self.assertEqual(self.mode(self.db), 0o600)


class StationPasswords(TempDbCase):
    def add(self, mn, pw):
        r = run("station", "add", "--mn", mn, "--password", pw, "--st", "21", "--name", "断面", db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_stored_as_salted_hashes_and_never_shown(self):
        run("init", db=self.db, check=True)
        self.add("HASH_0001", "same-secret-1")
        self.add("HASH_0002", "same-secret-1")
        hashes = [h for (h,) in self.rows("SELECT password_hash FROM hj212_station ORDER BY id")]
        self.assertRegex(hashes[0], r"^b2:[0-9a-f]{32}:[0-9a-f]{64}$")
        self.assertNotEqual(hashes[0], hashes[1])                  # a salt of each station's own
        with open(self.db, "rb") as f:
            self.assertNotIn(b"same-secret-1", f.read())
        listing = run("station", "list", db=self.db, check=True).stdout
        self.assertNotIn("same-secret-1", listing)
        self.assertNotIn(hashes[0], listing)
        server = Server(self.db)
        try:
            c = Client(server)
            c.login("admin", open(self.db + ".admin-password").read().strip())
            status, body = c.request("GET", "/api/stations")[::2]
            self.assertEqual(status, 200)
            self.assertNotIn(b"password", body)
            self.assertNotIn(b"b2:", body)
            sid = json.loads(body)["stations"][0]["id"]
            self.assertNotIn(b"b2:", c.request("GET", f"/api/stations/{sid}")[2])
        finally:
            self.assertEqual(server.stop(), 0)

    def test_checked_once_per_connection(self):
        run("init", db=self.db, check=True)
        self.add("A110000_0001", "123456")
        rx = Receiver(self.db)
        try:
            s = rx.connect()
            s.sendall(b"".join(upload(f"2024012312{m:02d}00000", m) for m in range(3)))
            self.assertEqual(len(read_replies(s, 3)), 3)              # all three acknowledged
            s.sendall(upload("20240123120400000", 4, pw="654321"))   # a wrong one is still refused
            time.sleep(0.5)
            m = rx.metrics()
            self.assertIn("qingshui_hj212_password_checks_total 2\n", m)
            self.assertIn('qingshui_hj212_refused_total{reason="wrong_password"} 1', m)
            s.close()
        finally:
            self.assertEqual(rx.stop(), 0)

    def test_migration_hashes_the_passwords_in_clear(self):
        con = sqlite3.connect(self.db)
        folder = os.path.join(ROOT, "src", "db", "migrations")
        for name in sorted(os.listdir(folder)):
            if name < "0011":
                con.executescript(open(os.path.join(folder, name), encoding="utf-8").read())
        con.execute("PRAGMA user_version=10")
        con.execute("INSERT INTO hj212_station (mn, password, st, name, kind) "
                    "VALUES ('A110000_0001', '123456', '21', 's', 'water_section')")
        con.commit()
        con.close()
        r = run("station", "list", db=self.db, check=True)
        self.assertIn("schema version 11 (0011_secrets.sql)", r.stderr)
        (stored,), = self.rows("SELECT password_hash FROM hj212_station")
        self.assertRegex(stored, r"^b2:[0-9a-f]{32}:[0-9a-f]{64}$")
        rx = Receiver(self.db)
        try:
            s = rx.connect()
            s.sendall(upload("20240123120000000", 0))
            self.assertEqual(len(read_replies(s, 1)), 1)            # the same password still opens
            s.close()
        finally:
            self.assertEqual(rx.stop(), 0)


class Supervision(AccountsCase):
    """Attachments and the parameters of the supervision API."""

    def setUp(self):
        super().setUp()
        os.environ["QINGSHUI_TODAY"] = "2026-06-15"
        self.start()
        os.environ.pop("QINGSHUI_TODAY")
        self.admin = self.signed_in("admin", self.admin_password)
        (self.m8,), = self.rows("SELECT id FROM measure WHERE ordinal = 8")

    def task(self):
        status, task = self.admin.call("POST", "/api/tasks", {
            "measure_id": self.m8, "year": 2026, "title": "排污口整治", "start_on": "2026-01-01",
            "due_on": "2026-12-31"})
        self.assertEqual(status, 201, task)
        return task

    def test_attachment_name_follows_the_detected_type(self):
        task = self.task()
        run("user", "add", "sl", "--role", "unit", "--unit", "市水利水电局", db=self.db,
            input=PASSWORD + "\n", check=True)
        sl = self.signed_in("sl")
        _, report = sl.call("POST", f"/api/tasks/{task['id']}/reports", {"period": "2026-05", "text": "t", "percent": 5})
        path = f"/api/reports/{report['id']}/attachments"
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
        names = {}
        for sent in ("evil.html", "photo", "scan.PNG", "a.b.exe"):
            status, att = sl.call("POST", path, png, {"X-Filename": sent})
            self.assertEqual(status, 201, att)
            names[sent] = att["name"]
        self.assertEqual(names, {"evil.html": "evil.png", "photo": "photo.png", "scan.PNG": "scan.PNG",
                                 "a.b.exe": "a.b.png"})
        status, jpeg = sl.call("POST", path, b"\xff\xd8\xff\xe0rest", {"X-Filename": "x.jpeg"})
        self.assertEqual(jpeg["name"], "x.jpeg")
        status, headers, _ = sl.request("GET", f"/api/attachments/{att['id']}")
        self.assertEqual(status, 200)
        self.assertIn("a.b.png", headers["content-disposition"])

    def test_malformed_parameters_are_refused_by_name(self):
        task = self.task()
        cases = [
            ("GET", "/api/tasks?year=abc", None, "year='abc'"),
            ("GET", "/api/tasks?year=2026x", None, "year='2026x'"),
            ("GET", "/api/tasks?measure=-1", None, "measure='-1'"),
            ("GET", "/api/tasks?unit=没有这个单位", None, "unit="),
            ("GET", "/api/tasks?light=purple", None, "light='purple'"),
            ("GET", "/api/dashboard?year=abc", None, "year='abc'"),
            ("GET", "/api/assessment?year=20x6", None, "year='20x6'"),
            ("GET", "/api/assessment.xlsx?year=", None, "year=''"),
            ("GET", "/api/audit?limit=abc", None, "limit='abc'"),
            ("GET", "/api/audit?before=abc", None, "before='abc'"),
            ("GET", "/api/inbox?all=yes", None, "all='yes'"),
            ("POST", "/api/tasks", {"measure_id": self.m8, "year": 2026, "title": "x", "start_on": "2026-01-01",
                                    "due_on": "2026-12-31", "milestones": "x"}, "milestones"),
            ("POST", "/api/tasks", {"measure_id": self.m8, "year": 2026, "title": "x", "start_on": "2026-01-01",
                                    "due_on": "2026-12-31", "units": {"unit": "市环保局"}}, "units"),
            ("POST", "/api/tasks", {"measure_id": self.m8, "year": 99999, "title": "x", "start_on": "2026-01-01",
                                    "due_on": "2026-12-31"}, "year"),
            ("POST", "/api/tasks", {"measure_id": self.m8, "year": "2026", "title": "x", "start_on": "2026-01-01",
                                    "due_on": "2026-12-31"}, "year"),
            ("POST", f"/api/tasks/{task['id']}/copy", {"year": "2027"}, "year"),
            ("POST", f"/api/tasks/{task['id']}/notices", {"unit": "市水利水电局", "level": "cuiban", "text": "t",
                                                         "deadline": 20260701}, "field 'deadline' must be a string"),
            ("POST", "/api/tasks", {"measure_id": self.m8, "year": 2026, "start_on": "2026-01-01"},
             "field 'title' is required"),
        ]
        before = self.rows("SELECT count(*) FROM task")
        for method, path, body, named in cases:
            path = path.replace("没有这个单位", "%E6%B2%A1%E6%9C%89")
            status, err = self.admin.call(method, path, body)
            self.assertEqual(status, 400, (path, body, err))
            self.assertIn(named, err["detail"], (path, err))
        self.assertEqual(self.rows("SELECT count(*) FROM task"), before)   # nothing was made
        hb = self.signed_in("hb")
        status, err = hb.call("POST", f"/api/tasks/{task['id']}/reports", {"period": "2026-05", "text": "t", "percent": "x"})
        self.assertEqual(status, 400)
        self.assertIn("percent", err["detail"])
        # well-formed ones still work
        self.assertEqual(len(self.admin.call("GET", "/api/tasks?year=2026&unit=市环保局".replace(
            "市环保局", "%E5%B8%82%E7%8E%AF%E4%BF%9D%E5%B1%80"))[1]), 1)
        self.assertEqual(self.admin.call("GET", "/api/tasks?year=2025")[1], [])
        self.assertEqual(self.admin.call("GET", "/api/inbox?all=1")[0], 200)


if __name__ == "__main__":
    main()
