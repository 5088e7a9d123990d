"""A footer of keys in the current language (Textual's Footer takes fixed binding text).

A bar wider than the terminal (a case's keys in English at 80 columns) gives up the keys
before help and back, whole, and says so with "…": help (``?``) lists every key, and a bar
cut mid-word, its ``esc`` gone, read as if there were no way back (nc). A screen's main
keys (its ``MAIN_KEYS``: the round's ``s`` to review, a card's Enter to start) are kept
too: at 80 columns the round's bar gave up ``s`` and the guard did not know how to finish
(nc23). A screen's ``SPARE_KEYS`` are on the bar where it has room and left out, with no
"…", where it has not (an incident's F8 and F9 at 80 columns, where F10 must stay)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from fieldkit.i18n import t
from fieldkit.ui.keys import key_text

#: Keys the bar keeps when it cannot show them all: help (which lists the rest), the way
#: to what is below the screen (a case's history) and back.
KEPT = ("?", "F1", "pgdn", "esc")


class KeyBar(Static):
    DEFAULT_CSS = "KeyBar { dock: bottom; height: 1; }"

    def __init__(self, keys: tuple[tuple[str, str], ...]) -> None:
        super().__init__(id="keybar")
        self.keys = keys

    def on_mount(self) -> None:
        self.relabel()

    def set_keys(self, keys: tuple[tuple[str, str], ...]) -> None:
        """Show these keys instead (a screen whose keys depend on what is selected)."""
        if keys != self.keys:
            self.keys = keys
            self.relabel()

    def relabel(self) -> None:
        entries = []
        for key, label in self.keys:
            entry = Text()
            entry.append(f" {key_text(key)} ", style="reverse bold")
            entry.append(f" {t(label)}  ")
            entries.append((key, entry))
        self.update(Text().join(e for _, e in self._fitted(entries)))

    def _fitted(self, entries: list[tuple[str, Text]]) -> list[tuple[str, Text]]:
        """The entries that fit the bar's width: help and back kept last, the keys before
        them given up from the end, "…" in their place (all of them while not laid out)."""
        width = self.size.width

        def wide(shown: list[tuple[str, Text]]) -> int:
            return sum(cell_len(e.plain) for _, e in shown)

        if not width or wide(entries) <= width:
            return entries
        spare = getattr(self.screen, "SPARE_KEYS", ())
        entries = [e for e in entries if e[0] not in spare]  # shown only where there is room
        end = entries[-1][1].copy()
        end.rstrip()  # the spaces after the last entry need no room
        entries = [*entries[:-1], (entries[-1][0], end)]
        if wide(entries) <= width:
            return entries
        kept = (*KEPT, *getattr(self.screen, "MAIN_KEYS", ()))
        last = [e for e in entries if e[0] in kept]
        first = [e for e in entries if e[0] not in kept]
        more = ("…", Text("…  "))
        while first and wide([*first, more, *last]) > width:
            first.pop()
        return [*first, more, *last]

    def on_resize(self) -> None:
        self.relabel()
