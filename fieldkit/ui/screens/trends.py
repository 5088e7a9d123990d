"""Recurring problems and the shift handover in the app: c / b / m count cases by category,
building or month, drawn as a chart (a bar per group, its months as shaded cells, where a
category happens most or a building's top problems, and a heat map of buildings ×
categories); h shows the shift handover. Read from every record in a worker thread."""

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
from fieldkit.ui.widgets.trends_chart import chart, plain

VIEWS = {"c": "category", "b": "building", "m": "month", "h": "handover"}


def report(ws: Any, view: str) -> Any:
    """One view, built from every case (and incident) the device holds: the handover's
    text, or the trends and the category names to chart them with."""
    if view == "handover":
        from fieldkit.services.handover import handover, render

        return render(handover(ws.store), "text", get_language())
    from fieldkit.services import trends as tr

    return tr.device_trends(ws, view), tr.category_names()


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
        self.service("report", lambda ws, v: (v, report(ws, v)), view)

    def done_report(self, result: tuple[str, Any]) -> None:
        view, found = result
        if view != self.view:
            return
        body = self.query_one("#trends-body", Static)
        if isinstance(found, str):
            self.text = found
            body.update(found)
            return
        shown = chart(*found, get_language())
        self.text = plain(shown, max(40, self.size.width - 4))
        body.update(shown)

    def relabel(self) -> None:
        self.action_show(self.view)
