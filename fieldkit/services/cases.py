"""Cases: their lifecycle, due times, and a listing that stays fast with 100k of them."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from typing import Any

from fieldkit.services.types import CaseEvent, CaseFilter, CasePage, CaseRow, CaseView

STATUSES = ("open", "dispatched", "in_progress", "resolved", "verified", "closed", "rejected")
DONE = frozenset({"verified", "closed", "rejected"})
NEXT: dict[str, tuple[str, ...]] = {
    "open": ("dispatched", "rejected"),
    "dispatched": ("in_progress", "rejected"),
    "in_progress": ("resolved",),
    "resolved": ("verified", "in_progress"),
    "verified": ("closed",),
    "closed": (),
    "rejected": (),
}
DEPARTMENTS = ("engineering", "security", "cleaning", "landscaping", "customer_service")
SEVERITIES = ("minor", "major", "critical")
_DUE = re.compile(r"^(\d+)\s*([mhdw])$")
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class CaseError(ValueError):
    """A lifecycle move that is not allowed; ``key`` is the i18n message."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def due_seconds(text: str) -> int:
    """``30m`` / ``4h`` / ``3d`` / ``1w`` in seconds; ValueError for anything else."""
    match = _DUE.match(text.strip())
    if not match:
        raise ValueError(f"not a duration: {text!r}")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def is_overdue(record: dict[str, Any], now: float) -> bool:
    return record["status"] not in DONE and record["due"] < now


def row(record: dict[str, Any], now: float) -> CaseRow:
    return CaseRow(
        id=record["id"],
        number=record["number"],
        title=record["title"],
        target=record["target_label"],
        building=record.get("building", ""),
        department=record["department"],
        severity=record["severity"],
        status=record["status"],
        due=record["due"],
        overdue=is_overdue(record, now),
    )


def view(record: dict[str, Any], now: float) -> CaseView:
    return CaseView(
        row=row(record, now),
        kind=record.get("kind", "finding"),
        created=record["created"],
        inspection_id=record.get("inspection_id"),
        events=tuple(CaseEvent(**event) for event in record["events"]),
        next_statuses=NEXT[record["status"]],
    )


def matches(record: dict[str, Any], flt: CaseFilter, now: float) -> bool:
    status = record["status"]
    if flt.status == "open" and status in DONE:
        return False
    if flt.status not in ("", "open") and status != flt.status:
        return False
    if flt.department and record["department"] != flt.department:
        return False
    if flt.building and record.get("building") != flt.building:
        return False
    if flt.target and record.get("target_id") != flt.target:
        return False
    return not (flt.overdue and not is_overdue(record, now))


def page(
    records: Iterable[dict[str, Any]],
    flt: CaseFilter,
    offset: int,
    limit: int,
    now: float | None = None,
) -> CasePage:
    """One page of matching cases, newest first. ``records`` must already be newest first.

    Only the page's rows are built; the rest is a count, so a page of 100k cases costs one
    pass of cheap dict lookups.
    """
    now = time.time() if now is None else now
    rows: list[CaseRow] = []
    total = 0
    for record in records:
        if matches(record, flt, now):
            if offset <= total < offset + limit:
                rows.append(row(record, now))
            total += 1
    return CasePage(rows=tuple(rows), total=total, offset=offset)


def moved(record: dict[str, Any], status: str, reason: str, now: float) -> dict[str, Any]:
    """A copy of the case moved to ``status``, with the event appended; CaseError if not allowed."""
    if status not in NEXT[record["status"]]:
        raise CaseError("services.case.bad_move", current=record["status"], wanted=status)
    if status == "rejected" and not reason.strip():
        raise CaseError("services.case.reason_needed")
    event = {"at": now, "kind": "status", "status": status, "text": reason.strip()}
    return {**record, "status": status, "events": [*record["events"], event], "updated": now}


def noted(record: dict[str, Any], kind: str, text: str, now: float) -> dict[str, Any]:
    if not text.strip():
        raise CaseError("services.case.empty_note")
    event = {"at": now, "kind": kind, "status": "", "text": text.strip()}
    return {**record, "events": [*record["events"], event], "updated": now}
