"""The trends as a manager reads them: the demo's year has a shape (leaks in the rainy
season, building 1's lifts, renovation noise in spring and autumn) and the charts show it —
month by month with the months named, categories ranked with where each happens most,
buildings × categories — in the self-contained HTML (inline SVG) and in the PDF."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import pytest

from fieldkit.services import trends as tr
from fieldkit.services.demo import generate
from fieldkit.store import Store
from tests.reports import pdfcheck

NOW = datetime(2026, 11, 20, 12, 0).timestamp()  # the year before: Nov 2025 to Oct 2026


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trends") / "office"
    generate(folder, cases=120, floors=8, now=NOW, person="陈静", patterns=True)
    return folder


def _docs(folder):
    with Store.open(folder, readonly=True) as store:
        return [d for _, d in store.iter_records(["case"])]


def _in(group, months: tuple[int, ...]) -> int:
    return sum(n for m, n in group.months.items() if int(m[5:]) in months)


def test_the_demo_year_has_its_patterns(demo):
    found = _docs(demo)
    by_category = {g.key: g for g in tr.trends(found, "category").groups}
    leaks, noise = by_category["water_leak"], by_category["renovation"]
    assert _in(leaks, (6, 7, 8)) > 3 * _in(leaks, (12, 1, 2))  # the rainy season
    assert _in(noise, (3, 4, 5, 9, 10, 11)) > 3 * _in(noise, (12, 1, 2, 6, 7, 8))
    whole = tr.trends(found, "category")
    lifts = whole.where_most("lift")
    assert lifts[0][0] == "1" and lifts[0][1] > 3 * sum(n for _, n in lifts[1:])
    assert [g.key for g in whole.groups[:3]] == ["water_leak", "lift", "renovation"]


def _run(folder, lang, *args):
    env = {**os.environ, "FIELDKIT_DATA_DIR": str(folder), "FIELDKIT_CONFIG": "/nope"}
    command = [sys.executable, "-m", "fieldkit", "--lang", lang, "report", "trends", *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    return done


WANTED = {
    "zh": ["高发问题统计（按类别）", "制表", "审核", "逐月趋势", "7月", "2026年", "高发问题排行",
           "漏水渗水",
           "电梯故障", "装修扰邻", "多发：1号楼", "楼栋与问题类别", "1号楼", "2号楼", "3号楼",
           "多发楼栋", "第 1 页，共"],
    "en": ["Recurring problems, by category", "Prepared by", "Reviewed by", "Month by month",
           "Jul", "2026", "Categories ranked",
           "Water leak", "Lift", "Neighbour's renovation", "most in Building 1",
           "Buildings and categories", "Building 1", "Building 2", "Building 3", "Where most",
           "Page 1 of"],
}  # fmt: skip


@pdfcheck.needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_draws_the_charts_with_their_words(demo, tmp_path, lang):
    pdf = tmp_path / f"trends-{lang}.pdf"
    _run(demo, lang, "--format", "pdf", "-o", str(pdf))
    words = pdfcheck.assert_readable(pdf, WANTED[lang])
    assert "Building 1" not in words if lang == "zh" else "号楼" not in words


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_html_page_has_its_charts_inline(demo, tmp_path, lang):
    page = tmp_path / "trends.html"
    _run(demo, lang, "--format", "html", "-o", str(page))
    text = page.read_text("utf-8")
    assert text.count("<svg") == 3  # month by month, ranked, the heat map
    for fetched in ("<script", "<link", " src=", "@import", "url("):
        assert fetched not in text
    for wanted in WANTED[lang][:-1]:
        assert wanted.replace("'", "&#x27;") in text, wanted


def test_places_are_named_and_the_top_says_something_new(demo):
    text = _run(demo, "zh", "--by", "building").stdout
    assert "1号楼" in text and "\n1 " not in text
    by_category = _run(demo, "zh").stdout
    lift = by_category.split("电梯故障", 1)[1].split("\n\n")[0]
    assert "多发楼栋：1号楼" in lift and "高发问题：电梯故障" not in lift
