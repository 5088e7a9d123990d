"""Recurring problems and the shift handover in the app: c / b / m count cases by category,
building or month, drawn as a chart (a bar per group, its months as shaded cells, where a
category happens most or a building's top problems, and a heat map of buildings ×
categories); h shows the shift handover, w the weekly report of the last complete calendar
week (as ``fieldkit report week`` prints it), [ and ] (or ← →) an earlier or later week, this
week so far the latest; p saves what is shown as a PDF to print (``services.printed``).
Read from every record in a worker thread."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from fieldkit.i18n import get_language, t
from fieldkit.reports.document import Document
from fieldkit.services.types import pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.reports import TrendsCounted
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.screens.pdf_saving import SavesPdf
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.widgets.trends_chart import chart, plain
from fieldkit.ui.workers import in_thread

VIEWS = {"c": "category", "b": "building", "m": "month", "h": "handover", "w": "week"}


def report(ws: Any, view: str) -> Any:
    """One view but the week's (:func:`week_of`), built from every case (and incident) the
    device holds: the handover's text, or the trends and the category names to chart them
    with."""
    if view == "handover":
        from fieldkit.services.handover import of_device, render

        return render(of_device(ws), "text", get_language())
    from fieldkit.services import trends as tr

    return tr.device_trends(ws, view), tr.category_names(ws=ws)


def week_of(ws: Any, back: int) -> Any:
    """The weekly report's figures for the calendar week ``back`` weeks before this one."""
    import time

    from fieldkit.services import equipment, weekly

    now = time.time()
    start, end = weekly.calendar_week(equipment.today(ws, now), back)
    return weekly.week(ws, start, end, now, get_language())


class TrendsScreen(SavesPdf, FieldScreen):
    DEFAULT_CSS = """
    TrendsScreen #trends-body { padding: 1 2; height: auto; }
    """
    KEYS = KeyTable(
        Key("c b m", help="lifecycle.ui.trends_keys",
            binds=tuple((k, f"show('{v}')") for k, v in VIEWS.items() if k in "cbm")),
        # the weekly report's bar gives their place to [ ]: 80 columns hold no more; the
        # handover's bar is a guard's too, and says only what acts on the handover (nc31)
        Key("c b m", bar="week.bar.group", when=("category", "building", "month")),
        key("h", "show('handover')", "lifecycle.ui.handover_key"),
        Key("h", bar="week.bar.handover", when=("category", "building", "month", "week")),
        key("w", "show('week')", "lifecycle.ui.week_key"),
        # not in the week's own bar: 80 columns hold [ ], i and p instead
        Key("w", bar="week.bar.week", when=("category", "building", "month")),
        # priority: the scrolled report would take ← → to scroll sideways
        Key("[ ]", help="week.keys.move", bar="week.bar.move", when=("week",),
            priority=True, binds=(("left_square_bracket,left", "week(1)"),
                                  ("right_square_bracket,right", "week(-1)"))),
        key("i", "incidents", "week.keys.incidents", "week.bar.incidents", when=("week",)),
        key("p", "save_pdf", "week.keys.pdf", "week.bar.pdf"),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip

    def __init__(self, view: str = "category") -> None:
        super().__init__(name="trends")
        self.view = view
        self.text = ""
        self.back = 1  # the weekly report's week: 1 the last complete one, 0 this week
        self.found: Any = None  # what the view counted, drawn by :meth:`draw`
        self.incidents: tuple = ()  # the weekly report's incidents, to open (``i``)

    def key_states(self) -> tuple[str, ...]:
        return (self.view,)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll():
            yield Static(t("lifecycle.ui.loading"), id="trends-body")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.action_show(self.view)

    def action_show(self, view: str) -> None:
        self.view = view
        self.show_keys()
        self.count(view, self.back)

    def action_week(self, earlier: int) -> None:
        """An earlier (1) or later (-1) week; none after this week so far."""
        if self.view != "week":
            self.app.bell()
            return
        if self.back + earlier < 0:
            self.notify(t("week.latest"))
            return
        self.back += earlier
        self.count("week", self.back)

    @in_thread(group="report")
    def count(self, view: str, back: int) -> None:
        """The view, counted: the week's with its incidents, to open (``i``)."""
        if view == "week":
            from fieldkit.services import weekly

            week = week_of(self.fk.workspace, back)
            found = weekly.document(week, get_language())
            self.post_message(TrendsCounted(view, found, tuple(week.incidents)))
            return
        self.post_message(TrendsCounted(view, report(self.fk.workspace, view)))

    def on_trends_counted(self, message: TrendsCounted) -> None:
        if message.view != self.view:
            return
        self.found = message.found
        self.incidents = message.incidents
        self.draw()
        self.query_one(VerticalScroll).scroll_home(animate=False)  # another week reads from its top

    def action_incidents(self) -> None:
        """The week's incidents to pick one from and open it (a closed one read only): the
        report named incidents nothing in the app opened (nc24)."""
        from fieldkit.ui.dialogs.picker import Picker

        if self.view != "week":
            return
        if not self.incidents:
            self.notify(t("week.no_incidents_to_open"), severity="warning")
            return
        lang = get_language()
        options = [
            (i.id, t("week.incident_pick", lang, ref=i.ref, type=pick(i.what, lang),
                     place=pick(i.where, lang) or "—", status=t(f"incidents.status.{i.status}")))
            for i in self.incidents if i.id
        ]  # fmt: skip

        def picked(incident_id: str | None) -> None:
            if incident_id:
                from fieldkit.ui.screens.incident import IncidentScreen

                self.app.push_screen(IncidentScreen(incident_id))

        self.app.push_screen(Picker("week.incident_pick_title", options, ""), picked)

    def draw(self) -> None:
        """What was counted, at the screen's width (a report's tables fit it)."""
        from fieldkit.ui.widgets import report_view

        found, body = self.found, self.query_one("#trends-body", Static)
        if found is None:
            return
        if isinstance(found, str):
            self.text = found
            body.update(found)
            return
        if isinstance(found, Document):
            self.text = report_view.show(found, self.query_one(VerticalScroll), body)
            return
        width = max(40, self.size.width - 6)
        shown = chart(*found, get_language(), width)
        self.text = plain(shown, width)
        body.update(shown)

    def action_save_pdf(self) -> None:
        if self.found is None:
            self.notify(t("week.pdf.wait"))
            return
        self.notify(t("week.pdf.making"))
        self.write_pdf(self.view, self.found, self.back)

    def on_resize(self) -> None:
        if self.found is not None and not isinstance(self.found, str):
            self.call_after_refresh(self.draw)

    def relabel(self) -> None:
        self.action_show(self.view)
