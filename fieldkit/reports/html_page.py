"""A :class:`~fieldkit.reports.document.Document` as one self-contained HTML file.

Inline CSS, charts as inline SVG, no script and nothing fetched (the office may have no
internet): the file opens from a USB stick and prints as the PDF does — A4, the header and
footer, a table's head repeated on each page, a heading kept with what follows it, the page
number at the foot where the browser supports CSS page margin boxes.
"""

from __future__ import annotations

import html

from fieldkit.i18n import t
from fieldkit.reports import charts
from fieldkit.reports.document import Document, Facts, Figure, Grid, Para, Section, SignOff

CSS = """
body { color: #222; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "WenQuanYi Micro Hei", "DejaVu Sans", Arial, sans-serif;
  font-size: 14px; line-height: 1.55; max-width: 190mm; margin: 1.5em auto; padding: 0 1em; }
header.running, footer.running { color: #666; font-size: 12px; }
header.running { border-bottom: 1px solid #1f3864; padding-bottom: .3em; margin-bottom: 1em; }
footer.running { border-top: 1px solid #bbb; padding-top: .3em; margin-top: 2em; }
h1 { color: #1f3864; font-size: 24px; margin: .2em 0; }
h2 { color: #1f3864; font-size: 17px; margin: 1.4em 0 .4em; border-bottom: 1px solid #d6dce5;
  padding-bottom: .15em; }
h3 { color: #1f3864; font-size: 15px; margin: 1em 0 .3em; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
.subtitle { color: #666; margin: 0 0 .8em; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 .6em; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 3px 6px; }
th { background: #eef2f7; border-bottom: 1.5px solid #1f3864; }
td { border-bottom: 1px solid #ddd; }
tbody tr:nth-child(even) td { background: #f8f8f8; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.facts { background: #eef2f7; border-top: 2px solid #1f3864;
  border-bottom: 1px solid #1f3864; }
table.facts th { background: none; border: 0; color: #666; font-weight: normal;
  width: 13%; white-space: nowrap; }
table.facts td { border: 0; background: none !important; width: 37%; }
blockquote { white-space: pre-wrap; background: #f4f4f4; border-left: 3px solid #1f3864;
  margin: .4em 0 .8em; padding: .5em .8em; }
p.note { color: #666; font-size: 12px; }
figure { margin: .5em 0 1em; break-inside: avoid; page-break-inside: avoid; }
figcaption { color: #666; font-size: 13px; margin-bottom: .2em; }
svg.chart { width: 100%; height: auto; font-family: inherit; }
.signoff { display: flex; gap: 2em; margin-top: 2.5em; break-inside: avoid; }
.signoff span { flex: 1; white-space: nowrap; }
.signoff b { display: inline-block; min-width: 9em; border-bottom: 1px solid #000;
  font-weight: normal; }
section.appendix { break-before: page; page-break-before: always; }
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 9px; color: #666; } }
@media print { body { margin: 0; max-width: none; padding: 0; font-size: 12px; }
  a { color: inherit; } }
"""


def _grid(grid: Grid) -> str:
    e = html.escape
    if not grid.rows:
        return f"<p>{e(grid.empty)}</p>" if grid.empty else ""
    numeric = set(grid.numeric)

    def cls(n: int) -> str:
        return ' class="n"' if n in numeric else ""

    head = "".join(f"<th{cls(n)}>{e(h)}</th>" for n, h in enumerate(grid.head))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(n)}>{e(c)}</td>" for n, c in enumerate(row)) + "</tr>"
        for row in grid.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _block(block: object, lang: str) -> str:
    e = html.escape
    if isinstance(block, Section):
        inner = "".join(_block(b, lang) for b in block.blocks)
        level = min(block.level, 3)
        cls = ' class="appendix"' if block.new_page else ""
        return f"<section{cls}><h{level}>{e(block.title)}</h{level}>{inner}</section>"
    if isinstance(block, Facts):
        pairs = list(block.pairs)
        rows = []
        for n in range(0, len(pairs), 2):
            cells = "".join(f"<th>{e(k)}</th><td>{e(v or '—')}</td>" for k, v in pairs[n : n + 2])
            rows.append(f"<tr>{cells}</tr>")
        return f'<table class="facts"><tbody>{"".join(rows)}</tbody></table>'
    if isinstance(block, Para):
        if block.quote:
            return f"<blockquote>{e(block.text)}</blockquote>"
        return f'<p class="note">{e(block.text)}</p>' if block.note else f"<p>{e(block.text)}</p>"
    if isinstance(block, Grid):
        return _grid(block)
    if isinstance(block, Figure):
        caption = f"<figcaption>{e(block.caption)}</figcaption>" if block.caption else ""
        return f"<figure>{caption}{charts.to_svg(block.chart, label=block.caption)}</figure>"
    assert isinstance(block, SignOff)
    colon = t("reports.page.colon", lang)
    filled = list(block.filled) + [""] * len(block.labels)
    spans = "".join(
        f"<span>{e(label)}{e(colon)}<b>{e(filled[n])}</b></span>"
        for n, label in enumerate(block.labels)
    )
    return f'<div class="signoff">{spans}</div>'


def to_html(doc: Document) -> str:
    e = html.escape
    lang = "zh-CN" if doc.lang == "zh" else "en"
    subtitle = f'<p class="subtitle">{e(doc.subtitle)}</p>' if doc.subtitle else ""
    body = "".join(_block(b, doc.lang) for b in doc.blocks)
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(doc.title)}</title><style>{CSS}</style></head><body>"
        f'<header class="running">{e(doc.header)}</header>'
        f"<h1>{e(doc.title)}</h1>{subtitle}{body}"
        f'<footer class="running">{e(doc.footer)}</footer></body></html>\n'
    )
