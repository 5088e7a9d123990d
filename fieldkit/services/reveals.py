"""Revealing a resident's personal value — one field, for a reason, recorded first — and
the office's list of reveals.

Every screen shows residents masked. Who may reveal which field, and when, is data in the
model (:data:`fieldkit.model.personal.REVEAL_RULES`): the office any field, the service desk
a name or phone, the renovation inspector a name, the emergency coordinator a name or phone
of a resident whose flat is on the residents-to-help list of an incident still open on the
device. A reveal names the person signed in, the device's role, the field, the resident and
the flat, the reason (one of :data:`~fieldkit.model.reveal.REVEAL_REASONS`, or typed) and
the incident; it is on disk and queued for the office before the value is returned, and it
never holds the value itself.

A full export (``fieldkit export --full``) is recorded the same way, as one reveal of
:data:`~fieldkit.model.reveal.EXPORT_ITEM` naming the kinds exported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fieldkit.i18n import UserError, t
from fieldkit.i18n.roles import role_name, role_names
from fieldkit.model import new_id
from fieldkit.model.personal import (
    INCIDENT,
    ITEMS,
    is_masked,
    mask,
    reveal_rule,
    revealers,
)
from fieldkit.model.reveal import EXPORT_ITEM, REASON_MAX, REVEAL_REASONS, Reveal
from fieldkit.reports.reveals import (
    RevealRow,
    item_label,
    newest_first,
    row,
    since_utc,
)
from fieldkit.services.compound_clock import clock_of
from fieldkit.services.device_role import device_role
from fieldkit.services.registry import index_for

#: Who may list the reveals of every device (the office audits them).
AUDITOR = "office"


class RevealError(UserError, ValueError):
    """A reveal that cannot be made; ``key`` is the i18n message. ``role``, ``item`` and
    ``office`` are kept as ids and named in the language the message is read in; a message
    with ``{who}`` names the roles that may reveal ``item``."""

    def message(self, lang: str | None = None) -> str:
        params = dict(self.params)
        item = str(params.get("item", ""))
        if "role" in params:
            params["role"] = role_name(str(params["role"]), lang)
        if "office" in params:
            params["office"] = role_name(str(params["office"]), lang)
        if item:
            params["item"] = item_label(item, lang)
            params["who"] = who_may(item, lang)
        return t(self.key, lang, **params)


def who_may(item: str, lang: str | None = None) -> str:
    """The roles that may reveal ``item``, as one clause: 办公室、客服岗；应急岗仅限……"""
    rules = revealers(item)
    always = [role for role, when in rules.items() if when != INCIDENT]
    during = [role for role, when in rules.items() if when == INCIDENT]
    parts = []
    if always:
        parts.append(role_names(always, lang))
    if during:
        parts.append(t("reveals.who.incident", lang, roles=role_names(during, lang)))
    return t("reveals.who.sep", lang).join(parts)


@dataclass(frozen=True)
class Choice:
    """One field of a resident in the reveal dialog: masked, and what stops it being
    revealed now (None when nothing does; its message says who may)."""

    item: str
    masked: str
    obstacle: RevealError | None = None

    @property
    def allowed(self) -> bool:
        return self.obstacle is None


@dataclass(frozen=True)
class Choices:
    resident_id: str
    unit_code: str
    name: str  # masked
    role: str
    incident_id: str  # the open incident that lets the coordinator reveal; "" otherwise
    fields: tuple[Choice, ...]

    @property
    def any_allowed(self) -> bool:
        return any(c.allowed for c in self.fields)


def _on_case(store: Any, person_id: str) -> Any:
    """A person kept on a case rather than in the registry, or None: the caller
    (``caller:<case id>``, :mod:`fieldkit.services.callback`) or who gave a dispute's
    statement (``statement:<case id>:<event id>``, :mod:`fieldkit.services.disputes`)."""
    from fieldkit.services.callback import CALLER, caller_person
    from fieldkit.services.disputes import SPEAKER, speaker_person

    if person_id.startswith(CALLER):
        return caller_person(store, person_id)
    if person_id.startswith(SPEAKER):
        return speaker_person(store, person_id)
    return None


def _resident(ws: Any, resident_id: str) -> Any:
    """The resident, or a person kept on a case (:func:`_on_case`), revealed by the same
    rules as a resident's values."""
    resident = _on_case(ws.store, resident_id) or index_for(ws).resident(resident_id)
    if resident is None:
        raise RevealError("reveals.error.not_found")
    return resident


def _incident_listing(ws: Any, unit_id: str, incident_id: str = "") -> str:
    """The open incident whose residents-to-help list holds ``unit_id`` (``incident_id``
    first when given); "" when none does."""
    from fieldkit.services import incidents

    candidates = [i.id for i in incidents.open_incidents(ws)]
    if incident_id in candidates:
        candidates.remove(incident_id)
        candidates.insert(0, incident_id)
    for candidate in candidates:
        if any(p.unit_id == unit_id for p in incidents.people(ws, candidate)):
            return candidate
    return ""


def _obstacle(role: str, resident: Any, item: str, incident: str) -> RevealError | None:
    """What stops ``role`` revealing ``item`` of ``resident`` now (None: nothing)."""
    rule = reveal_rule(role, item)
    if rule is None:
        return RevealError("reveals.error.not_allowed", role=role, item=item)
    value = getattr(resident, item)
    if not value:
        return RevealError("reveals.error.empty", item=item)
    if is_masked(value):
        return RevealError("reveals.error.masked_by_office", role=role, item=item)
    if rule == INCIDENT and not incident:
        return RevealError("reveals.error.no_incident", role=role, item=item)
    return None


