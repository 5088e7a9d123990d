"""Taking a repair, complaint or neighbour dispute at the desk, by phone or on a walk, and
dispatching it. A dispute names a second flat (``Request.other``): the case is on the flat
that reported it and lists both (see :mod:`fieldkit.services.disputes`).

The categories and the due time by urgency come from the lifecycle file (see
docs/cases.md), so the office adjusts them in one place. A new case starts in its kind's
first state; :func:`dispatch` names the department (and person), sets the due time from the
urgency, and makes the kind's move that needs a department (repair: accepted → dispatched;
complaint: registered → investigating, after a received complaint is registered). A change
of department or assignee is recorded as a field event on the case: that is the
reassignment record.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fieldkit.checklists.lifecycle import URGENCIES, Lifecycles
from fieldkit.i18n import UserError
from fieldkit.model import DEPARTMENTS, Target
from fieldkit.reports.trends_text import cells
from fieldkit.services import lifecycle as lc
from fieldkit.services.cases import DONE, check_text

KINDS = ("repair", "complaint", "dispute")
CONTACTS = ("phone", "sms", "wechat", "visit", "none")
#: How bad a case is, read from how soon the owner needs it (docs/cases.md, "Urgency and
#: severity"): a case wanted right away is critical, one wanted today major, the rest minor.
SEVERITY = {"urgent": "critical", "high": "major", "normal": "minor", "low": "minor"}


class IntakeError(UserError, ValueError):
    """Input the desk must correct; ``key`` is the i18n message."""


@dataclass(frozen=True)
class Request:
    kind: str
    target: Target
    category: str
    description: str
    urgency: str = "normal"
    contact: str = "phone"
    photos: Sequence[Path] = ()
    building: str = ""
    where: str = ""
    other: Target | None = None  # a dispute's other flat
    other_building: str = ""
    other_where: str = ""
    # who called, when not the owner (a tenant, a relative): kept on the case, optional
    caller_name: str = ""
    caller_phone: str = ""


def categories(kind: str, lifecycles: Lifecycles | None = None) -> tuple[tuple[str, dict], ...]:
    """(id, {zh, en}) for each category the desk may pick for ``kind``, in the file's order."""
    return tuple((c.id, c.label) for c in lc.for_kind(kind, lifecycles).categories)


def check(request: Request, lifecycles: Lifecycles | None = None) -> None:
    if request.kind not in KINDS:
        raise IntakeError("lifecycle.intake.kind", kind=request.kind)
    known = [c for c, _ in categories(request.kind, lifecycles)]
    if request.category not in known:
        raise IntakeError(
            "lifecycle.intake.category", category=request.category, known=", ".join(known)
        )
    if request.kind == "dispute":
        if request.other is None or request.other.kind != "unit":
            raise IntakeError("cases.intake.other_unit")
        if request.other.id == request.target.id:
            raise IntakeError("cases.intake.same_unit")
    if not request.description.strip():
        raise IntakeError("lifecycle.intake.description")
    check_text(request.description)
    if request.urgency not in URGENCIES:
        raise IntakeError("lifecycle.intake.urgency", known=", ".join(URGENCIES))
    if request.contact not in CONTACTS:
        raise IntakeError("lifecycle.intake.contact", known=", ".join(CONTACTS))
    for photo in request.photos:
        if not Path(photo).is_file():
            raise IntakeError("lifecycle.intake.photo", path=str(photo))
    caller(request)


def caller(request: Request) -> dict[str, str]:
    """The caller to keep on the case ({"name", "phone"}, cleaned), {} when none was given;
    a phone that is not a mainland mobile or landline, or a name too long, is refused
    (:class:`fieldkit.services.callback.CallerError`)."""
    from fieldkit.services.callback import clean_name, clean_phone

    name, phone = clean_name(request.caller_name), clean_phone(request.caller_phone)
    return {"name": name, "phone": phone} if name or phone else {}


