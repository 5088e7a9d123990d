"""The trends report for people: a terminal text, and a document with charts (HTML, PDF).

Headings come from the ``trends`` i18n catalogue in the language asked for (the current one
by default); categories are shown by ``names`` (id → label, from the lifecycle file the
caller reads) and by their id when a category has no label; buildings as people say them
(1号楼, from the building records, :attr:`Trends.names`). The device (``fieldkit report
trends``, the app's trends screen) and the office server (``fieldkit-server report trends``,
``GET /v1/reports/trends``) both render through here, so both print the same thing.

The document (:func:`document`) has three charts — the top categories month by month,
the categories ranked with where each happens most, and buildings × categories as a heat
map — then the table grouped as asked. Each group's "top" column says what the row itself
does not: for a category, the buildings where it happens most; for a building or a month,
its top categories.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from fieldkit.i18n import get_language, t
from fieldkit.reports import charts, dates
from fieldkit.reports.document import Document, Facts, Figure, Grid, Para, Section, SignOff
from fieldkit.reports.trends import UNKNOWN, Group, Trends, days_text, spark

LINES = 5  # categories drawn month by month
RANKED = 10  # categories in the ranking and the heat map
BUILDINGS = 12  # buildings in the heat map (the rest are left out, and said so)


#: Categories fieldkit gives the cases it raises itself from an incident's follow-ups
#: (``incident.<kind>``), named here since no list of the lifecycle file holds them.
INCIDENT_FOLLOWUPS = ("repair", "claim", "visit")
#: Checklists of an incident's plan: a case of theirs is a step of the plan left to do (or
#: failed) when the incident closed, a follow-up of it, never an incident of its own.
PLAN = "emergency."


def category_names(
    lifecycles: Any,
    lang: str | None = None,
    titles: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, str]:
    """Category id → its label in ``lang`` from a loaded lifecycle file
    (:class:`fieldkit.checklists.lifecycle.Lifecycles`; every kind that lists categories,
    the first label of an id shared by two kinds), then an incident's follow-ups, then
    ``titles`` (checklist id → title by language) for a checklist the file does not name:
    a finding's category is the checklist that raised it. A reader never sees a raw id
    for anything fieldkit raised; the CSV keeps the ids instead."""
    lang = lang or get_language()
    names: dict[str, str] = {}
    for life in lifecycles.kinds.values():
        for c in life.categories:
            names.setdefault(c.id, c.label.get(lang) or c.id)
    for kind in INCIDENT_FOLLOWUPS:
        names.setdefault(
            f"incident.{kind}",
            t("trends.category.incident", lang, what=t(f"incidents.followup.{kind}", lang)),
        )
    for checklist_id, title in (titles or {}).items():
        label = title.get(lang) or next((v for v in title.values() if v), "")
        if label and checklist_id.startswith(PLAN):
            label = t("trends.category.plan", lang, what=label)
        if label:
            names.setdefault(checklist_id, label)
    return names


def incident_words(tr: Trends, lang: str) -> str:
    """The incidents counted as incidents, their follow-up cases apart: "电梯困人 1 起（后续
    工单 3 单）；暴雨 2 起" — "" when there were none."""
    sep = t("trends.text.sep", lang)
    out = []
    for kind in sorted(set(tr.incidents) | set(tr.followups), key=lambda k: (not k, k)):
        what = t(f"incidents.type.{kind}", lang) if kind else t("trends.incidents.unknown", lang)
        words = t("trends.incidents.count", lang, what=what, count=tr.incidents[kind])
        if tr.followups[kind]:
            words = t("trends.incidents.with_followups", lang, incidents=words,
                      count=tr.followups[kind])  # fmt: skip
        out.append(words)
    return sep.join(out)


def cells(text: str) -> int:
    """Terminal columns ``text`` takes: wide and full-width characters (汉字, ，) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def building_label(tr: Trends, code: str, lang: str) -> str:
    """A building as people say it: its name (1号楼), a bare number as "N号楼" / "Building N",
    a case with no building as such."""
    if code == UNKNOWN:
        return t("trends.building.unknown", lang)
    names = tr.names.get(code)
    if names:
        return names.get(lang) or next(iter(names.values()))
    return numbered_building(code, lang)


def numbered_building(code: str, lang: str | None = None) -> str:
    """A building known only by its code as people say it: a bare number as "N号楼" /
    "Building N", any other code as it is."""
    return t("trends.building.number", lang, code=code) if code.isdigit() else code


def building_order(code: str) -> tuple[bool, int, str]:
    """Buildings in the order they are numbered (2 before 10), the case with none last."""
    return (code == UNKNOWN, int(code) if code.isdigit() else 0, code)


def group_label(tr: Trends, g: Group, names: Mapping[str, str], lang: str) -> str:
    if tr.by == "category":
        return names.get(g.key, g.key)
    if tr.by == "building":
        return building_label(tr, g.key, lang)
    if g.key == partial_month(tr):
        return t("trends.text.to_date", lang, month=dates.month_name(g.key, lang))
    return dates.month_name(g.key, lang)


def partial_month(tr: Trends) -> str:
    """The last month counted when it is not over ("2026-12" on 7 December): counted only
    to today (or to the last day asked for), it must not read as a whole month's rise."""
    from fieldkit.model import localtime

    if not tr.months:
        return ""
    last = tr.until or localtime.today()
    over = (last + timedelta(days=1)).month != last.month
    return tr.months[-1] if tr.months[-1] == f"{last:%Y-%m}" and not over else ""


