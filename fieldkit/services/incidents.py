"""Incidents: what an emergency coordinator opens, logs and closes.

Everything a coordinator does is an entry on the incident's append-only timeline, saved
durably (with its outbox entry) by ``Store.add_timeline_entry`` before the call returns:

====================  ========================================================================
kind                  data
====================  ========================================================================
observation, action   —  (the text is the entry)
call                  ``service`` (one of :data:`SERVICES`), ``answered_by``; ``name``
                      for ``other`` (whom the coordinator called, as typed)
notice                ``lang``, ``file``, ``title``, ``audience`` (zh/en); the text is the
                      notice as sent
handover              ``to`` (the coordinator taking over), ``from``
escalation            ``from``, ``to`` (severity); the text is the reason
people_checked        ``unit`` (unit id), ``code``; the text is what was found
place                 ``places`` (``incident_places.Place`` dicts): the incident now covers them
decision              at close, one open point decided (:mod:`.incident_close`): ``point``,
                      ``ref`` (flat id or plan step key), ``what`` (its code or label,
                      zh/en), ``decision``, ``case`` if one was raised
followup              ``case`` (case id), ``kind`` (:data:`FOLLOWUP_KINDS`); ``titles``
                      (zh/en) when the title was made in both languages
plan                  ``inspection`` (the SOP run's id), ``checklist``
began                 when the call or alarm came in (接警时间), given at opening or later:
                      the entry's ``at`` is that moment; ``recorded_at`` (when typed),
                      ``from`` (what it replaced) — :mod:`.incident_began`
correction            ``corrects`` (the id of the entry it corrects); the text replaces it
status / field        written by the store for status and field changes
====================  ========================================================================

Severity levels (documented for coordinators in the help screen too):

- ``minor`` 一般 — one flat or a small common area; nobody in danger; the duty team handles it.
- ``major`` 较大 — several flats, a whole entrance or building, or a service lost (water,
  power, lifts); the property manager is told.
- ``critical`` 重大 — danger to life, or the whole compound affected; outside services
  (119 / 110 / 120) called; the company's management and the residents' committee told.

The SOP checklist of the type runs as an ordinary inspection (``fieldkit.services.runs.Run``)
whose target is the incident; its id is linked on the incident.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from fieldkit.config import LANGUAGES
from fieldkit.i18n import UserError, get_language, t
from fieldkit.model import (
    INCIDENT_LEVELS,
    INCIDENT_TYPE_TABLE,
    INCIDENT_TYPES,
    ChecklistRef,
    Incident,
    localtime,
    plan_type,
)
from fieldkit.model import Target as ModelTarget
from fieldkit.model.incident import BEGAN
from fieldkit.services import incident_places as places_
from fieldkit.services.cases import iso
from fieldkit.services.incident_places import Compound, Place
from fieldkit.services.lifecycle import no_one_answered
from fieldkit.services.people import WATER_DOWN, CareUnit, care_units
from fieldkit.services.types import Target, pick

if TYPE_CHECKING:
    from fieldkit.checklists.definition import Checklist
    from fieldkit.services.runs import Run
    from fieldkit.services.workspace import Workspace

#: The types a coordinator picks when opening an incident, and the key that picks each
#: (the model's table: :data:`fieldkit.model.incident.INCIDENT_TYPE_TABLE`).
TYPES = tuple(t.code for t in INCIDENT_TYPE_TABLE if t.key is not None)
TYPE_KEYS = tuple(t.key for t in INCIDENT_TYPE_TABLE if t.key is not None)
ENTRY_KINDS = ("observation", "action")
#: Whom F4 logs a call to, in the order of their keys (1-9, 0, a): the outside services —
#: the lift contractor (电梯维保单位) releases people from a lift; "other" is typed — and our
#: own site manager, whom a serious incident is reported to (nc34 had to type 项目经理).
SERVICES = ("119", "110", "120", "122", "water", "power", "gas", "drainage", "other", "lift",
            "manager")  # fmt: skip
FOLLOWUP_KINDS = ("repair", "claim", "visit")
FOLLOWUP_CASE = {  # follow-up kind -> (case kind, department, due)
    "repair": ("repair", "engineering", "24h"),
    "claim": ("complaint", "customer_service", "3d"),
    "visit": ("visit", "customer_service", "3d"),  # owed to a resident: not a complaint
}
OPEN_STATUSES = ("active", "contained", "stood_down")


class IncidentError(UserError, ValueError):
    """Something the coordinator asked that cannot be done; ``key`` is the i18n message."""


@dataclass(frozen=True)
class Entry:
    id: str
    at: str
    kind: str
    text: str
    by: str
    data: dict[str, Any]
    corrected_by: str = ""  # id of a later correction of this entry
    corrected_text: str = ""


@dataclass(frozen=True)
class PlanStep:
    key: str
    section: dict[str, str]
    label: dict[str, str]
    done: bool
    failed: bool
    value: Any = None
    item: Any = None  # the checklist item (its type and options word the answer)
    note: str = ""  # typed on the step in the runner (一位七十多岁老人感到胸闷)


@dataclass(frozen=True)
class FollowUp:
    case_id: str
    kind: str
    title: str
    status: str
    department: str
    titles: dict[str, str] = field(default_factory=dict)
    case_kind: str = ""  # the case's own kind, whose lifecycle names its status

    def status_words(self, lang: str | None = None) -> str:
        """The case's status as its lifecycle labels it (已受理 for a repair, 待处理 for a
        plan's finding); "—" when this device does not have the case."""
        from fieldkit.services.lifecycle import status_label

        if not self.status:
            return "—"
        return status_label(self.case_kind, self.status, lang) if self.case_kind else self.status


