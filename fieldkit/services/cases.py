"""Cases as the app lists them: lifecycle moves, due times, and an in-memory index that
pages 100k cases in one cheap pass (only the rows of the page are built).

Which moves a case can make, who may make them and what each needs come from the office's
lifecycle file (:mod:`fieldkit.services.lifecycle`); this module only lists and pages.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from fieldkit.config import LANGUAGES
from fieldkit.i18n import UserError, known, plural, t
from fieldkit.model import iso_epoch, localtime
from fieldkit.services.types import (
    CALL_BACK,
    UNFINISHED,
    CaseFilter,
    CasePage,
    CaseRow,
    CaseView,
)

DONE = frozenset({"closed", "cancelled"})
#: The kinds of case in the order the desk lists and picks them: what it takes most first.
LISTED_KINDS = ("repair", "complaint", "dispute", "visit", "finding", "violation")
#: Work is done and the case waits on the owner or the follow-up visit: never overdue.
WAITING = frozenset(
    {"resolved", "done", "replied", "settled", "referred", "followed_up", "closed", "cancelled"}
)
#: The kinds whose follow-up is a re-inspection on site (待复查), not a call to the owner.
RECHECKED = frozenset({"finding", "violation"})
_DUE = re.compile(r"^(\d+)\s*([mhdw])$")
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
#: The most a person types into one note, reply, description or statement: a few long
#: paragraphs. Far longer is a paste gone wrong, and the office refuses a record whose text
#: passes its own limit (:mod:`fieldkit.sync.limits`) — better said here, while it is typed.
TEXT_MAX = 2000
#: What a typed case number can be: the end of a case's id, as printed (b3a175) or its last
#: digits, at least four (fewer match too many cases to be a number someone reads out).
CASE_NUMBER = re.compile(r"[0-9a-f]{4,12}")


class CaseError(UserError, ValueError):
    """A lifecycle move that is not allowed; ``key`` is the i18n message."""


def check_text(text: str) -> str:
    """``text`` when it is within :data:`TEXT_MAX` characters; CaseError saying how long it
    is when not (a form shows it beside the field and keeps what was typed)."""
    if len(text.strip()) > TEXT_MAX:
        raise CaseError("desk.text.too_long", limit=TEXT_MAX, count=len(text.strip()))
    return text


#: Under this many hours, time left is said in hours and minutes (还剩 1 小时 59 分): a
#: fitter planning the next call-out needs the minutes; beyond, whole hours or days.
EXACT_HOURS = 6


def due_words(due: float, now: float, lang: str | None = None) -> str:
    """How long until a due time, or past it, as every list, card and case says it, zh and
    en. Time left is never said as less or more than there is: under an hour in minutes
    (还剩 40 分钟), under :data:`EXACT_HOURS` in hours and minutes (还剩 1 小时 59 分), under
    48 hours in hours and beyond in days, "多" / "+" when part of one is left (还剩 14
    小时多, 还剩 3 天多). Lateness is rounded down (50 h late reads "超期 2 天")."""
    left = due - now
    hours = left / 3600
    if hours < 0:
        late = -hours
        if late >= 48:
            return t("rounds.due.overdue_days", lang, days=math.floor(late / 24))
        return t("ui.cases.overdue_by", lang, hours=max(math.floor(late), 1))
    minutes = max(math.floor(left / 60), 1)  # the last minute still reads one
    if minutes < 60:
        return t("ui.cases.due_in_minutes", lang, minutes=minutes)
    if hours < EXACT_HOURS:
        whole, rest = divmod(minutes, 60)
        if not rest:
            return t("ui.cases.due_in_hours", lang, hours=whole)
        return t("ui.cases.due_in_hours_minutes", lang, hours=whole, minutes=rest)
    unit, size = ("hours", 3600) if hours < 48 else ("days", 86400)
    count, rest = divmod(math.floor(left), size)
    key = f"ui.cases.due_in_{unit}" if rest < 60 else f"ui.cases.due_over_{unit}"
    return t(key, lang, **{unit: count})


def age_words(since: float, now: float, lang: str | None = None) -> str:
    """How long ago ``since`` was, rounded down as lateness is: 40 分钟前, 5 小时前, 3 天前
    (under 48 hours in hours, beyond in days)."""
    left = max(now - since, 0.0)
    unit, size = ("minutes", 60) if left < 3600 else ("hours", 3600) if left < 48 * 3600 else (
        "days", 86400)  # fmt: skip
    return plural(f"desk.age.{unit}", max(math.floor(left / size), 1), lang)


def due_seconds(text: str) -> int:
    """``30m`` / ``4h`` / ``3d`` / ``1w`` in seconds; ValueError for anything else."""
    match = _DUE.match(text.strip())
    if not match:
        raise ValueError(f"not a duration: {text!r}")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, localtime.zone()).isoformat(timespec="seconds")


def overdue(status: str, due: float, now: float) -> bool:
    """The one rule of overdue, for the case list, the handover and the reports: past its due
    time while the work is still to do. A case done or waiting on the owner or the follow-up
    visit (:data:`WAITING`) is never overdue."""
    return status not in WAITING and due < now


def epoch(text: str | None) -> float:
    """Epoch seconds of a stored ISO time; infinity (never due) for none or a bad one."""
    at = iso_epoch(text)
    return float("inf") if at is None else at


@dataclass(slots=True)
class Entry:
    """What the list needs of one case, kept for every case on the device."""

    id: str
    kind: str
    status: str
    department: str
    severity: str
    building: str
    target_id: str
    where: str | dict[str, str]  # a building by its name in each language ("3号楼")
    due: float
    title: dict[str, str]
    other_id: str = ""  # a neighbour dispute's other flat: the case is on both
    category: str = ""  # a finding's checklist id, a repair's or complaint's category

    def overdue(self, now: float) -> bool:
        return overdue(self.status, self.due, now)

    def row(self, now: float) -> CaseRow:
        return CaseRow(
            id=self.id,
            kind=self.kind,
            category=self.category,
            ref=self.id[-6:],
            title=self.title,
            target=self.where,
            building=self.building,
            department=self.department,
            severity=self.severity,
            status=self.status,
            due=self.due,
            overdue=self.overdue(now),
        )


def entry(doc: dict[str, Any], places: Any) -> Entry:
    """An index entry from a stored case dict; where the device made it, ``extra`` holds the
    code and building, otherwise they come from the reference data."""
    from fieldkit.store.case_index import row

    return entry_of_row(row(doc), places)


def entry_of_row(r: tuple, places: Any) -> Entry:
    """An index entry from a case index row (:func:`fieldkit.store.case_index.row`)."""
    import orjson

    _, kind, status, department, severity, category, target_id, title, *_ = r
    building, spot, other_id = placed(target_id, *r[8:11], places)
    return Entry(
        id=r[0],
        kind=kind,
        status=status,
        department=department,
        severity=severity,
        building=building,
        target_id=target_id,
        where=spot,
        due=float("inf") if r[-1] is None else r[-1],
        title=orjson.loads(title),
        other_id=other_id,
        category=category,
    )


def placed(
    target_id: str, where: str, building: str, other: str, places: Any
) -> tuple[str, str | dict[str, str], str]:
    """(building, where, other flat's id) of a case as the list shows it: what the device
    wrote on the case, else its place in the reference data."""
    import orjson

    place = places.by_id.get(target_id) if places is not None else None
    spot: str | dict[str, str] = where or (place.code if place else target_id[-6:])
    if place is not None and place.kind in ("building", "site"):
        spot = dict(place.name)  # a bare number ("3"), an office abbreviation ("CH")
    elif place is None and where and where == building:
        spot = building_words(building, places)
    other_id = ""
    if other:
        other_id, other_where = orjson.loads(other)
        other_place = places.by_id.get(other_id) if places is not None else None
        spot = f"{spot} ↔ {other_where or (other_place.code if other_place else '?')}"
    return (building or (place.building if place else ""), spot, other_id)


def building_words(code: str, places: Any) -> dict[str, str]:
    """A building named by its code alone as people say it, in each language: the names
    the office gave it, else "N号楼" / "Building N". An incident's follow-up stored its
    incident's place, which for an incident opened on a building's label is the bare code
    ("1"): nc24 read a Where of "1" on the case list and the case."""
    from fieldkit.reports.trends_text import numbered_building

    found = getattr(places, "by_code", {}).get(code.lower())
    if found is not None and found.kind == "building":
        return dict(found.name)
    return {lang: numbered_building(code, lang) for lang in LANGUAGES}


#: The roles whose home lists every open case: the desk takes in and dispatches every kind,
#: the office oversees them all.
EVERY_CASE_HOME = frozenset({"desk", "office"})


#: The category (checklist id) prefix of the cases an incident's plan raises.
PLAN_CATEGORY = "emergency."


def from_plan(category: str) -> bool:
    """Whether a case was raised by an incident's plan (a step failed or not done)."""
    return category.startswith(PLAN_CATEGORY)


def kind_word(kind: str, category: str) -> str:
    """The catalogue name of a case's kind as people read it (``desk.kind.<it>``,
    ``ui.case_list.kind.<it>``): a finding an incident's plan raised is the plan's
    (预案整改单 / plan follow-up), not a patrol's; the kind itself, which its lifecycle
    follows, is unchanged."""
    return "plan_finding" if kind == "finding" and from_plan(category) else kind


def on_home(role: str, kind: str, category: str) -> bool:
    """Whether a role's home lists an open case: its own work. The inspector's are the
    renovation violations and the findings of renovation rounds; the patroller's the
    findings of rounds, a renovation's "work could not be stopped" too (security attends
    it), not an incident's follow-ups; the coordinator's those follow-ups. A device with
    no role yet, the desk and the office list every case. What a home leaves out stays in
    the case list (c), found by search and filters."""
    if not role or role in EVERY_CASE_HOME:
        return True
    if role == "renovation":
        return kind == "violation" or category.startswith("renovation.")
    if role == "emergency":
        return from_plan(category)
    if role == "patrol":
        return kind == "finding" and not from_plan(category)
    return True


def owes_call_back(kind: str, status: str) -> bool:
    """Whether the desk owes the owner a call-back on a case of ``kind`` in ``status``: its
    work is done (:data:`WAITING`) and the lifecycle's next move from there is the
    follow-up (a move needing ``followup``) — a repair done, a complaint replied to, a
    dispute settled. A finding or violation put right waits on a re-inspection instead."""
    return (kind, status) in call_back_states()


def call_back_states() -> frozenset[tuple[str, str]]:
    """(kind, state) of every case the desk owes a call-back (:func:`owes_call_back`), in
    the lifecycle file in use — read once per file: it is asked for each case listed."""
    from fieldkit.services import lifecycle

    global _follow_ups
    current = lifecycle.current()
    if _follow_ups is None or _follow_ups[0] is not current:
        states = frozenset(
            (kind, src)
            for kind, life in current.kinds.items()
            for (src, _), move in life.moves.items()
            if "followup" in move.needs and kind not in RECHECKED and src in WAITING
        )
        _follow_ups = current, states
    return _follow_ups[1]


#: The lifecycles :func:`call_back_states` last read, and what it found in them.
_follow_ups: tuple[Any, frozenset[tuple[str, str]]] | None = None


def status_wanted(wanted: str, status: str, kind: str = "") -> bool:
    """Whether a case of ``status`` (and ``kind``) is one a status filter ``wanted`` takes:
    "" any, :data:`UNFINISHED` any not closed or cancelled, :data:`CALL_BACK` those the desk
    owes a call-back (:func:`owes_call_back`), else that one status."""
    if wanted == CALL_BACK:
        return owes_call_back(kind, status)
    return not wanted or (wanted == UNFINISHED and status not in DONE) or status == wanted


def matches(e: Entry, flt: CaseFilter, now: float) -> bool:
    if not status_wanted(flt.status, e.status, e.kind):
        return False
    if flt.kind and e.kind != flt.kind:
        return False
    if flt.department and e.department != flt.department:
        return False
    if flt.building and e.building != flt.building:
        return False
    if flt.target and not on_target(flt, e.target_id, e.other_id):
        return False
    if flt.text and not found(e, flt.text):
        return False
    return not (flt.overdue and not e.overdue(now))


def on_target(flt: CaseFilter, *ids: str) -> bool:
    """Whether a case on ``ids`` (its target, a dispute's other flat) is on the filter's target."""
    wanted = flt.covers or (flt.target,)
    return any(i in wanted for i in ids)


def found(e: Entry, text: str) -> bool:
    """The case asked about: by its number as printed (``#4f81c6``, or its last digits),
    by its place — a flat (either flat of a dispute), an asset's code (``EXT-1-2-1``), a
    building by its name in either language — or by words of its title, each word also in
    the other ways people say it (漏水 finds 渗水: :mod:`fieldkit.services.search_words`)."""
    from fieldkit.services.search_words import expand

    wanted = text.strip().lower().lstrip("#")
    if not wanted:
        return False
    return (
        e.id.lower().endswith(wanted)
        or said(e.where, wanted)
        or any(said(e.title, form) for form in expand(wanted))
    )


def said(words: str | dict[str, str], wanted: str) -> bool:
    """Whether ``wanted`` (lower case) is in a place or title, in either language."""
    texts = words.values() if isinstance(words, dict) else (words,)
    return any(wanted in str(text).lower() for text in texts)


def whole_code(code: str) -> str:
    """A regular expression for a place's code as a whole word in a title: "1" is not found
    in "1号楼2单元…" (a title read "号楼2单元…" beside a Where column of "1", nc22/nc23),
    nor 1-1-402 in 11-1-402."""
    return rf"(?<![\w-]){re.escape(code)}(?![\w-])"


def title_beside(title: str, where: str) -> str:
    """A case's title shown beside its place: the code the place column already shows is
    left out of it ("EXT-1-2-1 压力不足" → "压力不足", "干粉灭火器到期维修：EXT-1-2-1，应于 …
    前" → "干粉灭火器到期维修，应于 … 前"). The stored title keeps it, for the reports and
    the case's detail; a title that is the code and nothing else, or names it inside a
    sentence, stays as it is."""
    if not where or where not in title:
        return title
    code = whole_code(where)
    for pattern, put in (
        (rf"^\s*{code}\s*[：:，,·—-]?\s*", ""),  # the code first
        (rf"\s*[：:]\s*{code}\s*(?=[，,])", ""),  # "what: code, by date"
        (rf"\s*[（(]\s*{code}\s*[）)]", ""),  # "what (code)"
        (rf"\s*[，,：:·—-]?\s*{code}\s*$", ""),  # the code last
    ):  # a code inside a sentence stays: taking it out would break the sentence
        shorter, n = re.subn(pattern, put, title, count=1)
        if n:
            return shorter.strip() or title
    return title


_SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2}


