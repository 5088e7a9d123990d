"""The shift handover (交接班) over every device's records, for the office console.

The report is the device's: :func:`fieldkit.services.handover.build` turns records into
it, :func:`~fieldkit.services.handover.render` and ``render_pdf`` print it. This module
only feeds the builder from the server's ``records`` table, for one site (or every site),
each body masked for the reader's role as a device of that role receives it:

- the open cases due first before the shift's horizon, as many as the report lists
  (``case_index``: not done, by due time; the others are counted there), and every case a
  device changed since shortly before the shift began (``updated_at``, with :data:`SKEW`
  for a device clock ahead of the server's) — a step done in the shift reaches the server
  after it was done, so these hold every one;
- every case awaiting the desk's call-back (listed whenever it is due), picked out of
  ``case_index`` by its kind and state;
- the open cases due later, and those due first beyond the listed, are only counted, in
  ``case_index`` (the builder's counts of the part it saw are replaced by these);
- the incidents (few: every one of the site), the plan runs of those the handover shows,
  and the patrol rounds changed since the shift began, with the site's routes and its
  compound record for their names.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import and_, false, func, not_, or_, select

from fieldkit.services import handover as device_handover
from fieldkit.services.handover import DUE_MOST, Handover
from fieldkit.services.notices import compound_name
from fieldkit.sync.protocol import ALL_SITES
from fieldkit_server import access
from fieldkit_server.db import Database
from fieldkit_server.reference import Reference
from fieldkit_server.tables import CaseIndex, Record

#: How far a device's clock may be ahead of the server's and its step still be found.
SKEW = timedelta(hours=1)
_YIELD_PER = 1000


def _site(query: Any, column: Any, site: str) -> Any:
    return query if site == ALL_SITES else query.where(column == site)


def compute_handover(
    db: Database,
    site: str,
    now: datetime,
    shift_hours: float,
    next_hours: float,
    lang: str,
    role: str,
    by: str = "",
) -> Handover:
    """The handover of the shift that ends ``now`` and lasted ``shift_hours``, over the
    records of ``site`` (``*``: every site), masked for a device of ``role``, handed over by
    ``by``."""
    now = now.astimezone(UTC)  # SQLite compares times as text: the stored ones are UTC
    start = now - timedelta(hours=shift_hours)
    horizon = now + timedelta(hours=next_hours)
    changed = start - SKEW
    live = Record.deleted.is_(False)
    open_due = _site(
        select(CaseIndex.record_id).where(
            CaseIndex.done.is_(False),
            CaseIndex.waiting.is_(False),
            CaseIndex.deleted.is_(False),
            CaseIndex.due_at <= horizon,
        ),
        CaseIndex.site,
        site,
    )
    first_due = open_due.order_by(CaseIndex.due_at, CaseIndex.record_id).limit(DUE_MOST)
    pairs = sorted(device_handover.call_back_states())
    owed = (
        or_(*(and_(CaseIndex.kind == k, CaseIndex.status == s) for k, s in pairs))
        if pairs
        else false()
    )
    owed_ids = _site(
        select(CaseIndex.record_id).where(
            CaseIndex.done.is_(False), CaseIndex.deleted.is_(False), owed
        ),
        CaseIndex.site,
        site,
    )
    owed_cases = select(Record.body).where(
        Record.kind == "case", live, Record.record_id.in_(owed_ids)
    )
    # two queries, not one with OR: PostgreSQL reads each from its index, an OR from the table
    changed_cases = select(Record.body).where(
        Record.kind == "case", live, Record.updated_at >= changed
    )
    due_cases = select(Record.body).where(
        Record.kind == "case", live, Record.record_id.in_(first_due)
    )
    later = select(func.count()).select_from(CaseIndex).where(
        CaseIndex.done.is_(False), CaseIndex.deleted.is_(False), not_(owed),
        or_(CaseIndex.due_at.is_(None), CaseIndex.due_at > horizon),
    )  # fmt: skip
    waiting = select(func.count()).select_from(CaseIndex).where(
        CaseIndex.done.is_(False), CaseIndex.waiting.is_(True), CaseIndex.deleted.is_(False),
        CaseIndex.due_at <= horizon, not_(owed),
    )  # fmt: skip
    incidents = select(Record.body).where(Record.kind == "incident", live)
    rounds = select(Record.body).where(
        Record.kind == "patrol_round", live, Record.updated_at >= changed
    )
    records: list[tuple[str, dict]] = []
    seen: set[str] = set()
    with db.read() as conn:
        for kind, query in (("case", changed_cases), ("case", due_cases), ("case", owed_cases),
                            ("incident", incidents), ("patrol_round", rounds)):  # fmt: skip
            for doc in _bodies(conn, _site(query, Record.site, site)):
                if kind == "case" and doc.get("id") in seen:
                    continue  # changed in the shift and due first
                seen.add(str(doc.get("id")))
                records.append((kind, access.mask_body(role, kind, doc)))
        counted = conn.execute(_site(later, CaseIndex.site, site)).scalar_one()
        held = conn.execute(_site(waiting, CaseIndex.site, site)).scalar_one()
        due_count = conn.execute(select(func.count()).select_from(open_due.subquery())).scalar_one()
        wanted = sorted({
            str(i) for kind, doc in records
            if kind == "incident" and device_handover.shown_incident(doc, start, now)
            for i in doc.get("inspections") or []
        })  # fmt: skip
        fetched: dict[str, dict] = {}
        for first in range(0, len(wanted), 500):
            runs = select(Record.body).where(
                Record.kind == "inspection", live, Record.record_id.in_(wanted[first : first + 500])
            )
            for doc in _bodies(conn, _site(runs, Record.site, site)):
                fetched[str(doc.get("id"))] = access.mask_body(role, "inspection", doc)
    reference = Reference(db, site, kinds=("site", "patrol_route"))
    routes = {r.id: r for r in reference.reference("patrol_route")}
    compound = compound_name(reference, lang) if site != ALL_SITES else ""
    # the builder sees the open cases in part: the counts are the index's, of all of them
    return device_handover.build(records, now, shift_hours, next_hours, lang, by=by,
                                 compound=compound, routes=routes, runs=fetched.get,
                                 counts=(due_count, counted, held))  # fmt: skip


def _bodies(conn: Any, query: Any) -> Iterator[dict]:
    for (body,) in conn.execution_options(yield_per=_YIELD_PER).execute(query):
        yield orjson.loads(body)
