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
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from tinydb.storages import Storage

from fieldkit.store import journal
from fieldkit.store import lock as folder_lock
from fieldkit.store.atomic import atomic_write, prev_path, replace
from fieldkit.store.errors import StoreDamaged
from fieldkit.store.layout import DEVICE
from fieldkit.store.schema import META, meta_of, migrate, new_file

log = logging.getLogger("fieldkit.store")

FALLBACK_KEYS = ("store.notice.used_previous", "store.notice.damaged")


@dataclass(frozen=True)
class Notice:
    """Something opening the store found and handled; ``key`` is an i18n message."""

    key: str
    params: dict = field(default_factory=dict)

    def message(self) -> str:
        from fieldkit.i18n import t

        return t(self.key, **self.params)


Replay = Callable[[dict, bool], None]


def _parse(raw: bytes, kind: str, path: Path, replay: Replay | None, fell_back: bool):
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc})") from exc
    if replay is not None:
        meta_of(data)  # a store file at all, before anything is put into it
        replay(data, fell_back)  # before migrating, which upgrades the lines' documents too
    return migrate(data, kind, str(path))


def _read(path: Path, kind: str, replay: Replay | None = None, fell_back: bool = False):
    raw = path.read_bytes()
    if not raw:
        raise ValueError("the file is empty")
    return _parse(raw, kind, path, replay, fell_back)


def load_file(
    path: Path, kind: str, readonly: bool, notices: list[Notice], replay: Replay | None = None
) -> tuple[dict | None, bool]:
    """The newest good generation of ``path`` and whether it must be written back;
    ``replay(data, fell_back)`` puts the answer journal's lines over what was read.

    Returns ``(None, False)`` when neither the file nor ``.prev`` exists (a new file).
    """
    prev = prev_path(path)
    try:
        return _read(path, kind, replay)
    except FileNotFoundError:
        if not prev.exists():
            return None, False
        notices.append(Notice("store.notice.used_previous", {"path": str(path)}))
        reason = None
    except (ValueError, OSError) as exc:
        reason = str(exc)
        log.error("store file %s is damaged: %s", path, reason)
    try:
        data, _ = _read(prev, kind, replay, fell_back=True)
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

    def touch(self, table: str, doc_ids: Iterable[str]) -> None:
        """The documents the next ``write`` changes (a journaled write records them)."""

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


#: How often, and how far apart, a read-only open of a folder another process holds reads
#: ``active.json`` and its journal again before taking them as they are (~2 s in all; an
#: append is one write and one fsync, milliseconds even on a busy disk).
SNAPSHOT_TRIES = 40
SNAPSHOT_WAIT = 0.05


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file is replaced or rewritten: inode, modification time, size."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def _held(folder: Path) -> bool:
    """Another process holds ``folder`` (False where its lock file cannot be opened, e.g.
    a copy on a read-only disk: nobody writes there)."""
    try:
        return folder_lock.is_locked(folder)
    except OSError:
        return False


