"""A closed incident's report on the screen, as ``fieldkit report incident`` prints it: the
cover, the summary, the timeline, the plan with its answers, the residents, the notices
with their full text, the decisions at close and the follow-up cases; ``p`` saves it as a
PDF. Read only: nothing here changes the incident (nc24 and nc20 found no way back into a
closed one)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from fieldkit.i18n import get_language, t
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.incidents import IncidentReportBuilt
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.screens.pdf_saving import SavesPdf
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread


class IncidentReportScreen(SavesPdf, FieldScreen):
    DEFAULT_CSS = """
    IncidentReportScreen #incident-report { padding: 1 2; height: auto; }
    """
    KEYS = KeyTable(
        Key("↑ ↓ PgUp PgDn", help="incidents.report_screen.scroll",
            bar="incidents.report_screen.scroll", by="widget"),
        key("p", "save_pdf", "incidents.report_screen.pdf", "week.bar.pdf"),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip

    def __init__(self, incident_id: str) -> None:
        super().__init__(name="incident-report")
        self.incident_id = incident_id
        self.document = None
        self.text = ""  # the report as drawn, plain

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll():
            yield Static(t("ui.home.loading"), id="incident-report")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
        self.build(get_language())

    @in_thread(group="report")
    def build(self, lang: str) -> None:
        from fieldkit.services.incident_report import build

        self.post_message(IncidentReportBuilt(build(self.fk.workspace, self.incident_id, lang)))

    def on_incident_report_built(self, message: IncidentReportBuilt) -> None:
        self.document = message.document
        self.draw()

    def draw(self) -> None:
        """The report at the screen's width (its tables fit it)."""
        from fieldkit.ui.widgets import report_view

        if self.document is None:
            return
        body = self.query_one("#incident-report", Static)
        self.text = report_view.show(self.document, self.query_one(VerticalScroll), body)

    def action_save_pdf(self) -> None:
        """The report as the manager prints it, from the screen (nc34 found it only as
        ``fieldkit report incident … --format pdf``)."""
        if self.document is None:
            self.notify(t("week.pdf.wait"))
            return
        self.notify(t("week.pdf.making"))
        self.write_pdf("incident", (self.incident_id, self.document))

    def on_resize(self) -> None:
        if self.document is not None:
            self.call_after_refresh(self.draw)

    def relabel(self) -> None:
        self.query_one(TitleBar).relabel()
        self.query_one(KeyBar).relabel()
        self.build(get_language())
