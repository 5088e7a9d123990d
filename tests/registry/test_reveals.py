"""Revealing a resident's personal value: the rule (every role × every field, and the
coordinator's "during an incident"), the reason, the reveal record (who, role, field,
resident, reason, incident, time — never the value), and the office's list."""

from __future__ import annotations

import orjson
import pytest

from fieldkit.i18n import set_language
from fieldkit.model.personal import ALWAYS, INCIDENT, ITEMS, REVEAL_ROLES, REVEAL_RULES
from fieldkit.model.registry import Resident
from fieldkit.model.reveal import EXPORT_ITEM, REVEAL_REASONS
from fieldkit.services import incident_close, incidents, registry
from fieldkit.services.reveals import RevealError, choices, listing, log_export, reveal
from fieldkit.services.signin import sign_out

ROLES = ("patrol", "renovation", "emergency", "desk", "office")
#: The rule as the job needs it (docs/units.md): written out here, so a change to the
#: model's table is a change someone meant.
EXPECTED = {
    "patrol": {},
    "renovation": {"name": ALWAYS},
    "emergency": {"name": INCIDENT, "phone": INCIDENT},
    "desk": {"name": ALWAYS, "phone": ALWAYS},
    "office": {"name": ALWAYS, "phone": ALWAYS, "id_number": ALWAYS},
}


def logged(ws) -> list[dict]:
    return [doc for _, doc in ws.store.iter_records(["reveal"])]


def cared_for(ws):
    """A resident with a special-care flag (on an incident's residents list once an
    incident covers their building), and their flat."""
    index = registry.index_for(ws)
    for unit_id in sorted(index.units):
        for resident in index.residents_of(unit_id):
            if resident.special_care and resident.phone and resident.name:
                return resident, index.unit(unit_id)
    raise AssertionError("the demo has no special-care resident")


def plain(ws):
    """A resident of a flat with no special care (never on a residents-to-help list)."""
    index = registry.index_for(ws)
    for unit_id in sorted(index.units):
        unit = index.unit(unit_id)
        residents = index.residents_of(unit_id)
        if residents and not unit.special_care and not any(r.special_care for r in residents):
            return residents[0]
    raise AssertionError("no plain flat in the demo")


def open_on_building(ws, unit) -> str:
    building = ws.target(unit.building_id)
    return incidents.open_incident(ws, "fire", building, by="王敏").id


