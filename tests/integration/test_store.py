"""The two stores (issue 13): the unit alias table and its audit lines on
SQLite and on PostgreSQL alike, the SQL layer's own test on PostgreSQL, and
`db copy` of a city's SQLite database into PostgreSQL.

Runs on the store of QINGSHUI_TEST_STORE (sqlite by default; pg starts a
real PostgreSQL 15 through tests/pg.sh unless tests/run.sh gave one).
"""
# stores: sqlite pg
import json
import os
import sqlite3
import subprocess
import unittest

from harness import BUILD, STORE, StoreCase, TempDbCase, main, pg_database, psql, run

ON_PG = unittest.skipUnless(STORE == "pg", "needs QINGSHUI_TEST_STORE=pg")


class AliasesOnEitherStore(StoreCase):
    def alias_audit(self):
        return self.query("SELECT action, entity, before, after FROM audit_log "
                          "WHERE entity = 'unit_alias' ORDER BY id")

    def test_set_lists_the_alias_and_audits_it(self):
        r = run("units", "alias", "set", "农林局", "市农业农村局", db=self.target)
        self.assertEqual(r.returncode, 0, r.stderr)
        listed = run("units", "alias", "list", db=self.target, check=True).stdout
        self.assertIn("农林局 -> 市农业农村局", listed.splitlines())
        action, entity, before, after = self.alias_audit()[-1]
        self.assertEqual((action, entity, before), ("unit_alias.put", "unit_alias", None))
        self.assertEqual(json.loads(after), {"alias": "农林局", "unit": "市农业农村局"})

    def test_set_again_moves_the_alias_with_before_and_after(self):
        run("units", "alias", "set", "农林局", "市农业局", db=self.target, check=True)
        run("units", "alias", "set", "农林局", "市林业局", db=self.target, check=True)
        self.assertEqual(self.query("SELECT unit_name FROM unit_alias WHERE alias = '农林局'"),
                         [("市林业局",)])
        _, _, before, after = self.alias_audit()[-1]
        self.assertEqual(json.loads(before)["unit"], "市农业局")
        self.assertEqual(json.loads(after)["unit"], "市林业局")

    def test_remove_deletes_it_once(self):
        run("units", "alias", "set", "农林局", "市农业局", db=self.target, check=True)
        r = run("units", "alias", "remove", "农林局", db=self.target)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.query("SELECT count(*) FROM unit_alias WHERE alias = '农林局'"), [("0",)])
        action, _, before, after = self.alias_audit()[-1]
        self.assertEqual((action, after), ("unit_alias.delete", None))
        self.assertEqual(json.loads(before)["alias"], "农林局")
        again = run("units", "alias", "remove", "农林局", db=self.target)
        self.assertEqual(again.returncode, 1)
        self.assertIn("no alias '农林局'", again.stderr)
        self.assertEqual(len(self.alias_audit()), 2)

    def test_an_alias_of_itself_is_refused_and_changes_nothing(self):
        before = self.query("SELECT count(*) FROM audit_log")
        r = run("units", "alias", "set", "市农业局", "市农业局", db=self.target)
        self.assertEqual(r.returncode, 1)
        self.assertIn("two different, non-empty names", r.stderr)
        self.assertEqual(self.query("SELECT count(*) FROM audit_log"), before)
        self.assertEqual(self.query("SELECT count(*) FROM unit_alias WHERE alias = '市农业局'"), [("0",)])


@ON_PG
class LayerOnPostgres(unittest.TestCase):
    def test_the_layer_test_passes_on_postgres(self):
        r = run_binary(os.path.join(BUILD, "tests", "unit", "test_sql"), pg_database())
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        out = r.stdout + r.stderr
        self.assertIn("[  PASSED  ] 7 test(s).", out)   # all but the SQLite-only retry test
        self.assertIn("[       OK ] a_stale_snapshot_is_busy", out)

    def test_two_nodes_starting_together_apply_the_migrations_once(self):
        target = pg_database()
        argv = [os.path.join(BUILD, "qingshui"), "units", "alias", "list", "--db", target]
        procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
        for p in procs:
            _, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, err)
        self.assertEqual(psql(target, "SELECT version FROM schema_migration ORDER BY 1"),
                         [("1",), ("2",), ("5",), ("11",), ("12",)])

    def test_a_server_that_is_not_there_is_named_as_such(self):
        r = run("units", "alias", "list", db="postgresql:///x?host=/nonexistent-folder")
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot connect to PostgreSQL", r.stderr)

    def test_a_command_not_yet_on_postgres_says_so(self):
        r = run("plan", "show", db=pg_database())
        self.assertEqual(r.returncode, 1)
        self.assertIn("does not work on PostgreSQL yet", r.stderr)


def run_binary(path, *args):
    return subprocess.run([path, *args], capture_output=True, text=True, timeout=120)


COPIED = ["plan", "chapter", "measure", "unit", "measure_unit", "measure_target", "unit_alias",
          "unit_collective", "unit_suffix_rule", "unit_name", "unit_succession", "audit_log",
          "api_token"]


