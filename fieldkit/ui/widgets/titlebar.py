"""The top line of every screen: the app's name in the current language.

Textual's Header watches ``App.title`` and can fire before its own child exists when many
screens are pushed at once (a scanner burst opens one card per code), so a plain Static.
"""

from __future__ import annotations

from textual.widgets import Static

from fieldkit.i18n import t


class TitleBar(Static):
    DEFAULT_CSS = """
    TitleBar { dock: top; height: 1; background: $primary; color: $text; text-style: bold; }
    """

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        self.update(t("ui.app.title"))