def take(
    store: Any,
    request: Request,
    *,
    by: str = "",
    now: datetime | None = None,
    lifecycles: Lifecycles | None = None,
) -> Any:
    """Check the request and save it as a new case (photos first, so nothing points at a
    missing file); the due time is set from the urgency straight away."""
    check(request, lifecycles)
    life = lc.for_kind(request.kind, lifecycles)
    refs = [store.put_blob(Path(p), name=Path(p).name) for p in request.photos]
    title = short_title(request.description)
    case = store.create_case(
        request.kind,
        request.target,
        by=by,
        status=life.states[0].id,
        category=request.category,
        severity=SEVERITY[request.urgency],
        description=request.description.strip(),
        title=title,
        due=_due(store, life, request.urgency, now),
        extra={
            "urgency": request.urgency,
            "contact": request.contact,
            "titles": {"zh": title, "en": title},  # the owner's words, as typed
            **({"building": request.building} if request.building else {}),
            **({"where": request.where} if request.where else {}),
            **({"dispute": _sides(request)} if request.kind == "dispute" else {}),
            **({"caller": found} if (found := caller(request)) else {}),
        },
    )
    for ref in refs:
        store.add_case_event(case.id, "photo", ref.name, by=by, attachments=[ref])
    return store.get_case(case.id) if refs else case