def partial_words(tr: Trends, lang: str) -> str:
    """The note under a table or chart whose last month is :func:`partial_month` ("")."""
    month = partial_month(tr)
    if not month:
        return ""
    return t("trends.text.partial", lang, month=dates.month_name(month, lang))


def month_marks(tr: Trends, lang: str) -> tuple[tuple[str, str], ...]:
    """The charts' month ticks, the month not over marked * (:func:`partial_words`)."""
    ticks = dates.month_ticks(tr.months, lang)
    if ticks and partial_month(tr):
        label, year = ticks[-1]
        ticks = (*ticks[:-1], (label + "*", year))
    return ticks


def counted(what: str, count: int, lang: str) -> str:
    """A place or a problem with its count, so the two never run together: "1号楼 6 单",
    "Building 3: 6"."""
    return t("trends.text.counted", lang, what=what, count=count)


def where_words(tr: Trends, category: str, lang: str, n: int = 3) -> str:
    """The buildings where a category happens most — only those with more than one case
    (one case is nowhere "most"); said so when no building has more than one."""
    found = [(b, c) for b, c in tr.where_most(category, n) if c > 1]
    if not found:
        return t("trends.text.spread", lang) if tr.where_most(category, 1) else ""
    sep = t("trends.text.sep", lang)
    return sep.join(counted(building_label(tr, b, lang), c, lang) for b, c in found)


def _most_in(tr: Trends, category: str, lang: str) -> str:
    """A ranked bar's note: "多发：3号楼 6 单；2号楼 4 单", or that no building has it twice."""
    where = where_words(tr, category, lang, 2)
    top = tr.where_most(category, 1)
    return t("trends.doc.most_in", lang, where=where) if top and top[0][1] > 1 else where


def top_words(tr: Trends, g: Group, names: Mapping[str, str], lang: str) -> str:
    """What the row does not say itself: where a category happens most; the top
    categories of a building or a month."""
    sep = t("trends.text.sep", lang)
    if tr.by == "category":
        return where_words(tr, g.key, lang)
    return sep.join(counted(names.get(c, c), n, lang) for c, n in g.top())


def top_words_all(tr: Trends, names: Mapping[str, str], lang: str) -> str:
    """The top categories over every case."""
    sep = t("trends.text.sep", lang)
    return sep.join(counted(names.get(c, c), n, lang) for c, n in tr.total.top())


def total_words(tr: Trends, names: Mapping[str, str], lang: str) -> str:
    """The total row's last cell, saying what its column says of each group: by category
    the column is where (the buildings with the most cases of any kind), else the top
    problems over every case."""
    if tr.by == "category":
        sep = t("trends.text.sep", lang)
        return sep.join(counted(building_label(tr, b, lang), n, lang)
                        for b, n in tr.building_counts()[:3])  # fmt: skip
    return top_words_all(tr, names, lang)


def to_csv(tr: Trends, lang: str, names: Mapping[str, str] | None = None) -> str:
    """The table for a spreadsheet, in ``lang``: a row per group and one for all, the
    group's code first (for programs: ``water_leak``, ``3``, ``2026-07``; ``*`` for all),
    then its name as people say it, the counts, what the row does not say itself (where a
    category happens most, "3号楼 33 单；2号楼 12 单"; a building's or a month's top
    problems) and a column per month."""
    import csv
    import io

    names = names or {}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    col = "trends.col."
    w.writerow([t("trends.csv.code", lang), t(f"trends.by.{tr.by}", lang).capitalize(),
                t(col + "cases", lang), t(col + "closed", lang), t(col + "open", lang),
                t(col + "avg_days", lang), t(col + ("where" if tr.by == "category" else "top"),
                                             lang), *tr.months])  # fmt: skip
    for g in [*tr.groups, tr.total]:
        if g is not tr.total:
            name, what = group_label(tr, g, names, lang), top_words(tr, g, names, lang)
        else:
            name, what = t(col + "total", lang), total_words(tr, names, lang)
        w.writerow([g.key, name, g.cases, g.closed, g.open, days_text(g.avg_days_to_close),
                    what, *(g.months.get(m, 0) for m in tr.months)])  # fmt: skip
    return out.getvalue()


