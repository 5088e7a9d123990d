"""Applying a pushed batch: each operation once, in device order, in one transaction.

Concurrency: the records a batch names are read ``FOR UPDATE`` (on PostgreSQL, in one
order, so two pushes never wait on each other in a circle; SQLite's ``BEGIN IMMEDIATE``
already holds the write lock), so a record read for a merge cannot change under the merge,
and pushes of different records run side by side. Their place in the pull feed comes from
``feed.places``: numbered in the transaction on SQLite, after the commit on PostgreSQL
(``feed.py`` says why a pull still never skips a change). A push that meets another on a
new record (both insert it) or in a deadlock is run again whole.

Merges per kind (DESIGN §3):
- ``case``, ``incident``: :func:`fieldkit.model.merge.merge_record` — fields last-writer-wins
  by (HLC, device), events a union, status never regresses. Values it overwrote are also
  written to the ``conflicts`` table for the office.
- ``inspection``, ``checklist``: immutable. The same content again is accepted unchanged;
  different content under the same id is rejected (``immutable``). Drafts are refused.
- everything else (reference data): the whole record, last writer wins by the op's HLC; a
  write that loses is kept in ``conflicts`` and answered ``merged``.
- deletes (office only) are tombstones every device applies. A later write of a deleted
  case, incident or inspection never brings it back: it goes to ``conflicts``
  (``{"deleted": true, "edit": body}``) and is answered ``merged``. Reference data the
  office deleted comes back when the office writes it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from fieldkit.model import ModelError, merge_record, record_from_dict
from fieldkit.model.records import RECORD_TYPES
from fieldkit.sync import protocol as p
from fieldkit.sync import stamps
from fieldkit_server import access, case_index, feed
from fieldkit_server import limits as boundary
from fieldkit_server.errors import message
from fieldkit_server.masked import keep_stored_personal
from fieldkit_server.tables import (
    AttachmentSite,
    Conflict,
    Device,
    Op,
    Record,
    SeqGap,
)
from fieldkit_server.uploads import mark_referenced

log = logging.getLogger("fieldkit.server.push")

MERGED_KINDS = frozenset({"case", "incident"})
IMMUTABLE_KINDS = frozenset({"inspection", "checklist"})


@dataclass
class Caller:
    """The authenticated device making a request."""

    id: str
    site: str
    role: str
    name: str = ""


@dataclass
class _State:
    kind: str
    record_id: str
    site: str
    hlc: str
    device: str
    deleted: bool
    body: dict[str, Any]
    exists: bool
    changed: bool = False


@dataclass
class _Outcome:
    status: str
    code: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


class _Reject(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def now() -> datetime:
    return datetime.now(UTC)


def push(
    sessions: sessionmaker[Session],
    caller: Caller,
    ops: list[p.Operation],
    lang: str,
    held: list[int] | None = None,
) -> p.PushResponse:
    """Apply a batch; a concurrent resend of the same batch is retried and seen as duplicate.
    ``held``: sequence numbers the device keeps back on purpose, not gaps."""
    for attempt in range(_ATTEMPTS):
        try:
            with sessions() as session, session.begin():
                return _push(session, caller, ops, lang, set(held or ()))
        except (IntegrityError, OperationalError) as exc:
            retry = isinstance(exc, IntegrityError) or _sqlstate(exc) in _RETRY_STATES
            if not retry or attempt == _ATTEMPTS - 1:
                raise
            log.info("push from %s raced another request; retrying", caller.id)
    raise AssertionError("unreachable")


_ATTEMPTS = 5
_RETRY_STATES = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure


def _sqlstate(exc: OperationalError) -> str | None:
    return getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)


def _push(
    session: Session, caller: Caller, ops: list[p.Operation], lang: str, held: set[int]
) -> p.PushResponse:
    device = session.execute(select(Device.last_seq).where(Device.id == caller.id)).scalar_one()

    known = {
        row.op_id: row
        for row in session.execute(
            select(Op.op_id, Op.status, Op.code, Op.detail).where(
                Op.device_id == caller.id, Op.op_id.in_([op.op_id for op in ops])
            )
        )
    }
    states = _load_states(session, ops)
    needed = {op.op_id: _attachments_of(op) for op in ops}
    present = _present_attachments(session, ops, needed)

    results: list[p.OpResult] = []
    op_rows: list[dict[str, Any]] = []
    conflict_rows: list[dict[str, Any]] = []
    gaps: list[p.SeqGap] = []
    seen_in_batch: set[str] = set()
    last_seq = device
    stamp = now()
    now_ms = int(stamp.timestamp() * 1000)
    touched: dict[tuple[str, str], None] = {}

    for op in ops:
        prior = known.get(op.op_id)
        if prior is not None or op.op_id in seen_in_batch:
            results.append(_replay(op, prior, lang))
            continue
        seen_in_batch.add(op.op_id)
        if op.seq > last_seq + 1:
            gaps += _gaps(last_seq + 1, op.seq - 1, held)
        last_seq = max(last_seq, op.seq)
        try:
            outcome = _apply_one(
                caller, op, now_ms, states, needed[op.op_id], present, conflict_rows
            )
        except _Reject as exc:
            outcome = _Outcome("rejected", exc.code, exc.params)
        state = states.get((op.kind, op.record_id))
        if state is not None and state.changed:
            touched[(op.kind, op.record_id)] = None
        op_rows.append(
            {
                "device_id": caller.id,
                "op_id": op.op_id,
                "seq": op.seq,
                "kind": op.kind,
                "record_id": op.record_id,
                "status": outcome.status,
                "code": outcome.code,
                "detail": orjson.dumps(outcome.params).decode() if outcome.code else None,
                "received_at": stamp,
            }
        )
        results.append(_result(op.op_id, outcome, lang))

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for key, place in zip(touched, feed.places(session, len(touched)), strict=True):
        state = states[key]
        (updates if state.exists else inserts).append(
            {
                "kind": state.kind,
                "record_id": state.record_id,
                "site": state.site,
                "hlc": state.hlc,
                "device": state.device,
                "deleted": state.deleted,
                "body": orjson.dumps(state.body).decode(),
                "change_seq": place,
                "updated_at": stamp,
            }
        )
        state.exists = True
    if inserts:
        session.execute(insert(Record), inserts)
    if updates:
        session.execute(update(Record), updates)  # bulk UPDATE by primary key
    case_index.refresh(
        session,
        (
            (states[key].record_id, states[key].site, states[key].body, states[key].deleted)
            for key in touched
            if key[0] == "case"
        ),
    )
    if op_rows:
        session.execute(insert(Op), op_rows)
    mark_referenced(session, (h for hashes in needed.values() for h in hashes))
    for row in conflict_rows:
        row["created_at"] = stamp
    if conflict_rows:
        session.execute(insert(Conflict), conflict_rows)
    if gaps:
        log.warning("device %s skipped sequence numbers %s", caller.id, gaps)
        session.execute(
            insert(SeqGap),
            [
                {
                    "device_id": caller.id,
                    "first_seq": g.first,
                    "last_seq": g.last,
                    "detected_at": stamp,
                }
                for g in gaps
            ],
        )
    session.execute(
        update(Device).where(Device.id == caller.id).values(last_seq=last_seq, last_seen_at=stamp)
    )
    return p.PushResponse(results=results, gaps=gaps)


def _gaps(first: int, last: int, held: set[int]) -> list[p.SeqGap]:
    """The runs of ``first..last`` the device did not say it keeps back."""
    runs: list[p.SeqGap] = []
    start = first
    for seq in sorted(s for s in held if first <= s <= last):
        if seq > start:
            runs.append(p.SeqGap(first=start, last=seq - 1))
        start = seq + 1
    if start <= last:
        runs.append(p.SeqGap(first=start, last=last))
    return runs


def _replay(op: p.Operation, prior: Any, lang: str) -> p.OpResult:
    """A resent op: answer ``duplicate``, or its refusal again so it is never lost silently."""
    if prior is not None and prior.status == "rejected":
        params = orjson.loads(prior.detail) if prior.detail else {}
        return _result(op.op_id, _Outcome("rejected", prior.code, params), lang)
    return p.OpResult(op_id=op.op_id, status="duplicate")


def _result(op_id: str, outcome: _Outcome, lang: str) -> p.OpResult:
    if outcome.code is None:
        return p.OpResult(op_id=op_id, status=outcome.status)  # type: ignore[arg-type]
    return p.OpResult(
        op_id=op_id,
        status=outcome.status,  # type: ignore[arg-type]
        code=outcome.code,
        message=message(
            outcome.code,
            lang,
            "rejected",
            **boundary.message_params(outcome.code, outcome.params, lang),
        ),
    )


def _attachments_of(op: p.Operation) -> list[str]:
    return list(dict.fromkeys([*op.attachments, *p.referenced_attachments(op.body)]))


def _present_attachments(
    session: Session, ops: list[p.Operation], needed: dict[str, list[str]]
) -> set[tuple[str, str]]:
    hashes = {h for hs in needed.values() for h in hs}
    if not hashes:
        return set()
    rows = session.execute(
        select(AttachmentSite.sha256, AttachmentSite.site).where(AttachmentSite.sha256.in_(hashes))
    )
    return {(row.sha256, row.site) for row in rows}


def _load_states(session: Session, ops: list[p.Operation]) -> dict[tuple[str, str], _State]:
    wanted = {(op.kind, op.record_id) for op in ops}
    states: dict[tuple[str, str], _State] = {}
    ids = sorted({rid for _, rid in wanted})
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Record)
            .where(Record.record_id.in_(ids[start : start + 500]))
            .order_by(Record.record_id, Record.kind)
            .with_for_update()
        ).scalars()
        for r in rows:
            if (r.kind, r.record_id) in wanted:
                states[(r.kind, r.record_id)] = _State(
                    r.kind,
                    r.record_id,
                    r.site,
                    r.hlc,
                    r.device,
                    r.deleted,
                    orjson.loads(r.body),
                    exists=True,
                )
    return states


def _apply_one(
    caller: Caller,
    op: p.Operation,
    now_ms: int,
    states: dict[tuple[str, str], _State],
    attachments: list[str],
    present: set[tuple[str, str]],
    conflicts: list[dict[str, Any]],
) -> _Outcome:
    if not access.in_scope(caller.site, op.site):
        raise _Reject("site_not_allowed", site=op.site)
    if not access.may_write(caller.role, op.kind):
        raise _Reject("kind_not_allowed", kind=op.kind, role=caller.role)
    if op.op == "delete" and not access.may_delete(caller.role):
        raise _Reject("delete_not_allowed", role=caller.role)
    problem = stamps.check_operation(op, now_ms)
    if problem is not None:
        raise _Reject(problem.code, **problem.params)
    key = (op.kind, op.record_id)
    state = states.get(key)
    if state is not None and state.site != op.site:
        raise _Reject("site_mismatch", site=op.site, stored=state.site)
    if op.op == "delete":
        return _lww(caller, op, state, states, {}, deleted=True, conflicts=conflicts)
    if state is not None and state.deleted and op.kind not in access.REFERENCE_KINDS:
        # The office deleted it; a device that had not heard edits it: the office's
        # conflict log keeps the edit, and the record stays deleted.
        conflicts.append(_conflict_row(caller, op, {"deleted": True, "edit": op.body}))
        return _Outcome("merged")

    body = op.body
    body_id = body.get("id")
    if body_id is not None and body_id != op.record_id:
        raise _Reject("id_mismatch", body_id=str(body_id), record_id=op.record_id)
    body_site = body.get("site_id")
    if body_site is not None and body_site != op.site:
        raise _Reject("site_mismatch", site=op.site, stored=str(body_site))
    missing = [h for h in attachments if (h, op.site) not in present]
    if missing:
        raise _Reject("attachment_missing", sha256=missing[0], count=len(missing))
    if state is not None and not state.deleted:
        body, kept = keep_stored_personal(caller.role, op.kind, body, state.body)
        if kept is not None:
            conflicts.append(_conflict_row(caller, op, kept))

    record = None
    if op.kind in RECORD_TYPES:
        try:
            record = record_from_dict(op.kind, body)
        except ModelError as exc:
            raise _Reject("invalid_record", kind=op.kind, problem=str(exc)) from None

    if op.kind in IMMUTABLE_KINDS:
        if op.kind == "inspection" and getattr(record, "status", None) != "submitted":
            raise _Reject("draft_not_accepted")
        if state is not None and not state.deleted:
            if state.body != body:
                raise _Reject("immutable", kind=op.kind, record_id=op.record_id)
            return _Outcome("applied")
        return _store(op, caller, states, body)

    if op.kind in MERGED_KINDS and state is not None and not state.deleted:
        try:
            stored = record_from_dict(op.kind, state.body)
            merged = merge_record(stored, record).to_dict()
        except ModelError as exc:
            raise _Reject("invalid_record", kind=op.kind, problem=str(exc)) from None
        before = {(c["field"], c["hlc"]) for c in state.body.get("conflicts", [])}
        for c in merged.get("conflicts", []):
            if (c["field"], c["hlc"]) not in before:
                conflicts.append(_conflict_row(caller, op, {"merge": c}))
        if merged != state.body:
            state.body = merged
            state.hlc = max(state.hlc, op.hlc)
            state.device = caller.id
            state.changed = True
        return _Outcome("applied" if merged == body else "merged")

    return _lww(caller, op, state, states, body, deleted=False, conflicts=conflicts)


def _store(
    op: p.Operation, caller: Caller, states: dict[tuple[str, str], _State], body: dict
) -> _Outcome:
    states[(op.kind, op.record_id)] = _State(
        op.kind,
        op.record_id,
        op.site,
        op.hlc,
        caller.id,
        False,
        body,
        exists=(op.kind, op.record_id) in states and states[(op.kind, op.record_id)].exists,
        changed=True,
    )
    return _Outcome("applied")


def _lww(
    caller: Caller,
    op: p.Operation,
    state: _State | None,
    states: dict[tuple[str, str], _State],
    body: dict,
    *,
    deleted: bool,
    conflicts: list[dict[str, Any]],
) -> _Outcome:
    if state is None or (op.hlc, caller.id) > (state.hlc, state.device):
        outcome = _store(op, caller, states, body)
        states[(op.kind, op.record_id)].deleted = deleted
        return outcome
    conflicts.append(_conflict_row(caller, op, {"stale": body, "hlc": op.hlc}))
    return _Outcome("merged")


def _conflict_row(caller: Caller, op: p.Operation, detail: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": op.kind,
        "record_id": op.record_id,
        "site": op.site,
        "device_id": caller.id,
        "op_id": op.op_id,
        "detail": orjson.dumps(detail).decode(),
    }
