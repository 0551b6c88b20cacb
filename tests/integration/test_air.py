"""Integration tests of `qingshui air aqi` and `qingshui air rank` (issue 17).

The acceptance test: on every real file of the national platform's published
station-hours (`cnemc_air_*.csv` of ../shared/domain/data when the shared
folder is beside the source tree, else the copies in tests/data/air/), the
AQI and the primary pollutants the command computes are the published ones,
on every row. Then the edition switch, missing and not-measured values, a
file in GB18030, errors with line and field, exit codes, and the ranking of
Hubei's 17 cities (tests/data/air/) with its ties.

Run: python3 tests/integration/test_air.py BUILD_DIR (from the source root).
"""
import csv
import glob
import io
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, TempDbCase, main, run  # noqa: E402

SHARED = os.path.join(ROOT, "..", "shared", "domain", "data")
COPIES = os.path.join(ROOT, "tests", "data", "air")
HUBEI = os.path.join(COPIES, "hubei_17cities_composite_index_2023.csv")
# the platform's names of primary pollutants -> the command's keys
PUBLISHED = {"细颗粒物(PM2.5)": "pm2_5", "颗粒物(PM10)": "pm10", "臭氧1小时(O3_1h)": "o3",
             "臭氧1小时": "o3", "二氧化硫(SO2)": "so2", "二氧化氮(NO2)": "no2",
             "一氧化碳(CO)": "co"}
HEADER = "time,station_code,pm2_5,pm10,so2,no2,co,o3\n"


def published_files():
    files = sorted(glob.glob(os.path.join(SHARED, "cnemc_air_*.csv")))
    return files or sorted(glob.glob(os.path.join(COPIES, "cnemc_air_*.csv")))


def aqi(text):
    """Run `air aqi -` on TEXT; (CompletedProcess, rows as dicts)."""
    r = run("air", "aqi", "-", input=text)
    rows = list(csv.DictReader(io.StringIO(r.stdout))) if r.returncode == 0 else []
    return r, rows


class PublishedData(TempDbCase):
    def test_every_published_aqi_and_primary_pollutant(self):
        files = published_files()
        self.assertGreaterEqual(len(files), 2)
        total = with_aqi = with_primary = 0
        for path in files:
            with self.subTest(os.path.basename(path)):
                r = run("air", "aqi", path)
                self.assertEqual(r.returncode, 0, r.stderr)
                out = list(csv.DictReader(io.StringIO(r.stdout)))
                with open(path, encoding="utf-8") as f:
                    rows = list(csv.DictReader(f))
                self.assertEqual(len(out), len(rows))
                for i, (row, got) in enumerate(zip(rows, out), start=2):
                    names = [n for n in row["published_primary"].split(",") if n]
                    want = ",".join(PUBLISHED[n] for n in names)
                    where = f"{os.path.basename(path)} line {i} {row['station_code']}"
                    self.assertEqual((got["station_code"], got["time"]),
                                     (row["station_code"], row["time"]), where)
                    self.assertEqual(got["aqi"], row["published_aqi"], where)
                    self.assertEqual(got["primary"], want, where)
                    self.assertEqual(got["level"] == "", row["published_aqi"] == "", where)
                    total += 1
                    with_aqi += row["published_aqi"] != ""
                    with_primary += want != ""
        print(f"air: {total} published station-hours reproduced ({with_aqi} with an AQI, "
              f"{with_primary} with a primary pollutant, {total - with_aqi} without an AQI) "
              f"from {len(files)} files")
        self.assertGreaterEqual(total, 1755)   # the two files of tests/data/air at least

    def test_gb18030_file_gives_the_same_answers(self):
        path = published_files()[0]
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as t:
            t.write(text.encode("gb18030"))
        try:
            self.assertEqual(run("air", "aqi", t.name).stdout, run("air", "aqi", path).stdout)
        finally:
            os.unlink(t.name)


