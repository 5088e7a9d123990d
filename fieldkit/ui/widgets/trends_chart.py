"""The trends as a chart in the terminal, drawn with Rich: a bar per group, its cases month
by month as shaded cells (the darker, the more; the count written in), what the row does not
say itself (where a category happens most, a building's or a month's top problems), and under
the category and building views a heat map of buildings × categories.

The numbers and the words are the report's (:mod:`fieldkit.reports.trends_text`); only the
drawing is here, since Rich belongs to the UI layer.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from fieldkit.i18n import t
from fieldkit.reports import charts, dates
from fieldkit.reports import trends_text as words
from fieldkit.reports.trends import Trends, days_text

BAR = 10
LABEL = 31  # columns: a longer name wraps ("Emergency lights and exit signs" fits)
WHERE = 16  # the least the "where most" words are given ("3号楼 8 单", "Building 3: 8")
TOP = 24  # ... and a building's or a month's top problems
MONTHS = 13  # a year and the month it began in, a cell a month; earlier ones in one cell
HEAT_ROWS = 8
HEAT_COLUMNS = 10


def _cell(value: int, peak: int) -> Text:
    if not value:
        return Text("  ·", style="dim")
    colour = charts.shade(value, peak)
    ink = "#ffffff" if value / peak > 0.5 else "#000000"
    return Text(f"{value:>3}", style=f"{ink} on {colour}")


def _label_and_bar(width: int) -> tuple[int, int]:
    """The widest a group's name is before it wraps, and the longest bar."""
    return (LABEL, BAR) if width >= 100 else (18, 4)