def choices(
    ws: Any, resident_id: str, incident_id: str = "", items: tuple[str, ...] = ITEMS
) -> Choices:
    """What the reveal dialog offers for one resident: each field of ``items`` masked, and
    whether this device's role may reveal it now. A purpose needing less offers less: a
    call back needs the phone number only, never the ID number."""
    resident = _resident(ws, resident_id)
    role = device_role(ws)
    needs_incident = any(reveal_rule(role, item) == INCIDENT for item in items)
    incident = _incident_listing(ws, resident.unit_id, incident_id) if needs_incident else ""
    fields = [
        Choice(item, mask(item, getattr(resident, item)), _obstacle(role, resident, item, incident))
        for item in items
    ]
    unit = index_for(ws).unit(resident.unit_id)
    return Choices(
        resident_id=resident.id,
        unit_code=(unit.label or unit.number) if unit is not None else "",
        name=mask("name", resident.name),
        role=role,
        incident_id=incident,
        fields=tuple(fields),
    )


def clean_reason(reason_code: str = "", reason: str = "") -> tuple[str, str]:
    """(code, typed text) of a reason: one of the common ones, or text typed (spaces
    collapsed, at most :data:`REASON_MAX` characters). RevealError when there is none."""
    if reason_code:
        if reason_code not in REVEAL_REASONS:
            raise RevealError("reveals.error.bad_reason", value=reason_code)
        return reason_code, ""
    text = " ".join(str(reason).split())
    if not text:
        raise RevealError("reveals.error.no_reason")
    if len(text) > REASON_MAX:
        raise RevealError("reveals.error.reason_too_long", limit=REASON_MAX)
    if any(not ch.isprintable() for ch in text):
        raise RevealError("reveals.error.reason_unprintable")
    return "", text


def _person(ws: Any) -> str:
    person = ws.actor
    if not person:
        raise RevealError("reveals.error.no_person")
    return person


def reveal(
    ws: Any,
    resident_id: str,
    item: str,
    *,
    reason_code: str = "",
    reason: str = "",
    incident_id: str = "",
) -> str:
    """The full value of one field of a resident, if this device's role may reveal it now.
    The reveal (who, role, field, resident, reason, incident, when) is on disk and queued
    for the office before the value is returned."""
    if item not in ITEMS:
        raise RevealError("reveals.error.not_personal", value=item)
    resident = _resident(ws, resident_id)
    role = device_role(ws)
    rule = reveal_rule(role, item)
    incident = _incident_listing(ws, resident.unit_id, incident_id) if rule == INCIDENT else ""
    obstacle = _obstacle(role, resident, item, incident)
    if obstacle is not None:
        raise obstacle
    code, text = clean_reason(reason_code, reason)
    by = _person(ws)
    unit = index_for(ws).unit(resident.unit_id)
    ws.store.log_reveal(
        Reveal(
            id=new_id(),
            resident_id=resident.id,
            item=item,
            role=role,
            unit_id=resident.unit_id,
            site_id=resident.site_id,
            by=by,
            reason=text,
            reason_code=code,
            incident_id=incident,
            unit_code=(unit.label or unit.number) if unit is not None else "",
        )
    )
    return getattr(resident, item)


def may_export_full(role: str) -> bool:
    """A full export (every personal value as stored) is the office's alone."""
    return role == AUDITOR


def log_export(ws: Any, kinds: list[str], reason: str) -> Reveal:
    """Record a full export before it is written: who, the kinds, the reason typed."""
    role = device_role(ws)
    if not may_export_full(role):
        raise RevealError("reveals.error.full_export", role=role, office=AUDITOR)
    _, text = clean_reason("", reason)
    record = Reveal(
        id=new_id(), resident_id="", item=EXPORT_ITEM, role=role, by=_person(ws), reason=text,
        extra={"kinds": sorted(kinds)},
    )  # fmt: skip
    return ws.store.log_reveal(record)


# -- the office's list --------------------------------------------------------------------

#: The periods the office's list can show: every reveal, today, the last 7 and 30 days
#: (today counted), as the list's ``d`` key offers them.
PERIODS = ("", "today", "7", "30")


def period_since(ws: Any, period: str, now: float) -> str:
    """The first day (``YYYY-MM-DD``, the compound's day) of ``period`` (:data:`PERIODS`);
    "" for every reveal."""
    from datetime import timedelta

    from fieldkit.services.equipment import today

    if not period:
        return ""
    days = 1 if period == "today" else int(period)
    return (today(ws, now) - timedelta(days=days - 1)).isoformat()


def listing(ws: Any, since: str = "") -> list[RevealRow]:
    """Every reveal this device holds (its own and, on the office's, every device's after
    sync), newest first; ``since`` a ``YYYY-MM-DD`` day. The office's alone."""
    role = device_role(ws)
    if role != AUDITOR:
        raise RevealError("reveals.error.list_office", role=role, office=AUDITOR)
    try:
        start = since_utc(since, clock_of(ws.store).tz) if since else ""
    except ValueError:
        raise RevealError("reveals.error.bad_since", value=since) from None
    index = index_for(ws)
    rows = []
    for _, doc in ws.store.iter_records(["reveal"]):
        who = str(doc.get("resident_id") or "")
        resident = index.resident(who) or _on_case(ws.store, who)
        unit = index.unit(str(doc.get("unit_id") or ""))
        rows.append(
            row(
                doc,
                resident.name if resident is not None else "",
                (unit.label or unit.number) if unit is not None else "",
            )
        )
    return newest_first(rows, start)
