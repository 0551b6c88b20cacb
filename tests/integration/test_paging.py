"""Paging of the lists that grow: GET /api/tasks and /api/water/alarms with
limit and offset give that slice of the same list and its length in
X-Total-Count; without limit the reply is the whole list as before, with no
such header; a malformed limit or offset is a 400 naming it. Also: the task
list as an Excel workbook (/api/tasks.xlsx) with the list's filters.
"""
import io
import json
import os
import shutil
import tempfile
import unittest
import zipfile

from harness import Server, main
from test_demo import Client, build_demo

os.environ["QINGSHUI_PWHASH"] = "min"          # hashing cost for tests only


class Paging(unittest.TestCase):
    """On the demo of 2026-07-15, signed in as the leader."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="qingshui-paging-")
        db = os.path.join(cls.folder, "q.db")
        build_demo(db, "2026-07-15")
        os.environ["QINGSHUI_TODAY"] = "2026-07-15"
        cls.server = Server(db)
        cls.leader = Client(cls.server, "leader", open(f"{db}.leader-password").read().strip())

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        os.environ.pop("QINGSHUI_TODAY", None)
        shutil.rmtree(cls.folder, ignore_errors=True)

    def get(self, path):
        return self.server.request("GET", path, headers={"Cookie": self.leader.cookie})

    def check_pages(self, path):
        status, headers, body = self.get(path)
        self.assertEqual(status, 200, body)
        whole = json.loads(body)
        self.assertNotIn("x-total-count", headers)
        self.assertGreater(len(whole), 3, path)
        sep = "&" if "?" in path else "?"
        pages = []
        for offset in range(0, len(whole), 3):
            status, headers, body = self.get(f"{path}{sep}limit=3&offset={offset}")
            self.assertEqual(status, 200, body)
            self.assertEqual(headers["x-total-count"], str(len(whole)))
            page = json.loads(body)
            self.assertLessEqual(len(page), 3)
            pages += page
        self.assertEqual([r["id"] for r in pages], [r["id"] for r in whole])
        status, headers, body = self.get(f"{path}{sep}limit=3&offset={len(whole) + 5}")
        self.assertEqual((status, json.loads(body), headers["x-total-count"]), (200, [], str(len(whole))))

    def test_tasks_page_by_limit_and_offset(self):
        self.check_pages("/api/tasks?year=2026")

    def test_tasks_page_within_a_filter(self):
        self.check_pages("/api/tasks?year=2026&light=green")

    def test_alarms_page_by_limit_and_offset(self):
        self.check_pages("/api/water/alarms")

    def test_a_malformed_parameter_is_named(self):
        for query, name in (("limit=0", "limit"), ("limit=x", "limit"), ("limit=1001", "limit"),
                            ("limit=5&offset=-1", "offset"), ("limit=5&offset=1e3", "offset")):
            for path in ("/api/tasks", "/api/water/alarms"):
                status, _, body = self.get(f"{path}?{query}")
                self.assertEqual(status, 400, (path, query))
                self.assertIn(f"{name}=", json.loads(body)["detail"], (path, query))

    def test_tasks_xlsx_has_the_filtered_rows(self):
        status, _, body = self.get("/api/tasks?year=2026&light=red")
        reds = json.loads(body)
        self.assertGreater(len(reds), 0)
        status, headers, book = self.get("/api/tasks.xlsx?year=2026&light=red&lang=zh")
        self.assertEqual(status, 200, book[:200])
        self.assertIn("spreadsheetml", headers["content-type"])
        sheet = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml").decode()
        strings = zipfile.ZipFile(io.BytesIO(book)).read("xl/sharedStrings.xml").decode()
        text = sheet + strings
        for task in reds:
            self.assertIn(task["title"][:10], text)
        status, _, body = self.get("/api/tasks.xlsx?light=blue")
        self.assertEqual(status, 400)
        self.assertIn("light=", json.loads(body)["detail"])


if __name__ == "__main__":
    main()