@dataclass(frozen=True)
class IncidentView:
    id: str
    ref: str
    type: str
    severity: str
    status: str
    place: str
    target: Target | None
    started_at: str  # when it was logged
    created_by: str
    coordinator: str
    entries: tuple[Entry, ...]
    plan_id: str | None = None
    plan_title: dict[str, str] = field(default_factory=dict)
    plan: tuple[PlanStep, ...] = ()
    people: tuple[CareUnit, ...] = ()
    followups: tuple[FollowUp, ...] = ()
    summary: str = ""
    places: tuple[Place, ...] = ()
    answers: dict[str, Any] = field(default_factory=dict)  # the plan's, by item id
    began_at: str = ""  # when the call or alarm came in (接警时间); durations count from it

    @property
    def notices(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.kind == "notice")

    @property
    def decisions(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.kind == "decision")

    def type_words(self, lang: str) -> str:
        return type_words(self.type, self.answers, lang)

    def where(self, lang: str) -> str:
        """The places as a reader says them (the free text given when no place is known)."""
        return where(list(self.places), self.place, lang)

    @property
    def open(self) -> bool:
        return self.status != "closed"


def _by(incident: Incident, by: str) -> str:
    """Entries are by the incident's current coordinator unless someone else is named."""
    return by.strip() or coordinator_of(incident)


def type_for_key(key: str) -> str | None:
    return TYPES[TYPE_KEYS.index(key)] if key in TYPE_KEYS else None


def _clean(text: str, empty_key: str = "incidents.error.empty") -> str:
    text = " ".join(text.split())
    if not text:
        raise IncidentError(empty_key)
    return text


def _need(ws: Workspace, incident_id: str) -> Incident:
    incident = ws.store.get_incident(incident_id)
    if incident is None:
        raise IncidentError("incidents.error.not_found")
    return incident


def _check_open(ws: Workspace, incident_id: str) -> None:
    """The cheap form of ``_need_open`` for the hot path: reads the status only."""
    head = ws.store.peek("incident", incident_id, "status")
    if head is None:
        raise IncidentError("incidents.error.not_found")
    if head["status"] == "closed":
        raise IncidentError("incidents.error.closed")


def _who(ws: Workspace, incident_id: str, by: str) -> str:
    """``by``, else the current coordinator (which needs the whole timeline read)."""
    return by.strip() or coordinator_of(_need(ws, incident_id))


def _need_open(ws: Workspace, incident_id: str) -> Incident:
    incident = _need(ws, incident_id)
    if incident.status == "closed":
        raise IncidentError("incidents.error.closed")
    return incident


# -- opening -------------------------------------------------------------------------------


def compound_of(ws: Workspace) -> Compound:
    """The buildings, entrances and flats places are read against (kept until a pull)."""
    return ws.cached("incident_compound", Compound.load)


def where(places: list[Place], text: str, lang: str) -> str:
    """Places as a reader says them; the free text when there are none; else the compound."""
    if places:
        return places_.label(places, lang)
    return text or places_.whole_compound().name(lang)


