"""The order of the pull feed: each changed record's place, ``records.change_seq``.

The guarantee a pull rests on: once a device has read up to place *n*, no change ever
commits later with a place below *n*. How it is kept differs by backend.

- **SQLite** has one writer at a time (``BEGIN IMMEDIATE``), so a writer numbers its rows
  from the ``changes`` counter inside its own transaction (:func:`places`): numbers commit
  in order.
- **PostgreSQL** writers do not take a place: a changed row is written with a negative
  ``change_seq`` (*pending*: below every cursor, so no pull returns it yet), taken from the
  sequence ``change_pending`` so it keeps the order the rows were written in. Sequences
  never wait for a transaction, so pushes of different records never wait for each
  other — before, every push held the one counter row for its whole transaction and every
  device of every site queued behind it. Pending rows get their places afterwards from
  :func:`number_pending`, one short statement that gives each pending row no writer holds
  (``SKIP LOCKED``), in the order written, ``nextval('change_feed')``, under one advisory
  lock. Runs are serialised by that
  lock and each commits before the next begins, so every number a run gives is above
  every number committed before it: the guarantee holds. A row a writer holds is numbered
  by a later run, after that writer commits, with a higher number, as if it had committed
  later. A push asks for a run after it commits, and so does a pull before it reads;
  neither waits when a run is already under way: that run numbers what committed before
  it, and a change committed just after it starts comes with the next pull. (Pulls that
  waited for the lock queued behind each other's commits: with 500 devices syncing every
  10 s, 19 sessions on average waited for it, measured with ``bench/fleet.py``.)

A record changed again goes to the end of the feed either way, so a device always pulls
its last version. ``test_feed_order.py`` checks the guarantee with writers on two server
processes and a reader pulling pages of three.
"""

from __future__ import annotations

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from fieldkit_server.db import Database
from fieldkit_server.tables import CHANGE_COUNTER, Counter

SEQUENCE = "change_feed"
_FEED_LOCK = 815_742_003  # pg_advisory_xact_lock key of the numbering run

PENDING_SEQUENCE = "change_pending"
_PENDING = text("SELECT EXISTS (SELECT 1 FROM records WHERE change_seq < 0)")
_NUMBER = text(
    "WITH pending AS ("
    " SELECT kind, record_id FROM records WHERE change_seq < 0"
    " ORDER BY change_seq DESC FOR UPDATE SKIP LOCKED"
    f"), placed AS (SELECT kind, record_id, nextval('{SEQUENCE}') AS place FROM pending) "
    "UPDATE records SET change_seq = placed.place FROM placed "
    "WHERE records.kind = placed.kind AND records.record_id = placed.record_id"
)
_TAKE = text(f"SELECT nextval('{PENDING_SEQUENCE}') FROM generate_series(1, :n)")


def numbers_later(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def places(session: Session, count: int) -> list[int]:
    """Places in the feed for ``count`` rows this transaction changes, in order: the next
    numbers of the counter (SQLite), or pending ones below zero (PostgreSQL: placed after
    the commit by :func:`number_pending`)."""
    if count <= 0:
        return []
    if numbers_later(session):
        return [-n for n in session.execute(_TAKE, {"n": count}).scalars()]
    counter = session.execute(
        select(Counter.value).where(Counter.name == CHANGE_COUNTER).with_for_update()
    ).scalar_one()
    session.execute(
        update(Counter).where(Counter.name == CHANGE_COUNTER).values(value=counter + count)
    )
    return list(range(counter + 1, counter + count + 1))


def number_pending(db: Database, *, wait: bool = True) -> int:
    """Give every pending row (committed, not held by a writer) its place; how many.
    ``wait=False`` returns at once when another run holds the lock."""
    if db.backend != "postgresql":
        return 0
    with db.engine.connect() as conn, conn.begin():
        if not conn.execute(_PENDING).scalar():
            return 0
        if wait:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _FEED_LOCK})
        elif not conn.execute(
            text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": _FEED_LOCK}
        ).scalar():
            return 0
        return conn.execute(_NUMBER).rowcount


def hold_writers(session: Session) -> None:
    """Keep every other writer out of the records until this transaction ends (the
    office's ``repair`` rewrites records it has read; pushes wait for it rather than
    interleave). SQLite's write lock already does."""
    if numbers_later(session):
        session.execute(text("LOCK TABLE records IN SHARE ROW EXCLUSIVE MODE"))
