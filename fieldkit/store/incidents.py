"""Incidents in the store: each timeline entry, field and status change queued for the
office in the write that makes it."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from fieldkit.model import AttachmentRef, Event, Incident, new_id
from fieldkit.model.mergeable import event_order
from fieldkit.store.errors import NotFound
from fieldkit.store.layout import is_finished


class Incidents:
    """Part of :class:`~fieldkit.store.store.Store`: incidents."""

    def create_incident(self, type: str, *, by: str = "", **fields: Any) -> Incident:
        """A new incident (fields: place, target, site_id, severity, title)."""
        with self._write():
            hlc = self._stamp()
            incident = Incident.new(
                new_id(), type, hlc, device=self.device_id, created_by=by, **fields
            )
            self._put("incident", incident)
            self._enqueue("incident", incident, "create", hlc)
        return incident

    def update_incident(self, incident_id: str, *, by: str = "", **changes: Any) -> Incident:
        return self._update(Incident, incident_id, by, changes)

    def set_incident_status(
        self, incident_id: str, status: str, *, by: str = "", note: str = ""
    ) -> Incident:
        return self._set_status(Incident, incident_id, status, by, note, reopen=False)

    def add_timeline_entry(
        self,
        incident_id: str,
        type: str = "note",
        text: str = "",
        *,
        by: str = "",
        attachments: Sequence[AttachmentRef] = (),
        data: dict | None = None,
        at: str | None = None,
    ) -> Event:
        """Append one entry durably (with its outbox entry) in one write.

        The entry goes into the stored dict directly instead of rebuilding the incident
        from it: a timeline only grows, and a save with 2,000 entries before it should
        cost what a save with none does, apart from writing the bytes."""
        with self._write():
            doc = self._doc("incident", incident_id)
            if doc is None:
                raise NotFound("store.error.not_found", entity="incident", id=incident_id)
            event = self._new_event(type, text, by, attachments, data, at)
            timeline = list(doc.get("timeline") or [])
            where = bisect.bisect(timeline, event_order(event), key=_event_doc_order)
            timeline.insert(where, event.to_dict())
            self._table("incident").put(incident_id, {**doc, "timeline": timeline})
            self._enqueue("incident", incident_id, "event", event.hlc)
        return event

    def link_incident_inspection(self, incident_id: str, inspection_id: str) -> Incident:
        with self._write():
            incident = self._need(Incident, incident_id)
            incident.link_inspection(inspection_id)
            hlc = self._stamp()
            self._put("incident", incident)
            self._enqueue("incident", incident, "link", hlc)
        return incident

    def get_incident(self, incident_id: str) -> Incident | None:
        return self._record("incident", incident_id)

    def open_incidents(self) -> list[Incident]:
        return self._live(Incident, lambda d: not is_finished("incident", d))


def _event_doc_order(doc: dict) -> tuple[str, str, str]:
    """``event_order`` of a stored timeline entry, read from its dict."""
    return (doc["at"], doc["hlc"], doc["id"])
