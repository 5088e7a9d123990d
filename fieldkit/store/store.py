"""The device store: the one object services and the sync client read and write through.

The files of a data folder are listed in :mod:`fieldkit.store.layout`: ``active.json``
(drafts, open records, the outbox, cursors, device state), ``archive/YYYY-MM.json``
(finished records by month), ``reference.json`` (the office's data), ``blobs/``.

Every change goes through one atomic write of ``active.json``: the record, its outbox entry,
the device's sequence number and the persisted HLC together (``Store.transaction()`` lets a
service group several calls into that one write). A draft's answer is the exception that
keeps answering fast: one fsynced line of the answer journal beside it, folded in by the
next whole write (:mod:`fieldkit.store.journal`). Moving records to other files
(:meth:`Store.archive`, and pulled reference data) writes the target file first and then
drops the records from ``active.json``; a crash in between leaves a copy in both, and the
next open finishes the move (the active copy is always the newer one, so it simply
overwrites) — nothing lost, nothing doubled. While a record is in both places, the active
copy is the one read.

Thread safety: every public method takes the store's lock, so the UI thread and a sync
worker can share one ``Store``. Only one process may open a data folder for writing
(:mod:`fieldkit.store.lock`); ``Store.open(..., readonly=True)`` reads a consistent snapshot
without the lock and never writes (an answer the holder is appending is waited for, not
called torn: :mod:`fieldkit.store.storage`).

``Store`` is one class made of parts, each in the module named for what it holds, all
sharing :class:`~fieldkit.store.core.StoreCore` (files, the one lock and transaction,
notices): :mod:`~fieldkit.store.inspections`, :mod:`~fieldkit.store.cases`,
:mod:`~fieldkit.store.incidents`, :mod:`~fieldkit.store.mergeable` (what cases and incidents
share), :mod:`~fieldkit.store.reveals`, :mod:`~fieldkit.store.rounds`,
:mod:`~fieldkit.store.reference`, :mod:`~fieldkit.store.outbox`, :mod:`~fieldkit.store.pull`,
:mod:`~fieldkit.store.archive` and :mod:`~fieldkit.store.last_runs`. A part uses the core's
names (``_write``, ``_table``, ``_doc`` ...) and, where it must, another part's (a status
change archives what it finished: ``_archive_if_due``); opening and closing, which involve
several parts, are here.

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
- Reference: ``put_reference``, ``get_reference``, ``reference``, ``reference_docs``,
  ``get_checklist`` (checklist versions arrive by pull).
- Attachments: ``put_blob(path | bytes) -> AttachmentRef``, ``read_blob``, ``blob_path``,
  ``has_blob``.
- Sync: ``outbox_pending(limit)`` (each entry with the record's current state),
  ``outbox_count()``, ``ack(op_ids)``, ``reject(op_id,
  reason)``, ``needs_attention()``, ``requeue(op_id)``, ``dismiss(op_id)``, ``cursor(stream)``,
  ``apply_remote(changes, cursor, stream)``, ``device_state()``, ``set_device_state(**kv)``.
- History: ``archive()``, ``iter_records(entities)``, ``get(entity, id)``.
- Case history: ``case_history()`` — every case as a case list pages it: the active file's
  cases and each archive month's case index (:mod:`fieldkit.store.case_index`, kept in
  the month file's own write, :mod:`fieldkit.store.months`); ``months_without_index()``,
  ``upgrade_months(progress)`` for months written before.
- Keyed look-ups (:mod:`fieldkit.store.keyed`, in each file's own write):
  ``reference_keyed(key)`` — the reference records under a label, code, tag or flat;
  ``target_history(target_id)`` — a target's inspections and re-inspections.
- Last runs: ``last_runs()`` — when each (checklist, target) was last submitted, from an
  index in ``active.json`` kept in the same write as the records
  (:mod:`fieldkit.store.last_runs`); ``rebuild_last_runs()``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fieldkit.store import lock as folder_lock
from fieldkit.store import modes
from fieldkit.store.archive import Archive
from fieldkit.store.atomic import remove_stale_temps
from fieldkit.store.blobs import BlobStore
from fieldkit.store.by_target import ByTarget
from fieldkit.store.case_index import CaseIndexes
from fieldkit.store.cases import Cases
from fieldkit.store.core import StoreCore
from fieldkit.store.errors import StoreDamaged
from fieldkit.store.files import StoreFile
from fieldkit.store.incidents import Incidents
from fieldkit.store.inspections import Inspections
from fieldkit.store.last_runs import LastRuns
from fieldkit.store.layout import ACTIVE, ARCHIVE_DIR, BLOBS_DIR, has_history
from fieldkit.store.mergeable import MergeableRecords
from fieldkit.store.outbox import Outbox
from fieldkit.store.pull import Pull
from fieldkit.store.reference import Reference
from fieldkit.store.reveals import Reveals
from fieldkit.store.rounds import Rounds
from fieldkit.store.storage import Notice

log = logging.getLogger("fieldkit.store")


class Store(
    Inspections,
    Cases,
    Incidents,
    MergeableRecords,
    Reveals,
    Rounds,
    Reference,
    Outbox,
    Pull,
    Archive,
    CaseIndexes,
    ByTarget,
    LastRuns,
    StoreCore,
):
    """The device store (see the module docstring); ``Store.open`` opens one."""

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
            if not active.exists and has_history(data_dir):
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
