"""An earlier inspection, read-only, opened from a flat's card (Enter on one of its last
inspections): the checklist, the place, who did it and when; each answered item with its
answer; each finding with its note and photos; the cases it raised — Enter on one opens it,
as on the card — a violation it found again said so on its line. Esc goes back to the card.

What it reads and how the answers are worded: :mod:`fieldkit.services.inspection_view`.
"""

from __future__ import annotations

from contextlib import suppress

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.checklists.wording import labelled
from fieldkit.i18n import t
from fieldkit.model import localtime
from fieldkit.services.inspection_view import InspectionView
from fieldkit.services.lifecycle import status_label
from fieldkit.services.types import pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.unit_card import InspectionLoaded
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread


class InspectionScreen(FieldScreen):
    KEYS = KeyTable(
        Key("↑ ↓", help="registry.inspection.keys.move", by="widget"),
        Key("tab", help="registry.inspection.keys.tab", by="app", when=("cases",)),
        Key("enter", help="registry.inspection.keys.open",
            bar="registry.inspection.keys.open_short", by="widget", when=("cases",)),
        key("esc", "app.pop_screen", "registry.inspection.keys.back", "ui.keys.back",
            bind="escape"),
        Key("?", bar="ui.keys.help", by="app"),
    )  # fmt: skip

    DEFAULT_CSS = """
    InspectionScreen #inspection-body { height: 1fr; padding: 0 1; }
    InspectionScreen #inspection-cases { height: auto; max-height: 10; border: none; }
    """

    def __init__(self, inspection_id: str) -> None:
        super().__init__(name="inspection")
        self.inspection_id = inspection_id
        self.view: InspectionView | None = None
        self.missing = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="inspection-title", classes="section-title")
        with VerticalScroll(id="inspection-body"):
            yield Static(id="inspection-head")
            yield Static(id="inspection-answers-title", classes="section-title")
            yield Static(id="inspection-answers")
            yield Static(id="inspection-findings-title", classes="section-title")
            yield Static(id="inspection-findings")
            yield Static(id="inspection-cases-title", classes="section-title")
            yield OptionList(id="inspection-cases")
        yield KeyBar(self.bar_keys())

    def key_states(self) -> tuple[str, ...]:
        """Enter and Tab act only when the round raised a case."""
        return ("cases",) if self.view is not None and self.view.cases else ()

    def on_mount(self) -> None:
        self.query_one("#inspection-body", VerticalScroll).focus()
        self.relabel()
        self.load()

    @in_thread(group="inspection")
    def load(self) -> None:
        from fieldkit.services.inspection_view import read

        self.post_message(InspectionLoaded(read(self.fk.workspace, self.inspection_id)))

    def on_inspection_loaded(self, message: InspectionLoaded) -> None:
        self.view = message.view
        self.missing = message.view is None
        self.relabel()
        with suppress(NoMatches):
            cases = self.query_one("#inspection-cases", OptionList)
            if self.view is not None and self.view.cases:
                cases.highlighted = 0
                cases.focus()  # Enter opens a case at once; ↑ ↓ still scroll the rest above

    def on_screen_resume(self) -> None:
        """Back from a case: its status may have moved."""
        if self.view is not None:
            self.load()

    def relabel(self) -> None:
        with suppress(NoMatches):  # a late result for a screen being closed
            self._relabel()

    def _relabel(self) -> None:
        self.show_keys()
        self.query_one(KeyBar).relabel()
        view = self.view
        title = self.query_one("#inspection-title", Static)
        head = self.query_one("#inspection-head", Static)
        if view is None:
            title.update(t("registry.inspection.title", title="", ref=self.inspection_id[-6:]))
            head.update(t("registry.inspection.not_found" if self.missing
                          else "registry.card.loading"))  # fmt: skip
            return
        title.update(t("registry.inspection.title", title=pick(view.title), ref=view.ref))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column(overflow="fold")
        grid.add_row(t("registry.inspection.place"), pick(view.place))
        grid.add_row(t("registry.inspection.by"), view.by or t("findings.detail.nobody"))
        grid.add_row(t("registry.inspection.when"), localtime.fmt(view.submitted))
        head.update(grid)
        self.query_one("#inspection-answers-title", Static).update(
            t("registry.inspection.answers", count=len(view.answers))
        )
        self.query_one("#inspection-answers", Static).update(self._answers(view))
        self.query_one("#inspection-findings-title", Static).update(
            t("registry.inspection.findings", count=len(view.findings))
        )
        self.query_one("#inspection-findings", Static).update(self._findings(view))
        self.query_one("#inspection-cases-title", Static).update(
            t("registry.inspection.cases", count=len(view.cases))
        )
        self._draw_cases(view)

    @staticmethod
    def _answers(view: InspectionView) -> Text:
        if not view.answers:
            return Text(t("registry.inspection.no_answers"))
        out = Text()
        for n, item in enumerate(view.answers):
            if n:
                out.append("\n")
            if item.asset:
                out.append(f"[{pick(item.asset)}] ", style="dim")
            out.append(labelled(pick(item.label), pick(item.answer) or "—"),
                       style="bold red" if item.failed else "")  # fmt: skip
            if item.note:
                out.append("\n    " + t("registry.inspection.note", note=item.note), style="dim")
        return out

    @staticmethod
    def _findings(view: InspectionView) -> Text:
        if not view.findings:
            return Text(t("registry.inspection.no_findings"))
        out = Text()
        for n, found in enumerate(view.findings):
            if n:
                out.append("\n")
            where = f"[{pick(found.asset)}] " if found.asset else ""
            out.append(f"{n + 1}. {where}{pick(found.wording)}", style="bold")
            if found.note:
                out.append("\n    " + t("registry.inspection.note", note=found.note))
            if found.photos:
                out.append("\n    " + t("registry.inspection.photos", names=found.photos))
        return out

    def _draw_cases(self, view: InspectionView) -> None:
        options = self.query_one("#inspection-cases", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for raised in view.cases:
            row = raised.row
            line = Text(f"#{row.ref}  {pick(row.title)}  {status_label(row.kind, row.status)}")
            if raised.again:
                where = "renovation" if row.kind == "violation" else "findings"
                line.append("  " + t(f"{where}.history.found_again"), style="bold red")
            options.add_option(Option(line, id=row.id))
        options.can_focus = bool(view.cases)
        if not view.cases:
            options.add_option(Option(t("registry.inspection.no_cases"), disabled=True))
        elif highlighted is not None and highlighted < len(view.cases):
            options.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "inspection-cases" and event.option.id:
            from fieldkit.ui.screens.case_detail import CaseDetailScreen

            self.app.push_screen(CaseDetailScreen(event.option.id))

    def on_descendant_focus(self) -> None:
        self.show_keys()
