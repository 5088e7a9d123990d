"""Replica merges converge: commutative, associative, idempotent; nothing lost or regressed.

Three replicas of one case (and of one incident) take random local edits and random partial
syncs; then every pairing of their states is merged in every shape.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.model import (
    CASE_LIFECYCLE,
    INCIDENT_LIFECYCLE,
    Case,
    Clock,
    Event,
    Incident,
    Target,
    merge_record,
)

DEVICES = ("d0", "d1", "d2")

op = st.one_of(
    st.tuples(
        st.just("set"),
        st.integers(0, 2),
        st.sampled_from(["assignee", "severity", "department", "due", "title"]),
        st.integers(0, 3),
    ),
    st.tuples(st.just("status"), st.integers(0, 2), st.integers(0, 5), st.none()),
    st.tuples(st.just("reopen"), st.integers(0, 2), st.none(), st.none()),
    st.tuples(st.just("event"), st.integers(0, 2), st.integers(0, 59), st.none()),
    st.tuples(st.just("sync"), st.integers(0, 2), st.integers(0, 2), st.none()),
)

VALUES = {
    "assignee": ["", "wang", "li", "zhao"],
    "severity": ["minor", "major", "critical", "major"],
    "department": ["engineering", "security", "cleaning", "landscaping"],
    "due": [None, "2026-12-01T10:00:00Z", "2026-12-02T10:00:00Z", None],
    "title": ["leak", "crack", "noise", "blocked exit"],
}


def _replicas(make, ops, lifecycle, walls):
    clocks = [Clock(d, wall=(lambda w=w: next(w))) for d, w in zip(DEVICES, walls, strict=True)]
    base = make(clocks[0])
    reps = [type(base).from_dict(base.to_dict()) for _ in DEVICES]
    for clock in clocks:
        clock.observe(max(base.stamps.values()))
    statuses = list(lifecycle)
    for n, (kind, who, a, b) in enumerate(ops):
        rep, clock = reps[who], clocks[who]
        if kind == "set":
            if a in type(rep).LWW_FIELDS:
                rep.set_field(a, VALUES[a][b], clock.now())
        elif kind == "status":
            target = statuses[min(a, len(statuses) - 1)]
            if lifecycle[target] >= lifecycle[rep.status]:
                rep.set_status(target, clock.now())
        elif kind == "reopen":
            rep.reopen(clock.now())
        elif kind == "event":
            rep.add_event(
                Event(f"e{n}-{who}", "note", str(clock.now()), at=f"2026-01-01T10:{a:02d}:00Z")
            )
        else:
            other = reps[a]
            for stamp in other.stamps.values():
                clock.observe(stamp)
            reps[who] = merge_record(rep, other)
    return reps


def _walls():
    # Each device's wall clock: mostly increasing, sometimes stuck or behind the others.
    return st.lists(st.integers(0, 50), min_size=3, max_size=3).map(
        lambda offs: [iter(range(1000 + o, 10**9, 1 + o % 3)) for o in offs]
    )


def _case(clock):
    return Case.new("c1", "repair", Target("unit", "u1"), clock.now(), category="water")


def _incident(clock):
    return Incident.new("i1", "rainstorm", clock.now(), place="B2")


def _check_laws(a, b, c, lifecycle):
    d = lambda r: r.to_dict()  # noqa: E731
    assert d(merge_record(a, b)) == d(merge_record(b, a))
    assert d(merge_record(merge_record(a, b), c)) == d(merge_record(a, merge_record(b, c)))
    ab = merge_record(a, b)
    assert d(merge_record(ab, ab)) == d(ab)
    assert d(merge_record(ab, a)) == d(ab)
    everything = merge_record(ab, c)
    for r in (a, b, c):
        assert everything.status_key() >= r.status_key()
        log = getattr(everything, type(r).LOG)
        assert {e.id for e in getattr(r, type(r).LOG)} <= {e.id for e in log}
        for name in type(r).LWW_FIELDS:
            if r.stamps[name] != everything.stamps[name]:
                # the value r held was overwritten: it is in the conflict log
                assert (name, r.stamps[name]) in {x.key() for x in everything.conflicts}
    assert everything.status in lifecycle


@settings(max_examples=300, deadline=None)
@given(st.lists(op, max_size=40), _walls())
def test_case_merge_laws(ops, walls):
    a, b, c = _replicas(_case, ops, CASE_LIFECYCLE, walls)
    _check_laws(a, b, c, CASE_LIFECYCLE)


@settings(max_examples=150, deadline=None)
@given(st.lists(op, max_size=40), _walls())
def test_incident_merge_laws(ops, walls):
    a, b, c = _replicas(_incident, ops, INCIDENT_LIFECYCLE, walls)
    a.link_inspection("x1")
    c.link_inspection("x2")
    _check_laws(a, b, c, INCIDENT_LIFECYCLE)
    assert merge_record(merge_record(a, b), c).inspections == ["x1", "x2"]


def test_concurrent_status_does_not_regress_and_is_logged():
    c0, c1 = Clock("d0", wall=lambda: 100), Clock("d1", wall=lambda: 200)
    base = _case(c0)
    a, b = Case.from_dict(base.to_dict()), Case.from_dict(base.to_dict())
    a.set_status("resolved", c0.now())
    b.set_status("assigned", c1.now())  # later stamp, lower rank
    m = merge_record(a, b)
    assert m.status == "resolved"
    assert any(x.field == "status" and x.value["status"] == "assigned" for x in m.conflicts)


def test_timeline_ordered_by_time_then_hlc():
    c0, c1 = Clock("d0", wall=lambda: 100), Clock("d1", wall=lambda: 50)
    base = _incident(c0)
    a, b = Incident.from_dict(base.to_dict()), Incident.from_dict(base.to_dict())
    a.add_event(Event("x", "note", str(c0.now()), at="2026-01-01T10:00:00Z"))
    b.add_event(Event("y", "note", str(c1.now()), at="2026-01-01T10:00:00Z"))
    b.add_event(Event("z", "note", str(c1.now()), at="2026-01-01T09:00:00Z"))
    assert [e.id for e in merge_record(a, b).timeline] == ["z", "y", "x"]
