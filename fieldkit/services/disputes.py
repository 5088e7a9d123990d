"""Neighbour disputes (邻里纠纷): noise, a leak between floors, a parking space — one case
that names both flats, keeps what each side said, and logs when the residents' committee
(居委会) or the police station (派出所) was brought in.

A dispute is a case of kind ``dispute`` on the lifecycle engine like any other. Its target
is the flat that reported it (side ``a``); both flats are written once, at intake, under the
case's ``dispute`` extra (``{"a": {"unit", "where", "building"}, "b": {...}}``). Statements
and referrals are case events (``statement``, ``referral``), so two devices that each take a
statement end with both after a sync: events merge as a union.

A statement keeps who gave it under ``owner_name`` — the key the office masks in everything
it sends a role that may not see names (:func:`fieldkit.model.personal.mask_record`). The
views here show every name masked — who gave a statement as the flats' owners, by the one
masking helper (:func:`fieldkit.model.personal.mask`) — as the case's contact rows are: a
name is read in full only by revealing it, for a reason, recorded first
(:mod:`fieldkit.services.reveals`, which reads who gave a statement as a person through
:func:`speaker_person`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fieldkit.i18n import UserError
from fieldkit.model import localtime
from fieldkit.model.personal import mask
from fieldkit.services import cases as case_rules
from fieldkit.services.types import CaseRow, Text

KIND = "dispute"
SIDES = ("a", "b")
BODIES = ("committee", "police")  # 居委会, 派出所
RELATIONS = ("owner", "tenant", "household", "other")
STATEMENT = "statement"
REFERRAL = "referral"
WHEN_FORMAT = "%Y-%m-%d %H:%M"
RECORDED_AT = "recorded_at"  # event data: when a late record was typed
#: Who gave a statement is revealed and logged under this, the case id and the statement's
#: event id, in place of a resident id: the person is on the case, not in the registry.
SPEAKER = "statement:"
FUTURE_SLACK = 600.0  # seconds: a clock a little ahead is fine, tomorrow is a typing mistake


class DisputeError(UserError, ValueError):
    """Input the desk must correct; ``key`` is the i18n message."""


@dataclass(frozen=True)
class Side:
    key: str  # a (the flat that reported it) | b (the other flat)
    unit_id: str
    where: str
    building: str
    name: Text
    owners: tuple[str, ...]  # masked
    owner_ids: tuple[str, ...] = ()  # each owner's resident id ("" for the flat's own record)


@dataclass(frozen=True)
class Statement:
    id: str
    side: str
    where: str
    who: str  # masked
    relation: str
    text: str
    at: float
    by: str
    recorded: float = 0.0  # a late record: when it was typed
    person: str = ""  # whom to reveal: SPEAKER, the case, the side's first statement by them


@dataclass(frozen=True)
class Referral:
    id: str
    body: str  # committee | police
    at: float
    who: str
    reference: str
    outcome: str
    by: str
    recorded: float = 0.0  # a late record: when it was typed


@dataclass(frozen=True)
class DisputeView:
    case_id: str
    sides: tuple[Side, ...]
    statements: tuple[Statement, ...]
    referrals: tuple[Referral, ...]

    def heard(self, side: str) -> bool:
        return any(s.side == side for s in self.statements)


def speaker_id(case_id: str, event_id: str) -> str:
    return f"{SPEAKER}{case_id}:{event_id}"


def speaker_person(store: Any, person_id: str) -> Any:
    """Who gave the statement ``person_id`` names (:func:`speaker_id`) as
    :mod:`fieldkit.services.reveals` reads a resident — a name and the side's flat — or None
    when there is no such statement on this device."""
    from fieldkit.services.callback import Person

    case_id, _, event_id = person_id.removeprefix(SPEAKER).partition(":")
    case = store.get_case(case_id) if case_id else None
    event = next((e for e in (case.events if case else ()) if e.id == event_id), None)
    if event is None or event.type != STATEMENT:
        return None
    data = event.data or {}
    name = str(data.get("owner_name") or "").strip()
    return Person(person_id, name, "", str(data.get("unit") or ""), case.site_id)


def side_record(unit_id: str, where: str = "", building: str = "") -> dict[str, str]:
    return {"unit": unit_id, "where": where, "building": building}


def sides_of(doc: Any) -> dict[str, dict[str, str]]:
    """Both flats of a dispute from a case or its stored dict ({} for any other case)."""
    if isinstance(doc, dict):
        found = doc.get("dispute") or (doc.get("extra") or {}).get("dispute")
    else:
        found = (getattr(doc, "extra", None) or {}).get("dispute")
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if k in SIDES and isinstance(v, dict)}


def parse_when(text: str, now: float | None = None) -> str:
    """``2026-11-28 09:30`` (the compound's time), or blank for now, as ISO UTC; a
    time still to come is refused (a statement cannot have been given tomorrow)."""
    text = text.strip()
    now = time.time() if now is None else now
    if not text:
        moment = datetime.fromtimestamp(now, UTC)
    else:
        try:
            moment = localtime.local(datetime.strptime(text, WHEN_FORMAT)).astimezone(UTC)
        except ValueError:
            raise DisputeError("cases.dispute.bad_when", value=text) from None
        if moment.timestamp() > now + FUTURE_SLACK:
            raise DisputeError("cases.dispute.future_when", value=text)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


#: A time given this much before it was typed makes the entry a late record (补记): it keeps
#: when it was typed beside when it happened, so the shift that typed it hands it over.
LATE_AFTER = 120.0


def stamp_late(data: dict[str, Any], at: str, now: float | None = None) -> dict[str, Any]:
    """``data`` with ``recorded_at`` (now, ISO UTC) when ``at`` is well before now: a
    statement given yesterday and typed today is today's work, said to have happened
    yesterday."""
    now = time.time() if now is None else now
    if case_rules.epoch(at) < now - LATE_AFTER:
        data = {**data, RECORDED_AT: parse_when("", now)}
    return data


def _dispute(store: Any, case: Any) -> Any:
    if isinstance(case, str):
        case = store.get_case(case)
    if case is None:
        raise DisputeError("services.case.not_found")
    if case.kind != KIND:
        raise DisputeError("cases.dispute.not_dispute")
    if case.status in case_rules.DONE:
        raise DisputeError("cases.dispute.finished")
    return case


def add_statement(
    store: Any,
    case: Any,
    side: str,
    who: str,
    text: str,
    *,
    relation: str = "owner",
    when: str = "",
    by: str = "",
) -> Any:
    """Record what one side said (``when``: see :func:`parse_when`); returns the event."""
    case = _dispute(store, case)
    sides = sides_of(case)
    if side not in SIDES or side not in sides:
        raise DisputeError("cases.dispute.bad_side", side=side)
    if relation not in RELATIONS:
        raise DisputeError("cases.dispute.bad_relation", known=", ".join(RELATIONS))
    if not who.strip():
        raise DisputeError("cases.dispute.no_who")
    if not text.strip():
        raise DisputeError("cases.dispute.no_text")
    for typed in (who, text):
        case_rules.check_text(typed)
    flat = sides[side]
    data = {
        "side": side,
        "unit": flat.get("unit", ""),
        "where": flat.get("where", ""),
        "owner_name": who.strip(),
        "relation": relation,
    }
    at = parse_when(when)
    return store.add_case_event(
        case.id, STATEMENT, text.strip(), by=by, data=stamp_late(data, at), at=at
    )


def log_referral(
    store: Any,
    case: Any,
    body: str,
    who: str,
    *,
    reference: str = "",
    outcome: str = "",
    when: str = "",
    by: str = "",
) -> Any:
    """Record that the residents' committee or the police station was brought in: when, who
    there took it, their reference number and the outcome (log it again when it changes)."""
    case = _dispute(store, case)
    if body not in BODIES:
        raise DisputeError("cases.dispute.bad_body", known=", ".join(BODIES))
    if not who.strip():
        raise DisputeError("cases.dispute.no_contact")
    for typed in (who, reference, outcome):
        case_rules.check_text(typed)
    data = {"body": body, "contact": who.strip(), "reference": reference.strip()}
    at = parse_when(when)
    return store.add_case_event(
        case.id, REFERRAL, outcome.strip(), by=by, data=stamp_late(data, at), at=at
    )


def _owners(index: Any, unit_id: str, today: Any) -> tuple[tuple[str, str], ...]:
    """(resident id, masked name) of each owner living in the flat now; the flat's own
    record of its owner, with no id, when the registry names none."""
    found = [
        (r.id, mask("name", r.name))
        for r in index.residents_of(unit_id)
        if r.role == "owner" and r.current(today) and r.name
    ]
    unit = index.unit(unit_id)
    if not found and unit is not None and unit.owner_name:
        found.append(("", mask("name", unit.owner_name)))
    return tuple(found)


def view(workspace: Any, case_id: str) -> DisputeView | None:
    """Both flats with their owners, both sides' statements (who spoke masked, as every name
    here, with whom to reveal) and the referrals, in time order; None when the case is not
    a dispute on this device."""
    from fieldkit.services.registry import index_for

    case = workspace.store.get_case(case_id)
    if case is None or case.kind != KIND:
        return None
    index = index_for(workspace)
    today = localtime.today()
    sides = []
    for key, flat in sorted(sides_of(case).items()):
        unit_id = flat.get("unit", "")
        target = workspace.places.by_id.get(unit_id)
        owners = _owners(index, unit_id, today)
        sides.append(
            Side(
                key=key,
                unit_id=unit_id,
                where=flat.get("where") or (target.code if target else unit_id[-6:]),
                building=flat.get("building") or (target.building if target else ""),
                name=target.name if target else {},
                owners=tuple(name for _, name in owners),
                owner_ids=tuple(rid for rid, _ in owners),
            )
        )
    statements, referrals = [], []
    # an owner who gave a statement is one person: revealed once, under the registry's id
    # (nc28: the owner's name shown in full beside their statement still masked, and the
    # name picker offering the same person twice)
    owner_of = {(side.key, name): rid for side in sides
                for rid, name in zip(side.owner_ids, side.owners, strict=False) if rid}  # fmt: skip
    first: dict[tuple[str, str], str] = {}  # (side, name) -> the first statement they gave
    for ev in case.events:
        data = ev.data or {}
        typed = case_rules.epoch(data.get(RECORDED_AT)) if data.get(RECORDED_AT) else 0.0
        typed = 0.0 if typed == float("inf") else typed
        if ev.type == STATEMENT:
            who = str(data.get("owner_name", "")).strip()
            side = str(data.get("side", ""))
            person = owner_of.get((side, who)) or (
                first.setdefault((side, who), speaker_id(case.id, ev.id)) if who else ""
            )
            statements.append(
                Statement(
                    id=ev.id,
                    side=side,
                    where=str(data.get("where", "")),
                    who=mask("name", who),
                    relation=str(data.get("relation", "owner")),
                    text=ev.text,
                    at=case_rules.epoch(ev.at),
                    by=ev.by,
                    recorded=typed,
                    person=person,
                )
            )
        elif ev.type == REFERRAL:
            referrals.append(
                Referral(
                    id=ev.id,
                    body=str(data.get("body", "")),
                    at=case_rules.epoch(ev.at),
                    who=str(data.get("contact", "")),
                    reference=str(data.get("reference", "")),
                    outcome=ev.text,
                    by=ev.by,
                    recorded=typed,
                )
            )
    statements.sort(key=lambda s: s.at)
    referrals.sort(key=lambda r: r.at)
    return DisputeView(case.id, tuple(sides), tuple(statements), tuple(referrals))


def for_unit(workspace: Any, unit_id: str, now: float | None = None) -> tuple[CaseRow, ...]:
    """Open disputes that name ``unit_id`` on either side, soonest due first: a flat's card
    lists the dispute whether it reported it or is the other side."""
    now = time.time() if now is None else now
    places = workspace.places
    found = [
        c
        for c in workspace.store.open_cases()
        if c.kind == KIND and any(f.get("unit") == unit_id for f in sides_of(c).values())
    ]
    found.sort(key=lambda c: c.due or "")
    return tuple(case_rules.entry(c.to_dict(), places).row(now) for c in found)
