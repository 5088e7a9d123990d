"""Incidents: type, place, level, status (``INCIDENT_LIFECYCLE``), an append-only
``timeline``, linked SOP inspections; fields and status merge like a case's
(:mod:`fieldkit.model.mergeable`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from fieldkit.model.base import as_stamp, need_in, need_str, now_iso
from fieldkit.model.case import SEVERITIES
from fieldkit.model.hlc import HLC
from fieldkit.model.mergeable import Conflict, Event, Mergeable
from fieldkit.model.values import Target

INCIDENT_TYPES = (
    "fire",
    "typhoon",
    "rainstorm",
    "epidemic",
    "water_cut",
    "power_cut",
    "injury",
    "flooding",
    "lift_entrapment",
    "gas_leak",
    "security",
    "other",
)
INCIDENT_LIFECYCLE = {"active": 0, "contained": 1, "stood_down": 2, "closed": 3}


@dataclass(slots=True)
class Incident(Mergeable):
    ENTITY: ClassVar[str] = "incident"
    LWW_FIELDS: ClassVar[tuple[str, ...]] = ("place", "target", "severity", "title", "status")
    LIFECYCLE: ClassVar[dict[str, int]] = INCIDENT_LIFECYCLE
    LOG: ClassVar[str] = "timeline"
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {
        "target": ("one", Target),
        "timeline": ("list", Event),
        "conflicts": ("list", Conflict),
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "type", "stamps")

    id: str
    type: str
    stamps: dict[str, str]
    place: str = ""
    target: Target | None = None
    site_id: str | None = None
    severity: str = "major"
    title: str = ""
    status: str = "active"
    status_gen: int = 0
    started_at: str = field(default_factory=now_iso)
    created_by: str = ""
    device: str = ""
    timeline: list[Event] = field(default_factory=list)
    inspections: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, id: str, type: str, hlc: HLC | str, **values: Any) -> Incident:
        incident = cls(id=id, type=type, stamps={}, **values)
        incident._stamp_all(as_stamp(hlc))
        incident.validate()
        return incident

    def validate(self) -> None:
        need_str(self, "id")
        need_in(self, "type", INCIDENT_TYPES)
        need_in(self, "severity", SEVERITIES)
        need_str(self, "place", "title", empty=True)
        need_str(self, "site_id", optional=True)
        self._check_mergeable()

    def link_inspection(self, inspection_id: str) -> None:
        if inspection_id not in self.inspections:
            self.inspections.append(inspection_id)
