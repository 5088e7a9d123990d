"""Pick one of a list: the key at the start of each line picks it at once (1-9, 0, then
a, b … as in every list of the app, :data:`fieldkit.ui.keys.CHOICE_KEYS`), ↑ ↓ and Enter
pick any, Esc keeps what was chosen before. The case list's status filter uses it: a desk
whose lifecycle file has twenty states with cases reads them all at once and picks one,
instead of stepping through them one key press at a time; the twelfth is under b, never a
line with no key (nc: 已完工 was twelfth, and no key picked it)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import t
from fieldkit.ui.keys import CHOICE_KEYS, choice_keys_said


class Picker(ModalScreen[str | None]):
    DEFAULT_CSS = """
    Picker { align: center middle; }
    #picker-options { height: auto; max-height: 60vh; margin: 1 0; }
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
        for n, (value, words) in enumerate(self.options):
            # the key in a column of its own: a long line wraps under its words, not its key
            line = Table.grid(padding=(0, 2, 0, 0))
            line.add_column(no_wrap=True)
            line.add_column()
            current = t("ui.picker.current") if value == self.current else ""
            line.add_row(CHOICE_KEYS[n] if n < len(CHOICE_KEYS) else "", Text(words + current))
            listed.add_option(Option(line, id=value or "-"))
        values = [value for value, _ in self.options]
        listed.highlighted = values.index(self.current) if self.current in values else 0
        listed.focus()
        self.relabel()

    def relabel(self) -> None:
        self.query_one("#picker-title", Static).update(t(self.title_key))
        many = len(self.options) > 9
        keys = choice_keys_said(len(self.options), t("checklists.words.list_sep"))
        self.query_one("#picker-hint", Static).update(
            t("ui.picker.hint_many" if many else "ui.picker.hint", keys=keys)
        )

    def on_key(self, event: events.Key) -> None:
        char = (event.character or "").lower()
        if char and char in CHOICE_KEYS:
            index = CHOICE_KEYS.index(char)
            if index < len(self.options):
                event.stop()
                self.dismiss(self.options[index][0])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.options[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
