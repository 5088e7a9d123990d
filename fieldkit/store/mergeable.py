"""What cases and incidents share in the store: a field change, a status move and an event,
each written with the event that records it and its outbox entry in one write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fieldkit.model import AttachmentRef, Event, ModelError, Target, new_id, now_iso


class MergeableRecords:
    """Part of :class:`~fieldkit.store.store.Store`: changes to cases and incidents."""

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
            event = self._new_event(type, text, by, attachments, data, at)
            record.add_event(event)
            self._put(cls.ENTITY, record)
            self._enqueue(cls.ENTITY, record, "event", event.hlc)
        return event

    def _new_event(
        self,
        type: str,
        text: str,
        by: str,
        attachments: Sequence[AttachmentRef],
        data: dict | None,
        at: str | None,
    ) -> Event:
        """A new event or timeline entry, stamped now, its attachments already stored."""
        self._check_blobs(attachments)
        event = Event(
            new_id(),
            type,
            self._stamp(),
            at=at or now_iso(),
            by=by,
            text=text,
            attachments=list(attachments),
            data=dict(data or {}),
        )
        event.validate()
        return event
