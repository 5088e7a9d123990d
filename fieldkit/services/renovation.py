"""Renovation control after the permit: violations, rectification notices, re-inspection,
acceptance.

- A failed item of a renovation site patrol or permit check becomes a case of kind
  ``violation`` (:func:`case_kind`, used by ``Run.submit``): the owner's fault, a line of
  the owner's notice. Its due time is the inspector's own "put right by" date
  (:data:`DEADLINE_ITEM`, the end of that day: 24:00) where the round gives one, else the
  rectification deadline the checklist's ``on_fail`` sets. A failure that is the site's to
  handle, not the owner's to put right (:data:`SITE_FINDINGS`: work that could not be
  stopped, for security to attend) is a patrol finding instead, on its own due time.
- :func:`notice` writes the rectification notice (整改通知书) for one or more violations in
  Chinese and English, ready to print or send: each fault and what to do to put it right,
  ONE deadline (the earliest of its violations) as a date and time an owner cannot misread
  ("2026年12月9日（星期三）24:00 前"), the inspector's name and phone, and lines for the
  office's seal and the owner's signature; :func:`send_notice` keeps it as a file under
  ``<data>/notices/``, then records it on each case and brings every listed case to that
  deadline, so the notice and the cases never disagree; an open case moves to "notice
  given".
- :func:`reinspect` on or after the deadline (on the deadline day itself for a whole-day
  deadline): rectified closes the violation; not rectified escalates it (critical, a new
  deadline, an ``escalated`` event). Before the deadline a not-rectified answer is refused:
  the owner still has time.
- Only the roles the lifecycle file lets move a violation may do these; any other device
  is told, in its language, which roles may.
- :func:`acceptance` reads the last submitted acceptance inspection of the unit: passed
  when it found nothing wrong and no violation is open. The deposit goes as the inspector
  decided (:data:`DEPOSIT_ITEM`): in full only on a pass, less a deduction (an amount in
  yuan no larger than the deposit held, :func:`check_deduction`) when no violation is
  open, held back for a re-inspection, or none was taken. :func:`deposit_refusal` says
  before the submit why a decision cannot stand, so the card never contradicts it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fieldkit.i18n import get_language, known, plural, t
from fieldkit.i18n.roles import role_name, role_names
from fieldkit.model import localtime
from fieldkit.reports import dates
from fieldkit.services import cases as case_rules
from fieldkit.services import lifecycle
from fieldkit.services.findings import OpenCase
from fieldkit.services.registry import ACCEPTANCE, RegistryError, index_for, permit_in_force
from fieldkit.services.types import Text, pick

VIOLATION_CHECKLISTS = frozenset({"renovation.site_patrol", "renovation.permit_check"})
ESCALATION_DAYS = 2  # a second deadline after an escalation
#: The date item in which the inspector sets the owner's deadline ("put right by").
DEADLINE_ITEM = "rectify_by"
#: Items of a violation round whose failure is not the owner's to put right but the site's
#: to handle (security sent to stop the work): a patrol finding, not a line of the notice.
SITE_FINDINGS = frozenset({"work_stopped"})
#: The acceptance's deposit decision and the amount deducted (yuan).
DEPOSIT_ITEM = "deposit_decision"
DEDUCTION_ITEM = "deduction"
DEDUCTION_REASON_ITEM = "deduction_reason"
REINSPECT_ON_ITEM = "reinspect_on"
#: A re-inspection that finds the violation put right is itself the verification, so it
#: walks the lifecycle to closed without a separate follow-up visit.
SKIPPED_ON_REINSPECTION = frozenset({"cancelled", "followed_up"})
NOTICES_DIR = "notices"
#: A permit's contractor when the owner does the work with their own workers (no firm).
SELF_MANAGED = "自行装修"
#: Faults whose remedy begins "stop at once" (承重结构, 燃气管道): while one is open the
#: flat's work is stopped (责令停工), whatever the permitted hours say, until it is put right.
STOP_WORK = frozenset({"load_bearing", "gas_pipes"})
#: Severities whose violation is put right only with a photo of the site as it now is.
PHOTO_TO_CLOSE = frozenset({"major", "critical"})


def case_kind(checklist_id: str, item_id: str = "") -> str:
    """The kind of case a failed item of this checklist raises: the owner's violation, or a
    patrol finding (any other checklist, or an item of :data:`SITE_FINDINGS`)."""
    if checklist_id in VIOLATION_CHECKLISTS and item_id not in SITE_FINDINGS:
        return "violation"
    return "finding"


def end_of_day(day: date) -> float:
    """A whole-day deadline: the end of ``day`` (24:00, the next midnight) on the
    compound's clocks."""
    return localtime.epoch(day + timedelta(days=1))


def whole_day(epoch: float) -> bool:
    moment = localtime.local(epoch)
    return moment is not None and (moment.hour, moment.minute, moment.second) == (0, 0, 0)


def deadline_day(epoch: float) -> date:
    """The day a deadline falls on: a whole-day one (24:00) is its day's end."""
    moment = localtime.local(epoch)
    assert moment is not None
    return (moment - timedelta(seconds=1)).date() if whole_day(epoch) else moment.date()


def deadline_text(epoch: float) -> str:
    """A deadline as the card and the case write it: "2026-12-09 24:00" for a whole day."""
    return localtime.fmt(epoch, "due")


def deadline_words(epoch: float, lang: str) -> str:
    """A deadline as the owner's notice writes it, so it cannot be misread:
    "2026年12月9日（星期三）24:00 前" / "by 24:00 (midnight) on Wednesday 9 December 2026"."""
    day = deadline_day(epoch)
    moment = localtime.local(epoch)
    assert moment is not None
    key = "deadline_day_end" if whole_day(epoch) else "deadline"
    return t(
        f"renovation.notice.{key}", lang, date=dates.full_date(day, lang),
        weekday=t(f"renovation.weekday.{day.isoweekday()}", lang), time=f"{moment:%H:%M}",
    )  # fmt: skip


def held_until(checklist_id: str, answers: dict[str, Any]) -> str | None:
    """The re-inspection date an acceptance gave a deposit held back (``YYYY-MM-DD``): the
    held deposit's case is due then, not in the checklist's week (nc33)."""
    if checklist_id != ACCEPTANCE:
        return None
    value = getattr(answers.get(REINSPECT_ON_ITEM), "value", None)
    try:
        return date.fromisoformat(str(value)).isoformat() if value else None
    except ValueError:
        return None


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


