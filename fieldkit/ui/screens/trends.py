"""Recurring problems and the shift handover in the app: c / b / m count cases by category,
building or month (top problems, a chart per group over the months, average days to
close); h shows the shift handover. Read from every record in a worker thread."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from fieldkit.i18n import get_language, t
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages import TrendsCounted
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread

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
    KEYS = KeyTable(
        Key("c b m", help="lifecycle.ui.trends_keys", bar="lifecycle.ui.trends_keys",
            binds=tuple((k, f"show('{v}')") for k, v in VIEWS.items() if k != "h")),
        key("h", "show('handover')", "lifecycle.ui.handover_key", "lifecycle.ui.handover_key"),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip

    def __init__(self, view: str = "category") -> None:
        super().__init__(name="trends")
        self.view = view
        self.text = ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll():
            yield Static(t("lifecycle.ui.loading"), id="trends-body")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.action_show(self.view)

    def action_show(self, view: str) -> None:
        self.view = view
        self.count(view)

    @in_thread(group="report")
    def count(self, view: str) -> None:
        self.post_message(TrendsCounted(view, report_text(self.fk.workspace, view)))

    def on_trends_counted(self, message: TrendsCounted) -> None:
        if message.view == self.view:
            self.text = message.text
            self.query_one("#trends-body", Static).update(message.text)

    def relabel(self) -> None:
        self.action_show(self.view)
