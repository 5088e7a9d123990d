"""The device store: TinyDB on crash-safe storage, the outbox and attachments.

``Store`` (in :mod:`fieldkit.store.store`) is the API; the modules beside it hold its parts:
``storage`` (the atomic TinyDB storage), ``files`` (id-keyed tables), ``lock``, ``blobs``,
``schema`` (versions and migrations), ``outbox``, ``export`` and ``doctor``.
No I/O happens at import time.
"""

from fieldkit.store.errors import BlobError, NotFound, StoreDamaged, StoreError, StoreLocked
from fieldkit.store.outbox import ApplyResult, OutboxEntry
from fieldkit.store.storage import Notice
from fieldkit.store.store import Store

__all__ = [
    "ApplyResult",
    "BlobError",
    "NotFound",
    "Notice",
    "OutboxEntry",
    "Store",
    "StoreDamaged",
    "StoreError",
    "StoreLocked",
]
