"""An incident's follow-up case names the incident's place as people say it: nc24 read a
Where of "1" on the case list and the case screen for an incident opened on building 1's
label (the follow-up keeps the incident's place, the building's bare code). A follow-up of
an incident at an entrance is filed under its building, so the building filter finds it."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.model import Target as ModelTarget
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.services.cases import iso
from fieldkit.services.types import CaseFilter, Target
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.case_detail import CaseDetailScreen
from fieldkit.ui.screens.cases import CasesScreen
from tests.incidents.helpers import screen_lines
from tests.waits import shown

BUILDING = {"zh": "1号楼", "en": "Building 1"}


def old_followup(ws, incident) -> str:
    """A follow-up as releases before this one stored it: its Where the bare code."""
    case = ws.store.create_case(
        "repair", ModelTarget("incident", incident.id), title="电梯困人后检修",
        department="engineering", due=iso(0), category="incident.repair",
        extra={"where": "1", "building": "1", "incident": incident.id},
    )  # fmt: skip
    return case.id


def row_of(lines: list[str], ref: str) -> str:
    return next(line for line in lines if ref in line)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_followup_reads_the_building_not_its_code(ws, lang):
    set_language(lang)
    compound = inc.compound_of(ws)
    record = next(b for b in compound.buildings.values() if b.code == "1")
    building = Target(id=record.id, kind="building", code="1", name=BUILDING, building="1")
    on_building = inc.open_incident(ws, "lift_entrapment", building)
    new = inc.raise_followup(ws, on_building.id, "repair", "电梯检修")
    old = old_followup(ws, on_building)
    at_entrance = inc.open_incident(
        ws, "lift_entrapment", places=places_.parse("1号楼2单元", compound)
    )
    entrance = inc.raise_followup(ws, at_entrance.id, "visit", "回访被困业主")
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CasesScreen(CaseFilter(status="", building="1")))
        await shown(pilot, lambda: isinstance(app.screen, CasesScreen) and app.screen.page)
        lines = screen_lines(app)
        for case_id in (new, old):
            row = row_of(lines, case_id[-6:])
            assert BUILDING[lang] in row, row
        assert entrance[-6:] in "\n".join(lines)  # found by the building filter
        app.push_screen(CaseDetailScreen(old))
        await shown(pilot, lambda: isinstance(app.screen, CaseDetailScreen))
        where = {"zh": "位置", "en": "Where"}[lang]
        await shown(pilot, lambda: any(where in line for line in screen_lines(app)))
        line = next(line for line in screen_lines(app) if line.strip().startswith(where))
        assert line.split(where, 1)[1].strip() == BUILDING[lang]


def test_a_followup_of_an_incident_at_an_entrance_counts_under_its_building(ws):
    from fieldkit.services.trends import device_trends

    at_entrance = inc.open_incident(
        ws, "lift_entrapment", places=places_.parse("1号楼2单元", inc.compound_of(ws))
    )
    inc.raise_followup(ws, at_entrance.id, "repair", "电梯检修")
    groups = {g.key: g.cases for g in device_trends(ws, "building").groups}
    assert groups.get("1") == 1, groups
