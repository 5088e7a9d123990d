"""What the sync client reads and writes through the store.

An :class:`OutboxEntry` is one local change waiting for the office: ``op`` (a UUIDv7, the
idempotency key), ``seq`` (this device's sequence number, 1, 2, 3 ... with no gaps),
``hlc`` (the change's stamp), the ``entity`` and ``id`` of the record, the ``action``
("create", "update", "status", "event", "submit", ...) and ``record``, the whole record.
On disk an entry names its record rather than copying it (so the active file stays small
however long the device is offline); ``Store.outbox_pending`` fills in the record's current
state, which includes this change and any later ones. That is what the office needs: it
merges whole records (cases and incidents by :mod:`fieldkit.model.merge`, so a newer state
is always a safe answer for an older operation; submitted inspections never change).
The device drops an entry only when ``Store.ack`` is called with its op id;
``Store.reject`` moves it to the needs-attention list.

Refused entries, refused incoming changes and files that fell back to an older copy wait on
the needs-attention list (table ``attention``) until a person requeues or dismisses them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fieldkit.model import new_id, now_iso
from fieldkit.store.errors import StoreError
from fieldkit.store.layout import ATTENTION, DELETED, DEVICE, OUTBOX

log = logging.getLogger("fieldkit.store")


@dataclass(frozen=True)
class OutboxEntry:
    op: str
    seq: int
    hlc: str
    device: str
    entity: str
    id: str
    action: str
    at: str
    record: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "seq": self.seq,
            "hlc": self.hlc,
            "device": self.device,
            "entity": self.entity,
            "id": self.id,
            "action": self.action,
            "at": self.at,
            "record": self.record,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutboxEntry:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


class Outbox:
    """Part of :class:`~fieldkit.store.store.Store`: the outbox and the needs-attention list."""

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
