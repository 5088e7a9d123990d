"""The device store: the one object services and the sync client read and write through.

Layout of a data folder::

    active.json         drafts, open cases and incidents, the outbox, sync cursors, device
                        state — small, rewritten (atomically) on every change
    archive/YYYY-MM.json  finished records (submitted inspections, closed cases and
                        incidents), one file per month of the record id's UUIDv7 time —
                        never touched by an answer save
    reference.json      sites, buildings, units, assets, checkpoints, checklists (from the office)
    blobs/ab/<sha256>   attachments
    fieldkit.lock(.json)  the single-instance lock and who holds it

Every change goes through one atomic write of ``active.json``: the record, its outbox entry,
the device's sequence number and the persisted HLC together (``Store.transaction()`` lets a
service group several calls into that one write). Moving records to other files
(:meth:`Store.archive`, and pulled reference data) writes the target file first and then
drops the records from ``active.json``; a crash in between leaves a copy in both, and the
next open finishes the move (the active copy is always the newer one, so it simply
overwrites) — nothing lost, nothing doubled. While a record is in both places, the active
copy is the one read.

Thread safety: every public method takes the store's lock, so the UI thread and a sync
worker can share one ``Store``. Only one process may open a data folder for writing
(:mod:`fieldkit.store.lock`); ``Store.open(..., readonly=True)`` reads a consistent snapshot
without the lock and never writes.

Public API (all ids are UUIDv7 strings; records are :mod:`fieldkit.model` types):

- ``Store.open(data_dir, *, readonly=False, command=None)``, ``close()``, context manager;
  ``notices`` (what opening found and fixed), ``device_id``, ``clock``, ``transaction()``.
- Inspections: ``create_inspection``, ``save_answer``, ``clear_answer``, ``link_case``,
  ``submit_inspection``, ``correct_inspection``, ``discard_draft``, ``get_inspection``,
  ``drafts``.
- Cases: ``create_case``, ``update_case``, ``set_case_status``, ``reopen_case``,
  ``add_case_event``, ``get_case``, ``open_cases``.
- Incidents: ``create_incident``, ``update_incident``, ``set_incident_status``,
  ``add_timeline_entry``, ``link_incident_inspection``, ``get_incident``, ``open_incidents``.
- Reveal log: ``log_reveal`` (a Reveal record, archived at once, queued for the office).
- Patrol rounds: ``save_patrol_round`` (walking: local only; finished: queued, archived).
- Reference: ``put_reference``, ``get_reference``, ``reference``,
  ``put_checklist``, ``get_checklist``, ``checklists``.
- Attachments: ``put_blob(path | bytes) -> AttachmentRef``, ``read_blob``, ``blob_path``,
  ``has_blob``.
- Sync: ``outbox_pending(limit)`` (each entry with the record's current state),
  ``outbox_count()``, ``ack(op_ids)``, ``reject(op_id,
  reason)``, ``needs_attention()``, ``requeue(op_id)``, ``dismiss(op_id)``, ``cursor(stream)``,
  ``apply_remote(changes, cursor, stream)``, ``device_state()``, ``set_device_state(**kv)``.
- History: ``archive()``, ``iter_records(entities)``, ``get(entity, id)``.
- Last runs: ``last_runs()`` — when each (checklist, target) was last submitted, from an
  index in ``active.json`` kept in the same write as the records
  (:mod:`fieldkit.store.last_runs`); ``rebuild_last_runs()``.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fieldkit.model import (
    REFERENCE_ENTITIES,
    AttachmentRef,
    Case,
    ChecklistRef,
    Clock,
    Event,
    Incident,
    Inspection,
    ModelError,
    Target,
    id_time_ms,
    is_uuid7,
    merge_record,
    new_id,
    now_iso,
    record_from_dict,
)
from fieldkit.model.hlc import HLC
from fieldkit.model.mergeable import event_order
from fieldkit.store import damage as damage_rules
from fieldkit.store import last_runs, modes
from fieldkit.store import lock as folder_lock
from fieldkit.store.atomic import remove_stale_temps
from fieldkit.store.blobs import BlobStore
from fieldkit.store.errors import BlobError, NotFound, StoreDamaged, StoreError
from fieldkit.store.files import RecordTable, StoreFile
from fieldkit.store.last_runs import LAST_RUN, LAST_RUN_STATE
from fieldkit.store.outbox import ApplyResult, OutboxEntry
from fieldkit.store.storage import Notice

log = logging.getLogger("fieldkit.store")

ACTIVE = "active.json"
REFERENCE = "reference.json"
ARCHIVE_DIR = "archive"
BLOBS_DIR = "blobs"
LIVE_ENTITIES = ("inspection", "case", "incident", "reveal", "patrol_round")
REFERENCE_TABLES = (*REFERENCE_ENTITIES, "checklist")
OUTBOX, ATTENTION, CURSORS, DEVICE, INCOMING = "outbox", "attention", "cursor", "device", "incoming"
#: Records the office deleted: ``entity/id`` -> when it was applied here (and, while local
#: edits of it wait in the outbox, the record they carry to the office's conflict log).
DELETED = "deleted"
ARCHIVE_AFTER = 100  # finished records kept in active.json before a write archives them
ARCHIVE_CACHE = 3  # archive months kept loaded


def is_finished(entity: str, doc: dict) -> bool:
    """Finished records belong in the archive: they change rarely, if ever."""
    status = doc.get("status")
    if entity == "inspection":
        return status == "submitted"
    if entity == "case":
        return status in ("closed", "cancelled")
    if entity == "incident":
        return status == "closed"
    if entity == "patrol_round":
        return status == "finished"
    return entity == "reveal"  # written once, never changed


def month_of(record_id: str) -> str:
    """The archive file a record belongs to: the month of its UUIDv7 time ("undated" else)."""
    if not is_uuid7(record_id):
        return "undated"
    return time.strftime("%Y-%m", time.gmtime(id_time_ms(record_id) / 1000))


def checklist_key(checklist_id: str, version: int) -> str:
    return f"{checklist_id}@{version:06d}"


class Store:
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
        self._reference: StoreFile | None = None
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

    # --- opening and closing ------------------------------------------------------------

    @classmethod
    def open(
        cls, data_dir: Path | str, *, readonly: bool = False, command: str | None = None
    ) -> Store:
        """Open (creating if new) the store in ``data_dir``.

        Raises :class:`StoreLocked` if another process has it open, :class:`StoreDamaged`
        if a file is unreadable with no good previous generation, :class:`StoreError` for a
        newer schema. ``notices`` on the result says what was found and repaired.
        """
        data_dir = Path(data_dir)
        notices: list[Notice] = []
        lock = None
        if not readonly:
            modes.make_dir(data_dir)
            lock = folder_lock.acquire(data_dir, command)
        try:
            if not readonly:
                tightened = modes.tighten(data_dir)
                if tightened:
                    log.info(
                        "data folder %s: %d file(s) and folder(s) others could read are now "
                        "its owner's only (0600/0700)",
                        data_dir,
                        len(tightened),
                    )
                removed = remove_stale_temps(data_dir) + remove_stale_temps(data_dir / ARCHIVE_DIR)
                removed += BlobStore(data_dir / BLOBS_DIR).remove_stale_temps()
                if removed:
                    notices.append(Notice("store.notice.temps_removed", {"count": len(removed)}))
            active = StoreFile(
                data_dir / ACTIVE, "active", readonly=readonly, create=False, notices=notices
            )
            if not active.exists and _has_history(data_dir):
                raise StoreDamaged("store.error.active_missing", path=str(data_dir / ACTIVE))
            store = cls(data_dir, active, lock, notices)
            if not readonly:
                store._init_device()
                store._note_damage()
                if store._pending_moves() and (moved := store._archive_safely()):
                    notices.append(Notice("store.notice.reconciled", {"count": moved}))
            store._runs_current = store._last_runs_current()
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        for notice in notices:
            log.warning("store %s: %s %s", data_dir, notice.key, notice.params)
        return store

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

    def close(self) -> None:
        """Archive what is finished, then release the folder."""
        with self._mutex:
            if self._folder_lock is None:
                return
            try:
                if self._pending_moves():
                    self._archive_safely()
            finally:
                self._archives.clear()
                self._reference = None
                self._folder_lock.release()
                self._folder_lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------

    def _table(self, name: str) -> RecordTable:
        return self._active.table(name)

    @contextmanager
    def _write(self) -> Iterator[None]:
        if self.readonly or (self._folder_lock is None):
            raise StoreError("store.error.read_only", path=str(self.data_dir))
        with self._mutex, self._active.transaction():
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

    def _enqueue(self, entity: str, record: Any, action: str, hlc: str) -> OutboxEntry:
        state = dict(self._table(DEVICE).doc("state") or {})
        seq = int(state.get("seq", 0)) + 1
        state["seq"] = seq
        self._table(DEVICE).put("state", state)
        entry = OutboxEntry(
            op=new_id(),
            seq=seq,
            hlc=hlc,
            device=self.device_id,
            entity=entity,
            id=record if isinstance(record, str) else record.id,
            action=action,
            at=now_iso(),
            record={} if isinstance(record, str) else record.to_dict(),
        )
        # On disk the entry names the record instead of copying it: the record is in the
        # same write, and keeping copies out keeps active.json small through days offline.
        self._table(OUTBOX).put(entry.op, {**entry.to_dict(), "record": None})
        return entry

    def _put(self, entity: str, record: Any) -> None:
        doc = record.to_dict()
        self._table(entity).put(record.id, doc)
        if entity == "inspection":
            self._index_run(doc)

    def _index_run(self, doc: dict) -> None:
        """Keep the last-run index in step, in the write that stores the record."""
        found = last_runs.entry_of(doc)
        if found is not None:
            key, entry = found
            if last_runs.later(entry, self._table(LAST_RUN).doc(key)):
                self._table(LAST_RUN).put(key, entry)

    def _check_blobs(self, refs: Iterable[AttachmentRef]) -> None:
        for ref in refs:
            if not self.blobs.has(ref.sha256):
                raise BlobError("store.error.blob_missing", sha256=ref.sha256)

    # --- reading live and archived records -----------------------------------------------

    def _archive(self, month: str, create: bool = False) -> StoreFile | None:
        cached = self._archives.get(month)
        if cached is not None:
            self._archives.move_to_end(month)
            return cached
        path = self.data_dir / ARCHIVE_DIR / f"{month}.json"
        if not create and not path.exists() and not path.with_name(path.name + ".prev").exists():
            return None
        if create:
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

    def _doc(self, entity: str, record_id: str) -> dict | None:
        doc = self._table(entity).doc(record_id)
        if doc is not None:
            return doc
        if self._table(DELETED).doc(f"{entity}/{record_id}") is not None:
            return None  # the office deleted it: an archived copy is history no longer
        archive = self._archive(month_of(record_id))
        return archive.table(entity).doc(record_id) if archive else None

    def get(self, entity: str, record_id: str) -> Any | None:
        """Any record by kind and id — live, archived or reference — or None."""
        with self._mutex:
            if entity in LIVE_ENTITIES:
                doc = self._doc(entity, record_id)
                return record_from_dict(entity, doc) if doc is not None else None
            return self.get_reference(entity, record_id)

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

    # --- inspections ----------------------------------------------------------------------

    def create_inspection(
        self,
        checklist: ChecklistRef,
        target: Target,
        *,
        site_id: str | None = None,
        inspector: str = "",
        supersedes: str | None = None,
    ) -> Inspection:
        """A new draft run of ``checklist`` against ``target`` (drafts are not synced)."""
        with self._write():
            inspection = Inspection(
                id=new_id(),
                checklist=checklist,
                target=target,
                hlc=self._stamp(),
                site_id=site_id,
                inspector=inspector,
                device=self.device_id,
                supersedes=supersedes,
            )
            self._put("inspection", inspection)
        return inspection

    def save_answer(
        self,
        inspection_id: str,
        item_key: str,
        value: Any,
        *,
        note: str = "",
        attachments: Sequence[AttachmentRef] = (),
    ):
        """Save one answer of a draft durably; returns the :class:`Answer` when on disk."""
        with self._write():
            inspection = self._need(Inspection, inspection_id)
            self._check_blobs(attachments)
            answer = inspection.set_answer(
                item_key, value, self._stamp(), note=note, attachments=list(attachments)
            )
            self._put("inspection", inspection)
        return answer

    def clear_answer(self, inspection_id: str, item_key: str) -> None:
        with self._write():
            inspection = self._need(Inspection, inspection_id)
            inspection.clear_answer(item_key, self._stamp())
            self._put("inspection", inspection)

    def link_case(self, inspection_id: str, case_id: str) -> None:
        """Note on a draft that ``case_id`` was raised from it."""
        with self._write():
            inspection = self._need(Inspection, inspection_id)
            inspection.link_case(case_id, self._stamp())
            self._put("inspection", inspection)

    def submit_inspection(self, inspection_id: str) -> Inspection:
        """Lock the draft and queue it for the office, in one write."""
        with self._write():
            inspection = self._need(Inspection, inspection_id)
            for answer in inspection.answers.values():
                self._check_blobs(answer.attachments)
            hlc = self._stamp()
            inspection.submit(hlc)
            self._put("inspection", inspection)
            self._enqueue("inspection", inspection, "submit", hlc)
        self._archive_if_due()
        return inspection

    def correct_inspection(self, inspection_id: str, inspector: str = "") -> Inspection:
        """A new draft superseding a submitted inspection, starting from its answers."""
        with self._write():
            old = self._need(Inspection, inspection_id)
            draft = old.correction(new_id(), self._stamp(), inspector=inspector)
            draft.device = self.device_id
            self._put("inspection", draft)
        return draft

    def discard_draft(self, inspection_id: str, *, by: str = "") -> Inspection:
        """Mark a draft discarded; it is kept on record (drafts are not synced)."""
        with self._write():
            inspection = self._need(Inspection, inspection_id)
            if inspection.status != "draft":
                raise ModelError(f"a {inspection.status} inspection cannot be discarded")
            inspection.discard(self._stamp(), by=by)
            self._put("inspection", inspection)
        return inspection

    def get_inspection(self, inspection_id: str) -> Inspection | None:
        return self.get("inspection", inspection_id)

    def drafts(self) -> list[Inspection]:
        return self._live(Inspection, lambda d: d.get("status") == "draft")

    # --- cases ------------------------------------------------------------------------------

    def create_case(self, kind: str, target: Target, *, by: str = "", **fields: Any) -> Case:
        """A new case (fields: category, severity, department, assignee, due, title,
        description, site_id, source_inspection, source_item), queued for the office."""
        with self._write():
            hlc = self._stamp()
            case = Case.new(
                new_id(), kind, target, hlc, device=self.device_id, created_by=by, **fields
            )
            self._put("case", case)
            self._enqueue("case", case, "create", hlc)
        return case

    def add_case_once(self, case: Case) -> bool:
        """Keep ``case`` and queue it for the office, unless this device already has a case
        with its id (live, archived, or deleted by the office). For a case every device
        makes with the same id and content — a missed scheduled run — so noticing it again,
        here or elsewhere, adds nothing. True when it was added."""
        case.validate()
        with self._write():
            if self._table(DELETED).doc(f"case/{case.id}") is not None:
                return False
            if self._doc("case", case.id) is not None:
                return False
            hlc = self._stamp()
            self._put("case", case)
            self._enqueue("case", case, "create", hlc)
        return True

    def update_case(self, case_id: str, *, by: str = "", **changes: Any) -> Case:
        """Change last-writer-wins fields; an event records what changed and who changed it."""
        return self._update(Case, case_id, by, changes)

    def set_case_status(self, case_id: str, status: str, *, by: str = "", note: str = "") -> Case:
        return self._set_status(Case, case_id, status, by, note, reopen=False)

    def reopen_case(
        self, case_id: str, *, by: str = "", note: str = "", status: str = "open"
    ) -> Case:
        return self._set_status(Case, case_id, status, by, note, reopen=True)

    def add_case_event(
        self,
        case_id: str,
        type: str = "note",
        text: str = "",
        *,
        by: str = "",
        attachments: Sequence[AttachmentRef] = (),
        data: dict | None = None,
        at: str | None = None,
    ) -> Event:
        return self._add_event(Case, case_id, type, text, by, attachments, data, at)

    def get_case(self, case_id: str) -> Case | None:
        return self.get("case", case_id)

    def open_cases(self, target_id: str | None = None) -> list[Case]:
        """Unfinished cases; with ``target_id``, only those on that target (filtered before
        the records are built, so a unit card stays cheap with thousands open)."""
        if target_id is None:
            return self._live(Case, lambda d: not is_finished("case", d))
        return self._live(
            Case,
            lambda d: (d.get("target") or {}).get("id") == target_id and not is_finished("case", d),
        )

    # --- incidents --------------------------------------------------------------------------

    def create_incident(self, type: str, *, by: str = "", **fields: Any) -> Incident:
        """A new incident (fields: place, target, site_id, severity, title)."""
        with self._write():
            hlc = self._stamp()
            incident = Incident.new(
                new_id(), type, hlc, device=self.device_id, created_by=by, **fields
            )
            self._put("incident", incident)
            self._enqueue("incident", incident, "create", hlc)
        return incident

    def update_incident(self, incident_id: str, *, by: str = "", **changes: Any) -> Incident:
        return self._update(Incident, incident_id, by, changes)

    def set_incident_status(
        self, incident_id: str, status: str, *, by: str = "", note: str = ""
    ) -> Incident:
        return self._set_status(Incident, incident_id, status, by, note, reopen=False)

    def add_timeline_entry(
        self,
        incident_id: str,
        type: str = "note",
        text: str = "",
        *,
        by: str = "",
        attachments: Sequence[AttachmentRef] = (),
        data: dict | None = None,
        at: str | None = None,
    ) -> Event:
        """Append one entry durably (with its outbox entry) in one write.

        The entry goes into the stored dict directly instead of rebuilding the incident
        from it: a timeline only grows, and a save with 2,000 entries before it should
        cost what a save with none does, apart from writing the bytes."""
        with self._write():
            doc = self._doc("incident", incident_id)
            if doc is None:
                raise NotFound("store.error.not_found", entity="incident", id=incident_id)
            self._check_blobs(attachments)
            hlc = self._stamp()
            event = Event(
                new_id(),
                type,
                hlc,
                at=at or now_iso(),
                by=by,
                text=text,
                attachments=list(attachments),
                data=dict(data or {}),
            )
            event.validate()
            timeline = list(doc.get("timeline") or [])
            where = bisect.bisect(timeline, event_order(event), key=_event_doc_order)
            timeline.insert(where, event.to_dict())
            self._table("incident").put(incident_id, {**doc, "timeline": timeline})
            self._enqueue("incident", incident_id, "event", hlc)
        return event

    def link_incident_inspection(self, incident_id: str, inspection_id: str) -> Incident:
        with self._write():
            incident = self._need(Incident, incident_id)
            incident.link_inspection(inspection_id)
            hlc = self._stamp()
            self._put("incident", incident)
            self._enqueue("incident", incident, "link", hlc)
        return incident

    # --- the reveal log -----------------------------------------------------------------

    def log_reveal(self, reveal: Any) -> Any:
        """Keep a :class:`~fieldkit.model.reveal.Reveal` (someone saw a personal value in
        full) and queue it for the office, in one write, before the value is shown."""
        with self._write():
            reveal.device = reveal.device or self.device_id
            reveal.validate()
            hlc = self._stamp()
            self._put("reveal", reveal)
            self._enqueue("reveal", reveal, "create", hlc)
        self._archive_if_due()
        return reveal

    # --- patrol rounds ---------------------------------------------------------------

    def save_patrol_round(self, patrol_round: Any) -> Any:
        """Keep a :class:`~fieldkit.model.patrol.PatrolRound` durably. A round being
        walked stays on this device; a finished one is queued for the office in the same
        write (and is never changed after)."""
        with self._write():
            old = self._doc("patrol_round", patrol_round.id)
            if old is not None and old.get("status") == "finished":
                raise ModelError(f"patrol round {patrol_round.id} is finished and cannot change")
            patrol_round.device = patrol_round.device or self.device_id
            patrol_round.validate()
            self._put("patrol_round", patrol_round)
            if patrol_round.status == "finished":
                self._enqueue("patrol_round", patrol_round, "submit", self._stamp())
        self._archive_if_due()
        return patrol_round

    def get_incident(self, incident_id: str) -> Incident | None:
        return self.get("incident", incident_id)

    def peek(self, entity: str, record_id: str, *names: str) -> dict[str, Any] | None:
        """Copies of a few top-level fields of a live or archived record (None if there is
        no such record), without reading the whole record into objects: an incident with
        thousands of timeline entries costs milliseconds to parse, its status nothing."""
        with self._mutex:
            doc = self._doc(entity, record_id) if entity in LIVE_ENTITIES else None
            if doc is None:
                return None
            return {name: _copy_json(doc.get(name)) for name in names}

    def open_incidents(self) -> list[Incident]:
        return self._live(Incident, lambda d: not is_finished("incident", d))

    def walking_rounds(self) -> list[Any]:
        """Patrol rounds begun on this device and not finished yet (never archived)."""
        from fieldkit.model.patrol import PatrolRound

        return self._live(PatrolRound, lambda d: d.get("status") == "walking")

    # --- shared by cases and incidents ------------------------------------------------------

    def _update(self, cls: type, record_id: str, by: str, changes: dict) -> Any:
        if not changes:
            raise ModelError("nothing to change")
        with self._write():
            record = self._need(cls, record_id)
            for name, value in changes.items():
                if isinstance(value, dict) and name == "target":
                    value = Target.from_dict(value)
                record.set_field(name, value, self._stamp())
            record.validate()
            hlc = self._stamp()
            plain = {k: (v.to_dict() if hasattr(v, "to_dict") else v) for k, v in changes.items()}
            record.add_event(Event(new_id(), "field", hlc, by=by, data={"changes": plain}))
            self._put(cls.ENTITY, record)
            self._enqueue(cls.ENTITY, record, "update", hlc)
        return record

    def _set_status(
        self, cls: type, record_id: str, status: str, by: str, note: str, reopen: bool
    ) -> Any:
        with self._write():
            record = self._need(cls, record_id)
            before = record.status
            hlc = self._stamp()
            if reopen:
                record.reopen(hlc, status)
            else:
                record.set_status(status, hlc)
            record.add_event(
                Event(
                    new_id(),
                    "status",
                    hlc,
                    by=by,
                    text=note,
                    data={"from": before, "to": status, "reopen": reopen},
                )
            )
            self._put(cls.ENTITY, record)
            self._enqueue(cls.ENTITY, record, "reopen" if reopen else "status", hlc)
        self._archive_if_due()
        return record

    def _add_event(
        self,
        cls: type,
        record_id: str,
        type: str,
        text: str,
        by: str,
        attachments: Sequence[AttachmentRef],
        data: dict | None,
        at: str | None,
    ) -> Event:
        with self._write():
            record = self._need(cls, record_id)
            self._check_blobs(attachments)
            hlc = self._stamp()
            event = Event(
                new_id(),
                type,
                hlc,
                at=at or now_iso(),
                by=by,
                text=text,
                attachments=list(attachments),
                data=dict(data or {}),
            )
            event.validate()
            record.add_event(event)
            self._put(cls.ENTITY, record)
            self._enqueue(cls.ENTITY, record, "event", hlc)
        return event

    # --- attachments ------------------------------------------------------------------------

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

    # --- reference data ---------------------------------------------------------------------

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

    # --- damage: a file that fell back to its previous copy --------------------------------

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
        path.replace(kept)
        reason = exc.params.get("reason", "")
        self.notices.append(
            Notice(
                "store.notice.damaged",
                {"path": str(path), "reason": reason, "kept": str(kept), "no_previous": True},
            )
        )
        return StoreFile(path, kind, readonly=False, create=True, notices=self.notices)

    def damage(self) -> list[dict]:
        """The fallbacks on the needs-attention list, oldest first."""
        return [d for d in self.needs_attention() if d.get("kind") == damage_rules.KIND]

    def begin_pull(self) -> str:
        """A sync round starts: forget which files earlier pulls filled; the time returned
        is what :meth:`damage_recovered` is given once the round has finished."""
        self.pulled_parts.clear()
        return now_iso()

    def damage_recovered(self, since: str | None = None) -> int:
        """A whole pull from the office has just finished (the fallback reset the cursors):
        the reference data and archive months that fell back hold again what the office
        has. Marks them recovered — with ``since`` (from :meth:`begin_pull`), only where
        the round's pull brought records for that very file (:attr:`pulled_parts`); where
        it brought none, the office had nothing to fill the gap with, and the entry says so
        (``not_back``) instead of claiming it is whole; a fallback noticed during the round
        waits for the next, the first to pull everything again. The active file's entries
        stay until a person has checked their last work. Returns how many were marked
        recovered."""
        pulled = None if since is None else set(self.pulled_parts)
        before = since
        marked = 0
        with self._write():
            for key, doc in list(self._table(ATTENTION).docs().items()):
                if doc.get("kind") != damage_rules.KIND or doc.get("file") == ACTIVE:
                    continue
                if doc.get("recovered") or doc.get("not_back"):
                    continue
                if before is not None and str(doc.get("at", "")) >= before:
                    continue
                if pulled is not None and doc.get("file") not in pulled:
                    self._table(ATTENTION).put(key, {**doc, "not_back": now_iso()})
                    continue
                self._table(ATTENTION).put(key, {**doc, "recovered": now_iso()})
                marked += 1
        return marked

    def put_reference(self, entity: str, records: Iterable[Any]) -> int:
        """Store reference records (a local import); one atomic write of reference.json."""
        if entity not in REFERENCE_ENTITIES:
            raise ModelError(f"{entity!r} is not reference data")
        docs = {}
        for record in records:
            doc = record.to_dict() if hasattr(record, "to_dict") else record
            docs[doc["id"]] = record_from_dict(entity, doc).to_dict()
        with self._mutex:
            if self.readonly:
                raise StoreError("store.error.read_only", path=str(self.data_dir))
            self._ref().table(entity).put_many(docs)
        return len(docs)

    def get_reference(self, entity: str, record_id: str) -> Any | None:
        with self._mutex:
            pending = self._table(INCOMING).doc(f"{entity}/{record_id}")
            if pending is not None:
                doc = pending.get("record")
            else:
                doc = self._ref().table(entity).doc(record_id)
            if doc is None:
                return None
            return doc if entity == "checklist" else record_from_dict(entity, doc)

    def reference(self, entity: str) -> list:
        """Every reference record of one kind (site, building, unit, asset, checkpoint)."""
        with self._mutex:
            self._move_incoming_if_any()
            return [record_from_dict(entity, d) for d in self._ref().table(entity).docs().values()]

    def reference_docs(self, entity: str) -> list[dict]:
        """Every reference record of one kind as its stored dict, not built into a record:
        an index over 50,000 residents groups these in a tenth of the time, and builds the
        few records a screen shows. The dicts are the store's own: never change them."""
        with self._mutex:
            self._move_incoming_if_any()
            return list(self._ref().table(entity).docs().values())

    def put_checklist(self, doc: dict) -> None:
        """Store one checklist version: a dict with at least id, version and hash."""
        ref = ChecklistRef.from_dict(doc)
        with self._mutex:
            if self.readonly:
                raise StoreError("store.error.read_only", path=str(self.data_dir))
            self._ref().table("checklist").put(checklist_key(ref.id, ref.version), dict(doc))

    def get_checklist(self, checklist_id: str, version: int | None = None) -> dict | None:
        """One checklist version, or the newest when ``version`` is None."""
        with self._mutex:
            self._move_incoming_if_any()
            table = self._ref().table("checklist")
            if version is not None:
                return table.doc(checklist_key(checklist_id, version))
            keys = [k for k in table.docs() if k.startswith(checklist_id + "@")]
            return table.doc(max(keys)) if keys else None

    def checklists(self) -> list[dict]:
        with self._mutex:
            self._move_incoming_if_any()
            return list(self._ref().table("checklist").docs().values())

    # --- the outbox -------------------------------------------------------------------------

    def outbox_pending(self, limit: int | None = None) -> list[OutboxEntry]:
        """Entries waiting for the office, in this device's sequence order."""
        with self._mutex:
            docs = sorted(self._table(OUTBOX).docs().values(), key=lambda d: d["seq"])[:limit]
            return [OutboxEntry.from_dict({**d, "record": self._outbox_record(d)}) for d in docs]

    def _outbox_record(self, entry: dict) -> dict:
        """The record an entry names; {} if it cannot be read (a ruined archive month), so
        the office refuses it and it lands on the needs-attention list, in order."""
        try:
            doc = self._doc(entry["entity"], entry["id"])
            if doc is None:  # deleted by the office since: send what this edit said
                tomb = self._table(DELETED).doc(f"{entry['entity']}/{entry['id']}") or {}
                doc = tomb.get("record")
            return doc or {}
        except StoreError as exc:
            log.error("outbox entry %s: %s", entry["op"], exc.message())
            return {}

    def outbox_count(self) -> int:
        with self._mutex:
            return len(self._table(OUTBOX).docs())

    def ack(self, op_ids: Iterable[str]) -> int:
        """Drop acknowledged entries (applied, duplicate or merged at the office)."""
        with self._write():
            table = self._table(OUTBOX)
            ids = [op for op in op_ids if table.doc(op) is not None]
            table.delete(ids)
        return len(ids)

    def reject(self, op_id: str, reason: str, code: str = "") -> bool:
        """Move an entry the office refused to the needs-attention list (never dropped)."""
        with self._write():
            doc = self._table(OUTBOX).doc(op_id)
            if doc is None:
                return False
            self._table(OUTBOX).delete([op_id])
            self._table(ATTENTION).put(
                op_id,
                {"kind": "outbox", "entry": doc, "reason": reason, "code": code, "at": now_iso()},
            )
        return True

    def needs_attention(self) -> list[dict]:
        """Refused outgoing entries and refused incoming changes, oldest first."""
        with self._mutex:
            return sorted(
                (dict(d, key=k) for k, d in self._table(ATTENTION).docs().items()),
                key=lambda d: d["at"],
            )

    def requeue(self, op_id: str) -> bool:
        """Put a refused outgoing entry back in the outbox (same op id and sequence)."""
        with self._write():
            doc = self._table(ATTENTION).doc(op_id)
            if doc is None or doc.get("kind") != "outbox":
                return False
            self._table(ATTENTION).delete([op_id])
            self._table(OUTBOX).put(op_id, doc["entry"])
        return True

    def dismiss(self, key: str) -> bool:
        """A person has dealt with an attention entry: remove it."""
        with self._write():
            if self._table(ATTENTION).doc(key) is None:
                return False
            self._table(ATTENTION).delete([key])
        return True

    # --- pulled changes -----------------------------------------------------------------

    def cursor(self, stream: str = "default") -> str | None:
        with self._mutex:
            doc = self._table(CURSORS).doc(stream)
        return doc["cursor"] if doc else None

    def apply_remote(
        self, changes: Sequence[dict], cursor: str | None, stream: str = "default"
    ) -> ApplyResult:
        """Store a pulled page and its cursor in one atomic write of the active file.

        A change is ``{"entity": E, "record": {...}}`` or ``{"entity": E, "id": X,
        "deleted": true}`` (reference data only). Cases and incidents merge with the local
        replica; a submitted inspection is taken as-is, and one that differs from the local
        copy is refused; reference records and checklists replace the local ones. Refused
        changes are listed in the result and on the needs-attention list. Applying the same
        page twice changes nothing the second time.
        """
        result = ApplyResult(cursor=cursor)
        with self._write():
            for change in changes:
                self._apply_one(change, result)
                self.pulled_parts.add(_part_of(change))
            self._table(CURSORS).put(stream, {"cursor": cursor, "at": now_iso()})
        self._archive_if_due(force=bool(self._table(INCOMING).docs()))
        return result

    def set_aside(self, summary: dict, reason: str, code: str = "") -> str:
        """Keep a pulled change this device could not store on the needs-attention list
        (``summary``: what it was, with a bounded copy of its JSON as text, never the
        record itself); inside :meth:`transaction` it is one write with the page."""
        key = new_id()
        with self._write():
            self._table(ATTENTION).put(
                key,
                {"kind": "incoming", "change": summary, "reason": reason, "code": code,
                 "at": now_iso()},
            )  # fmt: skip
        return key

    def _refuse(self, change: dict, reason: str, result: ApplyResult) -> None:
        key = new_id()
        entry = {"entity": change.get("entity"), "id": _change_id(change), "reason": reason}
        result.refused.append(entry)
        self._table(ATTENTION).put(
            key, {"kind": "incoming", "change": change, "reason": reason, "at": now_iso()}
        )

    def _apply_one(self, change: dict, result: ApplyResult) -> None:
        entity = change.get("entity") if isinstance(change, dict) else None
        if entity in REFERENCE_TABLES:
            self._apply_reference(entity, change, result)
            return
        if entity not in LIVE_ENTITIES:
            self._refuse({"change": change}, f"unknown entity {entity!r}", result)
            return
        if isinstance(change, dict) and change.get("deleted"):
            self._apply_deletion(entity, change, result)
            return
        try:
            incoming = record_from_dict(entity, change.get("record"))
        except ModelError as exc:
            self._refuse(change, str(exc), result)
            return
        if entity == "inspection" and not incoming.submitted:
            self._refuse(change, "drafts stay on the device that made them", result)
            return
        local_doc = self._doc(entity, incoming.id)
        for stamp in _stamps_of(incoming):
            self.clock.observe(stamp)
        if local_doc is None:
            self._table(DELETED).delete([f"{entity}/{incoming.id}"])  # the office restored it
            self._put(entity, incoming)
            result.applied += 1
            return
        if entity in ("reveal", "patrol_round"):  # made here, final once sent: keep this copy
            result.unchanged += 1
            return
        local = record_from_dict(entity, local_doc)
        if entity == "inspection":
            if local.to_dict() == incoming.to_dict():
                result.unchanged += 1
            elif local.submitted:
                self._refuse(change, "a submitted inspection with different content", result)
            else:
                self._put(entity, incoming)
                result.applied += 1
            return
        merged = merge_record(local, incoming)
        if merged.to_dict() == local.to_dict():
            result.unchanged += 1
        else:
            self._put(entity, merged)
            result.merged += 1

    def _apply_deletion(self, entity: str, change: dict, result: ApplyResult) -> None:
        """The office deleted a case, incident or inspection: it leaves this device's lists
        and history. Local edits still in the outbox keep the record, so the office gets
        them (in its conflict log: an edit never brings a deleted record back)."""
        record_id = _change_id(change)
        if not isinstance(record_id, str) or not record_id:
            self._refuse(change, "a deletion without an id", result)
            return
        doc = self._doc(entity, record_id)
        pending = any(
            e.get("entity") == entity and e.get("id") == record_id
            for e in self._table(OUTBOX).docs().values()
        )
        tomb: dict[str, Any] = {"entity": entity, "id": record_id, "at": now_iso()}
        if doc is not None and pending:
            tomb["record"] = _copy_json(doc)
        self._table(DELETED).put(f"{entity}/{record_id}", tomb)
        self._table(entity).delete([record_id])
        result.applied += 1

    def deleted(self, entity: str, record_id: str) -> bool:
        """Whether the office deleted this record (and this device applied it)."""
        with self._mutex:
            return self._table(DELETED).doc(f"{entity}/{record_id}") is not None

    def _apply_reference(self, entity: str, change: dict, result: ApplyResult) -> None:
        record_id = _change_id(change)
        if change.get("deleted"):
            if not isinstance(record_id, str):
                self._refuse(change, "a deletion without an id", result)
                return
            doc = {"entity": entity, "id": record_id, "record": None}
        else:
            try:
                if entity == "checklist":
                    ref = ChecklistRef.from_dict(change.get("record"))
                    record_id = checklist_key(ref.id, ref.version)
                    record = dict(change["record"])
                else:
                    record = record_from_dict(entity, change.get("record")).to_dict()
                    record_id = record["id"]
            except ModelError as exc:
                self._refuse(change, str(exc), result)
                return
            doc = {"entity": entity, "id": record_id, "record": record}
        self._table(INCOMING).put(f"{entity}/{record_id}", doc)
        result.applied += 1

    # --- archiving ------------------------------------------------------------------------

    def _finished(self) -> list[tuple[str, str, dict]]:
        return [
            (entity, doc_id, doc)
            for entity in LIVE_ENTITIES
            for doc_id, doc in self._table(entity).filter(lambda d, e=entity: is_finished(e, d))
        ]

    def _pending_moves(self) -> bool:
        return bool(self._finished() or self._table(INCOMING).docs())

    def _archive_if_due(self, force: bool = False) -> None:
        with self._mutex:
            if self._active.storage.in_transaction:
                return
            if force or len(self._finished()) >= ARCHIVE_AFTER:
                self._archive_safely()

    def _archive_safely(self) -> int:
        """Archive, but never fail the change that triggered it: the records stay in the
        active file (still readable, still synced) and a notice says why."""
        try:
            return self.archive()
        except (StoreError, OSError) as exc:
            reason = exc.message() if isinstance(exc, StoreError) else str(exc)
            log.error("archiving failed: %s", reason)
            self.notices.append(Notice("store.notice.archive_failed", {"reason": reason}))
            return 0

    def _move_incoming_if_any(self) -> None:
        if not self.readonly and self._table(INCOMING).docs():
            self.archive()  # no-op inside a transaction: get_reference still sees them

    def archive(self) -> int:
        """Move finished records to their month files and pulled reference data to
        reference.json. Crash-safe: targets are written first, active.json last.

        Inside an open ``transaction()`` it does nothing (the changes are not on disk yet,
        and an archive must never hold a state the active file might roll back)."""
        with self._mutex:
            if self.readonly or self._active.storage.in_transaction:
                return 0
            finished = self._finished()
            incoming = dict(self._table(INCOMING).docs())
            if not finished and not incoming:
                return 0
            by_month: dict[str, dict[str, dict[str, dict]]] = {}
            for entity, doc_id, doc in finished:
                by_month.setdefault(month_of(doc_id), {}).setdefault(entity, {})[doc_id] = doc
            for month in sorted(by_month):
                file = self._archive(month, create=True)
                assert file is not None
                with file.transaction():
                    for entity, docs in by_month[month].items():
                        file.table(entity).put_many(docs)
            if incoming:
                ref = self._ref()
                with ref.transaction():
                    for doc in incoming.values():
                        table = ref.table(doc["entity"])
                        if doc["record"] is None:
                            table.delete([doc["id"]])
                        else:
                            table.put(doc["id"], doc["record"])
            with self._write():
                for entity in LIVE_ENTITIES:
                    self._table(entity).delete([i for e, i, _ in finished if e == entity])
                self._table(INCOMING).delete(list(incoming))
                self._restamp_months(by_month)
            return len(finished) + len(incoming)

    # --- the last run per (checklist, target): see fieldkit.store.last_runs ----------------

    def last_runs(self) -> dict[tuple[str, str], str | None]:
        """When each (checklist id, target id) was last submitted (its ``submitted_at``),
        over the whole history, from the index in the active file. The first call after the
        index was found missing or stale rebuilds it from every record (and writes it,
        unless the store is read-only)."""
        with self._mutex:
            current = self._runs_current
            docs = list(self._table(LAST_RUN).docs().values())
        if not current:
            docs = list(self.rebuild_last_runs().values())
        return {(d["checklist"], d["target"]): d.get("at") for d in docs}

    @property
    def last_runs_current(self) -> bool:
        """False while the index waits for its rebuild (found missing or stale on open)."""
        return self._runs_current

    def rebuild_last_runs(self) -> dict[str, dict]:
        """Recompute the index from every inspection record and store it; returns it.

        The archive months are read without holding the store's lock (seconds with 100k
        records, and saves must not wait that long); what changed meanwhile is caught under
        the lock at the end: the active file is read again, and so is any month whose file
        changed since the start."""
        with self._mutex:
            before = self._month_stamps()
        index: dict[str, dict] = {}
        for month in before:
            self._merge_month(index, month)
        with self._mutex:
            after = self._month_stamps()
            for month, stamped in after.items():
                if before.get(month) != stamped:
                    self._merge_month(index, month)
            for key, entry in last_runs.build(self._table("inspection").docs().values()).items():
                if last_runs.later(entry, index.get(key)):
                    index[key] = entry
            if not self.readonly and self._folder_lock is not None:
                with self._write():
                    table = self._table(LAST_RUN)
                    table.delete([k for k in table.docs() if k not in index])
                    table.put_many(index)
                    self._table(LAST_RUN_STATE).put(
                        "state", {"version": last_runs.VERSION, "months": after}
                    )
                self._runs_current = True
            return index

    def _merge_month(self, index: dict[str, dict], month: str) -> None:
        with self._mutex:
            file = self._archive(month)
            docs = list(file.table("inspection").docs().values()) if file else []
        for key, entry in last_runs.build(docs).items():
            if last_runs.later(entry, index.get(key)):
                index[key] = entry

    def _month_path(self, month: str) -> Path:
        return self.data_dir / ARCHIVE_DIR / f"{month}.json"

    def _month_stamps(self) -> dict[str, list[int] | None]:
        return {m: last_runs.stamp(self._month_path(m)) for m in self.archive_months()}

    def _last_runs_current(self) -> bool:
        """Whether the index was built, and the archive months are as it last saw them."""
        state = self._table(LAST_RUN_STATE).doc("state")
        if not state or state.get("version") != last_runs.VERSION:
            return False
        return state.get("months") == self._month_stamps()

    def _restamp_months(self, months: Iterable[str]) -> None:
        """After archiving wrote these months: remember them as they are now (inside the
        write that drops the moved records from the active file)."""
        state = self._table(LAST_RUN_STATE).doc("state")
        if not state:
            return
        stamps = dict(state.get("months") or {})
        for month in months:
            stamps[month] = last_runs.stamp(self._month_path(month))
        self._table(LAST_RUN_STATE).put("state", {**state, "months": stamps})

    # --- everything, for export and doctor ------------------------------------------------

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

    def iter_records(
        self,
        entities: Iterable[str] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> Iterator[tuple[str, dict]]:
        """Every record as (entity, dict): live first, then each archive month, then
        reference data; a record in two places is given once (the active copy)."""
        wanted = set(entities) if entities else {*LIVE_ENTITIES, *REFERENCE_TABLES}
        months = self.archive_months()
        total = len(months) + 2
        seen: set[tuple[str, str]] = set()
        with self._mutex:
            for entity in LIVE_ENTITIES:
                if entity in wanted:
                    for doc_id, doc in list(self._table(entity).docs().items()):
                        seen.add((entity, doc_id))
                        yield entity, doc
            for key in self._table(DELETED).docs():
                deleted_entity, _, deleted_id = key.partition("/")
                seen.add((deleted_entity, deleted_id))
        if progress:
            progress(1, total, ACTIVE)
        for n, month in enumerate(months, start=2):
            with self._mutex:
                file = self._archive(month)
                docs = (
                    [
                        (e, i, d)
                        for e in LIVE_ENTITIES
                        if e in wanted
                        for i, d in file.table(e).docs().items()
                    ]
                    if file
                    else []
                )
            for entity, doc_id, doc in docs:
                if (entity, doc_id) not in seen:
                    yield entity, doc
            if progress:
                progress(n, total, f"{ARCHIVE_DIR}/{month}.json")
        with self._mutex:
            pending = {k: v for k, v in self._table(INCOMING).docs().items()}
            ref_docs = [
                (e, i, d)
                for e in REFERENCE_TABLES
                if e in wanted
                for i, d in self._ref().table(e).docs().items()
                if f"{e}/{i}" not in pending
            ]
            ref_docs += [
                (d["entity"], d["id"], d["record"])
                for d in pending.values()
                if d["entity"] in wanted and d["record"] is not None
            ]
        yield from ((e, d) for e, _, d in ref_docs)
        if progress:
            progress(total, total, REFERENCE)

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


def _part_of(change: Any) -> str:
    """The file a pulled change is kept in once archived: the register, or its month."""
    if not isinstance(change, dict):
        return ""
    if change.get("entity") in REFERENCE_TABLES:
        return REFERENCE
    return f"{ARCHIVE_DIR}/{month_of(str(_change_id(change) or ''))}.json"


def _has_history(data_dir: Path) -> bool:
    """Signs that this folder held a store, so a missing active file is not a new one."""
    return (
        (data_dir / REFERENCE).exists()
        or any((data_dir / ARCHIVE_DIR).glob("*.json"))
        or any(data_dir.glob(f"{ACTIVE}.damaged-*"))
    )


def _copy_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_json(v) for v in value]
    return value


def _event_doc_order(doc: dict) -> tuple[str, str, str]:
    """``event_order`` of a stored timeline entry, read from its dict."""
    return (doc["at"], doc["hlc"], doc["id"])


def _change_id(change: dict) -> Any:
    record = change.get("record")
    if isinstance(record, dict):
        return record.get("id")
    return change.get("id")


def _stamps_of(record: Any) -> list[str]:
    """The newest valid stamp a pulled record carries, so the clock moves past it."""
    stamps = [*getattr(record, "stamps", {}).values()]
    if hasattr(record, "hlc"):
        stamps.append(record.hlc)
    valid = []
    for stamp in stamps:
        try:
            HLC.parse(stamp)
        except ValueError:
            continue
        valid.append(stamp)
    return [max(valid)] if valid else []
