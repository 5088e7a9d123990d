"""Shift handover (交接班): what was done this shift, the call-backs the desk owes, what is
open and due next, incidents in progress — from the device's records, live and archived.
Each case is named by its number, where it is (the flat, the asset's code) and its title.

A case's steps read as its history reads them (the taking, who it was sent to, a reopening),
states named by the lifecycle file in use; a step typed this shift with an earlier time (a
late record, 补记) is this shift's work and says so. A neighbour dispute is shown with both
flats, and its statements with the speaker's name masked (the handover is printed and left
on the desk)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fieldkit.i18n import get_language, known, plural, t
from fieldkit.model import localtime
from fieldkit.model.incident import began_of
from fieldkit.reports import dates
from fieldkit.reports.document import Document, Facts, Grid, Para, Section, SignOff, to_markdown
from fieldkit.reports.html_page import to_html
from fieldkit.reports.pdf import to_pdf
from fieldkit.services.device_role import ROUND_ROLES
from fieldkit.store.layout import is_finished

FORMATS = ("text", "md", "html", "pdf")
#: The most open cases "overdue and due next" lists (those due first); the rest are counted
#: and left to the case list: a handover is read in minutes, at the end of a shift.
DUE_MOST = 100


@dataclass(frozen=True)
class Done:
    at: datetime  # when it happened, as the person gave it
    ref: str
    title: str
    kind: str
    text: str
    by: str
    typed: datetime | None = None  # when it was recorded, if later (a late record)


@dataclass(frozen=True)
class Due:
    ref: str
    title: str
    status: str
    department: str
    due: datetime | None
    overdue: bool


@dataclass(frozen=True)
class Owed:
    """A case whose work is done and that waits on the desk's call to the owner."""

    ref: str
    title: str
    status: str
    department: str
    since: datetime | None  # when the work was done: its last move


@dataclass(frozen=True)
class Running:
    ref: str
    type: str
    place: str
    severity: str
    status: str
    last: str  # the latest timeline entry, in words (a notice by its title)
    what: str = ""  # the type as the plan names it (暴雨), in the handover's language
    where: str = ""  # every place, as people say them (1号楼、2号楼)
    began: str = ""  # when the call or alarm came in (ISO UTC)


@dataclass(frozen=True)
class Checked:
    """A round of a checklist submitted on this device in the shift, in words."""

    at: datetime
    title: str  # the checklist's
    where: str
    result: str  # all normal, or the cases it raised (services.round_result)


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
    more: int = 0  # overdue or due next beyond the DUE_MOST listed
    waiting: int = 0  # due by then, done and waiting on a re-inspection or closing: not listed
    call_backs: list[Owed] = field(default_factory=list)  # owed, the longest waiting first
    incidents: list[Running] = field(default_factory=list)
    by: str = ""  # the person handing over: the one signed in on the device
    rounds: list[Walked] = field(default_factory=list)
    checks: list[Checked] = field(default_factory=list)  # rounds submitted in the shift
    next_checks: list[Checked] = field(default_factory=list)  # rounds late or due next
    owes_call_backs: bool = True  # the desk's call-backs are this post's work (not a guard's)
    checks_shown: bool = False  # the checklists submitted are this post's work (not the desk's)
    lang: str = "en"  # the language the words were put in
    compound: str = ""