def open_incident(
    ws: Workspace,
    type: str,
    place: Target | None = None,
    severity: str = "major",
    *,
    place_text: str = "",
    places: list[Place] | None = None,
    by: str = "",
) -> Incident:
    """A new incident, started now; queued for the office in the same write.

    Where it is: a scanned or searched ``place``, and/or ``places`` (from
    :func:`fieldkit.services.incident_places.parse`); else ``place_text``, a spot in the
    coordinator's words (地下车库) whose residents list is the whole compound's."""
    if type not in INCIDENT_TYPES:
        raise IncidentError("incidents.error.bad_type", value=type)
    if severity not in INCIDENT_LEVELS:
        raise IncidentError("incidents.error.bad_severity", value=severity)
    fields: dict[str, Any] = {"severity": severity}
    given = list(places or ())
    extra: dict[str, Any] = {}
    if place is not None:
        fields["target"] = ModelTarget(place.kind, place.id)
        fields["place"] = place.code
        extra = {"where": place.code, "building": place.building, "names": place.name}
        given.insert(0, places_.from_target(place, compound_of(ws)))
    given = places_.merge(given)
    if given:
        extra["places"] = [p.to_dict() for p in given]
        fields.setdefault("place", places_.label(given, get_language()))
        buildings = {p.code for p in given if p.kind == "building"}
        if len(buildings) == 1 and "building" not in extra:
            extra["building"] = next(iter(buildings))
    elif place_text.strip():
        fields["place"] = " ".join(place_text.split())[: places_.MAX_TEXT]
    if extra:
        fields["extra"] = extra
    return ws.store.create_incident(type, by=by or ws.actor, **fields)


def places_of(ws: Workspace, incident: Incident) -> list[Place]:
    """The places the incident covers: those given at opening (or its scanned target, for
    an incident opened before places existed) and every one added since, as a union."""
    stored = incident.extra.get("places")
    given = [Place.from_dict(d) for d in stored] if isinstance(stored, list) else []
    if not given and incident.target is not None:
        target = ws.target(incident.target.id)
        if target is not None:
            given = [places_.from_target(target, compound_of(ws))]
    for event in incident.timeline:
        if event.type == "place" and isinstance(event.data.get("places"), list):
            given += [Place.from_dict(d) for d in event.data["places"]]
    return places_.merge(p for p in given if p is not None)


def building_of(ws: Workspace, incident: Incident) -> str:
    """The code of the one building every place of the incident is in ("" for several, or
    the whole compound): its follow-ups are filed under it, so the building filter finds
    them and trends count them there (an entrance or a flat at opening stored none)."""
    stored = str(incident.extra.get("building", ""))
    if stored:
        return stored
    ids = {p.building for p in places_of(ws, incident) if p.kind != places_.COMPOUND}
    record = compound_of(ws).buildings.get(next(iter(ids))) if len(ids) == 1 else None
    return (record.code or record.name) if record is not None else ""


def add_place(ws: Workspace, incident_id: str, text: str, *, by: str = "") -> Any:
    """Widen a running incident to more places (typed as at opening: "3", "3号楼2单元",
    "全小区"); the timeline records them, and the residents list follows at once."""
    incident = _need_open(ws, incident_id)
    text = _clean(text, "incidents.error.need_place")
    wanted = places_.parse(text, compound_of(ws))
    current = places_of(ws, incident)
    new = [p for p in wanted if not any(c.takes_in(p) for c in current)]
    if not new:
        raise IncidentError(
            "incidents.error.place_covered", place=places_.label(wanted, get_language())
        )
    return ws.store.add_timeline_entry(
        incident_id,
        "place",
        "",
        by=_by(incident, by),
        data={"places": [p.to_dict() for p in new]},
    )


def open_incidents(ws: Workspace) -> list[Incident]:
    """Incidents not closed yet, newest first."""
    return sorted(ws.store.open_incidents(), key=lambda i: i.id, reverse=True)


@dataclass(frozen=True)
class IncidentRow:
    """An incident in progress as home lists it (words in every language)."""

    id: str
    ref: str
    type: dict[str, str]
    where: dict[str, str]
    severity: str
    status: str
    started_at: str  # when the call or alarm came in (接警时间)
    closed_at: str = ""  # when it was closed ("" while it is open)


#: How many closed incidents the coordinator's home lists, newest first.
RECENT_CLOSED = 5


def home_rows(ws: Workspace) -> list[IncidentRow]:
    """The incidents in progress on this device, newest first, for home."""
    return rows(ws, open_incidents(ws))


def recent_closed(ws: Workspace, limit: int = RECENT_CLOSED) -> list[IncidentRow]:
    """The incidents closed on or synced to this device, newest first: once closed an
    incident left home and nothing in the app opened it again (nc24, nc20), while the
    office's weekly report still named it."""
    from fieldkit.store.layout import month_of

    ids: list[str] = []
    for _, doc in ws.store.iter_records(["incident"], newest_first=True):
        # the archive's months come newest first: once `limit` closed ones are from months
        # after this record's, none older can be among the newest (the home is drawn from
        # this: it read every month of years of history)
        month = month_of(str(doc["id"]))
        if sum(1 for i in ids if month_of(i) > month) >= limit:
            break
        if doc.get("status") == "closed":
            ids.append(str(doc["id"]))
    ids.sort(reverse=True)
    found = [i for i in (ws.store.get_incident(n) for n in ids[:limit]) if i is not None]
    return rows(ws, found)


