"""The columns the office console filters and pages cases by (``case_index`` table).

A case lives in ``records`` as its JSON body; filtering 100k of them by status or
department there would decode every body. So every write of a case record — a device's
push, a console change (which is a push too), a repair — also writes the case's row here,
in the same transaction: status, department, category, building, due time and a lowercase
search text, nothing else. The console reads the page's ids here and the cases themselves
from ``records``; the sync API never reads this table.

A case's building is its own ``building`` field, else the building of the flat, checkpoint
or asset it is about (the rule of ``fieldkit.reports.trends.building_index``, the one the
trends and the device's places index use).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.orm import Session

from fieldkit.reports.trends import PLACE_KINDS, building_from_extra, building_index
from fieldkit_server.tables import CaseIndex, Record

#: A case in one of these states is finished: not open, never overdue.
DONE = frozenset({"closed", "cancelled"})
#: The work is done and the case waits on the owner or the follow-up visit: never overdue
#: (the device's rule, ``fieldkit.services.cases.WAITING``).
WAITING = frozenset(
    {"resolved", "done", "replied", "settled", "referred", "followed_up", "closed", "cancelled"}
)
_SEARCH_MAX = 4000


def _due(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(v) for v in value.values() if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def where_of(body: dict, places: dict[str, dict]) -> str:
    """The flat or place a case is about as people write it (``3-2-1502``)."""
    where = body.get("where")
    if isinstance(where, str) and where:
        return where
    target = (body.get("target") or {}).get("id", "")
    place = places.get(target) or {}
    return str(place.get("label") or place.get("number") or place.get("code") or "")


def row(
    record_id: str, site: str, body: dict, deleted: bool, building: str, where: str
) -> dict[str, Any]:
    """The index row of one stored case body."""
    status = str(body.get("status") or "open")
    words = [
        record_id,
        where,
        str(body.get("category") or ""),
        *_texts(body.get("title")),
        *_texts(body.get("titles")),
        str(body.get("description") or ""),
    ]
    return {
        "record_id": record_id,
        "site": site,
        "kind": str(body.get("kind") or "")[:20],
        "status": status[:40],
        "done": status in DONE,
        "waiting": status in WAITING,
        "department": str(body.get("department") or "")[:40],
        "category": str(body.get("category") or "")[:80],
        "severity": str(body.get("severity") or "")[:20],
        "building": building[:100],
        "due_at": _due(body.get("due")),
        "search": " ".join(w for w in words if w).lower()[:_SEARCH_MAX],
        "deleted": deleted,
    }


def _places(read: Any, target_ids: set[str]) -> dict[str, dict]:
    """The place records the targets name, and the buildings those are in."""
    if not target_ids:
        return {}
    found: dict[str, dict] = {}
    wanted = set(target_ids)
    for _ in range(2):  # the targets, then the buildings they name
        ids = sorted(wanted - set(found))
        if not ids:
            break
        rows = read(
            select(Record.kind, Record.record_id, Record.body).where(
                Record.kind.in_(PLACE_KINDS), Record.record_id.in_(ids)
            )
        )
        wanted = set()
        for kind, record_id, body in rows:
            doc = orjson.loads(body)
            if isinstance(doc, dict):
                found[record_id] = {**doc, "_kind": kind, "id": record_id}
                if doc.get("building_id"):
                    wanted.add(str(doc["building_id"]))
    return found


def _rows(read: Any, cases: Iterable[tuple[str, str, dict, bool]]) -> list[dict[str, Any]]:
    cases = list(cases)
    targets = {
        str((body.get("target") or {}).get("id", ""))
        for _, _, body, _ in cases
        if not building_from_extra(body) or not body.get("where")
    }
    places = _places(read, targets - {""})
    index = building_index((doc["_kind"], doc) for doc in places.values())
    out = []
    for record_id, site, body, deleted in cases:
        target = str((body.get("target") or {}).get("id", ""))
        building = building_from_extra(body) or index.get(target, "")
        out.append(row(record_id, site, body, deleted, building, where_of(body, places)))
    return out


def refresh(session: Session, cases: Iterable[tuple[str, str, dict, bool]]) -> None:
    """Write the index rows of these cases (record id, site, body, deleted), replacing
    any they had; called inside the transaction that writes the records."""
    rows = _rows(lambda q: session.execute(q).all(), cases)
    if not rows:
        return
    ids = [r["record_id"] for r in rows]
    for start in range(0, len(ids), 500):
        session.execute(delete(CaseIndex).where(CaseIndex.record_id.in_(ids[start : start + 500])))
    session.execute(insert(CaseIndex), rows)


def rebuild(conn: Connection, batch: int = 2000) -> int:
    """Index every case in ``records`` (the migration that made the table runs this)."""
    conn.execute(delete(CaseIndex))
    count = 0
    last = ""
    while True:
        found = conn.execute(
            select(Record.record_id, Record.site, Record.body, Record.deleted)
            .where(Record.kind == "case", Record.record_id > last)
            .order_by(Record.record_id)
            .limit(batch)
        ).all()
        if not found:
            return count
        cases = []
        for record_id, site, body, deleted in found:
            doc = orjson.loads(body)
            cases.append((record_id, site, doc if isinstance(doc, dict) else {}, deleted))
        rows = _rows(lambda q: conn.execute(q).all(), cases)
        conn.execute(insert(CaseIndex), rows)
        count += len(rows)
        last = found[-1][0]
