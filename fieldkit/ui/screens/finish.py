"""Finish: the failures and what is still missing; the cases submit will raise, editable."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from fieldkit.checklists.describe import duration_words
from fieldkit.checklists.durations import duration_parts
from fieldkit.i18n import as_label, get_language, plural, t
from fieldkit.model import DEPARTMENTS, SEVERITIES
from fieldkit.services.runs import ProposedCase, RunView
from fieldkit.services.types import pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages import RunSubmitted
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar

DUES = ("4h", "24h", "3d", "1w")


def due_words(due: str) -> str:
    """A proposed case's due time as the table shows it: "within 4 hours" / "4 小时内", or
    the inspector's own date as given."""
    if duration_parts(due) is None:
        return due
    return t("ui.finish.within", duration=duration_words(due))


def _cycle(values: tuple[str, ...], current: str) -> str:
    return values[(values.index(current) + 1) % len(values)] if current in values else values[0]


class FinishScreen(FieldScreen):
    """Dismissed with the submitted run (escape goes back without one)."""

    KEYS = KeyTable(
        key("d", "edit('department')", "ui.keys.finish_department"),
        key("v", "edit('severity')", "ui.keys.finish_severity"),
        key("u", "edit('due')", "ui.keys.finish_due"),
        Key("d v u", bar="ui.keys.edit_case", when=("cases",)),
        key("ctrl+s", "submit", "ui.keys.submit", "ui.keys.submit"),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )

    def __init__(self, run: RunView) -> None:
        super().__init__(name="finish")
        self.run = run
        self.cases: list[ProposedCase] = run.proposed_cases()
        self.missing = run.missing()

    def key_states(self) -> tuple[str, ...]:
        return ("cases",) if self.cases else ()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="finish-body")
        yield DataTable(id="finish-cases", cursor_type="row")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.relabel()
        self.query_one(DataTable).focus()

    def relabel(self) -> None:
        self.query_one(TitleBar).relabel()
        self.query_one(KeyBar).relabel()
        lang = get_language()
        body = Text()
        body.append(t("ui.finish.title", title=self.run.checklist.title.get(lang)) + "\n", "bold")
        if self.missing:
            body.append(plural("ui.finish.missing", len(self.missing)) + "\n", "bold yellow")
            for step in self.missing[:8]:
                where = f"[{step.asset.code}] " if step.asset else ""
                body.append(f"  • {where}{step.item.label.get(lang)}\n")
            if len(self.missing) > 8:
                body.append("  …\n")
        else:
            body.append(t("ui.finish.complete") + "\n", "green")
        if self.cases:
            body.append(plural("ui.finish.cases", len(self.cases)), "bold")
        else:
            body.append(t("ui.finish.no_cases"), "bold")
        self.query_one("#finish-body", Static).update(body)
        table = self.query_one(DataTable)
        table.display = bool(self.cases)
        row = table.cursor_row
        table.clear(columns=True)
        for col in ("title", "target", "department", "severity", "due"):
            table.add_column(t(f"ui.finish.col_{col}"))
        for case in self.cases:
            table.add_row(
                pick(case.title),
                case.target.code,
                t(f"ui.department.{case.department}"),
                as_label(t(f"ui.severity.{case.severity}")),
                due_words(case.due),
            )
        if self.cases:
            table.move_cursor(row=min(max(row, 0), len(self.cases) - 1))

    def action_edit(self, what: str) -> None:
        table = self.query_one(DataTable)
        if not self.cases:
            return
        case = self.cases[table.cursor_row]
        if what == "department":
            case.department = _cycle(DEPARTMENTS, case.department)
        elif what == "severity":
            case.severity = _cycle(SEVERITIES, case.severity)
        else:
            case.due = _cycle(DUES, case.due)
        self.relabel()

    def action_submit(self) -> None:
        self.missing = self.run.missing()
        if self.missing:
            self.notify(plural("services.run.missing", len(self.missing)), severity="warning")
            return
        run_id, cases = self.run.id, list(self.cases)
        self.fk.saves.put(self, lambda ws: RunSubmitted(len(cases), ws.submit_run(run_id, cases)))

    def on_run_submitted(self, message: RunSubmitted) -> None:
        if message.cases:
            self.notify(plural("ui.finish.done", message.cases))
        else:
            self.notify(t("ui.finish.done_none"))
        self.dismiss(message.run)
