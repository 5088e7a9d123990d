"""Reading the change feed: records changed after a cursor, in change-sequence order.

One query per page on every backend: ``limit + 1`` rows after the cursor (the extra row
only says whether there is more), read in one statement, so the page is one consistent
snapshot. Places in the feed are given so that no change commits with a place below one
already read (``feed.py``), so a later page never holds a change below this page's cursor,
whichever server process or writer made it.

Bodies are stored as JSON text and go out as that text (``orjson.Fragment``), never
decoded and re-encoded, unless the record may hold a personal value the caller's role
must not see in full: that one body is decoded and masked (``access``). The reveal log
goes to the office's devices only (``access.hidden_kinds``).

Measured on a 10,000-change page on PostgreSQL (bench/sync.py): reading the rows as
tuples and building one small dict per change costs ~7 ms on top of the ~25 ms the rows
take to arrive; reading them by column name costs 25–45 ms, and assembling the whole page
in SQL (``string_agg``, tried before) 60–80 ms, as its sort spills to disk.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from sqlalchemy import select

from fieldkit.sync import protocol as p
from fieldkit_server import access, feed
from fieldkit_server.db import Database
from fieldkit_server.push import Caller
from fieldkit_server.tables import Record

log = logging.getLogger("fieldkit.server.pull")


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
    hidden = access.hidden_kinds(caller.role)
    if hidden:
        query = query.where(Record.kind.not_in(sorted(hidden)))
    feed.number_pending(db, wait=False)  # what committed before this pull is in it (feed.py)
    with p.collector_paused():
        with db.read() as conn:
            rows = conn.execute(query).all()
        return _page(caller.role, rows, cursor, limit)


def _masked(role: str, kind: str, record_id: str, body: str) -> orjson.Fragment:
    """A body masked for ``role``, encoded on its own: a record the feed should never have
    taken (nested past what JSON encoders follow) goes out empty, never unmasked, and the
    device sets it aside; ``fieldkit-server repair`` fixes the feed."""
    try:
        return orjson.Fragment(orjson.dumps(access.mask_body(role, kind, orjson.loads(body))))
    except (RecursionError, TypeError, ValueError):
        log.warning(
            "%s %s cannot be masked for a pull: run fieldkit-server repair", kind, record_id
        )
        return orjson.Fragment(b"{}")


def _page(role: str, rows: list[Any], cursor: int, limit: int) -> bytes:
    has_more = len(rows) > limit
    del rows[limit:]
    changes: list[dict[str, Any]] = []
    for seq, kind, record_id, site, hlc, device, deleted, body in rows:
        if access.needs_masking(role, body, kind):
            out: Any = _masked(role, kind, record_id, body)
        else:
            out = orjson.Fragment(body)
        changes.append(
            {
                "seq": seq,
                "kind": kind,
                "record_id": record_id,
                "site": site,
                "hlc": hlc,
                "device": device,
                "deleted": deleted,
                "body": out,
            }
        )
    return orjson.dumps(
        {
            "version": p.PROTOCOL_VERSION,
            "changes": changes,
            "next_cursor": rows[-1][0] if rows else cursor,
            "has_more": has_more,
        }
    )