def closed_time(incident: Incident) -> str:
    """When the incident was closed ("" while it is open)."""
    closing = _closing(incident)
    return closing.at if closing is not None else ""


def _closing(incident: Incident) -> Any:
    """The timeline's event that closed the incident (its time, the summary typed at
    close); None while it is open."""
    for event in reversed(incident.timeline):
        if event.type == "status" and event.data.get("to") == "closed":
            return event
    return None


def all_incidents(ws: Workspace) -> list[Incident]:
    """Every incident on this device, active and archived, newest first."""
    ids = sorted((doc["id"] for _, doc in ws.store.iter_records(["incident"])), reverse=True)
    return [i for i in (ws.store.get_incident(n) for n in ids) if i is not None]


def rows(ws: Workspace, incidents: list[Incident]) -> list[IncidentRow]:
    """Incidents as lists show them: the type as the plan says it, every place."""
    out = []
    for incident in incidents:
        places = places_of(ws, incident)
        answers = plan_answers(ws, incident)
        out.append(
            IncidentRow(
                id=incident.id,
                ref=incident.id[-6:],
                type={lang: type_words(incident.type, answers, lang) for lang in LANGUAGES},
                where={lang: where(places, incident.place, lang) for lang in LANGUAGES},
                severity=incident.severity,
                status=incident.status,
                started_at=incident.began_at,
                closed_at=closed_time(incident),
            )
        )
    return out


# -- the timeline --------------------------------------------------------------------------


def add_entry(
    ws: Workspace, incident_id: str, text: str, kind: str = "observation", *, by: str = ""
) -> Any:
    """One observation or action, stamped now; on disk when this returns."""
    if kind not in ENTRY_KINDS:
        raise IncidentError("incidents.error.bad_kind", value=kind)
    _check_open(ws, incident_id)
    text = _clean(text)
    return ws.store.add_timeline_entry(incident_id, kind, text, by=_who(ws, incident_id, by))


def log_call(
    ws: Workspace,
    incident_id: str,
    service: str,
    answered_by: str = "",
    text: str = "",
    *,
    name: str = "",
    by: str = "",
) -> Any:
    """A call to an outside service (119 fire, 110 police, 120 ambulance, 122 traffic, the
    water / power / gas company, municipal drainage, the lift contractor, or ``other``:
    ``name`` says whom) or our own site manager (``manager``), and
    who answered (a name, a staff number, or "无人接听": never nothing)."""
    if service not in SERVICES:
        raise IncidentError("incidents.error.bad_service", value=service)
    _check_open(ws, incident_id)
    # nc20: nothing typed was saved as 接听人：— (a call with no one named)
    data = {
        "service": service,
        "answered_by": _clean(answered_by, "incidents.error.need_answered_by"),
    }
    if service == "other":
        data["name"] = _clean(name, "incidents.error.need_service_name")[: places_.MAX_TEXT]
    with ws.store.transaction():
        entry = ws.store.add_timeline_entry(
            incident_id, "call", " ".join(text.split()), by=_who(ws, incident_id, by), data=data
        )
        if not no_one_answered(data["answered_by"]):
            tick_called(ws, _need(ws, incident_id), service)
    return entry


def tick_called(ws: Workspace, incident: Incident, service: str) -> list[dict[str, str]]:
    """Answer the plan's check steps a call to ``service`` does (the checklist's ``call:``):
    nc34 logged the call to 95598 and "已联系供电公司" stayed unticked, to be answered again at
    the close. The plan is started if it was not; a submitted one is left as sent. The
    steps' labels."""
    checklist = sop_checklist(ws, incident.type)
    if checklist is None or not any(item.call == service for item in checklist.items()):
        return []
    run = linked_run(ws, incident) or plan_run(ws, incident.id)
    if run.submitted:
        return []
    ticked = []
    for step in run.all_steps:  # a step not shown yet is ticked too, for when it shows
        if step.item.call == service and step.item.type == "check" and run.value(step) != "pass":
            run.answer(step.key, "pass")
            ticked.append(step.item.label.to_dict())
    return ticked


def correct(ws: Workspace, incident_id: str, entry_id: str, text: str, *, by: str = "") -> Any:
    """A new entry that corrects an earlier one; the earlier one stays as it was."""
    incident = _need(ws, incident_id)
    if not any(e.id == entry_id for e in incident.timeline):
        raise IncidentError("incidents.error.no_entry")
    return ws.store.add_timeline_entry(
        incident_id, "correction", _clean(text), by=_by(incident, by), data={"corrects": entry_id}
    )


def hand_over(ws: Workspace, incident_id: str, to: str, note: str = "", *, by: str = "") -> Any:
    incident = _need_open(ws, incident_id)
    to = _clean(to, "incidents.error.need_name")
    before = coordinator_of(incident)
    return ws.store.add_timeline_entry(
        incident_id,
        "handover",
        " ".join(note.split()),
        by=_by(incident, by),
        data={"to": to, "from": before},
    )


