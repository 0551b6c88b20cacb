#!/usr/bin/env python3
"""Build the demo readings for the sections of sections_demo.csv.

Usage: make_demo_readings.py CNEMC_CSV
Writes, next to this script:
  readings_2025-11.csv        REAL readings: the raw values of the CNEMC
                              national real-time data (2025-11-06..18) of the
                              16 demo sections (public data of 中国环境监测总站).
  readings_synthetic_2024-2025.csv
                              SYNTHETIC history, one reading every 5 days at 08:00
                              from 2024-01-01 to 2025-10-31, drawn around each
                              section's real November means with a seasonal
                              swing and fixed-seed noise, so that the monthly
                              and annual pages have something to show. Not
                              measurements: never quote them.
"""
import csv
import math
import os
import random
import sys
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
ITEMS = {"PH": "pH_raw", "DO": "DO_mg_L_raw", "CODMN": "CODMn_mg_L_raw",
         "NH3N": "NH3N_mg_L_raw", "TP": "TP_mg_L_raw", "TN": "TN_mg_L_raw",
         "WT": "water_temp_C_raw"}


def sections():
    with open(os.path.join(HERE, "sections_demo.csv"), encoding="utf-8") as f:
        return [row["name"] for row in csv.DictReader(f)]


def real(cnemc, names):
    rows, means = [], {}
    with open(cnemc, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if r["section"] not in names:
                continue
            for item, col in ITEMS.items():
                if r[col]:
                    rows.append((r["section"], r["observed_at"], item, r[col]))
                    means.setdefault((r["section"], item), []).append(float(r[col]))
    return rows, {k: sum(v) / len(v) for k, v in means.items()}


def synthetic(means):
    rng = random.Random(20251118)
    rows = []
    day = date(2024, 1, 1)
    while day <= date(2025, 10, 31):
        season = math.sin(2 * math.pi * (day.timetuple().tm_yday - 100) / 365)
        for (section, item), mean in sorted(means.items()):
            if item == "PH":
                v = mean + rng.gauss(0, 0.15)
            elif item == "WT":
                v = 17 + 9 * season + rng.gauss(0, 1)
            elif item == "DO":
                v = mean * (1 - 0.15 * season) * rng.lognormvariate(0, 0.06)
            else:
                v = mean * (1 + 0.25 * season) * rng.lognormvariate(0, 0.2)
            rows.append((section, f"{day} 08:00", item, f"{max(v, 0.001):.4g}"))
        day += timedelta(days=5)
    return rows


def write(name, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["section", "time", "item", "value"])
        w.writerows(rows)


def main():
    names = set(sections())
    rows, means = real(sys.argv[1], names)
    write("readings_2025-11.csv", rows)
    write("readings_synthetic_2024-2025.csv", synthetic(means))


if __name__ == "__main__":
    main()
