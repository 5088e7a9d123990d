"""Recurring problems: cases counted by category, building or month (the numbers only).

:func:`trends` works on case dicts as a device stores them and as the office server keeps
them (``Store.iter_records(["case"])`` on a device gives live and archived ones alike; the
server reads its ``records`` table), so both run exactly the same numbers. A case counts in
the month it was raised (``created_at``, UTC). Time to close runs from ``created_at`` to
the last move to ``closed``; cases closed without a recorded move, and open ones, are left
out of the average. Cancelled cases are not counted at all. Categories are whatever the
cases carry: a category the lifecycle file does not (yet) list is counted under its id.

Incidents are counted as incidents (:attr:`Trends.incidents`, by type, in the month they
began) when the caller hands them in, and the cases an incident raised — its repairs,
claims, visits and the plan steps left to do — apart (:attr:`Trends.followups`, by the
incident's type): three follow-ups of one lift entrapment are one entrapment and three
follow-up cases, never three entrapments. The follow-ups are cases, so they are counted
among the cases too, under their own categories.

Nothing here depends on a language: the CSV and the JSON keep category ids, so a
spreadsheet can match them across languages. :mod:`fieldkit.reports.trends_text` renders
the text and HTML forms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fieldkit.model.incident import began_of

GROUPS = ("category", "building", "month")
TOP = 5
UNKNOWN = "-"

#: Reference kinds a case's target can be; :func:`building_index` reads these.
PLACE_KINDS = ("building", "unit", "checkpoint", "asset")


@dataclass
class Group:
    key: str
    cases: int = 0
    closed: int = 0
    close_days: list[float] = field(default_factory=list)
    problems: Counter = field(default_factory=Counter)
    months: Counter = field(default_factory=Counter)

    @property
    def open(self) -> int:
        return self.cases - self.closed

    @property
    def avg_days_to_close(self) -> float | None:
        if not self.close_days:
            return None
        return round(sum(self.close_days) / len(self.close_days), 1)

    def top(self, n: int = TOP) -> list[tuple[str, int]]:
        return sorted(self.problems.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


@dataclass
class Trends:
    by: str
    since: date | None
    groups: list[Group]
    months: list[str]
    total: Group
    #: cases per (building, category) whatever the grouping: the heat map, and where a
    #: category happens most
    pairs: Counter = field(default_factory=Counter)
    #: building code -> its name by language ({"zh": "1号楼", "en": "Building 1"})
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    until: date | None = None  # the last day counted, when one was asked for
    #: incidents by type (fire, lift_entrapment ...), begun in the period
    incidents: Counter = field(default_factory=Counter)
    #: the counted cases raised from an incident, by the incident's type ("" unknown)
    followups: Counter = field(default_factory=Counter)
    #: the compound's name by language (翠湖苑 / Cuihu Garden): the printed page's header
    compound: dict[str, str] = field(default_factory=dict)
    #: who made the report (the person signed in on the device): its sign-off's 制表
    prepared_by: str = ""

    def where_most(self, category: str, n: int = 3) -> list[tuple[str, int]]:
        """The buildings where ``category`` happens most, most first."""
        found = [(b, c) for (b, cat), c in self.pairs.items() if cat == category]
        return sorted(found, key=lambda bc: (-bc[1], bc[0]))[:n]

    def buildings(self) -> list[str]:
        """Every building with a case, most cases first."""
        return [b for b, _ in self.building_counts()]

    def building_counts(self) -> list[tuple[str, int]]:
        """Every building with its count of cases of any kind, most cases first."""
        count: Counter = Counter()
        for (building, _), n in self.pairs.items():
            count[building] += n
        return sorted(count.items(), key=lambda bc: (-bc[1], bc[0]))


def _when(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def raised_on(doc: dict) -> date | None:
    """The day a case was raised, as the trends count it (its ``created_at``, UTC)."""
    created = _when(doc.get("created_at"))
    return created.date() if created is not None else None


def closed_at(doc: dict) -> datetime | None:
    """When the case was last moved to closed (None if it is not closed now)."""
    if doc.get("status") != "closed":
        return None
    moves = [
        e
        for e in doc.get("events") or []
        if e.get("type") == "status" and (e.get("data") or {}).get("to") == "closed"
    ]
    return _when(moves[-1].get("at")) if moves else None


def building_from_extra(doc: dict) -> str:
    return str(doc.get("building") or (doc.get("extra") or {}).get("building") or "")


def building_index(places: Iterable[tuple[str, dict]]) -> dict[str, str]:
    """Place id → the building it is in, shown as the building's code (else its name).

    ``places`` are (kind, record dict) pairs of the :data:`PLACE_KINDS`; a building maps to
    itself. The same rule as the device's places index (``services.places``), so a case
    on a flat counts under the same building on a device and on the office server.
    """
    buildings: dict[str, str] = {}
    inside: dict[str, str] = {}
    for kind, doc in places:
        if kind == "building":
            buildings[doc["id"]] = str(doc.get("code") or doc.get("name") or "")
        elif kind in PLACE_KINDS and doc.get("building_id"):
            inside[doc["id"]] = str(doc["building_id"])
    index = dict(buildings)
    for place_id, building_id in inside.items():
        index[place_id] = buildings.get(building_id, "")
    return index


def building_names(places: Iterable[tuple[str, dict]]) -> dict[str, dict[str, str]]:
    """Building code -> its names by language, from (kind, record) pairs: the names the
    office gave (``extra["names"]``), else the one name it has."""
    out: dict[str, dict[str, str]] = {}
    for kind, doc in places:
        if kind != "building":
            continue
        code = str(doc.get("code") or doc.get("name") or "")
        names = doc.get("names") or (doc.get("extra") or {}).get("names")
        if isinstance(names, dict) and names:
            out[code] = {str(k): str(v) for k, v in names.items()}
        elif doc.get("name"):
            out[code] = {"zh": str(doc["name"]), "en": str(doc["name"])}
    return out


def building_lookup(index: Mapping[str, str]) -> Callable[[dict], str]:
    """``building_of`` for :func:`trends`: the case's own building field, else its target's."""

    def building_of(doc: dict) -> str:
        return building_from_extra(doc) or index.get((doc.get("target") or {}).get("id", ""), "")

    return building_of


def incident_of(doc: dict) -> str:
    """The incident a case was raised from (its id), "" for a case of its own."""
    found = (doc.get("extra") or {}).get("incident")
    if isinstance(found, str) and found:
        return found
    target = doc.get("target") or {}
    return str(target.get("id") or "") if target.get("kind") == "incident" else ""


def _counted_day(created: datetime | None, since: date | None, until: date | None) -> bool:
    if created is None or (since is not None and created.date() < since):
        return False
    return until is None or created.date() <= until


def trends(
    docs: Iterable[dict],
    by: str = "category",
    since: date | None = None,
    building_of: Callable[[dict], str] = building_from_extra,
    names: Mapping[str, Mapping[str, str]] | None = None,
    until: date | None = None,
    incidents: Iterable[dict] = (),
) -> Trends:
    """The cases of ``docs`` raised from ``since`` to ``until`` (both days counted) grouped
    ``by``; ``names`` names the buildings (by code). ``incidents`` (their records) are
    counted by type, and the cases they raised by their incident's type."""
    if by not in GROUPS:
        raise ValueError(f"by must be one of {GROUPS}")
    kinds: dict[str, str] = {}
    begun: Counter = Counter()
    for doc in incidents:
        kinds[str(doc.get("id") or "")] = str(doc.get("type") or "other")
        if _counted_day(_when(began_of(doc)), since, until):
            begun[str(doc.get("type") or "other")] += 1
    followups: Counter = Counter()
    groups: dict[str, Group] = {}
    total = Group("*")
    months: set[str] = set()
    pairs: Counter = Counter()
    for doc in docs:
        if doc.get("status") == "cancelled":
            continue
        created = _when(doc.get("created_at"))
        if not _counted_day(created, since, until):
            continue
        raised_from = incident_of(doc)
        if raised_from:
            followups[kinds.get(raised_from, "")] += 1
        month = created.strftime("%Y-%m")
        category = str(doc.get("category") or UNKNOWN)
        building = building_of(doc) or UNKNOWN
        pairs[(building, category)] += 1
        key = {"category": category, "building": building, "month": month}[by]
        months.add(month)
        for g in (groups.setdefault(key, Group(key)), total):
            g.cases += 1
            g.problems[category] += 1
            g.months[month] += 1
            if doc.get("status") == "closed":
                g.closed += 1
                done = closed_at(doc)
                if done is not None:
                    g.close_days.append((done - created).total_seconds() / 86400)
    ordered = sorted(groups.values(), key=lambda g: (-g.cases, g.key))
    if by == "month":
        ordered = sorted(groups.values(), key=lambda g: g.key)
    named = {str(k): dict(v) for k, v in (names or {}).items()}
    return Trends(by, since, ordered, sorted(months), total, pairs, named, until, begun, followups)


def days_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def group_dict(g: Group, months: list[str]) -> dict[str, Any]:
    return {
        "key": g.key,
        "cases": g.cases,
        "closed": g.closed,
        "open": g.open,
        "avg_days_to_close": g.avg_days_to_close,
        "top": [{"category": name, "cases": n} for name, n in g.top()],
        "months": [g.months.get(m, 0) for m in months],
    }


def to_dict(tr: Trends) -> dict[str, Any]:
    """The report as JSON-ready data; ``months`` of each group line up with ``tr.months``."""
    return {
        "by": tr.by,
        "since": tr.since.isoformat() if tr.since else None,
        "months": list(tr.months),
        "groups": [group_dict(g, tr.months) for g in tr.groups],
        "total": group_dict(tr.total, tr.months),
    }


def spark(counts: list[int]) -> str:
    """A one-line chart of counts, for terminals; a month with any case rises above the floor."""
    bars = "▁▂▃▄▅▆▇█"
    top = max(counts, default=0)
    if top == 0:
        return " " * len(counts)
    return "".join(bars[min(len(bars) - 1, (c * (len(bars) - 1) + top - 1) // top)] for c in counts)
