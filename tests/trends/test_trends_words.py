"""The trends as the office supervisor reads them: every category fieldkit itself raises is
named in words (a checklist's, an equipment date's, an incident's follow-up), never by its
id; every month the period names has its column and a row's cells add up to its cases;
the CSV says where a category happens most, as the screen does."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from fieldkit.checklists.locate import shipped_titles
from fieldkit.i18n import t
from fieldkit.reports.trends import trends
from fieldkit.reports.trends_text import INCIDENT_FOLLOWUPS, to_csv
from fieldkit.services import trends as tr
from fieldkit.ui.widgets.trends_chart import MONTHS, chart, plain
from tests.reports import pdfcheck

ID = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")  # fire.control_room.duty_log, equipment.scrap


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_category_fieldkit_raises_has_a_name(lang):
    names = tr.category_names(lang)
    raised = [*shipped_titles(), "equipment.service", "equipment.scrap",
              *(f"incident.{kind}" for kind in INCIDENT_FOLLOWUPS)]  # fmt: skip
    for category in raised:
        assert names.get(category) and not ID.match(names[category]), category
    assert (
        names["equipment.scrap"]
        == {"zh": "设备到期报废", "en": "Equipment due for scrapping"}[lang]
    )
    assert names["fire.control_room.duty_log"] == {
        "zh": "消防控制室值班记录", "en": "Fire control room duty log"}[lang]  # fmt: skip


def _case(n: int, month: str, category: str, building: str) -> dict:
    return {"id": f"c{n}", "kind": "finding", "status": "open", "category": category,
            "building": building, "created_at": f"{month}-15T08:00:00Z"}  # fmt: skip


def _months(first: int, count: int) -> list[str]:
    start = datetime(2025, first, 1, tzinfo=UTC)
    out = []
    for n in range(count):
        month = start.month - 1 + n
        out.append(f"{start.year + month // 12}-{month % 12 + 1:02d}")
    return out


def _rows(text: str, label: str) -> list[int]:
    """The numbers on the chart's line for ``label`` before where it happens most: the
    cases, the open, then the cells (a month without a case is a dot)."""
    for line in text.splitlines():
        if line.startswith(label):
            numbers = re.split(r"\s{2,}", line[len(label) :].strip())
            out = []
            for part in numbers:
                if not re.fullmatch(r"[\d·█\s]+", part):
                    break  # the words: where it happens most
                out += [int(n) for n in re.findall(r"\d+", part)]
            return out
    raise AssertionError(f"{label!r} not in\n{text}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_thirteen_months_are_thirteen_columns_and_rows_add_up(lang):
    months = _months(12, 13)  # December 2025 to December 2026, as the demo's year
    docs = [_case(n, m, "equipment.service", "1") for n, m in enumerate(months)]
    docs += [_case(100 + n, m, "fire.control_room.duty_log", "2") for n, m in
             enumerate(months[:1] * 3 + months[-1:])]  # fmt: skip
    found = trends(docs, "category")
    text = plain(chart(found, tr.category_names(lang), lang), 118)
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if t("trends.col.open", lang) in line)
    assert re.findall(r"\b\d+\b", lines[at]) == ["12", *map(str, range(1, 13))]
    assert re.findall(r"\b\d+\b", lines[at - 1]) == ["2025", "2026"]  # over 12 and 1
    label = {"zh": "设备到期维保", "en": "Equipment due for service"}[lang]
    cases, open_, *cells = _rows(text, label)
    assert cases == 13 and open_ == 13 and cells == [1] * 13
    duty = {"zh": "消防控制室值班记录", "en": "Fire control room duty log"}[lang]
    cases, open_, *cells = _rows(text, duty)
    assert cases == 4 and sum(cells) == 4 and cells[0] == 3  # the first month is there


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_older_months_are_added_up_in_one_cell(lang):
    months = _months(1, 20)
    docs = [_case(n, m, "water_leak", "3") for n, m in enumerate(months)]
    text = plain(chart(trends(docs, "category"), tr.category_names(lang), lang), 118)
    label = {"zh": "漏水渗水", "en": "Water leak"}[lang]
    cases, _open, earlier, *cells = _rows(text, label)
    assert len(cells) == MONTHS and earlier == 20 - MONTHS and cases == earlier + sum(cells)
    assert t("trends.col.earlier", lang) in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_says_where_a_category_happens_most(lang):
    """It read "water_leak" and "3 5; 2 2": names and buildings as a reader says them, in
    the language asked for, the code kept in a column of its own for programs."""
    names = tr.category_names(lang)
    docs = [_case(n, "2026-07", "water_leak", b) for n, b in enumerate("3333322")]
    docs.append(_case(9, "2026-07", "lift", "1"))
    rows = list(csv.reader(io.StringIO(to_csv(trends(docs, "category"), lang, names))))
    head = {"zh": ["代码", "类别", "工单数"], "en": ["Code", "Category", "Cases"]}[lang]
    assert rows[0][:3] == head and rows[0][6] == t("trends.col.where", lang)
    where = {"zh": "3号楼 5 单；2号楼 2 单", "en": "Building 3: 5; Building 2: 2"}[lang]
    leak = {"zh": "漏水渗水", "en": "Water leak"}[lang]
    assert rows[1][:7] == ["water_leak", leak, "7", "0", "7", "-", where]
    assert rows[-1][:2] == ["*", t("trends.col.total", lang)]
    assert rows[-1][6] == where + {"zh": "；1号楼 1 单", "en": "; Building 1: 1"}[lang]
    by_building = list(csv.reader(io.StringIO(to_csv(trends(docs, "building"), lang, names))))
    assert by_building[0][6] == t("trends.col.top", lang)
    assert by_building[1][6] == {"zh": "漏水渗水 5 单", "en": "Water leak: 5"}[lang]


@pdfcheck.needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_trends_say_the_period_and_counts_a_reader_can_tell_apart(tmp_path, lang):
    """From a day: the period is that day to the last one counted, not "12月 至 12月"; a
    category in one building once is "most" nowhere; a count never runs into a building's
    number ("Building 3: 6", "3号楼 6 单")."""
    from datetime import date

    from fieldkit.reports.trends_text import to_pdf

    docs = [_case(n, "2026-11", "water_leak", b) for n, b in enumerate("3333332")]
    docs += [_case(20, "2026-11", "gas", "1"), _case(21, "2026-11", "gas", "2")]
    found = trends(docs, "category", since=date(2026, 11, 10), until=date(2026, 11, 30))
    pdf = tmp_path / "trends.pdf"
    pdf.write_bytes(to_pdf(found, lang, tr.category_names(lang)))
    text = " ".join(pdfcheck.text(pdf, layout=True).split())
    period = {"zh": "2026年11月10日 至 2026年11月30日",
              "en": "10 November 2026 to 30 November 2026"}[lang]  # fmt: skip
    assert period in text
    most = {"zh": "多发：3号楼 6 单", "en": "most in Building 3: 6"}[lang]
    assert most in text and t("trends.text.spread", lang) in text
    assert ("多发：1号楼 1" if lang == "zh" else "Building 1 1") not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_month_not_over_is_said_to_be_so(lang):
    """December counted to the 7th read as a spike: the month is marked, on the screen's
    chart, in the text and under the printed charts; a month ended is not."""
    from datetime import date

    from fieldkit.reports.trends_text import charts_of, to_text

    docs = [_case(n, m, "water_leak", "3") for n, m in enumerate(["2026-10", "2026-11"] * 2)]
    docs += [_case(10 + n, "2026-12", "water_leak", "3") for n in range(2)]
    docs += [_case(20, "2026-12", "lift", "1")]
    for doc in docs[-3:]:
        doc["created_at"] = "2026-12-03T08:00:00Z"
    names = tr.category_names(lang)
    note = t("trends.text.partial", lang, month={"zh": "2026年12月", "en": "December 2026"}[lang])
    found = trends(docs, "category", since=date(2026, 10, 1), until=date(2026, 12, 7))
    screen = plain(chart(found, names, lang, 120), 116)
    assert note in " ".join(screen.split()) or note in screen.replace("\n", "")
    assert " 12*" in screen
    assert note in to_text(found, names, lang)
    captions = [fig.caption for _, fig in charts_of(found, names, lang)]
    assert any(note in c for c in captions)
    by_month = trends(docs, "month", since=date(2026, 10, 1), until=date(2026, 12, 7))
    label = {"zh": "2026年12月（截至今天）", "en": "December 2026 (to date)"}[lang]
    assert label in plain(chart(by_month, names, lang, 120), 116)
    whole = trends(docs, "category", since=date(2026, 10, 1), until=date(2026, 12, 31))
    assert note not in to_text(whole, names, lang) and "12*" not in to_text(whole, names, lang)
