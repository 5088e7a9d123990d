"""One case: its routing, its event history, and moves along its lifecycle."""

from __future__ import annotations

import time
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from fieldkit.i18n import t
from fieldkit.services.lifecycle import status_label
from fieldkit.services.types import CaseView, pick
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar

EVENT_KINDS = frozenset({"raised", "note", "photo", "field", "assign", "notice", "call", "action"})


def when(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))


class CaseDetailScreen(FieldScreen):
    HELP_KEYS = (
        ("1-9", "ui.keys.move_case"),
        ("a", "ui.keys.add_note"),
        ("p", "ui.keys.add_photo"),
        ("esc", "ui.keys.back"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", show=False),
        Binding("a", "note('note')", show=False),
        Binding("p", "note('photo')", show=False),
        *(Binding(str(n), f"move({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(self, case_id: str) -> None:
        super().__init__(name="case-detail")
        self.case_id = case_id
        self.case: CaseView | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="case-body"):
            yield Static(id="case-head")
            yield Static(id="case-moves")
            yield Static(id="case-events")
        yield KeyBar(
            (("1-9", "ui.keys.move_case"), ("a", "ui.keys.add_note"), ("esc", "ui.keys.back"))
        )

    def on_mount(self) -> None:
        self.relabel()
        self.service("case", lambda ws, cid: ws.case(cid), self.case_id)

    def done_case(self, case: CaseView | None) -> None:
        if case is None:
            self.notify(t("services.case.not_found"), severity="error")
            return
        self.case = case
        self.relabel()

    done_moved = done_case

    def relabel(self) -> None:
        self.query_one(KeyBar).relabel()
        case = self.case
        if case is None:
            self.query_one("#case-head", Static).update(t("ui.home.loading"))
            return
        row = case.row
        head = Table.grid(padding=(0, 2))
        head.add_column(style="bold")
        head.add_column()
        head.add_row(t("ui.case.number"), f"#{row.ref}  {pick(row.title)}")
        head.add_row(t("ui.case.target"), row.target)
        head.add_row(t("ui.case.department"), t(f"ui.department.{row.department}"))
        head.add_row(t("ui.case.severity"), t(f"ui.severity.{row.severity}"))
        head.add_row(t("ui.case.status"), status_label(row.kind, row.status))
        due = when(row.due) + ("  " + t("ui.case.overdue") if row.overdue else "")
        head.add_row(t("ui.case.due"), due)
        head.add_row(t("ui.case.created"), when(case.created))
        self.query_one("#case-head", Static).update(head)
        moves = "   ".join(
            f"[reverse] {n} [/] → {status_label(row.kind, status)}"
            for n, status in enumerate(case.next_statuses, 1)
        )
        self.query_one("#case-moves", Static).update(moves or t("ui.case.final"))
        events = Table(title=t("ui.case.history"), expand=True, show_edge=False)
        events.add_column(t("ui.case.when"), no_wrap=True)
        events.add_column(t("ui.case.what"))
        for event in case.events:
            if event.kind == "status":
                what = status_label(row.kind, event.status)
                if event.text:
                    what += f" — {event.text}"
            else:
                kind = event.kind if event.kind in EVENT_KINDS else "other"
                what = t(f"ui.case.event_{kind}") + (f": {event.text}" if event.text else "")
            events.add_row(when(event.at), what)
        self.query_one("#case-events", Static).update(events)

    def action_move(self, n: int) -> None:
        """Make the n-th move; ask first for what the lifecycle file says it needs."""
        if self.case is None or n > len(self.case.next_statuses):
            return
        from fieldkit.ui.dialogs.ask import AskDialog

        status = self.case.next_statuses[n - 1]
        needs = self.case.move_needs.get(status, ())
        label = status_label(self.case.kind, status)
        if "followup" in needs:

            def with_score(answer: str | None) -> None:
                if answer is not None:
                    self._follow_up(answer)

            self.app.push_screen(AskDialog("ui.case.ask_score"), with_score)
        elif "note" in needs:

            def with_note(note: str | None) -> None:
                if note is not None:
                    self._move(status, note)

            self.app.push_screen(AskDialog("ui.case.ask_move_note", to=label), with_note)
        else:
            self._move(status, "")

    def _move(self, status: str, note: str) -> None:
        self.service("moved", lambda ws, cid: ws.move_case(cid, status, note), self.case_id)

    def _follow_up(self, answer: str) -> None:
        """``4 owner satisfied``: a score 1-5 first, then any comment."""
        score, _, comment = answer.strip().partition(" ")
        if not score.isdigit():
            self.notify(t("ui.case.bad_score"), severity="warning")
            return
        self.service(
            "moved",
            lambda ws, cid: ws.follow_up_case(cid, int(score), comment.strip()),
            self.case_id,
        )

    def action_note(self, kind: str) -> None:
        from fieldkit.ui.dialogs.ask import AskDialog

        def add(text: str | None) -> None:
            if text:
                self.service(
                    "moved", lambda ws, cid: ws.add_case_note(cid, text, kind), self.case_id
                )

        self.app.push_screen(AskDialog(f"ui.case.ask_{kind}"), add)
