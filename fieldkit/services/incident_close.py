"""Closing an incident: what is still open is shown, and each open point is decided.

Open points (:func:`open_points`):

==========  =====================================================  ==========================
point       what                                                   decisions (first: default)
==========  =====================================================  ==========================
person      a flat on the residents list nobody checked            phoned · not_affected ·
                                                                   visit (a follow-up case
                                                                   for the service desk)
step        a plan step not done (the plan is still a draft)        not_needed · done
failed      a plan step failed that has no case yet                case (routed by the item's
                                                                   ``on_fail``) · handled
stand_down  the incident was never stood down                       stand_down · not_needed
==========  =====================================================  ==========================

:func:`close` takes a decision for every open point (refusing if one is missing, so no path
leaves a point undecided) and writes, in one atomic write of the store: a ``decision`` entry
per point (who decided what), the cases asked for, the stand-down, the plan locked and sent
(a draft plan is submitted with the incident: its unanswered steps are decided above), and
the closed status with its summary. Either all of it is on disk or none of it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fieldkit.config import LANGUAGES
from fieldkit.i18n import both
from fieldkit.model import Incident
from fieldkit.model import Target as ModelTarget
from fieldkit.services import incidents as inc
from fieldkit.services.incidents import IncidentError

if TYPE_CHECKING:
    from fieldkit.services.runs import Run
    from fieldkit.services.workspace import Workspace

POINTS = ("person", "step", "failed", "stand_down")
DECISIONS: dict[str, tuple[str, ...]] = {
    "person": ("phoned", "not_affected", "visit"),
    "step": ("not_needed", "done"),
    "failed": ("case", "handled"),
    "stand_down": ("stand_down", "not_needed"),
}


@dataclass(frozen=True)
class OpenPoint:
    """Something still open; ``what`` names it (zh/en), ``detail`` says more (the care
    flags of a flat, the plan section of a step), ``route`` the department a case goes to."""

    point: str
    ref: str
    what: dict[str, str]
    detail: dict[str, str] = field(default_factory=dict)
    route: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.point, self.ref)

    @property
    def choices(self) -> tuple[str, ...]:
        return DECISIONS[self.point]


def _cased_steps(ws: Workspace, run: Run) -> set[str]:
    """Plan steps that became a case already (from an earlier submit)."""
    out = set()
    for case_id in run.inspection.cases:
        case = ws.store.get_case(case_id)
        if case is not None and case.source_item:
            out.add(case.source_item)
    return out


def _plan_points(ws: Workspace, incident: Incident) -> list[OpenPoint]:
    checklist = inc.sop_checklist(ws, incident.type)
    if checklist is None:
        return []
    run = inc.linked_run(ws, incident)
    if run is None:  # never started: every step is still to do
        return [
            OpenPoint("step", item.id, item.label.to_dict(), section.title.to_dict())
            for section in checklist.sections
            for item in section.items
            if item.show_if is None
        ]
    if run.submitted:  # sent from the runner: its failures became cases then
        return []
    routes = {c.step_key: c for c in run.proposed_cases()}
    cased = _cased_steps(ws, run)
    out = []
    for step in run.steps():
        section = step.section.title.to_dict()
        if step.key in routes and step.key not in cased:
            proposed = routes[step.key]
            out.append(OpenPoint("failed", step.key, dict(proposed.title), section,
                                 proposed.department))  # fmt: skip
        elif not run.answered(step):
            out.append(OpenPoint("step", step.key, step.item.label.to_dict(), section))
    return out


def open_points(ws: Workspace, incident_id: str) -> list[OpenPoint]:
    """What closing now would leave open: unchecked flats, plan steps not done or failed
    with no case, and no stand-down."""
    from fieldkit.services.incident_report import care_label

    incident = inc._need_open(ws, incident_id)
    out = [
        OpenPoint(
            "person",
            person.unit_id,
            {lang: person.code for lang in LANGUAGES},
            {lang: ", ".join(care_label(f, lang) for f in person.flags) for lang in LANGUAGES},
            "customer_service",
        )
        for person in inc.people(ws, incident_id)
        if not person.checked
    ]
    out += _plan_points(ws, incident)
    if incident.status in ("active", "contained"):
        out.append(OpenPoint("stand_down", "", both("incidents.close.never_stood_down")))
    return out


def close(
    ws: Workspace,
    incident_id: str,
    summary: str,
    decisions: Mapping[tuple[str, str], str] | None = None,
    *,
    by: str = "",
) -> Incident:
    """Close with a summary (it heads the report) and a decision for every open point,
    keyed by ``OpenPoint.key``; all of it in one write (see the module docstring)."""
    incident = inc._need_open(ws, incident_id)
    summary = inc._clean(summary, "incidents.error.need_summary")
    decisions = dict(decisions or {})
    points = open_points(ws, incident_id)
    undecided = [p for p in points if p.key not in decisions]
    if undecided:
        raise IncidentError("incidents.error.undecided", count=len(undecided))
    for point in points:
        if decisions[point.key] not in point.choices:
            raise IncidentError("incidents.error.bad_decision", value=decisions[point.key])
    by = inc._by(incident, by)
    run = inc.linked_run(ws, incident)
    proposed = {c.step_key: c for c in run.proposed_cases()} if run and not run.submitted else {}
    store = ws.store
    made = []
    now = time.time()
    with store.transaction():
        for point in points:
            decision = decisions[point.key]
            data: dict[str, Any] = {"point": point.point, "ref": point.ref,
                                    "what": point.what, "decision": decision}  # fmt: skip
            if point.point == "failed" and decision == "case" and run is not None:
                case = run.raise_case(proposed[point.ref], now)
                made.append(case)
                data["case"] = case.id
            elif point.point == "person" and decision == "visit":
                code = point.what.get("zh", "")
                case = inc.followup_case(
                    ws, incident, "visit", both("incidents.close.visit_title", code=code),
                    target=ModelTarget("unit", point.ref), where=code, by=by,
                )  # fmt: skip
                made.append(case)
                data["case"] = case.id
            elif point.point == "stand_down" and decision == "stand_down":
                store.set_incident_status(incident_id, "stood_down", by=by)
            store.add_timeline_entry(incident_id, "decision", "", by=by, data=data)
        if run is not None and not run.submitted:
            store.submit_inspection(run.id)
        closed = store.set_incident_status(incident_id, "closed", by=by, note=summary)
    if made:
        ws.cases_added(made)
    return closed
