"""Recurring problems: cases counted by category, building or month, from every record.

:func:`trends` works on stored case dicts (``Store.iter_records(["case"])`` gives live and
archived ones alike), so the office server can run the same numbers on all devices' data.
A case counts in the month it was raised (``created_at``, UTC). Time to close runs from
``created_at`` to the last move to ``closed``; cases closed without a recorded move, and
open ones, are left out of the average. Cancelled cases are not counted at all.
"""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from fieldkit.i18n import get_language, t

GROUPS = ("category", "building", "month")
TOP = 5
UNKNOWN = "-"


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


def _when(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


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


def trends(
    docs: Iterable[dict],
    by: str = "category",
    since: date | None = None,
    building_of: Callable[[dict], str] = building_from_extra,
) -> Trends:
    if by not in GROUPS:
        raise ValueError(f"by must be one of {GROUPS}")
    groups: dict[str, Group] = {}
    total = Group("*")
    months: set[str] = set()
    for doc in docs:
        if doc.get("status") == "cancelled":
            continue
        created = _when(doc.get("created_at"))
        if created is None or (since is not None and created.date() < since):
            continue
        month = created.strftime("%Y-%m")
        category = doc.get("category") or UNKNOWN
        key = {
            "category": category,
            "building": building_of(doc) or UNKNOWN,
            "month": month,
        }[by]
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
    return Trends(by, since, ordered, sorted(months), total)


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _top_text(g: Group, names: Mapping[str, str] | None = None) -> str:
    names = names or {}
    return "; ".join(f"{names.get(name, name)} {n}" for name, n in g.top())


def category_names(lang: str | None = None) -> dict[str, str]:
    """Category id → its label in ``lang``, from the lifecycle file (repairs and complaints);
    the CSV keeps the ids so spreadsheets can match them across languages."""
    from fieldkit.services import lifecycle

    lang = lang or get_language()
    names: dict[str, str] = {}
    for life in lifecycle.load().kinds.values():
        for c in life.categories:
            names.setdefault(c.id, c.label.get(lang) or c.id)
    return names


def to_csv(tr: Trends) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([tr.by, "cases", "closed", "open", "avg_days_to_close", "top_problems", *tr.months])
    for g in [*tr.groups, tr.total]:
        w.writerow(
            [
                g.key,
                g.cases,
                g.closed,
                g.open,
                _days(g.avg_days_to_close),
                _top_text(g),
                *(g.months.get(m, 0) for m in tr.months),
            ]
        )
    return out.getvalue()


def spark(counts: list[int]) -> str:
    """A one-line chart of counts, for terminals; a month with any case rises above the floor."""
    bars = "▁▂▃▄▅▆▇█"
    top = max(counts, default=0)
    if top == 0:
        return " " * len(counts)
    return "".join(bars[min(len(bars) - 1, (c * (len(bars) - 1) + top - 1) // top)] for c in counts)


def to_text(tr: Trends, names: Mapping[str, str] | None = None) -> str:
    """The report for a terminal, in the current language; ``names`` labels categories."""
    names = names or {}
    lines = [t("trends.text.title", by=t(f"trends.by.{tr.by}"), cases=tr.total.cases)]
    if tr.since:
        lines.append(t("trends.text.since", since=tr.since.isoformat()))
    if tr.months:
        lines.append(t("trends.text.months", first=tr.months[0], last=tr.months[-1]))
    lines.append("")
    shown = {g.key: names.get(g.key, g.key) if tr.by == "category" else g.key for g in tr.groups}
    width = max((len(v) for v in shown.values()), default=4)
    peak = max((g.cases for g in tr.groups), default=0)
    for g in tr.groups:
        bar = "█" * (round(20 * g.cases / peak) if peak else 0)
        lines.append(
            f"{shown[g.key]:<{width}}  {g.cases:>5}  {bar:<20}  "
            + t(
                "trends.text.row",
                closed=g.closed,
                open=g.open,
                days=_days(g.avg_days_to_close),
                trend=spark([g.months.get(m, 0) for m in tr.months]),
            )
        )
        if tr.by != "category":
            lines.append(" " * (width + 2) + t("trends.text.top", top=_top_text(g, names)))
    lines.append("")
    lines.append(t("trends.text.top_all", top=_top_text(tr.total, names)))
    lines.append(t("trends.text.avg_all", days=_days(tr.total.avg_days_to_close)))
    return "\n".join(lines) + "\n"


def to_html(tr: Trends, lang: str, names: Mapping[str, str] | None = None) -> str:
    e = html.escape
    names = names or {}
    head = "".join(
        f"<th>{e(c)}</th>"
        for c in (
            t("trends.by." + tr.by),
            t("trends.col.cases"),
            t("trends.col.closed"),
            t("trends.col.open"),
            t("trends.col.avg_days"),
            t("trends.col.top"),
            *tr.months,
        )
    )
    rows = []
    for g in [*tr.groups, tr.total]:
        key = names.get(g.key, g.key) if tr.by == "category" else g.key
        cells = [
            key if g is not tr.total else t("trends.col.total"),
            g.cases,
            g.closed,
            g.open,
            _days(g.avg_days_to_close),
            _top_text(g, names),
            *(g.months.get(m, 0) for m in tr.months),
        ]
        rows.append("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in cells) + "</tr>")
    title = e(t("trends.text.title", by=t(f"trends.by.{tr.by}"), cases=tr.total.cases))
    return (
        f'<!doctype html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>table{{border-collapse:collapse}}"
        "td,th{border:1px solid #888;padding:2px 6px}</style></head><body>"
        f"<h1>{title}</h1><table><thead><tr>{head}</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></body></html>\n"
    )
