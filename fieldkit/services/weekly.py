"""The weekly report for the company (周报): the period's cases taken in and closed per
department, those overdue now (the case list's one rule, :func:`fieldkit.services.cases.overdue`),
the fire-equipment rounds done in the period against those late or due now (the due list,
:func:`fieldkit.services.schedules.due`), the fire control room's duty checks (its duty log
and its every-shift check: the watch kept, not equipment rounds) in their own section, the
same way, and the equipment falling due for service or scrap
(:func:`fieldkit.services.equipment.due`), and the incidents of the period (each with its
type, place, when it began and closed, how long it ran, its status and the follow-up cases
it raised, those still open counted) — from the device's records, live and archived,
printed through the report machinery the handover and the trends use."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from fieldkit.i18n import known, t
from fieldkit.model import localtime
from fieldkit.reports import dates
from fieldkit.reports.document import (
    Document,
    Facts,
    Grid,
    Para,
    Section,
    SignOff,
    to_markdown,
    to_text,
)

FORMATS = ("text", "md", "pdf")
#: Days ahead the equipment list looks (``fieldkit equipment due --days 30``).
EQUIPMENT_DAYS = 30
#: Checklists of fire safety: their rounds are counted (fire.extinguisher.floor_round ...).
FIRE = "fire."
#: The fire control room's duty checks (its duty log every two hours, its check every
#: shift): the watch kept there, listed apart from the equipment rounds.
DUTY = "fire.control_room."


@dataclass(frozen=True)
class Department:
    department: str  # its id ("" for cases not yet sent to one)
    taken: int
    closed: int
    overdue: int


@dataclass(frozen=True)
class Rounds:
    checklist_id: str
    title: dict[str, str]
    done: int  # submitted in the period
    late: int  # late now (a run not made in time)
    due: int  # due now or within a day, not late yet
    missed: int = 0  # calendar slots of the period that ended without a run


@dataclass(frozen=True)
class Missed:
    """The runs of one checklist on one place missed on one day: how many slots, and when
    (consecutive slots as one span, local times)."""

    day: date
    title: dict[str, str]
    place: dict[str, str]
    count: int
    spans: tuple[tuple[str, str], ...]  # ("08:00", "20:00"); ("00:00", "24:00") a whole day


@dataclass(frozen=True)
class Equipment:
    code: str
    what: str
    on: date
    left: str


@dataclass(frozen=True)
class Incident:
    ref: str
    what: dict[str, str]  # the type as its plan names it, by language
    where: dict[str, str]
    began: str  # when the call or alarm came in
    ended: str  # when it was closed ("" while it is not)
    status: str
    followups: int
    still_open: int  # follow-up cases not closed or cancelled
    id: str = ""  # to open it in the app (the weekly report's ``i``)


@dataclass
class Week:
    start: date
    end: date
    departments: list[Department] = field(default_factory=list)
    rounds: list[Rounds] = field(default_factory=list)  # the equipment rounds
    duty: list[Rounds] = field(default_factory=list)  # the control room's duty checks
    missed: list[Missed] = field(default_factory=list)  # by day, then checklist and place
    equipment: list[Equipment] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    now: float = 0.0  # when it was made: an incident not closed has run until then
    compound: str = ""
    by: str = ""
    lang: str = "zh"
    today: date | None = None  # the compound's day it was made: names last week, this week


def calendar_week(today: date, back: int = 1) -> tuple[date, date]:
    """A calendar week, Monday to Sunday, ``back`` weeks before the one holding ``today``
    (1: the last complete week, the report's default); this week (0) ends today, as what
    has not happened yet cannot be counted."""
    monday = today - timedelta(days=today.weekday() + 7 * back)
    return monday, min(monday + timedelta(days=6), today)


def which_week(start: date, end: date, today: date | None) -> str:
    """The catalogue key naming the period when it is this week so far or last week
    (``week.this_week``, ``week.last_week``), else ""."""
    if today is None or start.weekday() != 0:
        return ""
    if (start, end) == calendar_week(today, 0):
        return "week.this_week"
    if (start, end) == calendar_week(today, 1):
        return "week.last_week"
    return ""


def week(ws: Any, start: date, end: date, now: float, lang: str) -> Week:
    """The report of ``start`` to ``end`` (days on the compound's clock, both counted),
    overdue and due as they stand at ``now``."""
    from fieldkit.services import equipment, schedules
    from fieldkit.services.notices import compound_name
    from fieldkit.services.signin import signed_in

    today = equipment.today(ws, now)
    out = Week(start, end, now=now, compound=compound_name(ws.store, lang),
               by=signed_in(ws.store).name, lang=lang, today=today)  # fmt: skip
    out.departments = _departments(ws.store.iter_records(["case"]), start, end, now)
    from fieldkit.services.compound_clock import clock_of
    from fieldkit.store.export import day_of
    from fieldkit.store.last_runs import instant

    done: Counter = Counter()
    runs: dict[tuple[str, str], list[float]] = {}
    # the earliest round the device holds, its own or synced (the office does none): no
    # slot before it counts as missed, on the office's device as on a patrol's
    first = float("inf")
    for _, doc in ws.store.iter_records(["inspection"]):
        if doc.get("status") != "submitted":
            continue
        checklist_id = str((doc.get("checklist") or {}).get("id", ""))
        at = instant(doc.get("submitted_at"))
        first = min(first, at)
        if not checklist_id.startswith(FIRE):
            continue
        runs.setdefault((checklist_id, str((doc.get("target") or {}).get("id", ""))), []).append(at)
        day = day_of("inspection", doc)
        if day is not None and start <= day <= end:
            done[checklist_id] += 1
    clock = ws.cached("schedule.clock", clock_of)
    missed: Counter = Counter()
    for m in _missed(ws, clock, start, end, now, runs, first):
        missed[m.checklist_id] += m.count
        out.missed.append(Missed(m.day, m.checklist.title.to_dict(), _place(m.target),
                                 m.count, _spans(m.slots, clock)))  # fmt: skip
    late: Counter = Counter()
    soon: Counter = Counter()
    for run in schedules.due(ws, now, limit=1_000_000):
        if run.checklist_id.startswith(FIRE):
            (late if run.overdue else soon)[run.checklist_id] += 1
    checklists = ws.checklists()
    for checklist_id in sorted(set(done) | set(late) | set(soon) | set(missed)):
        found = checklists.get(checklist_id)
        title = found.title.to_dict() if found else {"zh": checklist_id, "en": checklist_id}
        row = Rounds(checklist_id, title, done[checklist_id], late[checklist_id],
                     soon[checklist_id], missed[checklist_id])  # fmt: skip
        (out.duty if checklist_id.startswith(DUTY) else out.rounds).append(row)
    for item in equipment.due(ws, EQUIPMENT_DAYS, now):
        what = equipment.what_words(item, lang)
        left = equipment.left_words(item.left(today), lang)
        out.equipment.append(Equipment(item.dates.asset.code, what, item.on, left))
    out.incidents = _incidents(ws, start, end)
    return out


def _missed(
    ws: Any,
    clock: Any,
    start: date,
    end: date,
    now: float,
    runs: dict[tuple[str, str], list[float]],
    first: float,
) -> list[_Missed]:
    """Each calendar slot of a fire checklist (a daily patrol's day, the control room's
    shift or two hours) that opens in the period, has closed by ``now`` and opens after the
    earliest round the device holds (its own or synced), and holds no submitted run on its
    place — every day of the week, not only the slots since the last run the due list
    counts (it knows only the last run). A slot belongs to the week it opens in: Sunday's
    night shift, 20:00 to Monday 08:00, is Sunday's (it was in neither week, closing after
    one ended and opening before the next began)."""
    from fieldkit.services.catalog import applies
    from fieldkit.services.schedules import places

    if first == float("inf"):
        return []  # no round submitted here yet: nothing is known to be missed
    since = max(clock.epoch(datetime(start.year, start.month, start.day)), first)
    last_day = end + timedelta(days=1)
    until = clock.epoch(datetime(last_day.year, last_day.month, last_day.day))
    found: dict[tuple[date, str, str], _Missed] = {}
    targets = places(ws)
    for checklist in ws.checklists().values():
        rhythm = checklist.schedule
        if not checklist.id.startswith(FIRE) or rhythm.on_demand or not rhythm.calendar:
            continue
        for target in targets:
            if not applies(checklist, target):
                continue
            done = sorted(runs.get((checklist.id, target.id), ()))
            for opens, closes in rhythm.slots(since, clock):
                if opens >= until or closes > now:
                    break
                i = bisect_left(done, opens)  # the first run at or after the slot opened
                if opens < since or (i < len(done) and done[i] < closes):
                    continue
                day = clock.local(opens).date()
                key = (day, checklist.id, target.id)
                row = found.setdefault(key, _Missed(day, checklist, target))
                row.slots.append((opens, closes))
    return sorted(found.values(), key=lambda m: (m.day, m.checklist_id, m.target.code))


def _place(target: Any) -> dict[str, str]:
    from fieldkit.config import LANGUAGES

    return {lang: target.label(lang) for lang in LANGUAGES}


def _spans(slots: list[tuple[float, float]], clock: Any) -> tuple[tuple[str, str], ...]:
    """Missed slots as the times of day they ran, back-to-back slots as one span; a span
    ending at midnight ends at 24:00 of its day, one ending the next day is marked "+"."""
    joined: list[list[float]] = []
    for opens, closes in sorted(slots):
        if joined and joined[-1][1] == opens:
            joined[-1][1] = closes
        else:
            joined.append([opens, closes])
    out = []
    for opens, closes in joined:
        a, b = clock.local(opens), clock.local(closes)
        if b.date() > a.date() and (b.hour, b.minute) == (0, 0):
            end = "24:00"
        else:
            end = f"+{b:%H:%M}" if b.date() > a.date() else f"{b:%H:%M}"
        out.append((f"{a:%H:%M}", end))
    return tuple(out)


@dataclass
class _Missed:
    day: date
    checklist: Any
    target: Any
    slots: list[tuple[float, float]] = field(default_factory=list)

    @property
    def checklist_id(self) -> str:
        return str(self.checklist.id)

    @property
    def count(self) -> int:
        return len(self.slots)


def _incidents(ws: Any, start: date, end: date) -> list[Incident]:
    """The incidents under way at any time in the period, in the order they began: begun
    by its last day and not closed before its first."""
    from fieldkit.config import LANGUAGES
    from fieldkit.model.incident import began_of
    from fieldkit.services import incidents as inc
    from fieldkit.services.incident_report import closed_at
    from fieldkit.store.layout import is_finished

    out = []
    for _, doc in ws.store.iter_records(["incident"]):
        began = dates.parse(began_of(doc))
        if began is None or began.date() > end:
            continue
        view = inc.view(ws, str(doc["id"]), with_people=False)
        closed = closed_at(view)
        when = dates.parse(closed)
        if when is not None and when.date() < start:
            continue
        still = sum(1 for f in view.followups if not is_finished("case", {"status": f.status}))
        out.append(Incident(
            view.ref, {lang: view.type_words(lang) for lang in LANGUAGES},
            {lang: view.where(lang) for lang in LANGUAGES}, view.began_at or view.started_at,
            closed, view.status, len(view.followups), still, view.id))  # fmt: skip
    return sorted(out, key=lambda i: (dates.parse(i.began) or datetime.min, i.ref))


def _departments(records: Any, start: date, end: date, now: float) -> list[Department]:
    """Per department: cases raised in the period, closed in it, and overdue at ``now``."""
    from fieldkit.reports.trends import closed_at
    from fieldkit.services.cases import epoch, overdue
    from fieldkit.store.export import day_of
    from fieldkit.store.layout import is_finished

    taken: Counter = Counter()
    closed: Counter = Counter()
    late: Counter = Counter()
    for _, doc in records:
        if doc.get("status") == "cancelled":
            continue
        department = str(doc.get("department") or "")
        raised = day_of("case", doc)
        if raised is not None and start <= raised <= end:
            taken[department] += 1
        done = localtime.local(closed_at(doc))
        if done is not None and start <= done.date() <= end:
            closed[department] += 1
        status = str(doc.get("status") or "")
        if not is_finished("case", doc) and overdue(status, epoch(doc.get("due")), now):
            late[department] += 1
    found = set(taken) | set(closed) | set(late)
    order = {d: n for n, d in enumerate(("engineering", "security", "cleaning", "landscaping",
                                         "customer_service"))}  # fmt: skip
    return [Department(d, taken[d], closed[d], late[d])
            for d in sorted(found, key=lambda d: (d == "", order.get(d, 99), d))]  # fmt: skip


def _department(value: str, lang: str) -> str:
    if not value:
        return t("week.unassigned", lang)
    return known(f"checklists.words.department.{value}", value, lang)


def document(w: Week, lang: str | None = None) -> Document:
    """The weekly report as a printable document."""
    from fieldkit.services.incident_report import generated
    from fieldkit.services.types import pick

    lang = lang or w.lang
    span = t("week.span", lang, start=dates.full_date(w.start, lang),
             end=dates.full_date(w.end, lang))  # fmt: skip
    named = which_week(w.start, w.end, w.today)
    if named:
        span = t("week.span_named", lang, week=t(named, lang), span=span)
    cases = tuple((_department(d.department, lang), str(d.taken), str(d.closed), str(d.overdue))
                  for d in w.departments)  # fmt: skip
    if cases:
        cases += ((t("week.total", lang), str(sum(d.taken for d in w.departments)),
                   str(sum(d.closed for d in w.departments)),
                   str(sum(d.overdue for d in w.departments))),)  # fmt: skip
    rounds = tuple((pick(r.title, lang), str(r.done), str(r.missed), str(r.late), str(r.due))
                   for r in w.rounds)  # fmt: skip
    duty = tuple((pick(r.title, lang), str(r.done), str(r.missed), str(r.late), str(r.due))
                 for r in w.duty)  # fmt: skip
    sep = t("checklists.words.list_sep", lang)
    missed = tuple((dates.full_date(m.day, lang, short=True), pick(m.title, lang),
                    pick(m.place, lang), str(m.count),
                    sep.join(_span_words(a, b, lang) for a, b in m.spans))
                   for m in w.missed)  # fmt: skip
    kit = tuple((e.code, e.what, dates.full_date(e.on, lang, short=True), e.left)
                for e in w.equipment)  # fmt: skip
    incidents = tuple(_incident_row(i, w.now, lang) for i in w.incidents)
    col = "week.col."
    none = t("week.none", lang)
    blocks = (
        Facts((
            (t("incidents.report.compound", lang), w.compound or "—"),
            (t("week.prepared_by", lang), w.by or "—"),
        )),
        Section(t("week.cases", lang), (Grid(
            (t(col + "department", lang), t(col + "taken", lang), t(col + "closed", lang),
             t(col + "overdue", lang)),
            cases, none, (0.4, 0.2, 0.2, 0.2), numeric=(1, 2, 3)),
            Para(t("week.cases_note", lang), note=True))),
        Section(t("week.rounds", lang), (Grid(
            (t(col + "checklist", lang), t(col + "done", lang), t(col + "missed", lang),
             t(col + "late", lang), t(col + "due", lang)),
            rounds, none, (0.4, 0.15, 0.15, 0.15, 0.15), numeric=(1, 2, 3, 4)),
            Para(t("week.rounds_note", lang), note=True))),
        Section(t("week.duty", lang), (Grid(
            (t(col + "duty", lang), t(col + "done", lang), t(col + "missed", lang),
             t(col + "late", lang), t(col + "due", lang)),
            duty, none, (0.4, 0.15, 0.15, 0.15, 0.15), numeric=(1, 2, 3, 4)),
            Para(t("week.duty_note", lang), note=True))),
        Section(t("week.missed", lang), (Grid(
            (t(col + "day", lang), t(col + "checklist", lang), t(col + "place", lang),
             t(col + "times", lang), t(col + "when", lang)),
            missed, none, (0.15, 0.27, 0.2, 0.1, 0.28), numeric=(3,)),
            Para(t("week.missed_note", lang), note=True))),
        Section(t("week.equipment", lang, days=EQUIPMENT_DAYS), (Grid(
            (t(col + "code", lang), t(col + "what", lang), t(col + "on", lang),
             t(col + "left", lang)),
            kit, none, (0.16, 0.46, 0.2, 0.18)),)),
        Section(t("week.incidents", lang), (Grid(
            (t(col + "incident", lang), t(col + "place", lang), t(col + "began", lang),
             t(col + "ended", lang), t(col + "lasted", lang), t(col + "status", lang),
             t(col + "followups", lang)),
            incidents, none, (0.12, 0.17, 0.16, 0.16, 0.13, 0.1, 0.16)),
            Para(t("week.incidents_note", lang), note=True))),
        SignOff.prepared(w.by, lang),
    )  # fmt: skip
    return Document(
        title=t("week.title", lang),
        lang=lang,
        header=" · ".join(x for x in (w.compound, t("week.title", lang)) if x),
        footer=generated(lang),
        blocks=blocks,
        subtitle=t("week.period", lang) + t("reports.page.colon", lang) + span,
    )


def _span_words(opens: str, closes: str, lang: str) -> str:
    if (opens, closes) == ("00:00", "24:00"):
        return t("week.whole_day", lang)
    if closes.startswith("+"):
        return t("week.span_next_day", lang, start=opens, end=closes[1:])
    return t("week.span_time", lang, start=opens, end=closes)


def _incident_row(i: Incident, now: float, lang: str) -> tuple[str, ...]:
    from fieldkit.services.types import pick

    began, ended = dates.parse(i.began), dates.parse(i.ended)
    if began is not None and ended is not None:
        lasted = dates.span((ended - began).total_seconds(), lang)
    elif began is not None:
        lasted = t("incidents.report.ongoing", lang,
                   span=dates.span(now - began.timestamp(), lang))  # fmt: skip
    else:
        lasted = "—"
    return (pick(i.what, lang), pick(i.where, lang) or "—",
            dates.full_time(began, lang, short=True),
            dates.full_time(ended, lang, short=True) if ended else t("week.not_closed", lang),
            lasted, t(f"incidents.status.{i.status}", lang),
            t("week.followups", lang, count=i.followups, open=i.still_open)
            if i.followups else "—")  # fmt: skip


def render(w: Week, fmt: str = "text", lang: str | None = None) -> str | bytes:
    """The report as plain text (a terminal, a message), Markdown, or a PDF (FontsMissing
    when the report fonts are not installed)."""
    doc = document(w, lang)
    if fmt == "pdf":
        from fieldkit.reports.pdf import to_pdf

        return to_pdf(doc)
    return to_markdown(doc) if fmt == "md" else to_text(doc)