def test_the_rule_is_the_job_and_the_office_sends_what_may_be_revealed():
    assert {role: REVEAL_RULES.get(role, {}) for role in ROLES} == EXPECTED
    for item in ITEMS:  # a device can reveal offline only what it holds in full
        assert REVEAL_ROLES[item] == {r for r in ROLES if item in EXPECTED[r]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("item", ITEMS)
def test_every_role_and_field_outside_an_incident(workspace, role, item):
    workspace.store.set_device_state(role=role)
    resident, _ = cared_for(workspace)
    outbox = workspace.store.outbox_count()
    rule = EXPECTED[role].get(item)
    if rule == ALWAYS:
        value = reveal(workspace, resident.id, item, reason_code="home_visit")
        assert value == getattr(resident, item)
        (doc,) = logged(workspace)
        assert doc["item"] == item and doc["role"] == role and doc["by"] == workspace.actor
        assert doc["resident_id"] == resident.id and doc["unit_id"] == resident.unit_id
        unit = registry.index_for(workspace).unit(resident.unit_id)
        assert doc["unit_code"] == (unit.label or unit.number)
        assert doc["reason_code"] == "home_visit" and doc["incident_id"] == ""
        assert doc["at"] and value not in orjson.dumps(doc).decode()
        assert workspace.store.outbox_count() == outbox + 1
        return
    with pytest.raises(RevealError) as caught:
        reveal(workspace, resident.id, item, reason_code="emergency_contact")
    expected = "reveals.error.no_incident" if rule == INCIDENT else "reveals.error.not_allowed"
    assert caught.value.key == expected
    assert logged(workspace) == [] and workspace.store.outbox_count() == outbox


@pytest.mark.parametrize("item", ["name", "phone"])
def test_the_coordinator_reveals_a_resident_on_an_open_incidents_list(workspace, item):
    workspace.store.set_device_state(role="emergency")
    resident, unit = cared_for(workspace)
    incident = open_on_building(workspace, unit)
    listed = [p for p in incidents.people(workspace, incident) if p.unit_id == unit.id]
    assert listed and listed[0].resident_id  # the list names whose phone it shows
    assert reveal(workspace, resident.id, item, reason_code="emergency_contact",
                  incident_id=incident) == getattr(resident, item)  # fmt: skip
    (doc,) = logged(workspace)
    assert doc["incident_id"] == incident and doc["reason_code"] == "emergency_contact"
    # the flat's own card during the incident: the same incident is found for it
    assert reveal(workspace, resident.id, item, reason="电话打不通，上门前先确认") is not None
    assert [d["incident_id"] for d in logged(workspace)] == [incident, incident]
    with pytest.raises(RevealError) as caught:  # never the ID number
        reveal(workspace, resident.id, "id_number", reason_code="emergency_contact")
    assert caught.value.key == "reveals.error.not_allowed"
    other = plain(workspace)  # not on any list: still refused
    with pytest.raises(RevealError) as caught:
        reveal(workspace, other.id, item, reason_code="emergency_contact")
    assert caught.value.key == "reveals.error.no_incident"
    points = incident_close.open_points(workspace, incident)
    decided = {point.key: point.choices[0] for point in points}
    incident_close.close(workspace, incident, "已处置完毕", decided, by="王敏")
    with pytest.raises(RevealError) as caught:  # the incident is over
        reveal(workspace, resident.id, item, reason_code="emergency_contact")
    assert caught.value.key == "reveals.error.no_incident"
    assert len(logged(workspace)) == 2


def test_choices_say_what_each_field_is_and_who_may(workspace):
    resident, unit = cared_for(workspace)
    workspace.store.set_device_state(role="emergency")
    before = choices(workspace, resident.id)
    assert [c.item for c in before.fields] == list(ITEMS)
    assert not before.any_allowed and before.incident_id == ""
    assert all(c.masked and "*" in c.masked for c in before.fields)
    incident = open_on_building(workspace, unit)
    during = choices(workspace, resident.id, incident)
    assert during.incident_id == incident
    assert [c.allowed for c in during.fields] == [True, True, False]
    assert during.unit_code == (unit.label or unit.number)


def test_a_refusal_names_who_may_in_the_readers_language(workspace):
    resident, _ = cared_for(workspace)
    workspace.store.set_device_state(role="patrol")
    with pytest.raises(RevealError) as caught:
        reveal(workspace, resident.id, "phone", reason_code="home_visit")
    zh, en = caught.value.message("zh"), caught.value.message("en")
    assert zh.startswith("巡逻岗的设备不能查看住户的完整电话")
    assert "办公室、客服岗" in zh and "应急岗（仅限进行中事件需协助名单上的住户）" in zh
    assert not any(word in zh for word in ("patrol", "office", "desk", "emergency"))
    assert en.startswith("This patrol device may not show a resident's full phone number.")
    assert "office, service desk; emergency coordinator (only residents on an open incident's" in en
    set_language("en")


def test_a_reason_is_needed_and_bounded(workspace):
    workspace.store.set_device_state(role="office")
    resident, _ = cared_for(workspace)
    for kwargs, key in (
        ({}, "reveals.error.no_reason"),
        ({"reason": "   "}, "reveals.error.no_reason"),
        ({"reason_code": "curious"}, "reveals.error.bad_reason"),
        ({"reason": "x" * 201}, "reveals.error.reason_too_long"),
        ({"reason": "核对\x00身份"}, "reveals.error.reason_unprintable"),
    ):
        with pytest.raises(RevealError) as caught:
            reveal(workspace, resident.id, "phone", **kwargs)
        assert caught.value.key == key, kwargs
    assert logged(workspace) == []
    assert reveal(workspace, resident.id, "phone", reason="  业主  电话  核对 ") == resident.phone
    (doc,) = logged(workspace)
    assert doc["reason"] == "业主 电话 核对" and doc["reason_code"] == ""


def test_nobody_signed_in_reveals_nothing(workspace):
    workspace.store.set_device_state(role="office")
    resident, _ = cared_for(workspace)
    sign_out(workspace.store)
    with pytest.raises(RevealError) as caught:
        reveal(workspace, resident.id, "phone", reason_code="owner_request")
    assert caught.value.key == "reveals.error.no_person"
    assert logged(workspace) == []


def test_values_the_office_masked_or_never_had(workspace):
    workspace.store.set_device_state(role="office")
    unit = next(iter(registry.index_for(workspace).units))
    masked = Resident(id="r-masked", site_id="s", unit_id=unit, phone="139****0000")
    workspace.store.put_reference("resident", [masked])
    workspace.invalidate()
    for item, key in (("phone", "masked_by_office"), ("name", "empty")):
        with pytest.raises(RevealError) as caught:
            reveal(workspace, "r-masked", item, reason_code="home_visit")
        assert caught.value.key == f"reveals.error.{key}"
    for resident_id, item, key in (("nobody", "phone", "not_found"),
                                   ("r-masked", "bank", "not_personal")):  # fmt: skip
        with pytest.raises(RevealError) as caught:
            reveal(workspace, resident_id, item, reason_code="home_visit")
        assert caught.value.key == f"reveals.error.{key}"
    assert logged(workspace) == []


def test_the_office_lists_reveals_newest_first_and_others_may_not(workspace):
    resident, unit = cared_for(workspace)
    workspace.store.set_device_state(role="desk")
    reveal(workspace, resident.id, "phone", reason_code="follow_up")
    with pytest.raises(RevealError) as caught:
        listing(workspace)
    assert caught.value.key == "reveals.error.list_office"
    assert "客服岗的设备不能查看" in caught.value.message("zh")
    workspace.store.set_device_state(role="office")
    reveal(workspace, resident.id, "id_number", reason="街道办核对户籍")
    rows = listing(workspace)
    assert [(r.role, r.item) for r in rows] == [("office", "id_number"), ("desk", "phone")]
    assert rows[1].why("zh") == "回访联系" and rows[1].why("en") == "Call-back"
    assert rows[0].why("en") == "街道办核对户籍"
    assert rows[1].unit == (unit.label or unit.number)
    assert rows[1].resident.endswith("*") and resident.name not in rows[1].sentence("zh")
    assert rows[1].sentence("zh").startswith(f"{workspace.actor}（客服岗）  查看 ")
    assert listing(workspace, "2999-01-01") == []
    with pytest.raises(RevealError) as caught:
        listing(workspace, "yesterday")
    assert caught.value.key == "reveals.error.bad_since"


def test_a_full_export_is_the_offices_and_is_recorded(workspace):
    workspace.store.set_device_state(role="emergency")
    with pytest.raises(RevealError) as caught:
        log_export(workspace, ["resident"], "街道办核查")
    assert caught.value.key == "reveals.error.full_export"
    workspace.store.set_device_state(role="office")
    record = log_export(workspace, ["resident", "unit"], "街道办核查")
    assert record.item == EXPORT_ITEM and record.extra["kinds"] == ["resident", "unit"]
    (row,) = listing(workspace)
    assert row.sentence("zh") == f"{workspace.actor}（办公室）  完整导出：resident, unit"


def test_every_common_reason_reads_in_both_languages():
    from fieldkit.i18n import catalogue

    for code in REVEAL_REASONS:
        assert catalogue("zh")[f"reveals.reason.{code}"]
        assert catalogue("en")[f"reveals.reason.{code}"]
    assert catalogue("zh")["reveals.reason.emergency_contact"] == "应急联系"
