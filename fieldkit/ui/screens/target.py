"""A target's card (a flat, a stairwell, an extinguisher): open cases on it, and the
checklists that apply to it, one key to start."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import t
from fieldkit.services.types import CaseFilter, CasePage, Target, pick
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.case_table import CaseTable
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar


class TargetScreen(FieldScreen):
    HELP_KEYS = (("enter", "ui.keys.start"), ("esc", "ui.keys.back"))
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", show=False)]

    def __init__(self, target: Target) -> None:
        super().__init__(classes="target")
        self.target = target
        self.checklists: list = []
        self.cases: CasePage | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="target-head", classes="section-title")
        yield Static(id="checklists-title", classes="section-title")
        yield OptionList(id="checklists")
        yield Static(id="target-cases-title", classes="section-title")
        yield CaseTable(id="target-cases")
        yield KeyBar((("enter", "ui.keys.start"), ("esc", "ui.keys.back")))

    def on_mount(self) -> None:
        self.relabel()
        target = self.target
        self.service("checklists", lambda ws: ws.checklists_for(target))
        flt = CaseFilter(status="open", target=target.id)
        self.service("cases", lambda ws: ws.cases_page(flt, 0, 20))

    def done_checklists(self, found: list) -> None:
        self.checklists = found
        self.relabel()
        self.query_one(OptionList).focus()

    def done_cases(self, page: CasePage) -> None:
        self.cases = page
        self.query_one(CaseTable).show(page.rows)

    def relabel(self) -> None:
        target = self.target
        kind = t(f"ui.target.{target.kind}")
        self.query_one("#target-head", Static).update(f"{kind}  {target.label()}")
        self.query_one("#checklists-title", Static).update(t("ui.target.checklists"))
        self.query_one("#target-cases-title", Static).update(t("ui.target.open_cases"))
        self.query_one(CaseTable).relabel()
        self.query_one(KeyBar).relabel()
        options = self.query_one(OptionList)
        options.clear_options()
        for index, info in enumerate(self.checklists):
            options.add_option(Option(pick(info.title), id=str(index)))
        if self.checklists:
            options.highlighted = 0
        else:
            options.add_option(Option(t("ui.target.no_checklists"), disabled=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        from fieldkit.ui.screens.runner import RunnerScreen

        info = self.checklists[int(event.option.id)]
        self.app.push_screen(RunnerScreen(checklist_id=info.id, target=self.target))
