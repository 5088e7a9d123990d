"""A footer of keys in the current language (Textual's Footer takes fixed binding text)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from fieldkit.i18n import t
from fieldkit.ui.keys import key_text


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
        line = Text()
        for key, label in self.keys:
            line.append(f" {key_text(key)} ", style="reverse bold")
            line.append(f" {t(label)}  ")
        self.update(line)
