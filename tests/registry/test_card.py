"""The unit card's data (masked residents, permit hours now, violations, inspections) and
revealing personal values by role, every reveal logged."""

from __future__ import annotations

import re

import pytest

from fieldkit.model.registry import Resident
from fieldkit.services import registry
from fieldkit.services.registry import RegistryError, reveal, unit_card

from .conftest import NOW

MASKED_PHONE = re.compile(r"^1\d\d\*{4}\d{4}$")
MASKED_ID = re.compile(r"^\d{3}\*{11}[\dX]{4}$")


def showcase(ws):
    return ws.lookup_scan("3-2-302").target


def reveals(ws):
    return [doc for _, doc in ws.store.iter_records(["reveal"])]


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
        "en": "Cuihu Garden Building 3 entrance 2 flat 302",
    }
    assert card.permit.applicant.endswith("*") and card.permit.deposit > 0


def test_residents_are_masked_and_nothing_is_revealable_for_patrol(workspace):
    seen = 0
    for target in workspace.search("", kinds=("unit",), limit=100):
        for resident in unit_card(workspace, target, now=NOW).residents:
            assert MASKED_PHONE.match(resident.phone), resident
            assert MASKED_ID.match(resident.id_number), resident
            assert resident.name[1:] == "*" * (len(resident.name) - 1)
            assert resident.revealable == ()
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


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("patrol", set()),
        ("renovation", {"name"}),
        ("emergency", {"name", "phone"}),
        ("office", {"name", "phone", "id_number"}),
    ],
)
def test_reveal_by_role_and_every_reveal_logged(workspace, role, allowed):
    workspace.store.set_device_state(role=role)
    resident = registry.index_for(workspace).residents[showcase(workspace).id][0]
    card = unit_card(workspace, showcase(workspace), now=NOW)
    assert set(card.residents[0].revealable) == allowed
    outbox = workspace.store.outbox_count()
    for item in ("name", "phone", "id_number"):
        if item in allowed:
            assert reveal(workspace, resident.id, item, by="li") == getattr(resident, item)
        else:
            with pytest.raises(RegistryError) as caught:
                reveal(workspace, resident.id, item)
            assert caught.value.key == "registry.reveal.not_allowed"
    logged = reveals(workspace)
    assert sorted(doc["item"] for doc in logged) == sorted(allowed)
    assert all(doc["role"] == role and doc["resident_id"] == resident.id for doc in logged)
    assert workspace.store.outbox_count() == outbox + len(allowed)


def test_a_value_the_office_masked_cannot_be_revealed(workspace):
    workspace.store.set_device_state(role="office")
    target = showcase(workspace)
    masked = Resident(id="r-masked", site_id="s", unit_id=target.id, phone="139****0000")
    workspace.store.put_reference("resident", [masked])
    workspace.invalidate()
    with pytest.raises(RegistryError) as caught:
        reveal(workspace, "r-masked", "phone")
    assert caught.value.key == "registry.reveal.masked_by_office"
    with pytest.raises(RegistryError) as caught:
        reveal(workspace, "r-masked", "name")
    assert caught.value.key == "registry.reveal.empty"
    with pytest.raises(RegistryError) as caught:
        reveal(workspace, "nobody", "phone")
    assert caught.value.key == "registry.reveal.not_found"
    assert reveals(workspace) == []


def test_last_inspections_follow_new_submissions(workspace):
    target = showcase(workspace)
    assert unit_card(workspace, target, now=NOW).inspections == ()
    checklist = next(c for c in workspace.checklists_for(target) if "renovation" in c.id)
    run = workspace.start_run(checklist.id, target)
    workspace.store.submit_inspection(run.inspection.id)
    rows = unit_card(workspace, target, now=NOW).inspections
    assert [r.id for r in rows] == [run.inspection.id]
    assert rows[0].title["zh"]
