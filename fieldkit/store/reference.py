"""Reference data in the store: sites, buildings, units, assets, checkpoints, the registry
and checklist versions, kept in ``reference.json`` (pulled records wait in the active file's
``incoming`` table until the next archive moves them there)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fieldkit.model import REFERENCE_ENTITIES, ModelError, record_from_dict
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
