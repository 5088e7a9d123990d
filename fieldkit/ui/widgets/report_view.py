"""A printed report (:class:`fieldkit.reports.document.Document`: the weekly report, the
shift handover) drawn on the screen at the width it has.

The plain text the CLI prints underlines its headings with ``=====`` and ``-----`` and lets
its tables run as wide as they are; on an 80-column screen Textual then folded a table's
numbers onto the next line, the rules across two, and a Chinese note wherever the width
ran out (a line began with 、). Here headings are set in bold, paragraphs wrap at phrase
boundaries (:mod:`fieldkit.ui.widgets.phrases`: a line never starts with 、，。）and the
like), and a table too wide narrows its text columns, wrapping their cells, while its
numbers stay whole on their line.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from fieldkit.i18n import t
from fieldkit.reports.document import (
    Block,
    Document,
    Facts,
    Figure,
    Grid,
    Para,
    Section,
    SignOff,
    chart_grid,
)
from fieldkit.ui.widgets.phrases import lines as wrap

GAP = 2  # spaces between two columns
#: The narrowest a column of words is made before a table is left wider than the screen.
LEAST_TEXT = 8

Line = tuple[str, str]  # the text and its Rich style


def lines(doc: Document, width: int) -> list[Line]:
    """The report as lines of at most ``width`` cells, each with its style."""
    out: list[Line] = [(line, "bold underline") for line in wrap(doc.title, width)]
    out.append(("", ""))
    if doc.subtitle:
        out += [(line, "") for line in wrap(doc.subtitle, width)]
        out.append(("", ""))
    for block in doc.blocks:
        _block(block, width, doc.lang, out)
    out += [(line, "dim") for line in wrap(doc.footer, width)]
    return out


def render(doc: Document, width: int) -> tuple[Text, str]:
    """The report styled for the screen, and what it reads without its styles (laid out
    once for both: a week's report is hundreds of lines)."""
    laid = lines(doc, width)
    text = Text()
    for n, (line, style) in enumerate(laid):
        if n:
            text.append("\n")
        text.append(line, style=style)
    return text, "\n".join(line for line, _ in laid)


def show(doc: Document, scroll: VerticalScroll, body: Static) -> str:
    """Draw the report into ``body`` at the width ``scroll`` gives it, less its scroll bar
    (a report has one) and the body's padding; what it reads, plain, for tests and copies."""
    width = scroll.size.width - scroll.styles.scrollbar_size_vertical - body.styles.padding.width
    shown, plain = render(doc, max(20, width))
    body.update(shown)
    return plain


def _block(block: Block | Section, width: int, lang: str, out: list[Line]) -> None:
    if isinstance(block, Section):
        out += [(line, "bold") for line in wrap(block.title, width)]
        out.append(("", ""))
        for inner in block.blocks:
            _block(inner, width, lang, out)
    elif isinstance(block, Facts):
        colon = t("reports.page.colon", lang)
        for name, value in block.pairs:
            out += [(line, "") for line in wrap(f"{name}{colon}{value}", width)]
        out.append(("", ""))
    elif isinstance(block, Para):
        if block.quote:
            out += [("    " + line, "") for line in wrap(block.text, max(width - 4, 1))]
        else:
            out += [(line, "dim" if block.note else "") for line in wrap(block.text, width)]
        out.append(("", ""))
    elif isinstance(block, Grid):
        out += _grid(block, width)
    elif isinstance(block, Figure):
        if block.caption:
            out += [(line, "") for line in wrap(block.caption, width)]
            out.append(("", ""))
        out += _grid(chart_grid(block.chart), width)
    elif isinstance(block, SignOff):
        filled = list(block.filled) + [""] * len(block.labels)
        colon = t("reports.page.colon", lang)
        signs = (
            f"{label}{colon}{filled[n] or '__________'}" for n, label in enumerate(block.labels)
        )
        out += [
            (line, "") for line in wrap(("　　" if lang == "zh" else "    ").join(signs), width)
        ]
        out.append(("", ""))


def widths(grid: Grid, width: int) -> list[int]:
    """Each column's width: as wide as its widest cell while the table fits; when it does
    not, a column of numbers first gives what its heading takes beyond its numbers (the
    heading wraps, one line, not every row), then the widest column of words a cell at a
    time, down to :data:`LEAST_TEXT`."""
    rows = [grid.head, *grid.rows]
    natural = [max(cell_len(r[n]) for r in rows) for n in range(len(grid.head))]
    least = []
    for n, head in enumerate(grid.head):
        if n in grid.numeric:
            numbers = max((cell_len(r[n]) for r in grid.rows), default=1)
            word = max((cell_len(w) for w in head.split()), default=1) if head.isascii() else 4
            least.append(max(numbers, min(word, natural[n])))
        else:
            least.append(min(LEAST_TEXT, natural[n]))
    out = natural[:]
    room = width - GAP * (len(out) - 1)
    while sum(out) > room:
        can = [n for n in range(len(out)) if out[n] > least[n]]
        if not can:
            break
        widest = max(can, key=lambda n: (n in grid.numeric, out[n]))
        out[widest] -= 1
    return out


def _grid(grid: Grid, width: int) -> list[Line]:
    if not grid.rows:
        return [*((line, "") for line in wrap(grid.empty, width)), ("", "")] if grid.empty else []
    sizes = widths(grid, width)
    out: list[Line] = []
    for row_no, row in enumerate((grid.head, *grid.rows)):
        cells = [wrap(cell.replace("\n", " "), sizes[n]) or [""] for n, cell in enumerate(row)]
        for k in range(max(len(c) for c in cells)):
            parts = []
            for n, cell in enumerate(cells):
                part = cell[k] if k < len(cell) else ""
                pad = " " * max(sizes[n] - cell_len(part), 0)
                parts.append(pad + part if n in grid.numeric else part + pad)
            out.append(((" " * GAP).join(parts).rstrip(), "bold" if row_no == 0 else ""))
        if row_no == 0:
            out.append(((" " * GAP).join("─" * w for w in sizes), "dim"))
    out.append(("", ""))
    return out
