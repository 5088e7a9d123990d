"""Ids, clocks and record dicts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldkit.model import (
    HLC,
    Case,
    ChecklistRef,
    Clock,
    Event,
    HLCError,
    Incident,
    Inspection,
    ModelError,
    RecordLocked,
    Target,
    Unit,
    answer_key,
    id_time_ms,
    is_uuid7,
    new_id,
    record_from_dict,
    split_answer_key,
)


def test_ids_are_uuid7_increasing_and_unique():
    ids = [new_id() for _ in range(20_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(is_uuid7(i) for i in ids[::97])
    assert abs(id_time_ms(ids[-1]) - id_time_ms(ids[0])) < 60_000
    assert not is_uuid7("0190a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b")  # a v4 id
    import uuid

    for i in (ids[0], ids[-1].upper(), "{" + ids[5] + "}", ids[9].replace("-", "")):
        assert id_time_ms(i) == uuid.UUID(i).int >> 80  # the canonical fast read agrees


hlcs = st.builds(
    HLC,
    st.integers(0, (1 << 48) - 1),
    st.integers(0, (1 << 24) - 1),
    st.sampled_from(["a", "b", "dev-1", "0190a1b2-c3d4-7e5f"]),
)


@given(hlcs, hlcs)
def test_hlc_string_order_is_stamp_order(a, b):
    assert HLC.parse(str(a)) == a
    assert (a < b) == (str(a) < str(b))


def test_hlc_parse_refuses_garbage():
    for bad in ["", "x", "12-34-d", "0000000000zz-000000-d", "000000000000-000000-"]:
        with pytest.raises(HLCError):
            HLC.parse(bad)


def test_clock_never_goes_backwards_when_the_wall_does():
    walls = iter([1000, 1000, 900, 5, 2000, 1999])
    clock = Clock("d1", wall=lambda: next(walls))
    stamps = [clock.now() for _ in range(6)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 6
    assert stamps[3] == HLC(1000, 3, "d1")
    restarted = Clock("d1", last=str(stamps[-1]), wall=lambda: 10)
    assert restarted.now() > stamps[-1]


def test_clock_observe_moves_past_remote():
    clock = Clock("d1", wall=lambda: 100)
    seen = clock.observe(HLC(5000, 7, "d2"))
    assert seen > HLC(5000, 7, "d2")
    assert clock.now() > seen


def _inspection() -> Inspection:
    clock = Clock("d1")
    return Inspection(
        id=new_id(),
        checklist=ChecklistRef("fire.extinguisher.monthly", 3, "ab" * 32),
        target=Target("building", "b1"),
        hlc=str(clock.now()),
        device="d1",
    )


def test_inspection_answers_and_lock_after_submit():
    clock = Clock("d1")
    insp = _inspection()
    insp.set_answer(answer_key("pressure", "ext-7"), 1.2, clock.now())
    insp.set_answer("in_place", "pass", clock.now(), note="ok")
    assert split_answer_key("pressure@ext-7") == ("pressure", "ext-7")
    again = Inspection.from_dict(insp.to_dict())
    assert again == insp
    insp.submit(clock.now())
    with pytest.raises(RecordLocked):
        insp.set_answer("in_place", "fail", clock.now())
    fix = insp.correction(new_id(), clock.now())
    assert fix.supersedes == insp.id and fix.status == "draft"
    assert fix.answers["pressure@ext-7"].value == 1.2


def test_unknown_keys_survive_a_round_trip():
    data = Unit(id=new_id(), site_id="s1", number="3-1201").to_dict()
    data["permit"] = {"until": "2027-01-01"}
    unit = record_from_dict("unit", data)
    assert unit.to_dict()["permit"] == {"until": "2027-01-01"}


@pytest.mark.parametrize(
    "entity,data",
    [
        ("case", {"id": "x"}),
        ("case", "not a dict"),
        ("unit", {"id": "u"}),
        ("nonsense", {"id": "x"}),
        ("inspection", {"id": "i", "checklist": {"id": "c"}, "target": {}, "hlc": "x"}),
    ],
)
def test_bad_dicts_raise_model_error(entity, data):
    with pytest.raises(ModelError):
        record_from_dict(entity, data)


def test_case_status_moves_forward_and_reopen_is_explicit():
    clock = Clock("d1")
    case = Case.new(new_id(), "repair", Target("unit", "u1"), clock.now())
    case.set_status("in_progress", clock.now())
    with pytest.raises(ModelError):
        case.set_status("open", clock.now())
    case.reopen(clock.now())
    assert (case.status, case.status_gen) == ("open", 1)
    with pytest.raises(ModelError):
        case.set_field("kind", "complaint", clock.now())


def test_events_are_kept_in_order_and_once():
    clock = Clock("d1")
    inc = Incident.new(new_id(), "typhoon", clock.now(), place="B2 car park")
    late = Event(new_id(), "note", str(clock.now()), at="2026-01-01T10:00:00.000Z")
    early = Event(new_id(), "call", str(clock.now()), at="2026-01-01T09:00:00.000Z")
    inc.add_event(late)
    inc.add_event(early)
    inc.add_event(late)
    assert [e.id for e in inc.timeline] == [early.id, late.id]
    assert Incident.from_dict(inc.to_dict()) == inc


@pytest.mark.parametrize(
    "bad",
    [("inspection", {"checklist": "x"}), ("case", {"target": "u1"}), ("case", {"events": "oops"})],
)
def test_a_string_where_a_nested_record_belongs_is_refused(bad):
    """A pulled change with a string for a nested record is refused at once (the pull then
    sets it aside as needing attention), never stored to fail later on a screen."""
    kind, doc = bad
    if kind == "case":
        cls, good = Case, Case.new(new_id(), "repair", Target("unit", "u1"), Clock("d1").now())
    else:
        cls, good = Inspection, _inspection()
    cls.from_dict(good.to_dict())  # the good one reads
    with pytest.raises(ModelError):
        cls.from_dict({**good.to_dict(), **doc})
