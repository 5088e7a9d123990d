"""A target's history as its card lists it: submitted inspections and the re-inspections
of its violations, from the entries each archive month carries (``_keys``, see
:mod:`fieldkit.store.keyed`), written in the month's own atomic write, and from the active
file's few records.

Why: a flat's card showed its last inspections from one pass over every archived
inspection and case (7 s with 100,000 cases of history), at the first card and again after
any save. Now each month answers with one bucket of its index (a few KB); the active file
is read as it is, since it is small by design (drafts, open records and the last finished
ones) and always in memory. A month written before the index is indexed when first asked
(writable store) or read whole (read-only snapshot).
"""

from __future__ import annotations

from fieldkit.store import keyed
from fieldkit.store import months as month_files
from fieldkit.store.layout import DELETED

TABLES = ("inspection", "case")


class ByTarget:
    """Part of :class:`~fieldkit.store.store.Store`: a target's history by key."""

    def target_history(self, target_id: str) -> list[list]:
        """The entries (:func:`fieldkit.store.keyed.month_entries`) of ``target_id`` over
        the whole history: ``["inspection", id, checklist id, submitted_at, cases]`` and
        ``["case", id, titles, title, re-inspection events]``. A record in the active file
        is given as it is there (newer than any archived copy); one the office deleted is
        not given."""
        key = keyed.target_key(target_id)
        with self._mutex:
            live: dict[tuple[str, str], list] = {}
            for table in TABLES:
                for doc_id, doc in self._table(table).docs().items():
                    live[(table, doc_id)] = [e for k, e in keyed.entries_of("archive", table, doc)
                                             if k == key]  # fmt: skip
            deleted = set(self._table(DELETED).docs())
        out = [e for entries in live.values() for e in entries]
        for month in self.archive_months():
            for entry in self._month_keyed(month, key):
                if (entry[0], entry[1]) not in live and f"{entry[0]}/{entry[1]}" not in deleted:
                    out.append(entry)
        return out

    def _month_keyed(self, month: str, key: str) -> list:
        with self._mutex:
            path = self._month_path(month)
            found = None if self.readonly else month_files.read_keyed(path, key)
            if found is not None:
                return found
            if not self.readonly and self.index_month(month):
                found = month_files.read_keyed(path, key)
                if found is not None:
                    return found
            file = self._archive(month)
            tables = {t: file.table(t).docs() for t in TABLES} if file else {}
            return keyed.index("archive", tables).get(key, [])

    def index_month(self, month: str) -> bool:
        """Write a month again with its keyed index when it was written before it (the same
        records); whether it was written."""
        with self._mutex:
            if self.readonly:
                return False
            file = self._archive(month)
            if file is None or file.storage.readonly or file.storage.keyed("") is not None:
                return False
            file.storage.write(file.storage.read())
            with self._write():
                self._restamp_months([month])
            return True
