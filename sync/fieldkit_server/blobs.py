"""Where attachment bytes live: in the database (the default, no set-up) or in an
S3-compatible object store (``fieldkit-server serve --blobs s3://bucket/prefix``).

Each ``attachments`` row keeps the hash, size and media type and says where the bytes are
(``location``): ``db`` (in ``data``) or ``s3`` (object ``prefix/<sha256>``). New uploads go
where the server was told; a file is read from where its row says, so a server keeps
serving during ``fieldkit-server blobs migrate``, which moves files one at a time.

The text path never waits on the store. Push checks only that a file's row exists for
the site (``push._present_attachments``); pull reads no attachment. Only an upload or a
download calls the store, and when it cannot be reached they answer 503
``attachment_store_unavailable`` at once for the next few seconds (``DOWN_FOR_S``, per
process) rather than each waiting for its own time-out. The device then keeps the records
that need those files in its outbox and sends the rest (``fieldkit.sync.client``).

An upload is verified by hash before it is stored (``app.attachment_put``); its bytes go
to the store first and its row is written after, so a row, which is what lets a record
name the file, always has its object. Upload, sweep and migrate take a lock per file
(``sha_guard``) around the object and its row, so a sweep deleting an old copy can never
delete the object of a new upload of the same file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from fieldkit_server.db import Database
from fieldkit_server.s3 import S3Client, S3Config, S3Error, S3Unreachable
from fieldkit_server.tables import Attachment, AttachmentSite, AttachmentUpload, Device
from fieldkit_server.uploads import quota_bytes, take_upload

log = logging.getLogger("fieldkit.server.blobs")

BLOBS_ENV = "FIELDKIT_SERVER_BLOBS"
DB, S3 = "db", "s3"
#: After the store failed to answer, uploads and downloads are answered 503 at once for
#: this long (per server process) before the store is tried again.
DOWN_FOR_S = 5.0
_GUARD_NAMESPACE = 815_742_002  # pg_advisory_lock(namespace, key): one key per file
_STRIPES = 64
_thread_locks = [threading.Lock() for _ in range(_STRIPES)]


class BlobsUnavailable(Exception):
    """The object store cannot be reached (or is not configured on this server)."""


class BlobDamaged(Exception):
    """Bytes that do not hash to their name (found while moving them)."""


def parse(spec: str | None) -> S3Config | None:
    """``None``/``""``/``db``: the database; ``s3://bucket/prefix``: that store (ValueError
    when the address or the AWS_* environment is wrong)."""
    spec = (spec or "").strip()
    if spec in ("", DB):
        return None
    return S3Config.from_url(spec)


_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF8", "image/gif"),
    (b"%PDF-", "application/pdf"),
)


def sniff(data: bytes) -> str:
    """The media type by the file's first bytes (what a device sends is not trusted)."""
    for magic, media in _MAGIC:
        if data.startswith(magic):
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1"):
        return "image/heic"
    return "application/octet-stream"


@contextmanager
def sha_guard(db: Database, sha256: str) -> Iterator[None]:
    """Hold the lock of one file across every server process on the database: a
    PostgreSQL advisory lock, or with SQLite a byte-range lock on a file beside it."""
    key = int(sha256[:8], 16) - 2**31
    stripe = _thread_locks[int(sha256[:8], 16) % _STRIPES]
    if db.backend == "postgresql":
        with db.engine.connect() as conn:
            conn.execute(
                text("SELECT pg_advisory_lock(:ns, :key)"), {"ns": _GUARD_NAMESPACE, "key": key}
            )
            conn.commit()
            try:
                yield
            finally:
                conn.execute(
                    text("SELECT pg_advisory_unlock(:ns, :key)"),
                    {"ns": _GUARD_NAMESPACE, "key": key},
                )
                conn.commit()
        return
    path = db.engine.url.database
    with stripe:
        if not path or path == ":memory:":
            yield
            return
        try:
            import fcntl
        except ImportError:  # no byte-range locks (Windows): one process per database there
            yield
            return
        offset = int(sha256[:6], 16)
        fd = os.open(f"{path}.blob-locks", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX, 1, offset, os.SEEK_SET)
            try:
                yield
            finally:
                fcntl.lockf(fd, fcntl.LOCK_UN, 1, offset, os.SEEK_SET)
        finally:
            os.close(fd)


