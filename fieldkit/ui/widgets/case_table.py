"""A page of cases in a DataTable: only one page is ever built, so 100k cases cost the same
as 50 (a stock DataTable given 10k rows takes seconds to appear on a 2-core laptop)."""

from __future__ import annotations

import time
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from fieldkit.i18n import as_label, known, t
from fieldkit.services.cases import RECHECKED, WAITING, due_words, kind_word, title_beside
from fieldkit.services.lifecycle import status_label
from fieldkit.services.types import CaseRow, pick
from fieldkit.ui.widgets.phrases import lines as phrase_lines

COLUMNS = ("ref", "kind", "title", "target", "department", "severity", "status", "due")
#: Each column's heading; the kind's is in a table of its own with the kinds' short names.
HEADINGS = {col: f"ui.cases.col.{col}" for col in COLUMNS} | {"kind": "ui.case_list.col_kind"}
#: Columns a narrow terminal gives up, in this order, before the problem is squeezed under
#: GIVE_UP_UNDER: the filters still work on them and the case's detail shows them.
GIVEN_UP = ("department", "severity", "kind")
#: Columns cut to so many cells, ending in "…", before any column is given up, when the
#: problem would have less than WANT_TITLE: a dispute's two flats (2-1-1003 ↔ 2-1-1103) or
#: a long status (Hearing both sides) kept the problem to 12 cells at 80 columns (nc21);
#: the case's detail shows them whole.
CUT_TO = {"target": 10, "status": 13}
WANT_TITLE = 24
MIN_TITLE = 12
GIVE_UP_UNDER = 16  # a problem narrower than this wraps to three lines: columns give way
LEAST_TITLE = 4  # a title narrower than this says nothing
MAX_LINES = 3  # a problem's lines in its row at most


def _cut(lines: list[str], room: int, of: int) -> Text:
    """The first lines of a wrapped problem (``of`` in all), the last ending in "…" when
    there is more, to say so."""
    if of > len(lines):
        last = lines[-1].rstrip()
        while last and cell_len(last) > room - 1:
            last = last[:-1]
        lines = [*lines[:-1], last.rstrip() + "…"]
    return Text("\n".join(lines))


def due_text(row: CaseRow, now: float) -> Text:
    """The time left or past, in words (``services.cases.due_words``), red when overdue."""
    if row.overdue:
        return Text(due_words(row.due, max(now, row.due + 1)), style="bold red")
    if row.status == "cancelled" or row.due == float("inf"):
        return Text("—")  # nothing more to do, or not dispatched yet (no due time)
    if row.status in WAITING:  # the work is done: its due time no longer counts down
        return Text(t(f"ui.case_list.{waits_on(row)}"), style="dim")
    return Text(due_words(row.due, now))


def waits_on(row: CaseRow) -> str:
    """What a case whose work is done still waits on, as the due column says it: closed, it
    is done ("已办完"); else its follow-up call, a finding's re-inspection, or closing. An
    unfinished case read "已办完" in the list of unfinished ones (nc14)."""
    if row.status == "closed":
        return "done"
    if row.status in ("followed_up", "referred"):
        return "to_close"
    return "to_recheck" if row.kind in RECHECKED else "to_follow_up"


class CaseTable(DataTable):
    #: Home and End go to the first and the last case shown: a stock table moves a row
    #: cursor sideways with them, so Home then Enter opened the case chosen before (nc26).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", show=False),
        Binding("end", "scroll_bottom", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.rows_shown: tuple[CaseRow, ...] = ()
        self.shown: tuple[str, ...] = COLUMNS  # the columns there is room for
        self.cut: dict[str, int] = {}  # the columns cut to make room, and their widths

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self, rows: tuple[CaseRow, ...] | None = None) -> None:
        """The headings in the language now in use, and ``rows`` (else the rows shown)
        drawn under them, the cursor kept on the case it was on."""
        was = (self.selected_id(), self.cursor_row)
        self._columns()
        self.show(self.rows_shown if rows is None else rows, was=was)

    def _columns(self) -> None:
        self.clear(columns=True)
        for col in self.shown:
            self.add_column(t(HEADINGS[col]), key=col)

    def show(
        self,
        rows: tuple[CaseRow, ...],
        keep: bool = True,
        was: tuple[str | None, int] | None = None,
    ) -> None:
        """Draw ``rows``; with ``keep`` the cursor stays on the case it was on (back from
        that case's detail, after a sync), else at the same height, not sent to the top.
        ``was``: that case and height, taken before the columns were cleared."""
        if was is None:
            was = (self.selected_id(), self.cursor_row) if keep else (None, 0)
        was_on, was_at = was
        self.rows_shown = rows
        self.clear()
        self.fit()  # before the rows are drawn: a row drawn at the old widths stays so
        now = time.time()
        title = self.columns.get(ColumnKey("title")) if self.columns else None
        room = title.width if title is not None and not title.auto_width else 0
        at = [COLUMNS.index(col) for col in self.shown]
        cut = {COLUMNS.index(col): width for col, width in self.cut.items()}
        for row in rows:
            cells = self.cells(row, now)
            if cut:  # one line, its end "…"
                cells = tuple(_cut([str(c)], cut[n], 2) if n in cut and cell_len(str(c)) >
                              cut[n] else c for n, c in enumerate(cells))  # fmt: skip
            # a problem longer than its column takes more lines (up to 3) rather than being
            # cut; longer still, its third line ends in "…" (it was cut mid-sentence, nc)
            # Chinese at a pause (下水道堵塞，|水排不下去), not inside a word (抖|动)
            problem = cells[COLUMNS.index("title")]
            height = 1
            if room and cell_len(str(problem)) > room:
                said = phrase_lines(str(problem), room)
                height = min(MAX_LINES, len(said))
                cells = list(cells)
                cells[COLUMNS.index("title")] = _cut(said[:MAX_LINES], room, len(said))
            self.add_row(*(cells[n] for n in at), key=row.id, height=height)
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
            known(f"ui.case_list.kind.{kind_word(row.kind, row.category)}", row.kind),
            title_beside(pick(row.title), pick(row.target)),  # the code once, under Where
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
        width) is fitted on its first resize. A terminal too narrow for every column first
        cuts those in ``CUT_TO``, then gives up those in ``GIVEN_UP``, one by one, until the
        problem has GIVE_UP_UNDER."""
        if not self.size.width or len(self.columns) != len(self.shown):
            return
        now = time.time()
        need = {col: cell_len(t(HEADINGS[col])) for col in COLUMNS}
        for row in self.rows_shown:
            for col, cell in zip(COLUMNS, self.cells(row, now), strict=True):
                need[col] = max(need[col], cell_len(cell.plain if isinstance(cell, Text) else cell))

        def room_left(shown: tuple[str, ...]) -> int:
            others = sum(need[col] + 2 * self.cell_padding for col in shown if col != "title")
            return self.size.width - others - 2 * self.cell_padding - 1  # the scrollbar

        shown = COLUMNS
        cut: dict[str, int] = {}
        if room_left(shown) < WANT_TITLE:
            cut = {col: most for col, most in CUT_TO.items() if need[col] > most}
            need |= cut
        for col in GIVEN_UP:
            if room_left(shown) >= GIVE_UP_UNDER:
                break
            shown = tuple(c for c in shown if c != col)
        if shown != self.shown or cut != self.cut:
            drawn = self.row_count > 0  # a fit of rows already drawn: they are drawn again
            self.shown, self.cut = shown, cut
            self._columns()
            if drawn:
                self.show(self.rows_shown)
                return
        room = room_left(shown)
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