def escalate(
    ws: Workspace, incident_id: str, severity: str, reason: str = "", *, by: str = ""
) -> Incident:
    """Raise the severity; the change and the reason go on the timeline in one write."""
    incident = _need_open(ws, incident_id)
    if severity not in INCIDENT_LEVELS:
        raise IncidentError("incidents.error.bad_severity", value=severity)
    if INCIDENT_LEVELS.index(severity) <= INCIDENT_LEVELS.index(incident.severity):
        raise IncidentError(
            "incidents.error.not_higher", current=incident.severity, wanted=severity
        )
    store = ws.store
    by = _by(incident, by)
    with store.transaction():
        store.update_incident(incident_id, by=by, severity=severity)
        store.add_timeline_entry(
            incident_id,
            "escalation",
            " ".join(reason.split()),
            by=by,
            data={"from": incident.severity, "to": severity},
        )
    return _need(ws, incident_id)


def contain(ws: Workspace, incident_id: str, note: str = "", *, by: str = "") -> Incident:
    """The danger no longer grows (water shut off, fire out) but the work goes on."""
    incident = _need_open(ws, incident_id)
    if incident.status != "active":
        raise IncidentError("incidents.error.not_active")
    return ws.store.set_incident_status(
        incident_id, "contained", by=_by(incident, by), note=" ".join(note.split())
    )


def stand_down(ws: Workspace, incident_id: str, note: str = "", *, by: str = "") -> Incident:
    incident = _need_open(ws, incident_id)
    if incident.status == "stood_down":
        raise IncidentError("incidents.error.already_stood_down")
    return ws.store.set_incident_status(
        incident_id, "stood_down", by=_by(incident, by), note=" ".join(note.split())
    )


def coordinator_of(incident: Incident) -> str:
    """Whoever the latest handover named, else whoever opened it."""
    name = incident.created_by
    for event in incident.timeline:
        if event.type == "handover" and event.data.get("to"):
            name = str(event.data["to"])
    return name


# -- people first --------------------------------------------------------------------------


def _checked(incident: Incident) -> dict[str, tuple[str, str]]:
    """Each flat's last check on its residents: when, and what was noted — as corrected
    (ctrl+r) where it was, the last correction's words (nc36's report kept the mistaken
    note after it was corrected)."""
    fixes = {str(e.data.get("corrects")): e.text for e in incident.timeline
             if e.type == "correction"}  # fmt: skip
    out: dict[str, tuple[str, str]] = {}
    for event in incident.timeline:
        if event.type == "people_checked" and event.data.get("unit"):
            out[str(event.data["unit"])] = (event.at, fixes.get(event.id, event.text))
    return out


#: The kinds whose danger reaches people where they live — smoke, gas, water coming down,
#: a storm, no power or water for someone old and alone, an outbreak — so each flagged flat
#: on the list is checked on, or decided at close. A lift entrapment, an injury or a
#: security matter is about the people it happened to (the plan's steps confirm them);
#: the residents list is then there to call on, not a flat-by-flat duty at close.
CONFIRM_RESIDENTS = frozenset(
    {"fire", "gas_leak", "flooding", "typhoon", "rainstorm", "power_cut", "water_cut",
     "epidemic", "other"}
)  # fmt: skip


def to_confirm(incident_type: str, where: list[Place], person: CareUnit) -> bool:
    """Whether a flat on the residents list is to be checked on (or decided at close): by
    the kind (:data:`CONFIRM_RESIDENTS`), and for water coming down from flats only (a
    burst pipe in 1-1-602), the flats below it and the flats themselves, not the rest of
    the building."""
    if incident_type not in CONFIRM_RESIDENTS:
        return False
    if incident_type in WATER_DOWN and where and all(p.kind == "unit" for p in where):
        return person.below or any(p.unit == person.unit_id for p in where)
    return True


def people(ws: Workspace, incident_id: str) -> list[CareUnit]:
    """The flagged flats in every place the incident covers (a place added later too),
    each marked whether it is to be confirmed (:func:`to_confirm`)."""
    from fieldkit.services.registry import index_for

    incident = _need(ws, incident_id)
    where = places_of(ws, incident)
    compound = compound_of(ws)
    flats = [compound.units[p.unit] for p in where if p.kind == "unit" and p.unit in compound.units]
    index = index_for(ws)
    down = incident.type in WATER_DOWN
    units = [u for u in index.units.values() if places_.in_scope(where, u, down=down)]
    floors = {(p.building, f) for p in where if (f := places_.floor_of(p)) is not None}
    flats += [u for u in units if (u.building_id, u.floor) in floors]  # water comes from there
    listed = care_units(units, index.residents, flats, incident.type, _checked(incident))
    return [replace(p, confirm=to_confirm(incident.type, where, p)) for p in listed]


