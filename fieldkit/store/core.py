"""The core of the device store: its files, its one lock and transaction, its notices.

:class:`StoreCore` holds what every part of :class:`~fieldkit.store.store.Store` works
through: the active file and its tables (``_table``); the one write that carries a change
together with the device's persisted HLC (``_write``, ``transaction()``); the archive months
and reference data, opened on demand (``_archive``, ``_ref``); reading a live or archived
record (``_doc``, ``_record``, ``_need``, ``_live``, ``peek``); the attachments; the device
state; and the notices opening found — a file that fell back to its previous copy becomes a
needs-attention entry, written with the next write (:mod:`fieldkit.store.damage`).

Thread safety: every public method takes ``_mutex``, the store's one re-entrant lock, so
the UI thread and a sync worker can share one ``Store``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fieldkit.model import AttachmentRef, Clock, ModelError, new_id, now_iso, record_from_dict
from fieldkit.store import damage as damage_rules
from fieldkit.store import last_runs, modes
from fieldkit.store import lock as folder_lock
from fieldkit.store.atomic import replace
from fieldkit.store.blobs import BlobStore
from fieldkit.store.errors import BlobError, NotFound, StoreDamaged, StoreError
from fieldkit.store.files import RecordTable, StoreFile
from fieldkit.store.last_runs import LAST_RUN, LAST_RUN_STATE
from fieldkit.store.layout import (
    ARCHIVE_CACHE,
    ARCHIVE_DIR,
    ATTENTION,
    BLOBS_DIR,
    CURSORS,
    DELETED,
    DEVICE,
    LIVE_ENTITIES,
    REFERENCE,
    month_of,
)
from fieldkit.store.storage import Notice


class StoreCore:
    """The files, lock, transaction and notices every part of the store shares."""

    def __init__(
        self,
        data_dir: Path,
        active: StoreFile,
        lock: folder_lock.FolderLock | None,
        notices: list[Notice],
    ) -> None:
        self.data_dir = data_dir
        self.readonly = lock is None
        self.notices = notices
        self._folder_lock = lock
        self._active = active
        self._mutex = threading.RLock()
        self._archives: OrderedDict[str, StoreFile] = OrderedDict()
        #: Months found with no file, until archiving makes one (a writable store holds the
        #: folder: no one else adds a month meanwhile). A pull's page asks of each record's
        #: month, and a new laptop has none: two ``stat`` calls each, once.
        self._absent: set[str] = set()
        self._reference: StoreFile | None = None
        self._reference_index: dict[str, list] | None = None  # read-only: reference.json's
        self._runs_current = False
        self._damage_pending: list[dict] = []  # fallbacks found, written with the next write
        self._damage_seen = 0  # notices already looked at for fallbacks
        #: The files pulled records went to (reference.json, archive/<month>.json) since
        #: this was last cleared: what a full pull refilled (see :meth:`damage_recovered`).
        self.pulled_parts: set[str] = set()
        self.blobs = BlobStore(data_dir / BLOBS_DIR)
        state = self._table(DEVICE).doc("state") or {}
        self.device_id: str = state.get("device_id") or ""
        self.clock = Clock(self.device_id or "unset", last=state.get("clock"))

    def _init_device(self) -> None:
        state = self._table(DEVICE).doc("state")
        if state and state.get("device_id"):
            return
        self.device_id = new_id().replace("-", "")[-12:]
        self.clock = Clock(self.device_id)
        with self._write():
            self._table(DEVICE).put(
                "state", {"device_id": self.device_id, "seq": 0, "created": now_iso()}
            )
            if not self.archive_months() and not self._table("inspection").docs():
                # a new folder: the index starts complete and is kept so from here
                self._table(LAST_RUN_STATE).put(
                    "state", {"version": last_runs.VERSION, "months": {}}
                )

    def _table(self, name: str) -> RecordTable:
        return self._active.table(name)

    @contextmanager
    def _write(self, journaled: bool = False) -> Iterator[None]:
        """One durable write of the active file: whole, or (``journaled``, for a draft's
        answer) one fsynced line of the answer journal that the next whole write folds in
        (:mod:`fieldkit.store.journal`)."""
        if self.readonly or (self._folder_lock is None):
            raise StoreError("store.error.read_only", path=str(self.data_dir))
        storage = self._active.storage
        journal = journaled and not self._damage_pending
        with self._mutex, storage.journaled() if journal else storage.transaction():
            if self._damage_pending:
                self._write_damage()
            yield
            state = dict(self._table(DEVICE).doc("state") or {})
            state["clock"] = str(self.clock.last)
            self._table(DEVICE).put("state", state)

    def transaction(self) -> Any:
        """Group several store calls into one atomic write of the active file."""
        return self._write()

    def _stamp(self) -> str:
        return str(self.clock.now())

    def _put(self, entity: str, record: Any) -> None:
        self._put_doc(entity, record.id, record.to_dict())

    def _put_doc(self, entity: str, record_id: str, doc: dict) -> None:
        """Put a record's stored dict (``to_dict``) in the active file."""
        self._table(entity).put(record_id, doc)
        if entity == "inspection":
            last_runs.keep(self._table(LAST_RUN), doc)

    def _check_blobs(self, refs: Iterable[AttachmentRef]) -> None:
        for ref in refs:
            if not self.blobs.has(ref.sha256):
                raise BlobError("store.error.blob_missing", sha256=ref.sha256)

    def _archive(self, month: str, create: bool = False) -> StoreFile | None:
        cached = self._archives.get(month)
        if cached is not None:
            self._archives.move_to_end(month)
            return cached
        if not create and month in self._absent:
            return None
        path = self.data_dir / ARCHIVE_DIR / f"{month}.json"
        if not create and not path.exists() and not path.with_name(path.name + ".prev").exists():
            if not self.readonly:
                self._absent.add(month)
            return None
        if create:
            self._absent.discard(month)
            modes.make_dir(path.parent)
        try:
            file = StoreFile(
                path, "archive", readonly=self.readonly, create=False, notices=self.notices
            )
        except StoreDamaged as exc:
            file = self._start_again(path, "archive", exc)
        self._note_damage()
        self._archives[month] = file
        while len(self._archives) > ARCHIVE_CACHE:
            self._archives.popitem(last=False)
        return file

    def _ref(self) -> StoreFile:
        if self._reference is None:
            path = self.data_dir / REFERENCE
            try:
                self._reference = StoreFile(
                    path, "reference", readonly=self.readonly, create=False, notices=self.notices
                )
            except StoreDamaged as exc:
                self._reference = self._start_again(path, "reference", exc)
            self._note_damage()
        return self._reference

    def _record(self, entity: str, record_id: str) -> Any | None:
        """A live or archived record by kind and id, or None."""
        with self._mutex:
            doc = self._doc(entity, record_id)
            return record_from_dict(entity, doc) if doc is not None else None

    def _doc(self, entity: str, record_id: str, month: str | None = None) -> dict | None:
        """A live or archived record's stored dict (``month``: its archive month, when the
        caller has it already)."""
        doc = self._table(entity).doc(record_id)
        if doc is not None:
            return doc
        if self._table(DELETED).doc(f"{entity}/{record_id}") is not None:
            return None  # the office deleted it: an archived copy is history no longer
        archive = self._archive(month or month_of(record_id))
        return archive.table(entity).doc(record_id) if archive else None

    def _need(self, cls: type, record_id: str) -> Any:
        doc = self._doc(cls.ENTITY, record_id)
        if doc is None:
            raise NotFound("store.error.not_found", entity=cls.ENTITY, id=record_id)
        return cls.from_dict(doc)

    def _live(self, cls: type, keep: Callable[[dict], bool] | None = None) -> list:
        with self._mutex:
            docs = self._table(cls.ENTITY).docs().values()
            out = [cls.from_dict(d) for d in docs if keep is None or keep(d)]
        return sorted(out, key=lambda r: r.id)

    def peek(self, entity: str, record_id: str, *names: str) -> dict[str, Any] | None:
        """Copies of a few top-level fields of a live or archived record (None if there is
        no such record), without reading the whole record into objects: an incident with
        thousands of timeline entries costs milliseconds to parse, its status nothing."""
        with self._mutex:
            doc = self._doc(entity, record_id) if entity in LIVE_ENTITIES else None
            if doc is None:
                return None
            return {name: copy_json(doc.get(name)) for name in names}

    def archive_months(self) -> list[str]:
        folder = self.data_dir / ARCHIVE_DIR
        if not folder.is_dir():
            return []
        months = {
            p.name.split(".json")[0]
            for p in folder.glob("*.json*")
            if not p.name.startswith(".") and ".damaged" not in p.name
        }
        return sorted(months)

    def device_state(self) -> dict:
        """The device's persisted state (device_id, seq, clock, and what sync stores)."""
        with self._mutex:
            return dict(self._table(DEVICE).doc("state") or {})

    def set_device_state(self, **values: Any) -> None:
        """Keep small settings with the device state (e.g. server URL, enrolled site)."""
        reserved = {"device_id", "seq", "clock"} & set(values)
        if reserved:
            raise ModelError(f"{', '.join(sorted(reserved))} cannot be set")
        with self._write():
            state = dict(self._table(DEVICE).doc("state") or {})
            state.update(values)
            self._table(DEVICE).put("state", state)

    def active_size(self) -> int:
        """Bytes of the active file as last written."""
        return self._active.size

    def put_blob(
        self, source: bytes | Path | str, *, media_type: str = "", name: str = ""
    ) -> AttachmentRef:
        """Store a photo or file durably under its sha256 (before any record names it)."""
        if self.readonly:
            raise StoreError("store.error.read_only", path=str(self.data_dir))
        try:
            return self.blobs.put(source, media_type=media_type, name=name)
        except FileNotFoundError:
            raise BlobError("store.error.blob_source", path=str(source)) from None

    def read_blob(self, sha256: str) -> bytes:
        """The attachment's bytes, verified against the hash (BlobError if not)."""
        return self.blobs.read(sha256)

    def blob_path(self, sha256: str) -> Path:
        return self.blobs.path(sha256)

    def has_blob(self, sha256: str) -> bool:
        return self.blobs.has(sha256)

    def _note_damage(self) -> None:
        """Turn the fallbacks opening a file just reported into needs-attention entries (see
        :mod:`fieldkit.store.damage`); they are written with the next write, or now when no
        write is under way. A read-only store only keeps the notices."""
        fresh = self.notices[self._damage_seen :]
        self._damage_seen = len(self.notices)
        if self.readonly:
            return
        for notice in fresh:
            if notice.key in damage_rules.FALLBACK_NOTICES:
                self._damage_pending.append(damage_rules.entry(self.data_dir, notice, now_iso()))
        if self._damage_pending and not self._active.storage.in_transaction:
            with self._write():
                pass

    def _write_damage(self) -> None:
        for found in self._damage_pending:
            self._table(ATTENTION).put(new_id(), found)
        self._damage_pending = []
        self._table(CURSORS).delete(list(self._table(CURSORS).docs()))  # pull everything again

    def _start_again(self, path: Path, kind: str, exc: StoreDamaged) -> StoreFile:
        """Reference data or an archive month with no good copy: on a device enrolled with
        the office, move it aside and start it empty — the next sync fills it again from the
        office (the cursors are reset). Anywhere else the error stands, and doctor says what
        to do."""
        if self.readonly or not damage_rules.enrolled(self.data_dir) or not path.exists():
            raise exc
        kept = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
        replace(path, kept)
        reason = exc.params.get("reason", "")
        self.notices.append(
            Notice(
                "store.notice.damaged",
                {"path": str(path), "reason": reason, "kept": str(kept), "no_previous": True},
            )
        )
        return StoreFile(path, kind, readonly=False, create=True, notices=self.notices)


def copy_json(value: Any) -> Any:
    """A deep copy of a stored JSON value (the store's dicts are shared with its cache)."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value
