"""Reference data in the store: sites, buildings, units, assets, checkpoints, the registry
and checklist versions, kept in ``reference.json`` (pulled records wait in the active file's
``incoming`` table until the next archive moves them there)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fieldkit.model import REFERENCE_ENTITIES, ModelError, checked_dict, record_from_dict
from fieldkit.store import keyed
from fieldkit.store.errors import StoreError
from fieldkit.store.layout import INCOMING, LIVE_ENTITIES, checklist_key


class Reference:
    """Part of :class:`~fieldkit.store.store.Store`: reference data, and any record by
    kind (``get``)."""

    def get(self, entity: str, record_id: str) -> Any | None:
        """Any record by kind and id — live, archived or reference — or None."""
        with self._mutex:
            if entity in LIVE_ENTITIES:
                return self._record(entity, record_id)
            return self.get_reference(entity, record_id)

    def put_reference(self, entity: str, records: Iterable[Any]) -> int:
        """Store reference records (a local import); one atomic write of reference.json."""
        if entity not in REFERENCE_ENTITIES:
            raise ModelError(f"{entity!r} is not reference data")
        docs = {}
        for record in records:
            doc = record.to_dict() if hasattr(record, "to_dict") else record
            docs[doc["id"]] = checked_dict(entity, doc)
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

    def get_checklist(self, checklist_id: str, version: int | None = None) -> dict | None:
        """One checklist version the office sent (:meth:`apply_remote`), or the newest when
        ``version`` is None: what a run's ``ChecklistRef`` (id, version, hash) names."""
        with self._mutex:
            self._move_incoming_if_any()
            table = self._ref().table("checklist")
            if version is not None:
                return table.doc(checklist_key(checklist_id, version))
            keys = [k for k in table.docs() if k.startswith(checklist_id + "@")]
            return table.doc(max(keys)) if keys else None

    def reference_keyed(self, key: str) -> list[tuple[str, dict]]:
        """(table, stored dict) of each reference record filed under ``key``
        (:mod:`fieldkit.store.keyed`: a label, a printed code, a tag, a flat's residents,
        permits and rentals), read from the index ``reference.json`` carries: a bucket and
        the records, not the file. Records pulled and not yet moved there are looked at
        too. The dicts are the store's own: never change them."""
        with self._mutex:
            self._move_incoming_if_any()
            pending = self._table(INCOMING).docs()
            out: dict[tuple[str, str], dict] = {}
            for table, doc_id, *_ in self._reference_entries(key):
                if f"{table}/{doc_id}" in pending:
                    continue
                doc = self._ref().table(table).doc(doc_id)
                if doc is not None:
                    out[(table, doc_id)] = doc
            for waiting in pending.values():
                record = waiting.get("record")
                if record is not None and any(
                    k == key for k, _ in keyed.entries_of("reference", waiting["entity"], record)
                ):
                    out[(waiting["entity"], waiting["id"])] = record
            return [(table, doc) for (table, _), doc in out.items()]

    def _reference_entries(self, key: str) -> list:
        ref = self._ref()
        found = ref.storage.keyed(key)
        if found is not None:
            return found
        if not self.readonly:  # written before the index: once, with it
            self.index_reference()
            found = ref.storage.keyed(key)
            if found is not None:
                return found
        if self._reference_index is None:  # a read-only snapshot reads the file whole
            tables = {name: ref.table(name).docs() for name in REFERENCE_ENTITIES}
            self._reference_index = keyed.index("reference", tables)
        return self._reference_index.get(key, [])

    def index_reference(self) -> bool:
        """Write ``reference.json`` again with its keyed index when it was written before
        it; whether it was written."""
        with self._mutex:
            ref = self._ref()
            if self.readonly or ref.storage.keyed("") is not None or not ref.exists:
                return False
            ref.storage.write(ref.storage.read())
            return True

    def rebuild_reference_index(self) -> None:
        """Write ``reference.json`` again from its records read whole, its keyed index made
        from them (``fieldkit doctor``, for an index that does not agree)."""
        from fieldkit.store import months as month_files
        from fieldkit.store.layout import REFERENCE

        with self._mutex:
            if self.readonly:
                return
            if month_files.rewrite_whole(self.data_dir / REFERENCE, "reference", self.notices):
                self._reference = None
