"""The server's database read and written directly: a record in the change feed that no
push could put there (taken before the boundary checks), and the conflict log."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
from sqlalchemy import insert, select

from fieldkit_server import feed
from fieldkit_server.db import Database
from fieldkit_server.tables import Conflict, Record
from tests.sync.records import stamp


def insert_record(
    db: Database | str, record_id: str, body_text: str, site="s1", hlc=None, kind="case"
) -> int:
    """Put ``body_text`` in the feed as the next change of record ``record_id``, on ``db``
    (a database, or its URL); its change number."""
    if isinstance(db, str):
        opened = Database(db)
        try:
            return insert_record(opened, record_id, body_text, site, hlc, kind)
        finally:
            opened.dispose()
    with db.sessions() as s, s.begin():
        (place,) = feed.places(s, 1)
        s.execute(
            insert(Record).values(
                kind=kind,
                record_id=record_id,
                site=site,
                hlc=hlc or stamp(1000),
                device="d1",
                deleted=False,
                body=body_text,
                change_seq=place,
                updated_at=datetime.now(UTC),
            )
        )
    feed.number_pending(db)
    with db.read() as conn:
        return conn.execute(
            select(Record.change_seq).where(Record.kind == kind, Record.record_id == record_id)
        ).scalar_one()


def conflict_log(db_url: str) -> list[dict]:
    """Every conflict-log entry's detail, decoded."""
    db = Database(db_url)
    try:
        with db.engine.connect() as conn:
            return [orjson.loads(d) for d in conn.execute(select(Conflict.detail)).scalars()]
    finally:
        db.dispose()
