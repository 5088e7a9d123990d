"""The needs-attention list (``!`` from anywhere): each entry says what was refused or what
happened, and what to do — ``r`` sends a refused record again, ``x`` takes an entry off the
list once dealt with (:mod:`fieldkit.services.attention`)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import t
from fieldkit.services import attention
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar

KEYS = (("r", "attention.keys.resend"), ("x", "attention.keys.dismiss"), ("esc", "ui.keys.back"))


class AttentionScreen(FieldScreen):
    AUTO_FOCUS = "#attention-list"
    HELP_KEYS = KEYS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", show=False),
        Binding("r", "resend", show=False),
        Binding("x", "dismiss_entry", show=False),
    ]
    DEFAULT_CSS = """
    AttentionScreen #attention-list { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(name="attention")
        self.entries: list[attention.Item] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="attention-title", classes="section-title")
        yield OptionList(id="attention-list")
        yield KeyBar(KEYS)

    def on_mount(self) -> None:
        self.relabel()
        self.load()

    def load(self) -> None:
        self.service("entries", lambda ws: attention.items(ws))

    def done_entries(self, entries: list[attention.Item]) -> None:
        self.entries = entries
        self.relabel()

    def relabel(self) -> None:
        self.query_one(KeyBar).relabel()
        title = self.query_one("#attention-title", Static)
        listing = self.query_one("#attention-list", OptionList)
        if self.entries is None:
            title.update(t("ui.home.loading"))
            return
        title.update(t("attention.screen.title", count=len(self.entries)))
        highlighted = listing.highlighted
        listing.clear_options()
        for item in self.entries:
            line = Text(f"{item.at[:16].replace('T', ' ')}  ", style="dim")
            line.append(item.said() + "\n", style="bold")
            line.append("    " + item.todo())
            listing.add_option(Option(line, id=item.key))
        if not self.entries:
            listing.add_option(Option(t("attention.screen.empty"), disabled=True))
        elif highlighted is not None:
            listing.highlighted = min(highlighted, len(self.entries) - 1)

    def _current(self) -> attention.Item | None:
        if not self.entries:
            return None
        index = self.query_one("#attention-list", OptionList).highlighted or 0
        return self.entries[min(index, len(self.entries) - 1)]

    def action_resend(self) -> None:
        item = self._current()
        if item is None:
            return
        if not item.can_resend:
            self.notify(t("attention.screen.not_resendable"), severity="warning")
            return
        self.service("changed", lambda ws, key: attention.resend(ws, key), item.key, done="resent")

    def action_dismiss_entry(self) -> None:
        item = self._current()
        if item is not None:
            self.service("changed", lambda ws, key: attention.dismiss(ws, key), item.key,
                         done="dismissed")  # fmt: skip

    def done_changed(self, _ok: bool, done: str) -> None:
        self.notify(t(f"attention.screen.{done}"))
        self.load()
