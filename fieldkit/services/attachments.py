"""Photos and files that other devices took: fetched from the office when a screen shows
one, and prefetched for this device's open cases and incidents during ``fieldkit sync``.

A record names its attachments by sha256; a device that pulled the record from the office
has the reference but not the bytes until it fetches them. :func:`fetch` is what a screen
calls (from a worker thread, with a progress callback) when it needs the bytes;
:func:`prefetch` fetches those of open cases and incidents, newest first, until a size
budget is spent (``prefetch_mb`` in config.toml, ``fieldkit sync --prefetch-mb``; 0 turns
it off). A fetched file is checked against its sha256 and stored like one taken here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldkit.i18n import UserError

Progress = Callable[[int, int], None]


class AttachmentError(UserError, ValueError):
    """Why a file could not be fetched, for the person; ``key`` is the i18n message."""


@dataclass(frozen=True)
class Prefetched:
    fetched: int = 0
    bytes: int = 0
    left: int = 0  # wanted but over the budget, or failed: fetched when shown
    failed: int = 0


def _client(store: Any) -> Any:
    from fieldkit.i18n import get_language
    from fieldkit.sync.client import Credentials, SyncError, client_for

    try:
        creds = Credentials.load(store.data_dir)
    except SyncError:
        creds = None
    if creds is None:
        raise AttachmentError("attachments.not_enrolled")
    return client_for(creds, get_language())


def fetch(store: Any, sha256: str, *, progress: Progress | None = None, client: Any = None) -> Path:
    """The file's path on this device, fetching it from the office first if needed.
    AttachmentError when offline (clear message, nothing changed), not enrolled, or the
    office does not hold it."""
    if store.has_blob(sha256):
        return store.blob_path(sha256)
    from fieldkit.sync.attachments import download
    from fieldkit.sync.client import FilesUnavailable, NeedsEnrolment, Offline, SyncRefused

    own = client is None
    client = client or _client(store)
    try:
        data = download(client, sha256, progress)
    except FilesUnavailable:
        raise AttachmentError("attachments.store_unavailable") from None
    except Offline:
        raise AttachmentError("attachments.offline") from None
    except NeedsEnrolment:
        raise AttachmentError("attachments.not_enrolled") from None
    except SyncRefused as exc:
        if exc.code == "attachment_not_found":
            raise AttachmentError("attachments.not_on_server", sha256=sha256[:12]) from None
        raise AttachmentError("attachments.refused", reason=str(exc)) from None
    finally:
        if own:
            client.close()
    store.put_blob(data)
    return store.blob_path(sha256)


def wanted(store: Any) -> list[Any]:
    """Attachment references of open cases and incidents that are not on this device,
    newest record first, each once."""
    records = [*store.open_cases(), *store.open_incidents()]
    records.sort(key=lambda r: r.id, reverse=True)  # UUIDv7: newest first
    seen: set[str] = set()
    out = []
    for record in records:
        for event in reversed(getattr(record, record.LOG)):
            for ref in event.attachments:
                if ref.sha256 not in seen and not store.has_blob(ref.sha256):
                    seen.add(ref.sha256)
                    out.append(ref)
    return out


def prefetch(
    store: Any,
    client: Any,
    budget_bytes: int,
    progress: Callable[[int, int], None] | None = None,
) -> Prefetched:
    """Fetch what :func:`wanted` lists while the budget lasts (a file larger than what is
    left is skipped, a smaller later one may still fit). A network failure stops it: the
    rest come with the next sync or when shown."""
    from fieldkit.sync.attachments import download
    from fieldkit.sync.client import Offline, SyncRefused

    refs = wanted(store)
    fetched = spent = failed = 0
    for ref in refs:
        if budget_bytes <= 0 or spent + ref.size > budget_bytes:
            continue
        try:
            data = download(client, ref.sha256)
        except SyncRefused:
            failed += 1
            continue
        except Offline:
            failed += 1
            break
        store.put_blob(data, media_type=ref.media_type, name=ref.name)
        fetched += 1
        spent += len(data)
        if progress is not None:
            progress(fetched, spent)
    return Prefetched(fetched=fetched, bytes=spent, left=len(refs) - fetched, failed=failed)