def urgency(e: Entry, now: float) -> tuple[int, float, float]:
    """Sort key, most urgent first: overdue cases by how overdue, then the others still to
    do by their due time (the Due column reads down in time: "还剩 40 分钟" before
    "还剩 14 小时多"), severity breaking ties in both, then those waiting or done."""
    rank = _SEVERITY_RANK.get(e.severity, 1)
    if e.overdue(now):
        return (0, e.due, rank)
    if e.status in WAITING:
        return (2, 0.0, 0.0)
    return (1, e.due, rank)


def page(
    entries: Iterable[Entry], flt: CaseFilter, offset: int, limit: int, now: float | None = None
) -> CasePage:
    """One page of matching cases in order of urgency (:func:`urgency`); cases alike in
    urgency keep the order given (newest first). Only the page is kept while sorting."""
    import heapq

    now = time.time() if now is None else now
    any_status = replace(flt, status="")
    found, statuses, call_backs = [], {}, 0
    for e in entries:
        if matches(e, any_status, now):
            statuses[e.status] = statuses.get(e.status, 0) + 1
            call_backs += owes_call_back(e.kind, e.status)
            if matches(e, flt, now):
                found.append(e)
    first = heapq.nsmallest(offset + limit, found, key=lambda e: urgency(e, now))
    rows = tuple(e.row(now) for e in first[offset : offset + limit])
    return CasePage(rows, len(found), offset, statuses, call_backs)