def check_person(
    ws: Workspace, incident_id: str, unit_id: str, note: str = "", *, by: str = ""
) -> Any:
    """Tick a flat's residents as checked on (a timeline entry; it cannot be unticked)."""
    incident = _need_open(ws, incident_id)
    unit = ws.store.get_reference("unit", unit_id)
    if unit is None:
        raise IncidentError("incidents.error.no_unit")
    return ws.store.add_timeline_entry(
        incident_id,
        "people_checked",
        " ".join(note.split()),
        by=_by(incident, by),
        data={"unit": unit_id, "code": unit.label or unit.number},
    )


# -- the plan ------------------------------------------------------------------------------


def sop_checklist(ws: Workspace, incident_type: str) -> Checklist | None:
    """The plan for a type: the checklist with ``applies_to: incident:<plan type>``
    (:func:`fieldkit.model.incident.plan_type`), if this device has one."""
    wanted = plan_type(incident_type)
    for checklist in sorted(ws.checklists().values(), key=lambda c: c.id):
        if checklist.target == ("incident", wanted):
            return checklist
    return None


def _incident_target(ws: Workspace, incident: Incident) -> Target:
    """The incident as the plan's target: its places' codes ("1,2") and names."""
    places = places_of(ws, incident)
    codes = ",".join(p.code for p in places if p.code)
    return Target(
        id=incident.id,
        kind="incident",
        code=codes or incident.place or incident.id[-6:],
        name={lang: where(places, incident.place, lang) for lang in LANGUAGES},
        building=building_of(ws, incident),
        asset_kind=plan_type(incident.type),
    )


def plan_run(ws: Workspace, incident_id: str) -> Run:
    """The incident's SOP run: the linked one if there is one, else a new one (linked on
    the incident and noted on its timeline in one write)."""
    from fieldkit.services.runs import Run  # its runtime: not needed by the home

    incident = _need(ws, incident_id)
    checklist = sop_checklist(ws, incident.type)
    if checklist is None:
        raise IncidentError("incidents.error.no_plan")
    run = linked_run(ws, incident)
    if run is not None:
        return ws.keep_run(run)
    target = _incident_target(ws, incident)
    if incident.status == "closed":
        raise IncidentError("incidents.error.closed")
    store = ws.store
    ref = checklist.ref
    with store.transaction():
        inspection = store.create_inspection(
            ChecklistRef(ref.id, ref.version, ref.content_hash),
            ModelTarget("incident", incident.id),
            site_id=incident.site_id,
        )
        store.link_incident_inspection(incident.id, inspection.id)
        store.add_timeline_entry(
            incident.id,
            "plan",
            "",
            by=coordinator_of(incident),
            data={"inspection": inspection.id, "checklist": ref.id},
        )
    run = ws.keep_run(Run(ws, inspection, checklist, target, []))
    where = places_of(ws, incident)
    _scope_from_places(run, where or ([] if incident.place else [places_.Place(places_.COMPOUND)]))
    return run


#: A plan's "how far it reaches" answer as the incident's places already say it: a flat, one
#: or more buildings (an entrance is in one), the whole compound. nc34 and nc36 saw the plan
#: grow from 7 steps to 20 once they answered what the place had said.
SCOPE_ITEM = "scope"
SCOPE_OF_PLACE = {"unit": "one_unit", "entrance": "building", "building": "building",
                  places_.COMPOUND: "compound"}  # fmt: skip


def _scope_from_places(run: Run, places: list[Place]) -> None:
    """Answer a new plan's ``scope`` step from the incident's places, the widest of them,
    where the step has that option; the coordinator may change it as any answer."""
    step = next((s for s in run.steps() if s.item.id == SCOPE_ITEM), None)
    said = [SCOPE_OF_PLACE[p.kind] for p in places if p.kind in SCOPE_OF_PLACE]
    if step is None or not said:
        return
    order = ("one_unit", "building", "compound")
    widest = max(said, key=order.index)
    if step.item.option(widest) is not None:
        run.answer(step.key, widest)


def linked_run(ws: Workspace, incident: Incident) -> Run | None:
    """The incident's SOP run, if one was started."""
    from fieldkit.services.runs import Run

    checklist = sop_checklist(ws, incident.type)
    if checklist is None:
        return None
    for inspection_id in reversed(incident.inspections):
        inspection = ws.store.get_inspection(inspection_id)
        if inspection is not None and inspection.checklist.id == checklist.id:
            return Run(ws, inspection, checklist, _incident_target(ws, incident), [])
    return None


