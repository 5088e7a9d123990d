"""The reveal log: one person seeing one personal value in full — who, which role, which
field of which resident, why, when (:class:`Reveal`). Made on the device, never changed
after it is written, synced to the office; a full export is logged the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from fieldkit.model.base import ITEMS, ModelError, Plain, need_in, need_str, now_iso

#: The common reasons to reveal a value, each one key in the reveal dialog; any other
#: reason is typed (``Reveal.reason``).
REVEAL_REASONS = ("emergency_contact", "home_visit", "owner_request", "follow_up", "identity")
#: ``Reveal.item`` of a full export: every personal value of the kinds it names.
EXPORT_ITEM = "export"
REASON_MAX = 200


@dataclass(slots=True)
class Reveal(Plain):
    """A person saw a personal value in full: who (``by``, the person signed in, and the
    device's ``role``), which field (``item``) of which resident, why (``reason_code``, one
    of :data:`REVEAL_REASONS`, or the ``reason`` they typed), under which incident, when.
    Never the value itself. Written once, synced to the office.

    A full export is one too: ``item`` :data:`EXPORT_ITEM`, no resident, the kinds
    exported in ``extra["kinds"]``."""

    ENTITY: ClassVar[str] = "reveal"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "resident_id", "item", "role")
    id: str
    resident_id: str
    item: str  # which personal field: name | phone | id_number (or EXPORT_ITEM)
    role: str
    unit_id: str = ""
    site_id: str | None = None
    by: str = ""
    device: str = ""
    reason: str = ""
    reason_code: str = ""
    unit_code: str = ""  # the flat as people name it (3-2-302), so any log reads it
    incident_id: str = ""
    at: str = field(default_factory=now_iso)
    extra: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        need_str(self, "id", "role", "at")
        need_in(self, "item", (*ITEMS, EXPORT_ITEM))
        if self.item != EXPORT_ITEM:
            need_str(self, "resident_id")
        need_str(self, "reason", "reason_code", "incident_id", "unit_code", empty=True)
        # a code a later release adds is kept as it is (shown as the code)
        if len(self.reason) > REASON_MAX or len(self.reason_code) > 40:
            raise ModelError(f"Reveal.reason: at most {REASON_MAX} characters")
