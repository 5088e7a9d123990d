"""The needs-attention list (``!`` from anywhere): each entry says what was refused or what
happened, and what to do — ``r`` sends a refused record again, ``x`` takes an entry off the
list once dealt with (:mod:`fieldkit.services.attention`)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import t
from fieldkit.services import attention
from fieldkit.ui.keys import KeyTable, key
from fieldkit.ui.messages.attention import AttentionChanged, AttentionLoaded
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread


class AttentionScreen(FieldScreen):
    AUTO_FOCUS = "#attention-list"
    KEYS = KeyTable(
        key("r", "resend", "attention.keys.resend", "attention.keys.resend"),
        key("x", "dismiss_entry", "attention.keys.dismiss", "attention.keys.dismiss"),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )
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
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.relabel()
        self.load()

    @in_thread(group="entries")
    def load(self) -> None:
        self.post_message(AttentionLoaded(attention.items(self.fk.workspace)))

    def on_attention_loaded(self, message: AttentionLoaded) -> None:
        self.entries = message.entries
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
        key = item.key
        self.fk.saves.put(self, lambda ws: _changed(attention.resend(ws, key), "resent"))

    def action_dismiss_entry(self) -> None:
        item = self._current()
        if item is not None:
            key = item.key
            self.fk.saves.put(self, lambda ws: _changed(attention.dismiss(ws, key), "dismissed"))

    def on_attention_changed(self, message: AttentionChanged) -> None:
        self.notify(t(f"attention.screen.{message.done}"))
        self.load()


def _changed(_result: object, done: str) -> AttentionChanged:
    return AttentionChanged(done)
