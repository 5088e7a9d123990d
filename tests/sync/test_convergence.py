"""Hypothesis: edits to one case from three devices, pushed in any order, some twice, with
devices offline for a while — every replica ends equal to the server, no event is lost, and
the status is the highest any device set (it never silently regresses).

The operations go through the server's real push and pull (``push.push``, ``pull.pull``) on
SQLite, without HTTP, so 500 examples fit in the default suite.
"""

from __future__ import annotations

import itertools

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from fieldkit.model import CASE_LIFECYCLE, Case, Clock, Event, Target, merge_case, new_id
from fieldkit.sync import protocol as p
from fieldkit_server.app import create_app
from fieldkit_server.devices import add_device
from fieldkit_server.pull import pull
from fieldkit_server.push import Caller, push
from fieldkit_server.tables import Record

STATUSES = list(CASE_LIFECYCLE)


class Replica:
    def __init__(self, caller: Caller, clock_start: int) -> None:
        self.caller = caller
        self.clock = Clock(caller.id, wall=lambda: 0)
        self.case: Case | None = None
        self.outbox: list[p.Operation] = []
        self.sent: list[p.Operation] = []
        self.seq = itertools.count(clock_start)
        self.cursor = 0

    def record(self) -> None:
        assert self.case is not None
        self.outbox.append(
            p.Operation(
                op_id=new_id(),
                seq=next(self.seq),
                hlc=str(self.clock.last),
                kind="case",
                record_id=self.case.id,
                site="s1",
                body=self.case.to_dict(),
            )
        )

    def take(self, change: dict) -> None:
        remote = Case.from_dict(change["body"])
        self.clock.observe(change["hlc"])
        for stamp in remote.stamps.values():
            self.clock.observe(stamp)
        self.case = remote if self.case is None else merge_case(self.case, remote)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("convergence")
    app = create_app(f"sqlite:///{folder / 'server.sqlite3'}", run_migrations=True)
    db = app.state.db
    callers = []
    for i in range(3):
        new = add_device(db, site="s1", role="patrol", name=f"d{i}")
        callers.append(Caller(id=new.device_id, site="s1", role="patrol"))
    yield db, callers, itertools.count(1, 10_000)
    db.dispose()


action = st.one_of(
    st.tuples(
        st.just("field"), st.sampled_from(["assignee", "severity", "title"]), st.integers(0, 3)
    ),
    st.tuples(st.just("status"), st.sampled_from(STATUSES), st.just(0)),
    st.tuples(st.just("reopen"), st.just(""), st.just(0)),
    st.tuples(st.just("note"), st.just(""), st.integers(0, 9)),
    st.tuples(st.just("sync"), st.just(""), st.integers(0, 2**16)),
    st.tuples(st.just("offline"), st.just(""), st.integers(0, 1)),
)
steps = st.lists(st.tuples(st.integers(0, 2), action), min_size=1, max_size=14)


def _sync(db, replica: Replica, entropy: int, case_id: str, everything: bool = False) -> None:
    """Push a shuffled part of the outbox plus some already-sent ops again; then pull all."""
    import random

    rng = random.Random(entropy)
    batch = [op for op in replica.outbox if everything or rng.random() < 0.8]
    resend = [op for op in replica.sent if rng.random() < 0.3]
    ops = batch + resend
    rng.shuffle(ops)
    if ops:
        answer = push(db.sessions, replica.caller, ops, "en")
        assert all(r.status != "rejected" for r in answer.results), answer.results
        done = {r.op_id for r in answer.results}
        replica.sent += [op for op in replica.outbox if op.op_id in done]
        replica.outbox = [op for op in replica.outbox if op.op_id not in done]
    while True:
        page = orjson.loads(pull(db, replica.caller, replica.cursor, 3))
        for change in page["changes"]:
            if change["record_id"] == case_id:
                replica.take(change)
        replica.cursor = page["next_cursor"]
        if not page["has_more"]:
            break


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=steps)
def test_replicas_converge(world, script):
    db, callers, seqs = world
    replicas = [Replica(c, next(seqs)) for c in callers]
    with db.read() as conn:  # new replicas start from the feed's end, as if synced before
        start = conn.execute(select(func.coalesce(func.max(Record.change_seq), 0))).scalar_one()
    for r in replicas:
        r.cursor = start
    first = replicas[0]
    case = Case.new(new_id(), "repair", Target("unit", "u1"), str(first.clock.now()), site_id="s1")
    first.case = case
    first.record()
    case_id = case.id
    _sync(db, first, 0, case_id)
    for r in replicas[1:]:
        _sync(db, r, 0, case_id)
    offline = [False, False, False]
    notes: set[str] = set()
    highest = first.case.status_key()
    for who, (kind, name, value) in script:
        r = replicas[who]
        if r.case is None:
            continue
        if kind == "field":
            r.case.set_field(
                name,
                {
                    "assignee": f"p{value}",
                    "title": f"t{value}",
                    "severity": ["minor", "major", "critical", "major"][value],
                }[name],
                r.clock.now(),
            )
        elif kind == "status":
            if CASE_LIFECYCLE[name] < CASE_LIFECYCLE[r.case.status]:
                continue
            r.case.set_status(name, r.clock.now())
        elif kind == "reopen":
            r.case.reopen(r.clock.now())
        elif kind == "note":
            event = Event(new_id(), "note", str(r.clock.now()), text=f"n{value}", by=r.caller.id)
            r.case.add_event(event)
            notes.add(event.id)
        elif kind == "offline":
            offline[who] = bool(value)
            continue
        if kind == "sync":
            if not offline[who]:
                _sync(db, r, value, case_id)
            continue
        highest = max(highest, r.case.status_key())
        r.record()
    for r in replicas:  # back online, everything delivered
        r.outbox, r.sent = r.outbox + r.sent, []
        _sync(db, r, 1, case_id, everything=True)
        assert r.outbox == []
    for r in replicas:
        _sync(db, r, 2, case_id)
    with db.read() as conn:
        server = orjson.loads(
            conn.execute(select(Record.body).where(Record.record_id == case_id)).scalar_one()
        )
    for r in replicas:
        assert r.case.to_dict() == server
    assert notes <= {e["id"] for e in server["events"]}
    assert Case.from_dict(server).status_key() == highest
