"""Patrol rounds (巡更): proof that a guard walked a route, checkpoint by checkpoint.

A :class:`~fieldkit.model.patrol.PatrolRoute` lists checkpoints in order, each expected
``after`` minutes from the start give or take ``tolerance``. :func:`start` opens a round;
each scan of a checkpoint label (:func:`scan`, QR payload or painted code) is saved with
its time at once; :func:`finish` works out what was missed, late (or early) and out of
order, and saves the finished round with those findings — queued for the office in the
same write. :func:`evaluate` is the pure rule, used for the live view as well.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fieldkit.model import new_id
from fieldkit.model.patrol import PatrolRound, PatrolVisit
from fieldkit.services import tags
from fieldkit.services.registry import RegistryError
from fieldkit.services.types import Text


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


@dataclass(frozen=True)
class StopResult:
    checkpoint_id: str
    code: str
    name: Text
    expected: float
    visited: float | None
    timing: str  # on_time | late | early | missed | overdue | pending
    out_of_order: bool
    tolerance: float = 0.0  # seconds either side of ``expected``

    @property
    def off_by(self) -> int:
        """Whole minutes outside the stop's window (late or early), 0 inside it."""
        if self.visited is None:
            return 0
        outside = abs(self.visited - self.expected) - self.tolerance
        return max(0, int(-(-outside // 60)))


@dataclass(frozen=True)
class RoundReport:
    round_id: str
    route_id: str
    started: float
    finished: bool
    stops: tuple[StopResult, ...]
    not_on_route: tuple[str, ...]  # codes scanned that are not on this route

    @property
    def missed(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.stops if s.timing == "missed")

    @property
    def late(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.stops if s.timing in ("late", "early"))

    @property
    def out_of_order(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.stops if s.out_of_order)

    @property
    def overdue(self) -> tuple[str, ...]:
        """Not scanned yet and past their window: missed unless scanned (late) before the
        round is finished."""
        return tuple(s.code for s in self.stops if s.timing == "overdue")

    def findings(self) -> dict[str, Any]:
        return {
            "missed": list(self.missed),
            "late": list(self.late),
            "out_of_order": list(self.out_of_order),
            "not_on_route": list(self.not_on_route),
            # minutes outside the window, + late / - early, for the handover and the office
            "off_by": {
                s.code: s.off_by if s.timing == "late" else -s.off_by
                for s in self.stops
                if s.timing in ("late", "early")
            },
        }


def evaluate(
    route: Any, patrol_round: Any, targets: dict[str, Any], now: float, finished: bool
) -> RoundReport:
    """Each stop's timing and order. A stop not yet scanned is ``pending`` while the round
    is walked (``overdue`` once its window has passed at ``now``) and ``missed`` once it is
    finished; only a stop's first scan counts."""
    started = _epoch(patrol_round.started_at)
    first: dict[str, float] = {}
    stray: list[str] = []
    on_route = {s.checkpoint_id for s in route.stops}
    for visit in patrol_round.visits:
        if visit.checkpoint_id in on_route:
            first.setdefault(visit.checkpoint_id, _epoch(visit.at))
        elif visit.code not in stray:
            stray.append(visit.code)
    order = {s.checkpoint_id: i for i, s in enumerate(route.stops)}
    visited_in_order = sorted(first, key=lambda cid: first[cid])
    out_of_order: set[str] = set()
    highest = -1
    for cid in visited_in_order:
        if order[cid] < highest:
            out_of_order.add(cid)
        highest = max(highest, order[cid])
    stops = []
    for stop in route.stops:
        target = targets.get(stop.checkpoint_id)
        expected = started + stop.after * 60
        at = first.get(stop.checkpoint_id)
        if at is None and finished:
            timing = "missed"
        elif at is None:
            timing = "overdue" if now > expected + stop.tolerance * 60 else "pending"
        elif at > expected + stop.tolerance * 60:
            timing = "late"
        elif at < expected - stop.tolerance * 60:
            timing = "early"
        else:
            timing = "on_time"
        stops.append(
            StopResult(
                checkpoint_id=stop.checkpoint_id,
                code=target.code if target else stop.checkpoint_id,
                name=target.name if target else {"zh": "", "en": ""},
                expected=expected,
                visited=at,
                timing=timing,
                out_of_order=stop.checkpoint_id in out_of_order,
                tolerance=stop.tolerance * 60,
            )
        )
    return RoundReport(
        round_id=patrol_round.id,
        route_id=route.id,
        started=started,
        finished=finished,
        stops=tuple(stops),
        not_on_route=tuple(stray),
    )


def routes(ws: Any) -> list[Any]:
    return sorted(ws.store.reference("patrol_route"), key=lambda r: (r.name, r.id))


def route_name(route: Any) -> Text:
    """A route's name in both languages (``extra["names"]``), else the one it has."""
    names = route.extra.get("names") if isinstance(route.extra, dict) else None
    if isinstance(names, dict) and names:
        return {str(k): str(v) for k, v in names.items()}
    return {"zh": route.name or route.id, "en": route.name or route.id}


@dataclass(frozen=True)
class Walking:
    round: PatrolRound
    route: Any
    started: float


def walking(ws: Any) -> list[Walking]:
    """Rounds begun on this device and not finished, newest first: the guard carries on
    with one after the app was closed or the device restarted."""
    out = []
    for found in ws.store.walking_rounds():
        route = ws.store.get_reference("patrol_route", found.route_id)
        if route is not None:
            out.append(Walking(found, route, _epoch(found.started_at)))
    return sorted(out, key=lambda w: -w.started)


def _route(ws: Any, route_id: str) -> Any:
    route = ws.store.get_reference("patrol_route", route_id)
    if route is None:
        raise RegistryError("registry.patrol.no_route")
    return route


def _walking(ws: Any, round_id: str) -> PatrolRound:
    found = ws.store.get("patrol_round", round_id)
    if found is None:
        raise RegistryError("registry.patrol.no_round")
    if found.status == "finished":
        raise RegistryError("registry.patrol.finished")
    return found


def start(ws: Any, route_id: str, by: str = "", now: float | None = None) -> PatrolRound:
    route = _route(ws, route_id)
    patrol_round = PatrolRound(
        id=new_id(),
        route_id=route.id,
        started_at=_iso(time.time() if now is None else now),
        site_id=route.site_id,
        by=by,
    )
    return ws.store.save_patrol_round(patrol_round)


@dataclass(frozen=True)
class ScanResult:
    status: str  # recorded | again | not_on_route
    code: str
    position: int  # 1-based place on the route (0 when not on it)
    report: RoundReport


def scan(ws: Any, round_id: str, code: str, now: float | None = None) -> ScanResult:
    """Record a checkpoint scan (durably, before answering). A code that is not a
    checkpoint is refused and changes nothing; one not on this route is kept as a stray."""
    now = time.time() if now is None else now
    patrol_round = _walking(ws, round_id)
    route = _route(ws, patrol_round.route_id)
    lookup = ws.lookup_scan(code)
    if lookup.status == "unknown" and tags.looks_like_tag(code):
        raise RegistryError("rules.tag.unknown", tag=tags.normal(code))
    if lookup.status != "found" or lookup.target.kind not in ("checkpoint", "route"):
        raise RegistryError(
            "registry.patrol.not_checkpoint", code=code.strip(), why=lookup.message or ""
        )
    target = lookup.target
    positions = {s.checkpoint_id: i for i, s in enumerate(route.stops, start=1)}
    already = any(v.checkpoint_id == target.id for v in patrol_round.visits)
    patrol_round.visits.append(PatrolVisit(checkpoint_id=target.id, at=_iso(now), code=target.code))
    ws.store.save_patrol_round(patrol_round)
    status = "again" if already else "recorded"
    if target.id not in positions:
        status = "not_on_route"
    report = evaluate(route, patrol_round, ws.places.by_id, now, finished=False)
    return ScanResult(status, target.code, positions.get(target.id, 0), report)


def finish(ws: Any, round_id: str, now: float | None = None) -> RoundReport:
    """Close the round: findings worked out and saved with it, queued for the office."""
    now = time.time() if now is None else now
    patrol_round = _walking(ws, round_id)
    route = _route(ws, patrol_round.route_id)
    report = evaluate(route, patrol_round, ws.places.by_id, now, finished=True)
    patrol_round.status = "finished"
    patrol_round.finished_at = _iso(now)
    patrol_round.findings = report.findings()
    ws.store.save_patrol_round(patrol_round)
    return report


def report(ws: Any, round_id: str, now: float | None = None) -> RoundReport:
    """Where a round stands now (finished or not)."""
    found = ws.store.get("patrol_round", round_id)
    if found is None:
        raise RegistryError("registry.patrol.no_round")
    route = _route(ws, found.route_id)
    now = time.time() if now is None else now
    return evaluate(route, found, ws.places.by_id, now, finished=found.status == "finished")