@dataclass
class Stored:
    size: int
    media_type: str
    chunks: Iterator[bytes]


class Blobs:
    """The server's attachments: stored where ``s3`` says (None: the database), read from
    where each row says."""

    def __init__(self, db: Database, s3: S3Client | None = None) -> None:
        self.db = db
        self.s3 = s3
        self._down_until = 0.0

    @classmethod
    def from_spec(cls, db: Database, spec: str | None) -> Blobs:
        config = parse(spec)
        return cls(db, S3Client(config) if config else None)

    @property
    def target(self) -> str:
        return S3 if self.s3 is not None else DB

    @property
    def shown(self) -> str:
        return self.s3.config.shown if self.s3 is not None else DB

    def _call(self, method: str, *args: object) -> Any:
        """One call to the store (``S3Client.<method>``), answered at once while the
        store is known to be down."""
        if self.s3 is None:
            raise BlobsUnavailable("this server has no object store configured (--blobs)")
        if time.monotonic() < self._down_until:
            raise BlobsUnavailable("the object store did not answer a moment ago")
        try:
            return getattr(self.s3, method)(*args)
        except S3Unreachable as exc:
            self._down_until = time.monotonic() + DOWN_FOR_S
            log.warning("object store %s unreachable: %s", self.s3.config.shown, exc)
            raise BlobsUnavailable(str(exc)) from exc

    # -- uploads ----------------------------------------------------------------------

    def store(self, device_id: str, site: str, sha256: str, data: bytes, at) -> bool:
        """Keep verified bytes once and link them to the device's site; True when newly
        linked. BlobsUnavailable when the store cannot take them (nothing is written)."""
        media = sniff(data)
        if self.s3 is None:
            return self._link(device_id, site, sha256, data, media, DB, at)
        with sha_guard(self.db, sha256):
            with self.db.read() as conn:
                where = conn.execute(
                    select(Attachment.location).where(Attachment.sha256 == sha256)
                ).scalar_one_or_none()
            if where is None:
                self._call("put", sha256, data, sha256, media)
            return self._link(device_id, site, sha256, data, media, S3, at)

    def _link(
        self, device_id: str, site: str, sha256: str, data: bytes, media: str, where: str, at
    ) -> bool:
        for attempt in range(3):
            try:
                with self.db.sessions() as session, session.begin():
                    take_upload(session, device_id, site, sha256, len(data), at, quota_bytes())
                    exists = session.execute(
                        select(Attachment.sha256).where(Attachment.sha256 == sha256)
                    ).first()
                    if exists is None:
                        session.execute(
                            insert(Attachment).values(
                                sha256=sha256,
                                size=len(data),
                                data=data if where == DB else None,
                                location=where,
                                media_type=media,
                                created_at=at,
                            )
                        )
                    linked = session.execute(
                        select(AttachmentSite.sha256).where(
                            AttachmentSite.sha256 == sha256, AttachmentSite.site == site
                        )
                    ).first()
                    if linked is None:
                        session.execute(insert(AttachmentSite).values(sha256=sha256, site=site))
                    session.execute(
                        update(Device).where(Device.id == device_id).values(last_seen_at=at)
                    )
                    return linked is None
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    # -- downloads --------------------------------------------------------------------

    def open(self, sha256: str) -> Stored:
        """The file's size, type and bytes in chunks (streamed from the store)."""
        with self.db.read() as conn:
            row = conn.execute(
                select(
                    Attachment.size, Attachment.media_type, Attachment.location, Attachment.data
                ).where(Attachment.sha256 == sha256)
            ).one()
        if row.location == DB:
            data = bytes(row.data or b"")
            return Stored(row.size, row.media_type, iter([data]))
        try:
            size, chunks = self._call("get", sha256)
        except S3Error as exc:
            log.error("object %s is named in the database but the store says %s", sha256, exc)
            raise BlobsUnavailable(f"object {sha256}: {exc.status}") from exc
        return Stored(size or row.size, row.media_type, chunks)

    # -- the sweep and migrations -----------------------------------------------------

    def forget(self, hashes: list[str], still_unused: Callable[[Any, str], bool]) -> list[str]:
        """Delete these files' rows and objects, each under its lock and only while
        ``still_unused(session, sha)``; the hashes deleted. A store that cannot be reached
        leaves its objects in place (logged): their rows are gone, so nothing names them."""
        deleted: list[str] = []
        for sha in hashes:
            with sha_guard(self.db, sha):
                with self.db.sessions() as session, session.begin():
                    where = session.execute(
                        select(Attachment.location).where(Attachment.sha256 == sha)
                    ).scalar_one_or_none()
                    if where == S3 and self.s3 is None:
                        log.warning("%s is in the object store: sweep with --blobs", sha)
                        continue
                    if not still_unused(session, sha):
                        continue
                    session.execute(delete(AttachmentUpload).where(AttachmentUpload.sha256 == sha))
                    session.execute(delete(AttachmentSite).where(AttachmentSite.sha256 == sha))
                    session.execute(delete(Attachment).where(Attachment.sha256 == sha))
                deleted.append(sha)
                if where == S3:
                    try:
                        self._call("delete", sha)
                    except (BlobsUnavailable, S3Error) as exc:
                        log.warning("object %s left in the store (%s); nothing names it", sha, exc)
        return deleted

    def move(self, sha256: str, to: str) -> bool:
        """Move one file to ``to`` (``db`` or ``s3``); False when it was already there.
        The bytes are checked against the hash before they are written; the row is
        switched only after, so a move killed half-way is simply done again."""
        with sha_guard(self.db, sha256):
            with self.db.read() as conn:
                row = conn.execute(
                    select(Attachment.location, Attachment.data, Attachment.media_type).where(
                        Attachment.sha256 == sha256
                    )
                ).one_or_none()
            if row is None or row.location == to:
                return False
            if to == S3:
                data = bytes(row.data or b"")
                _verify(sha256, data)
                self._call("put", sha256, data, sha256, row.media_type)
                values: dict = {"location": S3, "data": None}
            else:
                data = self._call("read", sha256)
                _verify(sha256, data)
                values = {"location": DB, "data": data}
            with self.db.sessions() as session, session.begin():
                session.execute(
                    update(Attachment)
                    .where(Attachment.sha256 == sha256, Attachment.location == row.location)
                    .values(**values)
                )
            if to == DB:
                try:
                    self._call("delete", sha256)
                except (BlobsUnavailable, S3Error) as exc:
                    log.warning("object %s copied back but not deleted (%s)", sha256, exc)
            return True

    def to_move(self, to: str, after: str, limit: int) -> list[str]:
        """Up to ``limit`` hashes (above ``after``, in order) whose bytes are not at ``to``."""
        with self.db.read() as conn:
            return list(
                conn.execute(
                    select(Attachment.sha256)
                    .where(Attachment.location != to, Attachment.sha256 > after)
                    .order_by(Attachment.sha256)
                    .limit(limit)
                ).scalars()
            )

    def left_to_move(self, to: str) -> int:
        with self.db.read() as conn:
            return conn.execute(
                select(func.count()).select_from(Attachment).where(Attachment.location != to)
            ).scalar_one()


def _verify(sha256: str, data: bytes) -> None:
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise BlobDamaged(f"{sha256} hashes to {actual}")
