"""Lists in order of urgency (overdue first by how overdue, then by due time), the
due time worded whole ("overdue 31 h", "超期 3 天"), and home, cases and the unit card
readable at 80×24 and 120×40: no column pushed off the table, no key bar cut."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from rich.cells import cell_len

from fieldkit.i18n import set_language, t
from fieldkit.model import Target
from fieldkit.services.types import UNFINISHED, CaseFilter, CaseRow, pick
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.cases import CasesScreen
from fieldkit.ui.screens.unit_card import UnitCardScreen
from fieldkit.ui.widgets.case_table import CaseTable, due_text
from fieldkit.ui.widgets.keybar import KeyBar
from tests.waits import shown

HOUR = 3600.0


def _raise(ws, title, severity, due_in_hours):
    from fieldkit.services.cases import iso

    unit = ws.store.reference("unit")[0]
    return ws.store.create_case(
        "finding", Target("unit", unit.id), title=title, department="engineering",
        severity=severity, due=iso(time.time() + due_in_hours * HOUR),
    ).id  # fmt: skip


@pytest.fixture
def urgent(tmp_path):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", cases=0, floors=2)
    ws = Workspace.open(tmp_path / "c")
    ids = {
        "minor_7d": _raise(ws, "minor in 7 days", "minor", 7 * 24),
        "critical_4h": _raise(ws, "critical in 4 h", "critical", 4),
        "major_over_2h": _raise(ws, "major overdue 2 h", "major", -2),
        "critical_over_31h": _raise(ws, "critical overdue 31 h", "critical", -31),
        "major_1d": _raise(ws, "major in 1 day", "major", 24),
    }
    yield ws, ids
    ws.close()
    set_language("en")


def test_cases_come_in_order_of_urgency(urgent):
    ws, ids = urgent
    rows = ws.cases_page(CaseFilter(status=UNFINISHED)).rows
    order = [r.id for r in rows]
    assert order == [ids[k] for k in ("critical_over_31h", "major_over_2h", "critical_4h",
                                      "major_1d", "minor_7d")]  # fmt: skip
    second = ws.cases_page(CaseFilter(status=UNFINISHED), offset=2, limit=2).rows
    assert [r.id for r in second] == order[2:4]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_due_time_is_worded_whole(lang):
    set_language(lang)
    now = time.time()

    def row(hours):
        return CaseRow(id="x", kind="finding", ref="x", title={}, target="", building="",
                       department="", severity="major", status="open", due=now + hours * HOUR,
                       overdue=hours < 0)  # fmt: skip

    assert due_text(row(-31), now).plain == t("ui.cases.overdue_by", hours="31")
    assert due_text(row(-80), now).plain == t("rounds.due.overdue_days", days="3")
    assert {"en": "overdue 31 h", "zh": "超期 31 小时"}[lang] == due_text(row(-31), now).plain
    set_language("en")


def _fits(table: CaseTable) -> None:
    widths = sum(c.get_render_width(table) for c in table.columns.values())
    assert widths <= table.size.width, (widths, table.size.width)
    due = next(c for c in table.columns.values() if c.key.value == "due")
    longest = max(cell_len(due_text(r, time.time()).plain) for r in table.rows_shown)
    assert due.get_render_width(table) >= longest


def _titles_whole(table: CaseTable) -> None:
    """With room to spare (120 columns), no title is cut, however the rows arrived."""
    title = next(c for c in table.columns.values() if c.key.value == "title")
    longest = max(cell_len(pick(r.title)) for r in table.rows_shown)
    assert title.get_render_width(table) - 2 * table.cell_padding >= longest


def _bar_fits(screen) -> None:
    bar = screen.query_one(KeyBar)
    assert cell_len(bar.render().plain) <= bar.size.width, bar.render().plain


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_screens_read_whole_at(urgent, size, lang):
    ws, ids = urgent
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=size) as pilot:
        await shown(pilot, lambda: app.screen.query("#home-cases")
                       and app.screen.query_one("#home-cases").rows_shown)  # fmt: skip
        await pilot.pause()
        home = app.screen
        table = home.query_one("#home-cases", CaseTable)
        assert table.rows_shown[0].id == ids["critical_over_31h"]
        _fits(table)
        _bar_fits(home)
        if size[0] >= 120:
            _titles_whole(table)
            first, *rest = table.rows_shown
            title = {"zh": "常闭防火门被撑开，楼道堆放杂物",
                     "en": "Fire door propped open, clutter on the stairs"}  # fmt: skip
            longer = replace(first, title=title)
            table.show((longer, *rest))  # a refresh (after a sync) brings a longer title
            table.fit()  # a fit before the table measured the new rows (its idle) fits too
            _titles_whole(table)
            await pilot.pause()
            _titles_whole(table)

        await pilot.press("c")
        await shown(pilot, lambda: isinstance(app.screen, CasesScreen) and app.screen.page)
        await pilot.pause()
        _fits(app.screen.query_one(CaseTable))
        if size[0] >= 120:
            _titles_whole(app.screen.query_one(CaseTable))  # was cut to 12 columns here
        _bar_fits(app.screen)
        await pilot.press("escape")

        unit = ws.lookup_scan("1-1-101").target
        home.open_target(unit)
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen) and app.screen.card)
        await pilot.pause()
        _bar_fits(app.screen)
        cases = app.screen.query_one("#card-cases").render().plain
        assert t("ui.cases.overdue_by", hours="31") in cases
