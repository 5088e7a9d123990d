"""The last submitted run per (checklist, target): an index kept beside the records.

Why it exists: the home screen shows which rounds are due, and a round is due when its
checklist's period has passed since it was last submitted on that route or building. Read
from the records, that is every submitted inspection of the whole history — seconds with
100k records in the archive months. The index answers it from ``active.json`` alone.

How it stays true: the index is the table ``last_run`` in ``active.json``, one document per
pair, ``{"checklist", "target", "at", "id"}`` (``at`` is the run's ``submitted_at``).
``Store._put`` updates it whenever a submitted inspection is stored — a local submit or a
pulled one — inside the same ``_write()`` as the record, so one atomic file write carries
both and a killed process leaves either both or neither. Archiving moves records between
files but changes no run, so it never touches an entry.

When it is rebuilt (from every record, :func:`build`): when it is missing (a data folder
from before the index) or stale. Stale means the archive months are not the ones the index
was last checked against — a month file replaced, restored or removed behind the store's
back. ``state`` (table ``last_run_state``) keeps, per month, the file's size and mtime as
the store last wrote or checked it; ``Store.archive`` refreshes the months it writes in its
final write of ``active.json``. A crash between an archive month's write and that final
write leaves the month newer than its stamp; the next open finishes the interrupted archive
(which refreshes the stamp) before the index is checked, so that case costs no rebuild. The
rebuild itself is lazy: the first ``Store.last_runs()`` call pays it, not ``Store.open``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import orjson

from fieldkit.store.files import RecordTable
from fieldkit.store.layout import ARCHIVE_DIR

LAST_RUN = "last_run"
LAST_RUN_STATE = "last_run_state"
VERSION = 1


def pair_key(checklist_id: str, target_id: str) -> str:
    """The document id of one pair (a JSON array, so no id can make two pairs collide)."""
    return orjson.dumps([checklist_id, target_id]).decode()


def instant(text: object) -> float:
    """The moment a ``submitted_at`` names; a missing or unreadable one sorts last of all,
    as the due computation has always read it (such a run never falls due again)."""
    if not isinstance(text, str) or not text:
        return float("inf")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return float("inf")


def entry_of(doc: dict) -> tuple[str, dict] | None:
    """The index entry a stored inspection contributes, or None if it is not submitted."""
    if doc.get("status") != "submitted":
        return None
    checklist = (doc.get("checklist") or {}).get("id")
    target = (doc.get("target") or {}).get("id")
    if not isinstance(checklist, str) or not isinstance(target, str):
        return None
    entry = {"checklist": checklist, "target": target, "at": doc.get("submitted_at"),
             "id": doc.get("id")}  # fmt: skip
    return pair_key(checklist, target), entry


def later(entry: dict, old: dict | None) -> bool:
    """Whether ``entry`` replaces ``old``: a later run; on a tie, the greater id, so the
    index never depends on the order the records were read in."""
    if old is None:
        return True
    new_at, old_at = instant(entry.get("at")), instant(old.get("at"))
    if new_at != old_at:
        return new_at > old_at
    return str(entry.get("id") or "") > str(old.get("id") or "")


def build(docs: Iterable[dict]) -> dict[str, dict]:
    """The index of these inspection records, computed from scratch."""
    index: dict[str, dict] = {}
    for doc in docs:
        found = entry_of(doc)
        if found is not None and later(found[1], index.get(found[0])):
            index[found[0]] = found[1]
    return index


def stamp(path: Path) -> list[int] | None:
    """What the index remembers of an archive month file: its size and mtime."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns]


def keep(table: RecordTable, doc: dict) -> None:
    """Keep the index in step with a stored inspection, in the write that stores it."""
    found = entry_of(doc)
    if found is not None:
        key, entry = found
        if later(entry, table.doc(key)):
            table.put(key, entry)


class LastRuns:
    """Part of :class:`~fieldkit.store.store.Store`: the last-run index."""

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

    def last_run_id(self, checklist_id: str, target_id: str) -> str | None:
        """The id of the last submitted run of a checklist on a target, from the index
        (rebuilt first if it waits for that, as :meth:`last_runs`)."""
        if not self._runs_current:
            self.last_runs()
        with self._mutex:
            doc = self._table(LAST_RUN).doc(pair_key(checklist_id, target_id))
        found = (doc or {}).get("id")
        return found if isinstance(found, str) else None

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
            for key, entry in build(self._table("inspection").docs().values()).items():
                if later(entry, index.get(key)):
                    index[key] = entry
            if not self.readonly and self._folder_lock is not None:
                with self._write():
                    table = self._table(LAST_RUN)
                    table.delete([k for k in table.docs() if k not in index])
                    table.put_many(index)
                    self._table(LAST_RUN_STATE).put("state", {"version": VERSION, "months": after})
                self._runs_current = True
            return index

    def _merge_month(self, index: dict[str, dict], month: str) -> None:
        with self._mutex:
            file = self._archive(month)
            docs = list(file.table("inspection").docs().values()) if file else []
        for key, entry in build(docs).items():
            if later(entry, index.get(key)):
                index[key] = entry

    def _month_path(self, month: str) -> Path:
        return self.data_dir / ARCHIVE_DIR / f"{month}.json"

    def _month_stamps(self) -> dict[str, list[int] | None]:
        return {m: stamp(self._month_path(m)) for m in self.archive_months()}

    def _last_runs_current(self) -> bool:
        """Whether the index was built, and the archive months are as it last saw them."""
        state = self._table(LAST_RUN_STATE).doc("state")
        if not state or state.get("version") != VERSION:
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
            stamps[month] = stamp(self._month_path(month))
        self._table(LAST_RUN_STATE).put("state", {**state, "months": stamps})
