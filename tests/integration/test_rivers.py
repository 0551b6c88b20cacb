"""Integration tests of `qingshui river track` against the real binary, on
GPX and GeoJSON files the tests write: a good walk (its length worked out
by hand: along the equator a metre is a / (180/pi) of a degree), the same
walk as GeoJSON, a walk with one GPS glitch (left out and counted), a walk
beside a segment at 50 m (covered, counts) and at 500 m (away: does not
count, with the reasons), a patrol too short for a 村 chief, malformed
files refused with the line or the field, and the exit codes 0/1/2.

Run: python3 tests/integration/test_rivers.py BUILD_DIR (from the source root).
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TempDbCase, main, run  # noqa: E402

EQUATOR_M_PER_DEG = 6378137.0 * math.pi / 180   # WGS84 a, metres per degree of longitude
LAT_50_M = 50 / 110574.2727   # 50 m north of the equator in degrees: a (1 - e^2) pi / 180 metres a degree there


def times(n, step=60):
    """N ISO times STEP seconds apart from 2026-05-01 08:00 China time."""
    return [f"2026-05-01T{8 + (i * step) // 3600:02d}:{(i * step) // 60 % 60:02d}:{i * step % 60:02d}+08:00"
            for i in range(n)]


def walk(n, lat=0.0):
    """N positions (lon, lat) every 0.001 degrees of longitude along LAT."""
    return [(0.001 * i, lat) for i in range(n)]


def gpx(points, stamps):
    rows = "\n".join(f'      <trkpt lat="{lat:.9f}" lon="{lon:.9f}"><time>{t}</time></trkpt>'
                     for (lon, lat), t in zip(points, stamps))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">\n'
            f'  <trk><name>巡河</name><trkseg>\n{rows}\n  </trkseg></trk>\n</gpx>\n')


def geojson_line(points, stamps):
    return json.dumps({"type": "Feature", "properties": {"coordTimes": stamps},
                       "geometry": {"type": "LineString", "coordinates": [list(p) for p in points]}})


SEGMENT = json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "赤道河 一段"},
     "geometry": {"type": "LineString", "coordinates": [[0, 0], [0.02, 0]]}}]}, ensure_ascii=False)


class RiverTrackCase(TempDbCase):
    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def track(self, *args):
        return run("river", "track", *args)

    def track_json(self, *args):
        r = self.track("--json", *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_a_good_walk_as_gpx_and_as_geojson(self):
        # 21 positions a minute apart, 0.02 degrees of the equator: 2226.390 m in 20 minutes.
        g = self.write("walk.gpx", gpx(walk(21), times(21)))
        j = self.write("walk.geojson", geojson_line(walk(21), times(21)))
        for path in (g, j):
            out = self.track_json(path)
            self.assertAlmostEqual(out["length_m"], 0.02 * EQUATOR_M_PER_DEG, delta=0.01)
            self.assertEqual((out["duration_s"], out["points"], out["jumps"], out["gaps"]), (1200, 21, 0, 0))
            self.assertEqual((out["start"], out["end"]), ("2026-05-01T00:00:00Z", "2026-05-01T00:20:00Z"))
            self.assertNotIn("valid", out)
        text = self.track(g)
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("length_m    2226.4\n", text.stdout)
        self.assertIn("duration_s  1200\n", text.stdout)

    def test_a_glitch_is_left_out_and_counted(self):
        points = walk(21)
        points[10] = (0.010, 0.05)   # 5.5 km north for a minute: 330 km/h
        out = self.track_json(self.write("jumpy.gpx", gpx(points, times(21))))
        self.assertEqual(out["jumps"], 1)
        self.assertEqual(out["points"], 21)
        self.assertAlmostEqual(out["length_m"], 0.02 * EQUATOR_M_PER_DEG, delta=0.01)

    def test_beside_the_segment_at_50_m_and_at_500_m(self):
        seg = self.write("segment.geojson", SEGMENT)
        near = self.track_json("--level", "村", "--segment", seg,
                               self.write("near.gpx", gpx(walk(21, LAT_50_M), times(21))))
        self.assertAlmostEqual(near["coverage"]["share"], 1.0, places=6)
        self.assertAlmostEqual(near["coverage"]["on_segment"], 1.0, places=6)
        self.assertAlmostEqual(near["coverage"]["segment_m"], 0.02 * EQUATOR_M_PER_DEG, delta=0.01)
        self.assertEqual((near["level"], near["rules"], near["valid"], near["reasons"]), ("村", "hubei", True, []))
        far = self.track_json("--level", "村", "--segment", seg,
                              self.write("far.gpx", gpx(walk(21, 10 * LAT_50_M), times(21))))
        self.assertEqual((far["coverage"]["share"], far["coverage"]["on_segment"]), (0, 0))
        self.assertFalse(far["valid"])
        self.assertEqual([r["code"] for r in far["reasons"]], ["low_coverage", "off_segment"])
        self.assertIn("未沿河段巡查", far["reasons"][1]["message"])
        text = self.track("--level", "村", "--segment", seg, os.path.join(self.dir, "far.gpx"))
        self.assertEqual(text.returncode, 0, text.stderr)   # computed: the patrol does not count, the command worked
        self.assertIn("valid       no\n", text.stdout)
        self.assertIn("reason      off_segment: 轨迹只有 0% 在河段 100 米以内", text.stdout)

    def test_too_short_and_too_brief_for_a_village_chief(self):
        # 5 positions a minute apart: 445 m in 4 minutes; a 村 chief's patrol is 1000 m and 10 minutes.
        path = self.write("short.geojson", geojson_line(walk(5), times(5)))
        out = self.track_json("--level", "村", path)
        self.assertFalse(out["valid"])
        self.assertEqual([r["code"] for r in out["reasons"]], ["too_short", "too_brief"])
        self.assertEqual(out["reasons"][0]["message"], "巡河里程 445.2 米,少于村级河湖长每次巡河的 1000 米")
        self.assertEqual(out["reasons"][1]["message"], "巡河时长 4 分钟,少于村级河湖长每次巡河的 10 分钟")
        # The same patrol under 泗县's rules (≥5 min, ≥300 m for a village chief) is still too brief only.
        sixian = self.track_json("--level", "村", "--rules", "sixian", path)
        self.assertEqual([r["code"] for r in sixian["reasons"]], ["too_brief"])

    def test_malformed_files_say_where(self):
        lines = gpx(walk(4), times(4)).splitlines()
        lines[5] = lines[5].replace(' lon="', ' lng="')      # the 2nd trkpt, line 6
        r = self.track(self.write("bad-attr.gpx", "\n".join(lines)))
        self.assertEqual(r.returncode, 1)
        self.assertIn("bad-attr.gpx: line 6: trkpt: attribute lon missing or not a number", r.stderr)
        lines = gpx(walk(4), times(4)).splitlines()
        lines[6] = lines[6].replace("</trkpt>", "")          # the 3rd trkpt left open
        r = self.track(self.write("bad-xml.gpx", "\n".join(lines)))
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"bad-xml\.gpx: line \d+: not XML: Opening and ending tag mismatch: trkpt line 7")
        stamps = times(4)
        stamps[2] = "2026-05-01 08:02"
        r = self.track(self.write("bad-time.geojson", geojson_line(walk(4), stamps)))
        self.assertEqual(r.returncode, 1)
        self.assertIn('features[0] position 2: time "2026-05-01 08:02" is not an ISO 8601 time', r.stderr)
        r = self.track(self.write("bad.json", '{"type": "Feature",\n "properties": {}\n,}'))
        self.assertEqual(r.returncode, 1)
        self.assertIn("bad.json: line 3: not JSON", r.stderr)
        r = self.track("--segment", self.write("area.geojson", json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "库"}, "geometry": {"type": "Polygon",
             "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]})), self.write("ok.gpx", gpx(walk(4), times(4))))
        self.assertEqual(r.returncode, 1)
        self.assertIn("area.geojson: features[0]: a segment is a LineString or MultiLineString", r.stderr)
        self.assertEqual(r.stdout, "")
        r = self.track(os.path.join(self.dir, "missing.gpx"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("missing.gpx: cannot read", r.stderr)

    def test_command_line(self):
        ok = self.write("ok.gpx", gpx(walk(4), times(4)))
        r = self.track("--help")
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        self.assertIn("usage: qingshui river track", r.stdout)
        for args in ([], ["--level", "省", ok], ["--rules", "nowhere", ok], ["--level", "市", "--rules", "sixian", ok],
                     ["--bogus", ok], [ok, ok]):
            r = self.track(*args)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertEqual(r.stdout, "")
            self.assertNotEqual(r.stderr, "")
        self.assertIn("track", run("river", "--help").stdout)


if __name__ == "__main__":
    main()
