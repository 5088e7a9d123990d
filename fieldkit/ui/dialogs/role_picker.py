"""The demo's role picker: be the patroller, the renovation inspector, the emergency
coordinator, the service desk or the office supervisor. A number picks at once."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import t
from fieldkit.i18n.roles import role_title


class RolePicker(ModalScreen[str | None]):
    DEFAULT_CSS = """
    RolePicker { align: center middle; }
    #picker-roles { height: auto; max-height: 12; margin: 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, people: dict[str, str], current: str) -> None:
        super().__init__(classes="dialog", id="role-picker")
        self.people = people
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(id="picker-title", classes="section-title")
            yield OptionList(id="picker-roles")
            yield Static(id="picker-hint", classes="hint")

    def on_mount(self) -> None:
        self.relabel()
        roles = self.query_one(OptionList)
        order = list(self.people)
        roles.highlighted = order.index(self.current) if self.current in order else 0
        roles.focus()

    def relabel(self) -> None:
        self.query_one("#picker-title", Static).update(t("demo.picker.title"))
        self.query_one("#picker-hint", Static).update(t("demo.picker.hint"))
        roles = self.query_one(OptionList)
        highlighted = roles.highlighted
        roles.clear_options()
        for n, (role, person) in enumerate(self.people.items(), start=1):
            line = t("demo.picker.line", key=n, role=role_title(role), person=person)
            if role == self.current:
                line += t("demo.picker.current")
            roles.add_option(Option(line, id=role))
        roles.highlighted = highlighted

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.people):
                event.stop()
                self.dismiss(list(self.people)[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
