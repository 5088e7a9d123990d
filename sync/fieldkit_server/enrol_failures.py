"""Failed enrolment attempts per client address, kept in the database.

Every server process behind the proxy (``--workers``, several hosts on one PostgreSQL)
reads and writes the same rows, so an address gets :data:`ENROLL_FAILURES` failed
attempts in :data:`ENROLL_WINDOW_S` seconds in all, not that many per process. The table
stays small: each new failure deletes the rows older than the window, and the rows more
than :data:`MAX_ROWS` failures back (ids only grow), so a flood from many addresses
cannot grow it without bound either.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select

from fieldkit_server.db import Database
from fieldkit_server.tables import EnrolFailure

#: Failed enrolments one client address may make in the window before it must wait.
ENROLL_FAILURES = 10
ENROLL_WINDOW_S = 600
#: The most failure rows the table keeps, whatever the number of addresses.
MAX_ROWS = 10_000
#: An address longer than this (a proxy's odd ``X-Forwarded-For``) is cut to it.
MAX_ADDRESS = 64


def wait_for(db: Database, address: str, at: datetime | None = None) -> float:
    """Seconds ``address`` must wait before its next attempt (0: go ahead): until the
    :data:`ENROLL_FAILURES`-th newest of its failures in the window leaves the window."""
    at = at or datetime.now(UTC)
    window = timedelta(seconds=ENROLL_WINDOW_S)
    with db.read() as conn:
        oldest_counted = conn.execute(
            select(EnrolFailure.failed_at)
            .where(
                EnrolFailure.address == address[:MAX_ADDRESS],
                EnrolFailure.failed_at > at - window,
            )
            .order_by(EnrolFailure.failed_at.desc())
            .offset(ENROLL_FAILURES - 1)
            .limit(1)
        ).scalar_one_or_none()
    if oldest_counted is None:
        return 0.0
    if oldest_counted.tzinfo is None:  # SQLite hands back naive UTC
        oldest_counted = oldest_counted.replace(tzinfo=at.tzinfo)
    return max(1.0, (oldest_counted + window - at).total_seconds())


def failed(db: Database, address: str, at: datetime | None = None) -> None:
    """Count one failed attempt from ``address``, and prune what no longer counts."""
    at = at or datetime.now(UTC)
    with db.sessions() as session, session.begin():
        new_id = session.execute(
            insert(EnrolFailure).values(address=address[:MAX_ADDRESS], failed_at=at)
        ).inserted_primary_key[0]
        session.execute(
            delete(EnrolFailure).where(
                (EnrolFailure.failed_at <= at - timedelta(seconds=ENROLL_WINDOW_S))
                | (EnrolFailure.id <= new_id - MAX_ROWS)
            )
        )
