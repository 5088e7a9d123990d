"""Help (``?``): the keys of the screen underneath, in the current language."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from fieldkit.i18n import t
from fieldkit.ui.keys import key_text

COMMON = (
    ("f2", "ui.keys.incident"),
    ("ctrl+p", "ui.keys.palette"),
    ("ctrl+l", "ui.keys.language"),
    ("ctrl+t", "ui.keys.theme"),
    ("ctrl+u", "signin.keys.next"),
    ("?", "ui.keys.help"),
    ("ctrl+q", "ui.keys.quit"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", show=False),
        Binding("question_mark", "dismiss", show=False),
        Binding("q", "dismiss", show=False),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__(id="help")
        self.under = under
        self.rows: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(id="help-title", classes="section-title")
            yield Static(id="help-keys")

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        self.query_one("#help-title", Static).update(t("ui.help.title"))
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="bold reverse")
        table.add_column(overflow="fold")  # a Chinese line has no spaces to wrap at: not cut
        keys = tuple(getattr(self.under, "HELP_KEYS", ()))
        if getattr(self.app, "demo", None) is not None:
            keys += (("f12", "demo.keys.switch"),)
        from fieldkit.services.reveals import AUDITOR

        who = getattr(self.app, "who", None)
        if who is not None and who.role == AUDITOR:
            keys += (("ctrl+e", "reveals.keys.open"),)
        self.rows = [
            (key, t(label)) for key, label in keys + tuple(k for k in COMMON if k not in keys)
        ]
        for key, label in self.rows:
            table.add_row(f" {key_text(key)} ", label)
        table.add_row("", "")
        table.add_row(" esc ", t("ui.help.close"))
        # a label is read on any screen: how, said under the keys (wrapped, never cut)
        box = Group(table, Text(""), Text(t("registry.help.scan")))
        self.query_one("#help-keys", Static).update(box)
