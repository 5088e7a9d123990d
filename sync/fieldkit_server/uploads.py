"""Attachment uploads: a quota per device on files no record names yet, and their expiry.

A device uploads a record's files just before it pushes the record (``sync_round``), so a
file no pushed record names is normally one that waits for the next push. Each upload is
kept in ``attachment_uploads`` (who, which site, size, when); a push that names a file
marks it referenced. A device may hold at most ``FIELDKIT_SERVER_UPLOAD_QUOTA_MB``
(default 256) MB of unreferenced uploads: beyond that an upload is refused
(``attachment_quota``, 413) until its records are pushed. ``fieldkit-server attachments
sweep --hours H`` (default 72; run it from cron) deletes files that no record names and
that were uploaded more than H hours ago. Files stored before uploads were recorded have
no row here and are never swept.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fieldkit_server.db import Database
from fieldkit_server.errors import ApiError
from fieldkit_server.tables import Attachment, AttachmentUpload, Record

if TYPE_CHECKING:
    from fieldkit_server.blobs import Blobs

QUOTA_ENV = "FIELDKIT_SERVER_UPLOAD_QUOTA_MB"
DEFAULT_QUOTA_MB = 256
MB = 1024 * 1024


def quota_bytes() -> int:
    text = os.environ.get(QUOTA_ENV, "").strip()
    return int(text) * MB if text.isdigit() else DEFAULT_QUOTA_MB * MB


def take_upload(
    session: Session, device_id: str, site: str, sha256: str, size: int, at: datetime, quota: int
) -> None:
    """Keep a row of the device's upload, or refuse (413 ``attachment_quota``) one that
    would take its unreferenced files past ``quota``; the same file again costs nothing."""
    known = session.execute(
        select(AttachmentUpload.sha256).where(
            AttachmentUpload.device_id == device_id, AttachmentUpload.sha256 == sha256
        )
    ).first()
    if known is not None:
        return
    used = session.execute(
        select(func.coalesce(func.sum(AttachmentUpload.size), 0)).where(
            AttachmentUpload.device_id == device_id, AttachmentUpload.referenced.is_(False)
        )
    ).scalar_one()
    if used + size > quota:
        raise ApiError(413, "attachment_quota", used_mb=int(used) // MB, limit_mb=quota // MB)
    session.add(
        AttachmentUpload(
            sha256=sha256,
            device_id=device_id,
            site=site,
            size=size,
            uploaded_at=at,
            referenced=False,
        )
    )


def mark_referenced(session: Session, hashes: Iterable[str]) -> None:
    """Files a pushed record names: they no longer count against a quota or expire."""
    wanted = sorted(set(hashes))
    for start in range(0, len(wanted), 500):
        session.execute(
            update(AttachmentUpload)
            .where(
                AttachmentUpload.sha256.in_(wanted[start : start + 500]),
                AttachmentUpload.referenced.is_(False),
            )
            .values(referenced=True)
        )


def sweep(db: Database, hours: float, now: datetime, blobs: Blobs | None = None) -> tuple[int, int]:
    """Delete files no record names, uploaded more than ``hours`` ago: (files, bytes).
    Each file goes under its lock (``blobs.Blobs.forget``), its object too when it is in
    the object store, so a new upload of the same file is never deleted with it."""
    from fieldkit_server.blobs import Blobs

    blobs = blobs or Blobs(db)
    cutoff = now - timedelta(hours=hours)
    with db.read() as conn:
        rows = conn.execute(
            select(
                AttachmentUpload.sha256, AttachmentUpload.referenced, AttachmentUpload.uploaded_at
            )
        ).all()
    keep: set[str] = set()
    candidates: set[str] = set()
    for sha, referenced, at in rows:
        if at.tzinfo is None:
            at = at.replace(tzinfo=cutoff.tzinfo)
        if referenced or at >= cutoff:
            keep.add(sha)
        else:
            candidates.add(sha)
    gone = sorted(candidates - keep)
    if not gone:
        return 0, 0
    with db.read() as conn:
        sizes = dict(
            conn.execute(
                select(Attachment.sha256, Attachment.size).where(Attachment.sha256.in_(gone))
            ).all()
        )

    def still_unused(session: Session, sha: str) -> bool:
        """Checked again under the file's lock: still old and unreferenced, and no record
        names it (a last look at the records themselves)."""
        fresh = session.execute(
            select(AttachmentUpload.sha256).where(
                AttachmentUpload.sha256 == sha,
                (AttachmentUpload.referenced.is_(True)) | (AttachmentUpload.uploaded_at >= cutoff),
            )
        ).first()
        if fresh is not None:
            return False
        named = session.execute(
            select(Record.record_id).where(Record.body.contains(sha)).limit(1)
        ).first()
        return named is None

    deleted = blobs.forget(gone, still_unused)
    return len(deleted), int(sum(sizes.get(sha, 0) for sha in deleted))
