"""Reading the change feed: records changed after a cursor, in change-sequence order.

Bodies go out as stored JSON text (``orjson.Fragment``), decoded only when a personal field
must be masked for the caller's role. On PostgreSQL the whole page is assembled by the
database as one JSON text (``string_agg``), so the server touches no row in Python unless
the page holds a personal field the caller may not see — then it takes the row-by-row way.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import select, text

from fieldkit.sync import protocol as p
from fieldkit.sync.server import access
from fieldkit.sync.server.db import Database
from fieldkit.sync.server.push import Caller
from fieldkit.sync.server.tables import Record

_PG_PAGE = text(
    """
    SELECT string_agg(frag, ',' ORDER BY change_seq), max(change_seq) FROM (
        SELECT change_seq,
               '{"seq":' || change_seq || ',"kind":' || to_json(kind)::text
               || ',"record_id":' || to_json(record_id)::text
               || ',"site":' || to_json(site)::text
               || ',"hlc":' || to_json(hlc)::text
               || ',"device":' || to_json(device)::text
               || ',"deleted":' || CASE WHEN deleted THEN 'true' ELSE 'false' END
               || ',"body":' || body || '}' AS frag
        FROM records
        WHERE change_seq > :cursor AND (:all_sites OR site IN (:site, '*'))
        ORDER BY change_seq
        LIMIT :limit
    ) AS page
    """
)
_PG_MORE = text(
    "SELECT 1 FROM records WHERE change_seq > :after AND (:all_sites OR site IN (:site, '*')) "
    "LIMIT 1"
)


def pull(db: Database, caller: Caller, cursor: int, limit: int) -> bytes:
    """The page after ``cursor`` as a JSON :class:`~fieldkit.sync.protocol.PullResponse`."""
    if db.backend == "postgresql":
        page = _pull_assembled(db, caller, cursor, limit)
        if page is not None:
            return page
    return _pull_rows(db, caller, cursor, limit)


def _pull_assembled(db: Database, caller: Caller, cursor: int, limit: int) -> bytes | None:
    params = {"cursor": cursor, "limit": limit, "site": caller.site}
    params["all_sites"] = caller.site == p.ALL_SITES
    with db.read() as conn:
        joined, last = conn.execute(_PG_PAGE, params).one()
        if joined is not None and access.needs_masking(caller.role, joined):
            return None
        more = last is not None and (
            conn.execute(_PG_MORE, {**params, "after": last}).first() is not None
        )
    head = b'{"version":%d,"changes":[' % p.PROTOCOL_VERSION
    tail = b'],"next_cursor":%d,"has_more":%s}' % (
        last if last is not None else cursor,
        b"true" if more else b"false",
    )
    return head + (joined or "").encode("utf-8") + tail


def _pull_rows(db: Database, caller: Caller, cursor: int, limit: int) -> bytes:
    query = (
        select(
            Record.change_seq,
            Record.kind,
            Record.record_id,
            Record.site,
            Record.hlc,
            Record.device,
            Record.deleted,
            Record.body,
        )
        .where(Record.change_seq > cursor)
        .order_by(Record.change_seq)
        .limit(limit + 1)
    )
    if caller.site != p.ALL_SITES:
        query = query.where(Record.site.in_([caller.site, p.ALL_SITES]))
    with db.read() as conn:
        rows = conn.execute(query).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    changes: list[dict[str, Any]] = []
    for row in rows:
        if access.needs_masking(caller.role, row.body, row.kind):
            body: Any = access.mask_body(caller.role, row.kind, orjson.loads(row.body))
        else:
            body = orjson.Fragment(row.body)
        changes.append(
            {
                "seq": row.change_seq,
                "kind": row.kind,
                "record_id": row.record_id,
                "site": row.site,
                "hlc": row.hlc,
                "device": row.device,
                "deleted": row.deleted,
                "body": body,
            }
        )
    next_cursor = rows[-1].change_seq if rows else cursor
    return orjson.dumps(
        {
            "version": p.PROTOCOL_VERSION,
            "changes": changes,
            "next_cursor": next_cursor,
            "has_more": has_more,
        }
    )
