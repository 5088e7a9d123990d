"""What a device checks on its side of the boundary, so one bad record never stops a sync.

Outgoing: an outbox entry the server would refuse for its size or shape (``limits``) or
for a stamp that is not one is refused here, with the server's code and message, and goes
to needs-attention like any refusal; the rest are sent in requests of at most
:data:`~fieldkit.sync.limits.PUSH_BATCH_BYTES`.

Incoming: a pulled change whose stamps this device's clock cannot take in (unparseable,
or beyond the later of this device's clock and the server's plus
:data:`~fieldkit.sync.stamps.MAX_AHEAD_MS`) is set aside (needs-attention, kind
``incoming``) and the page stored without it, in the same write as the cursor. A page the
store still cannot write (a record nested past what it can encode, say) is tried again
without the changes that break a record limit, then change by change; whatever cannot be
stored is set aside and the cursor moves past it, so the pull goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import orjson

from fieldkit.i18n import t
from fieldkit.model.hlc import HLCError, wall_ms
from fieldkit.sync import limits, stamps
from fieldkit.sync import protocol as p

log = logging.getLogger("fieldkit.sync")

#: What a store write can fail with because of what a change holds (not the disk's fault).
UNSTORABLE = (ValueError, TypeError, RecursionError, OverflowError)
_KEPT_JSON_CHARS = 4096


def refuse_outgoing(ops: Sequence[p.Operation], lang: str) -> list[p.OpResult]:
    """A refusal for each op the server would refuse for its limits or a broken stamp."""
    refused = []
    for op in ops:
        problem = stamps.check_operation(op)  # the server's rules, without its clock
        if problem is not None:
            text = t(f"trust.rejected.{problem.code}", lang, **problem.params)
            refused.append(
                p.OpResult(op_id=op.op_id, status="rejected", code=problem.code, message=text)
            )
    return refused


def within_budget(ops: Sequence[p.Operation], budget: int = limits.PUSH_BATCH_BYTES) -> int:
    """How many of ``ops`` (at least one) fit one push request of ``budget`` bytes."""
    total = 0
    for count, op in enumerate(ops):
        total += len(orjson.dumps(op.body)) + 512
        if total > budget and count:
            return count
    return len(ops)


def _page(changes: Sequence[p.Change]) -> list[dict[str, Any]]:
    return [
        {"entity": c.kind, "id": c.record_id, "deleted": True}
        if c.deleted
        else {"entity": c.kind, "record": c.body}
        for c in changes
    ]


def _summary(change: p.Change) -> dict[str, Any]:
    try:
        text = orjson.dumps(change.body).decode()
    except UNSTORABLE:
        text = ""
    return {
        "entity": change.kind,
        "id": change.record_id,
        "seq": change.seq,
        "site": change.site,
        "hlc": change.hlc[:80],
        "device": change.device,
        "body_json": text[:_KEPT_JSON_CHARS],
        "body_json_cut": len(text) > _KEPT_JSON_CHARS,
    }


def _stamp_problem(change: p.Change, bound_ms: int) -> tuple[str | None, int]:
    """Why a change's clock-moving stamps cannot be taken in (or None), and the newest."""
    body = change.body if not change.deleted else None
    try:
        newest = stamps.placed_wall(change.hlc, body)
    except HLCError:
        return "bad_stamp", 0
    return ("stamp_ahead" if newest > bound_ms else None), newest


class Screened:
    """Stores pulled pages into a device store, setting aside what it cannot store."""

    def __init__(self, store: Any, stream: str, lang: str = "en") -> None:
        self.store = store
        self.stream = stream
        self.lang = lang
        self.server_ms: int | None = None
        self.set_aside = 0

    def _reason(self, change: p.Change, key: str, **params: Any) -> str:
        reason = t(f"trust.incoming.{key}", self.lang, **params)
        return t(
            "trust.incoming.quarantined",
            self.lang,
            entity=change.kind,
            id=change.record_id,
            reason=reason,
        )

    def apply(self, changes: Sequence[p.Change], cursor: int) -> None:
        bound = max(wall_ms(), self.server_ms or 0) + stamps.MAX_AHEAD_MS
        good: list[p.Change] = []
        aside: list[tuple[p.Change, str, str]] = []
        for change in changes:
            problem, newest = _stamp_problem(change, bound)
            if problem is None:
                good.append(change)
                continue
            ahead = stamps.describe_ahead(newest - bound, self.lang) if newest else ""
            aside.append((change, problem, self._reason(change, problem, ahead=ahead)))
        try:
            self._write(good, aside, str(cursor))
            return
        except UNSTORABLE as exc:
            log.warning("a pulled page could not be stored (%s); checking it change by change",
                        type(exc).__name__)  # fmt: skip
        checked: list[p.Change] = []
        for change in good:
            problem = limits.check_record(change.body) if not change.deleted else None
            if problem is None:
                checked.append(change)
            else:
                reason = self._reason(change, "broken_limit", code=problem.code)
                aside.append((change, problem.code, reason))
        try:
            self._write(checked, aside, str(cursor))
            return
        except UNSTORABLE:
            pass
        before = self.store.cursor(self.stream)
        for change in checked:
            try:
                self.store.apply_remote(_page([change]), before, stream=self.stream)
            except UNSTORABLE as exc:
                reason = self._reason(change, "unstorable", problem=type(exc).__name__)
                aside.append((change, "unstorable", reason))
        self._write([], aside, str(cursor))

    def _write(
        self, changes: list[p.Change], aside: list[tuple[p.Change, str, str]], cursor: str
    ) -> None:
        with self.store.transaction():
            for change, code, reason in aside:
                self.store.set_aside(_summary(change), reason, code)
            self.store.apply_remote(_page(changes), cursor, stream=self.stream)
        if aside:
            log.warning("%d pulled change(s) set aside on needs-attention", len(aside))
        self.set_aside += len(aside)
