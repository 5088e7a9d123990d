"""Patrol rounds (巡更): :class:`PatrolRoute` (reference data from the office) — checkpoints
in order, each expected so many minutes after the start; :class:`PatrolRound` (made on the
device) — one walk of it: the scans with their times and, once finished, the findings sent
to the office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from fieldkit.model.base import ModelError, Plain, need_in, need_str


@dataclass(slots=True)
class PatrolStop(Plain):
    """One checkpoint of a route: expected ``after`` minutes from the start, give or take
    ``tolerance`` minutes."""

    REQUIRED: ClassVar[tuple[str, ...]] = ("checkpoint_id",)
    checkpoint_id: str
    after: int = 0
    tolerance: int = 10

    def validate(self) -> None:
        need_str(self, "checkpoint_id")
        for name in ("after", "tolerance"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ModelError(f"PatrolStop.{name}: whole minutes, 0 or more")


@dataclass(slots=True)
class PatrolRoute(Plain):
    """A patrol route: checkpoints in the order they are walked, each with its time."""

    ENTITY: ClassVar[str] = "patrol_route"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "site_id", "stops")
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {"stops": ("list", PatrolStop)}
    id: str
    site_id: str
    stops: list[PatrolStop]
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        need_str(self, "id", "site_id")
        if not self.stops:
            raise ModelError("PatrolRoute.stops: at least one checkpoint is needed")
        seen = [s.checkpoint_id for s in self.stops]
        if len(set(seen)) != len(seen):
            raise ModelError("PatrolRoute.stops: a checkpoint appears twice")
        for stop in self.stops:
            stop.validate()


@dataclass(slots=True)
class PatrolVisit(Plain):
    """A checkpoint scanned during a round, and when."""

    REQUIRED: ClassVar[tuple[str, ...]] = ("checkpoint_id", "at")
    checkpoint_id: str
    at: str
    code: str = ""


ROUND_STATUSES = ("walking", "finished")


@dataclass(slots=True)
class PatrolRound(Plain):
    """One walk of a route. Kept on the device while walking; once finished it is never
    changed and goes to the office with its findings (missed, late, out of order)."""

    ENTITY: ClassVar[str] = "patrol_round"
    REQUIRED: ClassVar[tuple[str, ...]] = ("id", "route_id", "started_at")
    NESTED: ClassVar[dict[str, tuple[str, type]]] = {"visits": ("list", PatrolVisit)}
    id: str
    route_id: str
    started_at: str
    site_id: str | None = None
    by: str = ""
    device: str = ""
    status: str = "walking"
    visits: list[PatrolVisit] = field(default_factory=list)
    finished_at: str | None = None
    findings: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        need_str(self, "id", "route_id", "started_at")
        need_in(self, "status", ROUND_STATUSES)