#: How many days (to the end of the day, counted from today) an owner may be given to put a
#: violation right, by its kind: (fewest, most, the deadline when the inspector gives none).
#: A load-bearing repair needs a qualified firm's design and the housing authority's (住建)
#: approval before any work; the outer face a restoration to the approved drawings; gas pipes
#: the gas company; waterproofing a relaid layer and a 24–48 h water test (REFERENCE.md).
#: What can be put right at once (debris, a pass, noisy hours) gets days, not weeks.
RECTIFY_DAYS: dict[str, tuple[int, int, int]] = {
    "load_bearing": (15, 60, 30),
    "outer_face": (7, 30, 15),
    "gas_pipes": (3, 15, 7),
    "waterproof_kept": (3, 15, 7),
    "wiring": (3, 15, 7),
    "activities": (3, 30, 7),  # work beyond the permit: stop it, apply for the rest
    "permit_valid": (1, 7, 3),
    "extinguisher_on_site": (0, 1, 0),
    "noise_hours": (0, 3, 1),
    "debris": (0, 1, 0),  # cleared at once: by 24:00 today, tomorrow at the latest
    "unregistered_workers": (0, 3, 1),
    "common_protection": (0, 3, 1),
}
OTHER_DAYS = (1, 15, 3)  # an item not listed above


def fault_deadline(
    item_id: str, typed: str | None, today: date, permit_end: date | None = None
) -> str | None:
    """The put-right date of one fault of a round whose inspector typed ``typed`` for all of
    them: that date held within what this kind of fault may be given — no later than its
    most days (debris with a load-bearing wall's 30 days, nc32) or the permit's last day,
    no sooner than its fewest (work beyond the permit with debris's one day). Its own
    bounds, so each case passes :func:`check_deadline` for its own kind; a later date
    typed never gives a sooner one (nc35)."""
    if not typed:
        return typed
    fewest, most, _ = RECTIFY_DAYS.get(item_id.split("@")[0], OTHER_DAYS)
    low, high = today + timedelta(days=fewest), today + timedelta(days=most)
    if permit_end is not None:
        high = max(low, min(high, permit_end))  # a permit ending sooner: extend it (the hint)
    return min(max(date.fromisoformat(typed), low), high).isoformat()


@dataclass(frozen=True)
class RectifyBounds:
    """The put-right deadline a round's violations allow: one notice, one deadline, so the
    most demanding fault sets it (its fewest days, its most, its default)."""

    fewest: int
    most: int
    default: int
    items: tuple[str, ...]  # the fault that sets the fewest days first


def rectify_bounds(item_ids: list[str]) -> RectifyBounds | None:
    """The bounds for these failed items' violations; None when none is the owner's."""
    owners = [i for i in dict.fromkeys(i.split("@")[0] for i in item_ids)
              if i not in SITE_FINDINGS]  # fmt: skip
    if not owners:
        return None
    days = {i: RECTIFY_DAYS.get(i, OTHER_DAYS) for i in owners}
    first = sorted(owners, key=lambda i: (-days[i][0], -days[i][1]))
    return RectifyBounds(max(d[0] for d in days.values()), max(d[1] for d in days.values()),
                         max(d[2] for d in days.values()), tuple(first))  # fmt: skip


@dataclass(frozen=True)
class DeadlineLimits:
    """The put-right dates a round allows, as days: its faults' own (:func:`rectify_bounds`)
    and the permit's. The work is put right while the permit runs, so its last day is the
    latest; when a fault needs longer than the permit has left (``extend``) the fewest days
    the fault needs is the one date, and the owner must have the permit extended (办理延期)."""

    first: date
    last: date
    offered: date
    items: tuple[str, ...]
    fewest: int  # days to ``first``
    permit_end: date | None = None  # set when the permit's end moved the last date
    extend: bool = False


def deadline_limits(
    item_ids: list[str], today: date, permit_end: date | None = None
) -> DeadlineLimits | None:
    """The dates a round's failed items allow, from ``today``; None when none is the owner's."""
    bounds = rectify_bounds(item_ids)
    if bounds is None:
        return None
    first, last, offered = (today + timedelta(days=d)
                            for d in (bounds.fewest, bounds.most, bounds.default))  # fmt: skip
    items, fewest = bounds.items, bounds.fewest
    if permit_end is None or permit_end >= last:
        return DeadlineLimits(first, last, offered, items, fewest)
    if permit_end >= first:
        offered = min(offered, permit_end)
        return DeadlineLimits(first, permit_end, offered, items, fewest, permit_end)
    return DeadlineLimits(first, first, first, items, fewest, permit_end, extend=True)


def _why(limits: DeadlineLimits, lang: str | None = None) -> str:
    """The fault that sets the fewest days, in words ("承重结构的整改须先出具加固方案…")."""
    first = limits.items[0]
    return known(f"renovation.rectify.{first}", "", lang) or t("renovation.rectify.other", lang)


def deadline_hint(
    limits: DeadlineLimits, lang: str | None = None, labels: dict[str, str] | None = None
) -> str:
    """The line under the "put right by" box: the dates allowed, and the permit's end where it
    sets the last one or comes before the fewest days a fault needs; then, for each fault
    (``labels``: item id → its name) that may have fewer days than the last date allowed,
    the date it gets instead of a later one (:func:`fault_deadline`)."""
    if limits.extend:
        return t("renovation.deadline.hint_extend", lang, why=_why(limits, lang),
                 days=limits.fewest, first=limits.first.isoformat(),
                 end=limits.permit_end.isoformat())  # fmt: skip
    key = "hint_permit" if limits.permit_end else "hint"
    lines = [t(f"renovation.deadline.{key}", lang, first=limits.first.isoformat(),
               last=limits.last.isoformat())]  # fmt: skip
    today = limits.first - timedelta(days=limits.fewest)
    for item, label in (labels or {}).items():
        most = RECTIFY_DAYS.get(item.split("@")[0], OTHER_DAYS)[1]
        if today + timedelta(days=most) < limits.last:
            own = (today + timedelta(days=most)).isoformat()
            lines.append(plural("renovation.deadline.own", most, lang, fault=label, most=most,
                                own=own))  # fmt: skip
    return "\n".join(lines)


def check_deadline(
    checklist_id: str,
    item_id: str,
    value: Any,
    today: date,
    failed: list[Any] = (),
    permit_end: date | None = None,
) -> None:
    """Refuse a "put right by" date already past (the owner would be overdue at once), one
    too soon or too late for the round's violations (``failed``: their steps' items,
    :func:`rectify_bounds`), or one after the permit's last day (:func:`deadline_limits`),
    saying which fault or the permit sets the limit and the date that would do."""
    if checklist_id not in VIOLATION_CHECKLISTS or item_id != DEADLINE_ITEM:
        return
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return  # the runtime says what is wrong with it
    if day < today:
        raise RegistryError("renovation.refused.past_deadline", date=day.isoformat())
    limits = deadline_limits([getattr(i, "id", i) for i in failed], today, permit_end)
    if limits is None or limits.first <= day <= limits.last:
        return
    soon = day < limits.first
    limit = limits.first if soon else limits.last
    params = dict(date=day.isoformat(), days=(limit - today).days, limit=limit.isoformat(),
                  why=_why(limits))  # fmt: skip
    if limits.extend:
        raise RegistryError("renovation.refused.deadline_extend", **params,
                            end=limits.permit_end.isoformat())  # fmt: skip
    if not soon and limits.permit_end is not None:
        raise RegistryError("renovation.refused.deadline_after_permit", **params,
                            end=limits.permit_end.isoformat())  # fmt: skip
    key = "too_soon" if soon else "too_late"
    raise RegistryError(f"renovation.refused.deadline_{key}", **params)


