"""Shift handover (交接班): what was done this shift, what is open and due next, incidents
in progress — from the device's records, live and archived.

States are named by the lifecycle file in use; a neighbour dispute is shown with both flats,
and its statements with the speaker's name masked (the handover is printed and left on the
desk)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fieldkit.i18n import t
from fieldkit.model.personal import mask

FORMATS = ("text", "md", "html")


@dataclass(frozen=True)
class Done:
    at: datetime
    ref: str
    title: str
    kind: str
    text: str
    by: str


@dataclass(frozen=True)
class Due:
    ref: str
    title: str
    status: str
    department: str
    due: datetime | None
    overdue: bool


@dataclass(frozen=True)
class Running:
    ref: str
    type: str
    place: str
    severity: str
    status: str
    last: str


@dataclass(frozen=True)
class Walked:
    """A patrol round started in the shift, with what it found (or that it is still out)."""

    at: datetime
    route: dict[str, str]
    by: str
    finished: bool
    scanned: int
    missed: tuple[str, ...] = ()
    late: tuple[tuple[str, int], ...] = ()  # (code, minutes: + late, - early)
    out_of_order: tuple[str, ...] = ()
    not_on_route: tuple[str, ...] = ()


@dataclass
class Handover:
    start: datetime
    end: datetime
    done: list[Done] = field(default_factory=list)
    due: list[Due] = field(default_factory=list)
    later: int = 0
    incidents: list[Running] = field(default_factory=list)
    by: str = ""  # the person handing over: the one signed in on the device
    rounds: list[Walked] = field(default_factory=list)


def _when(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        found = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _title(doc: dict) -> str:
    titles = doc.get("titles") or (doc.get("extra") or {}).get("titles")
    if isinstance(titles, dict):
        title = str(titles.get("zh") or titles.get("en") or "")
    else:
        title = str(doc.get("title") or doc.get("category") or "")
    from fieldkit.services.disputes import sides_of

    sides = sides_of(doc)
    if sides:
        title += " " + " ↔ ".join(s.get("where", "?") for _, s in sorted(sides.items()))
    return title


def _state(doc: dict, status: object) -> str:
    from fieldkit.services.lifecycle import status_label

    return status_label(str(doc.get("kind") or ""), str(status or "?"))


def handover(
    store: Any, now: datetime | None = None, shift_hours: float = 12, next_hours: float = 12
) -> Handover:
    """The handover for the shift that ends ``now`` and lasted ``shift_hours``; open cases
    overdue or due in the following ``next_hours`` are listed, later ones counted."""
    end = now or datetime.now(UTC)
    start = end - timedelta(hours=shift_hours)
    horizon = end + timedelta(hours=next_hours)
    from fieldkit.services.signin import signed_in

    out = Handover(start, end, by=signed_in(store).name)
    routes = {r.id: r for r in store.reference("patrol_route")}
    for entity, doc in store.iter_records(["case", "incident", "patrol_round"]):
        if entity == "patrol_round":
            walked = _walked(doc, routes, start, end)
            if walked is not None:
                out.rounds.append(walked)
            continue
        ref = str(doc.get("id", ""))[-6:]
        log = doc.get("events") if entity == "case" else doc.get("timeline")
        for ev in log or []:
            at = _when(ev.get("at"))
            if at is None or not start <= at <= end:
                continue
            data = ev.get("data") or {}
            if ev.get("type") == "status":
                text = f"{_state(doc, data.get('from'))} → {_state(doc, data.get('to'))}"
                if ev.get("text"):
                    text += f": {ev['text']}"
            elif ev.get("type") == "followup":
                text = t("trends.handover.followup", score=data.get("score", "?"))
                if ev.get("text"):
                    text += f": {ev['text']}"
            elif ev.get("type") == "statement":
                who = mask("name", data.get("owner_name", ""))
                text = t("cases.handover.statement", where=data.get("where", "?"), who=who,
                         text=ev.get("text", ""))  # fmt: skip
            elif ev.get("type") == "referral":
                text = t("cases.handover.referral", body=t(f"cases.body.{data.get('body')}"),
                         who=data.get("contact", ""), reference=data.get("reference") or "-",
                         outcome=ev.get("text") or t("cases.detail.no_outcome"))  # fmt: skip
            else:
                text = str(ev.get("text") or ev.get("type") or "")
            title = _title(doc) if entity == "case" else str(doc.get("place") or doc.get("type"))
            out.done.append(Done(at, ref, title, entity, text, str(ev.get("by") or "")))
    out.done.sort(key=lambda d: d.at)
    out.rounds.sort(key=lambda w: w.at)
    for case in store.open_cases():
        due = _when(case.due)
        if due is not None and due > horizon:
            out.later += 1
            continue
        if due is None:
            out.later += 1
            continue
        out.due.append(
            Due(
                case.id[-6:],
                _title(case.to_dict()),
                _state(case.to_dict(), case.status),
                case.department,
                due,
                due < end,
            )
        )
    out.due.sort(key=lambda d: d.due or end)
    for inc in store.open_incidents():
        last = inc.timeline[-1].text if inc.timeline else ""
        out.incidents.append(
            Running(inc.id[-6:], inc.type, inc.place, inc.severity, inc.status, last)
        )
    return out


def _word(key: str, value: str, lang: str | None) -> str:
    """A stored id (a department, an incident's type) as the reader's word; as is if new."""
    from fieldkit.i18n import known

    return known(f"{key}.{value}", value or "-", lang)


def _walked(doc: dict, routes: dict[str, Any], start: datetime, end: datetime) -> Walked | None:
    at = _when(doc.get("started_at"))
    if at is None or not start <= at <= end:
        return None
    from fieldkit.services.patrol import route_name

    route = routes.get(str(doc.get("route_id")))
    name = route_name(route) if route else {"zh": "?", "en": "?"}
    found = doc.get("findings") or {}
    off_by = found.get("off_by") or {}
    late = tuple((str(c), int(off_by.get(c, 0))) for c in found.get("late") or [])
    return Walked(
        at=at, route=name, by=str(doc.get("by") or ""),
        finished=doc.get("status") == "finished", scanned=len(doc.get("visits") or []),
        missed=tuple(found.get("missed") or []), late=late,
        out_of_order=tuple(found.get("out_of_order") or []),
        not_on_route=tuple(found.get("not_on_route") or []),
    )  # fmt: skip


def _round_line(w: Walked, lang: str | None) -> str:
    from fieldkit.services.types import pick

    head = f"{_local(w.at)}  {pick(w.route, lang)}" + (f" ({w.by})" if w.by else "")
    if not w.finished:
        return head + " — " + t("rules.handover.walking", lang, scanned=w.scanned)
    if not (w.missed or w.late or w.out_of_order or w.not_on_route):
        return head + " — " + t("rules.handover.clean", lang, scanned=w.scanned)
    late = [
        t("rules.handover.late_item", lang, code=c, minutes=m)
        if m >= 0
        else t("rules.handover.early_item", lang, code=c, minutes=-m)
        for c, m in w.late
    ]
    parts = [
        t("rules.handover.missed", lang, codes=", ".join(w.missed) or "—"),
        t("rules.handover.late", lang, codes=", ".join(late) or "—"),
        t("rules.handover.out_of_order", lang, codes=", ".join(w.out_of_order) or "—"),
    ]
    if w.not_on_route:
        parts.append(t("rules.handover.not_on_route", lang, codes=", ".join(w.not_on_route)))
    return head + " — " + t("rules.handover.sep", lang).join(parts)


def _local(at: datetime | None) -> str:
    return at.astimezone().strftime("%m-%d %H:%M") if at else "-"


def render(h: Handover, fmt: str = "text", lang: str | None = None) -> str:
    """The handover as plain text, Markdown or a printable HTML page."""
    title = t("trends.handover.title", lang, start=_local(h.start), end=_local(h.end))
    if h.by:
        title += t("signin.handover.by", lang, name=h.by)
    sections: list[tuple[str, list[str]]] = []
    sections.append(
        (
            t("trends.handover.done", lang, count=len(h.done)),
            [f"{_local(d.at)}  #{d.ref} {d.title} — {d.text}"
             + (t("signin.handover.done_by", lang, name=d.by) if d.by else "")
             for d in h.done],
        )
    )  # fmt: skip
    due_lines = [
        f"{_local(d.due)}  #{d.ref} {d.title} "
        f"[{d.status}, {_word('checklists.words.department', d.department, lang)}]"
        + (" " + t("trends.handover.overdue", lang) if d.overdue else "")
        for d in h.due
    ]
    if h.later:
        due_lines.append(t("trends.handover.later", lang, count=h.later))
    sections.append((t("trends.handover.due", lang, count=len(h.due)), due_lines))
    sections.append(
        (
            t("trends.handover.incidents", lang, count=len(h.incidents)),
            [f"#{i.ref} {_word('incidents.type', i.type, lang)} {i.place} "
             f"[{_word('incidents.severity', i.severity, lang)}, "
             f"{_word('incidents.status', i.status, lang)}] {i.last}"
             for i in h.incidents],
        )
    )  # fmt: skip
    sections.append(
        (
            t("rules.handover.rounds", lang, count=len(h.rounds)),
            [_round_line(w, lang) for w in h.rounds],
        )
    )
    none = t("trends.handover.none", lang)
    if fmt == "html":
        e = html.escape
        body = "".join(
            f"<h2>{e(head)}</h2><ul>"
            + "".join(f"<li>{e(line)}</li>" for line in (lines or [none]))
            + "</ul>"
            for head, lines in sections
        )
        return (
            f'<!doctype html>\n<html lang="{e(lang or "zh")}"><head><meta charset="utf-8">'
            f"<title>{e(title)}</title></head><body><h1>{e(title)}</h1>{body}</body></html>\n"
        )
    md = fmt == "md"
    out = [f"# {title}" if md else title, ""]
    for head, lines in sections:
        out.append(f"## {head}" if md else head)
        out.extend((f"- {line}" if md else f"  {line}") for line in (lines or [none]))
        out.append("")
    return "\n".join(out)