def history_page(
    history: Any, flt: CaseFilter, offset: int, limit: int, now: float | None, places: Any
) -> CasePage:
    """:func:`page` over every case on the device, read from the store's case history
    (``Store.case_history``): the active file's few cases as entries, each archive month
    from its index, newest first. Archived cases are finished, so they come after every
    case still to do and in the order they are kept in (newest first): a month's rows are
    read only while the page still needs some, or when a filter other than the status
    needs them to count. Only the rows shown become entries."""
    import heapq

    from fieldkit.store.layout import month_of

    now = time.time() if now is None else now
    any_status = replace(flt, status="")
    need = offset + limit
    found = _Found(flt, now, places, need)
    for e in sorted((entry(d, places) for d in history.live), key=lambda e: e.id, reverse=True):
        if matches(e, any_status, now):
            found.statuses[e.status] = found.statuses.get(e.status, 0) + 1
            found.call_backs += owes_call_back(e.kind, e.status)  # never archived: unfinished
            if matches(e, flt, now):
                found.total += 1
                (found.waiting if e.status in WAITING else found.urgent).append(e)
    plain = not (
        flt.kind or flt.department or flt.building or flt.target or flt.text or flt.overdue
    )
    hidden_in: dict[str, set[str]] = {}
    for doc_id in history.hidden:
        hidden_in.setdefault(month_of(doc_id), set()).add(doc_id)
    for month in history.months:
        with history.month(month) as held:
            hidden = hidden_in.get(month, set())
            counted = plain and not hidden
            settled = all(s in WAITING for s in held.statuses)  # none of its rows is urgent
            if settled and flt.overdue:
                continue  # a case waiting or done is never overdue: no row of it is found
            if counted:
                for status, n in held.statuses.items():
                    found.statuses[status] = found.statuses.get(status, 0) + n
                    found.total += n if found.wanted(status) else 0
                if settled and (found.full() or not any(found.wanted(s) for s in held.statuses)):
                    continue  # counted; none of its rows can be on the page
            for index in held.chunks():
                found.take(index, hidden, counted, settled)
                if counted and settled and found.full():
                    break
    urgent = sorted(found.urgent, key=lambda e: e.id, reverse=True)
    first = heapq.nsmallest(need, urgent, key=lambda e: urgency(e, now))
    if len(first) < need:
        rest = heapq.merge(found.waiting, found.archived, key=lambda e: e.id, reverse=True)
        first += [e for _, e in zip(range(need - len(first)), rest, strict=False)]
    rows = tuple(e.row(now) for e in first[offset:need])
    return CasePage(rows, found.total, offset, found.statuses, found.call_backs)


