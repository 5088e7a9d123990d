"""Closing an incident: what is still open is shown, and each open point is decided.

Open points (:func:`open_points`):

==========  =====================================================  ==========================
point       what                                                   decisions (in key order)
==========  =====================================================  ==========================
person      a flat on the residents list to confirm, never checked  phoned · not_affected ·
                                                                   visit (a follow-up case
                                                                   for the service desk)
step        a plan step not answered (the plan is still a draft)    done · not_done (a case
                                                                   to follow it up) ·
                                                                   not_needed
text        a plan step to write (这次暴露的问题) left empty          not_needed · write (the
                                                                   text, given at close)
failed      a plan step failed that has no case yet                case (routed by the item's
                                                                   ``on_fail``) · handled
stand_down  the incident was never stood down                       stand_down · not_needed
==========  =====================================================  ==========================

A step not done yet becomes a case routed as a failure of it would be (the item's
``on_fail``, or its failing option's), else by the plan's own routing for what was not done
(the checklist's ``on_missed``): nothing is recorded as done that was not.

:func:`close` takes a decision for every open point (refusing if one is missing, so no path
leaves a point undecided) and writes, in one atomic write of the store: a ``decision`` entry
per point (who decided what; the text written, for ``write``), the cases asked for, the
stand-down, the plan locked and sent (a draft plan is submitted with the incident: its
unanswered steps are decided above), and the closed status with its summary. Either all of
it is on disk or none of it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fieldkit.config import LANGUAGES
from fieldkit.i18n import both, t
from fieldkit.model import Incident
from fieldkit.model import Target as ModelTarget
from fieldkit.services import incidents as inc
from fieldkit.services.cases import whole_code
from fieldkit.services.incidents import IncidentError
from fieldkit.services.types import pick

if TYPE_CHECKING:
    from fieldkit.checklists.definition import Checklist, Item, OnFail
    from fieldkit.services.runs import Run
    from fieldkit.services.workspace import Workspace

POINTS = ("person", "step", "text", "failed", "stand_down")
DECISIONS: dict[str, tuple[str, ...]] = {
    "person": ("phoned", "not_affected", "visit"),
    "step": ("done", "not_done", "not_needed"),
    "text": ("not_needed", "write"),
    "failed": ("case", "handled"),
    "stand_down": ("stand_down", "not_needed"),
}
#: Decisions the close screen never gives to other points at once (its ``a``): that a step
#: was done is a fact of that step, confirmed one by one, so the record never says a step was
#: done because the one above it was. Not done (a case follows it up) and did not apply can
#: be given to the rest, after a confirm naming how many.
ONE_BY_ONE = frozenset({("step", "done")})
MAX_TEXT = 2000  # what can be written for a step at close


@dataclass(frozen=True)
class OpenPoint:
    """Something still open; ``what`` names it (zh/en), ``detail`` says more (the care
    flags of a flat, the plan section of a step), ``route`` the department a case goes to
    (a failed step, or a step not done yet)."""

    point: str
    ref: str
    what: dict[str, str]
    detail: dict[str, str] = field(default_factory=dict)
    route: str = ""
    #: a flat's visit already raised with ctrl+o (its case id): "visit" at close links it
    #: instead of opening a second one (nc20)
    case: str = ""

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


def step_route(checklist: Checklist, item: Item) -> OnFail:
    """Where a step not done goes: as its failure would (the item's ``on_fail``, else its
    failing option's), else as the plan routes what was not done (``on_missed``)."""
    routes = [item.on_fail, *(o.on_fail for o in item.options if o.fails)]
    return next((r for r in routes if r is not None), checklist.missed_route)


#: Plan items that record a fact (how many were trapped, how long it took, their state
#: after): at close they are written down, never ticked as done.
WRITTEN = ("text", "number", "choice", "multi", "date")


def _step_point(checklist: Checklist, item: Item, section: dict[str, str]) -> OpenPoint:
    if item.type in WRITTEN:
        return OpenPoint("text", item.id, item.label.to_dict(), section)
    route = step_route(checklist, item).department
    return OpenPoint("step", item.id, item.label.to_dict(), section, route)


def _plan_points(ws: Workspace, incident: Incident) -> list[OpenPoint]:
    checklist = inc.sop_checklist(ws, incident.type)
    if checklist is None:
        return []
    run = inc.linked_run(ws, incident)
    if run is None:  # never started: every step is still to do
        return [
            _step_point(checklist, item, section.title.to_dict())
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
            out.append(_step_point(checklist, step.item, section))
    return out


def open_points(ws: Workspace, incident_id: str) -> list[OpenPoint]:
    """What closing now would leave open: unchecked flats the kind and place ask to confirm
    (``incidents.to_confirm``: none for a lift entrapment), plan steps not done or failed
    with no case, and no stand-down."""

    incident = inc._need_open(ws, incident_id)
    visits = _visits(ws, incident)
    out = [
        OpenPoint(
            "person",
            person.unit_id,
            {lang: person.code for lang in LANGUAGES},
            {lang: _flags(person.flags, lang) for lang in LANGUAGES},
            "customer_service",
            case=next((c.id for c in visits if _visits_flat(c, person.unit_id, person.code)), ""),
        )
        for person in inc.people(ws, incident_id)
        if person.confirm and not person.checked
    ]
    out += _plan_points(ws, incident)
    if incident.status in ("active", "contained"):
        out.append(OpenPoint("stand_down", "", both("incidents.close.never_stood_down")))
    return out


def _visits(ws: Workspace, incident: Incident) -> list[Any]:
    """The owner visits raised from the incident with ctrl+o, not cancelled."""
    out = []
    for event in incident.timeline:
        if event.type == "followup" and event.data.get("kind") == "visit":
            case = ws.store.get_case(str(event.data.get("case", "")))
            if case is not None and case.status != "cancelled":
                out.append(case)
    return out


def _visits_flat(case: Any, unit_id: str, code: str) -> bool:
    """Whether a visit is to this flat: on it, or naming its code in its title (a visit
    raised with ctrl+o is on the incident: 回访 1-1-402 的业主)."""
    if case.target is not None and case.target.id == unit_id:
        return True
    titles = case.extra.get("titles") if isinstance(case.extra, dict) else None
    said = [case.title, *(titles.values() if isinstance(titles, dict) else ())]
    pattern = re.compile(whole_code(code))
    return bool(code) and any(pattern.search(str(text)) for text in said)


def open_followups(followups: Any, lang: str) -> str:
    """The incident's follow-up cases not yet done, as a line the close screen shows —
    "" when there are none. They do not stop the close (they go on as cases), but the
    coordinator sees them: "no open points" read as if nothing was left."""
    from fieldkit.services.cases import DONE

    still = [f for f in followups if f.status not in DONE]
    if not still:
        return ""
    sep = t("incidents.close.followups_sep", lang)
    listed = sep.join(
        t("incidents.close.followup_item", lang, title=pick(f.titles, lang) or f.title,
          status=f.status_words(lang))
        for f in still
    )  # fmt: skip
    return t("incidents.close.followups_open", lang, count=len(still), list=listed)


def _flags(flags: tuple[str, ...], lang: str) -> str:
    from fieldkit.services.incident_report import care_label

    return t("checklists.words.list_sep", lang).join(care_label(f, lang) for f in flags)


def close(
    ws: Workspace,
    incident_id: str,
    summary: str,
    decisions: Mapping[tuple[str, str], str] | None = None,
    *,
    texts: Mapping[str, str] | None = None,
    by: str = "",
) -> Incident:
    """Close with a summary (it heads the report) and a decision for every open point,
    keyed by ``OpenPoint.key``; ``texts`` holds what was written for a ``text`` step decided
    ``write`` (by the step's key). All of it in one write (see the module docstring)."""
    incident = inc._need_open(ws, incident_id)
    summary = inc._clean(summary, "incidents.error.need_summary")
    decisions = dict(decisions or {})
    texts = {k: " ".join(str(v).split())[:MAX_TEXT] for k, v in (texts or {}).items()}
    points = open_points(ws, incident_id)
    undecided = [p for p in points if p.key not in decisions]
    if undecided:
        raise IncidentError("incidents.error.undecided", count=len(undecided))
    for point in points:
        if decisions[point.key] not in point.choices:
            raise IncidentError("incidents.error.bad_decision", value=decisions[point.key])
        if decisions[point.key] == "write" and not texts.get(point.ref):
            raise IncidentError("incidents.error.need_text", what=pick(point.what))
    by = inc._by(incident, by)
    run = inc.linked_run(ws, incident)
    checklist = inc.sop_checklist(ws, incident.type)
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
            elif point.point == "step" and decision == "not_done" and checklist is not None:
                case = _unfinished_case(ws, incident, checklist, run, point.ref, by, now)
                made.append(case)
                data["case"] = case.id
            elif point.point == "text" and decision == "write":
                data["text"] = texts[point.ref]
            elif point.point == "person" and decision == "visit" and point.case:
                data["case"] = point.case  # the visit raised with ctrl+o: not a second one
                data["existing"] = True
            elif point.point == "person" and decision == "visit":
                code = point.what.get("zh", "")
                case = inc.followup_case(
                    ws, incident, "visit", _visit_titles(ws, incident, code),
                    target=ModelTarget("unit", point.ref), where=code, by=by,
                )  # fmt: skip
                made.append(case)
                data["case"] = case.id
            store.add_timeline_entry(incident_id, "decision", "", by=by, data=data)
            if point.point == "stand_down" and decision == "stand_down":  # the decision first
                store.set_incident_status(incident_id, "stood_down", by=by)
        if run is not None and not run.submitted:
            store.submit_inspection(run.id)
        closed = store.set_incident_status(incident_id, "closed", by=by, note=summary)
    return closed


def _visit_titles(ws: Workspace, incident: Incident, code: str) -> dict[str, str]:
    """A visit's title names the flat and the incident it comes from, so the desk reads
    why it is owed: 上门回访 2-1-302 的住户（火情 36a39a 结案时未确认情况）."""
    answers = inc.plan_answers(ws, incident)
    return {lang: t("incidents.close.visit_title", lang, code=code, ref=incident.id[-6:],
                    type=inc.type_words(incident.type, answers, lang))
            for lang in LANGUAGES}  # fmt: skip


def _unfinished_case(
    ws: Workspace,
    incident: Incident,
    checklist: Checklist,
    run: Run | None,
    key: str,
    by: str,
    now: float,
) -> Any:
    """A case for a plan step not done yet, routed by :func:`step_route`; its title says
    what is still to do (the step's ``fail_label``: 积水、淤泥未清理)."""
    from fieldkit.services.cases import iso
    from fieldkit.services.renovation import case_kind

    item = run.step(key).item if run is not None else next(
        i for i in checklist.items() if i.id == key
    )  # fmt: skip
    route = step_route(checklist, item)
    if item.fail_label:
        titles = item.fail_label.to_dict()
    else:
        titles = {lang: t("incidents.close.not_done_title", lang, label=item.label.get(lang))
                  for lang in LANGUAGES}  # fmt: skip
    return ws.store.create_case(
        case_kind(checklist.id),
        ModelTarget("incident", incident.id),
        by=by,
        title=titles.get("zh") or titles.get("en", ""),
        department=route.department,
        severity=route.severity,
        due=iso(ws.due_at(route.due_text, now)),
        category=checklist.id,
        source_inspection=run.id if run is not None else None,
        source_item=key,
        site_id=incident.site_id,
        extra={
            "titles": titles,
            "where": incident.place,
            "building": inc.building_of(ws, incident),
            "incident": incident.id,
        },
    )
