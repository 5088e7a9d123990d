"""Archiving in the store: finished records move to their month's file, pulled reference
data to ``reference.json``; and reading every record back, live, archived and reference.

A move writes the target file first and then drops the records from ``active.json``; a
crash in between leaves a copy in both, and the next open finishes the move (the active
copy is always the newer one, so it simply overwrites) — nothing lost, nothing doubled.
While a record is in both places, the active copy is the one read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from fieldkit.store.errors import StoreError
from fieldkit.store.layout import (
    ACTIVE,
    ARCHIVE_AFTER,
    ARCHIVE_DIR,
    DELETED,
    INCOMING,
    LIVE_ENTITIES,
    REFERENCE,
    REFERENCE_TABLES,
    is_finished,
    month_of,
)
from fieldkit.store.storage import Notice

log = logging.getLogger("fieldkit.store")


class Archive:
    """Part of :class:`~fieldkit.store.store.Store`: archiving and reading the whole history."""

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
                self._write_month(month, by_month[month])
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

    def _write_month(self, month: str, tables: dict[str, dict[str, dict]]) -> None:
        """Put records into their month's file, in one atomic write of that file (its table
        of contents and every index it carries are made in the same write)."""
        file = self._archive(month, create=True)
        assert file is not None
        with file.transaction():
            for entity, docs in tables.items():
                file.table(entity).put_many(docs)

    def iter_records(
        self,
        entities: Iterable[str] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        newest_first: bool = False,
    ) -> Iterator[tuple[str, dict]]:
        """Every record as (entity, dict): live first, then each archive month (the newest
        first with ``newest_first``: a reader wanting the last few stops early), then
        reference data; a record in two places is given once (the active copy)."""
        wanted = set(entities) if entities else {*LIVE_ENTITIES, *REFERENCE_TABLES}
        months = self.archive_months()
        if newest_first:
            months = months[::-1]
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
