"""Adversarial sync (issue 14): honest devices keep working while hostile ones send poison.

A real ``fieldkit-server serve`` (SQLite and PostgreSQL) with honest devices on the real
store — patrol, emergency, desk and office at site s1, a patrol device at s2, the office
console that deletes — doing ordinary work each round: cases, notes, photos, incidents
with calls and dispute statements that hold residents' names and phones, an assignee
changed on a masked copy, a case deleted now and then. At the same time (another thread)
a hostile patrol and a hostile renovation device, enrolled at s1, send poison: forged and
far-future stamps, deep nests (one ending in a ``phone`` key), huge records and huge
bodies with and without a token, masked and edited write-backs of personal fields, edits
of deleted records, other sites' record ids, kinds and deletes their role may not send,
oversize and unnamed uploads, replayed enrolment codes.

Asserted every round: each poison is refused with its code and a message (or, for a
write-back, taken without the value: the server keeps the real one); no honest sync fails,
refuses or sets anything aside; the server's stored personal values are the ones their
author wrote; a refused record is nowhere; a deleted case stays deleted. At the end: every
honest change is on every device that may see it exactly once (no event doubled), each
site sees only its own records, each role sees personal values masked as its role says.

The default suite runs :data:`SHORT_ROUNDS` rounds with seed :data:`CI_SEED`; ``-m soak``
runs :data:`SOAK_ROUNDS` with a fresh seed. The seed is printed; set it (and the rounds)
with ``FIELDKIT_ADVERSARIAL_SEED`` / ``FIELDKIT_ADVERSARIAL_ROUNDS`` to replay a run.
"""

from __future__ import annotations

import os
import random
import secrets
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest
import requests
from sqlalchemy import select

from fieldkit.model import Case, Event, Incident, Target, new_id
from fieldkit.model.hlc import Clock, wall_ms
from fieldkit.model.personal import mask_value, may_reveal, personal_values, value_at
from fieldkit.sync import limits
from fieldkit.sync import protocol as p
from fieldkit.sync.client import NeedsEnrolment, RateLimited, SyncClient, SyncError, SyncRefused
from fieldkit.sync.stamps import MAX_AHEAD_MS
from fieldkit_server import access, enrol_failures
from fieldkit_server.db import Database
from fieldkit_server.devices import add_device
from fieldkit_server.limits import DRAIN_BYTES
from fieldkit_server.tables import Conflict, Record
from fieldkit_server.uploads import QUOTA_ENV
from tests.sync.conftest import ServerProcess
from tests.sync.live import LiveDevice
from tests.sync.rawhttp import in_flight, send_until_answered
from tests.sync.records import case_body, sha, stamp

SEED_ENV = "FIELDKIT_ADVERSARIAL_SEED"
ROUNDS_ENV = "FIELDKIT_ADVERSARIAL_ROUNDS"
CI_SEED = 14
SHORT_ROUNDS = 3
SOAK_ROUNDS = 60
QUOTA_MB = 1
MB = 1024 * 1024
FORGED = "ffffffffffff-ffffff-"
NAMES = ["王秀英", "李建国", "张桂兰", "赵志强", "陈淑珍", "刘德华"]


def phone(rng: random.Random) -> str:
    return "13" + "".join(rng.choice("0123456789") for _ in range(9))


def nest(depth: int, leaf_key: str = "phone", leaf: str = "13812345678") -> dict:
    value: dict = {leaf_key: leaf}
    for _ in range(depth - 1):
        value = {"n": value}
    return value


# --- the honest side ------------------------------------------------------------------


