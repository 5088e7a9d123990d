"""The reveal log over every device: who saw which resident's personal data in full, when,
why and under which incident, as the devices sent it (``fieldkit-server reveals``).

Rows are :class:`fieldkit.reports.reveals.RevealRow`, the ones an office device lists, with
the resident (masked) and the flat named from the office's own registry.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import select

from fieldkit.reports.reveals import RevealRow, newest_first, row
from fieldkit_server.db import Database
from fieldkit_server.tables import Record


def _bodies(conn: Any, kind: str, ids: set[str]) -> dict[str, dict]:
    if not ids:
        return {}
    found = conn.execute(
        select(Record.record_id, Record.body).where(
            Record.kind == kind, Record.record_id.in_(sorted(ids)), Record.deleted.is_(False)
        )
    ).all()
    return {record_id: orjson.loads(body) for record_id, body in found}


def reveal_rows(db: Database, since: str = "", site: str | None = None) -> list[RevealRow]:
    """Every reveal the office holds (of ``site``, or all), newest first; ``since`` is UTC
    text (:func:`fieldkit.reports.reveals.since_utc`)."""
    query = select(Record.body).where(Record.kind == "reveal", Record.deleted.is_(False))
    if site:
        query = query.where(Record.site == site)
    with db.read() as conn:
        docs = [orjson.loads(body) for (body,) in conn.execute(query).all()]
        docs = [d for d in docs if isinstance(d, dict)]
        residents = _bodies(conn, "resident", {str(d.get("resident_id") or "") for d in docs})
        units = _bodies(conn, "unit", {str(d.get("unit_id") or "") for d in docs})
    rows = []
    for doc in docs:
        resident = residents.get(str(doc.get("resident_id") or ""), {})
        unit = units.get(str(doc.get("unit_id") or ""), {})
        code = unit.get("label") or unit.get("number") or ""
        rows.append(row(doc, str(resident.get("name") or ""), str(code)))
    return newest_first(rows, since)