def month_axis(months: list[str], lang: str) -> str:
    """Month numbers over the sparkline columns, three characters a month."""
    return "".join(f"{int(m[5:]):>3}" for m in months)


def to_text(tr: Trends, names: Mapping[str, str] | None = None, lang: str | None = None) -> str:
    """The report for a terminal in ``lang``; ``names`` labels categories."""
    names = names or {}
    lang = lang or get_language()
    by = t(f"trends.by.{tr.by}", lang)
    lines = [t("trends.text.title", lang, by=by, cases=tr.total.cases)]
    if tr.since:
        lines.append(t("trends.text.since", lang, since=tr.since.isoformat()))
    if tr.months and not tr.since:  # from a day: the cases' months add nothing to it
        lines.append(t("trends.text.months", lang, first=dates.month_name(tr.months[0], lang),
                       last=dates.month_name(tr.months[-1], lang)))  # fmt: skip
    lines.append("")
    shown = {g.key: group_label(tr, g, names, lang) for g in tr.groups}
    width = max((cells(v) for v in shown.values()), default=4)
    peak = max((g.cases for g in tr.groups), default=0)
    lead = width + 2 + 5 + 2 + 20 + 2
    if tr.months and tr.by != "month":
        axis = month_axis(tr.months, lang) + ("*" if partial_month(tr) else "")
        lines.append(" " * lead + t("trends.text.by_month", lang) + axis)
    for g in tr.groups:
        bar = "█" * (round(20 * g.cases / peak) if peak else 0)
        trend = "".join(c * 2 + " " for c in spark([g.months.get(m, 0) for m in tr.months]))
        row = t("trends.text.row", lang, closed=g.closed, open=g.open,
                days=days_text(g.avg_days_to_close), trend="")  # fmt: skip
        head = shown[g.key] + " " * (width - cells(shown[g.key])) + f"  {g.cases:>5}  {bar:<20}  "
        if tr.by == "month":
            lines.append(head + row.rstrip())
        else:
            lines.append(head + " " * cells(t("trends.text.by_month", lang)) + trend.rstrip())
            lines.append(" " * lead + row.rstrip())
        top = top_words(tr, g, names, lang)
        if top:
            key = "trends.text.where" if tr.by == "category" else "trends.text.top"
            lines.append(" " * lead + t(key, lang, top=top))
    lines.append("")
    if partial_words(tr, lang):
        lines.append(partial_words(tr, lang))
    lines.append(t("trends.text.top_all", lang, top=top_words_all(tr, names, lang)))
    lines.append(t("trends.text.avg_all", lang, days=days_text(tr.total.avg_days_to_close)))
    if incident_words(tr, lang):
        lines.append(t("trends.incidents.line", lang, words=incident_words(tr, lang)))
        lines.append(t("trends.incidents.note", lang))
    return "\n".join(lines) + "\n"


def _ranked(tr: Trends) -> list[tuple[str, int]]:
    return tr.total.top(RANKED)


def charts_of(tr: Trends, names: Mapping[str, str], lang: str) -> list[tuple[str, Figure]]:
    """(section title, figure) for each chart the cases support."""
    if not tr.total.cases:
        return []
    ranked = _ranked(tr)
    out = []
    if tr.by == "category" and len(tr.months) > 1:
        groups = {g.key: g for g in tr.groups}
        top = [c for c, _ in ranked[:LINES]]
        series = tuple(
            (names.get(c, c), tuple(groups[c].months.get(m, 0) for m in tr.months)) for c in top
        )
        lines = charts.Lines(month_marks(tr, lang), series)
        caption = " ".join(x for x in (t("trends.doc.by_month_caption", lang, count=len(top)),
                                       partial_words(tr, lang)) if x)  # fmt: skip
        out.append((t("trends.doc.by_month", lang), Figure(lines, caption)))
    elif len(tr.months) > 1:
        total = tuple(tr.total.months.get(m, 0) for m in tr.months)
        lines = charts.Lines(month_marks(tr, lang),
                             ((t("trends.col.total", lang), total),))  # fmt: skip
        out.append((t("trends.doc.by_month", lang),
                    Figure(lines, " ".join(x for x in (
                        t("trends.doc.all_by_month_caption", lang), partial_words(tr, lang))
                        if x))))  # fmt: skip
    notes = tuple(_most_in(tr, c, lang) for c, _ in ranked)
    bars = charts.Bars(tuple(names.get(c, c) for c, _ in ranked),
                       tuple(n for _, n in ranked), notes)  # fmt: skip
    out.append((t("trends.doc.ranked", lang),
                Figure(bars, t("trends.doc.ranked_caption", lang, count=len(ranked)))))  # fmt: skip
    buildings = sorted(tr.buildings()[:BUILDINGS], key=building_order)
    if buildings:
        values = tuple(tuple(tr.pairs.get((b, c), 0) for b in buildings) for c, _ in ranked)
        heads = tuple(building_label(tr, b, lang) for b in buildings)
        heat = charts.HeatMap(tuple(names.get(c, c) for c, _ in ranked), heads, values)
        out.append((t("trends.doc.heat", lang),
                    Figure(heat, t("trends.doc.heat_caption", lang))))  # fmt: skip
    return out


