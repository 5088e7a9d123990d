"""Cases: a finding, repair request, complaint, renovation violation, neighbour dispute or
a visit owed to a resident (回访),
with its kinds, severities, departments and the lifecycle of each kind.

``status`` moves along its kind's ranks in ``CASE_LIFECYCLES`` (``CASE_LIFECYCLE`` for
findings and violations); fields, status, ``events`` and ``conflicts`` behave as
:mod:`fieldkit.model.mergeable` says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from fieldkit.model.base import as_stamp, need_in, need_str, now_iso
from fieldkit.model.hlc import HLC
from fieldkit.model.mergeable import Conflict, Event, Mergeable
from fieldkit.model.values import Target

CASE_KINDS = ("finding", "repair", "complaint", "violation", "dispute", "visit")
SEVERITIES = ("minor", "major", "critical")
DEPARTMENTS = ("engineering", "security", "cleaning", "landscaping", "customer_service")
# Rank along the lifecycle; a merge never lets a lower rank win over a higher one in the
# same generation. ``cancelled`` is terminal like ``closed``.
CASE_LIFECYCLE = {
    "open": 0,
    "assigned": 1,
    "in_progress": 2,
    "resolved": 3,
    "followed_up": 4,
    "closed": 5,
    "cancelled": 5,
}
# Repairs and complaints follow the office's own paths (fieldkit/services/lifecycles.yaml
# declares who may move them and what each move needs). Their ranks live here because every
# device and the office must order a status the same way for merges to converge; the older
# generic statuses stay valid for every kind, ranked as their counterpart on that path.
CASE_LIFECYCLES: dict[str, dict[str, int]] = {
    "finding": CASE_LIFECYCLE,
    "violation": CASE_LIFECYCLE,
    "visit": CASE_LIFECYCLE,  # a visit owed to a resident (回访): after an incident, say
    "complaint": {
        "open": 0,  # first: what a plain reopen() goes back to
        "received": 0,
        "registered": 1,
        "investigating": 2,
        "resolving": 3,
        "replied": 4,
        "followed_up": 5,
        "closed": 6,
        "cancelled": 6,
        "assigned": 2,
        "in_progress": 3,
        "resolved": 4,
    },
    "repair": {
        "open": 0,  # first: what a plain reopen() goes back to
        "accepted": 0,
        "dispatched": 1,
        "in_progress": 2,
        "done": 3,
        "followed_up": 4,
        "closed": 5,
        "cancelled": 5,
        "assigned": 1,
        "resolved": 3,
    },
    "dispute": {  # a neighbour dispute (邻里纠纷): heard, mediated, settled, followed up
        "open": 0,  # first: what a plain reopen() goes back to
        "received": 0,
        "investigating": 1,
        "mediating": 2,
        "settled": 3,
        "referred": 3,  # mediation failed; both sides told where else to turn
        "followed_up": 4,
        "closed": 5,
        "cancelled": 5,
        "assigned": 1,
        "in_progress": 2,
        "resolved": 3,
    },
}


@dataclass(slots=True)
class Case(Mergeable):
    ENTITY: ClassVar[str] = "case"
    LWW_FIELDS: ClassVar[tuple[str, ...]] = (
        "target",
        "category",
        "severity",
        "department",
        "assignee",
        "due",
        "title",
        "description",
        "status",
    )
    LIFECYCLE: ClassVar[dict[str, int]] = CASE_LIFECYCLE
    LOG: ClassVar[str] = "events"
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {
        "target": ("one", Target),
        "events": ("list", Event),
        "conflicts": ("list", Conflict),
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "kind", "target", "stamps")

    id: str
    kind: str
    target: Target
    stamps: dict[str, str]
    site_id: str | None = None
    category: str = ""
    severity: str = "major"
    department: str = ""
    assignee: str = ""
    due: str | None = None
    title: str = ""
    description: str = ""
    status: str = "open"
    status_gen: int = 0
    source_inspection: str | None = None
    source_item: str | None = None
    created_at: str = field(default_factory=now_iso)
    created_by: str = ""
    device: str = ""
    events: list[Event] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def new(cls, id: str, kind: str, target: Target, hlc: HLC | str, **values: Any) -> Case:
        """A new case with every last-writer-wins field stamped with ``hlc``."""
        case = cls(id=id, kind=kind, target=target, stamps={}, **values)
        case._stamp_all(as_stamp(hlc))
        case.validate()
        return case

    def ranks(self) -> dict[str, int]:
        """The statuses of this kind of case (``CASE_LIFECYCLES``); kind never changes."""
        return CASE_LIFECYCLES.get(self.kind, CASE_LIFECYCLE)

    def validate(self) -> None:
        need_str(self, "id")
        need_in(self, "kind", CASE_KINDS)
        need_in(self, "severity", SEVERITIES)
        need_str(self, "category", "department", "assignee", "title", "description", empty=True)
        need_str(self, "due", "site_id", "source_inspection", "source_item", optional=True)
        self._check_mergeable()