class _Found:
    """What :func:`history_page` has found so far: counts, cases still to do, and finished
    ones in the order shown, up to what the page needs."""

    def __init__(self, flt: CaseFilter, now: float, places: Any, need: int) -> None:
        self.flt, self.now, self.places, self.need = flt, now, places, need
        self.statuses: dict[str, int] = {}
        self.call_backs = 0
        self.total = 0
        self.urgent: list[Entry] = []
        self.waiting: list[Entry] = []  # live ones, newest first
        self.archived: list[Entry] = []

    def wanted(self, status: str, kind: str = "") -> bool:
        return status_wanted(self.flt.status, status, kind)

    def full(self) -> bool:
        return len(self.archived) >= self.need

    def take(self, index: dict[str, Any], hidden: set[str], counted: bool, settled: bool) -> None:
        """One chunk of a month's index; ``counted``: its statuses are counted already
        (no filter but the status), so only rows for the page are looked at; ``settled``:
        none of the month's rows is urgent (each waits or is done)."""
        from fieldkit.store.case_index import TEXT

        flt, now, places = self.flt, self.now, self.places
        words, due = index["words"], index["due"]
        cols = [index["columns"][name] for name in TEXT]
        kind_col, status_col, department_col = cols[0], cols[1], cols[2]
        at = {} if counted else _filters(flt, words, places)
        spots: dict[tuple[int, ...], tuple] = {}
        for n, doc_id in enumerate(index["ids"]):
            if doc_id in hidden:
                continue
            status = words[status_col[n]]
            if not counted:
                if flt.kind and words[kind_col[n]] != flt.kind:
                    continue
                if "department" in at and department_col[n] != at["department"]:
                    continue
                if flt.overdue and (status in WAITING or due[n] is None or due[n] >= now):
                    continue
                if flt.building or flt.target or flt.text:
                    key = (cols[5][n], cols[7][n], cols[8][n], cols[9][n])
                    spot = spots.get(key)
                    if spot is None:
                        spot = spots[key] = placed(*(words[i] for i in key), places)
                    if flt.building and spot[0] != flt.building:
                        continue
                    if flt.target and not on_target(flt, words[key[0]], spot[2]):
                        continue
                    text = at.get("text", "")
                    if flt.text and not (
                        text
                        and (
                            doc_id.lower().endswith(text)
                            or at["titles"][cols[6][n]]
                            or said(spot[1], text)
                        )
                    ):
                        continue
                self.statuses[status] = self.statuses.get(status, 0) + 1
            if not self.wanted(status, words[kind_col[n]]):
                continue
            if counted and settled and self.full():
                return  # the rest are counted, and none can be on the page
            self.total += 0 if counted else 1
            late = status not in WAITING
            if late or not self.full():
                r = (doc_id, *(words[c[n]] for c in cols), due[n])
                (self.urgent if late else self.archived).append(entry_of_row(r, places))


