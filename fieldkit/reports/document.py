"""A printed report as plain data, written out as PDF, HTML or Markdown.

The incident report, the shift handover and the trends report build a :class:`Document`
(a title, the running header and footer, a cover block of facts, then sections of
paragraphs, tables, quoted text and charts, and a sign-off block), and hand it to one of
the renderers, which are the same for all three: :func:`fieldkit.reports.pdf.to_pdf`,
:func:`fieldkit.reports.html_page.to_html` and :func:`to_markdown` here. So every report
gets the same page furniture (header, footer, page numbers), fonts and care about keeping
a heading with what follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldkit.i18n import t
from fieldkit.reports.charts import Bars, Chart, HeatMap, Lines


@dataclass(frozen=True)
class Facts:
    """The cover block: label and value pairs (compound, type, places, start, end ...)."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Para:
    text: str
    quote: bool = False  # text as written or sent (a notice): line breaks kept, set apart
    note: bool = False  # a smaller, grey line (what a table leaves out, how it counts)
    letter: bool = False  # a paragraph of a letter (a notice to an owner): larger, spaced


@dataclass(frozen=True)
class Grid:
    """A table; ``widths`` are shares of the page width, ``numeric`` the right-aligned
    columns; ``empty`` is said instead of a table with no rows."""

    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = ""
    widths: tuple[float, ...] = ()
    numeric: tuple[int, ...] = ()
    #: Columns a row left empty takes from the row above (a case's number and title over
    #: its steps); at the top of a page they are written again, followed by ``continued``.
    carry: tuple[int, ...] = ()
    continued: str = ""


@dataclass(frozen=True)
class Figure:
    """A chart, with what it shows in words (its caption, and the SVG's label)."""

    chart: Chart
    caption: str = ""


@dataclass(frozen=True)
class SignOff:
    """Lines to sign on paper: 制表 / 审核 / 日期 — prepared by / reviewed by / date;
    ``filled`` holds what is known already (who prepared it), by position."""

    labels: tuple[str, ...]
    filled: tuple[str, ...] = ()

    @classmethod
    def prepared(cls, by: str, lang: str) -> SignOff:
        """制表 / 审核 / 日期 with ``by`` as who prepared it: what an office's report ends
        with (the weekly report, an incident's)."""
        keys = ("prepared", "reviewed", "date")
        return cls(tuple(t(f"reports.page.{k}", lang) for k in keys), (by,))


Block = Facts | Para | Grid | Figure | SignOff


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block | Section, ...]
    level: int = 2
    new_page: bool = False  # an appendix starts on a page of its own


@dataclass(frozen=True)
class Document:
    """``header`` runs at the top of every page (the compound, the report), ``footer`` at
    the foot with the page number; ``lang`` is the page's language (its words for "page 2
    of 3" and the like come from the ``reports`` catalogue)."""

    title: str
    lang: str
    header: str
    footer: str
    blocks: tuple[Block | Section, ...]
    subtitle: str = ""


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or " "


def _md_grid(grid: Grid) -> list[str]:
    if not grid.rows:
        return [grid.empty, ""] if grid.empty else []
    out = ["| " + " | ".join(_md_cell(h) for h in grid.head) + " |"]
    out.append("|" + "".join("---:|" if n in grid.numeric else "---|"
                             for n in range(len(grid.head))))  # fmt: skip
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in grid.rows]
    return [*out, ""]


def chart_grid(chart: Chart) -> Grid:
    """A chart's numbers as a table (for Markdown, which has no pictures)."""
    if isinstance(chart, Bars):
        rows = tuple(
            (label, str(value), chart.notes[n] if n < len(chart.notes) else "")
            for n, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True))
        )
        if not any(r[2] for r in rows):
            return Grid(("", "#"), tuple(r[:2] for r in rows), numeric=(1,))
        return Grid(("", "#", ""), rows, numeric=(1,))
    if isinstance(chart, Lines):
        head = ("", *(f"{y}{m}" if y else m for m, y in chart.ticks))
        rows = tuple((name, *(str(v) for v in values)) for name, values in chart.series)
        return Grid(head, rows, numeric=tuple(range(1, len(head))))
    assert isinstance(chart, HeatMap)
    rows = tuple(
        (name, *(str(v) if v else "" for v in values))
        for name, values in zip(chart.rows, chart.values, strict=True)
    )
    return Grid(("", *chart.columns), rows, numeric=tuple(range(1, len(chart.columns) + 1)))


