"""Tables for spreadsheets: an ``.xlsx`` workbook with a sheet per kind of record, or a CSV
file per kind that Excel on a Chinese Windows opens as it should.

A :class:`Sheet` is a title, its column heads and rows of plain values (text, numbers,
dates, date-times). The workbook keeps dates as dates (a filter by month works), freezes the
head row and sets the column widths; a CSV file starts with a UTF-8 byte order mark, which is
what tells Excel the file is UTF-8 rather than the local code page (without it, Chinese
opens as mojibake), and writes times as ``2026-05-01 14:32``, which Excel reads as a date.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

BOM = "\ufeff"
MAX_WIDTH = 60  # characters: a long note wraps in Excel rather than stretching a column


@dataclass
class Sheet:
    """``name`` names the file or the tab (a kind id: ``case``), ``title`` is the tab's
    label in the reader's language (工单)."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(sheet: Sheet, out: IO[bytes], bom: bool = True) -> int:
    """The sheet as CSV (UTF-8, with its byte order mark unless ``bom`` is False); returns
    the number of rows written."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    if bom:
        text.write(BOM)
    writer = csv.writer(text)
    writer.writerow(sheet.columns)
    for row in sheet.rows:
        writer.writerow([cell_text(v) for v in row])
    text.flush()
    text.detach()
    return len(sheet.rows)


def _width(value: Any) -> int:
    text = cell_text(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def write_xlsx(sheets: Iterable[Sheet], out: IO[bytes]) -> int:
    """A workbook with one tab per sheet (in the order given); returns the rows written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="EEF2F7")
    count = 0
    for sheet in sheets:
        tab = book.create_sheet(title=sheet.title[:31] or sheet.name[:31])
        tab.append(list(sheet.columns))
        widths = [_width(c) for c in sheet.columns]
        for row in sheet.rows:
            tab.append([v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row])
            widths = [max(w, _width(v)) for w, v in zip(widths, row, strict=False)]
            count += 1
        for row in tab.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, datetime):
                    c.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(c.value, date):
                    c.number_format = "yyyy-mm-dd"
        for n, width in enumerate(widths, 1):
            tab.column_dimensions[get_column_letter(n)].width = min(MAX_WIDTH, width + 2)
        for c in tab[1]:
            c.font = head_font
            c.fill = head_fill
            c.alignment = Alignment(vertical="center")
        tab.freeze_panes = "A2"
        if sheet.rows:
            tab.auto_filter.ref = tab.dimensions
    if not book.worksheets:
        book.create_sheet(title="-")
    book.save(out)
    return count