def _filters(flt: CaseFilter, words: list[str], places: Any) -> dict[str, Any]:
    """What a month's rows are compared with, worked out once per month: the department's
    word number (-1: no row has it) and, for a search, which titles say the words."""
    import orjson

    at: dict[str, Any] = {}
    if flt.department:
        at["department"] = words.index(flt.department) if flt.department in words else -1
    if flt.text:
        from fieldkit.services.search_words import expand

        wanted = at["text"] = flt.text.strip().lower().lstrip("#")
        forms = expand(wanted)
        at["titles"] = [
            bool(wanted) and w.startswith("{") and any(said(_title(w, orjson), f) for f in forms)
            for w in words
        ]
    return at


def _title(word: str, orjson: Any) -> Any:
    try:
        return orjson.loads(word)
    except orjson.JSONDecodeError:
        return word


def status_names(lang: str, lifecycles: Any = None, whose: Iterable[str] = ()) -> dict[str, str]:
    """Every state of the lifecycle file in use, kinds in the file's order and each along
    its path, with its label in ``lang``; a state two kinds name differently shows both
    (``已回访 / 已复查``). What a status filter offers, so no two states may read alike:
    where two states share a word (a complaint's "received" and a repair's "accepted" are
    both 已受理), each says whose state it is (``已受理（报修）``), and so do the states in
    ``whose`` (a finding's "Open", beside a filter of every case still open)."""
    from fieldkit.i18n import t
    from fieldkit.services import lifecycle

    found: dict[str, list[str]] = {}
    kinds: dict[str, list[str]] = {}
    for kind, life in (lifecycles or lifecycle.current()).kinds.items():
        for state in life.states:
            names = found.setdefault(state.id, [])
            kinds.setdefault(state.id, []).append(kind)
            label = life.label(state.id, lang)
            if label not in names:
                names.append(label)
    words = {state: " / ".join(names) for state, names in found.items()}
    shared = {w for w in words.values() if list(words.values()).count(w) > 1}
    whose = set(whose)
    for state, word in words.items():
        if word in shared or state in whose:
            owners = t("ui.cases.list_sep", lang).join(
                known(f"desk.kind.{k}", k, lang) for k in kinds[state]
            )
            words[state] = t("ui.cases.state_of", lang, state=word, kinds=owners)
    return words