def due_words(
    kind: str,
    urgency: str,
    lang: str | None = None,
    lifecycles: Lifecycles | None = None,
    taken: datetime | None = None,
) -> str:
    """How soon a case of ``urgency`` taken at ``taken`` (now) is due, from the lifecycle
    file: 今天之内 (明天 12:00 前 in the evening: ``KindLifecycle.due``), 2 小时内, within 3
    days; "" when the file gives it no due time."""
    from fieldkit.checklists.lifecycle_rules import NEXT_MORNING_DUE
    from fieldkit.i18n import plural, t

    life = lc.for_kind(kind, lifecycles)
    if urgency in life.same_day:
        if too_late_today(kind, urgency, taken, lifecycles):
            return t("desk.due.next_morning", lang, time=f"{NEXT_MORNING_DUE:%H:%M}")
        return t("desk.due.today", lang)
    span = life.urgency.get(urgency)
    if span is None:
        return ""
    hours = round(span.total_seconds() / 3600)
    if hours < 24 or hours % 24:
        return plural("desk.due.hours", max(1, hours), lang, count=max(1, hours))
    return plural("desk.due.days", hours // 24, lang, count=hours // 24)


def too_late_today(
    kind: str,
    urgency: str,
    taken: datetime | None = None,
    lifecycles: Lifecycles | None = None,
) -> bool:
    """Whether a same-day urgency taken at ``taken`` (now) is due the next morning: from
    18:00 "today" cannot be kept (``KindLifecycle.due``)."""
    from fieldkit.checklists.lifecycle_rules import evening
    from fieldkit.model import localtime

    if urgency not in lc.for_kind(kind, lifecycles).same_day:
        return False
    return evening((taken or datetime.now(UTC)).astimezone(localtime.zone()))


#: (kind, category) of the calls whose urgency starts at "urgent": Enter on the urgency
#: step keeps it (nc31 filed a gas smell as routine with one Enter under its safety line).
URGENT_FIRST = frozenset({("repair", "gas")})


def first_urgency(kind: str, category: str) -> str:
    """The urgency the intake offers on Enter for a call of ``kind`` and ``category``."""
    return "urgent" if (kind, category) in URGENT_FIRST else "normal"


def urgency_words(
    kind: str,
    urgency: str,
    lang: str | None = None,
    lifecycles: Lifecycles | None = None,
    taken: datetime | None = None,
) -> str:
    """The urgency as the desk reads it: 当天处理, or 尽快处理 when the case was taken too
    late for today (it is due the next morning, and "today" would be a promise not kept)."""
    return _urgency_label(urgency, too_late_today(kind, urgency, taken, lifecycles), lang)


def case_urgency_words(kind: str, urgency: str, due: float, lang: str | None = None) -> str:
    """A taken case's urgency as :func:`urgency_words` says it, read from its due time: a
    same-day case due at noon (taken in the evening, or dispatched then) reads 尽快处理."""
    from fieldkit.checklists.lifecycle_rules import NEXT_MORNING_DUE
    from fieldkit.model import localtime

    late = False
    if urgency in lc.for_kind(kind).same_day and math.isfinite(due):
        at = datetime.fromtimestamp(due, localtime.zone())
        late = (at.hour, at.minute) == (NEXT_MORNING_DUE.hour, NEXT_MORNING_DUE.minute)
    return _urgency_label(urgency, late, lang)


def _urgency_label(urgency: str, too_late: bool, lang: str | None) -> str:
    """当天处理 and the like, or 尽快处理 for a same-day case due the next morning."""
    from fieldkit.i18n import t

    return t("desk.urgency_evening.label" if too_late else f"desk.urgency.{urgency}", lang)


#: The most terminal columns of what the owner said a case's title keeps (lists, the
#: handover): 20 汉字 or 40 letters.
TITLE_MAX = 40
_SENTENCE_END = re.compile(r"[。！？!?\n]|\.(?:\s|$)")


def short_title(description: str) -> str:
    """A case's title from what the owner said: its first sentence, cut to
    :data:`TITLE_MAX` columns with "…" — the words the desk will recognise in a list
    (the category is kept apart, for counting)."""
    text = " ".join(description.split())
    end = _SENTENCE_END.search(text)
    first = text[: end.start()].strip() if end and end.start() > 0 else text
    if cells(first) <= TITLE_MAX:
        return first
    while cells(first) > TITLE_MAX - 1:
        first = first[:-1]
    return first.rstrip() + "…"


#: A second call about a case already open (the leak again) is kept on it as an event of
#: this type: what they said, and who called (``caller``, ``phone``: the keys the model
#: masks in a call, ``Event.PERSONAL_DATA``). An older device reads it as a call.
CALL = "call"


@dataclass(frozen=True)
class Same:
    """An unfinished case on the flat for the same problem, as intake names it."""

    id: str
    ref: str
    kind: str
    title: dict[str, str]  # in each language, as the case list shows it
    created: float
    status: str


def open_same(store: Any, unit_id: str, category: str) -> tuple[Same, ...]:
    """The unfinished cases on flat ``unit_id`` of ``category``, newest first: a second
    call about the same leak belongs on the case already open, not on a new one."""
    from fieldkit.services.cases import epoch

    found = [c for c in store.open_cases(unit_id) if c.category == category]
    found.sort(key=lambda c: c.created_at, reverse=True)
    return tuple(
        Same(c.id, c.id[-6:], c.kind, (c.extra or {}).get("titles") or {"zh": c.title},
             epoch(c.created_at), c.status)
        for c in found
    )  # fmt: skip


def add_call(
    store: Any,
    case_id: str,
    description: str,
    *,
    caller_name: str = "",
    caller_phone: str = "",
    photos: Sequence[Path] = (),
    by: str = "",
) -> Any:
    """Keep a second call about ``case_id`` on it: what the caller said, who called (when
    not the owner) and the photos, each an event; the case itself is not changed. Refused,
    with nothing saved, when the case was finished meanwhile or the call cannot be kept."""
    from fieldkit.services.callback import clean_name, clean_phone

    case = store.get_case(case_id)
    if case is None:
        raise IntakeError("services.case.not_found")
    if case.status in DONE:
        raise IntakeError("desk.same.finished", ref=case_id[-6:])
    if not description.strip():
        raise IntakeError("lifecycle.intake.description")
    check_text(description)
    name, phone = clean_name(caller_name), clean_phone(caller_phone)
    for photo in photos:
        if not Path(photo).is_file():
            raise IntakeError("lifecycle.intake.photo", path=str(photo))
    refs = [store.put_blob(Path(p), name=Path(p).name) for p in photos]
    data = {k: v for k, v in (("caller", name), ("phone", phone)) if v}
    event = store.add_case_event(case_id, CALL, description.strip(), by=by, data=data)
    for ref in refs:
        store.add_case_event(case_id, "photo", ref.name, by=by, attachments=[ref])
    return event


def _sides(request: Request) -> dict[str, dict[str, str]]:
    from fieldkit.services.disputes import side_record

    assert request.other is not None  # check() refused a dispute without it
    return {
        "a": side_record(request.target.id, request.where, request.building),
        "b": side_record(request.other.id, request.other_where, request.other_building),
    }


def _due(store: Any, life: Any, urgency: str, now: datetime | None) -> str | None:
    """When the case is due from ``now``: the urgency's span, or the end of the compound's
    day for one due ``today`` (a repair wanted today is due tonight, not in 24 hours)."""
    from fieldkit.services.compound_clock import clock_of

    taken = (now or datetime.now(UTC)).astimezone(clock_of(store).tz)
    due = life.due(urgency, taken)
    return due.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if due is not None else None


def due_again(
    store: Any, case: Any, lifecycles: Lifecycles | None = None, now: datetime | None = None
) -> str | None:
    """A reopened case's new deadline: from ``now`` by its urgency, by the rules intake set
    its first one with; None for a case taken with no urgency (a patrol's finding)."""
    urgency = (case.extra or {}).get("urgency")
    if urgency not in URGENCIES:
        return None
    return _due(store, lc.for_kind(case.kind, lifecycles), urgency, now)


def dispatch(
    store: Any,
    case: Any,
    department: str,
    role: str,
    *,
    assignee: str = "",
    by: str = "",
    now: datetime | None = None,
    lifecycles: Lifecycles | None = None,
    remember: bool = True,
) -> Any:
    """Send the case to a department (and person); the due time follows its urgency from
    now. Moves the case along to the state reached by dispatching when it is not there yet;
    on a case already dispatched it is a reassignment, recorded as such. ``remember``: a
    device keeps the names it sent work to (:func:`remember_assignee`); the office console,
    which has no device state, passes False."""
    if isinstance(case, str):
        case = store.get_case(case)
        if case is None:
            raise lc.MoveRefused("lifecycle.refused.no_case")
    if department not in DEPARTMENTS:
        raise IntakeError("lifecycle.intake.department", known=", ".join(DEPARTMENTS))
    life = lc.for_kind(case.kind, lifecycles)
    if case.status in DONE:  # a closed case is history: nobody is sent to it any more
        raise IntakeError("desk.dispatch.finished", status=lc.status_label(case.kind, case.status))
    _may_dispatch(life, case, role)
    changes: dict[str, Any] = {}
    if case.department != department:
        changes["department"] = department
    if case.assignee != assignee:
        changes["assignee"] = assignee
    urgency = (case.extra or {}).get("urgency")
    due = _due(store, life, urgency, now) if urgency else None
    if due and case.due is None:
        changes["due"] = due
    if changes and not remember:
        case = store.update_case(case.id, by=by, **changes)
    elif changes:
        with store.transaction():
            case = store.update_case(case.id, by=by, **changes)
            if "assignee" in changes and not store.reference_docs("staff"):
                remember_assignee(store, department, assignee)
    for _ in range(len(life.states)):
        step = [
            m
            for (src, _to), m in life.moves.items()
            if src == case.status and not m.reopen and role in m.roles
            and ("department" in m.needs or (src == life.states[0].id and not m.needs))
        ]  # fmt: skip
        if not step:
            break
        case = lc.move(store, case, step[0].to, role, by=by, lifecycles=lifecycles)
        if "department" in step[0].needs:
            break
    return case


def _may_dispatch(life: Any, case: Any, role: str) -> None:
    """A role that may make none of the kind's dispatching moves may not name who does the
    work either (a patrol device cannot send a repair to engineering)."""
    sending = [m for m in life.moves.values() if "department" in m.needs and not m.reopen]
    if not sending or any(role in m.roles for m in sending):
        return
    from fieldkit.i18n import get_language
    from fieldkit.i18n.roles import role_name, role_names

    lang = get_language()
    raise lc.MoveRefused(
        "lifecycle.refused.role",
        role=role_name(role, lang),
        wanted=life.label(sending[0].to, lang),
        roles=role_names({r for m in sending for r in m.roles}, lang),
    )


#: Device state key: each department's people this device offered or sent work to, in the
#: order they first appeared — a person keeps their number from one dispatch to the next.
ASSIGNEES = "assignees"


def assignees(store: Any, department: str, limit: int = 9) -> list[str]:
    """Names to offer when dispatching to ``department``, numbered in a stable order: the
    office's staff list when the reference data has one (``staff`` records with ``name`` and
    ``department``), else the people this device has sent that department's work to, in the
    order each first appeared (kept in the device state), then those on open cases not yet
    among them, oldest case first. A new name comes last, so the numbers a clerk has seen
    stay the same."""
    names: list[str] = []
    for doc in store.reference_docs("staff"):
        name = str(doc.get("name") or "").strip()
        if name and doc.get("department") == department and name not in names:
            names.append(name)
    if names:
        return names[:limit]
    kept = (store.device_state().get(ASSIGNEES) or {}).get(department) or []
    names = [str(n) for n in kept if isinstance(n, str) and n]
    on_cases = sorted(
        (c for c in store.open_cases() if c.department == department and c.assignee),
        key=lambda c: (c.created_at, c.id),
    )
    for case in on_cases:
        if case.assignee not in names:
            names.append(case.assignee)
    return names[:limit]


def remember_assignee(store: Any, department: str, person: str) -> None:
    """Keep the names offered for ``department`` in the order they had, ``person`` added at
    the end when new: the next dispatch numbers everyone as this one did."""
    names = assignees(store, department, limit=10_000)
    if person and person not in names:
        names.append(person)
    kept = dict(store.device_state().get(ASSIGNEES) or {})
    if kept.get(department) != names:
        kept[department] = names[:50]  # bounded: a department's people, not a history
        store.set_device_state(**{ASSIGNEES: kept})
