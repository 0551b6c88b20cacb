"""Integration tests of the map's data against the real binary: `qingshui
geo import` (a good file, a re-import that changes nothing, bad geometry
refused with the feature's index and nothing stored, exit codes 0/1/2),
GET /api/geo, and coordinates round trips: a station's lon/lat through
`station add`, `station import` and POST /api/stations back out of
GET /api/stations, a section's through `water sections`; a station and the
section it serves linked both ways in the API.

Run: python3 tests/integration/test_geo.py BUILD_DIR (from the source root).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, TempDbCase, main, run  # noqa: E402

os.environ["QINGSHUI_PWHASH"] = "min"

RIVER = {"type": "Feature", "properties": {"名称": "神定河", "编码": "HB-SDH"},
         "geometry": {"type": "LineString", "coordinates": [[110.70, 32.60], [110.78, 32.70], [110.83, 32.80]]}}
RESERVOIR = {"type": "Feature", "properties": {"名称": "丹江口水库"},
             "geometry": {"type": "Polygon", "coordinates": [[[111.3, 32.6], [111.5, 32.6], [111.5, 32.8], [111.3, 32.6]]]}}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)


class GeoImportCase(TempDbCase):
    def setUp(self):
        super().setUp()
        run("init", db=self.db, check=True)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def geo(self, *args):
        return run("geo", "import", *args, db=self.db)

    def test_good_file_is_stored_and_served(self):
        path = self.write("rivers.geojson", collection(RIVER, RESERVOIR))
        r = self.geo("--kind", "reservoir", "--name-property", "名称", "--code-property", "编码", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("2 reservoir features, 2 new or changed", r.stdout)
        again = self.geo("--kind", "reservoir", "--name-property", "名称", "--code-property", "编码", path)
        self.assertIn("0 new or changed", again.stdout)
        self.assertEqual(self.rows("SELECT action, count(*) FROM audit_log WHERE entity = 'geo_feature' "
                                   "GROUP BY action"), [("geo.import", 2)])
        moved = dict(RIVER, geometry={"type": "LineString", "coordinates": [[110.71, 32.60], [110.83, 32.80]]})
        with open(path, "w", encoding="gb18030") as f:     # as some GIS tools write Chinese
            f.write(collection(moved, RESERVOIR))
        r = self.geo("--kind", "reservoir", "--name-property", "名称", "--code-property", "编码", path)
        self.assertIn("2 reservoir features, 1 new or changed", r.stdout)
        (before, after), = self.rows("SELECT before, after FROM audit_log WHERE action = 'geo.replace'")
        self.assertEqual(json.loads(before)["geometry_bytes"], len(json.dumps(RIVER["geometry"], separators=(",", ":"))))
        self.assertEqual(json.loads(after)["geometry_bytes"], len(json.dumps(moved["geometry"], separators=(",", ":"))))
        self.assertEqual(json.loads(after)["name"], "神定河")
        srv = Server(self.db)
        try:
            status, body = srv.json("GET", "/api/geo")
            self.assertEqual(status, 200)
            byname = {f["name"]: f for f in body["features"]}
            self.assertEqual(set(byname), {"神定河", "丹江口水库"})
            self.assertEqual(byname["神定河"]["code"], "HB-SDH")
            self.assertEqual(byname["神定河"]["kind"], "reservoir")
            self.assertEqual(byname["神定河"]["geometry"], moved["geometry"])
            self.assertEqual(byname["丹江口水库"]["geometry"]["type"], "Polygon")
            status, body = srv.json("GET", "/api/geo?kind=zone")
            self.assertEqual((status, body["features"]), (200, []))
            status, body = srv.json("GET", "/api/geo?kind=lake")
            self.assertEqual((status, body["error"]), (400, "invalid_parameter"))
        finally:
            self.assertEqual(srv.stop(), 0)

    def test_bad_geometry_names_the_feature_and_stores_nothing(self):
        unclosed = {"type": "Feature", "properties": {"name": "库"},
                    "geometry": {"type": "Polygon", "coordinates": [[[111, 32], [111.2, 32], [111.2, 32.2], [111.1, 32]]]}}
        far = {"type": "Feature", "properties": {"name": "远"},
               "geometry": {"type": "LineString", "coordinates": [[110, 32], [190, 32]]}}
        point = {"type": "Feature", "properties": {"name": "点"}, "geometry": {"type": "Point", "coordinates": [110, 32]}}
        ok = dict(RIVER, properties={"name": "神定河"})
        cases = [(collection(ok, unclosed), "feature 1: coordinates[0]: ring not closed"),
                 (collection(ok, ok, far), "feature 1: name 神定河: also the name of feature 0"),
                 (collection(ok, point), "feature 1: geometry type Point"),
                 (collection(far), "feature 0: coordinates[1]: longitude 190 out of range"),
                 ('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",]}', "not JSON: line 3")]
        for i, (text, reason) in enumerate(cases):
            r = self.geo(self.write(f"bad{i}.geojson", text))
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn(reason, r.stderr)
            self.assertIn("nothing imported", r.stderr)
        zone = self.geo("--kind", "zone", self.write("zone.geojson", collection(ok)))
        self.assertEqual(zone.returncode, 1)
        self.assertIn("feature 0: geometry type LineString: a zone is a Polygon or MultiPolygon", zone.stderr)
        self.assertEqual(self.rows("SELECT count(*) FROM geo_feature"), [(0,)])
        self.assertEqual(self.rows("SELECT count(*) FROM audit_log WHERE entity = 'geo_feature'"), [(0,)])

    def test_command_line_errors_exit_2(self):
        self.assertEqual(self.geo().returncode, 2)
        r = self.geo("--kind", "lake", "x.geojson")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--kind lake", r.stderr)
        self.assertEqual(self.geo("--help").returncode, 0)
        missing = self.geo(os.path.join(self.dir, "none.geojson"))
        self.assertEqual(missing.returncode, 1)


class CoordinatesCase(TempDbCase):
    def setUp(self):
        super().setUp()
        run("init", db=self.db, check=True)
        self.token = open(self.db + ".admin-token").read().strip()

    def auth(self):
        return {"Authorization": "Bearer " + self.token}

    def test_coordinates_round_trip_and_links(self):
        r = run("station", "add", "--mn", "SY_0001", "--password", "pw-123456", "--st", "21", "--name", "神定河口站",
                "--lon", "110.8235", "--lat", "32.7912", db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        csv = os.path.join(self.dir, "stations.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("mn,password,st,name,lon,lat\nSY_0002,pw-abcdef,21,泗河口站,110.91,32.77\nSY_0003,pw-zzzzzz,21,无位置,,\n")
        r = run("station", "import", csv, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        sections = os.path.join(self.dir, "sections.csv")
        with open(sections, "w", encoding="utf-8") as f:
            f.write("name,river,body,level,stations,lon,lat\n神定河口,神定河,river,national,SY_0001,110.82,32.79\n"
                    "泗河口,泗河,river,national,\"SY_0002, SY_0001\",110.91,32.77\n")
        r = run("water", "sections", sections, db=self.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        srv = Server(self.db)
        try:
            status, body = srv.json("POST", "/api/stations", {"mn": "SY_0004", "password": "pw-qqqqqq", "st": "21",
                                    "name": "接口站", "lon": 111.0, "lat": 32.5}, self.auth())
            self.assertEqual(status, 201, body)
            self.assertEqual((body["lon"], body["lat"]), (111.0, 32.5))
            status, body = srv.json("GET", "/api/stations", headers=self.auth())
            self.assertEqual(status, 200)
            got = {s["mn"]: (s["lon"], s["lat"]) for s in body["stations"]}
            self.assertEqual(got, {"SY_0001": (110.8235, 32.7912), "SY_0002": (110.91, 32.77),
                                   "SY_0003": (None, None), "SY_0004": (111.0, 32.5)})
            serves = {s["mn"]: sorted(x["name"] for x in s["serves"]) for s in body["stations"]}
            self.assertEqual(serves["SY_0001"], ["泗河口", "神定河口"])
            self.assertEqual(serves["SY_0003"], [])
            one = next(s for s in body["stations"] if s["mn"] == "SY_0002")
            status, detail = srv.json("GET", f"/api/stations/{one['id']}", headers=self.auth())
            self.assertEqual(detail["serves"][0]["kind"], "section")
            self.assertEqual(detail["serves"][0]["name"], "泗河口")
            self.assertEqual((detail["serves"][0]["lon"], detail["serves"][0]["lat"]), (110.91, 32.77))
            status, secs = srv.json("GET", "/api/water/sections")
            byname = {s["name"]: s for s in secs}
            self.assertEqual((byname["神定河口"]["lon"], byname["神定河口"]["lat"]), (110.82, 32.79))
            self.assertEqual(sorted(t["mn"] for t in byname["泗河口"]["served_by"]), ["SY_0001", "SY_0002"])
            self.assertEqual([t["name"] for t in byname["神定河口"]["served_by"]], ["神定河口站"])
            for bad, field in [({"lon": 200, "lat": 32}, "lon"), ({"lon": 110}, "lon, lat"),
                               ({"lon": "110", "lat": 32}, "lon")]:
                status, err = srv.json("POST", "/api/stations", dict({"mn": "SY_BAD", "password": "pw-qqqqqq",
                                       "st": "21", "name": "坏"}, **bad), self.auth())
                self.assertEqual(status, 400, err)
                self.assertTrue(err["detail"].startswith(field), err)
        finally:
            self.assertEqual(srv.stop(), 0)

    def test_bad_coordinates_are_refused_with_line_and_field(self):
        r = run("station", "add", "--mn", "SY_9", "--password", "pw-123456", "--st", "21", "--name", "x",
                "--lon", "110.5", db=self.db)
        self.assertEqual(r.returncode, 2)
        self.assertIn("lon, lat: give both or neither", r.stderr)
        csv = os.path.join(self.dir, "stations.csv")
        with open(csv, "w", encoding="utf-8") as f:
            f.write("mn,password,st,name,lon,lat\nSY_1,pw-abcdef,21,a,110.9,32.7\nSY_2,pw-abcdef,21,b,110.9,95\n")
        r = run("station", "import", csv, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 3: lat: a latitude in decimal degrees, -90..90", r.stderr)
        sections = os.path.join(self.dir, "sections.csv")
        with open(sections, "w", encoding="utf-8") as f:
            f.write("name,river,body,level,lon,lat\n甲,汉江,river,national,1100.8,32.7\n")
        r = run("water", "sections", sections, db=self.db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 2, field lon: not a longitude -180..180: '1100.8'", r.stderr)
        self.assertEqual(self.rows("SELECT count(*) FROM hj212_station"), [(0,)])
        self.assertEqual(self.rows("SELECT count(*) FROM water_section"), [(0,)])


if __name__ == "__main__":
    main()
