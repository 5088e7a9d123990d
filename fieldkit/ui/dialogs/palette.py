"""The command palette in the current language.

Textual's ``CommandPalette`` (8.2.8) has two English strings of its own: the search box's
placeholder, which its constructor takes, and "No matches found", which it builds inline in
``_start_no_matches_countdown``. That method is re-stated here with the catalogue's text;
the snapshot and palette tests catch a Textual upgrade that changes it.
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from fieldkit.i18n import t


class Palette(CommandPalette):
    def __init__(self) -> None:
        super().__init__(placeholder=t("ui.palette.placeholder"), id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(t("ui.palette.no_matches"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
