"""The weekly report for the company, as it is printed, in zh and en: cases per department
with overdue by the case list's rule, the fire rounds done and late, the equipment falling
due as `fieldkit equipment due` lists it; a bad date is refused in words."""

from __future__ import annotations

import re
import time

import pytest

from fieldkit.i18n import catalogue, t
from fieldkit.services import equipment
from fieldkit.services.demo import generate
from fieldkit.services.types import CaseFilter
from fieldkit.services.weekly import EQUIPMENT_DAYS
from fieldkit.services.workspace import Workspace
from tests.reports import pdfcheck
from tests.reports.test_exports import fieldkit


@pytest.fixture(scope="module")
def device(tmp_path_factory):
    from fieldkit.services import demo_rules

    folder = tmp_path_factory.mktemp("week") / "office"
    generate(folder, cases=60, floors=4, person="陈静")
    demo_rules.add_to(folder)
    return folder


def _facts(device):
    ws = Workspace.open(device, command="tests")
    try:
        now = time.time()
        late = ws.cases_page(CaseFilter(overdue=True), 0, 1000, now=now).total
        due = [i.dates.asset.code for i in equipment.due(ws, 30, now)]
    finally:
        ws.close()
    return late, due


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_week_in_words(device, lang):
    late, due = _facts(device)
    out = fieldkit(device, "report", "week", lang=lang)
    assert out.returncode == 0, out.stderr
    words = catalogue(lang)
    text = out.stdout
    assert words["week.title"] in text and words["week.cases"] in text
    # plain text, to read or paste into a message: columns, no markup
    total = re.search(rf"^{re.escape(words['week.total'])}\s+(\d+)\s+(\d+)\s+(\d+)$", text, re.M)
    assert total and int(total.group(3)) == late  # overdue: the case list's rule
    assert not any(mark in text for mark in ("|", "**", "# ")), text
    md = fieldkit(device, "report", "week", "--format", "md", lang=lang).stdout
    assert f"| {words['week.total']} | " in md
    assert all(code in text for code in due) and due
    floor_round = {"zh": "灭火器月检（按楼层）", "en": "Monthly extinguisher round"}[lang]
    assert floor_round in text
    for out_text in (text, md):  # the control room's watch apart from the equipment rounds
        _duty_apart(out_text, lang)


DUTY = {"zh": ("消防控制室值班记录", "消防控制室每班检查"),
        "en": ("Fire control room duty log", "Fire control room — every shift")}  # fmt: skip


def _duty_apart(text, lang):
    """The equipment rounds section names no duty check; the duty section follows it,
    under its own heading, and names both (and no equipment round)."""
    words = catalogue(lang)
    rounds = text.index(words["week.rounds"])
    duty = text.index(words["week.duty"])
    kit = text.index(t("week.equipment", lang, days=EQUIPMENT_DAYS))
    assert rounds < duty < kit, (rounds, duty, kit)
    assert not any(d in text[rounds:duty] for d in DUTY[lang]), text[rounds:duty]
    assert all(d in text[duty:kit] for d in DUTY[lang]), text[duty:kit]
    floor_round = {"zh": "灭火器月检（按楼层）", "en": "Monthly extinguisher round"}[lang]
    assert floor_round in text[rounds:duty] and floor_round not in text[duty:kit]


@pdfcheck.needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_week(device, tmp_path, lang):
    pdf = tmp_path / "week.pdf"
    out = fieldkit(device, "report", "week", "--format", "pdf", "-o", str(pdf), lang=lang)
    assert out.returncode == 0, out.stderr
    text = pdfcheck.text(pdf)
    words = catalogue(lang)
    for key in ("week.title", "week.cases", "week.rounds", "week.duty", "week.col.overdue",
                "week.total"):  # fmt: skip
        assert words[key] in text, key
    _duty_apart(text, lang)
    assert all(f["emb"] == "yes" for f in pdfcheck.fonts(pdf))
    # a note's line began with "，与工单列表…": ReportLab's marks that cannot start a line
    # are Japanese ones, without the full-width comma, semicolon, colon ...
    starts = [line for line in text.splitlines() if line and line[0] in "，。、；：？！）》」』”’"]
    assert not starts, starts


@pytest.mark.parametrize(("lang", "said"), [("zh", "不是日期"), ("en", "is not a date")])
def test_a_bad_date_is_refused_in_words(device, lang, said):
    out = fieldkit(device, "report", "week", "--from", "2026-13-01", lang=lang)
    assert out.returncode == 2 and said in out.stderr and "Traceback" not in out.stderr
    out = fieldkit(device, "report", "week", "--from", "2026-12-07", "--to", "2026-12-01",
                   lang=lang)  # fmt: skip
    assert out.returncode == 2 and "2026-12-07" in out.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_default_is_last_calendar_week(device, lang):
    """On a Monday it printed Tuesday to today: a weekly report is Monday to Sunday."""
    from datetime import timedelta

    from fieldkit.reports.dates import full_date

    ws = Workspace.open(device, command="tests")
    try:
        today = equipment.today(ws, time.time())
    finally:
        ws.close()
    monday = today - timedelta(days=today.weekday() + 7)
    span = t("week.span", lang, start=full_date(monday, lang),
             end=full_date(monday + timedelta(days=6), lang))  # fmt: skip
    text = fieldkit(device, "report", "week", lang=lang).stdout
    assert t("week.span_named", lang, week=t("week.last_week", lang), span=span) in text, text[:400]
    given = fieldkit(device, "report", "week", "--from", today.isoformat(), lang=lang).stdout
    alone = t("week.span", lang, start=full_date(today, lang), end=full_date(today, lang))
    assert alone in given
