"""The device store: TinyDB on crash-safe storage, the outbox and attachments.

``Store`` (in :mod:`fieldkit.store.store`) is the API, one class made of parts by concern
(``core``, ``inspections``, ``cases``, ``incidents``, ``reference``, ``outbox``, ``pull``,
``archive``, ``last_runs`` ...: see :mod:`fieldkit.store.store`). Beside them: ``layout``
(the files of a data folder), ``storage`` (the atomic TinyDB storage), ``files`` (id-keyed
tables), ``atomic``, ``modes``, ``lock``, ``blobs``, ``schema`` (versions and migrations),
``damage``, ``export`` and ``doctor``.
No I/O happens at import time.
"""

from fieldkit.store.errors import BlobError, NotFound, StoreDamaged, StoreError, StoreLocked
from fieldkit.store.outbox import OutboxEntry
from fieldkit.store.pull import ApplyResult
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
