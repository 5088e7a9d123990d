"""Neighbour disputes: the lifecycle's allowed and refused moves, intake with two flats,
both sides' statements and referrals, masking, both flats finding the case; and the office's
lifecycle copy in a data folder naming the states the moves follow."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.model import Target
from fieldkit.model.personal import is_masked
from fieldkit.services import cases as case_rules
from fieldkit.services import disputes, intake
from fieldkit.services import lifecycle as lc
from fieldkit.services.disputes import DisputeError
from fieldkit.services.intake import IntakeError
from fieldkit.services.lifecycle import FollowUp, MoveRefused
from fieldkit.services.trends import category_names
from fieldkit.services.types import CaseFilter
from fieldkit.store import Store
from tests.incidents.helpers import make_compound, open_workspace


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data") as s:
        yield s


@pytest.fixture
def ws(tmp_path):
    make_compound(tmp_path / "ws")
    workspace = open_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


def _units(ws, *codes):
    return [ws.places.by_code[c.lower()] for c in codes]


def _take(ws, upstairs="1-1-602", downstairs="1-1-502", category="leak_dispute"):
    a, b = _units(ws, downstairs, upstairs)
    request = intake.Request(
        "dispute",
        Target("unit", a.id),
        category,
        "楼上卫生间漏水到楼下天花板，双方对维修费有争议",
        building=a.building,
        where=a.code,
        other=Target("unit", b.id),
        other_building=b.building,
        other_where=b.code,
    )
    return intake.take(ws.store, request, by="desk")


def _dispute(store):
    return store.create_case(
        "dispute",
        Target("unit", "u1"),
        status=lc.first_state("dispute"),
        extra={"dispute": {"a": disputes.side_record("u1", "1-1-502"),
                           "b": disputes.side_record("u2", "1-1-602")}},
    )  # fmt: skip


def test_dispute_path_with_its_refusals(store):
    case = _dispute(store)
    assert case.status == "received"
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "mediating", "office")  # must hear both sides first
    assert refused.value.key == "lifecycle.refused.no_move"
    assert refused.value.params["allowed"] == "Hearing both sides, Cancelled"
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "investigating", "office")
    assert refused.value.key == "lifecycle.refused.department"
    store.update_case(case.id, department="customer_service")
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case.id, "investigating", "patrol")
    assert refused.value.key == "lifecycle.refused.role"
    case = lc.move(store, case.id, "investigating", "office")
    case = lc.move(store, case, "mediating", "patrol")  # the guard on the floor mediates
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "settled", "patrol", note="双方同意")
    assert refused.value.key == "lifecycle.refused.role"
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "settled", "office")
    assert refused.value.key == "lifecycle.refused.note"
    case = lc.move(store, case, "settled", "office", note="楼上负责维修，楼下自行补漆")
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "closed", "office")  # closes only after the follow-up visit
    assert refused.value.key == "lifecycle.refused.no_move"
    case = lc.follow_up(store, case, FollowUp(2, "楼上迟迟未修"), "office")
    assert (case.status, case.status_gen) == ("mediating", 1)  # dissatisfied: mediate again
    case = lc.move(store, case, "settled", "office", note="物业陪同上门，已修复")
    case = lc.follow_up(store, case, FollowUp(4), "office")
    case = lc.move(store, case, "closed", "office")
    assert case.status == "closed"
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "mediating", "office", note="x")
    assert refused.value.key == "lifecycle.refused.no_move"


def test_a_withdrawn_dispute_is_cancelled_with_a_reason(store):
    case = _dispute(store)
    with pytest.raises(MoveRefused):
        lc.move(store, case, "cancelled", "office")
    assert lc.move(store, case, "cancelled", "office", note="反映方撤回").status == "cancelled"
    with pytest.raises(DisputeError) as refused:
        disputes.add_statement(store, case.id, "a", "王", "x")
    assert refused.value.key == "cases.dispute.finished"


def test_mediation_that_fails_is_referred_on_then_closed_or_taken_up_again(store):
    """Not every dispute settles: from mediating the desk records that it did not and where
    both sides were told to turn; the case then closes, or mediation starts again."""
    case = _dispute(store)
    store.update_case(case.id, department="customer_service")
    case = lc.move(store, case.id, "investigating", "desk")
    case = lc.move(store, case, "mediating", "desk")
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "referred", "desk")
    assert refused.value.key == "lifecycle.refused.note"
    with pytest.raises(MoveRefused) as refused:
        lc.move(store, case, "referred", "patrol", note="x")
    assert refused.value.key == "lifecycle.refused.role"
    case = lc.move(store, case, "referred", "desk", note="双方分歧大，已告知可找社区人民调解委员会")
    assert case.status == "referred"
    assert lc.move(store, case, "mediating", "office", note="双方愿意再谈").status == "mediating"
    case = lc.move(store, case.id, "referred", "desk", note="仍未谈拢")
    assert lc.move(store, case, "closed", "desk").status == "closed"


def test_a_dispute_under_mediation_can_be_withdrawn(store):
    case = _dispute(store)
    store.update_case(case.id, department="customer_service")
    case = lc.move(store, lc.move(store, case.id, "investigating", "desk"), "mediating", "desk")
    assert lc.move(store, case, "cancelled", "desk", note="双方已私下协商好").status == "cancelled"


def test_intake_needs_two_different_flats(ws):
    a, b = _units(ws, "1-1-502", "1-1-602")
    base = dict(kind="dispute", target=Target("unit", a.id), category="noise_dispute",
                description="深夜拖动家具")  # fmt: skip
    with pytest.raises(IntakeError) as refused:
        intake.check(intake.Request(**base))
    assert refused.value.key == "cases.intake.other_unit"
    with pytest.raises(IntakeError) as refused:
        intake.check(intake.Request(**base, other=Target("unit", a.id)))
    assert refused.value.key == "cases.intake.same_unit"
    with pytest.raises(IntakeError) as refused:
        intake.check(intake.Request(**{**base, "category": "noise"}, other=Target("unit", b.id)))
    assert refused.value.key == "lifecycle.intake.category"
    intake.check(intake.Request(**base, other=Target("unit", b.id)))


def test_statements_referrals_and_both_flats(ws):
    case = _take(ws)
    assert (case.kind, case.status, case.category) == ("dispute", "received", "leak_dispute")
    said = "楼上卫生间漏水到楼下天花板，双方对维修…"
    assert case.extra["titles"]["zh"] == said  # the owner's words; the category is apart
    down, up = _units(ws, "1-1-502", "1-1-602")
    case = intake.dispatch(ws.store, case, "customer_service", "office")
    assert case.status == "investigating" and case.due
    disputes.add_statement(ws.store, case.id, "a", "李秀兰", "天花板发霉，要求赔偿",
                           when="2026-11-27 19:30", by="desk")  # fmt: skip
    disputes.add_statement(ws.store, case.id, "b", "陈建国", "愿意修，但不认可赔偿金额",
                           relation="tenant", by="desk")  # fmt: skip
    disputes.log_referral(ws.store, case.id, "committee", "居委会王主任", reference="JW-2026-118",
                          outcome="约定周六三方调解")  # fmt: skip
    with pytest.raises(DisputeError) as refused:
        disputes.add_statement(ws.store, case.id, "c", "x", "y")
    assert refused.value.key == "cases.dispute.bad_side"
    with pytest.raises(DisputeError) as refused:
        disputes.add_statement(ws.store, case.id, "a", " ", "y")
    assert refused.value.key == "cases.dispute.no_who"
    with pytest.raises(DisputeError) as refused:
        disputes.add_statement(ws.store, case.id, "a", "x", "y", when="yesterday")
    assert refused.value.key == "cases.dispute.bad_when"
    with pytest.raises(DisputeError) as refused:
        disputes.add_statement(ws.store, case.id, "a", "x", "y", when="2099-01-01 09:00")
    assert refused.value.key == "cases.dispute.future_when"
    with pytest.raises(DisputeError) as refused:
        disputes.log_referral(ws.store, case.id, "court", "x")
    assert refused.value.key == "cases.dispute.bad_body"

    view = disputes.view(ws, case.id)
    assert [(s.key, s.where) for s in view.sides] == [("a", "1-1-502"), ("b", "1-1-602")]
    assert all(s.owners and all(is_masked(o) for o in s.owners) for s in view.sides)
    assert [(s.side, s.who, s.relation) for s in view.statements] == [
        ("a", "李**", "owner"),
        ("b", "陈**", "tenant"),
    ]
    assert view.heard("a") and view.heard("b")
    (referral,) = view.referrals
    assert (referral.body, referral.who, referral.reference, referral.outcome) == (
        "committee",
        "居委会王主任",
        "JW-2026-118",
        "约定周六三方调解",
    )
    stored = ws.store.get_case(case.id)
    said = [e for e in stored.events if e.type == "statement"]
    assert said[0].at.startswith("2026-11-27T")  # when it was given, not when it was typed
    assert said[0].data["owner_name"] == "李秀兰"  # in full on this device; masked on screen

    for unit in (down, up):
        (row,) = disputes.for_unit(ws, unit.id)
        assert row.id == case.id and row.target == "1-1-502 ↔ 1-1-602"
        page = ws.cases_page(CaseFilter(target=unit.id))
        assert [r.id for r in page.rows] == [case.id]
    (other,) = _units(ws, "1-1-702")
    assert disputes.for_unit(ws, other.id) == ()
    assert disputes.view(ws, ws.store.create_case("repair", Target("unit", up.id)).id) is None


def test_office_copy_names_the_states_the_moves_follow(tmp_path):
    folder = tmp_path / "ws"
    make_compound(folder)
    text = lc.SHIPPED.read_text("utf-8")
    text = text.replace("{zh: 了解情况中, en: Hearing both sides}",
                        "{zh: 分别约谈双方, en: Talking to each side}")  # fmt: skip
    text = text.replace("{zh: 楼上楼下漏水纠纷, en: Leak between floors}",
                        "{zh: 楼上漏到楼下, en: Leak from upstairs}")  # fmt: skip
    text = text.replace(
        "{from: investigating, to: mediating, roles: [office, desk, patrol, emergency]}",
        "{from: investigating, to: mediating, roles: [office]}",
    )
    (folder / "lifecycles.yaml").write_text(text, "utf-8")
    ws = open_workspace(folder)
    try:
        case = _take(ws)
        case = intake.dispatch(ws.store, case, "customer_service", "office")
        assert lc.status_label("dispute", "investigating", "en") == "Talking to each side"
        assert category_names("en")["leak_dispute"] == "Leak from upstairs"  # the trends too
        assert ws.case(case.id).category["en"] == "Leak from upstairs"  # the case reads the copy's
        assert ws.role == "patrol"  # a device set up without the office
        assert ws.case(case.id).next_statuses == ()  # the shipped file lets patrol mediate
        with pytest.raises(MoveRefused) as refused:
            ws.move_case(case.id, "mediating")  # the office copy took this move from patrol
        assert t(refused.value.key, "en", **refused.value.params) == (
            "A patrol device may not move a case to 'Mediating'. Who may: office."
        )
    finally:
        ws.close()
    assert lc.status_label("dispute", "investigating", "en") == "Hearing both sides"


def test_entry_keeps_the_other_flat():
    doc = {"id": "c1", "kind": "dispute", "status": "received", "target": {"id": "u1"},
           "where": "1-1-502", "dispute": {"a": {"unit": "u1", "where": "1-1-502"},
                                           "b": {"unit": "u2", "where": "1-1-602"}}}  # fmt: skip
    e = case_rules.entry(doc, None)
    assert (e.other_id, e.where) == ("u2", "1-1-502 ↔ 1-1-602")
    assert case_rules.matches(e, CaseFilter(target="u2"), 0)
    assert not case_rules.matches(e, CaseFilter(target="u3"), 0)


def test_handover_shows_both_flats_and_masks_the_speaker(ws):
    from fieldkit.services.handover import handover, render

    case = _take(ws)
    case = intake.dispatch(ws.store, case, "customer_service", "office")
    disputes.add_statement(ws.store, case.id, "b", "陈建国", "不认可赔偿金额")
    disputes.log_referral(ws.store, case.id, "police", "刘警官", reference="110-3387")
    h = handover(ws.store, next_hours=4 * 24)  # due in three days: normal urgency
    lines = {d.text: d.title for d in h.done}
    title = lines["Received → Hearing both sides"]
    assert title == "楼上卫生间漏水到楼下天花板，双方对维修… 1-1-502 ↔ 1-1-602"
    assert "陈** for side 2, 1-1-602, said: 不认可赔偿金额" in lines  # as the history says it
    assert "Brought in the police station; 刘警官 took it there (ref. 110-3387)" in lines
    assert [d.status for d in h.due] == ["Hearing both sides"]
    assert "陈建国" not in render(h, "html", "en")


def test_a_broken_office_copy_is_not_used_and_moves_say_so(tmp_path):
    folder = tmp_path / "ws"
    make_compound(folder)
    (folder / "lifecycles.yaml").write_text("version: 1\nkinds:\n  dispute: []\n", "utf-8")
    ws = open_workspace(folder)
    try:
        case = ws.store.create_case("dispute", Target("unit", "u1"), status="received")
        with pytest.raises(lc.LifecycleFileError) as refused:
            ws.move_case(case.id, "investigating")
        message = t(refused.value.key, "en", **refused.value.params)
        assert "has mistakes; run 'fieldkit lifecycle validate" in message
        assert lc.status_label("dispute", "received", "zh") == "已受理"  # the shipped names
    finally:
        ws.close()