def permit_last_day(ws: Any, checklist_id: str, target: Any) -> date | None:
    """The last day of the permit in force on a violation round's flat, None for none."""
    if checklist_id not in VIOLATION_CHECKLISTS or getattr(target, "kind", "") != "unit":
        return None
    permit = permit_in_force(index_for(ws), target.id, localtime.today())
    return date.fromisoformat(permit.end) if permit is not None else None


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


def photo_file(text: str) -> Path:
    """The photo a person named by its path, refused (in their language) when no file is
    there: asked while the form is still open, and again when the re-inspection is saved."""
    path = Path(text.strip()).expanduser()
    if not path.is_file():
        raise RegistryError("services.run.no_photo", path=str(path), field="photo")
    return path


def check_put_right(severity: str, note: str, photo: bool, on_case: bool = False) -> None:
    """The one rule for recording a violation as put right, from the card's ``y`` and from
    the case's own move alike: the inspector always says what they found, and a major or
    critical violation also needs a photo of the site as put right (given with the
    re-inspection, or added to the case first: ``on_case``). The refusal names the form's
    field it is about (``field``)."""
    if not note.strip():
        raise RegistryError("renovation.refused.put_right.note", field="note")
    check_put_right_photo(severity, photo, on_case)


def check_put_right_photo(severity: str, photo: bool, on_case: bool = False) -> None:
    """The photo half of :func:`check_put_right`, asked on the case before its note is."""
    if severity in PHOTO_TO_CLOSE and not photo:
        key = "photo_case" if on_case else "photo"
        severity = t(f"ui.severity.{severity}")
        raise RegistryError(f"renovation.refused.put_right.{key}", field="photo", severity=severity)


def photo_added(case: Any) -> bool:
    """Whether a photo was added to the case after it was raised (``p`` on the case): the
    photos of the fault that came with the round are its first event, not counted."""
    events = list(case.events)
    if case.source_inspection and events and events[0].type == "photo":
        events = events[1:]
    return any(e.type == "photo" and e.attachments for e in events)


#: What each kind of approved work (the permit's scope, as the office writes it) lets be
#: done on site, by the site patrol's "work going on today" options. Work beyond it needs
#: a new application (REFERENCE.md): the patrol's review raises it. A scope not listed
#: here is not judged.
SCOPE_ALLOWS: dict[str, frozenset[str]] = {
    "水电改造": frozenset({"drilling", "electrical"}),
    "厨卫翻新": frozenset({"demolition", "drilling", "electrical", "waterproofing", "tiling",
                        "finishing"}),
    "墙面刷漆": frozenset({"finishing"}),
    "铺地板": frozenset({"tiling", "finishing"}),
    "全屋装修": frozenset({"demolition", "drilling", "hot_work", "electrical", "waterproofing",
                        "tiling", "finishing"}),
    "阳台封窗（不改结构）": frozenset({"drilling", "hot_work", "finishing"}),
    "更换门窗": frozenset({"demolition", "drilling", "finishing"}),
}  # fmt: skip
ACTIVITIES_ITEM = "activities"
NO_WORK = "idle"
BEYOND_SCOPE = "beyond_scope"


def approved_scope(ws: Any, checklist_id: str, target: Any) -> tuple[str, ...]:
    """The permit's approved work on a site patrol's flat today, () for another round."""
    if checklist_id != "renovation.site_patrol" or target.kind != "unit":
        return ()
    today = localtime.local(time.time()).date()
    permit = permit_in_force(index_for(ws), target.id, today)
    return tuple(permit.scope) if permit is not None else ()


def _with_stop_answer(run: Any, found: dict) -> None:
    """Whether the work was stopped on the spot, on the work-beyond-scope finding too: the
    round asks it once, under the fault that made it ask, and nc32's notice said "stopped
    on the spot" under the wall but not under the demolition beyond the permit."""
    from fieldkit.checklists.wording import answer_words

    step = next((s for s in run.steps() if s.item.id == STOPPED[0]), None)
    chosen = run.value(step) if step is not None else None
    remarks = found.setdefault("remarks", [])
    if chosen != STOPPED[1] or any(r.get("item") == STOPPED[0] for r in remarks):
        return  # as findings.evidence: a failing answer (劝阻无效) is no remark
    said = {lang: answer_words(step.item, chosen, lang) for lang in ("zh", "en")}
    remarks.append({"label": step.item.label.to_dict(), "item": step.item.id, "value": chosen,
                    "text": said})  # fmt: skip


def beyond_scope(run: Any, deadline: str | None) -> Any:
    """The violation a site patrol raises when today's work goes beyond the permit's
    approved scope ("批准的施工内容：墙面刷漆、铺地板", work going on: demolition): a
    proposed case on the "work going on today" item, for the review to show; None when
    the work is within it, no permit is in force, or the scope is one not judged here."""
    from fieldkit.services import findings
    from fieldkit.services.runs import ProposedCase

    if run.checklist.id != "renovation.site_patrol":
        return None
    step = next((s for s in run.steps() if s.item.id == ACTIVITIES_ITEM), None)
    doing = run.value(step) if step is not None else None
    approved = run.approved_scope
    if not isinstance(doing, list) or not approved:
        return None
    if any(scope not in SCOPE_ALLOWS for scope in approved):
        return None
    allowed = frozenset().union(*(SCOPE_ALLOWS[scope] for scope in approved))
    outside = [a for a in doing if a != NO_WORK and a not in allowed]
    if not outside:
        return None
    options = {o.id: o.label for o in step.item.options}
    found = findings.evidence(run, step)
    titles = {}
    for lang in ("zh", "en"):
        sep = t("checklists.words.list_sep", lang)
        work = sep.join(_in_sentence(options[a].get(lang), lang) for a in outside)
        scope = sep.join(known(f"registry.scope.{x}", x, lang) for x in approved)
        titles[lang] = t("renovation.scope.beyond", lang, work=work, scope=scope)
    # the remedy is the catalogue's remedy.activities.beyond_scope; what was beyond it stays
    found.update(wording=titles, value=BEYOND_SCOPE, outside=outside)
    _with_stop_answer(run, found)
    return ProposedCase(
        step_key=step.key, title=titles, target=run.target, department="customer_service",
        severity="major",
        due=fault_deadline(ACTIVITIES_ITEM, deadline, localtime.today(), run.permit_end) or "24h",
        evidence=found,
        photos=findings.photos(run, step), description=findings.description(found),
    )  # fmt: skip


def _in_sentence(label: str, lang: str) -> str:
    """An option's label inside a sentence: "demolition", not "Demolition" (nc35)."""
    return label[:1].lower() + label[1:] if lang == "en" else label


def stops_work(case: Any) -> bool:
    """Whether this open violation stops the flat's work (:data:`STOP_WORK`)."""
    item = str(((case.extra or {}).get("finding") or {}).get("item") or "").split("@")[0]
    return case.kind == "violation" and item in STOP_WORK and case.status not in case_rules.DONE


