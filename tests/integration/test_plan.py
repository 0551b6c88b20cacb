"""Integration tests of the foundation: the CLI, the plan importer on the real
seed, and the plan API served by the real binary on a loopback port."""
import json
import os
import sqlite3
import stat
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SEED, Server, TempDbCase, main, run  # noqa: E402


def seed_text():
    with open(SEED, encoding="utf-8") as f:
        return f.read()


def counts(db):
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("plan", "chapter", "measure", "unit", "measure_unit", "measure_target", "audit_log")}
    finally:
        con.close()


class Cli(TempDbCase):
    def test_help_everywhere(self):
        for words in (["--help"], ["init", "--help"], ["serve", "--help"], ["plan", "--help"],
                      ["plan", "import", "--help"], ["plan", "show", "--help"], ["units", "--help"],
                      ["units", "list", "--help"], ["units", "alias", "--help"], ["version"]):
            r = run(*words)
            self.assertEqual(r.returncode, 0, words)
            self.assertIn("qingshui", r.stdout, words)

    def test_usage_errors_exit_2(self):
        self.assertEqual(run("frobnicate").returncode, 2)
        self.assertIn("unknown command 'frobnicate'", run("frobnicate").stderr)
        self.assertEqual(run("plan", "import").returncode, 2)
        self.assertEqual(run("serve", "--threads", "0").returncode, 2)
        self.assertIn("--threads '0'", run("serve", "--threads", "0").stderr)

    def test_missing_database_is_an_error(self):
        r = run("plan", "show", db=os.path.join(self.dir, "nope.db"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("does not exist", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "nope.db")))

    def test_init_creates_schema_and_private_token(self):
        r = run("init", db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        token_file = self.db + ".admin-token"
        self.assertEqual(stat.S_IMODE(os.stat(token_file).st_mode), 0o600)
        self.assertEqual(len(open(token_file).read().strip()), 64)
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("PRAGMA journal_mode").fetchone()[0], "wal")
        self.assertGreaterEqual(con.execute("PRAGMA user_version").fetchone()[0], 2)
        self.assertEqual(con.execute("SELECT count(*) FROM unit_collective WHERE collective = '各县市区人民政府'").fetchone()[0], 8)
        con.close()
        again = run("init", db=self.db)
        self.assertEqual(again.returncode, 0)
        self.assertIn("checked", again.stdout)

    def test_import_seed_then_reimport_changes_nothing(self):
        run("init", db=self.db, check=True)
        r = run("plan", "import", SEED, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("imported 十政办发〔2018〕8号", r.stdout)
        self.assertIn("10 chapters, 72 measures", r.stdout)
        before = counts(self.db)
        self.assertEqual((before["plan"], before["chapter"], before["measure"]), (1, 10, 72))
        r = run("plan", "import", SEED, db=self.db)
        self.assertEqual(r.returncode, 0)
        self.assertIn("unchanged", r.stdout)
        self.assertEqual(counts(self.db), before)

    def test_revised_document_updates_in_place(self):
        self.init_with_seed()
        con = sqlite3.connect(self.db)
        id5 = con.execute("SELECT id FROM measure WHERE ordinal = 5").fetchone()[0]
        con.close()
        text = seed_text().replace("提高防洪抗旱减灾能力。", "提高防洪减灾能力。")
        last = text.index("(七十二)")
        text = text[:last]   # the revision drops measure (七十二)
        revised = os.path.join(self.dir, "revised.txt")
        open(revised, "w", encoding="utf-8").write(text)
        r = run("plan", "import", revised, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("removes 1 measure(s), (72): (72) 拓宽资金渠道 (use --allow-removal", r.stderr)
        r = run("plan", "import", "--allow-removal", revised, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("updated", r.stdout)
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM measure").fetchone()[0], 71)
        self.assertEqual(con.execute("SELECT id, title FROM measure WHERE ordinal = 5").fetchone(), (id5, "提高防洪减灾能力"))
        actions = [row[0] for row in con.execute("SELECT action FROM audit_log WHERE entity = 'plan' ORDER BY id")]
        self.assertEqual(actions, ["plan.create", "plan.update"])
        con.close()

    def test_not_a_plan_is_refused_and_changes_nothing(self):
        self.init_with_seed()
        before = counts(self.db)
        junk = os.path.join(self.dir, "junk.txt")
        open(junk, "w").write("Shopping list\nmilk\n")
        r = run("plan", "import", junk, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not an implementation plan", r.stderr)
        binary = os.path.join(self.dir, "junk.bin")
        open(binary, "wb").write(b"\x00\xff\xfe")
        r = run("plan", "import", binary, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("UTF-8", r.stderr)
        self.assertEqual(counts(self.db), before)

    def test_measure_without_units_needs_allow_incomplete(self):
        run("init", db=self.db, check=True)
        text = seed_text().replace("(牵头单位:市农业局,责任单位:市环保局、市畜牧兽医局、市发改委,各县市区人民政府,武当山旅游经济特区管委会)", "")
        path = os.path.join(self.dir, "incomplete.txt")
        open(path, "w", encoding="utf-8").write(text)
        r = run("plan", "import", path, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"{path}:40: measure (2) names no lead or responsible units", r.stderr)
        self.assertEqual(counts(self.db)["measure"], 0)
        r = run("plan", "import", "--allow-incomplete", path, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(counts(self.db)["measure"], 72)

    def test_alias_edit_applies_on_reimport(self):
        self.init_with_seed()
        r = run("units", "alias", "set", "市住建委", "市住房和城乡建设局", db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("市住建委 -> 市住房和城乡建设局", run("units", "alias", "list", db=self.db).stdout)
        r = run("plan", "import", SEED, db=self.db)
        self.assertIn("updated", r.stdout)
        listing = run("units", "list", db=self.db).stdout
        line = next(l for l in listing.splitlines() if l.endswith("市住房和城乡建设局"))
        self.assertEqual(line.split()[2:4], ["5", "16"])
        self.assertEqual(run("units", "alias", "remove", "nope", db=self.db).returncode, 1)

    def test_plan_show(self):
        self.init_with_seed()
        r = run("plan", "show", db=self.db)
        self.assertEqual(r.returncode, 0)
        self.assertIn("(68) 明确目标责任", r.stdout)
        self.assertIn("目标: 七个水生生物保护区", r.stdout)
        r = run("plan", "show", "--json", "1", db=self.db)
        self.assertIn('"doc_number": "十政办发〔2018〕8号"', r.stdout)
        self.assertEqual(run("plan", "show", "9", db=self.db).returncode, 1)


def write(case, name, data):
    path = os.path.join(case.dir, name)
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def seed_lines(n):
    """The first N lines of the seed, as `head -n N` cuts them."""
    return "".join(seed_text().splitlines(keepends=True)[:n])


class IncompleteText(TempDbCase):
    """A text that ends before its document does is refused as incomplete
    with the line where it ends; a revision that removes measures is
    refused unless --allow-removal, and always when tasks hang on them."""

    def test_first_148_lines_over_the_stored_plan(self):
        self.init_with_seed()
        before = counts(self.db)
        cut = write(self, "cut.txt", seed_lines(148))   # ends with the heading of chapter 六
        r = run("plan", "import", cut, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"{cut}:148: the text ends here, after chapter 6: the preamble (line 31) "
                      "announces 10 chapters", r.stderr)
        self.assertIn(f"{cut}:148: the text ends here: its last chapter 6 (line 148) has no measures",
                      r.stderr)
        self.assertIn("refused as incomplete", r.stderr)
        # importing it anyway still does not remove measures (34)-(72) unasked
        r = run("plan", "import", "--allow-incomplete", cut, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("the revision removes 39 measure(s), (34) to (72): (34) 发展壮大生产性服务业", r.stderr)
        self.assertEqual(counts(self.db), before)
        r = run("plan", "import", "--allow-incomplete", "--allow-removal", cut, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(counts(self.db)["measure"], 33)
        [(after,)] = self.rows("SELECT after FROM audit_log WHERE action = 'plan.update'")
        self.assertEqual(json.loads(after)["removed_measures"], "(34) to (72)")

    def test_cut_texts_into_an_empty_database(self):
        run("init", db=self.db, check=True)
        text = seed_text()
        cuts = {
            # between chapters: fewer than the ten the preamble announces
            "chapter": (seed_lines(147), ":145: the text ends here, after chapter 5"),
            # inside the last measure, before its units
            "measure": (text[:text.index("(牵头单位:市财政局、市政府金融办")],
                        ":277: the text ends inside measure (72) (line 277)"),
        }
        for name, (cut, message) in cuts.items():
            path = write(self, name + ".txt", cut)
            r = run("plan", "import", path, db=self.db)
            self.assertEqual(r.returncode, 1, name)
            self.assertIn(path + message, r.stderr)
            self.assertIn("refused as incomplete", r.stderr)
            self.assertEqual(counts(self.db)["measure"], 0)
        # --allow-incomplete keeps its meaning: a part of a plan on purpose
        r = run("plan", "import", "--allow-incomplete", os.path.join(self.dir, "chapter.txt"), db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(counts(self.db)["measure"], 33)

    def test_cut_inside_a_character(self):
        run("init", db=self.db, check=True)
        data = seed_text().encode("utf-8")
        start = data.index("三十三)".encode())
        path = write(self, "cut.txt", data[:start + 2])   # 2 of the 3 bytes of 三
        r = run("plan", "import", path, db=self.db)
        self.assertEqual(r.returncode, 1)
        line = data[:start].count(b"\n") + 1
        self.assertIn(f"the text ends inside a UTF-8 character at byte offset {start} (line {line}): "
                      "the file is cut short", r.stderr)
        self.assertEqual(counts(self.db)["measure"], 0)

    def test_removed_measures_with_tasks_are_listed_and_kept(self):
        self.init_with_seed()
        run("user", "add", "cz", "--role", "unit", "--unit", "市财政局", db=self.db,
            input="correct-horse-1\n", check=True)
        with open(self.db + ".admin-token") as f:
            token = f.read().strip()
        m72 = self.rows("SELECT id FROM measure WHERE ordinal = 72")[0][0]
        os.environ["QINGSHUI_PWHASH"] = "min"
        server = Server(self.db)
        try:
            status, task = server.json("POST", "/api/tasks", {
                "measure_id": m72, "year": 2026, "title": "拓宽资金渠道", "start_on": "2026-01-01",
                "due_on": "2026-12-31"}, {"Authorization": "Bearer " + token})
            self.assertEqual(status, 201, task)
            status, headers, body = server.request("POST", "/api/login",
                                                   {"login": "cz", "password": "correct-horse-1"})
            self.assertEqual(status, 200, body)
            session = {"Cookie": headers["set-cookie"].split(";")[0],
                       "X-CSRF-Token": json.loads(body)["csrf"]}
            status, report = server.json("POST", f"/api/tasks/{task['id']}/reports",
                                         {"period": "2026-03", "text": "进展", "percent": 20}, session)
            self.assertEqual(status, 201, report)
        finally:
            self.assertEqual(server.stop(), 0)
        text = seed_text()
        revised = write(self, "revised.txt", text[:text.index("(七十二)")])
        before = counts(self.db)
        r = run("plan", "import", "--allow-removal", revised, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"removes 1 measure(s), (72), and tasks hang on them; measure (72): tasks "
                      f"{task['id']} (2026), reports {report['id']}", r.stderr)
        self.assertNotIn("FOREIGN KEY", r.stderr)
        self.assertEqual(counts(self.db), before)

    def test_size_limit(self):
        run("init", db=self.db, check=True)
        big = os.path.join(self.dir, "big.txt")
        with open(big, "wb") as f:
            f.truncate(2 << 30)   # 2 GiB, sparse
        for path in ("/dev/zero", big):
            r = run("plan", "import", path, db=self.db)
            self.assertEqual(r.returncode, 1)
            self.assertIn(f"{path} refused: larger than 16 MiB, the most this import reads", r.stderr)


class Api(TempDbCase):
    def setUp(self):
        super().setUp()
        self.init_with_seed()
        self.token = open(self.db + ".admin-token").read().strip()
        self.server = Server(self.db)

    def tearDown(self):
        self.assertEqual(self.server.stop(), 0)
        super().tearDown()

    def test_plans_and_plan(self):
        status, plans = self.server.json("GET", "/api/plans")
        self.assertEqual(status, 200)
        self.assertEqual(len(plans), 1)
        self.assertEqual(plans[0]["measures"], 72)
        status, plan = self.server.json("GET", f"/api/plans/{plans[0]['id']}")
        self.assertEqual(len(plan["chapters"]), 10)
        self.assertEqual(len(plan["measures"]), 72)
        self.assertEqual(plan["issued_on"], "2018-01-22")
        self.assertEqual(self.server.json("GET", "/api/plans/99")[0], 404)
        status, err = self.server.json("GET", "/api/plans/abc")
        self.assertEqual((status, err["error"]), (404, "not_found"))

    def test_measure_filters(self):
        q = urllib.parse.quote
        status, led = self.server.json("GET", f"/api/measures?unit={q('市环保局')}&role=lead")
        self.assertEqual(status, 200)
        self.assertEqual(len(led), 13)
        for m in led:
            self.assertTrue(any(u["name"] == "市环保局" and u["role"] == "lead" for u in m["units"]))
        _, supported = self.server.json("GET", f"/api/measures?unit={q('市环保局')}&role=support")
        self.assertEqual(len(supported), 17)
        _, chapter10 = self.server.json("GET", "/api/measures?chapter=10")
        self.assertEqual([m["ordinal"] for m in chapter10], list(range(66, 73)))
        _, found = self.server.json("GET", f"/api/measures?q={q('河长制')}")
        self.assertTrue(found and all("河长制" in m["body"] for m in found))
        status, err = self.server.json("GET", "/api/measures?chapter=x")
        self.assertEqual((status, err["error"]), (400, "invalid_parameter"))
        self.assertIn("chapter='x'", err["detail"])
        self.assertEqual(self.server.json("GET", "/api/measures?role=lead")[0], 400)

    def test_measure_and_units(self):
        _, chapter1 = self.server.json("GET", "/api/measures?chapter=1")
        m7 = next(m for m in chapter1 if m["ordinal"] == 7)
        status, m = self.server.json("GET", f"/api/measures/{m7['id']}")
        self.assertEqual(status, 200)
        phrases = [t["phrase"] for t in m["targets"]]
        self.assertIn("在2018年9月前", phrases)
        self.assertIn("七个水生生物保护区", phrases)
        counties = [u for u in m["units"] if u["via"] == "各县市区人民政府"]
        self.assertEqual(len(counties), 8)
        status, units = self.server.json("GET", "/api/units")
        self.assertEqual(status, 200)
        office = next(u for u in units if u["name"] == "房县人民政府")
        self.assertEqual(office["kind"], "county_government")
        status, unit = self.server.json("GET", f"/api/units/{office['id']}")
        self.assertEqual(len(unit["lead"]), unit["leads"])
        self.assertEqual(len(unit["support"]), unit["supports"])
        self.assertEqual(self.server.json("GET", "/api/units/100000")[0], 404)

    def test_matrix(self):
        status, matrix = self.server.json("GET", "/api/plans/1/matrix")
        self.assertEqual(status, 200)
        self.assertEqual(len(matrix["chapters"]), 10)
        cells = [c for c in matrix["cells"] if c["unit"] == "市生态环境局"]
        self.assertEqual(sum(c["lead"] for c in cells), 13)

    def test_alias_api_needs_admin_token_and_is_audited(self):
        path = "/api/unit-aliases/" + urllib.parse.quote("环保局")
        status, err = self.server.json("PUT", path, {"unit": "市环保局"})
        self.assertEqual((status, err["error"]), (401, "unauthorized"))
        bad = {"Authorization": "Bearer " + "0" * 64}
        self.assertEqual(self.server.json("PUT", path, {"unit": "市环保局"}, bad)[0], 401)
        auth = {"Authorization": "Bearer " + self.token}
        status, err = self.server.json("PUT", path, {"unit": 3}, auth)
        self.assertEqual(status, 400)
        status, err = self.server.json("PUT", path, b"{not json", auth)
        self.assertEqual((status, err["error"]), (400, "invalid_json"))
        status, body = self.server.json("PUT", path, {"unit": "市环保局"}, auth)
        self.assertEqual((status, body["unit"]), (200, "市环保局"))
        _, aliases = self.server.json("GET", "/api/unit-aliases")
        self.assertIn({"alias": "环保局", "unit": "市环保局"}, aliases)
        self.assertEqual(self.server.json("DELETE", path, None, auth)[0], 200)
        self.assertEqual(self.server.json("DELETE", path, None, auth)[0], 404)
        con = sqlite3.connect(self.db)
        rows = con.execute("SELECT actor, action FROM audit_log WHERE entity = 'unit_alias' ORDER BY id").fetchall()
        con.close()
        self.assertEqual(rows, [("token:admin", "unit_alias.put"), ("token:admin", "unit_alias.delete")])

    def test_limits_errors_and_metrics(self):
        status, _, _ = self.server.request("PUT", "/api/unit-aliases/x", b"x" * (2 << 20),
                                           {"Authorization": "Bearer " + self.token})
        self.assertEqual(status, 413)
        status, err = self.server.json("GET", "/api/nothing-here")
        self.assertEqual((status, err["error"]), (404, "not_found"))
        self.assertEqual(self.server.json("POST", "/api/plans")[0], 405)
        status, health = self.server.json("GET", "/healthz")
        self.assertEqual((status, health["status"]), (200, "ok"))
        status, headers, body = self.server.request("GET", "/metrics")
        text = body.decode()
        self.assertIn('qingshui_http_requests_total{route="/healthz",status="200"} 1', text)
        self.assertIn('qingshui_http_requests_total{route="unmatched",status="405"} 1', text)
        self.assertIn('qingshui_http_request_duration_seconds_count{route="/healthz"} 1', text)

    def test_pages_and_assets(self):
        for path in ("/", "/units/3", "/matrix"):
            status, headers, body = self.server.request("GET", path)
            self.assertEqual(status, 200)
            self.assertTrue(headers["content-type"].startswith("text/html"))
            self.assertIn(b'<script type="module" src="/app.js">', body)
            self.assertIn("default-src 'self'", headers["content-security-policy"])
        status, headers, body = self.server.request("GET", "/vendor/echarts.min.js")
        self.assertEqual(status, 200)
        self.assertGreater(len(body), 500000)
        status, headers, body = self.server.request("HEAD", "/app.js")
        self.assertEqual((status, body), (200, b""))
        self.assertEqual(self.server.request("GET", "/nope.js")[0], 404)
        self.assertEqual(self.server.request("GET", "/../../etc/passwd.txt")[0], 404)


if __name__ == "__main__":
    main()
