"""The due list and missed runs: each checklist's ``every`` (``checklists.schedule``) applied
to the places it runs on, in the compound's local time.

What is due: for each scheduled checklist and each site, building or route it applies to,
where it stands now given its last run (the store's last-run index) — due now, late and by
how much, or next due within a day.

A missed run — a calendar slot that ended without a run — is a finding for the office: a
case raised by the device that notices it, on the patrol role's devices (they walk the
rounds and hold their runs). Noticing happens when the due list is drawn and when a run is
submitted (a run made after a gap would otherwise hide the gap from the last-run index).

Every device makes the same case for the same miss: its id comes from the checklist, the
place and the slot (``model.ids.agreed_id``), its stamps from the slot's end with a fixed
device name, and its words from the catalogues, so two devices noticing it make one record
— the office's merge sees equal replicas — and a device that noticed it already (or whose
office deleted it) adds nothing.

The compound's local time and shifts are the site record's ``utc_offset`` (``"+08:00"``)
and ``shifts`` (``["08:00", "20:00"]``), read once per workspace index.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fieldkit.checklists.definition import Checklist
from fieldkit.checklists.describe import every_words
from fieldkit.checklists.schedule import Clock, Standing
from fieldkit.config import LANGUAGES
from fieldkit.i18n import plural, t
from fieldkit.model import Case
from fieldkit.model import Target as ModelTarget
from fieldkit.model.base import iso_epoch
from fieldkit.model.hlc import HLC
from fieldkit.model.ids import agreed_id
from fieldkit.services.acted import acted
from fieldkit.services.catalog import applies
from fieldkit.services.compound_clock import clock_of
from fieldkit.services.types import DoneRun, DueRun, Target

DAY = 86400.0
#: kinds of place a scheduled checklist is listed for (an asset's own checks are many and
#: come up on its card; a flat's are started by the inspector)
KINDS = ("site", "building", "route")
#: the device name a missed run's stamps carry: the same on every device
STAMP_DEVICE = "schedule"


def places(ws: Any) -> list[Target]:
    return [t for t in ws.places.targets if t.kind in KINDS]


def due(ws: Any, now: float, limit: int = 20) -> list[DueRun]:
    """What is due now, late, or due within a day: late first (longest late first), then
    what is due now by its deadline (those without one after), then what falls due later."""
    clock = ws.cached("schedule.clock", clock_of)
    last = ws.last_runs()
    out = []
    for checklist in ws.checklists().values():
        if checklist.schedule.on_demand:
            continue
        for target in places(ws):
            if not applies(checklist, target):
                continue
            done = last.get((checklist.id, target.id))
            standing = checklist.schedule.standing(done, now, clock)
            if standing is None or standing.due > now + DAY:
                continue
            out.append(_row(checklist, target, standing, done, now, clock))

    def order(d: DueRun) -> tuple:
        deadline = d.closes if d.closes is not None else d.due
        return (not d.overdue, -d.late_by, d.due > now, d.closes is None, deadline, d.target.code)

    out.sort(key=order)
    return out[:limit]


def done_today(ws: Any, now: float) -> list[DoneRun]:
    """The rounds submitted since the compound's midnight, newest first, from the last-run
    index: the home says what was done, or a round submitted left no trace there but a line
    dropped from the due list (nc14). Each run's own record (today's: in the active file) is
    read for the cases it raised, so the home says whether it found anything (round26), and
    for those it found again: a finding added to a case already open is not a new one; and
    for what it put right on the spot (nc27: a fire door found open read 全部正常)."""
    clock = ws.cached("schedule.clock", clock_of)
    local = clock.local(now)
    midnight = clock.epoch(local.replace(hour=0, minute=0, second=0, microsecond=0))
    return done_between(ws, midnight, now)


def done_between(ws: Any, since: float, until: float) -> list[DoneRun]:
    """The rounds submitted from ``since`` to ``until`` (epoch seconds), newest first, as
    :func:`done_today` says them: each checklist and place once, by its last run (the
    handover's shift, the home's day)."""
    found = sorted(((at, key) for key, at in ws.last_runs().items() if since <= at <= until),
                   reverse=True)  # fmt: skip
    out = []
    for at, (checklist_id, target_id) in found:
        run_id = ws.store.last_run_id(checklist_id, target_id)
        done = _done_run(ws, checklist_id, target_id, run_id, at)
        if done is not None:
            out.append(done)
    return out


#: How long a round may stay a draft before it is submitted: a run submitted in a window
#: is looked for in the archive months from this long before it (records are filed by the
#: month they were begun).
DRAFT_DAYS = 31


def submitted_between(ws: Any, since: float, until: float) -> list[DoneRun]:
    """Every round submitted from ``since`` to ``until`` (epoch seconds), newest first — a
    duty log filled in twice in a shift is two (nc30: the handover showed the last, and the
    one that recorded a false alarm was gone). Reads the active file and the archive
    months back to :data:`DRAFT_DAYS` before ``since``, not the whole history."""
    import time

    from fieldkit.store.layout import month_of

    oldest = time.strftime("%Y-%m", time.gmtime(since - DRAFT_DAYS * DAY))
    archived = False

    def reached(_n: int, _total: int, _what: str) -> None:
        nonlocal archived
        archived = True  # the active file is read: archive months follow, newest first

    found: list[tuple[float, dict]] = []
    for _, doc in ws.store.iter_records(["inspection"], progress=reached, newest_first=True):
        if archived and month_of(str(doc.get("id"))) < oldest:
            break
        at = iso_epoch(doc.get("submitted_at")) if doc.get("status") == "submitted" else None
        if at is not None and since <= at <= until:
            found.append((at, doc))
    found.sort(key=lambda pair: pair[0], reverse=True)
    out = []
    for at, doc in found:
        checklist_id = str((doc.get("checklist") or {}).get("id") or "")
        target_id = str((doc.get("target") or {}).get("id") or "")
        done = _done_run(ws, checklist_id, target_id, str(doc.get("id")), at)
        if done is not None:
            out.append(done)
    return out


def _done_run(ws: Any, checklist_id: str, target_id: str, run_id: str | None, at: float) -> Any:
    """A submitted run as the home and the handover say it: the cases it raised, those it
    added to a case already open, what it put right on the spot; None for a checklist or
    place this device no longer has."""
    checklist = ws.checklists().get(checklist_id)
    target = ws.places.by_id.get(target_id)
    if checklist is None or target is None:
        return None
    run = ws.store.get_inspection(run_id) if run_id else None
    linked = [ws.store.get_case(c) for c in run.cases] if run is not None else []
    new = sum(1 for c in linked if c is None or c.source_inspection == run_id)
    fixed = len(acted(checklist, run.answers)) if run is not None else 0
    return DoneRun(checklist_id, checklist.title.to_dict(), target, at, new, len(linked) - new,
                   fixed, written(checklist, run.answers) if run is not None else ())  # fmt: skip


def written(checklist: Checklist, answers: dict) -> tuple[str, ...]:
    """What a run's person wrote that a reader of the result should see: the optional
    write-in boxes (the duty log's alarms and faults, where the door was) and any item's
    note, in the checklist's order. nc31's false smoke alarm read only "全部正常"."""
    items = {item.id: item for item in checklist.items()}
    out = []
    for key, answer in answers.items():
        item = items.get(key.split("@", 1)[0])
        if item is None:
            continue
        value = answer.value if item.type == "text" and not item.required else None
        for text in (value, answer.note):
            if isinstance(text, str) and text.strip():
                out.append(" ".join(text.split()))
    return tuple(out)


def standing_on(ws: Any, checklists: list[Checklist], target: Target, now: float) -> dict:
    """Where each scheduled checklist stands on one target, however far off its next run:
    what a target's card says beside each (last done, late by, or from when), by id."""
    clock = ws.cached("schedule.clock", clock_of)
    last = ws.last_runs()
    out = {}
    for checklist in checklists:
        if checklist.schedule.on_demand:
            continue
        done = last.get((checklist.id, target.id))
        standing = checklist.schedule.standing(done, now, clock)
        if standing is not None:
            out[checklist.id] = _row(checklist, target, standing, done, now, clock)
    return out


def _row(
    checklist: Checklist,
    target: Target,
    standing: Standing,
    done: float | None,
    now: float,
    clock: Clock,
) -> DueRun:
    due_now = standing.due_now(now)
    late_by = standing.late_by(now) if due_now else 0.0
    return DueRun(
        checklist_id=checklist.id,
        title=checklist.title.to_dict(),
        target=target,
        due=standing.due,
        overdue=standing.late_since is not None and due_now,
        last_run=done,
        closes=standing.closes,
        late_by=late_by,
        missed=len(standing.missed),
        later=not due_now,
        when={
            lang: when_words(standing, late_by, now, clock, lang, never_run=done is None)
            for lang in LANGUAGES
        },
    )


def when_words(
    standing: Standing, late_by: float, now: float, clock: Clock, lang: str | None = None,
    never_run: bool = False,
) -> str:  # fmt: skip
    """What the due list says after the title: late by how much, until when, or from when
    (in the compound's local time); a run due now with no end says since when (or that it
    was never run): every row on the due list says when."""
    if late_by > 0:
        return t("rules.due.late", lang, span=span_words(late_by, lang))
    if not standing.due_now(now):
        return t("rules.due.from", lang, time=_clock_text(standing.due, now, clock, lang))
    if standing.closes is not None:
        return t("rules.due.until", lang, time=_clock_text(standing.closes, now, clock, lang))
    if never_run:
        return t("rules.due.never_run", lang)
    return t("rules.due.since", lang, time=_clock_text(standing.due, now, clock, lang))


def span_words(seconds: float, lang: str | None = None) -> str:
    """A length of time as a person says it: minutes under an hour, hours and minutes
    under ten hours, hours under two days, else days (whole units, rounded down)."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return plural("rules.due.minutes", max(1, minutes), lang)
    hours = plural("rules.due.hours", minutes // 60, lang)
    if minutes < 10 * 60 and minutes % 60:
        rest = plural("rules.due.minutes", minutes % 60, lang)
        return t("rules.due.hours_minutes", lang, hours=hours, minutes=rest)
    if minutes < 48 * 60:
        return hours
    return plural("rules.due.days", minutes // 1440, lang)


def _clock_text(epoch: float, now: float, clock: Clock, lang: str | None) -> str:
    """``02:00`` today (or the next few hours), ``明天 02:00`` / ``tomorrow 02:00``, else
    ``03-05 02:00``."""
    at, today = clock.local(epoch), clock.local(now)
    hhmm = at.strftime("%H:%M")
    if at.date() == today.date():
        return hhmm
    if at == (today + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0):
        return t("rules.due.midnight", lang)
    if at.date() == (today + timedelta(days=1)).date():
        return t("rules.due.tomorrow", lang, time=hhmm)
    return at.strftime("%m-%d %H:%M")


# -- missed runs ------------------------------------------------------------------------


def note_missed(ws: Any, now: float) -> list[str]:
    """Raise a case for every missed run this device can see (patrol devices only); the ids
    of the cases newly added."""
    if ws.role != "patrol":
        return []
    last = ws.last_runs()
    made = []
    for checklist in ws.checklists().values():
        if not checklist.schedule.calendar:
            continue  # counted from the last run: a late run is late, it can still be made
        for target in places(ws):
            if applies(checklist, target):
                done = last.get((checklist.id, target.id))
                made += note_missed_for(ws, checklist, target, done, now)
    return made


def note_missed_for(
    ws: Any, checklist: Checklist, target: Target, last: float | None, now: float
) -> list[str]:
    """The cases for the runs of ``checklist`` on ``target`` missed between ``last`` and
    ``now`` (only patrol devices raise them)."""
    if ws.role != "patrol" or target.kind not in KINDS or not checklist.schedule.calendar:
        return []
    clock = ws.cached("schedule.clock", clock_of)
    standing = checklist.schedule.standing(last, now, clock)
    if standing is None:
        return []
    made = []
    for opens, closes in standing.missed:
        case = missed_case(checklist, target, opens, closes, clock, site_of(ws))
        if ws.store.add_case_once(case):
            made.append(case)
    return [c.id for c in made]


def site_of(ws: Any) -> str | None:
    sites = ws.store.reference("site")
    return sites[0].id if sites else None


def missed_case(
    checklist: Checklist,
    target: Target,
    opens: float,
    closes: float,
    clock: Clock,
    site_id: str | None = None,
) -> Case:
    """The case of one missed run: the same record on every device that makes it."""
    key = f"missed|{checklist.id}|{target.id}|{int(opens)}|{int(closes)}"
    at_ms = int(closes * 1000)
    route = checklist.missed_route
    when = {lang: slot_words(checklist, opens, closes, clock, lang) for lang in LANGUAGES}
    titles = {
        lang: t("rules.missed.title", lang, title=checklist.title.get(lang), when=when[lang])
        for lang in LANGUAGES
    }
    description = "\n".join(
        t("rules.missed.description", lang, title=checklist.title.get(lang), when=when[lang],
          where=f"{target.code} {target.name.get(lang) or ''}".strip(),
          every=every_words(checklist.schedule, lang))
        for lang in LANGUAGES
    )  # fmt: skip
    return Case.new(
        agreed_id(at_ms, key),
        "finding",
        ModelTarget(target.kind, target.id),
        HLC(at_ms, 0, STAMP_DEVICE),
        site_id=site_id,
        category=checklist.id,
        severity=route.severity,
        department=route.department,
        due=_iso(closes + route.due.total_seconds(), clock),
        title=titles["zh"],
        description=description,
        created_at=_iso(closes, clock),
        device=STAMP_DEVICE,
        extra={
            "titles": titles,
            "where": target.code,
            "building": target.building,
            "missed": {
                "checklist": {"id": checklist.id, "version": checklist.version,
                              "title": checklist.title.to_dict()},
                "every": checklist.every,
                "opens": _iso(opens, clock),
                "closes": _iso(closes, clock),
            },
        },
    )  # fmt: skip


def slot_words(
    checklist: Checklist, opens: float, closes: float, clock: Clock, lang: str | None = None
) -> str:
    """A missed slot as its place in the calendar: ``03-02 00:00–02:00``, ``03-01–03-15``,
    or, counted from the last run, ``due by 03-02 09:30``."""
    start, end = clock.local(opens), clock.local(closes)
    if not checklist.schedule.calendar:
        return t("rules.missed.due_by", lang, time=end.strftime("%m-%d %H:%M"))
    if closes - opens < DAY:
        return f"{start:%m-%d %H:%M}–{end:%H:%M}"
    last_day = end - timedelta(seconds=1)
    if last_day.date() == start.date():
        return f"{start:%m-%d}"
    return f"{start:%m-%d}–{last_day:%m-%d}"


def _iso(epoch: float, clock: Clock) -> str:
    return datetime.fromtimestamp(epoch, clock.tz).isoformat(timespec="seconds")
