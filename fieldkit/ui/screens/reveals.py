"""The reveal log, on the office's device (ctrl+e, or "Personal data reveals" in the
palette): who saw which resident's details in full, when, why and under which incident —
every device's, once synced; ``d`` narrows it to today or the last 7 or 30 days (a
supervisor's weekly check reads one week, not the compound's years; the period is kept while
the app runs), Enter opens the flat's card to check what the reveal was for. Another role is
told who may read it."""

from __future__ import annotations

import time

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import get_language, t
from fieldkit.reports.reveals import RevealRow
from fieldkit.services import reveals
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.reports import RevealsListed
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread


def row_text(row: RevealRow, lang: str) -> Table:
    """One reveal: when, then who saw what of whom and, under it, why and the incident; a
    line too long for the screen wraps under its own words, not under the time (nc26: at
    80 columns the flat's code came back to the left edge, under the time)."""
    grid = Table.grid(padding=(0, 2, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    said = Text(row.sentence(lang), style="bold")
    said.append("\n" + row.details(lang), style="not bold")
    grid.add_row(Text(row.when(), style="dim"), said)
    return grid


class RevealsScreen(FieldScreen):
    AUTO_FOCUS = "#reveals-list"
    KEYS = KeyTable(
        Key("enter", help="reveals.list.open_key", bar="reveals.list.open_bar", by="widget"),
        key("d", "pick_period", "reveals.list.period_key", "reveals.list.period_bar"),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )
    DEFAULT_CSS = """
    RevealsScreen #reveals-list { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(name="reveals")
        self.rows: list[RevealRow] | None = None
        self.period = ""  # reveals.PERIODS: the app's last choice, set on mount

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="reveals-title", classes="section-title")
        yield OptionList(id="reveals-list")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.period = self.fk.reveals_period
        self.relabel()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @in_thread(group="rows")
    def load(self) -> None:
        ws = self.fk.workspace
        since = reveals.period_since(ws, self.period, time.time())
        self.post_message(RevealsListed(reveals.listing(ws, since)))

    def action_pick_period(self) -> None:
        from fieldkit.ui.dialogs.picker import Picker

        options = [(p, t(f"reveals.period.{p or 'all'}")) for p in reveals.PERIODS]

        def chosen(period: str | None) -> None:
            if period is not None and period != self.period:
                self.period = self.fk.reveals_period = period
                self.rows = None
                self.relabel()
                self.load()

        self.app.push_screen(Picker("reveals.list.pick_period", options, self.period), chosen)

    def on_reveals_listed(self, message: RevealsListed) -> None:
        self.rows = message.rows
        self.relabel()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """The flat's card, where the reveal's reason can be checked against its cases,
        permits and rounds; a reveal of no flat known here says so."""
        row = next((r for r in self.rows or () if r.id == event.option_id), None)
        target = self.fk.workspace.target(row.unit_id) if row and row.unit_id else None
        if target is None:
            self.notify(t("reveals.list.no_flat"), severity="warning")
            return
        self.open_target(target)

    def relabel(self) -> None:
        self.query_one(KeyBar).relabel()
        title = self.query_one("#reveals-title", Static)
        if self.rows is None:
            title.update(t("ui.home.loading"))
            return
        lang = get_language()
        title.update(t("reveals.list.title", count=len(self.rows),
                       period=t(f"reveals.period.{self.period or 'all'}")))  # fmt: skip
        listing = self.query_one("#reveals-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(Option(row_text(row, lang), id=row.id) for row in self.rows)
        if not self.rows:
            empty = "reveals.list.empty_period" if self.period else "reveals.list.empty"
            listing.add_option(Option(t(empty), disabled=True))
        else:  # the first when none was: Enter opens a reveal straight away
            listing.highlighted = min(highlighted or 0, len(self.rows) - 1)
