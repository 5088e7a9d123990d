"""The unit card's data: masked residents, permit hours now, violations, inspections
(revealing a value: test_reveals.py)."""

from __future__ import annotations

import re

from fieldkit.services import registry
from fieldkit.services.registry import unit_card

from .conftest import NOW

MASKED_PHONE = re.compile(r"^1\d\d\*{4}\d{4}$")
MASKED_ID = re.compile(r"^\d{3}\*{11}[\dX]{4}$")


def showcase(ws):
    return ws.lookup_scan("3-2-302").target


def test_card_shows_permit_hours_and_whether_now_is_inside(workspace):
    card = unit_card(workspace, showcase(workspace), now=NOW)  # Friday 08:00
    assert card.permit is not None and card.permit.status == "active"
    assert card.permit.hours_today == ("08:00-12:00", "14:00-18:00")
    assert card.permit.inside_now
    assert not unit_card(workspace, showcase(workspace), now=NOW + 5 * 3600).permit.inside_now
    saturday = unit_card(workspace, showcase(workspace), now=NOW + 86400)
    assert saturday.permit.hours_today == () and not saturday.permit.inside_now
    assert card.address == {
        "zh": "翠湖苑 3号楼2单元302室",
        "en": "Cuihu Garden, Building 3, Entrance 2, Flat 302",
    }
    assert card.permit.applicant.endswith("*") and card.permit.deposit > 0


def test_residents_are_masked_on_every_card(workspace):
    seen = 0
    for target in workspace.search("", kinds=("unit",), limit=100):
        for resident in unit_card(workspace, target, now=NOW).residents:
            assert MASKED_PHONE.match(resident.phone), resident
            assert MASKED_ID.match(resident.id_number), resident
            assert resident.name[1:] == "*" * (len(resident.name) - 1)
            seen += 1
    assert seen >= 72


def test_violations_and_special_care_on_cards(workspace):
    index = registry.index_for(workspace)
    flagged = [r for uid in index.residents for r in index.residents[uid] if r.special_care]
    assert flagged
    card = unit_card(workspace, workspace.target(flagged[0].unit_id), now=NOW)
    assert set(flagged[0].special_care) <= set(card.special_care)
    violations = [c for c in workspace.store.open_cases() if c.kind == "violation"]
    assert violations
    card = unit_card(workspace, workspace.target(violations[0].target.id), now=NOW)
    assert [v.id for v in card.violations] == [violations[0].id]
    assert card.violations[0].title["en"]
    assert all(c.id != violations[0].id for c in card.cases)


def test_last_inspections_follow_new_submissions(workspace):
    target = showcase(workspace)
    assert unit_card(workspace, target, now=NOW).inspections == ()
    checklist = next(c for c in workspace.checklists_for(target) if "renovation" in c.id)
    run = workspace.start_run(checklist.id, target)
    workspace.store.submit_inspection(run.inspection.id)
    rows = unit_card(workspace, target, now=NOW).inspections
    assert [r.id for r in rows] == [run.inspection.id]
    assert rows[0].title["zh"]


def test_the_first_card_after_start_reads_what_was_saved_and_archived(compound):
    """A new start reads a flat's last inspections from the months' index and the flat
    from the reference index: no index over every place is built for a scan and a card,
    and what is saved after it is on the next card."""
    from fieldkit.services.workspace import Workspace

    ws = Workspace.open(compound)
    target = showcase(ws)
    checklist = next(c for c in ws.checklists_for(target) if "renovation" in c.id)
    first = ws.start_run(checklist.id, target).inspection.id
    ws.store.submit_inspection(first)
    ws.store.archive()  # into its month, with the month's index in the same write
    ws.close()
    ws = Workspace.open(compound)
    try:
        found = ws.lookup_scan("3-2-302")
        rows = unit_card(ws, found.target, now=NOW).inspections
        assert [r.id for r in rows] == [first] and rows[0].title["zh"]
        assert "places" not in ws._derived  # the whole places index was not built
        second = ws.start_run(checklist.id, found.target).inspection.id
        ws.store.submit_inspection(second)
        rows = unit_card(ws, found.target, now=NOW).inspections
        assert [r.id for r in rows] == [second, first]
    finally:
        ws.close()