#: The event a violation (or a patrol finding) gets when a later round finds it again while
#: it is open: a re-inspection that found it not put right. An event on the one case, not a
#: second case (the owner's violation keeps its first date and deadline, and its notice says
#: it was found again); its data holds the round's finding, its text says it in words for
#: any device that does not know the event (shown as an entry with its text).
FOUND_AGAIN = "found_again"


def violation_item(case: Any) -> str:
    """The checklist item that raised a violation (its kind of fault): ``wiring``."""
    return str(((case.extra or {}).get("finding") or {}).get("item") or "").split("@")[0]


def open_by_item(ws: Any, checklist_id: str, target: Any) -> dict[str, OpenCase]:
    """A violation round's flat's open violations by the item that raised each (the first
    found where there are two); {} for any other round."""
    if checklist_id not in VIOLATION_CHECKLISTS or getattr(target, "kind", "") != "unit":
        return {}
    out: dict[str, OpenCase] = {}
    for case in sorted(open_violations_of(ws, target.id), key=lambda c: c.created_at):
        item = violation_item(case)
        if item and case.due:
            since = case_rules.epoch(case.created_at)
            out.setdefault(item, OpenCase(case.id, since, case_rules.epoch(case.due)))
    return out


def again_words(again: OpenCase, lang: str | None = None) -> str:
    """What the round's review says of a fault already open on the flat (a violation) or on
    the same equipment (a patrol finding)."""
    return t(f"{_again_words(again)}.review", lang, ref=again.ref, due=deadline_text(again.due),
             since=localtime.fmt(again.since, "date"))  # fmt: skip


def _owners(checklist_id: str, proposed: list[Any]) -> list[Any]:
    """The proposed cases that are the owner's violations (not a site finding)."""
    return [
        c
        for c in proposed
        if case_kind(checklist_id, str(c.evidence.get("item") or "")) == "violation"
    ]


def kept_deadlines(checklist_id: str, proposed: list[Any], now: float) -> list[OpenCase]:
    """The open violations a round's owner faults are all found again on, each with its
    deadline still to come: the round keeps those deadlines (:func:`found_again`), so it
    asks for none of its own. [] when any owner fault is new, or a deadline has passed."""
    owners = _owners(checklist_id, proposed)
    if not owners or not all(keeps(c.again, now) for c in owners):
        return []
    return list({c.again.id: c.again for c in owners}.values())


def kept_words(kept: list[OpenCase], lang: str | None = None) -> str:
    """Where the deadline is asked, when the round keeps the open violations' own:
    "沿用原整改期限 2026-12-11 24:00（工单 #ea005c）"."""
    return "\n".join(
        t("renovation.deadline.kept", lang, due=deadline_text(v.due), ref=v.ref) for v in kept
    )


def keeps(again: OpenCase | None, now: float) -> bool:
    """Whether a fault found again keeps its open case's deadline: a violation's while it is
    still to come (once it has passed, the round's own is the new one: :func:`found_again`);
    a patrol finding's always (the department's, overdue or not)."""
    return again is not None and (again.kind != "violation" or again.due > now)


def _again_words(again: OpenCase) -> str:
    """The catalogue a fault found again is said from: a violation is "not put right", a
    patrol finding "still there"."""
    return "renovation.again" if again.kind == "violation" else "findings.again"


def again_done(again: OpenCase, lang: str | None = None) -> str:
    """What the toast says once the submit has added the finding to its open case."""
    return t(f"{_again_words(again)}.done", lang, ref=again.ref)


def deadline_note(
    checklist_id: str, answers: dict[str, Any], proposed: list[Any], now: float,
    lang: str | None = None,
) -> str:  # fmt: skip
    """What the review says of the deadline the inspector typed when some faults keep an
    open violation's own: that it is not used at all, or used only for the new ones."""
    typed = inspector_deadline(checklist_id, answers)
    owners = _owners(checklist_id, proposed)
    kept = [c for c in owners if keeps(c.again, now)]
    if not typed or not kept:
        return ""
    key = "mixed" if len(kept) < len(owners) else "unused"
    return t(f"renovation.deadline.{key}", lang, date=typed)


def found_again(
    ws: Any, again: OpenCase, proposed: Any, inspection_id: str, due: float, now: float
) -> Any:
    """Add a round's finding to the open case it found again (in the caller's transaction):
    the finding and its photos on a :data:`FOUND_AGAIN` event, with the deadline the case
    had then. A violation keeps that deadline while it is still to come (the notice gave
    the owner until then); once it has passed, the round's own (``due``) is the new one. A
    patrol finding keeps its own. None when the case was closed meanwhile (the round then
    raises its own case)."""
    case = ws.store.get_case(again.id)
    if case is None or case.status in case_rules.DONE or not case.due:
        return None
    store, by = ws.store, ws.actor
    had = case_rules.epoch(case.due)
    text = t(f"{_again_words(again)}.event", title=pick(proposed.title),
             since=localtime.fmt(again.since, "date"), due=deadline_text(had))  # fmt: skip
    note = proposed.description.strip()
    store.add_case_event(
        case.id, FOUND_AGAIN, f"{text} — {note}" if note else text, by=by,
        data={"inspection": inspection_id, "finding": proposed.evidence, "rectified": False,
              "due": case.due},
        attachments=list(proposed.photos),
    )  # fmt: skip
    if again.kind == "violation" and now >= had and due > now:
        store.update_case(case.id, by=by, due=case_rules.iso(due))
        moved = t("renovation.deadline.moved_again", due=deadline_text(due),
                  previous=deadline_text(had))  # fmt: skip
        store.add_case_event(case.id, "note", moved, by=by)
    return store.get_case(case.id)


def _last_found(case: Any) -> float:
    """When this violation was last found on site: the re-inspection that found it not put
    right, the last round that found it again, else the one that raised it (the notice's
    "inspected on")."""
    again = [case_rules.epoch(e.at) for e in _found_again(case)]
    rechecked = [case_rules.epoch(e.at) for e in _escalations(case)]
    return max([case_rules.epoch(case.created_at), *again, *rechecked])


def _escalations(case: Any) -> list[Any]:
    return [e for e in case.events if e.type == "escalated"]


def _escalated(case: Any, lang: str) -> str:
    """A line under a fault a re-inspection found not put right: when, the deadline it had,
    and which notice about it this one is — nc32's second notice read as the first."""
    events = _escalations(case)
    if not events:
        return ""
    last = events[-1]
    had = (last.data or {}).get("previous_due") or case.due
    sent = sum(1 for e in case.events if e.type == "notice" and (e.data or {}).get("file"))
    key = "escalated_notice" if sent and not _found_again(case) else "escalated"
    nth = known(f"renovation.notice.nth.{sent + 1}", str(sent + 1), lang)
    on = dates.full_date(localtime.local(case_rules.epoch(last.at)), lang)
    return "\n" + t(f"renovation.notice.{key}", lang, on=on, nth=nth,
                     due=deadline_words(case_rules.epoch(had), lang))  # fmt: skip


