"""Attachments (photos, documents) stored by the sha256 of their bytes.

A blob lives at ``blobs/<first 2 hex>/<sha256>``. :meth:`BlobStore.put` hashes while it
copies into a temp file in that folder, fsyncs, and renames it into place, so a blob either
exists whole or not at all — and it exists before any record can name it (the store refuses
a record whose attachment is not here). :meth:`BlobStore.read` and :meth:`BlobStore.verify`
hash the bytes again and raise :class:`BlobError` when they are not what the name says.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from fieldkit.model import AttachmentRef
from fieldkit.store.atomic import fsync_dir, remove_stale_temps, replace, temp_path
from fieldkit.store.errors import BlobError
from fieldkit.store.modes import make_dir, open_file

CHUNK = 1 << 20


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(
        self, source: bytes | Path | str, media_type: str = "", name: str = ""
    ) -> AttachmentRef:
        """Store bytes or a file's content; returns its reference (sha256, size ...)."""
        make_dir(self.root)
        staging = temp_path(self.root / "incoming")
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(open_file(staging), "wb") as out:
                for chunk in _chunks(source):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path(sha)
            if final.is_file() and _hash_file(final) == sha:
                staging.unlink()
            else:
                make_dir(final.parent)
                replace(staging, final)
                fsync_dir(final.parent)
        except BaseException:
            staging.unlink(missing_ok=True)
            raise
        if not name and isinstance(source, Path | str):
            name = Path(source).name
        return AttachmentRef(
            sha256=sha, size=size, media_type=media_type or _guess_type(name), name=name
        )

    def read(self, sha256: str) -> bytes:
        """The blob's bytes, checked against its hash."""
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise BlobError("store.error.blob_missing", sha256=sha256) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobError("store.error.blob_corrupt", sha256=sha256, path=str(self.path(sha256)))
        return data

    def verify(self, sha256: str) -> None:
        """Raise BlobError if the blob is missing or its bytes do not match its name."""
        path = self.path(sha256)
        if not path.is_file():
            raise BlobError("store.error.blob_missing", sha256=sha256)
        if _hash_file(path) != sha256:
            raise BlobError("store.error.blob_corrupt", sha256=sha256, path=str(path))

    def all(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir():
                for entry in sorted(sub.iterdir()):
                    if not entry.name.startswith("."):
                        yield entry.name

    def remove_stale_temps(self) -> list[Path]:
        removed = remove_stale_temps(self.root)
        if self.root.is_dir():
            for sub in self.root.iterdir():
                if sub.is_dir():
                    removed += remove_stale_temps(sub)
        return removed


def _chunks(source: bytes | Path | str) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        yield bytes(source)
        return
    with open(source, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _guess_type(name: str) -> str:
    import mimetypes

    return (
        mimetypes.guess_type(name)[0] or "application/octet-stream"
        if name
        else ("application/octet-stream")
    )
