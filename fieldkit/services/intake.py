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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fieldkit.checklists.lifecycle import URGENCIES, Lifecycles
from fieldkit.i18n import UserError
from fieldkit.model import DEPARTMENTS, Target
from fieldkit.services import lifecycle as lc
from fieldkit.services.cases import DONE, check_text

KINDS = ("repair", "complaint", "dispute")
CONTACTS = ("phone", "sms", "wechat", "visit", "none")
#: The severity a request taken at the desk starts with, by its urgency: the words must agree
#: (zh severity minor is 一般, as urgency normal is), so normal and low are minor.
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
    labels = dict(
        next(lb for c, lb in categories(request.kind, lifecycles) if c == request.category)
    )
    refs = [store.put_blob(Path(p), name=Path(p).name) for p in request.photos]
    case = store.create_case(
        request.kind,
        request.target,
        by=by,
        status=life.states[0].id,
        category=request.category,
        severity=SEVERITY[request.urgency],
        description=request.description.strip(),
        title=labels.get("zh") or request.category,
        due=_due(life, request.urgency, now),
        extra={
            "urgency": request.urgency,
            "contact": request.contact,
            "titles": labels,
            **({"building": request.building} if request.building else {}),
            **({"where": request.where} if request.where else {}),
            **({"dispute": _sides(request)} if request.kind == "dispute" else {}),
        },
    )
    for ref in refs:
        store.add_case_event(case.id, "photo", ref.name, by=by, attachments=[ref])
    return store.get_case(case.id) if refs else case


def _sides(request: Request) -> dict[str, dict[str, str]]:
    from fieldkit.services.disputes import side_record

    assert request.other is not None  # check() refused a dispute without it
    return {
        "a": side_record(request.target.id, request.where, request.building),
        "b": side_record(request.other.id, request.other_where, request.other_building),
    }


def _due(life: Any, urgency: str, now: datetime | None) -> str | None:
    span = life.urgency.get(urgency)
    if span is None:
        return None
    start = now or datetime.now(UTC)
    return (start + span).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
) -> Any:
    """Send the case to a department (and person); the due time follows its urgency from
    now. Moves the case along to the state reached by dispatching when it is not there yet;
    on a case already dispatched it is a reassignment, recorded as such."""
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
    due = _due(life, urgency, now) if urgency else None
    if due and case.due is None:
        changes["due"] = due
    if changes:
        case = store.update_case(case.id, by=by, **changes)
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


def assignees(store: Any, department: str, limit: int = 9) -> list[str]:
    """Names to offer when dispatching to ``department``: the office's staff list when the
    reference data has one (``staff`` records with ``name`` and ``department``), else the
    people this device last sent that department's cases to, most recent first."""
    names: list[str] = []
    for doc in store.reference_docs("staff"):
        name = str(doc.get("name") or "").strip()
        if name and doc.get("department") == department and name not in names:
            names.append(name)
    if names:
        return names[:limit]
    recent = sorted(
        (c for c in store.open_cases() if c.department == department and c.assignee),
        key=lambda c: max((e.at for e in c.events), default=c.created_at),
        reverse=True,
    )
    for case in recent:
        if case.assignee not in names:
            names.append(case.assignee)
    return names[:limit]
