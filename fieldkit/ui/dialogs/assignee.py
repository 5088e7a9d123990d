"""Who in the department does the work: a number for one of the names offered (the office's
staff list, else the people this device last sent that department's cases to), or a name
typed and Enter; Enter alone sends the case to the department only. Returns the name ("" for
none), or None on Esc."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from fieldkit.i18n import t
from fieldkit.services.signin import NAME_MAX


class AssigneeDialog(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, department: str, names: list[str]) -> None:
        super().__init__(classes="dialog")
        self.department = department
        self.names = list(names)[:9]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(id="assignee-title", classes="section-title")
            yield Static(id="assignee-names")
            yield Input(id="assignee-name", max_length=NAME_MAX)
            yield Static(id="assignee-hint", classes="hint")

    def on_mount(self) -> None:
        self.relabel()
        self.query_one(Input).focus()

    def relabel(self) -> None:
        department = t(f"ui.department.{self.department}")
        self.query_one("#assignee-title", Static).update(
            t("desk.dispatch.person_title", department=department)
        )
        names = "   ".join(f"[reverse] {n} [/] {name}" for n, name in enumerate(self.names, 1))
        box = self.query_one("#assignee-names", Static)
        box.update(names)
        box.display = bool(self.names)
        hint = "desk.dispatch.person_help" if self.names else "desk.dispatch.no_names"
        self.query_one("#assignee-hint", Static).update(t(hint, department=department))
        self.query_one(Input).placeholder = t("desk.dispatch.placeholder")

    def on_input_changed(self, event: Input.Changed) -> None:
        """A lone digit picks the name with that number (names are never a single digit)."""
        value = event.value.strip()
        if value.isdigit() and len(value) == 1 and 1 <= int(value) <= len(self.names):
            self.dismiss(self.names[int(value) - 1])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """A name, or nothing (the department only); a number no name has is said."""
        event.stop()
        value = event.value.strip()
        if value.isdigit():
            key = "desk.dispatch.no_number" if self.names else "desk.dispatch.no_names"
            department = t(f"ui.department.{self.department}")
            self.notify(t(key, n=value, last=len(self.names), department=department),
                        severity="warning")  # fmt: skip
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
