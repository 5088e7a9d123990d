"""Incidents: type, place, level, status (``INCIDENT_LIFECYCLE``), an append-only
``timeline``, linked SOP inspections; fields and status merge like a case's
(:mod:`fieldkit.model.mergeable`).

The one vocabulary of incidents is here: the types with the key that picks each and the
plan each runs (:data:`INCIDENT_TYPE_TABLE`), and the levels (:data:`INCIDENT_LEVELS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from fieldkit.model.base import as_stamp, need_in, need_str, now_iso
from fieldkit.model.hlc import HLC
from fieldkit.model.mergeable import Conflict, Event, Mergeable
from fieldkit.model.values import Target


@dataclass(frozen=True)
class IncidentType:
    """One kind of incident.

    ``code`` is what the record stores (and the office reads); ``key`` is the key that picks
    it when a coordinator opens an incident, None when it is not offered there; ``plan`` is
    the type its plan — the SOP checklist with ``applies_to: incident:<plan>`` — is written
    for: its own code, or another's when the two share one plan; None when fieldkit ships no
    plan for it (an office's own checklist for ``incident:<code>`` is still used)."""

    code: str
    key: str | None
    plan: str | None


#: Every incident type, once. The order is the opening screen's: 1 fire ... 0 security,
#: "-" other. A rainstorm is opened as "typhoon / rainstorm" (its plan's first answer says
#: which); the type stays for records that carry it.
INCIDENT_TYPE_TABLE = (
    IncidentType("fire", "1", "fire"),
    IncidentType("flooding", "2", "flooding"),
    IncidentType("power_cut", "3", "power_cut"),
    IncidentType("water_cut", "4", "water_cut"),
    IncidentType("lift_entrapment", "5", "lift_entrapment"),
    IncidentType("typhoon", "6", "typhoon"),
    IncidentType("gas_leak", "7", "gas_leak"),
    IncidentType("injury", "8", "injury"),
    IncidentType("epidemic", "9", "epidemic"),
    IncidentType("security", "0", None),
    IncidentType("other", "a", None),  # a letter, as the desk's 其他 (read as "minus")
    IncidentType("rainstorm", None, "typhoon"),
)
INCIDENT_TYPES = tuple(t.code for t in INCIDENT_TYPE_TABLE)
_BY_CODE = {t.code: t for t in INCIDENT_TYPE_TABLE}


def plan_type(code: str) -> str:
    """The ``incident:<type>`` a plan for an incident of type ``code`` applies to."""
    found = _BY_CODE.get(code)
    return (found.plan if found is not None else None) or code


#: How serious an incident is: the levels of Chinese emergency practice for a compound
#: (一般 / 较大 / 重大), a scale of its own — not a case's severity (一般 / 严重 / 紧急),
#: though the codes are the same words. Its words are ``incidents.severity.*``. The
#: national scale's fourth, 特别重大, is for disasters far beyond what a compound grades.
INCIDENT_LEVELS = ("minor", "major", "critical")
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
        need_in(self, "severity", INCIDENT_LEVELS)
        need_str(self, "place", "title", empty=True)
        need_str(self, "site_id", optional=True)
        self._check_mergeable()

    @property
    def began_at(self) -> str:
        """When the incident began — when the call or the alarm came in: see
        :func:`began_of`."""
        found = [e for e in self.timeline if e.type == BEGAN and e.at]
        return max(found, key=lambda e: e.hlc).at if found else self.started_at

    def link_inspection(self, inspection_id: str) -> None:
        if inspection_id not in self.inspections:
            self.inspections.append(inspection_id)


#: The timeline entry that says when an incident began (接警时间) — when the call or the
#: alarm came in, given at opening or later. Its ``at`` is that moment; the latest recorded
#: one (by HLC) holds. An entry rather than a field: it merges as a timeline does, and an
#: older device, whose records have none, keeps reading the incident as begun when logged.
BEGAN = "began"


def began_entries(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``began`` entries of an incident's stored dict, the one that holds last."""
    found = [e for e in doc.get("timeline") or () if isinstance(e, dict) and e.get("type") == BEGAN
             and isinstance(e.get("at"), str) and e.get("at")]  # fmt: skip
    return sorted(found, key=lambda e: str(e.get("hlc", "")))


def began_of(doc: dict[str, Any]) -> str:
    """When an incident (its stored dict) began: its latest ``began`` entry's time, else
    when it was logged (``started_at``: every incident before this entry existed)."""
    found = began_entries(doc)
    return str(found[-1]["at"]) if found else str(doc.get("started_at") or "")