@ON_PG
class DbCopy(TempDbCase):
    def setUp(self):
        super().setUp()
        self.init_with_seed()
        self.target = pg_database()

    def sqlite_count(self, table):
        return self.rows(f"SELECT count(*) FROM {table}")[0][0]

    def test_copy_keeps_every_row_and_id_and_prints_the_counts(self):
        r = run("db", "copy", "--from", self.db, "--to", self.target)
        self.assertEqual(r.returncode, 0, r.stderr)
        printed = dict(line.split() for line in r.stdout.splitlines() if not line.startswith("copied"))
        for table in COPIED:
            n = self.sqlite_count(table)
            self.assertEqual(printed[table], str(n), table)
            self.assertEqual(psql(self.target, f"SELECT count(*) FROM {table}"), [(str(n),)], table)
        self.assertIn("db copy: measure_unit 935/935", r.stderr)
        self.assertIn("not copied, no PostgreSQL migration yet:", r.stderr)
        self.assertIn(" hj212_packet", r.stderr)
        ids = [(str(i), name) for i, name in self.rows("SELECT id, name FROM unit ORDER BY id")]
        self.assertEqual(psql(self.target, "SELECT id, name FROM unit ORDER BY id"), ids)
        links = [tuple(str(v) for v in row) for row in self.rows(
            "SELECT measure_id, unit_id, role, position FROM measure_unit ORDER BY 1, 2, 3")]
        self.assertEqual(psql(self.target, "SELECT measure_id, unit_id, role, position "
                                           "FROM measure_unit ORDER BY 1, 2, 3"), links)
        token = self.rows("SELECT hex(token_hash) FROM api_token")[0][0].lower()
        self.assertEqual(psql(self.target, "SELECT encode(token_hash, 'hex') FROM api_token"), [(token,)])

    def test_after_the_copy_the_aliases_and_new_ids_go_on(self):
        run("db", "copy", "--from", self.db, "--to", self.target, check=True)
        on_sqlite = run("units", "alias", "list", db=self.db, check=True).stdout
        self.assertEqual(run("units", "alias", "list", db=self.target, check=True).stdout, on_sqlite)
        last = self.rows("SELECT max(id) FROM audit_log")[0][0]
        run("units", "alias", "set", "农林局", "市农业局", db=self.target, check=True)
        self.assertEqual(psql(self.target, "SELECT max(id) FROM audit_log"), [(str(last + 1),)])

    def test_the_unit_list_reads_the_same_on_both_stores(self):
        run("units", "succeed", "房县人民政府", "竹山县人民政府", "--into", "房竹联合政府",
            "--date", "2024-01-01", "--source", "test", db=self.db, check=True)
        run("db", "copy", "--from", self.db, "--to", self.target, check=True)
        for args in ([], ["环保"], ["房竹"], ["无此单位"]):
            on_sqlite = json.loads(run("units", "list", "--json", *args, db=self.db, check=True).stdout)
            on_pg = json.loads(run("units", "list", "--json", *args, db=self.target, check=True).stdout)
            self.assertEqual(on_pg, on_sqlite, args)
        found = json.loads(run("units", "list", "--json", "房县", db=self.target, check=True).stdout)
        ended = next(u for u in found if u["name"] == "房县人民政府")
        self.assertEqual([s["name"] for s in ended["successors"]], ["房竹联合政府"])
        self.assertEqual(ended["dissolved_on"], "2024-01-01")

    def test_a_target_with_rows_is_refused(self):
        run("units", "alias", "set", "农林局", "市农业局", db=self.target, check=True)
        r = run("db", "copy", "--from", self.db, "--to", self.target)
        self.assertEqual(r.returncode, 1)
        self.assertIn("the target is not empty", r.stderr)
        self.assertEqual(psql(self.target, "SELECT count(*) FROM unit"), [("0",)])

    def test_a_row_postgres_refuses_leaves_the_target_empty(self):
        con = sqlite3.connect(self.db)
        con.execute("UPDATE measure SET body = CAST(x'41ff42' AS TEXT) WHERE ordinal = 72")
        con.commit()
        con.close()
        r = run("db", "copy", "--from", self.db, "--to", self.target)
        self.assertEqual(r.returncode, 1)
        self.assertIn("db copy: measure:", r.stderr)
        for table in COPIED:
            self.assertEqual(psql(self.target, f"SELECT count(*) FROM {table}"), [("0",)], table)

    def test_command_line(self):
        self.assertEqual(run("db", "copy", "--help").returncode, 0)
        wrong = run("db", "copy", "--from", self.db, "--to", os.path.join(self.dir, "x.db"))
        self.assertEqual(wrong.returncode, 2)
        self.assertIn("--to a postgresql:// URI", wrong.stderr)
        self.assertEqual(run("db", "copy", "--from", self.db).returncode, 2)


if __name__ == "__main__":
    main()