def _found_again(case: Any) -> list[Any]:
    """A violation's :data:`FOUND_AGAIN` events, oldest first."""
    return [e for e in case.events if e.type == FOUND_AGAIN]


def _again(case: Any, lang: str) -> str:
    """A line under a fault found again while it was open: when it was first found, the
    deadline it had then, and which notice about it this one is (第二次 from the second)."""
    events = _found_again(case)
    if not events:
        return ""
    had = (events[0].data or {}).get("due") or case.due
    sent = sum(1 for e in case.events if e.type == "notice" and (e.data or {}).get("file"))
    first = dates.full_date(localtime.local(case_rules.epoch(case.created_at)), lang)
    key = "again_notice" if sent else "again"
    nth = known(f"renovation.notice.nth.{sent + 1}", str(sent + 1), lang)
    return "\n" + t(f"renovation.notice.{key}", lang, first=first, nth=nth,
                     due=deadline_words(case_rules.epoch(had), lang))  # fmt: skip


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


def remedy(case: Any, lang: str) -> str:
    """What the owner must do to put a violation right: the renovation catalogue's words
    for the item (and the failing answer of a choice) that raised it, else the general
    rule of the renovation agreement."""
    found = (case.extra or {}).get("finding") or {}
    item, value = str(found.get("item") or ""), found.get("value")
    keys = [f"renovation.remedy.{item}.{value}"] if isinstance(value, str) else []
    for key in (*keys, f"renovation.remedy.{item}"):
        words = known(key, "", lang)
        if words:
            return words
    return t("renovation.remedy.general", lang)


def _inspector(ws: Any, lang: str) -> tuple[str, str]:
    """Who signs the notice and how the owner reaches them: the person signed in and their
    phone, else the service centre's number from the site record."""
    from fieldkit.services.notices import compound_name

    person = ws.person
    phone = person.phone
    if not phone:
        sites = ws.store.reference("site")
        extra = sites[0].extra if sites and isinstance(sites[0].extra, dict) else {}
        phone = str(extra.get("hotline") or "")
    office = t("renovation.notice.office", lang, site=compound_name(ws.store, lang))
    return person.name or office, phone or "—"


def _findings(case: Any) -> list[dict]:
    """What the rounds found of this violation: the one that raised it, then each that
    found it again while it was open (:data:`FOUND_AGAIN`)."""
    out = [(case.extra or {}).get("finding") or {}]
    out += [(e.data or {}).get("finding") or {} for e in _found_again(case)]
    return [f for f in out if isinstance(f, dict)]


def _last_notice_at(case: Any) -> float | None:
    """When the last notice about this violation was written; None before the first."""
    sent = [case_rules.epoch(e.at) for e in case.events
            if e.type == "notice" and (e.data or {}).get("file")]  # fmt: skip
    return max(sent) if sent else None


def _findings_since_notice(case: Any) -> list[dict]:
    """The findings a new notice quotes: all of them before the first notice; after one,
    only the rounds since (the owner has the earlier notes on the earlier notice, nc33)."""
    since = _last_notice_at(case)
    if since is None:
        return _findings(case)
    later = [(e.data or {}).get("finding") for e in _found_again(case)
             if case_rules.epoch(e.at) > since]  # fmt: skip
    return [f for f in later if isinstance(f, dict)]


def _seen(case: Any, lang: str) -> str:
    """What the inspector noted on the item, as a line under the fault (the owner reads
    what exactly was found, not only the rule): quoted as typed, in whatever language it
    was typed, and labelled so; each round's note where it was found again. A later notice
    quotes what was noted since the last one, the re-inspection's note among it."""
    found = _findings_since_notice(case)
    notes = dict.fromkeys(str(f.get("note") or "").strip() for f in found)
    out = "".join("\n" + t("renovation.notice.seen", lang, note=n) for n in notes if n)
    since = _last_notice_at(case)
    for event in _escalations(case):
        if (since is None or case_rules.epoch(event.at) > since) and event.text.strip():
            out += "\n" + t("renovation.notice.seen_reinspection", lang, note=event.text.strip())
    return out


def remarks(cases: list[Any]) -> list[str]:
    """The remarks the inspector typed in the rounds that found these violations (the
    round's closing 备注, a text the checklist asked for about a fault), each once: the
    findings keep them, and the notice quotes them under its faults, where the owner reads
    (a later notice: only the rounds' since the last one)."""
    out: dict[str, None] = {}
    for case in cases:
        for found in _findings_since_notice(case):
            for remark in found.get("remarks") or ():
                text = remark.get("text") if isinstance(remark, dict) else None
                if isinstance(text, str) and text.strip():
                    out[text.strip()] = None
    return list(out)


#: The site patrol's answer that the violating work was stopped on the spot: not a pass,
#: a state of the violation, kept on its case as a remark (:mod:`fieldkit.services.findings`).
STOPPED = ("work_stopped", "stopped")


def stopped_on_site(case: Any) -> bool:
    """Whether the round that last found this violation stopped its work on the spot."""
    found = (_findings(case) or [{}])[-1]
    return any(isinstance(r, dict) and (r.get("item"), r.get("value")) == STOPPED
               for r in found.get("remarks") or ())  # fmt: skip


#: The site patrol's answer that the violating work went on against the inspector's word.
NOT_STOPPED = ("work_stopped", "not_stopped")


def refused_on_site(store: Any, case: Any) -> bool:
    """Whether the round that last found this violation found the work going on against the
    inspector's word (劝阻无效): its answer, read from the round itself, which security's
    finding came from."""
    found = (_findings(case) or [{}])[-1]
    source = str(found.get("inspection") or case.source_inspection or "")
    if not source:
        return False
    inspection = store.get_inspection(source)
    answer = inspection.answers.get(NOT_STOPPED[0]) if inspection is not None else None
    return answer is not None and answer.value == NOT_STOPPED[1]


def _stopped(store: Any, case: Any, lang: str) -> str:
    """A line under a fault saying what was done on site: stopped on the spot (the work
    stays stopped until it is put right), or they would not stop and security has it."""
    if stopped_on_site(case):
        return "\n" + t("renovation.notice.stopped", lang)
    if refused_on_site(store, case):
        return "\n" + t("renovation.notice.refused", lang)
    return ""


def _fault(case: Any, lang: str) -> str:
    """A fault as the owner reads it: the catalogue's sentence for the item where it has
    one (a count written into it: "现场有 2 名施工人员未办出入证"), else the case's title."""
    found = (case.extra or {}).get("finding") or {}
    item, value = str(found.get("item") or "").split("@")[0], found.get("value")
    if isinstance(value, int | float) and not isinstance(value, bool):
        one = "_one" if value == 1 else ""
        said = known(f"renovation.fault.{item}{one}", "", lang)
        if said:
            return said.format(value=f"{value:g}")
    return (case.extra.get("titles") or {}).get(lang) or case.title


def contractor_name(name: str, lang: str | None = None) -> str:
    """The permit's contractor as a reader of ``lang`` reads it: a firm's name as written;
    "自行装修" (the owner's own workers, no firm) in their words."""
    return known(f"renovation.contractor.{name}", name, lang) if name else ""


