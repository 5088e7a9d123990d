"""The incident services on a real store: every step lands on the timeline, durably."""

from __future__ import annotations

import pytest

from fieldkit.services import incident_close, lifecycle, notices
from fieldkit.services import incidents as inc
from fieldkit.services.incidents import IncidentError
from fieldkit.store import Store
from tests.incidents.helpers import answer_all


def _unit(ws, code):
    return ws.lookup_scan(code).target


def test_open_log_and_reopen_store_keeps_everything(ws, tmp_path):
    place = _unit(ws, "1-1-602")
    incident = inc.open_incident(ws, "flooding", place, "major", by="Li")
    assert incident.place == "1-1-602" and incident.target.id == place.id
    inc.add_entry(ws, incident.id, "  water coming through the ceiling  ")
    inc.add_entry(ws, incident.id, "valve closed", "action")
    inc.log_call(ws, incident.id, "119", "Officer Zhang", "asked for pumps")
    entries = inc.view(ws, incident.id).entries
    assert [e.kind for e in entries] == ["observation", "action", "call"]
    assert entries[0].text == "water coming through the ceiling"
    assert entries[2].data == {"service": "119", "answered_by": "Officer Zhang"}
    ws.close()
    with Store.open(tmp_path / "ws", readonly=True) as store:
        stored = store.get_incident(incident.id)
        assert [e.type for e in stored.timeline] == ["observation", "action", "call"]
        # each entry went to the outbox with the create: the office gets all of it
        assert store.outbox_count() == 4


def test_refusals_change_nothing(ws):
    incident = inc.open_incident(ws, "fire", None, "minor", place_text="car park")
    before = ws.store.outbox_count()
    for call in (
        lambda: inc.add_entry(ws, incident.id, "   "),
        lambda: inc.add_entry(ws, incident.id, "x", "gossip"),
        lambda: inc.log_call(ws, incident.id, "999"),
        lambda: inc.escalate(ws, incident.id, "minor"),
        lambda: inc.hand_over(ws, incident.id, " "),
        lambda: incident_close.close(ws, incident.id, ""),
        lambda: incident_close.close(ws, incident.id, "done"),  # the open points undecided
        lambda: inc.correct(ws, incident.id, "no-such-entry", "x"),
        lambda: inc.open_incident(ws, "meteor", None),
        lambda: inc.raise_followup(ws, incident.id, "party", "x"),
    ):
        with pytest.raises(IncidentError):
            call()
    assert ws.store.outbox_count() == before
    assert ws.store.get_incident(incident.id).timeline == []


def test_correction_points_at_the_entry_and_keeps_it(ws):
    incident = inc.open_incident(ws, "flooding", None)
    wrong = inc.add_entry(ws, incident.id, "water on floor 5")
    inc.correct(ws, incident.id, wrong.id, "water on floor 6")
    entries = inc.view(ws, incident.id).entries
    assert entries[0].text == "water on floor 5"
    assert entries[0].corrected_text == "water on floor 6"
    assert entries[1].kind == "correction" and entries[1].data["corrects"] == wrong.id


def test_escalate_handover_stand_down_close(ws):
    incident = inc.open_incident(ws, "gas_leak", None, "major", by="Li")
    inc.escalate(ws, incident.id, "critical", "smell in three stairwells")
    inc.hand_over(ws, incident.id, "Wang", "night shift")
    inc.contain(ws, incident.id, "supply valve shut")
    with pytest.raises(IncidentError):
        inc.contain(ws, incident.id)
    inc.stand_down(ws, incident.id, "gas company made it safe")
    decided = {p.key: p.choices[0] for p in incident_close.open_points(ws, incident.id)}
    assert not any(p.point == "stand_down" for p in incident_close.open_points(ws, incident.id))
    incident_close.close(ws, incident.id, "Leak at the riser valve; fixed; no one hurt.", decided)
    view = inc.view(ws, incident.id)
    assert (view.severity, view.status, view.coordinator) == ("critical", "closed", "Wang")
    kinds = [e.kind for e in view.entries]
    # the store's own field-change event is folded into the escalation entry
    assert [k for k in kinds if k != "decision"] == [
        "escalation", "handover", "status", "status", "status",
    ]  # fmt: skip
    assert kinds[-1] == "status" and kinds.count("decision") == len(decided)
    assert view.entries[0].data == {"from": "major", "to": "critical"}
    assert view.summary.startswith("Leak at the riser")
    with pytest.raises(IncidentError):
        inc.add_entry(ws, incident.id, "too late")


