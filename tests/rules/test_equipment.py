"""Equipment that expires: the periods are data (extinguishers by GB 50444, lifts every 15
days); `fieldkit equipment due` lists what falls due in 30/60/90 days in zh and en; a case
is raised ahead of time, once; an asset's card shows its dates."""

from __future__ import annotations

import time
from calendar import isleap
from datetime import date

import pytest

from fieldkit.cli import main
from fieldkit.i18n import set_language
from fieldkit.services import demo_rules, equipment
from fieldkit.services.demo import generate
from fieldkit.services.types import Target
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.target import TargetScreen
from tests.waits import shown

ASSET = Target("a1", "asset", "EXT-1", {"zh": "灭火器", "en": "Extinguisher"})


@pytest.mark.parametrize(
    ("kind", "first", "then", "scrap"),
    [("water_based", 3, 1, 6), ("dry_powder", 5, 2, 10), ("clean_agent", 5, 2, 10),
     ("co2", 5, 2, 12)],
)  # fmt: skip
def test_extinguisher_service_and_scrap_follow_gb_50444(kind, first, then, scrap):
    made = date(2020, 2, 29)

    def years_on(n: int) -> date:  # 29 February, or the 28th in a year without one
        return date(2020 + n, 2, 29 if isleap(2020 + n) else 28)

    fresh = equipment.dates_of(ASSET, {"type": kind, "made": "2020-02-29"})
    assert fresh.next_service == years_on(first)
    assert fresh.scrap == years_on(scrap)
    serviced = equipment.dates_of(
        ASSET, {"type": kind, "made": made.isoformat(), "serviced": "2024-06-30"}
    )
    assert serviced.next_service == date(2024 + then, 6, 30)
    assert serviced.scrap == fresh.scrap


def test_a_lift_is_maintained_every_15_days_and_unknown_types_have_no_dates():
    lift = equipment.dates_of(ASSET, {"type": "passenger_lift", "serviced": "2026-01-25"})
    assert lift.next_service == date(2026, 2, 9) and lift.scrap is None
    assert equipment.dates_of(ASSET, {"type": "foam"}) is None
    assert equipment.dates_of(ASSET, {}) is None
    assert equipment.dates_of(ASSET, {"type": "co2", "made": "not a date"}).next_service is None


def test_a_rules_file_that_cannot_be_used_names_the_place():
    with pytest.raises(equipment.EquipmentRulesError) as caught:
        equipment.parse_rules({"types": {"x": {"kind": "lift", "names": {"zh": "梯", "en": "L"},
                                               "service_every": "2 weeks"}}})  # fmt: skip
    assert "types.x.service_every" in caught.value.message("en")
    assert "types.x.service_every" in caught.value.message("zh")


@pytest.fixture
def compound(tmp_path, monkeypatch):
    folder = tmp_path / "c"
    generate(folder, cases=0, floors=4)
    demo_rules.add_to(folder)
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(folder))
    return folder


def test_equipment_due_lists_what_falls_due_in_30_60_and_90_days(compound, capsys):
    counts = {}
    for days in (30, 60, 90):
        assert main(["--lang", "en", "equipment", "due", "--days", str(days)]) == 0
        out = capsys.readouterr().out
        counts[days] = len([ln for ln in out.splitlines() if ln.startswith("  ")])
        assert out.startswith(f"Equipment due in the next {days} days, or already past:")
    assert counts[30] < counts[60] < counts[90]
    assert main(["--lang", "en", "equipment", "due", "--days", "30"]) == 0
    out = capsys.readouterr().out
    assert "5 days overdue · Dry powder extinguisher due for service" in out
    assert "in 12 days · Water-based extinguisher due to be scrapped" in out
    assert "Lift due for maintenance · Lift, Building 3, Entrance 1" in out
    assert main(["--lang", "zh", "equipment", "due", "--days", "90"]) == 0
    out = capsys.readouterr().out
    assert "还有 45 天 · 二氧化碳灭火器到期维修" in out and "干粉灭火器到期报废" in out
    with pytest.raises(SystemExit) as refused:
        main(["--lang", "zh", "equipment", "due", "--days", "45"])  # 30, 60 or 90
    assert refused.value.code == 2 and "（可选：30, 60, 90）" in capsys.readouterr().err
    assert main(["--lang", "en", "equipment", "due", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "code,type,what,date,days_left,place" and len(rows) == counts[30] + 1


def test_cases_are_raised_ahead_of_time_once(compound):
    ws = Workspace.open(compound)
    try:
        now = time.time()
        first = equipment.raise_cases(ws, now)
        again = equipment.raise_cases(ws, now)
        assert first and again == []
        raised = [ws.store.get_case(i) for i in first]
        codes = {c.extra["where"]: c for c in raised}
        # within 30 days for extinguishers, 3 for lifts; the CO₂ service in 45 days is not yet
        assert {"EXT-1-1-3", "EXT-1-1-2", "EXT-1-1-1", "LIFT-3-1", "LIFT-2-2", "LIFT-2-1"} == set(
            codes
        )
        scrap = codes["EXT-1-1-2"]
        assert scrap.extra["titles"]["zh"].startswith("水基型灭火器到期报废：EXT-1-1-2，应于 ")
        assert scrap.extra["titles"]["en"].startswith("Water-based extinguisher due to be scrapped")
        assert scrap.department == "engineering" and scrap.kind == "finding"
        assert "GB 50444-2008" in scrap.description
        assert ws.due(now, note_missed=True) and len(ws.store.open_cases()) >= len(first)
        assert equipment.raise_cases(ws, now) == []
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_an_assets_card_shows_its_service_and_scrap_dates(compound, lang):
    ws = Workspace.open(compound)
    try:
        target = next(t for t in ws.search("EXT-1-1-2") if t.code == "EXT-1-1-2")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.push_screen(TargetScreen(target))
            words = {
                "zh": ("水基型灭火器 · 出厂 ", "报废日期：", "还有 12 天"),
                "en": ("Water-based extinguisher · made ", "Scrap by: ", "in 12 days"),
            }[lang]

            def dates() -> str:
                found = app.screen.query("#target-dates")
                return str(found.first().render()) if found else ""

            await shown(pilot, lambda: words[0] in dates())
            assert all(w in dates() for w in words), dates()
    finally:
        ws.close()
        set_language("en")
