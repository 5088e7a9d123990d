"""Pulled changes in the store: a page and its cursor stored in one atomic write, merged with
what the device has; and what a whole pull recovers of a file that fell back to an older copy.

A change is ``{"entity": E, "record": {...}}`` or ``{"entity": E, "id": X, "deleted": true}``.
:class:`ApplyResult` is what ``Store.apply_remote`` did with a page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from fieldkit.model import (
    RECORD_TYPES,
    ChecklistRef,
    ModelError,
    checked_dict,
    merge_record,
    new_id,
    now_iso,
    record_from_dict,
)
from fieldkit.model.base import field_names
from fieldkit.store import damage as damage_rules
from fieldkit.store import last_runs
from fieldkit.store.core import copy_json
from fieldkit.store.last_runs import LAST_RUN
from fieldkit.store.layout import (
    ACTIVE,
    ARCHIVE_DIR,
    ATTENTION,
    CURSORS,
    DELETED,
    INCOMING,
    LIVE_ENTITIES,
    OUTBOX,
    REFERENCE,
    REFERENCE_TABLES,
    checklist_key,
    is_finished,
    month_of,
)

_NONE: Mapping[str, dict] = {}


@dataclass
class ApplyResult:
    """Counts of a pulled page: new records, merged ones, ones already known, refused."""

    applied: int = 0
    merged: int = 0
    unchanged: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    cursor: str | None = None


class Pull:
    """Part of :class:`~fieldkit.store.store.Store`: pulled changes."""

    def cursor(self, stream: str = "default") -> str | None:
        with self._mutex:
            doc = self._table(CURSORS).doc(stream)
        return doc["cursor"] if doc else None

    def apply_remote(
        self, changes: Sequence[dict], cursor: str | None, stream: str = "default"
    ) -> ApplyResult:
        """Store a pulled page and its cursor: what it finished straight into its archive
        months, then the rest with the cursor in one atomic write of the active file.

        A change is ``{"entity": E, "record": {...}}`` or ``{"entity": E, "id": X,
        "deleted": true}`` (reference data only). Cases and incidents merge with the local
        replica; a submitted inspection is taken as-is, and one that differs from the local
        copy is refused; reference records and checklists replace the local ones. Refused
        changes are listed in the result and on the needs-attention list. Applying the same
        page twice changes nothing the second time.

        Why the months come first: a new laptop's first sync is years of closed cases and
        submitted inspections, which belong in the months; through the active file each was
        written there, rewritten with the active file, then moved. Written first, a kill
        before the active write leaves some of the page's finished records in their months
        and the cursor where it was: they are the office's own records, and the next pull
        brings the page again, finds them there and takes in the rest (nothing lost, nothing
        twice; ``tests/sync/test_pull_kill.py``).
        """
        result = ApplyResult(cursor=cursor)
        with self._write():
            page = _Page()
            for change in changes:
                self._apply_one(change, result, page)
            if page.newest is not None:
                self.clock.observe(page.newest)
            written = [m for m in sorted(page.months) if any(page.months[m].values())]
            for month in written:
                self._write_month(month, page.months[month])
            self._restamp_months(written)
            self.pulled_parts.update(page.parts)
            self._table(CURSORS).put(stream, {"cursor": cursor, "at": now_iso()})
        self.archive_pulled()
        return result

    def archive_pulled(self) -> None:
        """After a pulled page's write (inside a caller's transaction archiving waits): what
        the page finished moves to its month's file and pulled reference data to the
        register, as after a local change. A first sync of a compound's years of history
        otherwise left them all in the active file, which every later save rewrites."""
        self._archive_if_due(force=bool(self._table(INCOMING).docs()))

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

    def _apply_one(self, change: dict, result: ApplyResult, page: _Page) -> None:
        entity = change.get("entity") if isinstance(change, dict) else None
        if entity in REFERENCE_TABLES:
            page.parts.add(REFERENCE)
            self._apply_reference(entity, change, result)
            return
        month = month_of(str(_change_id(change) or "")) if isinstance(change, dict) else ""
        if isinstance(change, dict):
            page.parts.add(f"{ARCHIVE_DIR}/{month}.json")
        if entity not in LIVE_ENTITIES:
            self._refuse({"change": change}, f"unknown entity {entity!r}", result)
            return
        if isinstance(change, dict) and change.get("deleted"):
            self._apply_deletion(entity, change, result, page)
            return
        record = change.get("record")
        record_id = record.get("id") if isinstance(record, dict) else None
        # this device's copy, found as Store._doc finds it, with the active file's tables
        # read straight from its storage and each month's table asked for once a page
        tables = self._active.storage.read()
        live, deleted = tables.get(entity) or _NONE, tables.get(DELETED) or _NONE
        local_doc = None
        if type(record_id) is str:  # else the check below refuses it
            local_doc = page.held(entity, month, record_id)
            if local_doc is None:
                local_doc = live.get(record_id)
            if local_doc is None and f"{entity}/{record_id}" not in deleted:
                local_doc = page.archived(self, entity, month).get(record_id)
        merging = local_doc is not None and entity not in _UNMERGED
        try:  # checked once: built when it merges with this device's copy, else only checked
            remote = record_from_dict(entity, record) if merging else None
            doc = remote.to_dict() if remote is not None else checked_dict(entity, record)
        except ModelError as exc:
            self._refuse(change, str(exc), result)
            return
        if entity == "inspection" and doc["status"] != "submitted":
            self._refuse(change, "drafts stay on the device that made them", result)
            return
        page.observe(entity, doc)
        if local_doc is None:
            if f"{entity}/{record_id}" in deleted:
                self._table(DELETED).delete([f"{entity}/{record_id}"])  # the office restored it
            self._keep(entity, record_id, doc, month, page, record_id in live)
            result.applied += 1
            return
        if entity in ("reveal", "patrol_round"):  # made here, final once sent: keep this copy
            result.unchanged += 1
            return
        # a record this device has: the merge needs both as records
        local = record_from_dict(entity, local_doc)
        if entity == "inspection":
            if local.to_dict() == doc:
                # a page taken in again after a kill: its runs may be missing from the index
                last_runs.keep(self._table(LAST_RUN), doc)
                result.unchanged += 1
            elif local.submitted:
                self._refuse(change, "a submitted inspection with different content", result)
            else:
                self._keep(entity, record_id, doc, month, page, record_id in live)
                result.applied += 1
            return
        merged = merge_record(local, remote).to_dict()
        if merged == local.to_dict():
            result.unchanged += 1
        else:
            self._keep(entity, record_id, merged, month, page, record_id in live)
            result.merged += 1

    def _keep(
        self, entity: str, record_id: str, doc: dict, month: str, page: _Page, is_live: bool
    ) -> None:
        """Store a pulled record's dict: finished and not live on this device (``is_live``:
        in the active file), in the page's writes of its month (:meth:`apply_remote`); else
        in the active file."""
        if not is_live and is_finished(entity, doc):
            page.months.setdefault(month, {}).setdefault(entity, {})[record_id] = doc
            if entity == "inspection":
                last_runs.keep(self._table(LAST_RUN), doc)
            return
        page.drop(entity, month, record_id)
        self._put_doc(entity, record_id, doc)

    def _apply_deletion(self, entity: str, change: dict, result: ApplyResult, page: _Page) -> None:
        """The office deleted a case, incident or inspection: it leaves this device's lists
        and history. Local edits still in the outbox keep the record, so the office gets
        them (in its conflict log: an edit never brings a deleted record back)."""
        record_id = _change_id(change)
        if not isinstance(record_id, str) or not record_id:
            self._refuse(change, "a deletion without an id", result)
            return
        doc = page.drop(entity, month_of(record_id), record_id) or self._doc(entity, record_id)
        pending = any(
            e.get("entity") == entity and e.get("id") == record_id
            for e in self._table(OUTBOX).docs().values()
        )
        tomb: dict[str, Any] = {"entity": entity, "id": record_id, "at": now_iso()}
        if doc is not None and pending:
            tomb["record"] = copy_json(doc)
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
                    record = checked_dict(entity, change.get("record"))
                    record_id = record["id"]
            except ModelError as exc:
                self._refuse(change, str(exc), result)
                return
            doc = {"entity": entity, "id": record_id, "record": record}
        self._table(INCOMING).put(f"{entity}/{record_id}", doc)
        result.applied += 1

    def damage(self) -> list[dict]:
        """The fallbacks on the needs-attention list, oldest first."""
        return [d for d in self.needs_attention() if d.get("kind") == damage_rules.KIND]

    def begin_pull(self) -> frozenset[str]:
        """A sync round starts: forget which files earlier pulls filled. Returns the
        fallbacks noted so far, what :meth:`damage_recovered` is given once the round has
        finished (their keys, not a time: a fallback noted in the same millisecond as the
        round began must still count as before it)."""
        with self._mutex:
            self.pulled_parts.clear()
            return frozenset(
                key
                for key, doc in self._table(ATTENTION).docs().items()
                if doc.get("kind") == damage_rules.KIND
            )

    def damage_recovered(self, since: frozenset[str] | None = None) -> int:
        """A whole pull from the office has just finished (the fallback reset the cursors):
        the reference data and archive months that fell back hold again what the office
        has. Marks them recovered — with ``since`` (from :meth:`begin_pull`, the fallbacks
        noted before the round), only where the round's pull brought records for that very
        file (:attr:`pulled_parts`); where it brought none, the office had nothing to fill
        the gap with, and the entry says so (``not_back``) instead of claiming it is whole;
        a fallback noticed during the round waits for the next, the first to pull
        everything again. The active file's entries stay until a person has checked their
        last work. Returns how many were marked recovered."""
        pulled = None if since is None else set(self.pulled_parts)
        marked = 0
        with self._write():
            for key, doc in list(self._table(ATTENTION).docs().items()):
                if doc.get("kind") != damage_rules.KIND or doc.get("file") == ACTIVE:
                    continue
                if doc.get("recovered") or doc.get("not_back"):
                    continue
                if since is not None and key not in since:
                    continue
                if pulled is not None and doc.get("file") not in pulled:
                    self._table(ATTENTION).put(key, {**doc, "not_back": now_iso()})
                    continue
                self._table(ATTENTION).put(key, {**doc, "recovered": now_iso()})
                marked += 1
        return marked


class _Page:
    """What one pulled page gathers as it is applied: the files its records go to, the
    finished records it writes to their months (month -> entity -> id -> stored dict), and
    the newest stamp it carries, which the clock takes in once."""

    def __init__(self) -> None:
        self.parts: set[str] = set()
        self.months: dict[str, dict[str, dict[str, dict]]] = {}
        self.newest: str | None = None  # stamps sort as they compare (fixed width)
        self.tables: dict[tuple[str, str], Mapping[str, dict]] = {}

    def archived(self, store: Any, entity: str, month: str) -> Mapping[str, dict]:
        """``entity``'s table in ``month``'s file (empty when there is none), asked once a
        page: a page's records fall in two or three months, and its months are written
        after its last record is read."""
        key = (entity, month)
        table = self.tables.get(key)
        if table is None:
            file = store._archive(month)
            table = self.tables[key] = file.table(entity).docs() if file else _NONE
        return table

    def held(self, entity: str, month: str, record_id: str) -> dict | None:
        """The page's own copy of a record bound for its month (a page naming it twice)."""
        return self.months.get(month, {}).get(entity, {}).get(record_id)

    def drop(self, entity: str, month: str, record_id: str) -> dict | None:
        return self.months.get(month, {}).get(entity, {}).pop(record_id, None)

    def observe(self, entity: str, doc: dict) -> None:
        """Take in the newest stamp of a pulled record's stored dict."""
        stamp = _newest_stamp(entity, doc)
        if stamp is not None and (self.newest is None or stamp > self.newest):
            self.newest = stamp


#: Kinds a pulled copy never merges into this device's: compared whole, or kept as made.
_UNMERGED = frozenset({"inspection", "reveal", "patrol_round"})


def _change_id(change: dict) -> Any:
    record = change.get("record")
    if isinstance(record, dict):
        return record.get("id")
    return change.get("id")


def _newest_stamp(entity: str, doc: dict) -> str | None:
    """The newest stamp a pulled record carries (its fields' ``stamps``, its ``hlc``), so the
    clock moves past it. Its stamps were checked when it was read (``checked_dict``), and
    stamps compare as their texts."""
    stamps, hlc = _stamped(entity)
    newest = max(doc["stamps"].values(), default=None) if stamps else None
    if hlc and (newest is None or doc["hlc"] > newest):
        newest = doc["hlc"]
    return newest


@cache
def _stamped(entity: str) -> tuple[bool, bool]:
    """Whether a kind of record has a ``stamps`` field, an ``hlc`` field (not an unknown key
    of that name, which is kept unchecked)."""
    names = field_names(RECORD_TYPES[entity])
    return "stamps" in names, "hlc" in names
