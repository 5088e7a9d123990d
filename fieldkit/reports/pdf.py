"""A :class:`~fieldkit.reports.document.Document` as an A4 PDF (reportlab's platypus).

Every page carries the running header (the compound and the report) and a footer (when and
by what it was printed, "第 2 页，共 5 页" / "Page 2 of 5"); the fonts are TrueType files
embedded in the file (:mod:`fieldkit.reports.fonts`), each run of text in the font made for
it. A section heading is never left at the foot of a page: before each heading the page
must hold the heading and the first lines of what follows (the header row and two rows of a
table, three lines of a paragraph, a whole chart), else the section starts on the next page.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from fieldkit.i18n import t
from fieldkit.reports import charts, fonts
from fieldkit.reports.document import Document, Facts, Figure, Grid, Para, Section, SignOff

INK = "#222222"
HEAD = "#1f3864"  # headings and rules
SHADE = "#eef2f7"  # table heads, the cover block
ZEBRA = "#f8f8f8"
QUOTE = "#f4f4f4"
MUTED = "#666666"
LEAD_ROWS = 2  # rows of a table kept with its heading
LEAD_LINES = 3  # lines of a paragraph kept with its heading


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    f = fonts.fonts()
    ink, head, muted = (colors.HexColor(c) for c in (INK, HEAD, MUTED))
    body = ParagraphStyle("body", fontName=f.latin, fontSize=9.5, leading=14, textColor=ink)

    def style(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **kw)

    bold = {"fontName": f.latin_bold, "textColor": head}
    return {
        "body": body,
        "cell": style("cell", fontSize=8.5, leading=11.5),
        "head_cell": style("head_cell", fontSize=8.5, leading=11.5, fontName=f.latin_bold),
        "label": style("label", fontSize=8.5, leading=12, textColor=muted),
        "title": style("title", fontSize=18, leading=24, **bold),
        "subtitle": style("subtitle", textColor=muted, spaceAfter=6),
        "h2": style("h2", fontSize=12.5, leading=17, spaceBefore=12, spaceAfter=5, **bold),
        "h3": style("h3", fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=3, **bold),
        "quote": style("quote", fontSize=9, leading=13.5),
        "note": style("note", fontSize=8, leading=11, textColor=muted, spaceBefore=2),
        "letter": style("letter", fontSize=10.5, leading=16, spaceAfter=6),
        "caption": style("caption", fontSize=8.5, leading=12, textColor=muted, spaceAfter=3),
    }


#: Marks a Chinese line never starts with. ReportLab's list (made for Japanese) lacks the
#: full-width comma, semicolon, colon, ? and !, 》 and the closing quotes, so a note's line
#: began with "，与工单列表…"; with them it hangs the mark at the end of the line above.
NO_LINE_START = "，。、；：？！）》」』”’"


@functools.cache
def _no_line_start() -> None:
    """Add :data:`NO_LINE_START` to ReportLab's CJK line breaking, once a process (only the
    marks it lacks)."""
    from reportlab.lib import textsplit  # a paragraph of one run breaks here
    from reportlab.platypus import paragraph  # one of several runs (fonts) here

    for module in (textsplit, paragraph):
        missing = "".join(c for c in NO_LINE_START if c not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing


def _para(text: str, style: Any, bold: bool = False) -> Any:
    """A paragraph whose runs are each in their own font; CJK line breaking (any character
    may end a line, never inside a Latin word, none begins with a closing mark) only where
    there is CJK text."""
    from reportlab.platypus import Paragraph

    _no_line_start()

    if fonts.has_cjk(text) and style.wordWrap != "CJK":
        from reportlab.lib.styles import ParagraphStyle

        style = ParagraphStyle(style.name + "-cjk", parent=style, wordWrap="CJK")
    # a bold Latin run beside the CJK font's single weight looks like a mistake
    return Paragraph(fonts.markup(text, bold and not fonts.has_cjk(text)), style)


def _height(flowable: Any, width: float) -> float:
    return flowable.wrap(width, 1e6)[1]


def _carried(rows: Iterable[tuple[str, ...]], columns: tuple[int, ...]) -> list[dict | None]:
    """For each row that leaves every one of ``columns`` empty, what it carries from the
    row above that has them ({column: text}); None for a row that has its own."""
    out: list[dict | None] = []
    last: dict[int, str] = {}
    for row in rows:
        if any(row[c] for c in columns):
            last = {c: row[c] for c in columns}
            out.append(None)
        else:
            out.append(dict(last) or None)
    return out


@functools.cache
def _table_class() -> type:
    """The table class, made on first use (reportlab is imported only to draw a PDF)."""
    from reportlab.platypus import Table

    class Carrying(Table):
        """A table whose rows may carry columns from the row above (``carried``, one entry
        per row, the heading's None): when a page break falls inside such a group, the
        first row on the new page is given them, so a case's steps on page 2 still say
        which case they are ("#5ae98e 漏水（续）")."""

        carried: list[dict | None] | None = None
        cell: Any = None

        def split(self, availWidth: float, availHeight: float) -> list[Any]:
            parts = super().split(availWidth, availHeight)
            if len(parts) != 2 or not self.carried:
                return parts
            rest = parts[1]
            start = len(self._cellvalues) - (len(rest._cellvalues) - 1)  # its first row here
            rest.carried = [None, *self.carried[start:]]
            rest.cell = self.cell
            carry = self.carried[start] if start < len(self.carried) else None
            if carry:
                for column, text in carry.items():
                    rest._cellvalues[1][column] = self.cell(text)
                rest._argH[1] = None  # its height measured again, with what it now says
            return parts

    return Carrying


def _carrying_table(*args: Any, **kwargs: Any) -> Any:
    return _table_class()(*args, **kwargs)


class _Builder:
    def __init__(self, doc: Document, width: float) -> None:
        self.doc = doc
        self.width = width
        self.styles = _styles()

    # -- blocks ------------------------------------------------------------------------

    def facts(self, block: Facts) -> list[Any]:
        from reportlab.lib import colors
        from reportlab.platypus import Table

        s = self.styles
        pairs = list(block.pairs)
        rows = []
        for n in range(0, len(pairs), 2):
            row = []
            for name, value in pairs[n : n + 2]:
                row += [_para(name, s["label"]), _para(value or "—", s["cell"])]
            rows.append(row + [""] * (4 - len(row)))
        w = self.width
        table = Table(rows, colWidths=[w * 0.19, w * 0.31, w * 0.19, w * 0.31])
        table.setStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(SHADE)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.HexColor(HEAD)),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, colors.HexColor(HEAD)),
        ])  # fmt: skip
        return [table]

    def grid(self, block: Grid, rows: tuple[tuple[str, ...], ...] | None = None) -> list[Any]:
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        s = self.styles
        rows = block.rows if rows is None else rows
        if not rows:
            return [_para(block.empty, s["body"])] if block.empty else []
        right = ParagraphStyle("right", parent=s["cell"], alignment=TA_RIGHT)
        head_right = ParagraphStyle("head_right", parent=s["head_cell"], alignment=TA_RIGHT)
        numeric = set(block.numeric)
        cells = [[_para(h, head_right if n in numeric else s["head_cell"], bold=True)
                  for n, h in enumerate(block.head)]]  # fmt: skip
        cells += [
            [_para(c, right if n in numeric else s["cell"]) for n, c in enumerate(row)]
            for row in rows
        ]
        count = len(block.head)
        shares = block.widths or (1 / count,) * count
        table = _carrying_table(cells, colWidths=[self.width * x for x in shares], repeatRows=1,
                          splitInRow=1)  # fmt: skip
        if block.carry:
            table.carried = [None, *_carried(rows, block.carry)]
            table.cell = lambda text: _para(f"{text}{block.continued}", s["cell"])
        style = [
            ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(SHADE)),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(HEAD)),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#cccccc")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        style += [("BACKGROUND", (0, n), (-1, n), colors.HexColor(ZEBRA))
                  for n in range(2, len(cells), 2)]  # fmt: skip
        table.setStyle(style)
        return [table]

    def para(self, block: Para) -> list[Any]:
        from reportlab.lib import colors
        from reportlab.platypus import Table

        s = self.styles
        if block.note:
            return [_para(block.text, s["note"])]
        if not block.quote:
            return [_para(block.text, s["letter" if block.letter else "body"])]
        box = Table([[_para(block.text, s["quote"])]], colWidths=[self.width])
        box.setStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(QUOTE)),
            ("LINEBEFORE", (0, 0), (0, -1), 2, colors.HexColor(HEAD)),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ])  # fmt: skip
        return [box]

    def figure_parts(self, block: Figure) -> list[Any]:
        parts = [_para(block.caption, self.styles["caption"])] if block.caption else []
        return [*parts, drawing(charts.layout(block.chart, self.width))]

    def figure(self, block: Figure) -> list[Any]:
        from reportlab.platypus import KeepTogether

        return [KeepTogether(self.figure_parts(block))]

    def sign_off(self, block: SignOff) -> list[Any]:
        from reportlab.lib import colors
        from reportlab.platypus import Spacer, Table

        s = self.styles
        colon = t("reports.page.colon", self.doc.lang)
        filled = list(block.filled) + [""] * len(block.labels)
        row = []
        for n, label in enumerate(block.labels):
            row += [_para(label + colon, s["body"]), _para(filled[n], s["body"])]
        count = len(block.labels)
        share = self.width / count
        rooms = [min(share * 0.6, fonts.width(label + colon, 9.5) + 14) for label in block.labels]
        # a name already written keeps its line whole ("Zhou Fang", never "Zhou / Fang"); the
        # lines to sign share what is left
        names = [fonts.width(filled[n], 9.5) + 16 if filled[n] else 0.0 for n in range(count)]
        spare = (self.width - sum(rooms) - 8 * count - sum(names)) / count
        blanks = [name + spare for name in names] if spare > 0 else [
            share - room - 8 for room in rooms]  # fmt: skip
        widths = [w for pair in zip(rooms, blanks, strict=True) for w in pair]
        table = Table([row], colWidths=widths)
        table.setStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.LATIN),
            *(("LINEBELOW", (2 * n + 1, 0), (2 * n + 1, 0), 0.6, colors.black)
              for n in range(count)),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("TOPPADDING", (0, 0), (-1, -1), 14),
        ])  # fmt: skip
        return [Spacer(1, 10), table]

    def block(self, block: Any) -> list[Any]:
        if isinstance(block, Section):
            return self.section(block)
        if isinstance(block, Facts):
            return self.facts(block)
        if isinstance(block, Grid):
            return self.grid(block)
        if isinstance(block, Para):
            return self.para(block)
        if isinstance(block, Figure):
            return self.figure(block)
        return self.sign_off(block)

    # -- keeping a heading with its first lines ----------------------------------------

    def lead(self, block: Any) -> float:
        """How much of ``block`` must fit under its heading: a table's head and first rows,
        a paragraph's first lines, a chart whole, a sub-section's own heading and lead."""
        if isinstance(block, Section):
            heading = _para(block.title, self.styles[f"h{min(block.level, 3)}"])
            first = self.lead(block.blocks[0]) if block.blocks else 0
            return _height(heading, self.width) + heading.style.spaceBefore + first
        if isinstance(block, Grid) and block.rows:
            return sum(_height(f, self.width) for f in self.grid(block, block.rows[:LEAD_ROWS]))
        if isinstance(block, Para) and not block.quote:
            flowable = self.para(block)[0]
            return min(_height(flowable, self.width), LEAD_LINES * flowable.style.leading)
        if isinstance(block, Para):
            return min(_height(self.para(block)[0], self.width), 60.0)
        if isinstance(block, Figure):
            return sum(_height(f, self.width) for f in self.figure_parts(block))
        return sum(_height(f, self.width) for f in self.block(block))

    def section(self, section: Section) -> list[Any]:
        from reportlab.platypus import CondPageBreak, PageBreak

        style = self.styles[f"h{min(section.level, 3)}"]
        heading = _para(section.title, style, bold=True)
        first = self.lead(section.blocks[0]) if section.blocks else 0
        need = _height(heading, self.width) + style.spaceBefore + style.spaceAfter + first
        out: list[Any] = [PageBreak() if section.new_page else CondPageBreak(need + 4), heading]
        for block in section.blocks:
            out += self.block(block)
        return out

    def story(self) -> list[Any]:
        s = self.styles
        out = [_para(self.doc.title, s["title"], bold=True)]
        if self.doc.subtitle:
            out.append(_para(self.doc.subtitle, s["subtitle"]))
        for block in self.doc.blocks:
            out += self.block(block)
        return out


def drawing(canvas: charts.Canvas) -> Any:
    """The chart's shapes as a reportlab Drawing (y flipped: PDF counts from the foot)."""
    from reportlab.graphics import shapes as g
    from reportlab.lib import colors

    height = canvas.height
    out = g.Drawing(canvas.width, height)
    out.initialFontName = fonts.LATIN  # else the renderer names Helvetica, not embedded

    def colour(value: str) -> Any:
        return colors.HexColor(value) if value else None

    for s in canvas.shapes:
        if isinstance(s, charts.Rect):
            out.add(g.Rect(s.x, height - s.y - s.h, s.w, s.h, fillColor=colour(s.fill),
                           strokeColor=colour(s.stroke), strokeWidth=0.5))  # fmt: skip
        elif isinstance(s, charts.Line):
            out.add(g.Line(s.x1, height - s.y1, s.x2, height - s.y2,
                           strokeColor=colour(s.stroke), strokeWidth=s.width))  # fmt: skip
        elif isinstance(s, charts.Poly):
            points = [v for x, y in s.points for v in (x, height - y)]
            out.add(g.PolyLine(points, strokeColor=colour(s.stroke), strokeWidth=s.width))
        elif isinstance(s, charts.Dot):
            out.add(g.Circle(s.x, height - s.y, s.r, fillColor=colour(s.fill), strokeColor=None))
        else:
            whole = fonts.width(s.text, s.size, s.bold)
            x = s.x - {"start": 0, "middle": whole / 2, "end": whole}[s.anchor]
            for name, run in fonts.runs(s.text, s.bold):
                out.add(g.String(x, height - s.y, run, fontName=name, fontSize=s.size,
                                 fillColor=colour(s.fill)))  # fmt: skip
                x += fonts.width(run, s.size, s.bold)
    return out


def _draw_text(canvas: Any, x: float, y: float, text: str, size: float, anchor: str) -> None:
    whole = fonts.width(text, size)
    x -= {"start": 0, "middle": whole / 2, "end": whole}[anchor]
    for name, run in fonts.runs(text):
        canvas.setFont(name, size)
        canvas.drawString(x, y, run)
        x += fonts.width(run, size)


def _numbered_canvas(doc: Document, margins: tuple[float, float, float, float]):
    """A canvas class that draws the header and footer once the page count is known."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    left, right, top, bottom = margins

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self.furniture(number, total)
                super().showPage()
            super().save()

        def furniture(self, number: int, total: int) -> None:
            page_w, page_h = self._pagesize
            self.saveState()
            self.setFillColor(colors.HexColor(MUTED))
            self.setStrokeColor(colors.HexColor(HEAD))
            self.setLineWidth(0.6)
            y = page_h - top + 10
            _draw_text(self, left, y, doc.header, 8, "start")
            self.line(left, y - 4, page_w - right, y - 4)
            self.setStrokeColor(colors.HexColor("#bbbbbb"))
            self.line(left, bottom - 8, page_w - right, bottom - 8)
            _draw_text(self, left, bottom - 20, doc.footer, 7.5, "start")
            pages = t("reports.page.number", doc.lang, page=number, pages=total)
            _draw_text(self, page_w - right, bottom - 20, pages, 7.5, "end")
            self.restoreState()

    return NumberedCanvas


def to_pdf(doc: Document) -> bytes:
    """The document as PDF bytes; FontsMissing when the fonts are not installed."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    fonts.fonts()  # refuse before drawing anything
    margins = (18 * mm, 18 * mm, 22 * mm, 20 * mm)
    buffer = BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=margins[0], rightMargin=margins[1],
        topMargin=margins[2], bottomMargin=margins[3], title=doc.title, author="fieldkit",
        creator="fieldkit", subject=doc.header, lang="zh-CN" if doc.lang == "zh" else "en",
        initialFontName=fonts.LATIN,  # else every page names Helvetica, not embedded
    )  # fmt: skip
    builder = _Builder(doc, A4[0] - margins[0] - margins[1])
    template.build(builder.story(), canvasmaker=_numbered_canvas(doc, margins))
    return buffer.getvalue()