def _plan(ws: Workspace, incident: Incident) -> tuple[str | None, dict[str, str], list[PlanStep]]:
    checklist = sop_checklist(ws, incident.type)
    if checklist is None:
        return None, {}, []
    run = linked_run(ws, incident)
    title = checklist.title.to_dict()
    if run is None:
        steps = [
            PlanStep(
                item.id, section.title.to_dict(), item.label.to_dict(), False, False, item=item
            )
            for section in checklist.sections
            for item in section.items
            if item.show_if is None
        ]
        return None, title, steps
    return run.id, title, plan_steps(run)


def plan_steps(run: Run, pending: Collection[str] = ()) -> list[PlanStep]:
    """The plan's steps as they stand in its run; ``pending``: keys answered on screen
    whose saves are still running (the runner counts them as answered)."""
    return [
        PlanStep(
            key=step.key,
            section=step.section.title.to_dict(),
            label=step.item.label.to_dict(),
            done=step.key in pending or run.answered(step),
            failed=run.outcome(step).failed,
            value=run.value(step),
            item=step.item,
            note=run.note_of(step),
        )
        for step in run.steps()
    ]


#: How a plan's steps are counted, each once, in this order (:func:`plan_tally`).
TALLY = ("done", "not_done", "na", "decided", "open")


def plan_tally(plan: Iterable[PlanStep], decided: Collection[str] = ()) -> dict[str, int]:
    """The one count of a plan's steps, the same on the runner's head, the incident's
    screen, the close and the report (nc24 read 已答 0/13 in the runner beside 共 16 项 on
    the incident): every step, optional ones too (the close asks about each), as done,
    not done (✘), not applicable (–), decided at close (``decided``: the steps' keys) or
    still open."""
    counts = dict.fromkeys(TALLY, 0)
    for step in plan:
        if step.key in decided and (not step.done or step.failed):
            counts["decided"] += 1
        elif step.failed:
            counts["not_done"] += 1
        elif step.done and step.value == "na":
            counts["na"] += 1
        elif step.done:
            counts["done"] += 1
        else:
            counts["open"] += 1
    return counts


# -- follow-ups ----------------------------------------------------------------------------


def raise_followup(ws: Workspace, incident_id: str, kind: str, title: str, *, by: str = "") -> str:
    """A case raised from the incident (a repair, a compensation claim, an owner visit),
    linked both ways: the case's target is the incident, the timeline names the case."""
    incident = _need(ws, incident_id)
    case = followup_case(ws, incident, kind, {"zh": title, "en": title}, by=by)
    return case.id


def followup_case(
    ws: Workspace,
    incident: Incident,
    kind: str,
    titles: dict[str, str],
    *,
    target: ModelTarget | None = None,
    where: str = "",
    by: str = "",
) -> Any:
    """The follow-up case and its timeline entry in one write (or in the caller's
    transaction); ``target`` is the incident unless a flat is named."""
    if kind not in FOLLOWUP_KINDS:
        raise IncidentError("incidents.error.bad_followup", value=kind)
    title = _clean(pick(titles), "incidents.error.need_title")
    titles = {lang: " ".join(text.split()) for lang, text in titles.items()}
    from fieldkit.services.lifecycle import first_state

    case_kind, department, due = FOLLOWUP_CASE[kind]
    by = _by(incident, by)
    store = ws.store
    with store.transaction():
        case = store.create_case(
            case_kind,
            target or ModelTarget("incident", incident.id),
            by=by,
            status=first_state(case_kind),  # a repair starts 已受理, not a finding's "open"
            title=titles.get("zh") or title,
            department=department,
            severity=incident.severity,
            due=iso(time.time() + ws.due_seconds(due)),
            category=f"incident.{kind}",
            site_id=incident.site_id,
            extra={
                "titles": titles,
                "where": where or incident.place,
                "building": building_of(ws, incident),
                "incident": incident.id,
            },
        )
        data: dict[str, Any] = {"case": case.id, "kind": kind}
        if len(set(titles.values())) > 1:  # read in the reader's language (entry_text)
            data["titles"] = titles
        store.add_timeline_entry(incident.id, "followup", title, by=by, data=data)
    return case