def test_people_below_come_first_and_ticks_are_on_the_timeline(ws):
    units = ws.store.reference("unit")
    top = next(u for u in units if u.number == "1-1-802")
    place = ws.target(top.id)
    incident = inc.open_incident(ws, "flooding", place)
    people = inc.people(ws, incident.id)
    assert people, "the test compound has special-care flats"
    assert all(p.building_id == top.building_id for p in people)
    below = [p for p in people if p.below]
    # 1-1-602, 1-1-402, 1-1-202 have elderly residents: nearest floor first, all first
    assert [p.code for p in below] == ["1-1-602", "1-1-402", "1-1-202"]
    assert people[: len(below)] == below
    assert below[0].contact == "张**" and below[0].phone == "138****5678"
    assert "elderly_alone" in below[0].flags
    inc.check_person(ws, incident.id, below[0].unit_id, "ceiling dry, residents fine")
    again = inc.people(ws, incident.id)
    ticked = [p for p in again if p.checked]
    assert [p.unit_id for p in ticked] == [below[0].unit_id]
    assert ticked[0].checked_note == "ceiling dry, residents fine"


def test_whole_compound_without_a_place(ws):
    incident = inc.open_incident(ws, "typhoon", None, place_text="whole compound")
    flagged = {r.unit_id for r in ws.store.reference("resident") if r.special_care}
    flagged |= {u.id for u in ws.store.reference("unit") if u.special_care}
    assert {p.unit_id for p in inc.people(ws, incident.id)} == flagged
    assert len(flagged) > 12  # the 12 the helper adds, and some of the demo registry's


def test_plan_runs_through_the_runner_service(ws):
    incident = inc.open_incident(ws, "flooding", None)
    before = inc.view(ws, incident.id)
    assert before.plan_id is None and before.plan and not any(s.done for s in before.plan)
    run = inc.plan_run(ws, incident.id)
    assert run.checklist.id == "emergency.burst_pipe"
    first = run.steps()[0]
    run.answer(first.key, "pass")
    # the same run comes back, not a second one
    assert inc.plan_run(ws, incident.id).id == run.id
    view = inc.view(ws, incident.id)
    assert view.plan_id == run.id
    done = [s.key for s in view.plan if s.done]
    assert done == [first.key]
    assert ws.store.get_incident(incident.id).inspections == [run.id]
    assert [e.kind for e in view.entries] == ["plan"]


def test_every_type_key_has_a_plan_or_none_and_a_notice(ws):
    for key in inc.TYPE_KEYS:
        kind = inc.type_for_key(key)
        incident = inc.open_incident(ws, kind, None, place_text="gate 1")
        if kind not in ("security", "other"):
            assert inc.sop_checklist(ws, kind) is not None, kind
        for lang in ("zh", "en"):
            text = notices.draft(ws, incident.id, lang, "18:00").text
            assert "gate 1" in text and "18:00" in text and "{" not in text


def test_notice_written_and_recorded(ws):
    place = _unit(ws, "1-1-602")
    incident = inc.open_incident(ws, "flooding", place)
    draft = notices.draft(ws, incident.id, "zh", "今晚八点")
    assert "1号楼1单元602室" in draft.text and "今晚八点" in draft.text
    edited = draft.text.replace("各位业主", "1号楼各位业主")
    path = notices.send(ws, incident.id, edited, "zh").path
    assert path.read_text("utf-8").strip() == edited.strip()
    entry = inc.view(ws, incident.id).notices[0]
    assert entry.text == edited.strip() and entry.data["file"] == str(path)


def test_followup_case_is_linked_both_ways(ws):
    incident = inc.open_incident(ws, "flooding", None, "major")
    case_id = inc.raise_followup(ws, incident.id, "claim", "602 ceiling damage")
    case = ws.store.get_case(case_id)
    assert case.target.kind == "incident" and case.target.id == incident.id
    assert (case.kind, case.department) == ("complaint", "customer_service")
    follow = inc.view(ws, incident.id).followups
    first = lifecycle.first_state("complaint")  # nc22: it was "open", a finding's state, and
    assert first != "open"  # the case read 状态 open, 此工单open，不再流转
    assert [(f.case_id, f.kind, f.status) for f in follow] == [(case_id, "claim", first)]
    for kind in ("repair", "visit"):
        made = ws.store.get_case(inc.raise_followup(ws, incident.id, kind, "602"))
        assert made.status == lifecycle.first_state(made.kind)
        assert lifecycle.status_label(made.kind, made.status, "zh") != made.status


def test_find_by_short_reference(ws):
    incident = inc.open_incident(ws, "injury", None)
    assert inc.find(ws, incident.id[-6:]).id == incident.id
    assert inc.find(ws, "zzzzzz") is None


def test_the_cases_a_submitted_plan_raised_are_the_incidents_follow_ups(ws):
    """nc16: a lift's plan submitted with steps marked not done raised three cases, and the
    incident report said "后续工单 0 个": they are its follow-ups too, listed once."""
    incident = inc.open_incident(ws, "lift_entrapment", None, "major")
    run = inc.plan_run(ws, incident.id)
    answer_all(run)
    assert not run.missing()
    proposed = run.proposed_cases()
    assert proposed, "a step marked not done raises a case"
    ws.submit_run(run.id, proposed)
    follow = inc.view(ws, incident.id).followups
    ids = [f.case_id for f in follow]
    raised = ws.store.get_inspection(run.id).cases
    assert raised and set(raised) <= set(ids) and len(ids) == len(set(ids))
    assert all(f.kind == "finding" and f.title for f in follow if f.case_id in raised)
