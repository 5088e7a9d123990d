"""A page of cases in a DataTable: only one page is ever built, so 100k cases cost the same
as 50 (a stock DataTable given 10k rows takes seconds to appear on a 2-core laptop)."""

from __future__ import annotations

import time

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from fieldkit.i18n import as_label, t
from fieldkit.services.cases import due_words
from fieldkit.services.lifecycle import status_label
from fieldkit.services.types import CaseRow, pick

COLUMNS = ("ref", "title", "target", "department", "severity", "status", "due")
MIN_TITLE = 12
LEAST_TITLE = 4  # a title narrower than this says nothing


def due_text(row: CaseRow, now: float) -> Text:
    """The time left or past, in words (``services.cases.due_words``), red when overdue."""
    if row.overdue:
        return Text(due_words(row.due, max(now, row.due + 1)), style="bold red")
    if row.status in ("resolved", "followed_up", "closed", "cancelled") or row.due == float("inf"):
        return Text("—")  # done, or not dispatched yet (no due time)
    return Text(due_words(row.due, now))


class CaseTable(DataTable):
    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.rows_shown: tuple[CaseRow, ...] = ()

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        self.clear(columns=True)
        for col in COLUMNS:
            self.add_column(t(f"ui.cases.col.{col}"), key=col)
        self.show(self.rows_shown)

    def show(self, rows: tuple[CaseRow, ...], keep: bool = True) -> None:
        """Draw ``rows``; with ``keep`` the cursor stays on the case it was on (back from
        that case's detail, after a sync), else at the same height, not sent to the top."""
        was_on, was_at = (self.selected_id(), self.cursor_row) if keep else (None, 0)
        self.rows_shown = rows
        self.clear()
        self.fit()  # before the rows are drawn: a row drawn at the old widths stays so
        now = time.time()
        title = self.columns.get(ColumnKey("title")) if self.columns else None
        room = title.width if title is not None and not title.auto_width else 0
        for row in rows:
            cells = self.cells(row, now)
            # a problem longer than its column takes a second line rather than being cut
            height = 2 if room and cell_len(str(cells[1])) > room else 1
            self.add_row(*cells, key=row.id, height=height)
        ids = [row.id for row in rows]
        if rows and (was_on in ids or was_at > 0):
            at = ids.index(was_on) if was_on in ids else min(was_at, len(rows) - 1)
            self.move_cursor(row=at, animate=False)

    @staticmethod
    def cells(row: CaseRow, now: float) -> tuple[str | Text, ...]:
        """One row's cells, in the order of ``COLUMNS``."""
        severity = Text(as_label(t(f"ui.severity.{row.severity}")))
        if row.severity == "critical":
            severity.stylize("bold")
        return (
            row.ref,
            pick(row.title),
            pick(row.target),
            t(f"ui.department.{row.department}") if row.department else "—",
            severity,
            status_label(row.kind, row.status),
            due_text(row, now),
        )

    def on_resize(self) -> None:
        """New widths: the rows again, since a title's second line depends on them."""
        cursor = self.cursor_row
        self.show(self.rows_shown)
        if self.rows_shown:
            self.move_cursor(row=max(0, min(cursor, len(self.rows_shown) - 1)))

    def fit(self) -> None:
        """Every column but the title as wide as its widest cell, the title what is left,
        so the due time (the last column) is never pushed off the screen and cut.

        The widths are measured here from the rows shown, before they are added: the
        table's own measure of new cells waits for the next idle moment, and a fit made
        before it (a title that arrived with a sync, a page drawn twice) cut the title with
        room to spare or pushed the due time off the table. A table not laid out yet (no
        width) is fitted on its first resize."""
        if not self.size.width or len(self.columns) != len(COLUMNS):
            return
        now = time.time()
        need = {col: cell_len(t(f"ui.cases.col.{col}")) for col in COLUMNS}
        for row in self.rows_shown:
            for col, cell in zip(COLUMNS, self.cells(row, now), strict=True):
                need[col] = max(need[col], cell_len(cell.plain if isinstance(cell, Text) else cell))
        others = sum(need[col] + 2 * self.cell_padding for col in COLUMNS if col != "title")
        room = self.size.width - others - 2 * self.cell_padding - 1  # the scrollbar
        # at 80 columns in English the other columns can leave less than MIN_TITLE: the
        # title gives way then, never the due time
        least = MIN_TITLE if room >= MIN_TITLE else max(room, LEAST_TITLE)
        for column in self.columns.values():
            key = str(column.key.value)
            column.auto_width = False
            column.width = max(least, min(room, need[key])) if key == "title" else need[key]
        self._require_update_dimensions = True
        self.refresh()

    def selected_id(self) -> str | None:
        if not self.rows_shown or self.cursor_row < 0 or self.cursor_row >= len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row].id
