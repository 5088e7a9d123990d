"""Recurring problems and the shift handover in the app: c / b / m count cases by category,
building or month (top problems, a chart per group over the months, average days to
close); h shows the shift handover. Read from every record in a worker thread."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from fieldkit.i18n import get_language, t
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar

VIEWS = {"c": "category", "b": "building", "m": "month", "h": "handover"}


def report_text(ws: Any, view: str) -> str:
    """The text of one view, built from every case (and incident) the device holds."""
    if view == "handover":
        from fieldkit.services.handover import handover, render

        return render(handover(ws.store), "text", get_language())
    from fieldkit.services import trends as tr

    return tr.to_text(tr.device_trends(ws, view), tr.category_names())


class TrendsScreen(FieldScreen):
    DEFAULT_CSS = """
    TrendsScreen #trends-body { padding: 1 2; height: auto; }
    """
    HELP_KEYS = (
        ("c b m", "lifecycle.ui.trends_keys"),
        ("h", "lifecycle.ui.handover_key"),
        ("esc", "ui.keys.back"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", show=False),
        *(Binding(key, f"show('{view}')", show=False) for key, view in VIEWS.items()),
    ]

    def __init__(self, view: str = "category") -> None:
        super().__init__(name="trends")
        self.view = view
        self.text = ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll():
            yield Static(t("lifecycle.ui.loading"), id="trends-body")
        yield KeyBar(self.HELP_KEYS)

    def on_mount(self) -> None:
        self.action_show(self.view)

    def action_show(self, view: str) -> None:
        self.view = view
        self.service("report", lambda ws, v: (v, report_text(ws, v)), view)

    def done_report(self, result: tuple[str, str]) -> None:
        view, text = result
        if view == self.view:
            self.text = text
            self.query_one("#trends-body", Static).update(text)

    def relabel(self) -> None:
        self.action_show(self.view)