def view(case: Any, e: Entry, now: float, role: str) -> CaseView:
    """The case as its detail screen shows it; the moves are those ``role`` may make."""
    from fieldkit.services import lifecycle

    try:
        life = lifecycle.for_kind(case.kind)
    except lifecycle.MoveRefused:
        life = None
    nexts = life.next_states(case.status, role) if life else ()
    # forward moves first (key 1 moves the case on); sending it back comes last
    nexts = tuple(sorted(nexts, key=lambda to: life.moves[(case.status, to)].reopen))
    needs = {to: tuple(sorted(life.moves[(case.status, to)].needs)) for to in nexts}
    movers = (
        tuple(sorted({r for (src, _), m in life.moves.items() if src == case.status
                      for r in m.roles}))
        if life else ()
    )  # fmt: skip
    from fieldkit.services.history import category_label, described, events_of

    extra = case.extra or {}
    # in each language: the screen switched to the other shows it in that one
    labels = {lang: category_label(case.kind, case.category, lang) for lang in LANGUAGES}
    return CaseView(
        row=e.row(now),
        kind=case.kind,
        created=epoch(case.created_at),
        inspection_id=case.source_inspection,
        events=events_of(case.to_dict()),
        next_statuses=nexts,
        move_needs=needs,
        description=described(case.to_dict()),
        urgency=str(extra.get("urgency") or ""),
        contact=str(extra.get("contact") or ""),
        assignee=case.assignee,
        created_by=case.created_by,
        role=role,
        movers=movers,
        reopens=tuple(to for to in nexts if life and life.moves[(case.status, to)].reopen),
        category={lang: label for lang, label in labels.items() if label},
    )