def period_words(tr: Trends, lang: str) -> str:
    """The period the report covers: from the day asked for to the last day counted
    ("2026年11月30日 至 2026年12月7日"); without one, the months its cases were raised in."""
    if tr.since:
        from fieldkit.model import localtime

        last = tr.until or localtime.today()
        return t("trends.doc.span", lang, first=dates.full_date(tr.since, lang),
                 last=dates.full_date(last, lang))  # fmt: skip
    if not tr.months:
        return "—"
    return t("trends.doc.span", lang, first=dates.month_name(tr.months[0], lang),
             last=dates.month_name(tr.months[-1], lang))  # fmt: skip


def document(tr: Trends, lang: str, names: Mapping[str, str] | None = None) -> Document:
    """The report as a document: the figures, the charts, the table grouped as asked."""
    names = names or {}
    by = t(f"trends.by.{tr.by}", lang)
    title = t("trends.doc.title", lang, by=by)
    span = period_words(tr, lang)
    facts = [
        (t("trends.col.cases", lang), str(tr.total.cases)),
        (t("trends.col.closed", lang), str(tr.total.closed)),
        (t("trends.col.open", lang), str(tr.total.open)),
        (t("trends.col.avg_days", lang), days_text(tr.total.avg_days_to_close)),
        (t("trends.doc.top_all", lang), top_words_all(tr, names, lang) or "—"),
    ]
    if incident_words(tr, lang):
        facts.append((t("trends.incidents.title", lang), incident_words(tr, lang)))
    if tr.since:
        since = dates.full_date(datetime.combine(tr.since, time()), lang)
        facts.insert(1, (t("trends.doc.since", lang), since))
    blocks: list[Any] = [Facts(tuple(facts))]
    for heading, figure in charts_of(tr, names, lang):
        blocks.append(Section(heading, (figure,)))
    top_head = t("trends.col.where" if tr.by == "category" else "trends.col.top", lang)
    head = (by.capitalize(), t("trends.col.cases", lang), t("trends.col.closed", lang),
            t("trends.col.open", lang), t("trends.col.avg_days", lang), top_head)  # fmt: skip
    rows = [
        (group_label(tr, g, names, lang), str(g.cases), str(g.closed), str(g.open),
         days_text(g.avg_days_to_close), top_words(tr, g, names, lang))
        for g in tr.groups
    ]  # fmt: skip
    if tr.groups:
        rows.append((t("trends.col.total", lang), str(tr.total.cases), str(tr.total.closed),
                     str(tr.total.open), days_text(tr.total.avg_days_to_close),
                     total_words(tr, names, lang)))  # fmt: skip
    table = Grid(head, tuple(rows), t("trends.doc.no_cases", lang),
                 (0.2, 0.09, 0.09, 0.09, 0.13, 0.4), numeric=(1, 2, 3, 4))  # fmt: skip
    blocks.append(Section(t("trends.doc.table", lang, by=by), (table,
                          Para(t("trends.doc.how", lang), note=True),
                          *((Para(t("trends.incidents.note", lang), note=True),)
                            if incident_words(tr, lang) else ()))))  # fmt: skip
    blocks.append(SignOff.prepared(tr.prepared_by, lang))
    return Document(
        title=title,
        lang=lang,
        header=" · ".join(filter(None, (tr.compound.get(lang), t("trends.doc.header", lang)))),
        footer=t("trends.doc.footer", lang, span=span),
        blocks=tuple(blocks),
        # the period on a line of its own: two dates do not fit a facts cell
        subtitle=t("trends.doc.months", lang) + t("reports.page.colon", lang) + span,
    )


def to_html(tr: Trends, lang: str, names: Mapping[str, str] | None = None) -> str:
    """A self-contained page that prints: the charts as inline SVG, then the table."""
    from fieldkit.reports.html_page import to_html as page

    return page(document(tr, lang, names))


def to_pdf(tr: Trends, lang: str, names: Mapping[str, str] | None = None) -> bytes:
    """The same document as an A4 PDF (FontsMissing without the report fonts)."""
    from fieldkit.reports.pdf import to_pdf as pdf

    return pdf(document(tr, lang, names))
