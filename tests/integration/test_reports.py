"""Reports fit to print, on the demo database of 2026-07-15 (QINGSHUI_TODAY):
every Excel export has a title row naming its period and rule, Chinese (or
English) headers, number formats, China times, widths that fit, A4 set-up
and the period in its file name; the PDFs (cairo + pango) carry the
letterhead, the title, the period, the rows and page numbers, with the access
of their JSON routes; `qingshui report` writes the same PDFs.

The workbooks are read as their XML (zipfile + ElementTree), so no Python
package beyond the standard library is needed; the PDFs with pdftotext and
pdfinfo (poppler-utils).
"""
import io
import os
import re
import subprocess
import tempfile
import urllib.parse
import zipfile
import xml.etree.ElementTree as ET

from harness import Server, TempDbCase, main, run
from test_demo import Client, build_demo

TODAY = "2026-07-15"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def cell_ref(ref):
    """'B3' -> (3, 2)."""
    letters, digits = re.match(r"([A-Z]+)(\d+)", ref).groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits), col


class Workbook:
    """The parts of an .xlsx the tests look at, read from its XML."""

    def __init__(self, data):
        z = zipfile.ZipFile(io.BytesIO(data))
        strings = [("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
                   for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]
        styles = ET.fromstring(z.read("xl/styles.xml"))
        fmts = {f.get("numFmtId"): f.get("formatCode") for f in styles.iterfind("m:numFmts/m:numFmt", NS)}
        fmts.update({"0": "General", "1": "0", "2": "0.00", "9": "0%", "10": "0.00%"})
        self.xf_format = [fmts.get(x.get("numFmtId"), x.get("numFmtId"))
                          for x in styles.find("m:cellXfs", NS).findall("m:xf", NS)]
        book = ET.fromstring(z.read("xl/workbook.xml"))
        self.names = {d.get("name"): d.text for d in book.iterfind("m:definedNames/m:definedName", NS)}
        self.sheets = []
        for i, s in enumerate(book.iterfind("m:sheets/m:sheet", NS), 1):
            x = ET.fromstring(z.read(f"xl/worksheets/sheet{i}.xml"))
            cells = {}
            for c in x.iterfind("m:sheetData/m:row/m:c", NS):
                v = c.find("m:v", NS)
                value = None if v is None else (strings[int(v.text)] if c.get("t") == "s" else float(v.text))
                cells[cell_ref(c.get("r"))] = (value, self.xf_format[int(c.get("s", "0"))])
            setup = x.find("m:pageSetup", NS)
            self.sheets.append({
                "name": s.get("name"), "cells": cells,
                "widths": [float(c.get("width")) for c in x.iterfind("m:cols/m:col", NS)],
                "paper": setup.get("paperSize"), "orientation": setup.get("orientation"),
                "fit_to_page": x.find("m:sheetPr/m:pageSetUpPr", NS).get("fitToPage"),
                "fit_width": setup.get("fitToWidth"), "fit_height": setup.get("fitToHeight"),
                "footer": x.findtext("m:headerFooter/m:oddFooter", "", NS),
                "header": x.findtext("m:headerFooter/m:oddHeader", "", NS)})

    def row(self, sheet, r):
        cells = self.sheets[sheet]["cells"]
        return [cells[k][0] for k in sorted(k for k in cells if k[0] == r)]

    def column(self, sheet, heading):
        """The values and formats under HEADING (row 2) from row 3 on."""
        cells = self.sheets[sheet]["cells"]
        col = self.row(sheet, 2).index(heading) + 1
        return [cells[k] for k in sorted(k for k in cells if k[1] == col and k[0] > 2)]


def pdf_text(data):
    """(pages, text) of a PDF by pdfinfo and pdftotext."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True).stdout
        text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True,
                              check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return pages, text, tuple(round(float(x)) for x in size)


def disposition_name(headers):
    """The UTF-8 file name of Content-Disposition's filename*."""
    m = re.search(r"filename\*=UTF-8''(\S+)", headers["content-disposition"])
    return urllib.parse.unquote(m.group(1))


class Reports(TempDbCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="qingshui-reports-")
        cls.demo_db = os.path.join(cls.folder, "q.db")
        os.environ["QINGSHUI_TODAY"] = TODAY
        build_demo(cls.demo_db, TODAY)
        cls.server = Server(cls.demo_db)
        with open(f"{cls.demo_db}.leader-password") as f:
            cls.leader = Client(cls.server, "leader", f.read().strip())
        with open(f"{cls.demo_db}.djk-password") as f:
            cls.djk = Client(cls.server, "djk", f.read().strip())

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0
        os.environ.pop("QINGSHUI_TODAY", None)
        import shutil
        shutil.rmtree(cls.folder, ignore_errors=True)

    def get(self, path, client=None, headers=None):
        h = dict(headers or {})
        if client:
            h["Cookie"] = client.cookie
        return self.server.request("GET", path, headers=h)

    def test_water_monthly_excel(self):
        status, h, data = self.get("/api/water/export/monthly.xlsx?month=2026-06&rule=shiyan-2016")
        self.assertEqual(status, 200)
        self.assertEqual(disposition_name(h), "水质月度考核_2026-06.xlsx")
        self.assertIn('filename="qingshui_2026-06.xlsx"', h["content-disposition"])
        book = Workbook(data)
        s = book.sheets[0]
        title = book.row(0, 1)[0]
        self.assertIn("2026-06", title)
        self.assertIn("十政办发〔2016〕72号", title)                       # the rule
        self.assertEqual(book.row(0, 2), ["区县", "断面", "状态", "有数据天数", "类别", "目标", "合格", "计算过程"])
        self.assertIn(["丹江口市", "剑河口"], [book.row(0, r)[:2] for r in range(3, 20)])
        self.assertEqual({v for v, _ in book.column(0, "目标")} - {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"}, set())
        # widths that fit: the county column narrow, the working wide, not all equal
        widths = s["widths"]
        self.assertLess(widths[0], 16)
        self.assertGreaterEqual(widths[7], 40)
        self.assertEqual((s["paper"], s["orientation"], s["fit_width"] or "1", s["fit_height"], s["fit_to_page"]),
                         ("9", "landscape", "1", "0", "1"))        # fitToWidth's default is 1
        self.assertEqual(book.names["_xlnm.Print_Titles"], "'月度考核'!$2:$2")
        self.assertIn("&P", s["footer"])
        self.assertIn("&N", s["footer"])
        self.assertIn("2026-06", s["header"])

    def test_water_assessment_excel_formats(self):
        status, h, data = self.get("/api/water/export/assessment.xlsx?year=2025&rule=shiyan-2016")
        self.assertEqual(status, 200)
        self.assertEqual(disposition_name(h), "水质年度考核_2025.xlsx")
        book = Workbook(data)
        self.assertIn("2025 年", book.row(0, 1)[0])
        self.assertIn("万元", book.row(0, 1)[0])
        rates = book.column(0, "达标率")
        self.assertTrue(rates)
        for value, fmt in rates:
            self.assertEqual(fmt, "0.0%")
            self.assertTrue(0 <= value <= 1)
        actions = {v for v, _ in book.column(0, "保证金处理")}
        self.assertLessEqual(actions, {"返还", "扣缴"})
        self.assertTrue(actions)
        self.assertEqual([s["name"] for s in book.sheets], ["年度考核", "计算过程"])
        self.assertEqual(book.sheets[1]["orientation"], "portrait")      # two columns fit upright

    def test_overview_and_alarms_name_codes_and_show_china_time(self):
        status, h, data = self.get("/api/water/export/overview.xlsx?month=2026-06")
        self.assertEqual(disposition_name(h), "水质概况_2026-06.xlsx")
        book = Workbook(data)
        self.assertLessEqual({v for v, _ in book.column(0, "水体类型")}, {"河流", "湖库", "河流型水库"})
        self.assertLessEqual({v for v, _ in book.column(0, "级别")}, {"国控", "省控", "市控"})
        self.assertEqual({v for v, _ in book.column(0, "示例目标")}, {"是"})   # the demo's targets say so
        status, h, data = self.get("/api/water/export/alarms.xlsx")
        self.assertEqual(disposition_name(h), f"水质告警_{TODAY}.xlsx")
        book = Workbook(data)
        status, alarms = self.server.json("GET", "/api/water/alarms")
        self.assertTrue(alarms)
        first = alarms[0]
        row = book.row(0, 3)
        headings = book.row(0, 2)
        utc = first["opened_at"]                  # 2026-…T03:37:22Z
        hour = (int(utc[11:13]) + 8) % 24
        self.assertTrue(row[headings.index("告警时间")].endswith(f"{hour:02d}:{utc[14:16]}"), (utc, row))
        item = row[headings.index("指标")]
        self.assertTrue(item.endswith(" " + first["item"]) and len(item) > len(first["item"]) + 1, item)
        value_fmt = book.column(0, "值")[0][1]
        self.assertRegex(value_fmt, r"^0(\.0+)?$")

    def test_english_by_query_and_by_accept_language(self):
        status, h, data = self.get("/api/water/export/monthly.xlsx?month=2026-06&lang=en")
        self.assertEqual(disposition_name(h), "water-monthly-assessment_2026-06.xlsx")
        book = Workbook(data)
        self.assertEqual(book.row(0, 2)[:3], ["County", "Section", "Status"])
        self.assertIn("Page &P of &N", book.sheets[0]["footer"])
        status, h, data = self.get("/api/water/export/monthly.xlsx?month=2026-06",
                                   headers={"Accept-Language": "en-US,en;q=0.9"})
        self.assertEqual(Workbook(data).row(0, 2)[0], "County")
        status, h, data = self.get("/api/water/export/monthly.xlsx?month=2026-06",
                                   headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
        self.assertEqual(Workbook(data).row(0, 2)[0], "区县")
        status, _, data = self.get("/api/water/export/monthly.xlsx?month=2026-06&lang=fr")
        self.assertEqual(status, 400)
        self.assertIn(b"lang='fr' must be zh or en", data)
        self.assertEqual(self.get("/api/assessment.pdf?year=2026&lang=fr", self.leader)[0], 400)
        self.assertEqual(self.get("/api/tasks.pdf?lang=english", self.leader)[0], 400)

    def test_supervision_assessment_excel(self):
        self.assertEqual(self.get("/api/assessment.xlsx?year=2026")[0], 401)
        self.assertEqual(self.get("/api/assessment.xlsx?year=2026", self.djk)[0], 403)
        status, h, data = self.get("/api/assessment.xlsx?year=2026", self.leader)
        self.assertEqual(status, 200)
        self.assertEqual(disposition_name(h), "年度目标责任考核_2026.xlsx")
        book = Workbook(data)
        self.assertIn(f"2026 年度目标责任考核（截至 {TODAY}", book.row(0, 1)[0])
        self.assertEqual(book.row(0, 2), ["分组", "名次", "单位", "得分", "等次", "计分明细"])
        scores = [x for x in book.column(0, "得分") if isinstance(x[0], float)]
        self.assertTrue(scores)
        self.assertEqual({f for _, f in scores}, {"0.00"})
        self.assertEqual(book.sheets[0]["paper"], "9")
        self.assertIn("丹江口市人民政府", [v for v, _ in book.column(0, "单位")])

    def test_assessment_pdf(self):
        self.assertEqual(self.get("/api/assessment.pdf?year=2026")[0], 401)
        self.assertEqual(self.get("/api/assessment.pdf?year=2026", self.djk)[0], 403)
        status, h, data = self.get("/api/assessment.pdf?year=2026", self.leader)
        self.assertEqual((status, h["content-type"]), (200, "application/pdf"))
        self.assertEqual(disposition_name(h), "年度目标责任考核_2026.pdf")
        pages, text, size = pdf_text(data)
        self.assertIn(size, ((842, 595), (595, 842)))                     # A4
        self.assertGreater(pages, 1)
        self.assertIn("十堰市长江经济带生态保护和绿色发展领导小组办公室", text)
        self.assertIn("2026 年度目标责任考核", text)
        self.assertIn("丹江口市人民政府", text)
        self.assertIn(TODAY, text)
        self.assertIn("签发人", text)
        for p in range(1, pages + 1):
            self.assertIn(f"第 {p} 页，共 {pages} 页", text)
        self.assertNotIn(f"第 {pages + 1} 页", text)

    def test_water_month_and_tasks_pdf(self):
        status, h, data = self.get("/api/water/export/monthly.pdf?month=2026-06&rule=shiyan-2016")
        self.assertEqual(status, 200)
        self.assertEqual(disposition_name(h), "水质月度考核_2026-06.pdf")
        pages, text, _ = pdf_text(data)
        self.assertIn("跨界断面水质月度考核（2026-06", text)
        self.assertIn("丹江口水库坝上中", text)
        self.assertIn(f"第 1 页，共 {pages} 页", text)
        self.assertEqual(self.get("/api/tasks.pdf?year=2026")[0], 401)
        status, h, data = self.get("/api/tasks.pdf?year=2026", self.leader)
        self.assertEqual(disposition_name(h), "年度任务清单_2026.pdf")
        pages_all, text_all, _ = pdf_text(data)
        self.assertIn("2026 年度实施方案任务清单", text_all)
        status, h, data = self.get("/api/tasks.pdf?year=2026", self.djk)   # a unit reads it as its list
        self.assertEqual(status, 200)
        _, own, _ = pdf_text(data)
        status, mine = self.djk.get("/api/tasks?year=2026")
        flat = re.sub(r"\s+", "", own)
        for t in mine:
            self.assertIn(re.sub(r"\s+", "", t["title"])[:10], flat)
        self.assertEqual(self.get("/api/tasks.pdf?year=2026&light=blue", self.djk)[0], 400)   # its filters
        status, h, data = self.get("/api/tasks.pdf?year=2026&lang=en", self.leader)
        _, text, _ = pdf_text(data)
        self.assertIn("Page 1 of", text)
        self.assertIn("Lead unit", text)

    def test_report_command(self):
        out = os.path.join(self.folder, "a.pdf")
        r = run("report", "assessment", "--year", "2026", "--out", out, db=self.demo_db)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            pages, text, _ = pdf_text(f.read())
        self.assertIn("2026 年度目标责任考核", text)
        self.assertIn(f"第 {pages} 页，共 {pages} 页", text)
        out = os.path.join(self.folder, "w.pdf")
        r = run("report", "water-month", "--month", "2026-06", "--out", out, db=self.demo_db)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            self.assertIn("丹江口水库坝上中", pdf_text(f.read())[1])
        out = os.path.join(self.folder, "t.pdf")
        r = run("report", "tasks", "--year", "2026", "--out", out, "--lang", "en", db=self.demo_db)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            self.assertIn("Tasks of the implementation plan, 2026", pdf_text(f.read())[1])
        r = run("water", "export", "assessment", "--year", "2025", "--out", os.path.join(self.folder, "x.xlsx"),
                db=self.demo_db)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.folder, "x.xlsx"), "rb") as f:
            self.assertEqual(Workbook(f.read()).row(0, 2)[5], "达标率")

    def test_report_command_line_errors(self):
        r = run("report", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("usage: qingshui report assessment", r.stdout)
        r = run("report", "budget", "--year", "2026", "--out", "x.pdf")
        self.assertEqual(r.returncode, 2)
        self.assertIn("'budget' is not a report", r.stderr)
        r = run("report", "assessment", "--year", "20x6", "--out", "x.pdf")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--year '20x6'", r.stderr)
        r = run("report", "tasks", "--year", "2026")                       # no --out
        self.assertEqual(r.returncode, 2)
        r = run("report", "tasks", "--year", "2026", "--lang", "fr", "--out", "x.pdf")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--lang 'fr' is not zh or en", r.stderr)
        r = run("water", "export", "alarms", "--lang", "de", "--out", "x.xlsx")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--lang 'de' is not zh or en", r.stderr)
        self.assertFalse(os.path.exists("x.xlsx"))
        self.assertFalse(os.path.exists("x.pdf"))

    def test_letterhead_route(self):
        status, j = self.server.json("GET", "/api/report/letterhead")
        self.assertEqual(status, 200)
        self.assertEqual(j["issuer"], "十堰市长江经济带生态保护和绿色发展领导小组办公室")


if __name__ == "__main__":
    main()