def notice_number(ws: Any, now: float) -> str:
    """The number the office quotes for a notice (整改〔2026〕第 3F2A-0007 号): the year,
    this device's tag (its id's last four characters, so two devices never clash) and
    the count of this device's notices that year. Called on the one saver thread, each
    number is taken once its file is written."""
    year = localtime.local(now).year
    folder = ws.data_dir / NOTICES_DIR
    made = len(list(folder.glob(f"rectification-{year}*.txt"))) if folder.is_dir() else 0
    return f"{ws.store.device_id[-4:].upper()}-{made + 1:04d}"


def notice(ws: Any, case_ids: list[str], now: float | None = None, number: str = "") -> Text:
    """The rectification notice for these violations (all on one unit), zh and en: its
    number, the faults and how to put each right, their deadline (each fault's own under it
    when they differ, earliest first: debris tomorrow, the wall in 30 days), who inspected
    and how to reach them, and lines for the seal and the owner's signature. Each half is in its own
    language but for what is not ours to translate: a person's one real name, and what
    the inspector typed, quoted as written under a label that says so."""
    now = time.time() if now is None else now
    number = number or notice_number(ws, now)  # the number it would be given now
    cases = sorted(_violations(ws, case_ids), key=lambda c: case_rules.epoch(c.due))
    target = ws.target(cases[0].target.id)
    index = index_for(ws)
    unit = index.unit(cases[0].target.id)
    site = index.site(unit.site_id) if unit else None
    permit = permit_in_force(index, cases[0].target.id, localtime.local(now).date())
    due = {c.id: case_rules.epoch(c.due) for c in cases}
    deadline, last = min(due.values()), max(due.values())
    inspected = max(_last_found(c) for c in cases)
    out: Text = {}
    for lang in ("zh", "en"):
        site_names = (site.extra.get("names") or {}) if site else {}
        site_name = site_names.get(lang) or (site.name if site else "")
        unit_name = (target.name.get(lang) if target else "") or cases[0].target.id
        items = "\n".join(
            t("renovation.notice.item", lang, n=n, title=_fault(c, lang), remedy=remedy(c, lang))
            + ("\n" + t("renovation.notice.by", lang, due=deadline_words(due[c.id], lang))
               if deadline != last else "")
            + _again(c, lang) + _escalated(c, lang) + _stopped(ws.store, c, lang)
            + _seen(c, lang)
            for n, c in enumerate(cases, start=1)
        )  # fmt: skip
        said = remarks(cases)
        if said:
            items += "\n\n" + "\n".join(t("renovation.notice.remarks", lang, note=r) for r in said)
        if permit is not None and deadline_day(last) > date.fromisoformat(permit.end):
            ends = dates.full_date(date.fromisoformat(permit.end), lang)
            items += "\n\n" + t("renovation.notice.extend", lang, end=ends)
        own = permit is not None and permit.contractor == SELF_MANAGED
        firm = contractor_name(permit.contractor, lang) if permit is not None and not own else ""
        to = (t("renovation.notice.to.named", lang, contractor=firm) if firm
              else t(f"renovation.notice.to.{'owner' if own else 'both'}", lang))  # fmt: skip
        who, phone = _inspector(ws, lang)
        out[lang] = t(
            "renovation.notice.body", lang, site=site_name, unit=unit_name,
            inspected=dates.full_time(localtime.local(inspected), lang), items=items,
            put_right=t("renovation.notice.put_right_each", lang) if deadline != last else
            t("renovation.notice.put_right", lang, deadline=deadline_words(deadline, lang),
              these=plural("renovation.notice.these", len(cases), lang)),
            permit=permit.number if permit and permit.number else "—",
            inspector=who, phone=phone, date=dates.full_date(localtime.local(now), lang),
            to=to,
            number=t("renovation.notice.ref.line", lang, year=localtime.local(now).year,
                     number=number),
        )  # fmt: skip
    return out


def notice_document(text: str, lang: str, office: str) -> Any:
    """One language's notice as a page to print (:func:`fieldkit.reports.pdf.to_pdf`): its
    title and number at the top, each fault a paragraph of its own, then the rest as
    written — the same words as the text file, laid out for paper (nc33 had only a text
    file with both languages in it to print)."""
    import re

    from fieldkit.reports.document import Document, Para

    lines = text.splitlines()
    title, number = lines[0].strip(), lines[1].strip()
    blocks = []
    for part in "\n".join(lines[2:]).strip().split("\n\n"):
        if re.match(r"\s+\d+\. ", part):  # the faults, each with its lines under it
            items = re.split(r"\n(?=\s+\d+\. )", part)
            blocks += [Para("\n".join(x.strip() for x in item.splitlines()), letter=True)
                       for item in items]  # fmt: skip
        else:
            blocks.append(Para("\n".join(x.strip() for x in part.splitlines()), letter=True))
    return Document(title=title, lang=lang, header=f"{office} · {title}", footer="",
                    blocks=tuple(blocks), subtitle=number)  # fmt: skip


def printable(path: Path, lang: str) -> Path:
    """The PDF of a notice kept at ``path`` (its text file) in ``lang``."""
    return path.with_name(f"{path.stem}-{lang}.pdf")


def send_notice(ws: Any, case_ids: list[str], now: float | None = None) -> Path:
    """Keep the notice as a file (both languages), and a PDF page in each to print
    (:func:`printable`), and note it on every case; the files are on disk before any case
    says it was sent. Each case keeps its own deadline, which the
    notice states, and an open one moves to "notice given"."""
    from fieldkit.reports.fonts import FontsMissing
    from fieldkit.reports.pdf import to_pdf
    from fieldkit.services.notices import compound_name
    from fieldkit.store.atomic import atomic_write
    from fieldkit.store.modes import make_dir

    cases = _violations(ws, case_ids)
    role = ws.role  # read once: it comes from the credentials file
    for case in cases:
        _require(role, case, None, "renovation.refused.notice")
    now = time.time() if now is None else now
    number = notice_number(ws, now)
    text = notice(ws, case_ids, now, number)
    folder = ws.data_dir / NOTICES_DIR
    make_dir(folder)
    stamp = localtime.fmt(now, "stamp")
    path = folder / f"rectification-{stamp}-{number}.txt"  # one file per number
    first = get_language()  # the inspector's language first; the other for an owner who needs it
    second = "en" if first == "zh" else "zh"
    atomic_write(path, f"{text[first]}\n\n{text[second]}\n".encode())
    for lang in (first, second):  # a page each to print; without the fonts, the text only
        office = t("renovation.notice.office", lang, site=compound_name(ws.store, lang))
        try:
            atomic_write(printable(path, lang), to_pdf(notice_document(text[lang], lang, office)))
        except FontsMissing:
            break
    life = lifecycle.for_kind("violation")
    store, by = ws.store, ws.actor
    with store.transaction():
        for case in cases:
            deadline = case_rules.epoch(case.due)
            store.add_case_event(
                case.id, "notice", text["zh"], by=by,
                data={"en": text["en"], "file": path.name, "due": case_rules.iso(deadline),
                      "number": number},
            )  # fmt: skip
            if "assigned" in life.next_states(case.status, role):
                note = t("renovation.deadline.status_note", due=deadline_text(deadline))
                _move(ws, case.id, "assigned", note, role, by)
    return path