def _md_block(block: Block | Section, out: list[str], lang: str) -> None:
    if isinstance(block, Section):
        out += ["#" * block.level + " " + block.title, ""]
        for inner in block.blocks:
            _md_block(inner, out, lang)
    elif isinstance(block, Facts):
        out += [f"- **{name}**: {value}" for name, value in block.pairs]
        out.append("")
    elif isinstance(block, Para):
        if block.quote:
            out += [f"> {line}" if line else ">" for line in block.text.splitlines()]
        elif block.note:
            out.append(f"*{block.text}*")
        else:
            out.append(block.text)
        out.append("")
    elif isinstance(block, Grid):
        out += _md_grid(block)
    elif isinstance(block, Figure):
        if block.caption:
            out += [f"*{block.caption}*", ""]
        out += _md_grid(chart_grid(block.chart))
    elif isinstance(block, SignOff):
        filled = list(block.filled) + [""] * len(block.labels)
        colon = t("reports.page.colon", lang)
        sep = "　　" if lang == "zh" else "    "
        out.append(sep.join(f"{label}{colon}{filled[n] or '__________'}"
                            for n, label in enumerate(block.labels)))  # fmt: skip
        out.append("")


def _width(text: str) -> int:
    """Terminal columns: a Chinese character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _text_grid(grid: Grid) -> list[str]:
    """A table as aligned columns (numbers to the right), a rule under its heading."""
    if not grid.rows:
        return [grid.empty, ""] if grid.empty else []
    rows = [tuple(c.replace("\n", " ") for c in r) for r in (grid.head, *grid.rows)]
    widths = [max(_width(r[n]) for r in rows) for n in range(len(grid.head))]

    def line(row: tuple[str, ...]) -> str:
        cells = []
        for n, cell in enumerate(row):
            pad = " " * (widths[n] - _width(cell))
            cells.append(pad + cell if n in grid.numeric else cell + pad)
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [line(rows[0]), rule, *(line(r) for r in rows[1:]), ""]


def _text_block(block: Block | Section, out: list[str], lang: str) -> None:
    if isinstance(block, Section):
        out += [block.title, ("=" if block.level <= 2 else "-") * _width(block.title), ""]
        for inner in block.blocks:
            _text_block(inner, out, lang)
    elif isinstance(block, Facts):
        colon = t("reports.page.colon", lang)
        out += [f"{name}{colon}{value}" for name, value in block.pairs]
        out.append("")
    elif isinstance(block, Para):
        lines = block.text.splitlines() or [""]
        out += [f"    {line}" for line in lines] if block.quote else lines
        out.append("")
    elif isinstance(block, Grid):
        out += _text_grid(block)
    elif isinstance(block, Figure):
        if block.caption:
            out += [block.caption, ""]
        out += _text_grid(chart_grid(block.chart))
    elif isinstance(block, SignOff):
        _md_block(block, out, lang)  # the same line: no markup in it


def to_text(doc: Document) -> str:
    """The document as plain text to read in a terminal or paste into a message: no
    markup, tables as aligned columns."""
    out = [doc.title, "=" * _width(doc.title), ""]
    if doc.subtitle:
        out += [doc.subtitle, ""]
    for block in doc.blocks:
        _text_block(block, out, doc.lang)
    out += [doc.footer, ""]
    return "\n".join(out)


def to_markdown(doc: Document) -> str:
    """The document as Markdown that reads well as plain text."""
    out = [f"# {doc.title}", ""]
    if doc.subtitle:
        out += [doc.subtitle, ""]
    for block in doc.blocks:
        _md_block(block, out, doc.lang)
    out += ["---", "", f"*{doc.footer}*", ""]
    return "\n".join(out)
