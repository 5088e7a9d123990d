"""The office database, as SQLAlchemy 2 tables.

The schema is created and changed only by the Alembic migrations in ``migrations/``;
``tests/sync/test_migrations.py`` checks that these tables and the migrated database agree.
Record bodies are stored as JSON text (orjson), so a pull can hand them out without
decoding and re-encoding each one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

CHANGE_COUNTER = "changes"


class Base(DeclarativeBase):
    pass


class Counter(Base):
    """Named counters; on SQLite the ``changes`` row numbers the pull feed (``feed.py``;
    PostgreSQL numbers it from the sequence ``change_feed`` instead)."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False)


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    site: Mapped[str] = mapped_column(String(100), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    enrolled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_seq: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class Op(Base):
    """Every operation a device ever pushed, so a resent one is answered, not re-applied."""

    __tablename__ = "ops"
    device_id: Mapped[str] = mapped_column(String(36), ForeignKey("devices.id"), primary_key=True)
    op_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    record_id: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False)
    code: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)  # JSON parameters of the message
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Record(Base):
    """The current state of every record; ``change_seq`` is its place in the pull feed
    (below zero on PostgreSQL between a change's commit and its numbering, ``feed.py``)."""

    __tablename__ = "records"
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    site: Mapped[str] = mapped_column(String(100), nullable=False)
    hlc: Mapped[str] = mapped_column(String(80), nullable=False)
    device: Mapped[str] = mapped_column(String(36), nullable=False)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    change_seq: Mapped[int] = mapped_column(BigInteger, nullable=False, unique=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (
        Index("ix_records_site_change_seq", "site", "change_seq"),
        Index("ix_records_kind_updated_at", "kind", "updated_at"),
        Index(
            "ix_records_pending",
            "change_seq",
            postgresql_where=text("change_seq < 0"),
            sqlite_where=text("change_seq < 0"),
        ),
    )


class Conflict(Base):
    """A value a merge overwrote or refused; the office reads these."""

    __tablename__ = "conflicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    record_id: Mapped[str] = mapped_column(String(200), nullable=False)
    site: Mapped[str] = mapped_column(String(100), nullable=False)
    device_id: Mapped[str] = mapped_column(String(36), nullable=False)
    op_id: Mapped[str] = mapped_column(String(200), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (Index("ix_conflicts_record", "kind", "record_id"),)


class SeqGap(Base):
    """Device sequence numbers the server never received (a device lost part of its outbox)."""

    __tablename__ = "seq_gaps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(36), ForeignKey("devices.id"), nullable=False)
    first_seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    last_seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    detected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Attachment(Base):
    """An attachment by sha256: its size, media type and where its bytes are (``blobs.py``):
    ``db`` in ``data`` (the default, shared by every server process), ``s3`` in the object
    store given by ``serve --blobs`` (``data`` empty)."""

    __tablename__ = "attachments"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    location: Mapped[str] = mapped_column(String(8), nullable=False, server_default="db")
    media_type: Mapped[str] = mapped_column(
        String(100), nullable=False, server_default="application/octet-stream"
    )

    __table_args__ = (Index("ix_attachments_location", "location"),)


class AttachmentSite(Base):
    """Which sites hold an attachment; a device sees only its own site's files."""

    __tablename__ = "attachment_sites"
    sha256: Mapped[str] = mapped_column(
        String(64), ForeignKey("attachments.sha256"), primary_key=True
    )
    site: Mapped[str] = mapped_column(String(100), primary_key=True)


class AttachmentUpload(Base):
    """One device's upload of a file, and whether a pushed record names it yet; a file no
    record names counts against its uploader's quota and expires (``uploads.py``)."""

    __tablename__ = "attachment_uploads"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), ForeignKey("devices.id"), primary_key=True)
    site: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    referenced: Mapped[bool] = mapped_column(Boolean, nullable=False)

    __table_args__ = (Index("ix_attachment_uploads_device", "device_id", "referenced"),)


class EnrolFailure(Base):
    """A failed enrolment attempt from a client address; the gate counts an address's
    recent ones (``enrol_failures.py``), and every server process shares them."""

    __tablename__ = "enrol_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    address: Mapped[str] = mapped_column(String(64), nullable=False)
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (Index("ix_enrol_failures_address", "address", "failed_at"),)


class ConsoleUser(Base):
    """A person who signs in to the office console (not a device). ``device_id`` names the
    devices row the console writes their changes under, so a console edit reaches the feed
    as an ordinary operation of its own "device" (``console/writer.py``)."""

    __tablename__ = "console_users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    site: Mapped[str] = mapped_column(String(100), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(Text)
    device_id: Mapped[str] = mapped_column(String(36), ForeignKey("devices.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Set when an administrator chose the password (a new account, a reset): the person
    #: chooses their own at their next sign-in before any other page opens.
    password_change_due: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )


class ConsoleSession(Base):
    """A signed-in browser: the cookie's sha256 (the cookie itself is never stored), its
    CSRF token, and when it was last used (idle expiry)."""

    __tablename__ = "console_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36), ForeignKey("console_users.id"), nullable=False)
    csrf: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (Index("ix_console_sessions_user", "user_id"),)


class LoginFailure(Base):
    """A failed console sign-in, per account name and client address; every server
    process counts the same rows (``people.py``), as ``enrol_failures`` does for devices."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(String(100), nullable=False)
    address: Mapped[str] = mapped_column(String(64), nullable=False)
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (
        Index("ix_login_failures_account", "account", "failed_at"),
        Index("ix_login_failures_address", "address", "failed_at"),
    )


class ConsoleAction(Base):
    """What a person did in the console, with their name: the office's audit trail."""

    __tablename__ = "console_actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    user_id: Mapped[str | None] = mapped_column(String(36))
    user_name: Mapped[str] = mapped_column(String(100), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    record_id: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    site: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="{}")

    __table_args__ = (Index("ix_console_actions_record", "kind", "record_id"),)


class CaseIndex(Base):
    """The columns the console filters and pages cases by, one row per case in
    ``records``, written in the same transaction as the record (``case_index.py``). Only
    these few fields: the case itself is read from ``records``. Paging is by ``record_id``
    (a UUIDv7, so newest first is descending id) after a filter on one indexed column."""

    __tablename__ = "case_index"
    record_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    site: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(40), nullable=False)
    done: Mapped[bool] = mapped_column(Boolean, nullable=False)
    waiting: Mapped[bool] = mapped_column(Boolean, nullable=False)
    department: Mapped[str] = mapped_column(String(40), nullable=False)
    category: Mapped[str] = mapped_column(String(80), nullable=False)
    severity: Mapped[str] = mapped_column(String(20), nullable=False)
    building: Mapped[str] = mapped_column(String(100), nullable=False)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    search: Mapped[str] = mapped_column(Text, nullable=False)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False)

    __table_args__ = (
        Index("ix_case_index_site", "site", "record_id"),
        Index("ix_case_index_open", "done", "record_id"),
        Index("ix_case_index_status", "status", "record_id"),
        Index("ix_case_index_department", "department", "record_id"),
        Index("ix_case_index_category", "category", "record_id"),
        Index("ix_case_index_building", "building", "record_id"),
        Index("ix_case_index_due", "waiting", "due_at"),
        Index("ix_case_index_open_due", "site", "done", "deleted", "due_at"),
    )
