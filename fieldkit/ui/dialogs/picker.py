"""Pick one of a short list: a number key picks at once (1-9), ↑ ↓ and Enter pick any, Esc
keeps what was chosen before. The case list's status filter uses it: a desk whose
lifecycle file has twenty states with cases reads them all at once and picks one, instead of
stepping through them one key press at a time."""

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


class Picker(ModalScreen[str | None]):
    DEFAULT_CSS = """
    Picker { align: center middle; }
    #picker-options { height: auto; max-height: 24; margin: 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, options: list[tuple[str, str]], current: str) -> None:
        """``title``: its catalogue key; ``options``: (value, words as shown)."""
        super().__init__(classes="dialog", id="picker")
        self.title_key = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(id="picker-title", classes="section-title")
            yield OptionList(id="picker-options")
            yield Static(id="picker-hint", classes="hint")

    def on_mount(self) -> None:
        listed = self.query_one(OptionList)
        for n, (value, words) in enumerate(self.options, start=1):
            line = f"{n if n <= 9 else ' '}  {words}"
            if value == self.current:
                line += t("ui.picker.current")
            listed.add_option(Option(line, id=value or "-"))
        values = [value for value, _ in self.options]
        listed.highlighted = values.index(self.current) if self.current in values else 0
        listed.focus()
        self.relabel()

    def relabel(self) -> None:
        self.query_one("#picker-title", Static).update(t(self.title_key))
        many = len(self.options) > 9
        self.query_one("#picker-hint", Static).update(
            t("ui.picker.hint_many" if many else "ui.picker.hint", count=min(9, len(self.options)))
        )

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character in "123456789":
            index = int(event.character) - 1
            if index < len(self.options):
                event.stop()
                self.dismiss(self.options[index][0])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.options[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
