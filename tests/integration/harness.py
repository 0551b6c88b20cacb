"""Shared harness of the integration tests: the real qingshui binary, a real
SQLite file in a temporary folder, a real server on a free loopback port.

Every test module runs with `python3 tests/integration/test_x.py BUILD_DIR`
from the source root and ends with the line `integration: N passed, N failed`
that tests/run.sh adds up.

The date: QINGSHUI_TEST_NOW (ISO 8601 with its zone, e.g.
2028-02-29T23:30:00+08:00; tests/dates.sh sets it) becomes the servers'
and commands' QINGSHUI_TODAY, its China date; a test that needs a date of
its own sets QINGSHUI_TODAY and puts TODAY back with restore_today().
"""
import datetime
import atexit
import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build-test"))
BINARY = os.path.join(BUILD, "qingshui")
SEED = os.path.join(ROOT, "data", "plans", "shiyan-plan-2018-8.txt")
CHINA = datetime.timezone(datetime.timedelta(hours=8))   # Asia/Shanghai, no DST since 1991


def china_time(utc, seconds=False):
    """An API time (ISO 8601 UTC with Z) as people must see it: China time,
    'YYYY-MM-DD HH:MM' or with ':SS'."""
    if not utc.endswith("Z"):
        raise ValueError(f"not a UTC time: {utc}")
    t = datetime.datetime.fromisoformat(utc[:-1] + "+00:00").astimezone(CHINA)
    return t.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def _today():
    now = os.environ.get("QINGSHUI_TEST_NOW")
    at = datetime.datetime.fromisoformat(now) if now else datetime.datetime.now(datetime.timezone.utc)
    if at.tzinfo is None:
        raise ValueError(f"QINGSHUI_TEST_NOW={now} has no zone")
    return at.astimezone(CHINA).date().isoformat()


TODAY = _today()
if os.environ.get("QINGSHUI_TEST_NOW"):
    os.environ["QINGSHUI_TODAY"] = TODAY


def restore_today():
    """Put back the date the harness set after a test fixed its own."""
    if os.environ.get("QINGSHUI_TEST_NOW"):
        os.environ["QINGSHUI_TODAY"] = TODAY
    else:
        os.environ.pop("QINGSHUI_TODAY", None)
# The store the tests marked "# stores: sqlite pg" run on: QINGSHUI_TEST_STORE=pg
# gives them PostgreSQL databases on the server of QINGSHUI_TEST_PG (a URI
# that tests/run.sh exports), or on one this process starts (tests/pg.sh).
STORE = os.environ.get("QINGSHUI_TEST_STORE", "sqlite")
_pg = {"uri": os.environ.get("QINGSHUI_TEST_PG"), "databases": 0}


def pg_server():
    """The URI of the test PostgreSQL server's maintenance database."""
    if not _pg["uri"]:
        folder = tempfile.mkdtemp(prefix="qingshui-pg-")
        _pg["uri"] = subprocess.run([os.path.join(ROOT, "tests", "pg.sh"), "start", folder],
                                    capture_output=True, text=True, check=True).stdout.strip()
        atexit.register(subprocess.run, [os.path.join(ROOT, "tests", "pg.sh"), "stop", folder])
    return _pg["uri"]


def pg_database():
    """A new empty database on the test server; its URI."""
    _pg["databases"] += 1
    name = f"t{os.getpid()}_{_pg['databases']}"
    psql(pg_server(), f"CREATE DATABASE {name}")
    return pg_server().replace("/postgres?", f"/{name}?")


def psql(uri, sql):
    """The rows of SQL on the PostgreSQL database URI, as tuples of strings (None for NULL)."""
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-P", "null=\x1e",
                          "-v", "ON_ERROR_STOP=1", "-c", sql, uri],
                         capture_output=True, text=True, check=True).stdout
    return [tuple(None if v == "\x1e" else v for v in line.split("\x1f"))
            for line in out.split("\n") if line]


def run(*args, db=None, input=None, check=False):
    """Run the binary with ARGS (and --db DB after the subcommand words);
    returns the CompletedProcess with text stdout/stderr."""
    argv = [BINARY, *args]
    if db:
        argv += ["--db", db]
    return subprocess.run(argv, input=input, capture_output=True, text=True,
                          timeout=120, check=check, cwd=ROOT)


class Server:
    """`qingshui serve` on 127.0.0.1 with a port the kernel picks."""

    def __init__(self, db, *extra):
        self.proc = subprocess.Popen([BINARY, "serve", "--db", db, "--listen", "127.0.0.1:0", "--hj212", "off", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.proc.stderr.read()}")
        self.port = int(line.split("http://127.0.0.1:")[1].split()[0])

    def request(self, method, path, body=None, headers=None):
        """Returns (status, headers dict, body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def json(self, method, path, body=None, headers=None):
        status, _, data = self.request(method, path, body, headers)
        return status, json.loads(data)

    def stop(self):
        """SIGTERM, then the exit code (a clean shutdown is 0)."""
        self.proc.terminate()
        try:
            code = self.proc.wait(timeout=20)
        finally:
            self.proc.stdout.close()
            self.proc.stderr.close()
        return code


class TempDbCase(unittest.TestCase):
    """A test case with a fresh database file in its own folder."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="qingshui-test-")
        self.db = os.path.join(self.dir, "q.db")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def rows(self, sql, *args):
        """The rows of SQL on the test's database (read while a server may be writing)."""
        con = sqlite3.connect(self.db, timeout=10)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def init_with_seed(self):
        run("init", db=self.db, check=True)
        run("plan", "import", SEED, db=self.db, check=True)


class StoreCase(TempDbCase):
    """A fresh database on the store under test (STORE), for the tests marked
    "# stores: sqlite pg": a SQLite file made by init, or an empty PostgreSQL
    database whose schema the first command makes. self.target is what --db takes."""

    def setUp(self):
        super().setUp()
        if STORE == "pg":
            self.target = pg_database()
            run("units", "alias", "list", db=self.target, check=True)
        else:
            run("init", db=self.db, check=True)
            self.target = self.db

    def query(self, sql):
        """Rows of SQL on the store under test, every value as text (None for NULL)."""
        if STORE == "pg":
            return psql(self.target, sql)
        con = sqlite3.connect(self.db)
        try:
            return [tuple(None if v is None else str(v) for v in row) for row in con.execute(sql)]
        finally:
            con.close()


def main():
    """Run the calling module's tests and print the closing count line."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules["__main__"])
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"integration: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