def _when(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        found = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _title(doc: dict, lang: str | None = None, places: dict[str, str] | None = None) -> str:
    """Where the case is and what it is about: ``2-1-304 厨房有燃气味``; a dispute by its
    title and both flats; a case on a building, or one that keeps no place of its own, by
    its target's name in ``places`` (id → words), if given."""
    titles = doc.get("titles") or (doc.get("extra") or {}).get("titles")
    if isinstance(titles, dict):
        title = str(titles.get(lang or "zh") or titles.get("zh") or titles.get("en") or "")
    else:
        title = str(doc.get("title") or doc.get("category") or "")
    from fieldkit.services.disputes import sides_of

    sides = sides_of(doc)
    if sides:
        return title + " " + " ↔ ".join(s.get("where", "?") for _, s in sorted(sides.items()))
    extra = doc.get("extra") or {}
    where = str(doc.get("where") or extra.get("where") or "")
    target = doc.get("target") or {}
    named = (places or {}).get(str(target.get("id") or ""), "")
    if named and (not where or target.get("kind") in NAMED):
        where = named  # a building by its name (3号楼), never its bare number; 翠湖苑, not CH
    return f"{where} {title}".strip() if where not in title else title  # 1号楼2单元…: said


def call_back_states() -> frozenset[tuple[str, str]]:
    """(kind, state) of the cases the desk owes a call-back, which the handover lists: the
    office server picks them out of its case index by these."""
    from fieldkit.services.cases import call_back_states as owed

    return owed()


#: places the handover names by their name, never their code
NAMED = ("building", "site")


def place_words(store: Any, lang: str) -> dict[str, str]:
    """Each place's id → how the handover names it: a flat, an asset or a checkpoint by its
    code, a building or the compound by its name (1号楼 / Building 1, 翠湖苑)."""
    from fieldkit.reports.trends import PLACE_KINDS

    found: dict[str, str] = {}
    for kind in (*PLACE_KINDS, "site"):
        for doc in store.reference_docs(kind):
            names = doc.get("names") if isinstance(doc.get("names"), dict) else {}
            said = (
                (names.get(lang) or doc.get("name"))
                if kind in NAMED
                else (doc.get("label") or doc.get("number") or doc.get("code"))
            )
            if said:
                found[str(doc.get("id"))] = str(said)
    return found


def _since(doc: dict) -> datetime | None:
    """When a case last moved (its work done, for one awaiting its call-back)."""
    moved = [_when(ev.get("at")) for ev in doc.get("events") or []
             if isinstance(ev, dict) and ev.get("type") == "status"]  # fmt: skip
    return max((at for at in moved if at is not None), default=_when(doc.get("created_at")))


def _state(doc: dict, status: object, lang: str | None = None) -> str:
    from fieldkit.services.lifecycle import status_label

    return status_label(str(doc.get("kind") or ""), str(status or "?"), lang)


def _incident_places(doc: dict) -> list[Any]:
    """The places an incident covers, from its record (those given at opening and every
    one added on its timeline)."""
    from fieldkit.services import incident_places as places_

    given = doc.get("places") or (doc.get("extra") or {}).get("places") or []
    found = [d for d in given if isinstance(d, dict)]
    for ev in doc.get("timeline") or []:
        if ev.get("type") == "place":
            found += [d for d in (ev.get("data") or {}).get("places") or [] if isinstance(d, dict)]
    return places_.merge(p for p in (places_.Place.from_dict(d) for d in found) if p)


def _incident_words(answers_of: _Answers, doc: dict, lang: str) -> tuple[str, str]:
    """(the type as its plan names it, the places) of an incident record; ``answers_of``
    gives the answers of its plan runs by inspection id."""
    from fieldkit.services import incidents as inc

    answers: dict[str, Any] = {}
    for inspection_id in doc.get("inspections") or []:
        answers.update(answers_of.get(inspection_id) or {})
    what = inc.type_words(str(doc.get("type") or "other"), answers, lang)
    return what, inc.where(_incident_places(doc), str(doc.get("place") or ""), lang)


def _entry_words(ev: dict, lang: str) -> str:
    """An incident's timeline entry as the report words it (a notice by its title)."""
    from fieldkit.services import incidents as inc
    from fieldkit.services.incident_report import entry_text

    entry = inc.Entry(str(ev.get("id", "")), str(ev.get("at", "")), str(ev.get("type", "")),
                      str(ev.get("text") or ""), str(ev.get("by") or ""),
                      dict(ev.get("data") or {}))  # fmt: skip
    return entry_text(entry, lang)


def _case_lines(doc: dict, start: datetime, end: datetime, lang: str) -> list[tuple]:
    """(when it happened, when it was typed, sentence, by) for each step of a case done in
    the shift, worded as the case's history words it (:mod:`fieldkit.services.history`):
    the taking, "派给工程部 张师傅", "改派给王师傅（原为工程部 张师傅）", a reopening. A
    late record — a statement given yesterday and typed this shift — is this shift's work:
    it is listed, at the time it names, saying when it was typed. Speakers stay masked:
    the handover is printed and left on the desk."""
    from fieldkit.services import history

    events = history.events_of(doc)
    # the case's title (the owner's words) heads its steps: the taking does not repeat them
    lines = history.sentences(str(doc.get("kind") or ""), events, lang, said=False)
    out = []
    for event, line in zip(events, lines, strict=True):
        if event.at == float("inf"):
            continue
        typed = event.recorded if history.late(event) else event.at
        if start.timestamp() <= typed <= end.timestamp():
            at = datetime.fromtimestamp(event.at, UTC)
            out.append((at, datetime.fromtimestamp(typed, UTC), line, event.by))
    return out


def handover(
    store: Any,
    now: datetime | None = None,
    shift_hours: float = 12,
    next_hours: float = 12,
    lang: str | None = None,
    role: str = "",
    ws: Any = None,
) -> Handover:
    """The device's handover: :func:`build` over every case, incident and patrol round the
    store holds (live and archived) and the plan runs of the incidents it shows, signed by
    the person signed in on the device; of the cases, those ``role``'s home lists
    (:func:`fieldkit.services.cases.on_home`: a patroller's handover read the desk's
    complaints, nc29), every case for no role. Given the workspace, the rounds submitted
    in the shift are listed too (nc27: four fire rounds and the handover said nothing)."""
    from fieldkit.services.cases import EVERY_CASE_HOME, on_home
    from fieldkit.services.notices import compound_name
    from fieldkit.services.signin import signed_in

    lang = lang or get_language()
    end = now or datetime.now(UTC)

    def mine(kind: str, doc: dict) -> bool:
        return kind != "case" or on_home(role, str(doc.get("kind")), str(doc.get("category")))

    records = (
        (kind, doc)
        for kind, doc in store.iter_records(["case", "incident", "patrol_round"])
        if mine(kind, doc)
    )  # streamed: build keeps few
    routes = {r.id: r for r in store.reference("patrol_route")}
    out = build(records, end, shift_hours, next_hours, lang, by=signed_in(store).name,
                compound=compound_name(store, lang), routes=routes,
                runs=lambda i: store.peek("inspection", i, "answers"),
                places=place_words(store, lang))  # fmt: skip
    out.owes_call_backs = role in ("", *EVERY_CASE_HOME)
    if ws is not None:
        out.checks_shown = role != "desk"
        out.checks = shift_checks(ws, out.start, out.end, lang, role)
        if not role or role in ROUND_ROLES:
            out.next_checks = checks_due(ws, out.end, next_hours, lang)
    return out


def checks_due(ws: Any, end: datetime, next_hours: float, lang: str) -> list[Checked]:
    """The rounds late at ``end`` or due in the next ``next_hours``, as the home's due list
    says them (nc30: the guard taking over had to go back to the home for them). ``at`` is
    when each is due, ``result`` the home's words (超期 2 小时 / 08:00 前)."""
    from fieldkit.services.schedules import due
    from fieldkit.services.types import pick

    horizon = end.timestamp() + next_hours * 3600
    return [
        Checked(datetime.fromtimestamp(d.due, UTC), pick(d.title, lang), d.target.label(lang),
                pick(d.when or {}, lang))
        for d in due(ws, end.timestamp(), limit=DUE_MOST)
        if d.overdue or d.due <= horizon
    ]  # fmt: skip


def of_device(ws: Any, **given: Any) -> Handover:
    """:func:`handover` of a device: its post's cases and its rounds of the shift."""
    from fieldkit.services.device_role import role_at

    return handover(ws.store, role=role_at(ws.data_dir, ws.store), ws=ws, **given)


def _noted(notes: tuple[str, ...], lang: str) -> str:
    """What the round's person wrote, after its result (an alarm noted in the duty log is
    what the next guard must hear of)."""
    if not notes:
        return ""
    from fieldkit.services.history import clip

    return t(
        "trends.handover.noted",
        lang,
        notes=clip(t("trends.handover.note_sep", lang).join(notes), NOTED_MOST),
    )


#: Characters of a round's written notes the handover keeps on its line
NOTED_MOST = 160


def post_checks(role: str, checklist_id: str) -> bool:
    """Whether a run of ``checklist_id`` is the work of ``role``'s post: the patrol's fire
    and security rounds, the inspector's renovation rounds, the coordinator's plans, none
    of the desk's; the office's and a device with no role, every one."""
    renovation, plan = checklist_id.startswith("renovation."), checklist_id.startswith("emergency.")
    return {
        "desk": False,
        "emergency": plan,
        "renovation": renovation,
        "patrol": not (renovation or plan),
    }.get(role, True)


def shift_checks(
    ws: Any, start: datetime, end: datetime, lang: str, role: str = ""
) -> list[Checked]:
    """The rounds submitted from ``start`` to ``end``, oldest first, each run apart (a duty
    log filled in twice is two: :func:`fieldkit.services.schedules.submitted_between`)."""
    from fieldkit.services.round_result import found_words
    from fieldkit.services.schedules import submitted_between
    from fieldkit.services.types import pick

    done = submitted_between(ws, start.timestamp(), end.timestamp())
    return [
        Checked(datetime.fromtimestamp(d.at, UTC), pick(d.title, lang), d.target.label(lang),
                found_words(d, lang) + _noted(d.notes, lang))
        for d in reversed(done)
        if post_checks(role, d.checklist_id)
    ]  # fmt: skip


def shown_incident(doc: dict, start: datetime, end: datetime) -> bool:
    """Whether the handover of the shift from ``start`` to ``end`` shows an incident record:
    it is in progress, or its timeline has an entry in the shift (so a caller fetches the
    plan runs of these only)."""
    if not is_finished("incident", doc):
        return True
    return any(start <= at <= end for ev in doc.get("timeline") or []
               if (at := _when(ev.get("at"))) is not None)  # fmt: skip


def _touched(doc: dict, start: float) -> bool:
    """Whether anything of a case record happened or was typed at ``start`` or after (the
    case's history is worded only for these: most cases were last touched long ago)."""
    from fieldkit.services.cases import epoch
    from fieldkit.services.disputes import RECORDED_AT

    def since(value: object) -> bool:
        return isinstance(value, str) and epoch(value) >= start

    if since(doc.get("created_at")):
        return True
    for ev in doc.get("events") or []:
        data = ev.get("data") if isinstance(ev, dict) else None
        if isinstance(ev, dict) and since(ev.get("at")):
            return True
        if isinstance(data, dict) and since(data.get(RECORDED_AT)):
            return True
    return False


def build(
    records: Iterable[tuple[str, dict]],
    now: datetime,
    shift_hours: float = 12,
    next_hours: float = 12,
    lang: str | None = None,
    *,
    by: str = "",
    compound: str = "",
    routes: dict[str, Any] | None = None,
    runs: Callable[[str], dict | None] | None = None,
    counts: tuple[int, int, int] | None = None,
    places: dict[str, str] | None = None,
) -> Handover:
    """The handover for the shift that ends ``now`` and lasted ``shift_hours``, from plain
    records as (kind, dict), which may be streamed: cases (only those still open or
    touched in the shift are kept), incidents and patrol rounds; ``runs(inspection id)``
    is a plan run an incident names, as a record dict (its ``answers``; None if there is
    none), asked only of the incidents shown. Open cases overdue or due in the following
    ``next_hours`` are listed, later ones counted — ``counts`` (open cases still to do due
    by then, those due later or never, those due by then but done or waiting) where the
    caller counted them and gave the first due only. A case done or waiting on the owner or
    the call-back is never overdue (:func:`fieldkit.services.cases.overdue`) and is not work
    due next: one the desk owes a call-back is listed with the call-backs
    (:func:`fieldkit.services.cases.owes_call_back`), whenever it is due; the others are
    counted. ``places`` (id → words) names a case that keeps no place of its own.
    Words (states, departments, incident types and entries) are put in ``lang``; ``by``
    hands over, ``routes`` (id → route record) name the rounds.

    One builder for the device (:func:`handover`, from its store) and the office server
    (the console's handover, from its ``records`` table): the same report either way."""
    lang = lang or get_language()
    end = now
    start = end - timedelta(hours=shift_hours)
    horizon = end + timedelta(hours=next_hours)
    out = Handover(start, end, by=by, lang=lang, compound=compound)
    routes = routes or {}
    cases: list[dict] = []
    incidents: list[dict] = []
    answers_of = _Answers(runs or (lambda _: None))
    for entity, doc in records:
        if entity == "case":
            if not is_finished("case", doc) or _touched(doc, start.timestamp()):
                cases.append(doc)
        elif entity == "incident":
            incidents.append(doc)
        elif entity == "patrol_round":
            walked = _walked(doc, routes, start, end)
            if walked is not None:
                out.rounds.append(walked)
    cases.sort(key=lambda d: str(d.get("id", "")))
    incidents.sort(key=lambda d: str(d.get("id", "")))
    for doc in cases:
        if not _touched(doc, start.timestamp()):
            continue
        lines = _case_lines(doc, start, end, lang)
        title = _title(doc, lang, places) if lines else ""
        ref = str(doc.get("id", ""))[-6:]
        for at, typed, text, who in lines:
            out.done.append(Done(at, ref, title, "case", text, who, typed))
    for doc in incidents:
        _incident_done(out, doc, answers_of, start, end, lang)
    out.done.sort(key=lambda d: d.typed or d.at)  # in the order the shift did them
    out.rounds.sort(key=lambda w: w.at)
    from fieldkit.services.cases import WAITING, overdue, owes_call_back

    later = waiting = 0
    for doc in cases:
        if is_finished("case", doc):
            continue
        status = str(doc.get("status") or "")
        if owes_call_back(str(doc.get("kind") or ""), status):
            out.call_backs.append(Owed(str(doc.get("id", ""))[-6:], _title(doc, lang, places),
                                       _state(doc, status, lang),
                                       str(doc.get("department") or ""), _since(doc)))  # fmt: skip
            continue
        due = _when(doc.get("due"))
        if due is None or due > horizon:
            later += 1
            continue
        if status in WAITING:
            waiting += 1
            continue
        out.due.append(Due(str(doc.get("id", ""))[-6:], _title(doc, lang, places),
                           _state(doc, status, lang), str(doc.get("department") or ""), due,
                           overdue(status, due.timestamp(), end.timestamp())))  # fmt: skip
    out.due.sort(key=lambda d: d.due or end)
    out.call_backs.sort(key=lambda o: (o.since or end, o.ref))
    due_count, out.later, out.waiting = (
        counts if counts is not None else (len(out.due), later, waiting)
    )
    del out.due[DUE_MOST:]
    out.more = max(0, due_count - len(out.due))
    for doc in incidents:
        if is_finished("incident", doc):
            continue
        what, where = _incident_words(answers_of, doc, lang)
        timeline = [ev for ev in doc.get("timeline") or [] if isinstance(ev, dict)]
        latest = max(timeline, key=_entry_order, default=None)
        last = _entry_words(latest, lang) if latest else ""
        out.incidents.append(Running(
            str(doc.get("id", ""))[-6:], str(doc.get("type") or "other"),
            str(doc.get("place") or ""), str(doc.get("severity") or ""),
            str(doc.get("status") or ""), last, what, where, began_of(doc),
        ))  # fmt: skip
    return out


class _Answers:
    """The answers of plan runs by inspection id, each looked up once when first asked for
    (``runs``: the run's record dict, or None)."""

    def __init__(self, runs: Callable[[str], dict | None]) -> None:
        self.runs = runs
        self.found: dict[str, dict] = {}

    def get(self, inspection_id: str) -> dict:
        key = str(inspection_id)
        if key not in self.found:
            doc = self.runs(key) or {}
            self.found[key] = {
                k: a.get("value") for k, a in (doc.get("answers") or {}).items()
                if isinstance(a, dict)
            }  # fmt: skip
        return self.found[key]


def _entry_order(ev: dict) -> tuple[str, str, str]:
    """A timeline entry's place on the timeline, as the store orders them."""
    return (str(ev.get("at", "")), str(ev.get("hlc", "")), str(ev.get("id", "")))


def _incident_done(
    out: Handover,
    doc: dict,
    answers_of: _Answers,
    start: datetime,
    end: datetime,
    lang: str,
) -> None:
    """The entries of an incident's timeline made in the shift, into ``out.done``: each in
    words, and its decisions as one line — the flats' as the timeline groups them
    (``incident_report.decided_line``), the visits they raised counted there — the
    incident report lists them."""
    ref = str(doc.get("id", ""))[-6:]
    title = ""
    decided: list[tuple[datetime, str]] = []
    flats: list[str] = []  # what was decided for each flat
    last_decided = (start, "")
    timeline = [ev for ev in doc.get("timeline") or [] if isinstance(ev, dict)]
    visits = {  # raised by a flat's decision at close: the flats' line counts them
        str((ev.get("data") or {}).get("case")) for ev in timeline
        if ev.get("type") == "decision" and (ev.get("data") or {}).get("point") == "person"
    }  # fmt: skip
    for ev in timeline:
        at = _when(ev.get("at"))
        if at is None or not start <= at <= end:
            continue
        if ev.get("type") == "followup" and str((ev.get("data") or {}).get("case")) in visits:
            continue
        if ev.get("type") == "decision":
            data = ev.get("data") or {}
            if data.get("point") == "person":
                flats.append(str(data.get("decision", "")))
            else:
                decided.append((at, str(ev.get("by") or "")))
            last_decided = (at, str(ev.get("by") or ""))
            continue
        text = _entry_words(ev, lang)
        title = title or t("trends.handover.incident", lang,
                           **dict(zip(("what", "where"), _incident_words(answers_of, doc, lang),
                                      strict=True)))  # fmt: skip
        out.done.append(Done(at, ref, title, "incident", text, str(ev.get("by") or "")))
    lines = []
    if flats:
        from fieldkit.services.incident_report import decided_line

        lines.append(decided_line(flats, lang))
    if decided:
        lines.append(plural("trends.handover.decisions", len(decided), lang))
    if lines:
        at, by = last_decided
        sep = "" if lang == "zh" else " "
        out.done.append(Done(at, ref, title, "incident", sep.join(lines), by))


def _word(key: str, value: str, lang: str | None) -> str:
    """A stored id (a department, an incident's type) as the reader's word; as is if new."""
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


def _round_result(w: Walked, lang: str | None) -> str:
    """What a round found: still walking, every stop on time, or what was missed or late."""
    if not w.finished:
        return t("rules.handover.walking", lang, scanned=w.scanned)
    if not (w.missed or w.late or w.out_of_order or w.not_on_route):
        return t("rules.handover.clean", lang, scanned=w.scanned)
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
    return t("rules.handover.sep", lang).join(parts)


def _round_line(w: Walked, lang: str | None) -> str:
    from fieldkit.services.types import pick

    head = f"{_local(w.at)}  {pick(w.route, lang)}" + (f" ({w.by})" if w.by else "")
    return head + " — " + _round_result(w, lang)


def _local(at: datetime | None) -> str:
    return localtime.fmt(at, "short") if at else "-"


def _incident_line(i: Running, lang: str | None) -> str:
    where = f" · {i.where}" if i.where else ""
    return (f"{i.what or _word('incidents.type', i.type, lang)}{where} "
            f"[{_word('incidents.severity', i.severity, lang)}, "
            f"{_state_words(i, lang)}] {i.last}").rstrip()  # fmt: skip


def _state_words(i: Running, lang: str | None) -> str:
    """Its status and when the call came in: 处置中，接警 12-07 05:10."""
    status = _word("incidents.status", i.status, lang)
    if not i.began:
        return status
    when = dates.full_time(dates.parse(i.began), lang, short=True)
    return t("incidents.began.state", lang, status=status, time=when)


def _due_when(d: Due, lang: str) -> str:
    when = dates.full_time(d.due, lang, short=True, deadline=True)
    return t("trends.handover.overdue_at", lang, when=when) if d.overdue else when


def by_record(done: list[Done]) -> list[tuple[Done, bool]]:
    """What was done, each case's or incident's steps together under its first (True for
    the first of each): a case moved four times in the shift reads as its number and title
    once, then its steps in order, instead of four lines repeating its title. Records come
    in the order of their first step."""
    groups: dict[tuple[str, str], list[Done]] = {}
    for d in done:
        groups.setdefault((d.kind, d.ref), []).append(d)
    return [(d, i == 0) for steps in groups.values() for i, d in enumerate(steps)]


def document(h: Handover, lang: str | None = None) -> Document:
    """The handover as a printable document: who hands over and the shift, then what was
    done, the call-backs owed, what is due next, the incidents in progress and the patrol
    rounds, and lines for both people to sign."""
    from fieldkit.services.incident_report import generated
    from fieldkit.services.types import pick

    lang = lang or h.lang
    r = "trends.handover."
    none = t(r + "none_row", lang)
    department = "checklists.words.department"
    done = tuple(
        (dates.full_time(d.at, lang, short=True), d.ref if first else "",
         d.title if first else "", d.text if first else f"↳ {d.text}", d.by or "—")
        for d, first in by_record(h.done)  # ↳: a step of the case above, as on screen (nc30)
    )  # fmt: skip
    due = tuple(
        (_due_when(d, lang), d.ref, d.title, d.status, _word(department, d.department, lang))
        for d in h.due
    )
    owed = tuple(
        (dates.full_time(o.since, lang, short=True) if o.since else "—", o.ref, o.title,
         o.status, _word(department, o.department, lang))
        for o in h.call_backs
    )  # fmt: skip
    later = (Para(t(r + "later", lang, count=h.later), note=True),) if h.later else ()
    if h.waiting:
        later = (*later, Para(t(r + "waiting", lang, count=h.waiting), note=True))
    if h.more:
        later = (Para(t(r + "more", lang, count=h.more, most=len(h.due)), note=True), *later)
    running = tuple(
        (i.what or _word("incidents.type", i.type, lang), i.where or i.place or "—",
         _word("incidents.severity", i.severity, lang), _state_words(i, lang), i.last or "—")
        for i in h.incidents
    )  # fmt: skip
    rounds = tuple(
        (dates.full_time(w.at, lang, short=True), pick(w.route, lang), w.by or "—",
         _round_result(w, lang))
        for w in h.rounds
    )  # fmt: skip
    checks = tuple(
        (dates.full_time(c.at, lang, short=True), c.title, c.where, c.result) for c in h.checks
    )
    next_checks = tuple((c.title, c.where, c.result) for c in h.next_checks)
    facts = Facts((
        (t("incidents.report.compound", lang), h.compound or "—"),
        (t(r + "handed_over_by", lang), h.by or "—"),
        (t(r + "shift_start", lang), dates.full_time(h.start, lang)),
        (t(r + "shift_end", lang), dates.full_time(h.end, lang)),
    ))  # fmt: skip
    col = "trends.handover.col."
    sections = (
        Section(t(r + "done", lang, count=len(h.done)), (Grid(
            (t(col + "time", lang), t(col + "ref", lang), t(col + "what", lang),
             t(col + "done", lang), t(col + "by", lang)),
            done, none, (0.22, 0.09, 0.27, 0.29, 0.13), carry=(1, 2),
            continued=t(r + "continued", lang)),)),
        *((Section(t(r + "call_backs", lang, count=len(h.call_backs)), (Grid(
            (t(col + "done_at", lang), t(col + "ref", lang), t(col + "what", lang),
             t(col + "status", lang), t(col + "department", lang)),
            owed, none, (0.22, 0.09, 0.39, 0.16, 0.14)),)),) if h.owes_call_backs else ()),
        Section(t(r + "due", lang, count=len(h.due) + h.more), (Grid(
            (t(col + "due", lang), t(col + "ref", lang), t(col + "what", lang),
             t(col + "status", lang), t(col + "department", lang)),
            due, none, (0.31, 0.09, 0.30, 0.16, 0.14)), *later)),
        Section(t(r + "incidents", lang, count=len(h.incidents)), (Grid(
            (t(col + "type", lang), t(col + "where", lang), t(col + "severity", lang),
             t(col + "status", lang), t(col + "last", lang)),
            running, none, (0.13, 0.2, 0.09, 0.11, 0.47)),)),
        Section(t("rules.handover.rounds", lang, count=len(h.rounds)), (Grid(
            (t(col + "time", lang), t(col + "route", lang), t(col + "by", lang),
             t(col + "result", lang)),
            rounds, none, (0.22, 0.24, 0.13, 0.41)),)),
        *((Section(t(r + "checks", lang, count=len(h.checks)), (Grid(
            (t(col + "time", lang), t(col + "checklist", lang), t(col + "where", lang),
             t(col + "result", lang)),
            checks, none, (0.22, 0.3, 0.24, 0.24)),)),) if h.checks_shown else ()),
        *((Section(t(r + "next_checks", lang, count=len(h.next_checks)), (Grid(
            (t(col + "checklist", lang), t(col + "where", lang), t(col + "due", lang)),
            next_checks, none, (0.46, 0.24, 0.3)),)),) if h.next_checks else ()),
        SignOff(tuple(t(r + k, lang) for k in ("handed_over_by", "taken_over_by", "signed_on")),
                (h.by,)),
    )  # fmt: skip
    return Document(
        title=t(r + "doc_title", lang),
        lang=lang,
        header=" · ".join(x for x in (h.compound, t(r + "doc_title", lang)) if x),
        footer=generated(lang),
        blocks=(facts, *sections),
        subtitle=t(r + "shift", lang, start=dates.full_time(h.start, lang),
                   end=dates.full_time(h.end, lang)),
    )  # fmt: skip


def render(h: Handover, fmt: str = "text", lang: str | None = None) -> str:
    """The handover as plain text (the terminal, the app's screen), Markdown or a
    printable HTML page (:func:`render_pdf` for the PDF)."""
    lang = lang or h.lang
    if fmt == "md":
        return to_markdown(document(h, lang))
    if fmt == "html":
        return to_html(document(h, lang))
    title = t("trends.handover.title", lang, start=_local(h.start), end=_local(h.end))
    if h.by:
        title += t("signin.handover.by", lang, name=h.by)
    sections: list[tuple[str, list[str]]] = []
    sections.append(
        (
            t("trends.handover.done", lang, count=len(h.done)),
            [f"{_local(d.at)}  " + (f"#{d.ref} {d.title} — " if first else "   ↳ ") + d.text
             + (t("signin.handover.done_by", lang, name=d.by) if d.by else "")
             for d, first in by_record(h.done)],
        )
    )  # fmt: skip
    if h.owes_call_backs:
        sections.append(
            (
                t("trends.handover.call_backs", lang, count=len(h.call_backs)),
                [f"{_local(o.since)}  #{o.ref} {o.title} "
                 f"[{o.status}, {_word('checklists.words.department', o.department, lang)}]"
                 for o in h.call_backs],
            )
        )  # fmt: skip
    due_lines = [
        f"{dates.deadline(d.due, lang, short=True) if d.due else '-'}  #{d.ref} {d.title} "
        f"[{d.status}, {_word('checklists.words.department', d.department, lang)}]"
        + (" " + t("trends.handover.overdue", lang) if d.overdue else "")
        for d in h.due
    ]
    if h.more:
        due_lines.append(t("trends.handover.more", lang, count=h.more, most=len(h.due)))
    if h.later:
        due_lines.append(t("trends.handover.later", lang, count=h.later))
    if h.waiting:
        due_lines.append(t("trends.handover.waiting", lang, count=h.waiting))
    sections.append((t("trends.handover.due", lang, count=len(h.due) + h.more), due_lines))
    sections.append(
        (
            t("trends.handover.incidents", lang, count=len(h.incidents)),
            [_incident_line(i, lang) for i in h.incidents],
        )
    )
    sections.append(
        (
            t("rules.handover.rounds", lang, count=len(h.rounds)),
            [_round_line(w, lang) for w in h.rounds],
        )
    )
    if h.checks_shown:
        sections.append(
            (
                t("trends.handover.checks", lang, count=len(h.checks)),
                [f"{_local(c.at)}  "
                 + t("trends.handover.check", lang, title=c.title, where=c.where, result=c.result)
                 for c in h.checks],
            )
        )  # fmt: skip
    if h.next_checks:
        sections.append(
            (
                t("trends.handover.next_checks", lang, count=len(h.next_checks)),
                [f"{c.title} — {c.where} · {c.result}" for c in h.next_checks],
            )
        )
    none = t("trends.handover.none", lang)
    out = [title, ""]
    for head, lines in sections:
        out.append(head)
        out.extend(f"  {line}" for line in (lines or [none]))
        out.append("")
    return "\n".join(out)


def render_pdf(h: Handover, lang: str | None = None) -> bytes:
    """The handover as a PDF (FontsMissing when the report fonts are not installed)."""
    return to_pdf(document(h, lang))
