#!/usr/bin/env python3
"""Derive cnemc_section_types.csv (water-body type of each CNEMC section).

Usage: derive_section_types.py cnemc_auto_national_2025-11.csv > cnemc_section_types.csv

The CNEMC data has no water-body type column, and the type decides the TP
limits (lakes and reservoirs use GB 3838's 湖、库 row). For each section
(province, city, river, section: section names alone repeat) this computes
the class of every row with a published class twice, with river TP limits
and with lake TP limits (the published method: pH, DO, CODMn, NH3-N, TP,
raw values rounded half to even at 0/1/1/2/3 decimals), and records
  lake   basis=data  when only the lake limits reproduce every row;
  river  basis=data  when only the river limits do;
  lake/river basis=name when both do (no row of the month tells them
         apart): lake if the river or section name contains 湖, 水库, 库, 淀
         or 池, river otherwise.
It is therefore fitted to the published classes it is later tested on: the
test shows the method reproduces them given this table, not that the table
was known beforehand. No section needed anything else.
"""
import csv
import re
import sys
from decimal import Decimal, ROUND_HALF_EVEN

LIMITS = {"DO": [7.5, 6, 5, 3, 2], "CODMn": [2, 4, 6, 10, 15],
          "NH3N": [0.15, 0.5, 1.0, 1.5, 2.0], "TP": [0.02, 0.1, 0.2, 0.3, 0.4],
          "TP_LAKE": [0.01, 0.025, 0.05, 0.1, 0.2]}
DECIMALS = {"pH": 0, "DO": 1, "CODMn": 1, "NH3N": 2, "TP": 3}
COLUMN = {"pH": "pH_raw", "DO": "DO_mg_L_raw", "CODMn": "CODMn_mg_L_raw",
          "NH3N": "NH3N_mg_L_raw", "TP": "TP_mg_L_raw"}
LAKE_NAME = re.compile("湖|水库|库|淀|池")


def item_class(item, v, lake):
    if item == "pH":
        return 1 if 6 <= v <= 9 else 6
    limits = LIMITS["TP_LAKE" if item == "TP" and lake else item]
    for k, lim in enumerate(limits):
        if (v >= Decimal(str(lim))) if item == "DO" else (v <= Decimal(str(lim))):
            return k + 1
    return 6


def row_class(row, lake):
    worst = 0
    for item, col in COLUMN.items():
        if row[col]:
            v = Decimal(row[col]).quantize(Decimal(1).scaleb(-DECIMALS[item]),
                                           rounding=ROUND_HALF_EVEN)
            worst = max(worst, item_class(item, v, lake))
    return worst


def main():
    sections = {}
    with open(sys.argv[1], encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            key = (row["province"], row["city"], row["river"], row["section"])
            fit = sections.setdefault(key, [True, True])
            if row["class_num"]:
                published = int(row["class_num"])
                fit[0] &= row_class(row, False) == published
                fit[1] &= row_class(row, True) == published
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["province", "city", "river", "section", "type", "basis"])
    for key in sorted(sections):
        river_ok, lake_ok = sections[key]
        if river_ok and lake_ok:
            kind = "lake" if LAKE_NAME.search(key[2] + key[3]) else "river"
            basis = "name"
        elif river_ok or lake_ok:
            kind, basis = ("river" if river_ok else "lake"), "data"
        else:
            sys.exit(f"no type reproduces every class of {key}")
        out.writerow(list(key) + [kind, basis])


if __name__ == "__main__":
    main()
