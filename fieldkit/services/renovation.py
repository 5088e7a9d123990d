"""Renovation control after the permit: violations, rectification notices, re-inspection,
acceptance.

- A failed item of a renovation site patrol or permit check becomes a case of kind
  ``violation`` (:func:`case_kind`, used by ``Run.submit``). Its due time is the
  inspector's own "put right by" date (:data:`DEADLINE_ITEM`, the end of that day) where
  the round gives one, else the rectification deadline the checklist's ``on_fail`` sets.
- :func:`notice` writes the rectification notice (整改通知) for one or more violations in
  Chinese and English, ready to print or send. It gives ONE deadline, the earliest of its
  violations; :func:`send_notice` keeps it as a file under ``<data>/notices/``, then records
  it on each case and brings every listed case to that deadline, so the notice and the
  cases never disagree; an open case moves to "notice given".
- :func:`reinspect` on or after the deadline (on the deadline day itself for a whole-day
  deadline): rectified closes the violation; not rectified escalates it (critical, a new
  deadline, an ``escalated`` event). Before the deadline a not-rectified answer is refused:
  the owner still has time.
- Only the roles the lifecycle file lets move a violation may do these; any other device
  is told, in its language, which roles may.
- :func:`acceptance` reads the last submitted acceptance inspection of the unit: passed
  when it raised nothing and no violation is open; then the deposit can be returned, unless
  the inspector's ``deposit_decision`` was to withhold it (or none was taken).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any

from fieldkit.i18n import t
from fieldkit.i18n.roles import role_name, role_names
from fieldkit.services import cases as case_rules
from fieldkit.services import lifecycle
from fieldkit.services.registry import ACCEPTANCE, RegistryError, index_for, permit_in_force
from fieldkit.services.types import Text

VIOLATION_CHECKLISTS = frozenset({"renovation.site_patrol", "renovation.permit_check"})
ESCALATION_DAYS = 2  # a second deadline after an escalation
#: The date item in which the inspector sets the owner's deadline ("put right by").
DEADLINE_ITEM = "rectify_by"
_DAY_END = (23, 59)
#: A re-inspection that finds the violation put right is itself the verification, so it
#: walks the lifecycle to closed without a separate follow-up visit.
SKIPPED_ON_REINSPECTION = frozenset({"cancelled", "followed_up"})
NOTICES_DIR = "notices"


def case_kind(checklist_id: str) -> str:
    """The kind of case a failed item of this checklist raises."""
    return "violation" if checklist_id in VIOLATION_CHECKLISTS else "finding"


def _fmt(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(epoch))


def end_of_day(day: date) -> float:
    """A whole-day deadline: the last minute of ``day``, local time."""
    return datetime.combine(day, dt_time(*_DAY_END)).timestamp()


def whole_day(epoch: float) -> bool:
    moment = datetime.fromtimestamp(epoch)
    return (moment.hour, moment.minute) == _DAY_END


def deadline_text(epoch: float) -> str:
    """A deadline as the notice and the card write it: the date alone for a whole-day one."""
    if epoch == float("inf"):
        return "—"
    return time.strftime("%Y-%m-%d", time.localtime(epoch)) if whole_day(epoch) else _fmt(epoch)


def inspector_deadline(checklist_id: str, answers: dict[str, Any]) -> str | None:
    """The inspector's "put right by" date (``YYYY-MM-DD``) in a violation round's answers."""
    if checklist_id not in VIOLATION_CHECKLISTS:
        return None
    answer = answers.get(DEADLINE_ITEM)
    value = getattr(answer, "value", None)
    if isinstance(value, str):
        try:
            date.fromisoformat(value)
        except ValueError:
            return None
        return value
    return None


def check_deadline(checklist_id: str, item_id: str, value: Any, today: date) -> None:
    """Refuse a "put right by" date already past (the owner would be overdue at once)."""
    if checklist_id in VIOLATION_CHECKLISTS and item_id == DEADLINE_ITEM:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            return  # the runtime says what is wrong with it
        if day < today:
            raise RegistryError("renovation.refused.past_deadline", date=day.isoformat())


def due_at(text: str, now: float) -> float:
    """A proposed case's due: a duration (``24h``) from now, or a date's last minute."""
    try:
        return end_of_day(date.fromisoformat(text.strip()))
    except ValueError:
        return now + case_rules.due_seconds(text)


def _who_may(case: Any, rectified: bool | None) -> tuple[str, ...]:
    """The roles that may act on this violation: close it along its lifecycle
    (``rectified``), escalate or give a notice (any move from where it stands)."""
    life = lifecycle.for_kind(case.kind)
    roles = sorted({r for m in life.moves.values() for r in m.roles})
    if rectified:
        return tuple(r for r in roles if _path(life, case.status, r) is not None)
    return tuple(r for r in roles if life.next_states(case.status, r))


def _require(role: str, case: Any, rectified: bool | None, key: str) -> None:
    allowed = _who_may(case, rectified)
    if role not in allowed:
        raise RegistryError(key, role=role_name(role), roles=role_names(sorted(allowed)))


def _path(life: Any, status: str, role: str) -> list[str] | None:
    """The states a put-right violation walks through to closed, as ``role`` may move it
    (forward only, skipping the follow-up visit), or None when it cannot get there."""
    order = [state.id for state in life.states]
    path: list[str] = []
    while status != "closed":
        nexts = [
            s
            for s in life.next_states(status, role)
            if order.index(s) > order.index(status)
            and s not in SKIPPED_ON_REINSPECTION
            and not life.moves[(status, s)].reopen
        ]
        if not nexts:
            return None
        status = nexts[0]
        path.append(status)
    return path


def _violations(ws: Any, case_ids: list[str]) -> list[Any]:
    found = []
    for case_id in case_ids:
        case = ws.store.get_case(case_id)
        if case is None:
            raise RegistryError("registry.renovation.not_found")
        if case.kind != "violation":
            raise RegistryError("registry.renovation.not_violation")
        found.append(case)
    if not found:
        raise RegistryError("registry.renovation.not_found")
    if len({c.target.id for c in found}) > 1:
        raise RegistryError("registry.renovation.one_unit")
    return found


def notice(ws: Any, case_ids: list[str], now: float | None = None) -> Text:
    """The rectification notice for these violations (all on one unit), zh and en."""
    now = time.time() if now is None else now
    cases = _violations(ws, case_ids)
    target = ws.target(cases[0].target.id)
    index = index_for(ws)
    unit = index.unit(cases[0].target.id)
    site = index.sites.get(unit.site_id) if unit else None
    permit = permit_in_force(index, cases[0].target.id, datetime.fromtimestamp(now).date())
    deadline = min(case_rules.epoch(c.due) for c in cases)
    out: Text = {}
    for lang in ("zh", "en"):
        site_names = (site.extra.get("names") or {}) if site else {}
        site_name = site_names.get(lang) or (site.name if site else "")
        unit_name = (target.name.get(lang) if target else "") or cases[0].target.id
        items = "\n".join(
            t(
                "registry.notice.item",
                lang,
                n=n,
                title=(c.extra.get("titles") or {}).get(lang) or c.title,
            )
            for n, c in enumerate(cases, start=1)
        )
        out[lang] = t(
            "registry.notice.body",
            lang,
            site=site_name,
            unit=unit_name,
            inspected=_fmt(case_rules.epoch(cases[0].created_at)),
            items=items,
            deadline=deadline_text(deadline),
            permit=permit.number if permit and permit.number else "—",
            date=time.strftime("%Y-%m-%d", time.localtime(now)),
        )
    return out


def send_notice(ws: Any, case_ids: list[str], now: float | None = None) -> Path:
    """Keep the notice as a file (both languages) and note it on every case; the file is
    on disk before any case says it was sent. Each case then has the notice's one
    deadline, and an open one moves to "notice given"."""
    from fieldkit.store.atomic import atomic_write
    from fieldkit.store.modes import make_dir

    cases = _violations(ws, case_ids)
    role = ws.role  # read once: it comes from the credentials file
    for case in cases:
        _require(role, case, None, "renovation.refused.notice")
    deadline = min(case_rules.epoch(c.due) for c in cases)
    text = notice(ws, case_ids, now)
    folder = ws.data_dir / NOTICES_DIR
    make_dir(folder)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    path = folder / f"rectification-{stamp}-{case_ids[0][-6:]}.txt"
    atomic_write(path, f"{text['zh']}\n\n{text['en']}\n".encode())
    due = deadline_text(deadline)
    life = lifecycle.for_kind("violation")
    with ws.store.transaction():
        for case in cases:
            ws.store.add_case_event(
                case.id, "notice", text["zh"], by=ws.actor,
                data={"en": text["en"], "file": path.name},
            )  # fmt: skip
            if case.due and case_rules.epoch(case.due) != deadline:
                previous = deadline_text(case_rules.epoch(case.due))
                ws.store.update_case(case.id, by=ws.actor, due=case_rules.iso(deadline))
                ws.add_case_note(
                    case.id, t("renovation.deadline.moved", due=due, previous=previous)
                )
            if "assigned" in life.next_states(case.status, role):
                ws.move_case(case.id, "assigned", t("renovation.deadline.status_note", due=due))
    return path


@dataclass(frozen=True)
class Reinspection:
    case_id: str
    status: str  # closed | escalated
    due: float
    escalations: int


def reinspect(
    ws: Any, case_id: str, rectified: bool, note: str = "", now: float | None = None
) -> Reinspection:
    """Record a re-inspection of one violation: close it, or escalate it after its deadline."""
    now = time.time() if now is None else now
    (case,) = _violations(ws, [case_id])
    if case.status in case_rules.DONE:
        raise RegistryError("registry.renovation.already_closed")
    role = ws.role  # read once: it comes from the credentials file
    _require(role, case, rectified, "renovation.refused.reinspect")
    due = case_rules.epoch(case.due)
    store = ws.store
    escalations = sum(1 for e in case.events if e.type == "escalated")
    if rectified:
        # Along the lifecycle (the owner fixed it, the inspector verified it) in one write,
        # through the workspace so its case list sees each step.
        path = _path(lifecycle.for_kind(case.kind), case.status, role) or []
        with store.transaction():
            store.add_case_event(
                case_id, "reinspection", note, by=ws.actor, data={"rectified": True}
            )
            for status in path:
                ws.move_case(case_id, status, note or t("registry.renovation.rectified_note"))
        return Reinspection(case_id, "closed", due, escalations)
    starts = due
    if whole_day(due):  # re-inspected on the deadline day: the owner had that day
        starts = datetime.combine(datetime.fromtimestamp(due).date(), dt_time()).timestamp()
    if now < starts:
        raise RegistryError("registry.renovation.before_deadline", due=deadline_text(due))
    escalations += 1
    new_due = now + ESCALATION_DAYS * 86400
    if whole_day(due):
        new_due = end_of_day(datetime.fromtimestamp(now).date() + timedelta(ESCALATION_DAYS))
    with store.transaction():
        store.add_case_event(
            case_id,
            "escalated",
            note,
            by=ws.actor,
            data={"rectified": False, "level": escalations, "previous_due": case.due},
        )
        store.update_case(case_id, by=ws.actor, severity="critical", due=case_rules.iso(new_due))
        ws.add_case_note(
            case_id,
            t("registry.renovation.escalated_note", level=escalations, due=deadline_text(new_due)),
        )
    return Reinspection(case_id, "escalated", new_due, escalations)


@dataclass(frozen=True)
class Acceptance:
    inspection_id: str | None
    passed: bool
    deposit_returnable: bool
    open_violations: int
    problems: int  # cases the acceptance inspection raised
    decision: str | None = None  # the inspector's deposit_decision answer


def acceptance(ws: Any, unit_id: str) -> Acceptance:
    """The result of the unit's last submitted acceptance inspection, from the whole
    history (the unit card shows the same from its index of recent inspections)."""
    last = None
    for _, doc in ws.store.iter_records(["inspection"]):
        if (
            doc.get("status") == "submitted"
            and (doc.get("checklist") or {}).get("id") == ACCEPTANCE
            and (doc.get("target") or {}).get("id") == unit_id
            and (last is None or doc.get("submitted_at", "") > last.get("submitted_at", ""))
        ):
            last = doc
    open_violations = sum(
        1 for c in ws.store.open_cases() if c.kind == "violation" and c.target.id == unit_id
    )
    if last is None:
        return Acceptance(None, False, False, open_violations, 0)
    problems = len(last.get("cases") or ())
    passed = problems == 0 and open_violations == 0
    decision = ((last.get("answers") or {}).get("deposit_decision") or {}).get("value")
    returnable = passed and decision not in ("withhold", "no_deposit")
    return Acceptance(last["id"], passed, returnable, open_violations, problems, decision)