def _move(ws: Any, case_id: str, status: str, note: str, role: str, by: str) -> None:
    """One step along the lifecycle inside the caller's transaction: the store and the
    lifecycle file only (the caller read ``role`` and ``by`` before it took the store)."""
    case = ws.store.get_case(case_id)
    lifecycle.move(ws.store, case, status, role, note=note, by=by, lifecycles=ws.lifecycles)


@dataclass(frozen=True)
class Reinspection:
    case_id: str
    status: str  # closed | escalated
    due: float
    escalations: int


def check_may_escalate(due: float, now: float | None = None) -> None:
    """ "Not put right" only once the deadline has passed: the notice gives the owner until
    then (24:00 of a day). Asked before the inspector writes a note, and again on saving."""
    now = time.time() if now is None else now
    if now < due:
        raise RegistryError("registry.renovation.before_deadline", due=deadline_text(due))


def escalation_days(case: Any) -> int:
    """Days a violation not put right is given again: :data:`ESCALATION_DAYS`, or the fewest
    its kind needs (:data:`RECTIFY_DAYS`) — a load-bearing wall cannot be restored in two
    days, as the round itself had said when it asked for 15 (nc32)."""
    item = str(((case.extra or {}).get("finding") or {}).get("item") or "")
    bounds = rectify_bounds([item]) if item else None
    return max(ESCALATION_DAYS, bounds.fewest if bounds else 0)


def reinspect(
    ws: Any,
    case_id: str,
    rectified: bool,
    note: str = "",
    now: float | None = None,
    photo: str = "",
) -> Reinspection:
    """Record a re-inspection of one violation, with the inspector's note and a photo if
    given: put right closes it; not put right escalates it once its deadline has passed
    (until then the owner still has time, as the notice told them, and the refusal says so)."""
    now = time.time() if now is None else now
    (case,) = _violations(ws, [case_id])
    if case.status in case_rules.DONE:
        raise RegistryError("registry.renovation.already_closed")
    role = ws.role  # read once: it comes from the credentials file
    _require(role, case, rectified, "renovation.refused.reinspect")
    note = case_rules.check_text(note.strip())
    due = case_rules.epoch(case.due)
    if rectified:
        check_put_right(case.severity, note, bool(photo.strip()) or photo_added(case))
    else:
        check_may_escalate(due, now)
    attachments = []
    if photo.strip():
        path = photo_file(photo)
        attachments = [ws.store.put_blob(path, name=path.name)]  # on disk before any record
    store, by = ws.store, ws.actor
    escalations = sum(1 for e in case.events if e.type == "escalated")
    if rectified:
        # Along the lifecycle (the owner fixed it, the inspector verified it) in one write.
        path_to_closed = _path(lifecycle.for_kind(case.kind), case.status, role) or []
        with store.transaction():
            store.add_case_event(
                case_id, "reinspection", note, by=by, data={"rectified": True},
                attachments=attachments,
            )  # fmt: skip
            for status in path_to_closed:
                _move(
                    ws, case_id, status, note or t("registry.renovation.rectified_note"), role, by
                )
        return Reinspection(case_id, "closed", due, escalations)
    escalations += 1
    days = escalation_days(case)
    new_due = now + days * 86400
    if whole_day(due):
        new_due = end_of_day(localtime.local(now).date() + timedelta(days))
    with store.transaction():
        store.add_case_event(
            case_id, "escalated", note, by=by,
            data={"rectified": False, "level": escalations, "previous_due": case.due},
            attachments=attachments,
        )  # fmt: skip
        store.update_case(case_id, by=by, severity="critical", due=case_rules.iso(new_due))
        escalated = t("registry.renovation.escalated_note", level=escalations,
                      due=deadline_text(new_due))  # fmt: skip
        store.add_case_event(case_id, "note", escalated, by=by)
    return Reinspection(case_id, "escalated", new_due, escalations)


@dataclass(frozen=True)
class Acceptance:
    inspection_id: str | None
    passed: bool
    deposit_returnable: bool
    open_violations: int
    problems: int  # faults the acceptance inspection found (the deposit's own hold aside)
    decision: str | None = None  # the inspector's deposit_decision answer
    deduction: float | None = None  # yuan, when returned less deductions
    reason: str = ""  # why money is deducted or held, as the inspector wrote it
    reinspect_on: str = ""  # the re-inspection date of a held deposit
    faults: tuple[Text, ...] = ()  # what the acceptance found wrong, in both languages


def _problem_titles(store: Any, doc: dict) -> tuple[Text, ...]:
    """The faults an acceptance raised, its deposit hold aside (that is the decision)."""
    out = []
    for case_id in doc.get("cases") or ():
        case = store.get_case(case_id)
        if case is None or (case.source_item or "").split("@")[0] == DEPOSIT_ITEM:
            continue
        titles = (case.extra or {}).get("titles")
        out.append(titles if isinstance(titles, dict) else {"zh": case.title, "en": case.title})
    return tuple(out)


def acceptance_of(store: Any, doc: dict, open_violations: int) -> Acceptance:
    """The result of one submitted acceptance inspection (a stored dict)."""
    answers = doc.get("answers") or {}

    def value(item: str) -> Any:
        return (answers.get(item) or {}).get("value")

    faults = _problem_titles(store, doc)
    passed = not faults and open_violations == 0
    decision = value(DEPOSIT_ITEM)
    returnable = decision == "return_full" and passed
    returnable = returnable or (decision == "return_part" and open_violations == 0)
    deduction = value(DEDUCTION_ITEM)
    return Acceptance(
        doc["id"], passed, returnable, open_violations, len(faults), decision,
        deduction=float(deduction) if isinstance(deduction, int | float) else None,
        reason=str(value(DEDUCTION_REASON_ITEM) or ""),
        reinspect_on=str(value(REINSPECT_ON_ITEM) or ""), faults=faults,
    )  # fmt: skip


def acceptance_line(result: Acceptance, when: str) -> str:
    """The last acceptance as the flat's card says it, in the current language: passed or
    not and why, and the deposit as the inspector decided it, with the reason they gave.
    Faults settled by a deduction read as settled, not as "not passed … deposit returned"."""
    key = "passed" if result.passed else "not_passed"
    if key == "not_passed" and result.decision == "return_part" and not result.open_violations:
        key = "settled"
    line = t(f"renovation.acceptance.{key}", when=when)
    why = []
    if result.open_violations:
        why.append(plural("renovation.acceptance.because_violations", result.open_violations))
    if result.faults:
        titles = t("checklists.words.list_sep").join(pick(f) for f in result.faults)
        why.append(t("renovation.acceptance.because_faults", faults=titles))
    if why:
        line += " — " + t("renovation.acceptance.sep").join(why)
    deposit = {
        "return_full": t("renovation.acceptance.deposit_full"),
        "return_part": t("renovation.acceptance.deposit_part", amount=f"{result.deduction or 0:g}"),
        "withhold": t("renovation.acceptance.deposit_held"),
        "no_deposit": t("renovation.acceptance.deposit_none"),
    }.get(result.decision or "", t("renovation.acceptance.deposit_undecided"))
    if result.reason:
        deposit += t("renovation.acceptance.reason", reason=result.reason)
    if result.decision == "withhold" and result.reinspect_on:
        deposit += t("renovation.acceptance.reinspect_on", date=result.reinspect_on)
    return line + " · " + deposit


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
    open_violations = len(open_violations_of(ws, unit_id))
    if last is None:
        return Acceptance(None, False, False, open_violations, 0)
    return acceptance_of(ws.store, last, open_violations)