def fitted_months(tr: Trends, names: Mapping[str, str], lang: str, width: int) -> int:
    """How many month cells fit beside the names, numbers and words in ``width``."""
    label = max((words.cells(words.group_label(tr, g, names, lang)) for g in tr.groups), default=4)
    most, bar_width = _label_and_bar(width)
    heads = [max(words.cells(t(f"trends.col.{c}", lang)), 3) for c in ("cases", "open", "earlier")]
    where = WHERE if tr.by == "category" else TOP
    fixed = min(most, label) + 2 + heads[0] + 1 + bar_width + heads[1] + 1 + 2 + where + 2
    every = min(MONTHS, len(tr.months))
    if (width - fixed) // 3 >= every:  # a cell a month, two more where a year starts
        return every
    # the rest under Earlier; the last month always has its cell — with none, every case
    # read "Earlier" under a head naming that month (nc29, by building in en at 80 columns)
    return max(1, (width - fixed - heads[2] - 1) // 3)


def _months(tr: Trends, lang: str, shown_count: int) -> Text:
    """The period the month cells cover (the earlier months are summed in one cell)."""
    shown = tr.months[-shown_count:] if tr.by != "month" else tr.months
    period = t("trends.text.months", lang, first=dates.month_name(shown[0], lang),
                     last=dates.month_name(shown[-1], lang))  # fmt: skip
    if len(shown) < len(tr.months):
        period += t("trends.text.earlier_since", lang,
                    first=dates.month_name(tr.months[0], lang))  # fmt: skip
    return Text(period, style="dim")


def _gap(table: Table, width: int = 2) -> None:
    table.add_column("", width=width, no_wrap=True)


def groups_table(tr: Trends, names: Mapping[str, str], lang: str, width: int = 120) -> Table:
    """A row per group: its name, cases, bar and open cases, then a cell per month of the
    last year (not for the month view, whose rows are the months), then the words the row
    needs. Cells sit side by side (no padding). The names and the numbers always show:
    what ``width`` cannot hold is the months, the earliest added up under Earlier (at 80
    columns a few months, with a shorter bar); the average days to close are in the
    overall line and the printed report."""
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", padding=0)
    label = max((words.cells(words.group_label(tr, g, names, lang)) for g in tr.groups), default=4)
    most, bar_width = _label_and_bar(width)
    heads = [t(f"trends.col.{c}", lang) for c in ("cases", "open")]
    where = WHERE if tr.by == "category" else TOP
    table.add_column(t(f"trends.by.{tr.by}", lang).capitalize(), max_width=most,
                     min_width=min(most, label), overflow="fold")  # fmt: skip
    _gap(table)
    table.add_column(heads[0], justify="right", no_wrap=True)
    _gap(table, 1)
    table.add_column("", no_wrap=True, width=bar_width)
    table.add_column(heads[1], justify="right", no_wrap=True)
    _gap(table, 1)
    shown = fitted_months(tr, names, lang, width)
    months = (tr.months[-shown:] if shown else []) if tr.by != "month" else []
    earlier = tr.months[: len(tr.months) - len(months)] if tr.by != "month" else []
    peak_month = max((g.months.get(m, 0) for g in tr.groups for m in months), default=0)
    if earlier:  # so that every row's cells add up to its cases
        table.add_column(t("trends.col.earlier", lang), justify="right", no_wrap=True)
        _gap(table, 1)
    for n, m in enumerate(months):
        # the year over the first month and each January ("2025 / 12", "2026 / 1")
        year = m[:4] if n == 0 or m[5:] == "01" else ""
        wide = 5 if year else 3
        mark = "*" if m == words.partial_month(tr) else ""  # not over: said under the table
        table.add_column(f"{year}\n{int(m[5:])}{mark}", justify="right", no_wrap=True,
                         width=wide + len(mark), min_width=wide + len(mark))  # fmt: skip
    _gap(table)
    table.add_column(t("trends.col.where" if tr.by == "category" else "trends.col.top", lang),
                     min_width=where, overflow="fold")  # fmt: skip
    peak = max((g.cases for g in tr.groups), default=0) or 1
    sep = t("trends.text.sep", lang)
    for g in tr.groups:
        bar = Text("█" * max(1, round(bar_width * g.cases / peak)), style="#0072B2")
        cells = [_cell(g.months.get(m, 0), peak_month) for m in months]
        if earlier:
            cells = [Text(str(sum(g.months.get(m, 0) for m in earlier))), Text(""), *cells]
        if tr.by == "category":
            top = words.where_words(tr, g.key, lang, 1)  # the printed report has more
        else:
            top = sep.join(words.counted(names.get(c, c), n, lang)
                           for c, n in g.top(2 if width >= 100 else 1))  # fmt: skip
        table.add_row(words.group_label(tr, g, names, lang), "", str(g.cases), "", bar,
                      str(g.open), "", *cells, "", top)  # fmt: skip
    return table


def heat_table(tr: Trends, names: Mapping[str, str], lang: str) -> Table | None:
    """Buildings × the top categories, each cell shaded by its count."""
    buildings = sorted(tr.buildings()[:HEAT_COLUMNS], key=words.building_order)
    ranked = [c for c, _ in tr.total.top(HEAT_ROWS)]
    if not buildings or not ranked:
        return None
    peak = max((tr.pairs.get((b, c), 0) for b in buildings for c in ranked), default=0)
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", padding=(0, 1))
    table.add_column("")
    for b in buildings:
        table.add_column(words.building_label(tr, b, lang), justify="right", no_wrap=True)
    for c in ranked:
        table.add_row(names.get(c, c), *(_cell(tr.pairs.get((b, c), 0), peak) for b in buildings))
    return table


def chart(tr: Trends, names: Mapping[str, str], lang: str, width: int = 120) -> RenderableType:
    """The whole view at ``width`` columns: title, period, the groups, the heat map, the
    overall line."""
    by = t(f"trends.by.{tr.by}", lang)
    parts: list[RenderableType] = [
        Text(t("trends.text.title", lang, by=by, cases=tr.total.cases), style="bold")
    ]
    if tr.months:
        parts.append(_months(tr, lang, fitted_months(tr, names, lang, width)))
    parts += [Text(""), groups_table(tr, names, lang, width)]
    if words.partial_words(tr, lang):
        parts.append(Text(words.partial_words(tr, lang), style="dim"))
    heat = heat_table(tr, names, lang) if tr.by != "month" else None
    if heat is not None:
        parts += [Text(""), Text(t("trends.doc.heat", lang), style="bold"), heat]
    parts += [
        Text(""),
        Text(t("trends.text.top_all", lang, top=words.top_words_all(tr, names, lang))),
        Text(t("trends.text.avg_all", lang, days=days_text(tr.total.avg_days_to_close))),
    ]
    incidents = words.incident_words(tr, lang)
    if incidents:
        parts += [Text(t("trends.incidents.line", lang, words=incidents)),
                  Text(t("trends.incidents.note", lang), style="dim")]  # fmt: skip
    return Group(*parts)


def plain(renderable: RenderableType, width: int) -> str:
    """What the chart reads as, without its colours (what a person reads on screen)."""
    console = Console(file=io.StringIO(), width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()
