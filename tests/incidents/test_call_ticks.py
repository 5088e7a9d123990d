"""A call logged on an incident (F4) answers the plan step that asks for it (the checklist's
``call:``): nc34 logged the call to the power company (95598) and the site manager, and the
plan's "已联系供电公司" / "已报告项目经理" stayed unticked, to be answered again at the close. A
call nobody answered answers nothing; a plan's other steps are untouched."""

from __future__ import annotations

import pytest

from fieldkit.checklists import vocabulary
from fieldkit.checklists.loader import load_text
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc


def _power_cut(ws):
    compound = inc.compound_of(ws)
    incident = inc.open_incident(ws, "power_cut", places=places_.parse("2号楼", compound))
    inc.plan_run(ws, incident.id).answer("scope", "building")
    return incident


def _value(ws, incident, item):
    run = inc.linked_run(ws, ws.store.get_incident(incident.id))
    step = next(s for s in run.steps() if s.item.id == item)
    return run.value(step)


def test_a_call_answered_ticks_its_step_and_no_other(ws):
    incident = _power_cut(ws)
    inc.log_call(ws, incident.id, "power", "95598 工号3021", "说是外部线路故障")
    assert _value(ws, incident, "power_company") == "pass"
    assert _value(ws, incident, "manager_told") is None
    assert _value(ws, incident, "fire_systems_powered") is None
    inc.log_call(ws, incident.id, "manager", "王经理")
    assert _value(ws, incident, "manager_told") == "pass"
    (call,) = [e for e in ws.store.get_incident(incident.id).timeline
               if e.type == "call" and e.data["service"] == "manager"]  # fmt: skip
    assert call.data["answered_by"] == "王经理"


@pytest.mark.parametrize("nobody", ["无人接听", "no answer", "没人接，稍后再打"])
def test_a_call_nobody_answered_ticks_nothing(ws, nobody):
    incident = _power_cut(ws)
    inc.log_call(ws, incident.id, "power", nobody)
    assert _value(ws, incident, "power_company") is None
    assert any(e.type == "call" for e in ws.store.get_incident(incident.id).timeline)


def test_every_service_a_step_may_name_is_one_f4_offers():
    assert set(vocabulary.CALLED) == set(inc.SERVICES) - {"other"}


def test_call_is_checked_where_it_is_written():
    text = """id: x.plan
version: 1
title: {zh: 预案, en: Plan}
applies_to: incident.power_cut
sections:
  - id: s
    title: {zh: 一, en: One}
    items:
      - id: told
        type: check
        call: plumber
        label: {zh: 已报告, en: Told}
"""
    result = load_text(text, "x.yaml")
    (error,) = [e for e in result.errors if dict(e.params).get("key") == "call"]
    assert error.line == 11 and dict(error.params)["value"] == "plumber"
    assert "manager" in dict(error.params)["choices"]


@pytest.mark.parametrize(("typed", "scope"), [("2号楼", "building"), ("", "compound"),
                                              ("2-1-301", "one_unit")])  # fmt: skip
def test_the_plans_scope_is_what_the_place_already_says(ws, typed, scope):
    """nc34, nc36: the plan showed 7 steps, then 20 once "how far it reaches" was answered
    with what the place had said. A new plan takes it from the places; it can be changed."""
    places = places_.parse(typed, inc.compound_of(ws)) if typed else []
    incident = inc.open_incident(ws, "power_cut", places=places)
    run = inc.plan_run(ws, incident.id)
    assert run.value(run.step("scope")) == scope
    run.answer("scope", "district")  # the coordinator knows better
    assert _value(ws, incident, "scope") == "district"
