"""A console change is an ordinary operation: its own op id, the next seq of the person's
devices row, an HLC stamp after every stamp of the case it was made on, merged by the same
code as a device's push — so a device editing the same case at the same time converges
with it, and each device pulls the change once. And the case list's keyset pages, filters
and search give exactly the cases a plain reading of every case would, on SQLite and
PostgreSQL."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import select

from fieldkit.model import Case, Event, Target, merge_record
from fieldkit.model.hlc import HLC
from fieldkit.services import intake, lifecycle
from fieldkit.sync import protocol as p
from fieldkit_server.console import case_list, people, writer
from fieldkit_server.db import Database, migrate
from fieldkit_server.devices import add_device
from fieldkit_server.pull import pull
from fieldkit_server.push import Caller, push
from fieldkit_server.tables import CaseIndex, Device, Op, Record

SITE = "garden-court"
T0 = 1_760_000_000_000


def _db(db_url) -> Database:
    db = Database(db_url)
    migrate(db.engine)
    return db


def _device(db, role="desk", site=SITE) -> Caller:
    new = add_device(db, site=site, role=role, name=f"{role} device")
    return Caller(new.device_id, site, role)


def _case(case_id: str, stamp: str, **fields) -> Case:
    return Case.new(case_id, "repair", Target("unit", "u-1502"), stamp, status="accepted",
                    site_id=SITE, category="water_leak", title="漏水",
                    extra={"where": "3-2-1502", "building": "3", "urgency": "high"},
                    **fields)  # fmt: skip


def _push(db, caller: Caller, case: Case, seq: int, hlc: str) -> str:
    op = p.Operation(op_id=f"{caller.id}-{seq}", seq=seq, hlc=hlc, kind="case",
                     record_id=case.id, site=SITE, body=case.to_dict())  # fmt: skip
    return push(db.sessions, caller, [op], "en").results[0].status


def _stored(db, case_id: str) -> dict:
    with db.read() as conn:
        return orjson.loads(
            conn.execute(select(Record.body).where(Record.record_id == case_id)).scalar_one()
        )


def test_a_console_dispatch_is_an_op_merged_like_a_devices(db_url):
    db = _db(db_url)
    try:
        desk = _device(db)
        stamp = str(HLC(T0, 0, "dev1"))
        case = _case("0199a000-0000-7000-8000-000000000001", stamp)
        assert _push(db, desk, case, 1, stamp) == "applied"
        person = people.add_user(db, name="王敏", role="supervisor", site=SITE,
                                 password="garden-court-2026")  # fmt: skip

        with db.read() as conn:
            cursor = conn.execute(select(Record.change_seq)).scalar_one()
        writer.run(db, person, "zh", lambda store: intake.dispatch(
            store, case.id, "engineering", "office", assignee="张师傅", by="王敏",
            remember=False))  # fmt: skip

        with db.read() as conn:
            ops = conn.execute(
                select(Op.op_id, Op.seq, Op.status).where(Op.device_id == person.device_id)
                .order_by(Op.seq)
            ).all()  # fmt: skip
            last_seq = conn.execute(
                select(Device.last_seq).where(Device.id == person.device_id)
            ).scalar_one()
        assert [o.seq for o in ops] == [1, 2] and last_seq == 2  # the field change, the move
        assert len({o.op_id for o in ops}) == 2
        assert {o.status for o in ops} <= {"applied", "merged"}
        body = _stored(db, case.id)
        assert (body["department"], body["assignee"], body["status"]) == (
            "engineering", "张师傅", "dispatched")  # fmt: skip
        device_part = writer.hlc_device(person)
        assert all(s > stamp and s.endswith(device_part)
                   for k, s in body["stamps"].items() if k in ("department", "status"))  # fmt: skip

        # a device pulls it once: one change after its cursor, none after that
        page = orjson.loads(pull(db, desk, cursor, 100))
        assert [c["record_id"] for c in page["changes"]] == [case.id]
        again = orjson.loads(pull(db, desk, page["next_cursor"], 100))
        assert again["changes"] == []

        # the index the list filters by follows
        with db.read() as conn:
            row = conn.execute(select(CaseIndex).where(CaseIndex.record_id == case.id)).one()
        assert (row.department, row.status, row.building) == ("engineering", "dispatched", "3")
    finally:
        db.dispose()


def test_a_device_editing_the_same_case_at_the_same_time_converges(db_url):
    """The device had not seen the dispatch: it adds a note and moves the case on from its
    older copy. The server merges both; the device, pulling, ends with the same case."""
    db = _db(db_url)
    try:
        desk = _device(db)
        stamp = str(HLC(T0, 0, "dev1"))
        case = _case("0199a000-0000-7000-8000-000000000002", stamp)
        _push(db, desk, case, 1, stamp)
        person = people.add_user(db, name="王敏", role="supervisor", site=SITE,
                                 password="garden-court-2026")  # fmt: skip
        writer.run(db, person, "en", lambda store: intake.dispatch(
            store, case.id, "engineering", "office", by="王敏", remember=False))  # fmt: skip

        offline = Case.from_dict(case.to_dict())  # the device's copy, from before
        now = int(datetime.now(UTC).timestamp() * 1000)
        note = Event("0199a000-0000-7000-8000-0000000000e1", "note", str(HLC(now, 0, "dev1")))
        note.by, note.text = "刘洋", "业主下午在家"
        offline.add_event(note)
        offline.set_field("assignee", "李师傅", str(HLC(now, 1, "dev1")))
        assert _push(db, desk, offline, 2, str(HLC(now, 1, "dev1"))) == "merged"

        server = Case.from_dict(_stored(db, case.id))
        assert server.department == "engineering" and server.status == "dispatched"
        assert server.assignee == "李师傅"  # the later stamp wins, as for two devices
        assert any(e.text == "业主下午在家" for e in server.events)
        assert [e.type for e in server.events if e.by == "王敏"] == ["field", "status"]
        # the device merges what it pulls with what it has: the same case
        assert merge_record(offline, server).to_dict() == server.to_dict()
    finally:
        db.dispose()


def test_a_move_the_lifecycle_does_not_allow_changes_nothing(db_url):
    db = _db(db_url)
    try:
        desk = _device(db)
        stamp = str(HLC(T0, 0, "dev1"))
        case = _case("0199a000-0000-7000-8000-000000000003", stamp)
        _push(db, desk, case, 1, stamp)
        person = people.add_user(db, name="刘洋", role="desk", site=SITE,
                                 password="garden-court-2026")  # fmt: skip
        try:
            writer.run(db, person, "zh", lambda store: lifecycle.move(
                store, case.id, "closed", "desk", by="刘洋"))  # fmt: skip
        except lifecycle.MoveRefused as exc:
            assert exc.key == "lifecycle.refused.no_move"
            assert "已受理" in exc.params["current"]  # worded in the person's language
        else:
            raise AssertionError("the move was not refused")
        assert _stored(db, case.id) == case.to_dict()
        with db.read() as conn:
            assert conn.execute(select(Op).where(Op.device_id == person.device_id)).first() is None
    finally:
        db.dispose()


def test_the_case_list_pages_filters_and_searches_like_a_plain_reading(db_url):
    db = _db(db_url)
    try:
        desk = _device(db)
        other = _device(db, site="lake-view")
        rng = random.Random(19)
        now = datetime.now(UTC)
        statuses = ["accepted", "dispatched", "in_progress", "done", "closed"]
        departments = ["engineering", "security", "cleaning", ""]
        made = []
        for n in range(137):
            stamp = str(HLC(T0 + n, 0, "dev1"))
            case_id = f"0199a000-0000-7000-8000-{n:012d}"
            due = (now + timedelta(hours=rng.randint(-96, 96))).strftime("%Y-%m-%dT%H:%M:%SZ")
            case = _case(case_id, stamp, department=rng.choice(departments), due=due)
            case.status = rng.choice(statuses)
            case.extra["where"] = f"{rng.randint(1, 4)}-1-{rng.randint(101, 1802)}"
            case.extra["building"] = case.extra["where"].split("-")[0]
            site = SITE if n % 7 else "lake-view"
            case.site_id = site
            caller = desk if site == SITE else other
            op = p.Operation(op_id=f"o{n}", seq=n + 1, hlc=stamp, kind="case", record_id=case_id,
                             site=site, body=case.to_dict())  # fmt: skip
            assert push(db.sessions, caller, [op], "en").results[0].status == "applied"
            made.append((case_id, site, case))
        person = people.add_user(db, name="王敏", role="supervisor", site=SITE,
                                 password="garden-court-2026")  # fmt: skip

        def expected(flt: case_list.Filter) -> list[str]:
            out = []
            for case_id, site, case in made:
                if site != SITE:
                    continue
                if flt.status == case_list.UNFINISHED and case.status in ("closed", "cancelled"):
                    continue
                if flt.status not in ("", case_list.UNFINISHED) and case.status != flt.status:
                    continue
                if flt.department and case.department != flt.department:
                    continue
                if flt.building and case.extra["building"] != flt.building:
                    continue
                due = datetime.fromisoformat(case.due.replace("Z", "+00:00"))
                waiting = case.status in ("done", "closed")
                if flt.overdue and (waiting or due >= datetime.now(UTC)):
                    continue
                if flt.text and flt.text not in case.extra["where"]:
                    continue
                out.append(case_id)
            return sorted(out, reverse=True)

        for flt in (
            case_list.Filter(),
            case_list.Filter(status=""),
            case_list.Filter(status="dispatched"),
            case_list.Filter(department="engineering"),
            case_list.Filter(building="2", overdue=True),
            case_list.Filter(status="", text="-1-1"),
        ):
            got, after = [], ""
            while True:
                page = case_list.page(db, person, flt, after)
                got += [case_id for case_id, _, _ in page.cases]
                if flt.text and not after:  # a search counts its first page only
                    assert page.count == min(len(expected(flt)), case_list.PAGE)
                    assert page.more == (len(expected(flt)) > case_list.PAGE)
                elif not flt.text:
                    assert page.count == len(expected(flt))
                if page.after is None:
                    break
                after = page.after
            assert got == expected(flt), flt
    finally:
        db.dispose()
