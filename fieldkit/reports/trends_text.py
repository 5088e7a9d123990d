"""The trends report for people: a terminal text with bar and month charts, and an HTML page.

Headings come from the ``trends`` i18n catalogue in the language asked for (the current one
by default); categories are shown by ``names`` (id → label, from the lifecycle file the
caller reads) and by their id when a category has no label. The device (``fieldkit report
trends``, the app's trends screen) and the office server (``fieldkit-server report trends``,
``GET /v1/reports/trends``) both render through here.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping
from typing import Any

from fieldkit.i18n import get_language, t
from fieldkit.reports.trends import Trends, days_text, spark, top_text


def category_names(lifecycles: Any, lang: str | None = None) -> dict[str, str]:
    """Category id → its label in ``lang`` from a loaded lifecycle file
    (:class:`fieldkit.checklists.lifecycle.Lifecycles`; every kind that lists categories,
    the first label of an id shared by two kinds); the CSV keeps the ids instead."""
    lang = lang or get_language()
    names: dict[str, str] = {}
    for life in lifecycles.kinds.values():
        for c in life.categories:
            names.setdefault(c.id, c.label.get(lang) or c.id)
    return names


def cells(text: str) -> int:
    """Terminal columns ``text`` takes: wide and full-width characters (汉字, ，) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def to_text(tr: Trends, names: Mapping[str, str] | None = None, lang: str | None = None) -> str:
    """The report for a terminal in ``lang``; ``names`` labels categories."""
    names = names or {}
    lang = lang or get_language()
    by = t(f"trends.by.{tr.by}", lang)
    lines = [t("trends.text.title", lang, by=by, cases=tr.total.cases)]
    if tr.since:
        lines.append(t("trends.text.since", lang, since=tr.since.isoformat()))
    if tr.months:
        lines.append(t("trends.text.months", lang, first=tr.months[0], last=tr.months[-1]))
    lines.append("")
    shown = {g.key: names.get(g.key, g.key) if tr.by == "category" else g.key for g in tr.groups}
    width = max((cells(v) for v in shown.values()), default=4)
    peak = max((g.cases for g in tr.groups), default=0)
    for g in tr.groups:
        bar = "█" * (round(20 * g.cases / peak) if peak else 0)
        lines.append(
            shown[g.key]
            + " " * (width - cells(shown[g.key]))
            + f"  {g.cases:>5}  {bar:<20}  "
            + t(
                "trends.text.row",
                lang,
                closed=g.closed,
                open=g.open,
                days=days_text(g.avg_days_to_close),
                trend=spark([g.months.get(m, 0) for m in tr.months]),
            )
        )
        if tr.by != "category":
            lines.append(" " * (width + 2) + t("trends.text.top", lang, top=top_text(g, names)))
    lines.append("")
    lines.append(t("trends.text.top_all", lang, top=top_text(tr.total, names)))
    lines.append(t("trends.text.avg_all", lang, days=days_text(tr.total.avg_days_to_close)))
    return "\n".join(lines) + "\n"


def to_html(tr: Trends, lang: str, names: Mapping[str, str] | None = None) -> str:
    """A page that prints: one table, groups then the total, a column per month."""
    e = html.escape
    names = names or {}
    head = "".join(
        f"<th>{e(c)}</th>"
        for c in (
            t(f"trends.by.{tr.by}", lang),
            t("trends.col.cases", lang),
            t("trends.col.closed", lang),
            t("trends.col.open", lang),
            t("trends.col.avg_days", lang),
            t("trends.col.top", lang),
            *tr.months,
        )
    )
    rows = []
    for g in [*tr.groups, tr.total]:
        key = names.get(g.key, g.key) if tr.by == "category" else g.key
        cells = [
            key if g is not tr.total else t("trends.col.total", lang),
            g.cases,
            g.closed,
            g.open,
            days_text(g.avg_days_to_close),
            top_text(g, names),
            *(g.months.get(m, 0) for m in tr.months),
        ]
        rows.append("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in cells) + "</tr>")
    by = t(f"trends.by.{tr.by}", lang)
    title = e(t("trends.text.title", lang, by=by, cases=tr.total.cases))
    return (
        f'<!doctype html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>table{{border-collapse:collapse}}"
        "td,th{border:1px solid #888;padding:2px 6px}</style></head><body>"
        f"<h1>{title}</h1><table><thead><tr>{head}</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></body></html>\n"
    )
