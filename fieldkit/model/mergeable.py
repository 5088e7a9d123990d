"""What cases and incidents share: last-writer-wins fields, a status lifecycle, an
append-only log of :class:`Event` entries (a case's ``events``, an incident's ``timeline``)
and the :class:`Conflict` log of every value a merge overwrote.

Scalar fields listed in a record's ``LWW_FIELDS`` carry a per-field stamp in ``stamps`` (the
HLC string, which ends in the device id) so replicas merge last-writer-wins
(:mod:`fieldkit.model.merge`). ``status`` moves along the record's ranks (``ranks()``); going
back is only possible with ``reopen`` (it raises the ``status_gen``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar

from fieldkit.model.base import (
    ModelError,
    Plain,
    as_stamp,
    check_hlc,
    copy_value,
    expect,
    need_in,
    need_str,
    now_iso,
)
from fieldkit.model.hlc import HLC
from fieldkit.model.values import AttachmentRef


@dataclass(slots=True)
class Conflict(Plain):
    """A value a merge overwrote: which field, what it was, and its stamp."""

    field: str
    value: Any
    hlc: str
    REQUIRED: ClassVar[tuple[str, ...]] = ("field", "hlc")

    def validate(self) -> None:
        need_str(self, "field")
        check_hlc(self.hlc, "Conflict.hlc")

    def key(self) -> tuple[str, str]:
        return (self.field, self.hlc)


@dataclass(slots=True)
class Event(Plain):
    """One entry of a case's event list or an incident's timeline (append-only).

    ``type`` is free text with known values: note, photo, status, assign, field, notice,
    call, action. ``at`` is when it happened as the person saw it; ``hlc`` orders it.
    """

    id: str
    type: str
    hlc: str
    at: str = field(default_factory=now_iso)
    by: str = ""
    text: str = ""
    attachments: list[AttachmentRef] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {"attachments": ("list", AttachmentRef)}
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "type", "hlc")
    #: Keys of ``data`` that hold someone, by event type (beyond those any free-form map
    #: holds, see :func:`fieldkit.model.personal.key_item`): who gave a dispute statement,
    #: who called or answered on an incident's call, who took a referral.
    PERSONAL_DATA: ClassVar[dict[str, dict[str, str]]] = {
        "statement": {"owner_name": "name"},
        "call": {"answered_by": "name", "caller": "name", "phone": "phone"},
        "referral": {"contact": "name"},
    }

    def validate(self) -> None:
        need_str(self, "id", "type", "at")
        check_hlc(self.hlc, "Event.hlc")
        expect(self.data, dict, "Event.data")


@cache
def _lww_fields(cls: type) -> frozenset[str]:
    return frozenset(cls.LWW_FIELDS)  # type: ignore[attr-defined]


def event_order(event: Event) -> tuple[str, str, str]:
    """Events and timeline entries are kept ordered by (time, HLC, id)."""
    return (event.at, event.hlc, event.id)


class Mergeable(Plain):
    """Shared by Case and Incident: stamped scalar fields and a status lifecycle."""

    LWW_FIELDS: ClassVar[tuple[str, ...]] = ()
    LIFECYCLE: ClassVar[dict[str, int]] = {}
    LOG: ClassVar[str] = "events"

    def _stamp_all(self, hlc: str) -> None:
        for name in self.LWW_FIELDS:
            self.stamps.setdefault(name, hlc)  # type: ignore[attr-defined]

    def ranks(self) -> dict[str, int]:
        """This record's statuses and their rank along its lifecycle."""
        return self.LIFECYCLE

    def _check_mergeable(self) -> None:
        if self.status not in self.ranks():  # type: ignore[attr-defined]
            need_in(self, "status", tuple(self.ranks()))  # says which statuses there are
        if not isinstance(self.status_gen, int) or self.status_gen < 0:  # type: ignore[attr-defined]
            raise ModelError(f"{type(self).__name__}.status_gen: a count is needed")
        fields = _lww_fields(type(self))
        self._check_stamps(fields)
        if len(self.stamps) < len(fields):  # type: ignore[attr-defined]
            missing = [n for n in self.LWW_FIELDS if n not in self.stamps]  # type: ignore[attr-defined]
            raise ModelError(f"{type(self).__name__}.stamps: missing {', '.join(missing)}")

    def _check_stamps(self, fields: frozenset[str]) -> None:
        """Each stamped field named and its stamp one, the first that is not raised."""
        checked: set[str] = set()  # most fields share a stamp: each is parsed once
        for name, stamp in self.stamps.items():  # type: ignore[attr-defined]
            if name not in fields:
                raise ModelError(f"{type(self).__name__}.stamps: unknown field {name!r}")
            if type(stamp) is str and stamp in checked:
                continue
            checked.add(check_hlc(stamp, f"{type(self).__name__}.stamps.{name}"))

    def status_key(self) -> tuple[int, int, str]:
        """How statuses order in a merge: reopen generation, lifecycle rank, stamp."""
        return (self.status_gen, self.ranks()[self.status], self.stamps["status"])  # type: ignore[attr-defined]

    def set_field(self, name: str, value: Any, hlc: HLC | str) -> None:
        """Change one last-writer-wins field (not ``status``: see ``set_status``)."""
        if name not in self.LWW_FIELDS or name == "status":
            raise ModelError(f"{type(self).__name__} has no settable field {name!r}")
        stamp = as_stamp(hlc)
        if stamp <= self.stamps[name]:  # type: ignore[attr-defined]
            raise ModelError(f"stale stamp for {name}: {stamp} is not after the current one")
        setattr(self, name, copy_value(value))
        self.stamps[name] = stamp  # type: ignore[attr-defined]

    def set_status(self, status: str, hlc: HLC | str) -> None:
        """Move forward along the lifecycle (or stay); going back needs ``reopen``."""
        ranks = self.ranks()
        if status not in ranks:
            raise ModelError(f"unknown status {status!r}")
        if ranks[status] < ranks[self.status]:  # type: ignore[attr-defined]
            raise ModelError(f"status cannot go back from {self.status} to {status}")  # type: ignore[attr-defined]
        stamp = as_stamp(hlc)
        if stamp <= self.stamps["status"]:  # type: ignore[attr-defined]
            raise ModelError("stale stamp for status")
        self.status = status
        self.stamps["status"] = stamp  # type: ignore[attr-defined]

    def reopen(self, hlc: HLC | str, status: str | None = None) -> None:
        """Start the lifecycle again (a new generation): an explicit, visible step back."""
        first = next(iter(self.ranks()))
        status = status or first
        if status not in self.ranks():
            raise ModelError(f"unknown status {status!r}")
        stamp = as_stamp(hlc)
        if stamp <= self.stamps["status"]:  # type: ignore[attr-defined]
            raise ModelError("stale stamp for status")
        self.status_gen += 1  # type: ignore[attr-defined]
        self.status = status
        self.stamps["status"] = stamp  # type: ignore[attr-defined]

    def add_event(self, event: Event) -> None:
        """Append an entry to the event log; an id already there is ignored (idempotent)."""
        log: list[Event] = getattr(self, self.LOG)
        if any(e.id == event.id for e in log):
            return
        bisect.insort(log, event, key=event_order)
