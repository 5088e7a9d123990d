"""Charts for printed reports, laid out once and drawn twice: as inline SVG in the HTML
page and as vector drawings in the PDF (:mod:`fieldkit.reports.pdf`).

A chart (:class:`Bars`, :class:`Lines`, :class:`HeatMap`) is plain data; :func:`layout`
turns it into a list of shapes (:class:`Rect`, :class:`Line`, :class:`Poly`, :class:`Text`)
on a canvas of ``width`` points, y growing downwards as in SVG. Text widths are estimated
(a wide character is one em, others a little over half) so the layout needs no font file;
labels are placed by their anchor, so the real font's widths only move their far ends.

Colours are the Okabe–Ito set, told apart by readers with colour-blindness and on a grey
printer; the heat map runs from white to a deep blue and writes each count in its cell.
"""

from __future__ import annotations

import html
import math
import unicodedata
from dataclasses import dataclass, field

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000")
INK = "#222222"
GRID = "#d0d0d0"
MUTED = "#666666"
BAR = "#0072B2"
SIZE = 8.0  # points: labels
SMALL = 7.0  # points: axis ticks, counts in cells


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, one per label, largest first as given (a ranking)."""

    labels: tuple[str, ...]
    values: tuple[int, ...]
    notes: tuple[str, ...] = ()  # written after the count, e.g. where it happens most


@dataclass(frozen=True)
class Lines:
    """Counts over time: one line per series over ``ticks`` (two-line labels: the month,
    and the year under the first month and each January)."""

    ticks: tuple[tuple[str, str], ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class HeatMap:
    """A count per (row, column), shaded; zero cells left blank."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]


Chart = Bars | Lines | HeatMap


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID
    width: float = 0.5


@dataclass(frozen=True)
class Poly:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1.5


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float = SIZE
    anchor: str = "start"  # start | middle | end
    fill: str = INK
    bold: bool = False


Shape = Rect | Line | Poly | Dot | Text


@dataclass
class Canvas:
    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)


def text_width(text: str, size: float = SIZE) -> float:
    """An estimate of how wide ``text`` is set at ``size`` (no font needed)."""
    return size * sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.58 for c in text)