class AtomicJSONStorage(GroupedWrites):
    """A TinyDB storage that never leaves a half-written file (see the module docstring),
    with an answer journal beside it (:mod:`fieldkit.store.journal`): changes made inside
    :meth:`journaled` are one appended, fsynced line instead of a whole write."""

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
        self.journal_path = journal.path_of(self.path)
        self._found = journal.Read()
        if readonly and _held(self.path.parent):
            data, rewrite = self._load_snapshot()
        else:
            data, rewrite = load_file(self.path, kind, readonly, self.notices, self._replay)
        self.exists = data is not None
        if data is None:
            data = new_file(kind)
            rewrite = create
        self._cache: dict = data
        self._last = orjson.dumps(data)
        self.size = len(self._last)
        #: Lines appended (or replayed) since the last whole write: what a rollback puts
        #: back over ``_last``, and what the next whole write folds in.
        self._lines: list[bytes] = []
        self._journal_size = 0
        self._touched: dict[tuple[str, str], None] | None = None  # inside journaled()
        self._untracked = False  # a write inside journaled() that named no documents
        self._next_touched = False
        found = self._found
        self._lines = found.payloads
        self._journal_size = found.size
        if found.torn:
            self.notices.append(Notice("store.notice.journal_torn", {"count": found.torn}))
        if found.bad:
            kept = self.journal_path
            if not readonly:  # kept as found before the fold below empties it
                kept = self.journal_path.with_name(
                    f"{self.journal_path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}"
                )
                shutil.copyfile(self.journal_path, kept)
            self.notices.append(
                Notice(
                    "store.notice.journal_damaged",
                    {"path": str(self.journal_path), "count": found.bad, "kept": str(kept)},
                )
            )
        # a torn or foreign line must not stay in front of the next append: fold now
        rewrite = rewrite or bool(found.torn or found.bad or found.stale)
        if rewrite and not readonly:
            self._flush()
            self.exists = True

    def _load_snapshot(self) -> tuple[dict | None, bool]:
        """``active.json`` and its journal as one moment of a folder another process holds
        and writes. Two things are read again after a short wait: a journal whose last line
        has no end yet (an answer being appended — not a line a kill cut off, which only a
        folder nobody holds can have), and an ``active.json`` replaced between reading it and
        its journal (whose lines it folded). A line still unfinished after the wait is left
        out and said to be in writing, never reported as torn."""
        for _ in range(SNAPSHOT_TRIES):
            notices: list[Notice] = []
            self._found = journal.Read()
            before = _stamp(self.path)
            found = load_file(self.path, self.kind, True, notices, self._replay)
            if not self._found.torn and _stamp(self.path) == before:
                break
            time.sleep(SNAPSHOT_WAIT)
        else:
            if self._found.torn:
                self._found.torn = 0
                notices.append(Notice("store.notice.journal_writing"))
        self.notices.extend(notices)
        return found

    def _replay(self, data: dict, fell_back: bool) -> None:
        """Put the journal's lines for ``data``'s generation over it (every line when it is
        the previous copy: all of them follow it)."""
        generation = str(data[META]["1"].get("journal", ""))
        found = journal.read(self.journal_path, None if fell_back else generation)
        seq = (data.get(DEVICE) or {}).get("state", {}).get("seq")
        for payload in found.payloads:
            journal.apply(data, payload)
        if fell_back and seq is not None:
            # the outbox is the previous copy's: its numbers go on from its own count
            data[DEVICE]["state"] = {**data[DEVICE]["state"], "seq": seq}
        self._found = found

    @property
    def generation(self) -> str:
        """The token of the ``active.json`` generation in memory (journal lines name it)."""
        meta = self._cache.get(META, {}).get("1", {})
        return str(meta.get("journal", ""))

    def read(self) -> dict:
        return self._cache

    def _take(self, data: dict) -> None:
        self._cache = data
        if self._touched is not None:
            if not self._next_touched:
                self._untracked = True
            self._next_touched = False

    def touch(self, table: str, doc_ids: Iterable[str]) -> None:
        if self._touched is not None:
            for doc_id in doc_ids:
                self._touched[(table, doc_id)] = None
            self._next_touched = True

    def _rollback(self) -> None:
        self._dirty = False
        self._cache = orjson.loads(self._last)
        for payload in self._lines:
            journal.apply(self._cache, payload)

    @contextmanager
    def journaled(self) -> Iterator[None]:
        """Like ``transaction()``, but what changed is appended to the journal and fsynced
        once, not written whole. Inside an outer transaction, on a read-only store, when
        the journal is long, or when a write inside changed a table by a call that names
        no documents, it is one whole write as before."""
        if self._depth or self.readonly or self._journal_size > journal.LIMIT:
            with self.transaction():
                yield
            return
        self._touched, self._untracked, self._next_touched = {}, False, False
        try:
            with self.transaction():
                yield
                touched, untracked = self._touched, self._untracked
                self._touched = None
                if self._dirty and not untracked:
                    self._append(list(touched))
        finally:
            self._touched = None

    def _append(self, keys: list[tuple[str, str]]) -> None:
        changes = [[t, i, self._cache.get(t, {}).get(i)] for t, i in keys]
        line = journal.encode(self.generation, changes)
        try:
            journal.append(self.journal_path, line)
        except BaseException:
            # Part of the line may be on disk (a full disk, a failed fsync): cut it off, and
            # have the next change write the file whole, which empties the journal, so no
            # line ever follows a part of one. The change itself is rolled back.
            with suppress(OSError):
                os.truncate(self.journal_path, self._journal_size)
            self._journal_size = journal.LIMIT + 1
            raise
        self._lines.append(line[9:-1])
        self._journal_size += len(line)
        self._dirty = False

    def _flush(self) -> None:
        if self.readonly:
            raise PermissionError(f"{self.path} is open read-only")
        meta = self._cache.setdefault(META, {}).setdefault("1", {})
        meta["journal"] = os.urandom(8).hex()
        raw = orjson.dumps(self._cache)
        atomic_write(self.path, raw, keep_previous=True)
        self._last = raw
        self.size = len(raw)
        self._dirty = False
        self.exists = True
        if self._journal_size:
            self._lines = []
            self._journal_size = 0
            journal.empty(self.journal_path)