def open_violations_of(ws: Any, unit_id: str) -> list[Any]:
    return [c for c in ws.store.open_cases(unit_id) if c.kind == "violation"]


def permit_deposit(ws: Any, unit_id: str, now: float | None = None) -> int | None:
    """The deposit held under the unit's permit (yuan), None when no permit is in force."""
    now = time.time() if now is None else now
    permit = permit_in_force(index_for(ws), unit_id, localtime.local(now).date())
    return int(permit.deposit) if permit is not None else None


def check_deduction(ws: Any, checklist_id: str, item_id: str, value: Any, unit_id: str) -> None:
    """Refuse a deduction larger than the deposit held (nothing is deducted from nothing)."""
    if checklist_id != ACCEPTANCE or item_id != DEDUCTION_ITEM:
        return
    held = permit_deposit(ws, unit_id)
    if held is not None and isinstance(value, int | float) and value > held:
        raise RegistryError("renovation.refused.deduction", amount=f"{value:g}", held=held)


def cannot_pass(ws: Any, run: Any) -> Text | None:
    """Why an acceptance round cannot pass, as its review says it (both languages): the
    violations still open, the problems it found; None when it can (or is no acceptance)."""
    if run.checklist.id != ACCEPTANCE:
        return None
    violations = open_violations_of(ws, run.target.id)
    faults = [c for c in run.proposed_cases() if c.evidence.get("item") != DEPOSIT_ITEM]
    if not violations and not faults:
        return None
    out = {}
    for lang in ("zh", "en"):
        why = []
        if violations:
            refs = t("checklists.words.list_sep", lang).join(f"#{c.id[-6:]}" for c in violations)
            why.append(plural("renovation.acceptance.because_violations_refs", len(violations),
                              lang, refs=refs))  # fmt: skip
        if faults:
            titles = t("checklists.words.list_sep", lang).join(
                c.title.get(lang) or "" for c in faults
            )
            why.append(t("renovation.acceptance.because_faults", lang, faults=titles))
        out[lang] = t("renovation.acceptance.cannot_pass", lang,
                      why=t("renovation.acceptance.sep", lang).join(why))  # fmt: skip
    return out


def deposit_refusal(ws: Any, run: Any) -> Text | None:
    """Why an acceptance round cannot be submitted as its deposit decision stands (both
    languages), or None: the deposit returned in full when the acceptance cannot pass, or
    less deductions while a violation is still open. The review says it before the submit,
    so the card never says "not passed" beside a deposit returned."""
    if run.checklist.id != ACCEPTANCE:
        return None
    answer = run.inspection.answers.get(DEPOSIT_ITEM)
    decision = answer.value if answer else None
    if decision not in ("return_full", "return_part"):
        return None
    violations = len(open_violations_of(ws, run.target.id))
    faults = len(run.failures())
    if decision == "return_full" and (violations or faults):
        key = "full_violations" if violations else "full_faults"
    elif decision == "return_part" and violations:
        key = "part_violations"
    else:
        return None
    count = faults if key == "full_faults" else violations
    return {lang: plural(f"renovation.deposit.refused.{key}", count, lang, violations=violations,
                         faults=faults) for lang in ("zh", "en")}  # fmt: skip


@dataclass(frozen=True)
class UnderWay:
    """A flat under renovation, as the inspector's home lists it."""

    target: Any  # services.types.Target
    permit: str
    ends: str
    hours_today: tuple[str, ...]
    inside_now: bool
    open_violations: int
    next_due: float  # the earliest open violation's deadline (inf: none)
    stopped: bool = False  # work stopped by an open violation (:func:`stops_work`)
    accepted: float = 0.0  # when the completion check passed under this permit (0: not yet)


def _accepted_at(ws: Any, unit_id: str, permit: Any, open_violations: int) -> float:
    """When the flat's last completion check passed, if it did under this permit (0.0:
    not). Read from the last-run index and that one record, never the history: nc32 saw a
    flat it had just accepted still listed as under renovation, with today's hours."""
    if not ws.store.last_runs_current:
        return 0.0  # the index waits for its rebuild: not on the home's first draw
    run_id = ws.store.last_run_id(ACCEPTANCE, unit_id)
    doc = ws.store.peek("inspection", run_id, "id", "answers", "cases", "submitted_at") \
        if run_id else None  # fmt: skip
    if not doc or not doc.get("submitted_at"):
        return 0.0
    at = case_rules.epoch(doc["submitted_at"])
    if localtime.local(at).date().isoformat() < str(permit.start):
        return 0.0  # an earlier renovation's
    return at if acceptance_of(ws.store, doc, open_violations).passed else 0.0


def under_way(ws: Any, now: float | None = None) -> list[UnderWay]:
    """Every flat with a permit in force today: those with open violations first (the
    nearest deadline first), then by flat number; those whose completion check has passed
    last, said so (:attr:`UnderWay.accepted`)."""
    now = time.time() if now is None else now
    moment = localtime.local(now)
    index = index_for(ws)
    violations: dict[str, list[float]] = {}
    stopped: set[str] = set()
    for case in ws.store.open_cases():
        if case.kind == "violation":
            violations.setdefault(case.target.id, []).append(case_rules.epoch(case.due))
        if stops_work(case):
            stopped.add(case.target.id)
    out = []
    for unit_id in index.permits:
        permit = permit_in_force(index, unit_id, moment.date())
        target = ws.target(unit_id)
        if permit is None or target is None:
            continue
        dues = violations.get(unit_id, [])
        out.append(
            UnderWay(target, permit.number or "—", permit.end,
                     tuple(permit.hours_on(moment.date())), permit.allows(moment), len(dues),
                     min(dues, default=float("inf")), unit_id in stopped,
                     _accepted_at(ws, unit_id, permit, len(dues)))
        )  # fmt: skip
    out.sort(key=lambda r: (bool(r.accepted), not r.open_violations, r.next_due, r.target.code))
    return out


def asks_for_renovations(query: str) -> bool:
    """Whether a search is for the flats under renovation: 装修, its pinyin initials zx,
    renovation (or the start of one of them, two letters at least)."""
    needle = query.strip().lower()
    if len(needle) < 2:
        return False
    words = " ".join(t("renovation.search.words", lang) for lang in ("zh", "en")).split()
    return any(word.startswith(needle) for word in words)