def fit(text: str, room: float, size: float = SIZE) -> str:
    """``text`` cut with an ellipsis to fit ``room`` points."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def nice_top(peak: int) -> tuple[int, int]:
    """A round axis top at or above ``peak`` and its step (1, 2, 5 × 10ⁿ, 3–6 steps)."""
    if peak <= 0:
        return 1, 1
    for scale in (10**n for n in range(0, 9)):
        for base in (1, 2, 5):
            step = base * scale
            if math.ceil(peak / step) <= 6:
                return step * math.ceil(peak / step), step
    return peak, peak


def bars(chart: Bars, width: float) -> Canvas:
    row, gap = 15.0, 4.0
    label_w = min(width * 0.35, max((text_width(x) for x in chart.labels), default=0) + 8)
    note_w = min(width * 0.4, max((text_width(n, SMALL) for n in chart.notes), default=0))
    count_w = text_width(str(max(chart.values, default=0)), SIZE) + 10
    room = max(20.0, width - label_w - count_w - (note_w + 6 if note_w else 0))
    peak = max(chart.values, default=0) or 1
    canvas = Canvas(width, len(chart.labels) * (row + gap) + gap)
    for n, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        top = gap + n * (row + gap)
        base = top + row / 2 + SIZE * 0.35
        canvas.shapes.append(Text(label_w - 6, base, fit(label, label_w - 8), anchor="end"))
        length = room * value / peak
        canvas.shapes.append(Rect(label_w, top, max(length, 0.5), row, BAR))
        canvas.shapes.append(Text(label_w + length + 4, base, str(value), bold=True))
        if n < len(chart.notes) and chart.notes[n]:
            x = label_w + room + count_w
            canvas.shapes.append(Text(x, base, fit(chart.notes[n], note_w, SMALL), SMALL,
                                      fill=MUTED))  # fmt: skip
    return canvas


def lines(chart: Lines, width: float) -> Canvas:
    height, left, top, right = 150.0, 30.0, 8.0, 10.0
    plot_w = width - left - right
    peak = max((max(v, default=0) for _, v in chart.series), default=0)
    axis_top, step = nice_top(peak)
    canvas = Canvas(width, 0)
    shapes = canvas.shapes
    for tick in range(0, axis_top + 1, step):
        y = top + height - height * tick / axis_top
        shapes.append(Line(left, y, left + plot_w, y))
        shapes.append(Text(left - 4, y + SMALL * 0.35, str(tick), SMALL, "end", MUTED))
    count = len(chart.ticks)
    slot = plot_w / max(count, 1)

    def x_of(n: int) -> float:
        return left + slot * (n + 0.5)

    for n, (month, year) in enumerate(chart.ticks):
        shapes.append(Text(x_of(n), top + height + SMALL + 4, month, SMALL, "middle"))
        if year:
            shapes.append(Text(x_of(n), top + height + 2 * SMALL + 7, year, SMALL, "middle",
                               MUTED))  # fmt: skip
    shapes.append(Line(left, top + height, left + plot_w, top + height, INK, 0.8))
    for k, (_, values) in enumerate(chart.series):
        colour = PALETTE[k % len(PALETTE)]
        points = tuple(
            (x_of(n), top + height - height * v / axis_top) for n, v in enumerate(values)
        )
        if len(points) > 1:
            shapes.append(Poly(points, colour))
        shapes.extend(Dot(x, y, 1.8, colour) for x, y in points)
    y = top + height + 2 * SMALL + 22
    x = left
    for k, (name, _) in enumerate(chart.series):
        item = 14 + text_width(name) + 14
        if x + item > width and x > left:
            x, y = left, y + SIZE + 6
        shapes.append(Rect(x, y - SIZE * 0.8, 10, SIZE * 0.8, PALETTE[k % len(PALETTE)]))
        shapes.append(Text(x + 14, y, name))
        x += item
    canvas.height = y + 6
    return canvas


def shade(value: int, peak: int) -> str:
    """White for nothing, deepening to #08306b at the peak."""
    if peak <= 0 or value <= 0:
        return "#ffffff"
    share = 0.15 + 0.85 * value / peak
    low, high = (247, 251, 255), (8, 48, 107)
    r, g, b = (round(a + (b - a) * share) for a, b in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def _two_lines(text: str, room: float) -> tuple[str, ...]:
    """A column head on one line, else cut at its last space onto two."""
    if text_width(text, SMALL) <= room or " " not in text:
        return (fit(text, room, SMALL),)
    head, tail = text.rsplit(" ", 1)
    return fit(head, room, SMALL), fit(tail, room, SMALL)


def heat_map(chart: HeatMap, width: float) -> Canvas:
    label_w = min(width * 0.35, max((text_width(r) for r in chart.rows), default=0) + 8)
    cols = max(len(chart.columns), 1)
    cell_w = min(70.0, (width - label_w) / cols)
    cell_h, head_h = 15.0, 2 * SMALL + 8
    peak = max((max(r, default=0) for r in chart.values), default=0)
    canvas = Canvas(width, head_h + cell_h * len(chart.rows) + 2)
    shapes = canvas.shapes
    for c, name in enumerate(chart.columns):
        x = label_w + cell_w * (c + 0.5)
        head = _two_lines(name, cell_w - 4)
        for n, part in enumerate(head):
            y = head_h - 4 - (len(head) - 1 - n) * (SMALL + 2)
            shapes.append(Text(x, y, part, SMALL, "middle"))
    for r, (name, values) in enumerate(zip(chart.rows, chart.values, strict=True)):
        y = head_h + r * cell_h
        shapes.append(Text(label_w - 6, y + cell_h / 2 + SIZE * 0.35, fit(name, label_w - 8),
                           anchor="end"))  # fmt: skip
        for c, value in enumerate(values):
            x = label_w + c * cell_w
            shapes.append(Rect(x, y, cell_w, cell_h, shade(value, peak), "#ffffff"))
            if value:
                dark = peak and value / peak > 0.5
                shapes.append(Text(x + cell_w / 2, y + cell_h / 2 + SMALL * 0.35, str(value),
                                   SMALL, "middle", "#ffffff" if dark else INK))  # fmt: skip
    return canvas


def layout(chart: Chart, width: float) -> Canvas:
    if isinstance(chart, Bars):
        return bars(chart, width)
    if isinstance(chart, Lines):
        return lines(chart, width)
    return heat_map(chart, width)


def to_svg(chart: Chart, width: float = 520, label: str = "") -> str:
    """The chart as an inline ``<svg>`` element (scales to its container's width)."""
    canvas = layout(chart, width)
    e = html.escape
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {canvas.width:.0f} '
        f'{canvas.height:.0f}" role="img" aria-label="{e(label)}" class="chart">'
    ]
    for s in canvas.shapes:
        if isinstance(s, Rect):
            stroke = f' stroke="{s.stroke}" stroke-width="0.5"' if s.stroke else ""
            out.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}"'
                       f' fill="{s.fill}"{stroke}/>')  # fmt: skip
        elif isinstance(s, Line):
            out.append(f'<line x1="{s.x1:.1f}" y1="{s.y1:.1f}" x2="{s.x2:.1f}" y2="{s.y2:.1f}"'
                       f' stroke="{s.stroke}" stroke-width="{s.width}"/>')  # fmt: skip
        elif isinstance(s, Poly):
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in s.points)
            out.append(f'<polyline points="{points}" fill="none" stroke="{s.stroke}"'
                       f' stroke-width="{s.width}"/>')  # fmt: skip
        elif isinstance(s, Dot):
            out.append(f'<circle cx="{s.x:.1f}" cy="{s.y:.1f}" r="{s.r}" fill="{s.fill}"/>')
        else:
            weight = ' font-weight="bold"' if s.bold else ""
            out.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size}" text-anchor='
                       f'"{s.anchor}" fill="{s.fill}"{weight}>{e(s.text)}</text>')  # fmt: skip
    out.append("</svg>")
    return "".join(out)
