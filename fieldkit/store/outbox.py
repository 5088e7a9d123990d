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

:class:`ApplyResult` is what ``Store.apply_remote`` did with a page of pulled changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


@dataclass
class ApplyResult:
    """Counts of a pulled page: new records, merged ones, ones already known, refused."""

    applied: int = 0
    merged: int = 0
    unchanged: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    cursor: str | None = None