@dataclass
class World:
    """What the honest side did, so the checks know what must be where."""

    server: ServerProcess
    db: Database
    devices: dict[str, LiveDevice]  # s1 by role, and "s2" (a patrol device at site s2)
    console: SyncClient
    console_clock: Clock
    console_seq: int = 0
    #: (kind, id) -> the personal values its author wrote: (path, item, value).
    truth: dict[tuple[str, str], list] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    #: Ids of records a hostile device sent and the server refused: never stored.
    refused: set[str] = field(default_factory=set)
    used_codes: list[str] = field(default_factory=list)
    #: Every note an honest device wrote: its event id -> its case.
    notes: dict[str, str] = field(default_factory=dict)
    #: The photos the s2 device took (no s1 device may fetch one).
    s2_photos: list[str] = field(default_factory=list)
    #: The case the patrol device made in each round.
    patrol_cases: list[str] = field(default_factory=list)
    enrol_failures: int = 0
    #: Junk bodies the server took (kind, id, body, status): shown if a check fails.
    junk_taken: list[tuple] = field(default_factory=list)
    enrolling: threading.Lock = field(default_factory=threading.Lock)
    syncs: int = 0


def honest_work(world: World, rng: random.Random, round_no: int) -> None:
    """One round of ordinary work on every honest device (before they sync)."""
    emergency, patrol = world.devices["emergency"], world.devices["patrol"]
    store = emergency.store
    incident = store.create_incident("fire", site_id="s1", title=f"3号楼烟雾 {round_no}")
    store.add_timeline_entry(
        incident.id,
        "call",
        "业主来电",
        data={"caller": rng.choice(NAMES), "phone": phone(rng), "answered_by": "王敏"},
    )
    dispute = store.create_case(
        "dispute",
        Target("unit", "u1"),
        title=f"噪音纠纷 {round_no}",
        site_id="s1",
        extra={"owner_phone": phone(rng)},
    )
    store.add_case_event(
        dispute.id, "statement", "业主陈述", data={"owner_name": rng.choice(NAMES)}
    )
    for kind, record in (
        ("incident", store.get_incident(incident.id)),
        ("case", store.get_case(dispute.id)),
    ):
        world.truth[(kind, record.id)] = personal_values(kind, record.to_dict())

    case_id = patrol.new_case(f"消防通道堵塞 {round_no}")
    world.patrol_cases.append(case_id)
    if rng.random() < 0.5:
        photo = patrol.store.put_blob(os.urandom(2048), media_type="image/jpeg", name="p.jpg")
        patrol.store.add_case_event(case_id, "photo", attachments=[photo])
    theirs = world.devices["s2"]
    leak = theirs.new_case(f"漏水 {round_no}")
    photo = theirs.store.put_blob(os.urandom(1024), media_type="image/jpeg", name="s2.jpg")
    theirs.store.add_case_event(leak, "photo", attachments=[photo])
    world.s2_photos.append(photo.sha256)
    for role in ("patrol", "desk", "office", "emergency", "s2"):
        device = world.devices[role]
        known = [c for c in device.case_ids() if c not in world.deleted]
        for _ in range(rng.randint(0, 3) if known else 0):
            case_id = rng.choice(known)
            note = device.add_note(case_id, f"{role} note {rng.randint(1, 10**6)}")
            world.notes[note] = case_id
    masked = [c for c in patrol.case_ids() if ("case", c) in world.truth]
    if masked:  # an honest write-back of a masked copy: only the assignee changes
        patrol.store.update_case(rng.choice(masked), assignee=f"李师傅 {round_no}")


def honest_sync(world: World) -> None:
    """Every honest device syncs; none may fail, be refused or set anything aside."""
    for role, device in world.devices.items():
        report = device.sync()
        world.syncs += 1
        assert report.rejected == 0 and report.set_aside == 0, (
            role,
            report,
            [(e["code"], e["reason"]) for e in device.store.needs_attention()],
        )
        assert device.store.needs_attention() == [], (role, device.store.needs_attention())


def console_delete(world: World, rng: random.Random, round_no: int) -> None:
    """The office deletes one of the cases the patrol made in an earlier round (so every
    device has it, the hostile ones too), its clock past the record's stamp."""
    candidates = sorted(set(world.patrol_cases[:round_no]) - world.deleted)
    if not candidates:
        return
    case_id = rng.choice(candidates)
    with world.db.engine.connect() as conn:  # the stamp the office's feed gives the case
        hlc = conn.execute(select(Record.hlc).where(Record.record_id == case_id)).scalar_one()
    world.console_clock.observe(hlc)
    world.console_seq += 1
    op = p.Operation(
        op_id=new_id(),
        seq=world.console_seq,
        hlc=str(world.console_clock.now()),
        kind="case",
        record_id=case_id,
        site="s1",
        op="delete",
    )
    [result] = world.console.push([op]).results
    assert result.status == "applied", result
    world.deleted.add(case_id)


