"""Fetching one attachment from the office: streamed, bounded, with progress, verified
against its sha256 name before anyone keeps it.

The server answers ``GET /v1/attachments/{sha256}`` for files of the device's site; the
device asks for a photo when a screen shows it (``fieldkit.services.attachments.fetch``)
and prefetches those of its open cases during ``fieldkit sync``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import requests

from fieldkit.sync import protocol as p
from fieldkit.sync.client import Offline, SyncClient

CHUNK = 64 * 1024
Progress = Callable[[int, int], None]  # (bytes so far, total bytes or 0 if unknown)


def download(
    client: SyncClient,
    sha256: str,
    progress: Progress | None = None,
    limit: int = p.MAX_ATTACHMENT_BYTES,
) -> bytes:
    """The attachment's bytes. :class:`Offline` when the network fails, the answer is
    longer than ``limit`` or the bytes do not hash to ``sha256``; ``SyncRefused`` (404
    ``attachment_not_found``) when the office does not hold it for this site."""
    answer = client._call("GET", f"{p.API_PREFIX}/attachments/{sha256}", stream=True)
    digest = hashlib.sha256()
    chunks: list[bytes] = []
    done = 0
    try:
        declared = answer.headers.get("content-length", "")
        total = int(declared) if declared.isdigit() else 0
        if total > limit:
            raise Offline(f"attachment {sha256} is {total} bytes, more than {limit}", "garbled")
        for chunk in answer.iter_content(CHUNK):
            done += len(chunk)
            if done > limit:
                raise Offline(f"attachment {sha256} is more than {limit} bytes", "garbled")
            digest.update(chunk)
            chunks.append(chunk)
            if progress is not None:
                progress(done, total)
    except requests.RequestException as exc:
        raise client.failed("GET", f"{p.API_PREFIX}/attachments/{sha256}", exc) from exc
    finally:
        answer.close()
    if digest.hexdigest() != sha256:
        raise Offline(f"attachment {sha256} arrived damaged", "garbled")
    return b"".join(chunks)
