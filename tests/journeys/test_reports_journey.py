"""The office manager (陈静, role 5 of the demo) takes the reports upward, in zh and en: the
trends screen in the app (a chart: the categories with their months and where each happens
most, the heat map of buildings × categories, then by building), then on the command line
the coordinator's incident report as PDF, the handover as PDF, the trends as PDF and the
office's workbook — each read as a person reads it (pdftotext, openpyxl)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fieldkit.i18n import set_language
from fieldkit.services.workspace import Workspace
from tests.journeys.demo_pane import demo_pane, lines_with, palette
from tests.reports import pdfcheck
from tests.reports.storm import SUMMARY, storm

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pdfcheck.needs_poppler,
]

WORDS = {
    "zh": {"home": "办公室主管 · 陈静", "command": "高发问题",
           "command_shown": "高发问题趋势统计与交接班", "title": "按类别统计工单：共",
           "where": "多发楼栋", "heat": "楼栋与问题类别", "lift": "电梯故障", "b1": "1号楼",
           "by_building": "按楼栋统计工单：共", "top": "高发问题", "handover": "交接班记录",
           "incident": ["事件报告：暴雨", "暴雨（橙色预警）", "1号楼、2号楼、3号楼", "王敏", "赵刚",
                        SUMMARY["zh"], "制表", "审核", "第 1 页，共"],
           "handover_pdf": ["交接班记录", "交班人", "王敏", "暴雨 · 1号楼、2号楼、3号楼", "接班人"],
           "trends_pdf": ["逐月趋势", "高发问题排行", "多发：1号楼", "楼栋与问题类别", "7月"],
           "sheet": "工单", "building_col": "楼栋"},
    "en": {"home": "Office supervisor · Chen Jing", "command": "Recurring",
           "command_shown": "Recurring problems and handover",
           "title": "Cases by category:", "where": "Where most", "heat": "Buildings and categories",
           "lift": "Lift", "b1": "Building 1", "by_building": "Cases by building:",
           "top": "Top problems", "handover": "Shift handover",
           "incident": ["Incident report: Rainstorm", "Rainstorm (orange warning)",
                        "Building 1, Building 2 and Building 3", "Wang Min", "赵刚",
                        SUMMARY["en"], "Prepared by", "Reviewed by", "Page 1 of"],
           "handover_pdf": ["Shift handover", "Handed over by", "Wang Min",
                            "Rainstorm · Building 1, Building 2 and Building 3", "Taken over by"],
           "trends_pdf": ["Month by month", "Categories ranked", "most in Building 1",
                          "Buildings and categories", "Jul"],
           "sheet": "Cases", "building_col": "Building"},
}  # fmt: skip


def _report(folder: Path, role: str, lang: str, *args: str) -> None:
    env = {**os.environ, "FIELDKIT_DATA_DIR": str(folder / role), "FIELDKIT_CONFIG": "/nope"}
    done = subprocess.run([sys.executable, "-m", "fieldkit", "--lang", lang, *args],
                          capture_output=True, text=True, env=env, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_office_takes_the_reports_upward(tmp_path, make_demo, lang):
    words = WORDS[lang]
    folder = tmp_path / "demo"
    make_demo(folder, cases=60, lang=lang, floors=8)
    set_language(lang)
    ws = Workspace.open(folder / "emergency")  # the coordinator logged a rainstorm
    try:
        incident = storm(ws, lang)
    finally:
        ws.close()

    with demo_pane(tmp_path, folder, lang, "5") as pane:
        pane.wait_for(words["home"])
        palette(pane, words["command"], words["command_shown"])
        screen = pane.wait_for(words["heat"])
        assert words["title"] in screen and words["where"] in screen
        lift = lines_with(screen, words["lift"])[0]  # building 1's old lifts stand out
        named = re.findall(r"\d号楼|Building \d", lift)
        assert named and named[0] == words["b1"], lift
        pane.keys("b")
        screen = pane.wait_for(words["by_building"])
        assert words["top"] in screen and words["b1"] in screen
        pane.keys("h")
        pane.wait_for(words["handover"])
        pane.keys("Escape")

    pdf = tmp_path / "incident.pdf"
    _report(folder, "emergency", lang, "report", "incident", incident.id[-6:], "--format", "pdf",
            "-o", str(pdf))  # fmt: skip
    pdfcheck.assert_readable(pdf, words["incident"])
    handover = tmp_path / "handover.pdf"
    _report(folder, "emergency", lang, "report", "handover", "--format", "pdf", "-o",
            str(handover))  # fmt: skip
    pdfcheck.assert_readable(handover, words["handover_pdf"])
    trends = tmp_path / "trends.pdf"
    _report(folder, "office", lang, "report", "trends", "--format", "pdf", "-o", str(trends))
    pdfcheck.assert_readable(trends, words["trends_pdf"])
    book = tmp_path / "export.xlsx"
    _report(folder, "office", lang, "export", "--format", "xlsx", "--out", str(book))
    sheet = load_workbook(book)[words["sheet"]]
    head = [c.value for c in sheet[1]]
    column = head.index(words["building_col"])
    buildings = {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert words["b1"] in buildings