class Rules(TempDbCase):
    def test_edition_switch_at_the_hour_ending_0100(self):
        r, rows = aqi(HEADER + "2026-03-01 00:00,A,75,,/,/,/,/\n"
                               "2026-03-01 01:00,A,75,,/,/,/,/\n"
                               "2026-02-28 24:00,A,75,40,/,/,/,/\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([(x["aqi"], x["level"], x["primary"]) for x in rows],
                         [("", "", ""), ("114", "轻度污染", "pm2_5"), ("100", "良", "pm2_5")])

    def test_missing_not_measured_and_ties(self):
        r, rows = aqi(HEADER + "2022-06-15 15:00,A,20,25,5,20,0.5,NA\n"      # O3 missing, 29
                               "2022-06-15 15:00,B,20,25,5,20,0.5,/\n"       # O3 not measured
                               "2022-06-15 15:00,C,76,150,5,20,0.5,\n"       # 102 despite O3
                               "2022-06-15 15:00,D,NA,,5,20,0.5,900\n"       # no PM at all
                               "2022-06-15 15:00,E,75,150,5,20,0.5,200\n")   # three at 100
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([(x["aqi"], x["primary"]) for x in rows],
                         [("", ""), ("29", ""), ("102", "pm2_5"), ("", ""),
                          ("100", "pm10,pm2_5,o3")])
        self.assertIn('E,2022-06-15 15:00,100,良,"pm10,pm2_5,o3"\n', r.stdout)

    def test_so2_above_800(self):
        head = "time,station_code,pm2_5,pm10,so2,no2,co,o3,so2_24h\n"
        r, rows = aqi(head + "2025-01-01 10:00,A,20,25,801,20,0.5,60,700\n"
                             "2026-06-01 10:00,A,20,25,801,20,0.5,60,700\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        # 2012: the 24-hour SO2's IAQI (700 on 475..800: 184.6, so 185); 2026: 200
        self.assertEqual([(x["aqi"], x["primary"]) for x in rows],
                         [("185", "so2"), ("200", "so2")])


class Errors(TempDbCase):
    def test_bad_value_names_line_and_field(self):
        r, _ = aqi(HEADER + "2022-06-15 15:00,A,20,25,5,20,0.5,60\n"
                            "2022-06-15 15:00,B,20,abc,5,20,0.5,60\n")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn("line 3, field pm10: 'abc'", r.stderr)

    def test_header_alone_and_undecodable_file(self):
        r, rows = aqi(HEADER)
        self.assertEqual((r.returncode, r.stdout, r.stderr),
                         (0, "station_code,time,aqi,level,primary\n", ""))
        with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as t:
            t.write(HEADER.encode() + b"2022-06-15 15:00,\x87\xff,1,1,1,1,1,1\n")
        try:
            r = run("air", "aqi", t.name)
        finally:
            os.unlink(t.name)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn("byte 0x87", r.stderr)

    def test_bad_time_and_missing_column(self):
        r, _ = aqi(HEADER + "2022-06-15 15:30,A,20,25,5,20,0.5,60\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 2, field time: '2022-06-15 15:30'", r.stderr)
        r, _ = aqi("time,station_code,pm2_5,pm10,so2,no2,co\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 1, field o3", r.stderr)
        r, _ = aqi(HEADER + "2022-06-15 15:00,A,20\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 2, field row", r.stderr)
        r = run("air", "aqi", "/nonexistent/x.csv")
        self.assertEqual(r.returncode, 1)
        self.assertIn("/nonexistent/x.csv", r.stderr)

    def test_help_and_usage(self):
        for words in (["air", "aqi", "--help"], ["air", "rank", "--help"]):
            r = run(*words)
            self.assertEqual(r.returncode, 0)
            self.assertIn("usage: qingshui air " + words[1], r.stdout)
        self.assertEqual(run("air", "aqi", "--bogus").returncode, 2)
        self.assertEqual(run("air", "aqi", "a.csv", "b.csv").returncode, 2)
        self.assertEqual(run("air", "nothing").returncode, 2)
        r = run("--help")
        self.assertIn("air", r.stdout)


class Ranking(TempDbCase):
    def test_hubei_2023_ranks_are_the_published_ones(self):
        with open(HUBEI, encoding="utf-8") as f:
            published = list(csv.DictReader(f))
        # the rows shuffled, so the input order cannot carry the ranks
        shuffled = published[1::2] + published[0::2]
        text = "city,composite_index,main_pollutant\n" + "".join(
            f"{c['city']},{c['composite_index']},{c['main_pollutant']}\n" for c in shuffled)
        r = run("air", "rank", "-", input=text)
        self.assertEqual(r.returncode, 0, r.stderr)
        got = list(csv.DictReader(io.StringIO(r.stdout)))
        ranks = [int(g["rank"]) for g in got]
        self.assertEqual(ranks, sorted(ranks))
        # tied cities come in input order, the published list in its own
        self.assertEqual(sorted((int(g["rank"]), g["city"], g["composite_index"],
                                 g["main_pollutant"]) for g in got),
                         sorted((int(p["rank"]), p["city"], f"{float(p['composite_index']):.2f}",
                                 p["main_pollutant"]) for p in published))
        self.assertEqual(len(set(ranks)), 13)   # 17 cities, 4 ties

    def test_index_from_the_period_statistics(self):
        # 河源 2022-02 as published (air.md §4): 1.73, main pollutant O3
        text = ("city,so2,no2,pm10,pm2_5,co,o3_8h\n河源,3,13,16,13,0.9,87\n"
                "甲,3,13,16,13,0.9,120\n乙,3,13,16,13,0.9,87\n")
        r = run("air", "rank", "-", input=text)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "rank,city,composite_index,main_pollutant\n"
                                   "1,河源,1.73,o3_8h\n1,乙,1.73,o3_8h\n3,甲,1.94,o3_8h\n")
        # a header alone: no cities, no complaint
        r = run("air", "rank", "-", input="city,composite_index\n")
        self.assertEqual((r.returncode, r.stdout, r.stderr),
                         (0, "rank,city,composite_index,main_pollutant\n", ""))
        r = run("air", "rank", "-", input="city,so2,no2,pm10,pm2_5,co,o3_8h\n甲,3,x,16,13,0.9,87\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("line 2, field no2: 'x'", r.stderr)


if __name__ == "__main__":
    main()
