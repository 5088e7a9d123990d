"""The reveal log, on the office's device (ctrl+e, or "Personal data reveals" in the
palette): who saw which resident's details in full, when, why and under which incident —
every device's, once synced. Another role is told who may read it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import get_language, t
from fieldkit.reports.reveals import RevealRow
from fieldkit.services import reveals
from fieldkit.ui.keys import KeyTable, key
from fieldkit.ui.messages.reports import RevealsListed
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread


def row_text(row: RevealRow, lang: str) -> Text:
    """One reveal as two lines: when, who, what of whom; then why and the incident."""
    line = Text(row.when() + "  ", style="dim")
    line.append(row.sentence(lang), style="bold")
    line.append("\n    " + row.details(lang))
    return line


class RevealsScreen(FieldScreen):
    AUTO_FOCUS = "#reveals-list"
    KEYS = KeyTable(key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"))
    DEFAULT_CSS = """
    RevealsScreen #reveals-list { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(name="reveals")
        self.rows: list[RevealRow] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="reveals-title", classes="section-title")
        yield OptionList(id="reveals-list")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.relabel()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @in_thread(group="rows")
    def load(self) -> None:
        self.post_message(RevealsListed(reveals.listing(self.fk.workspace)))

    def on_reveals_listed(self, message: RevealsListed) -> None:
        self.rows = message.rows
        self.relabel()

    def relabel(self) -> None:
        self.query_one(KeyBar).relabel()
        title = self.query_one("#reveals-title", Static)
        if self.rows is None:
            title.update(t("ui.home.loading"))
            return
        lang = get_language()
        title.update(t("reveals.list.title", count=len(self.rows)))
        listing = self.query_one("#reveals-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(Option(row_text(row, lang), id=row.id) for row in self.rows)
        if not self.rows:
            listing.add_option(Option(t("reveals.list.empty"), disabled=True))
        elif highlighted is not None:
            listing.highlighted = min(highlighted, len(self.rows) - 1)
