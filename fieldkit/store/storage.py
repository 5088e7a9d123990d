"""The TinyDB storage every store file uses: atomic, cached, with a previous generation.

:class:`AtomicJSONStorage` keeps the whole file in memory (``read`` returns the cache, no
disk access) and writes through: each ``write`` serialises with orjson and replaces the file
atomically (:func:`fieldkit.store.atomic.atomic_write`), keeping the last generation as
``<name>.prev``. Inside ``with storage.transaction():`` writes only mark the cache dirty and
the outermost exit writes once — so changes to several tables (a record and its outbox
entry) reach the disk in one atomic write, or not at all. An exception inside a transaction
restores the cache to the last written generation.

Opening (:func:`load_file`) tolerates what a crash or a bad disk can leave:

- the file missing but ``.prev`` present (deleted, or on a folder without hard links killed
  between the two renames of :func:`~fieldkit.store.atomic.atomic_write`): ``.prev`` is
  used and reported, as it may lack the last change;
- the file unreadable (not JSON, no schema, wrong kind): it is kept aside as
  ``<name>.damaged-<time>``, reported, and ``.prev`` is used; if ``.prev`` is no good either,
  :class:`StoreDamaged` — never an empty database in its place.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from tinydb.storages import Storage

from fieldkit.store.atomic import atomic_write, prev_path, replace
from fieldkit.store.errors import StoreDamaged
from fieldkit.store.schema import migrate, new_file

log = logging.getLogger("fieldkit.store")


@dataclass(frozen=True)
class Notice:
    """Something opening the store found and handled; ``key`` is an i18n message."""

    key: str
    params: dict = field(default_factory=dict)

    def message(self) -> str:
        from fieldkit.i18n import t

        return t(self.key, **self.params)


def _parse(raw: bytes, kind: str, path: Path) -> tuple[dict, bool]:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc})") from exc
    return migrate(data, kind, str(path))


def _read(path: Path, kind: str) -> tuple[dict, bool]:
    raw = path.read_bytes()
    if not raw:
        raise ValueError("the file is empty")
    return _parse(raw, kind, path)


def load_file(
    path: Path, kind: str, readonly: bool, notices: list[Notice]
) -> tuple[dict | None, bool]:
    """The newest good generation of ``path`` and whether it must be written back.

    Returns ``(None, False)`` when neither the file nor ``.prev`` exists (a new file).
    """
    prev = prev_path(path)
    try:
        return _read(path, kind)
    except FileNotFoundError:
        if not prev.exists():
            return None, False
        notices.append(Notice("store.notice.used_previous", {"path": str(path)}))
        reason = None
    except (ValueError, OSError) as exc:
        reason = str(exc)
        log.error("store file %s is damaged: %s", path, reason)
    try:
        data, _ = _read(prev, kind)
    except FileNotFoundError:
        raise StoreDamaged(
            "store.error.damaged_no_previous", path=str(path), reason=reason or "missing"
        ) from None
    except (ValueError, OSError) as exc:
        raise StoreDamaged(
            "store.error.damaged_previous_too",
            path=str(path),
            reason=reason or "missing",
            prev_reason=str(exc),
        ) from None
    if reason is not None:
        # Only now that a good generation is in hand is the damaged file moved aside.
        kept = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
        if not readonly:
            replace(path, kept)
        notices.append(
            Notice(
                "store.notice.damaged",
                {"path": str(path), "reason": reason, "kept": str(kept if not readonly else path)},
            )
        )
    return data, True


class GroupedWrites(Storage):
    """What the store's file storages share: writes inside ``transaction()`` become one
    atomic write at the outermost exit, and an error leaves the file and the data as they
    were. A subclass keeps the data (``read`` / ``_take``), writes it (``_flush``) and
    restores what is on disk (``_rollback``)."""

    _depth = 0
    _dirty = False

    def _own(self, path: Path, kind: str, readonly: bool, notices: list[Notice] | None) -> None:
        """The file a storage keeps, its kind, and where it says what it found wrong."""
        self.path = Path(path)
        self.kind = kind
        self.readonly = readonly
        self.notices: list[Notice] = notices if notices is not None else []

    def _take(self, data: dict) -> None:
        raise NotImplementedError

    def _flush(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def write(self, data: dict) -> None:
        self._take(data)
        if self._depth:
            self._dirty = True
        else:
            self._flush_or_rollback()

    def close(self) -> None:
        pass

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: one atomic file write at the outermost exit, none on error."""
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._rollback()
            raise
        self._depth -= 1
        if self._depth == 0 and self._dirty:
            self._flush_or_rollback()

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def _flush_or_rollback(self) -> None:
        try:
            self._flush()
        except BaseException:
            self._rollback()
            raise


class AtomicJSONStorage(GroupedWrites):
    """A TinyDB storage that never leaves a half-written file (see the module docstring)."""

    def __init__(
        self,
        path: Path,
        kind: str,
        *,
        readonly: bool = False,
        create: bool = True,
        notices: list[Notice] | None = None,
    ) -> None:
        self._own(path, kind, readonly, notices)
        data, rewrite = load_file(self.path, kind, readonly, self.notices)
        self.exists = data is not None
        if data is None:
            data = new_file(kind)
            rewrite = create
        self._cache: dict = data
        self._last = orjson.dumps(data)
        self.size = len(self._last)
        if rewrite and not readonly:
            self._flush()
            self.exists = True

    def read(self) -> dict:
        return self._cache

    def _take(self, data: dict) -> None:
        self._cache = data

    def _rollback(self) -> None:
        self._dirty = False
        self._cache = orjson.loads(self._last)

    def _flush(self) -> None:
        if self.readonly:
            raise PermissionError(f"{self.path} is open read-only")
        raw = orjson.dumps(self._cache)
        atomic_write(self.path, raw, keep_previous=True)
        self._last = raw
        self.size = len(raw)
        self._dirty = False
        self.exists = True