def _followups(ws: Workspace, incident: Incident) -> list[FollowUp]:
    """The cases raised from the incident: its follow-ups, the plan steps failed when its
    plan was submitted and those made cases when it was closed (kind ``finding``)."""
    raised: list[tuple[str, str, str]] = []  # (case id, kind, text)
    for event in incident.timeline:
        if event.type == "followup":
            raised.append((str(event.data.get("case", "")), str(event.data.get("kind", "")),
                           event.text))  # fmt: skip
        elif (
            event.type == "decision"
            and event.data.get("case")
            and event.data.get("point") != "person"  # a visit: its follow-up entry lists it
        ):
            raised.append((str(event.data.get("case", "")), "finding", event.text))
    # nc16: the three cases a submitted plan raised (a release that took 35 minutes...)
    # were missing: "后续工单 0 个"
    for inspection_id in incident.inspections:
        inspection = ws.store.get_inspection(inspection_id)
        for case_id in inspection.cases if inspection is not None else ():
            raised.append((case_id, "finding", ""))
    out = []
    seen: set[str] = set()
    for case_id, kind, text in raised:
        if case_id in seen:
            continue
        seen.add(case_id)
        case = ws.store.get_case(case_id)
        titles = case.extra.get("titles") if case else None
        out.append(
            FollowUp(
                case_id=case_id,
                kind=kind,
                title=case.title if case else text,
                status=case.status if case else "",
                department=case.department if case else "",
                titles=dict(titles) if isinstance(titles, dict) else {},
                case_kind=case.kind if case else "",
            )
        )
    return out


# -- the whole picture ---------------------------------------------------------------------


def entries(incident: Incident) -> list[Entry]:
    """The timeline as shown: corrections marked on the entries they correct; a ``field``
    change the next ``escalation`` entry explains is left out (it says the same)."""
    corrections: dict[str, tuple[str, str]] = {}
    for event in incident.timeline:
        if event.type == "correction" and event.data.get("corrects"):
            corrections[str(event.data["corrects"])] = (event.id, event.text)
    began = sorted((e for e in incident.timeline if e.type == BEGAN), key=lambda e: e.hlc)
    for earlier in began[:-1]:  # a time said again replaces the one said before
        corrections[earlier.id] = (began[-1].id, localtime.fmt(began[-1].at, "minute"))
    timeline = incident.timeline
    out = []
    for n, event in enumerate(timeline):
        if event.type == "field":
            following = timeline[n + 1] if n + 1 < len(timeline) else None
            changes = event.data.get("changes", {})
            if (
                following is not None
                and following.type == "escalation"
                and changes.get("severity") == following.data.get("to")
            ):
                continue
        fixed = corrections.get(event.id, ("", ""))
        out.append(
            Entry(
                id=event.id,
                at=event.at,
                kind=event.type,
                text=event.text,
                by=event.by,
                data=dict(event.data),
                corrected_by=fixed[0],
                corrected_text=fixed[1],
            )
        )
    return out


def summary_of(incident: Incident) -> str:
    closing = _closing(incident)
    return closing.text if closing is not None else ""


def view(ws: Workspace, incident_id: str, *, with_people: bool = True) -> IncidentView:
    incident = _need(ws, incident_id)
    target = ws.target(incident.target.id) if incident.target is not None else None
    plan_id, plan_title, plan = _plan(ws, incident)
    return IncidentView(
        id=incident.id,
        ref=incident.id[-6:],
        type=incident.type,
        severity=incident.severity,
        status=incident.status,
        place=incident.place,
        target=target,
        started_at=incident.started_at,
        created_by=incident.created_by,
        coordinator=coordinator_of(incident),
        entries=tuple(entries(incident)),
        plan_id=plan_id,
        plan_title=plan_title,
        plan=tuple(plan),
        people=tuple(people(ws, incident_id)) if with_people else (),
        followups=tuple(_followups(ws, incident)),
        summary=summary_of(incident),
        places=tuple(places_of(ws, incident)),
        answers=plan_answers(ws, incident),
        began_at=incident.began_at,
    )


def plan_answers(ws: Workspace, incident: Incident) -> dict[str, Any]:
    """The plan's answers by item id (a typhoon plan's ``warning_kind`` says whether it is
    a typhoon or a rainstorm; notices are filled from them)."""
    run = linked_run(ws, incident)
    if run is None:
        return {}
    return {key: answer.value for key, answer in run.inspection.answers.items()}


def type_words(type: str, answers: dict[str, Any], lang: str) -> str:
    """The incident's type as a reader says it: a typhoon-or-rainstorm incident whose
    plan says which is called by it (暴雨, not 台风 / 暴雨)."""
    weather = answers.get("warning_kind")
    if type == "typhoon" and weather in ("typhoon", "rainstorm"):
        return t(f"incidents.weather.{weather}", lang)
    return t(f"incidents.type.{type}", lang)


def find(ws: Workspace, ref: str) -> Incident | None:
    """An incident by its id or the last characters of it (as printed on reports)."""
    ref = ref.strip().lower()
    if not ref:
        return None
    incident = ws.store.get_incident(ref)
    if incident is not None:
        return incident
    hits = [doc for _, doc in ws.store.iter_records(["incident"]) if doc["id"].endswith(ref)]
    if len(hits) != 1:
        return None
    return ws.store.get_incident(hits[0]["id"])
