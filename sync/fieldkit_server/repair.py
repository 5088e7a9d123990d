"""``fieldkit-server repair``: fix records in the change feed that devices cannot store.

The server has refused poisoned operations since the boundary checks (``limits.py``,
``fieldkit.sync.stamps``), but a database may hold records taken before them: a stamp
years ahead, a nest hundreds of levels deep, a 30 MB case, a body the model refuses.
Each such record is checked against the same rules a push meets and then

- **rewritten** where that makes it valid: every stamp beyond the server's clock plus
  the skew is brought back to the server's clock, parts nested past the depth limit are
  cut (``null``), texts and lists cut to their limits; or
- **tombstoned** (deleted, body empty) when the rewrite is still not a valid record;

and in both cases it takes the next change number, so every device pulls the repaired
version, and its original text is kept in the conflict log (``detail.repair``) for the
office. The run holds the change counter's lock, as a push does, so pushes wait for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import insert, select, update

from fieldkit.model import ModelError, record_from_dict
from fieldkit.model.hlc import HLC, wall_ms
from fieldkit.model.records import RECORD_TYPES
from fieldkit.sync import limits, stamps
from fieldkit_server import case_index, feed
from fieldkit_server.db import Database
from fieldkit_server.push import now
from fieldkit_server.tables import Conflict, Record

_STAMP = re.compile(r"^([0-9a-f]{12})-([0-9a-f]{6})-(.+)$", re.DOTALL)
REPAIR_DEVICE = "fieldkit-server-repair"


@dataclass(frozen=True)
class Fix:
    kind: str
    record_id: str
    site: str
    problem: str
    action: str  # "rewritten" | "tombstoned"


def problem_of(kind: str, hlc: str, body: Any, now_ms: int) -> str | None:
    """The code of the first rule a stored record breaks, or None."""
    if not isinstance(body, dict):
        return "invalid_record"
    found = limits.check_record(body) or stamps.check(hlc, body, now_ms)
    if found is not None:
        return found.code
    if kind in RECORD_TYPES:
        try:
            record_from_dict(kind, body)
        except (ModelError, ValueError, TypeError):
            return "invalid_record"
    return None


def _clamp(stamp: str, bound: int, now_ms: int) -> str:
    match = _STAMP.match(stamp)
    if match is None or int(match.group(1), 16) <= bound:
        return stamp
    try:
        return str(HLC(now_ms, 0, match.group(3)))
    except ValueError:
        return str(HLC(now_ms, 0, REPAIR_DEVICE))


def _rewrite(value: Any, depth: int, bound: int, now_ms: int) -> Any:
    if isinstance(value, dict):
        if depth > limits.MAX_DEPTH:
            return None
        items = list(value.items())[: limits.MAX_KEYS]
        return {
            str(k)[: limits.MAX_STRING_CHARS]: _rewrite(v, depth + 1, bound, now_ms)
            for k, v in items
        }
    if isinstance(value, list):
        if depth > limits.MAX_DEPTH:
            return None
        return [_rewrite(v, depth + 1, bound, now_ms) for v in value[: limits.MAX_LIST_ITEMS]]
    if isinstance(value, str):
        return _clamp(value, bound, now_ms)[: limits.MAX_STRING_CHARS]
    return value


def _loads(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None  # nested past what the parser follows: nothing to rewrite


def repair(
    db: Database, site: str | None = None, *, dry_run: bool = False, now_ms: int | None = None
) -> tuple[int, list[Fix]]:
    """Check every record (of ``site``, or all); fix those that break a rule. Returns how
    many were checked and what was (or, with ``dry_run``, would be) done."""
    now_ms = now_ms or wall_ms()
    bound = now_ms + stamps.MAX_AHEAD_MS
    fixes: list[Fix] = []
    checked = 0
    with db.sessions() as session, session.begin():
        feed.hold_writers(session)
        query = select(Record).where(Record.deleted.is_(False)).order_by(Record.change_seq)
        if site is not None:
            query = query.where(Record.site == site)
        for row in session.execute(query).scalars().all():
            checked += 1
            body = _loads(row.body)
            problem = "record_too_deep" if body is None else None
            problem = problem or problem_of(row.kind, row.hlc, body, now_ms)
            if problem is None:
                continue
            new_body = _rewrite(body, 1, bound, now_ms) if body is not None else None
            new_hlc = _clamp(row.hlc, bound, now_ms) if _STAMP.match(row.hlc) else None
            if new_hlc is None:
                new_hlc = str(HLC(now_ms, 0, REPAIR_DEVICE))
            valid = new_body is not None and problem_of(row.kind, new_hlc, new_body, now_ms) is None
            fix = Fix(row.kind, row.record_id, row.site, problem,
                      "rewritten" if valid else "tombstoned")  # fmt: skip
            fixes.append(fix)
            if dry_run:
                continue
            (place,) = feed.places(session, 1)
            session.execute(
                insert(Conflict).values(
                    kind=row.kind,
                    record_id=row.record_id,
                    site=row.site,
                    device_id=row.device[:36],
                    op_id=f"repair:{now_ms}",
                    detail=orjson.dumps(
                        {"repair": problem, "action": fix.action, "original": row.body}
                    ).decode(),
                    created_at=now(),
                )
            )
            session.execute(
                update(Record)
                .where(Record.kind == row.kind, Record.record_id == row.record_id)
                .values(
                    body=orjson.dumps(new_body if valid else {}).decode(),
                    deleted=not valid,
                    hlc=new_hlc,
                    change_seq=place,
                    updated_at=now(),
                )
            )
            if row.kind == "case":
                case_index.refresh(
                    session, [(row.record_id, row.site, new_body if valid else {}, not valid)]
                )
    if not dry_run:
        feed.number_pending(db)
    return checked, fixes