# --- the hostile side -----------------------------------------------------------------


class Hostile:
    """An enrolled device that sends poison; each poison checks the answer it gets."""

    def __init__(self, world: World, role: str) -> None:
        enrolled = world.server.enroll(site="s1", role=role, name=f"hostile {role}")
        self.world = world
        self.role = role
        self.device_id = enrolled.device_id
        self.token = enrolled.token
        self.client = SyncClient(world.server.url, self.token)
        self.seq = 0
        self.cursor = 0
        self.seen: dict[str, dict] = {}  # case bodies as pulled (masked for the role)
        self.incidents: dict[str, dict] = {}
        self.hits: Counter[str] = Counter()
        self.clock = Clock(self.device_id)  # takes in what it pulls, as a device's does

    def now(self) -> str:
        return str(self.clock.now())

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}

    def pull(self) -> None:
        while True:
            page = self.client.pull(self.cursor)
            for change in page.changes:
                assert change.site in ("s1", "*"), change  # never another site's record
                self.clock.observe(change.hlc)
                if change.kind == "case" and not change.deleted:
                    self.seen[change.record_id] = change.body
                if change.kind == "incident" and not change.deleted:
                    self.incidents[change.record_id] = change.body
            self.cursor = page.next_cursor
            if not page.has_more:
                return

    def op(
        self,
        kind: str,
        record_id: str,
        body: dict,
        *,
        hlc: str | None = None,
        site: str = "s1",
        op: str = "put",
    ) -> p.Operation:
        self.seq += 1
        return p.Operation(
            op_id=new_id(),
            seq=self.seq,
            hlc=hlc or self.now(),
            kind=kind,
            record_id=record_id,
            site=site,
            op=op,
            body=body,
        )

    def refused(self, ops: list[p.Operation], *codes: str) -> None:
        """Push ``ops``; each must come back rejected with its code and a message."""
        results = self.client.push(ops).results
        for op, result, code in zip(ops, results, codes, strict=True):
            assert (result.status, result.code) == ("rejected", code), (op.record_id, result)
            assert result.message, result
            self.world.refused.add(op.record_id)

    def request_refused(self, call, status: int, code: str) -> None:
        """A whole request must be refused with ``status`` and ``code`` (and a message)."""
        try:
            call()
        except (SyncRefused, NeedsEnrolment, RateLimited) as exc:
            assert exc.code == code and str(exc), (exc.code, str(exc))
            expected = {NeedsEnrolment: 401, RateLimited: 429}.get(type(exc), status)
            assert getattr(exc, "status", expected) == status == expected, (exc, status)
            return
        raise AssertionError(f"not refused: expected {status} {code}")

    def new_case(self, **values) -> tuple[str, dict]:
        rid = new_id()
        return rid, case_body(rid, wall=self.clock.now().wall, device=self.device_id, **values)

    # --- the poisons -------------------------------------------------------------------

    def far_future_stamps(self, rng: random.Random) -> None:
        rid, body = self.new_case()
        body["stamps"]["status"] = FORGED + self.device_id
        days = stamp(wall_ms() + rng.randint(1, 3000) * 86_400_000, self.device_id)
        other, later = self.new_case()
        self.refused(
            [self.op("case", rid, body, hlc=FORGED + "x"), self.op("case", other, later, hlc=days)],
            "clock_ahead",
            "clock_ahead",
        )

    def bad_stamps(self, rng: random.Random) -> None:
        rid, body = self.new_case()
        body["stamps"]["status"] = rng.choice(["yesterday", "", "zz-zz-zz", "0" * 80])
        other, fine = self.new_case()
        self.refused(
            [self.op("case", rid, body), self.op("case", other, fine, hlc="soon")],
            "bad_stamp",
            "bad_stamp",
        )

    def forged_event_on_a_real_case(self, rng: random.Random) -> None:
        if not self.seen:
            return False  # nothing to aim at yet
        case_id = rng.choice(sorted(self.seen))
        body = dict(self.seen[case_id])
        body["events"] = [
            *body.get("events", []),
            {
                "id": new_id(),
                "type": "note",
                "hlc": "fffffffffff0-000000-x",
                "at": "2026-01-01T00:00:00Z",
                "text": "from the future",
            },
        ]
        results = self.client.push([self.op("case", case_id, body)]).results
        assert (results[0].status, results[0].code) == ("rejected", "clock_ahead"), results

    def deep_nests(self, rng: random.Random) -> None:
        rid, body = self.new_case()
        body["extra_field"] = nest(limits.MAX_DEPTH + rng.randint(1, 20))
        self.refused([self.op("case", rid, body)], "record_too_deep")
        rid, body = self.new_case()
        body["extra_field"] = nest(252)  # the whole request is refused before parsing
        self.world.refused.add(rid)
        self.request_refused(
            lambda: self.client.push([self.op("case", rid, body)]), 422, "request_too_deep"
        )
        raw = b'{"ops": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
        answer = requests.post(
            self.world.server.url + "/v1/push", data=raw, headers=self.headers, timeout=60
        )
        assert (answer.status_code, answer.json()["code"]) == (422, "request_too_deep")

    def oversize_records(self, rng: random.Random) -> None:
        ids = [self.new_case() for _ in range(3)]
        ids[0][1]["extra_field"] = ["y" * 60_000] * 5
        ids[1][1]["extra_field"] = {str(i): i for i in range(limits.MAX_KEYS + 1)}
        ids[2][1]["title"] = "x" * (limits.MAX_STRING_CHARS + rng.randint(1, 100))
        self.refused(
            [self.op("case", rid, body) for rid, body in ids],
            "record_too_large",
            "record_too_many_keys",
            "record_text_too_long",
        )

    def huge_body_declared(self, rng: random.Random) -> None:
        """Bodies over the cap with the device's token, none or a forged one. One the
        server drops for a proxy's sake (up to DRAIN_BYTES) is answered once sent; a
        larger one long before."""
        port = self.world.server.port
        over = limits.MAX_REQUEST_BYTES + rng.randint(1, DRAIN_BYTES - limits.MAX_REQUEST_BYTES)
        mine = send_until_answered(port, "POST", "/v1/push", over, headers=self.headers)
        assert (mine.status, mine.code) == (413, "body_too_large"), mine
        huge = DRAIN_BYTES + in_flight() + rng.randint(16 * MB, 64 * MB)
        forged = {"Authorization": "Bearer " + secrets.token_urlsafe(32)}
        for headers, status, code in (
            (self.headers, 413, "body_too_large"),
            ({}, 401, "token_missing"),
            (forged, 401, "token_invalid"),
        ):
            chunked = rng.random() < 0.5
            answer = send_until_answered(port, "POST", "/v1/push", huge, headers=headers,
                                         chunked=chunked)  # fmt: skip
            assert (answer.status, answer.code) == (status, code), (chunked, answer)
            # sent past what the server read: the kernel's buffers (and, without a length,
            # the part the server drops for a proxy's sake)
            most = in_flight() + (DRAIN_BYTES if chunked else 0)
            assert answer.sent <= most, (chunked, answer)

    def huge_body_streamed(self, rng: random.Random) -> None:
        size = limits.MAX_REQUEST_BYTES + 4 * MB
        answer = send_until_answered(
            self.world.server.port, "POST", "/v1/push", size, headers=self.headers, chunked=True
        )
        assert (answer.status, answer.code) == (413, "body_too_large"), answer

    def masked_write_back(self, rng: random.Random) -> None:
        """The masked copy of a case or an incident sent back with one field changed, and
        a copy whose masked values were edited: neither is refused, and the server keeps
        the real values (checked after the round)."""
        held = sorted(
            key
            for key in self.world.truth
            if (key[1] in self.seen or key[1] in self.incidents)
            and access.may_write(self.role, key[0])
        )
        if not held:
            return False  # nothing to aim at yet
        kind, record_id = rng.choice(held)
        record = (self.seen if kind == "case" else self.incidents)[record_id]
        for given in (record.get("stamps") or {}).values():
            self.clock.observe(given)  # as a device's store does on taking the record in
        if kind == "case":
            record = Case.from_dict(self.seen[record_id])
            record.set_field("assignee", f"hostile {rng.randint(1, 999)}", self.now())
        else:
            record = Incident.from_dict(self.incidents[record_id])
            record.set_field("title", f"hostile {rng.randint(1, 999)}", self.now())
        body = record.to_dict()
        results = self.client.push([self.op(kind, record_id, body)]).results
        assert results[0].status in ("applied", "merged"), results
        edited = orjson.loads(orjson.dumps(body))
        changed = False
        for path, item, _value in personal_values(kind, edited):
            if not may_reveal(self.role, item):
                _set_at(edited, path, "13900000000" if item == "phone" else "假名字")
                changed = True
        if changed:
            results = self.client.push([self.op(kind, record_id, edited)]).results
            assert results[0].status in ("applied", "merged"), results

    def edit_a_deleted_case(self, rng: random.Random) -> None:
        gone = sorted(c for c in self.seen if c in self.world.deleted)
        if not gone:
            return False  # nothing to aim at yet
        case_id = rng.choice(gone)
        case = Case.from_dict(self.seen[case_id])
        case.add_event(Event(new_id(), "note", self.now(), text="back!"))
        results = self.client.push([self.op("case", case_id, case.to_dict())]).results
        assert (results[0].status, results[0].code) == ("merged", None), results

    def other_sites_records(self, rng: random.Random) -> None:
        """Ids of another site's records the office holds (an id no device has sent yet
        cannot be known: ids are UUIDv7 made on the device)."""
        theirs = sorted(
            rid
            for (kind, rid), (_, body) in server_rows(self.world.db).items()
            if kind == "case" and body.get("site_id") == "s2"
        )
        if not theirs:
            return False  # nothing to aim at yet
        case_id = rng.choice(theirs)
        body = case_body(case_id, site="s1", wall=self.clock.now().wall, device=self.device_id)
        elsewhere = case_body(case_id, site="s2", wall=self.clock.now().wall, device=self.device_id)
        results = self.client.push(
            [self.op("case", case_id, body), self.op("case", case_id, elsewhere, site="s2")]
        ).results
        assert [(r.status, r.code) for r in results] == [
            ("rejected", "site_mismatch"),
            ("rejected", "site_not_allowed"),
        ], results

    def outside_the_role(self, rng: random.Random) -> None:
        unit = {"id": new_id(), "site_id": "s1", "number": "1502", "owner_phone": "1"}
        target = rng.choice(sorted(self.seen)) if self.seen else new_id()
        rid, body = self.new_case()
        body["id"] = new_id()
        ops = [
            self.op("unit", unit["id"], unit),
            self.op("case", target, {}, op="delete"),
            self.op("case", rid, body),
        ]
        results = self.client.push(ops).results
        assert [r.code for r in results] == [
            "kind_not_allowed",
            "delete_not_allowed",
            "id_mismatch",
        ], results
        self.world.refused.update({unit["id"], rid})
        for path in ("/v1/conflicts", "/v1/reports/trends"):
            self.request_refused(
                lambda path=path: self.client._call("GET", path), 403, "office_only"
            )
        too_many = [self.op("case", new_id(), {}) for _ in range(p.MAX_PUSH_OPS + 1)]
        answer = requests.post(
            self.world.server.url + "/v1/push",
            headers=self.headers,
            data=orjson.dumps({"ops": [o.model_dump() for o in too_many]}),
            timeout=60,
        )
        assert (answer.status_code, answer.json()["code"]) == (422, "invalid_request")

    def attachments(self, rng: random.Random) -> None:
        data = os.urandom(rng.randint(10, 4000))
        self.request_refused(
            lambda: self.client.upload_attachment(sha(b"other"), data), 422, "hash_mismatch"
        )
        answer = send_until_answered(
            self.world.server.port,
            "PUT",
            f"/v1/attachments/{sha(data)}",
            p.MAX_ATTACHMENT_BYTES + 1,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert (answer.status, answer.code) == (413, "body_too_large"), answer
        rid, body = self.new_case()
        body["events"] = [
            {
                "id": new_id(),
                "type": "photo",
                "hlc": self.now(),
                "at": "2026-01-01T00:00:00Z",
                "attachments": [{"sha256": sha(data), "size": len(data)}],
            }
        ]
        self.refused([self.op("case", rid, body)], "attachment_missing")

    def another_sites_photo(self, rng: random.Random) -> None:
        """A photo of another site, by its sha256: not there for this device."""
        sha256 = rng.choice(self.world.s2_photos)
        for method in ("HEAD", "GET"):
            answer = requests.request(
                method,
                f"{self.world.server.url}/v1/attachments/{sha256}",
                headers=self.headers,
                timeout=30,
            )
            assert answer.status_code == 404, (method, answer.status_code)
        assert self.client.missing_attachments([sha256]) == [sha256]

    def oversize_upload_streamed(self, rng: random.Random) -> None:
        size = p.MAX_ATTACHMENT_BYTES + 16 * MB  # still sending when the answer comes
        answer = send_until_answered(
            self.world.server.port,
            "PUT",
            f"/v1/attachments/{'ab' * 32}",
            size,
            chunked=True,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert (answer.status, answer.code) == (413, "attachment_too_large"), answer

    def upload_quota(self, rng: random.Random) -> None:
        """Files no record names, past the device's quota: refused, never stored."""
        for _ in range(QUOTA_MB * 3):
            data = os.urandom(MB // 2 - rng.randint(0, 1000))
            try:
                self.client.upload_attachment(sha(data), data)
            except SyncRefused as exc:
                assert (exc.status, exc.code) == (413, "attachment_quota") and str(exc)
                return
        raise AssertionError("the upload quota never refused")

    def replayed_enrolment(self, rng: random.Random) -> None:
        """A used code again, with no key or another device's: refused, and once the
        address has failed ENROLL_FAILURES times, refused as rate-limited."""
        code = rng.choice(self.world.used_codes)
        key = rng.choice([None, secrets.token_urlsafe(32)])
        fresh = SyncClient(self.world.server.url)
        with self.world.enrolling:  # the two hostile devices share one address
            limited = self.world.enrol_failures >= enrol_failures.ENROLL_FAILURES
            status, expected = (429, "enroll_rate_limited") if limited else (400, "code_invalid")
            try:
                self.request_refused(lambda: fresh.enroll(code, key), status, expected)
            finally:
                fresh.close()
            if not limited:
                self.world.enrol_failures += 1

    def junk_of_every_kind_it_may_write(self, rng: random.Random) -> None:
        """Bodies of the wrong shape for each kind the role may send: refused with a
        reason, or (if the server takes one) stored by every honest device without a
        set-aside (checked by their syncs)."""
        junk = [
            {"events": "not a list"},
            {"timeline": {"a": 1}, "status": 5},
            {"answers": [1, 2, 3], "checklist": "x"},
            {"target": None, "stamps": ["x"]},
            {"kind": {"nested": True}, "title": ["a"]},
            {"deleted": True, "conflicts": "none"},
            {"id": None},
        ]
        for kind in sorted(access.ROLE_WRITES[self.role]):
            rid = new_id()
            body = {"id": rid, "site_id": "s1", **rng.choice(junk)}
            if body["id"] is None:
                body.pop("id")
            [result] = self.client.push([self.op(kind, rid, body)]).results
            if result.status == "rejected":
                assert result.code and result.message, (kind, result)
                self.world.refused.add(rid)
            else:
                self.world.junk_taken.append((kind, rid, body, result.status))

    def just_inside_the_skew(self, rng: random.Random) -> None:
        """Not a refusal: a clock a little ahead is within the rule, and the honest devices
        that take its stamp in must go on syncing."""
        ahead = wall_ms() + MAX_AHEAD_MS - 60_000
        rid = new_id()
        body = case_body(rid, wall=ahead, device=self.device_id, title="时钟略快")
        results = self.client.push([self.op("case", rid, body, hlc=stamp(ahead, self.device_id))])
        assert results.results[0].status == "applied", results

    CHEAP = (
        "far_future_stamps",
        "bad_stamps",
        "forged_event_on_a_real_case",
        "deep_nests",
        "oversize_records",
        "huge_body_declared",
        "masked_write_back",
        "edit_a_deleted_case",
        "other_sites_records",
        "outside_the_role",
        "attachments",
        "replayed_enrolment",
        "just_inside_the_skew",
        "junk_of_every_kind_it_may_write",
        "another_sites_photo",
    )
    #: Each sends 20-26 MB; a round sends one of them (in turn, so a short run has each).
    HEAVY = ("huge_body_streamed", "oversize_upload_streamed", "upload_quota")

    def round(self, rng: random.Random, round_no: int) -> None:
        self.pull()
        poisons = [*self.CHEAP, self.HEAVY[round_no % len(self.HEAVY)]]
        rng.shuffle(poisons)
        for name in poisons:
            if getattr(self, name)(rng) is not False:
                self.hits[name] += 1


def _set_at(node, path, value) -> None:
    """Put ``value`` at ``path`` (as ``personal_values`` gives it) in ``node``."""
    *parents, last = path
    for step in parents:
        if isinstance(step, tuple):  # a list entry by its id
            node = next(v for v in node if v.get("id") == step[1])
        else:
            node = node[step]
    node[last] = value


# --- the checks -----------------------------------------------------------------------


def server_rows(db: Database) -> dict[tuple[str, str], tuple[bool, dict]]:
    with db.engine.connect() as conn:
        rows = conn.execute(select(Record.kind, Record.record_id, Record.deleted, Record.body))
        return {(r.kind, r.record_id): (r.deleted, orjson.loads(r.body)) for r in rows}


def check_server(world: World, db: Database, context: str) -> dict:
    rows = server_rows(db)
    for key, real in world.truth.items():
        deleted, body = rows[key]
        assert not deleted, (context, key)
        for path, item, value in real:
            assert value_at(body, path) == value, (context, key, path, item)
    for rid in world.refused:
        assert not any(record_id == rid for _, record_id in rows), (context, rid)
    for case_id in world.deleted:
        assert rows[("case", case_id)][0], (context, "resurrected", case_id)
    return rows


EVENTS = {"case": "events", "incident": "timeline"}


def check_devices(world: World, rows: dict, context: str) -> None:
    """After a clean settle: every honest change everywhere it may be, once; nothing of
    another site, nothing deleted or refused; personal values as each role may see them."""
    live = {
        (kind, rid): body
        for (kind, rid), (deleted, body) in rows.items()
        if kind in EVENTS and not deleted
    }
    for note, case_id in world.notes.items():
        if case_id not in world.deleted:
            events = live[("case", case_id)]["events"]
            assert [e["id"] for e in events].count(note) == 1, (context, note)
    for role, device in world.devices.items():
        site = "s2" if role == "s2" else "s1"
        for (kind, rid), body in live.items():
            record = device.store.get(kind, rid)
            if body.get("site_id") != site:
                assert record is None, (context, role, "another site's", kind, rid)
                continue
            assert record is not None, (context, role, kind, rid)
            ids = [e.id for e in getattr(record, EVENTS[kind])]
            assert len(ids) == len(set(ids)), (context, role, rid, "an event doubled")
            expected = sorted(e["id"] for e in body.get(EVENTS[kind], []))
            assert sorted(ids) == expected, (context, role, kind, rid)
        for rid in world.deleted | world.refused:
            assert device.store.get_case(rid) is None, (context, role, rid)
        if site == "s2":
            continue
        for key, real in world.truth.items():
            body = device.store.get(*key).to_dict()
            for path, item, value in real:
                shown = value if may_reveal(device.role, item) else mask_value(item, value)
                assert value_at(body, path) == shown, (context, role, key, path)


# --- the run --------------------------------------------------------------------------


def run(db_url: str, tmp_path: Path, monkeypatch, rounds: int, seed: int) -> dict:
    print(f"\nadversarial sync: seed {seed} ({SEED_ENV}), {rounds} rounds, {db_url.split(':')[0]}")
    monkeypatch.setenv(QUOTA_ENV, str(QUOTA_MB))
    folder = tmp_path / "server"
    folder.mkdir()
    server = ServerProcess(db_url, folder)
    server.start()
    db = Database(db_url)
    devices: dict[str, LiveDevice] = {}
    hostiles: list[Hostile] = []
    try:
        used = []
        for role in ("patrol", "emergency", "desk", "office"):
            devices[role] = LiveDevice(server, tmp_path / role, role)
        devices["s2"] = LiveDevice(server, tmp_path / "s2", "patrol", site="s2")
        lost = add_device(db, site="s1", role="office", name="office console").code
        key = secrets.token_urlsafe(32)
        first = SyncClient(server.url).enroll(lost, key)  # the answer is lost on its way
        console = SyncClient(server.url).enroll(lost, key)  # the retry gets the same token
        assert console.token == first.token and console.device_id == first.device_id
        used.append(lost)
        world = World(
            server,
            db,
            devices,
            SyncClient(server.url, console.token),
            Clock(console.device_id),
            used_codes=used,
        )
        for role in ("patrol", "renovation"):
            code = add_device(db, site="s1", role=role, name=f"hostile {role}").code
            used.append(code)
            SyncClient(server.url).enroll(code)
        hostiles = [Hostile(world, "patrol"), Hostile(world, "renovation")]
        rng = random.Random(seed)
        with ThreadPoolExecutor(max_workers=len(hostiles)) as pool:
            for round_no in range(rounds):
                context = f"seed {seed} round {round_no}"
                honest_work(world, rng, round_no)
                attacks = [
                    pool.submit(h.round, random.Random(f"{seed}/{round_no}/{h.role}"), round_no)
                    for h in hostiles
                ]
                honest_sync(world)  # while the poison arrives
                for attack in attacks:
                    attack.result()
                honest_sync(world)
                console_delete(world, rng, round_no)
                check_server(world, db, context)
        honest_sync(world)
        honest_sync(world)
        rows = check_server(world, db, f"seed {seed} end")
        check_devices(world, rows, f"seed {seed} end")
        kept = [orjson.loads(c) for c in _conflicts(db)]
        assert any("personal_kept" in c for c in kept)  # the edited write-backs were logged
        hits = sum((h.hits for h in hostiles), Counter())
        print("  junk the server took:", world.junk_taken)
        print(
            f"  {world.syncs} honest syncs, {len(world.truth)} records with personal data, "
            f"{len(world.deleted)} deletes, {len(world.refused)} poisoned records refused; "
            f"poisons sent: {dict(sorted(hits.items()))}"
        )
        return hits
    except (AssertionError, SyncError) as exc:
        raise AssertionError(f"seed {seed}: {exc!r}") from exc
    finally:
        for device in devices.values():
            device.close()
        for hostile in hostiles:
            hostile.client.close()
        db.dispose()
        server.kill()


def _conflicts(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.execute(select(Conflict.detail)).scalars())


def _rounds(default: int) -> int:
    return int(os.environ.get(ROUNDS_ENV) or default)


def test_honest_devices_sync_through_poison(db_url, tmp_path, monkeypatch):
    seed = int(os.environ.get(SEED_ENV) or CI_SEED)
    hits = run(db_url, tmp_path, monkeypatch, _rounds(SHORT_ROUNDS), seed)
    assert set(hits) == set(Hostile.CHEAP) | set(Hostile.HEAVY)


@pytest.mark.soak
def test_honest_devices_sync_through_poison_soak(db_url, tmp_path, monkeypatch):
    seed = int(os.environ.get(SEED_ENV) or time.time_ns() % 1_000_000)
    run(db_url, tmp_path, monkeypatch, _rounds(SOAK_ROUNDS), seed)
