"""Integration tests of text as offices save it: the seed plan and CSV
files in GB18030, UTF-16LE and UTF-16BE with a BOM, and UTF-8 with a BOM,
made here with Python's codecs, imported by the real binary; a file that
cannot be decoded is refused with the encoding tried and the offset of its
first bad byte, and changes nothing.

Run: python3 tests/integration/test_encodings.py BUILD_DIR (from the source root).
"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, SEED, Server, TempDbCase, main, run  # noqa: E402

# Python's codecs and the BOM each encoding is saved with
ENCODINGS = {
    "GB18030": ("gb18030", b""),
    "UTF-16LE with BOM": ("utf-16-le", b"\xff\xfe"),
    "UTF-16BE with BOM": ("utf-16-be", b"\xfe\xff"),
    "UTF-8 with BOM": ("utf-8", b"\xef\xbb\xbf"),
}
SECTIONS = os.path.join(ROOT, "data", "water", "sections_demo.csv")


def seed_text():
    with open(SEED, encoding="utf-8") as f:
        return f.read()


class Encodings(TempDbCase):
    def setUp(self):
        super().setUp()
        run("init", db=self.db, check=True)

    def write(self, name, data):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def measures(self, db=None):
        con = sqlite3.connect(db or self.db)
        try:
            return con.execute("SELECT count(*) FROM measure").fetchone()[0]
        finally:
            con.close()

    def test_seed_in_every_encoding_imports_72_measures(self):
        text = seed_text()
        for label, (codec, bom) in ENCODINGS.items():
            with self.subTest(label):
                db = os.path.join(self.dir, codec + ".db")
                run("init", db=db, check=True)
                path = self.write(codec + ".txt", bom + text.encode(codec))
                r = run("plan", "import", path, db=db)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("imported 十政办发〔2018〕8号", r.stdout)
                self.assertEqual(self.measures(db), 72)
                # the same content as the UTF-8 seed: importing that changes nothing
                r = run("plan", "import", SEED, db=db)
                self.assertIn("unchanged", r.stdout)

    def test_encoding_named_on_the_command_line(self):
        text = seed_text()
        gb = self.write("gb.txt", text.encode("gb18030"))
        r = run("plan", "import", "--encoding", "GB18030", gb, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.measures(), 72)
        # UTF-16LE without a BOM cannot be detected, but can be named
        le = self.write("le.txt", text.encode("utf-16-le"))
        self.assertEqual(run("plan", "import", "--encoding", "UTF-16LE", le, db=self.db).returncode, 0)
        # a wrong name: the first byte that is not UTF-8
        data = text.encode("gb18030")
        with self.assertRaises(UnicodeDecodeError) as bad:
            data.decode("utf-8")
        first_bad = bad.exception.start
        r = run("plan", "import", "--encoding", "UTF-8", gb, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"not valid UTF-8: byte 0x{data[first_bad]:02X} at offset {first_bad} (line 1)",
                      r.stderr)
        r = run("plan", "import", "--encoding", "NO-SUCH-CODE", gb, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("unknown encoding 'NO-SUCH-CODE'", r.stderr)

    def test_invalid_byte_gives_its_offset(self):
        text = seed_text()
        at = text.index("(一)")
        for codec, name in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
            with self.subTest(codec):
                head = text[:at].encode(codec)
                path = self.write("bad.txt", head + b"\xff" + text[at:].encode(codec))
                r = run("plan", "import", path, db=self.db)
                self.assertEqual(r.returncode, 1)
                line = text[:at].count("\n") + 1
                self.assertIn(f"not valid {name}: byte 0xFF at offset {len(head)} (line {line})", r.stderr)
                self.assertEqual(self.measures(), 0)

    def test_csv_imports_decode_too(self):
        with open(SECTIONS, encoding="utf-8") as f:
            sections = f.read()
        path = self.write("sections.csv", sections.encode("gb18030"))
        r = run("water", "sections", path, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.rows("SELECT river FROM water_section WHERE name = '羊尾'"), [("汉江",)])
        readings = "section,time,item,value\n羊尾,2025-11-06 20:00,PH,7.65\n"
        path = self.write("readings.csv", b"\xff\xfe" + readings.encode("utf-16-le"))
        r = run("water", "import", path, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 readings stored", r.stdout)
        stations = "mn,password,st,name\nGB_0001,123456,21,羊尾断面站\n"
        path = self.write("stations.csv", stations.encode("gb18030"))
        r = run("station", "import", path, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.rows("SELECT name FROM hj212_station WHERE mn = 'GB_0001'"), [("羊尾断面站",)])
        bad = self.write("bad.csv", "name,river,body,level\n".encode() + b"\x80\x80\n")
        r = run("water", "sections", bad, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not valid GB18030: byte 0x80 at offset 22 (line 2)", r.stderr)
        r = run("station", "import", "--encoding", "UTF-8", path, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not valid UTF-8: byte 0xD1 at offset", r.stderr)
        r = run("water", "import", "/dev/zero", db=self.db)   # stops at the limit
        self.assertEqual(r.returncode, 1)
        self.assertIn("/dev/zero: larger than 256 MiB, the most this import reads", r.stderr)


    def test_csv_bodies_of_the_api_decode_too(self):
        with open(self.db + ".admin-token") as f:
            auth = {"Authorization": "Bearer " + f.read().strip()}
        server = Server(self.db)
        try:
            body = "name,river,body,level\n泗河口,泗河,river,city\n".encode("gb18030")
            status, j = server.json("POST", "/api/water/sections", body, auth)
            self.assertEqual((status, j), (200, {"sections": 1}))
            body = b"\xfe\xff" + "section,time,item,value\n泗河口,2026-02-01 08:00,PH,7.2\n".encode("utf-16-be")
            status, j = server.json("POST", "/api/water/readings", body, auth)
            self.assertEqual((status, j["readings"]), (200, 1))
            status, j = server.json("POST", "/api/water/readings", b"section\n\xff\xff\n", auth)
            self.assertEqual((status, j["error"]), (400, "invalid_encoding"))
            self.assertIn("not valid GB18030: byte 0xFF at offset 8 (line 2)", j["detail"])
        finally:
            self.assertEqual(server.stop(), 0)
        self.assertEqual(self.rows("SELECT river FROM water_section WHERE name = '泗河口'"), [("泗河",)])


if __name__ == "__main__":
    main()
