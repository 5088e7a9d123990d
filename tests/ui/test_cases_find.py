"""The case list as a newcomer used it: / finds a case by a flat, its number, an asset's code
or a building's name in either language (a building's place is words in two languages: the
search took it for a string and crashed); back from a case with Esc the cursor is on the
row that was opened; open cases read down by due time; and the compound's clock, not the
laptop's, in every time shown."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import Target, localtime
from fieldkit.services.cases import iso
from fieldkit.services.types import UNFINISHED, CaseFilter
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from fieldkit.ui.widgets.case_table import CaseTable
from tests.desk.helpers import open_cases
from tests.waits import shown

HOUR = 3600.0


@pytest.fixture
def ws(tmp_path):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace

    generate(tmp_path / "c", cases=0, floors=2)
    workspace = Workspace.open(tmp_path / "c")
    yield workspace
    workspace.close()
    set_language("en")


def _raise(ws, code: str, title: str, due_in_hours: float, severity: str = "major") -> str:
    target = ws.lookup_scan(code).target
    case = ws.store.create_case(
        "finding", Target(target.kind, target.id), title=title, department="engineering",
        severity=severity, due=iso(time.time() + due_in_hours * HOUR),
        extra={"where": target.code, "building": target.building},
    )  # fmt: skip
    return case.id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_find_by_flat_number_asset_and_building_in_either_language(ws, lang):
    set_language(lang)
    flat = _raise(ws, "1-1-101", "楼道灯不亮", 5)
    asset = _raise(ws, "EXT-1-2-1", "灭火器压力不足", 3)
    building = ws.lookup_scan("bldg:2").target
    fire_door = ws.store.create_case(
        "finding", Target("building", building.id), title="常闭防火门被撑开",
        department="security", severity="critical", due=iso(time.time() + HOUR),
    ).id  # fmt: skip

    def found(text: str) -> list[str]:
        return [r.id for r in ws.cases_page(CaseFilter(status="", text=text)).rows]

    assert found("1-1-101") == [flat]
    assert found(flat[-6:]) == [flat] and found("#" + flat[-6:].upper()) == [flat]
    assert found("EXT-1-2-1") == [asset] and found("ext-1-2-1") == [asset]
    assert found("2号楼") == [fire_door] and found("Building 2") == [fire_door]  # no crash
    assert found("防火门") == [fire_door]  # words of its title
    assert found("9-9-999") == []


def test_open_cases_read_down_by_due_time(ws):
    """Not severity first: "1 小时内" comes before "40 小时内" whatever their severities."""
    late = _raise(ws, "1-1-101", "overdue", -2, "minor")
    soon_minor = _raise(ws, "1-1-102", "in 1 h", 1, "minor")
    later_critical = _raise(ws, "1-1-103", "in 40 h", 40, "critical")
    rows = ws.cases_page(CaseFilter(status=UNFINISHED)).rows
    assert [r.id for r in rows] == [late, soon_minor, later_critical]


async def test_esc_from_a_case_comes_back_to_its_row(ws):
    for n, flat in enumerate(("1-1-101", "1-1-102", "1-1-103", "1-1-104", "1-1-201", "1-1-202")):
        _raise(ws, flat, f"case {n}", n + 1)
    app = FieldkitApp(ws, lang="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_cases(app, pilot)
        cases = app.screen
        table = cases.query_one(CaseTable)
        await pilot.press("down", "down", "down", "down")
        opened = table.selected_id()
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        assert app.screen.case_id == opened
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is cases and not cases.waiting)
        assert table.cursor_row == 4 and table.selected_id() == opened  # not the top


def test_times_are_the_compounds_whatever_the_laptops_zone(monkeypatch):
    """A laptop set to UTC shows China time, as one set to China does; a deadline at the
    end of a day reads 24:00 of that day."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        localtime.use(localtime.DEFAULT_OFFSET_MINUTES)
        moment = datetime(2026, 12, 6, 14, 55, tzinfo=UTC).timestamp()
        assert localtime.fmt(moment) == "2026-12-06 22:55"
        assert localtime.fmt(moment, "stamp") == "20261206-225500"
        assert localtime.fmt("2026-12-06T14:55:00Z", "short") == "12-06 22:55"
        midnight = datetime(2026, 12, 10, tzinfo=timezone(timedelta(hours=8))).timestamp()
        assert localtime.fmt(midnight, "due") == "2026-12-09 24:00"
        china = datetime.now(timezone(timedelta(hours=8)))
        assert abs(localtime.now() - china) < timedelta(seconds=5)
        assert localtime.now().utcoffset() == timedelta(hours=8)
        localtime.use(0)  # a site whose record says +00:00
        assert localtime.fmt(moment) == "2026-12-06 14:55"
    finally:
        localtime.use(localtime.DEFAULT_OFFSET_MINUTES)
        monkeypatch.delenv("TZ")
        time.tzset()
