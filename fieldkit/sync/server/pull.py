"""Reading the change feed: records changed after a cursor, in change-sequence order.

Bodies go out as stored JSON text (``orjson.Fragment``), decoded only when a personal field
must be masked for the caller's role.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import select

from fieldkit.sync import protocol as p
from fieldkit.sync.server import access
from fieldkit.sync.server.db import Database
from fieldkit.sync.server.push import Caller
from fieldkit.sync.server.tables import Record


def pull(db: Database, caller: Caller, cursor: int, limit: int) -> bytes:
    """The page after ``cursor`` as a JSON :class:`~fieldkit.sync.protocol.PullResponse`."""
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
        if access.needs_masking(caller.role, row.body):
            body: Any = access.mask_body(caller.role, orjson.loads(row.body))
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
