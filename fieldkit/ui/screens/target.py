"""A target's card (a flat, a stairwell, an extinguisher): open cases on it, and the
checklists that apply to it, one key to start."""

from __future__ import annotations

import time

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import t
from fieldkit.model import localtime
from fieldkit.services.types import UNFINISHED, CaseFilter, CasePage, Target, Text, pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.home import DraftDiscarded
from fieldkit.ui.messages.target import ChecklistsFound, DatesLoaded, TargetCasesLoaded
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.case_table import CaseTable
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread


def _dates(ws, target: Target) -> Text | None:
    """An asset's service and scrap dates (imported here, in the worker: the rules and
    the checklist modules behind them would hold up the first card's paint)."""
    from fieldkit.services import equipment

    return equipment.card(ws, target, time.time())


def _checked(ws, target: Target) -> Text | None:
    """An asset's latest check, from its own rounds or a route's that walked it."""
    from fieldkit.services.last_check import card_line

    return card_line(ws, target)


class CardChecklists(OptionList):
    """The card's checklists: ↓ on the last goes on to the cases below it, as a page reads
    (it wrapped round to the first, and the guard never reached the cases: nc23)."""

    def action_cursor_down(self) -> None:
        cases = self.screen.query_one(CardCases)
        if self.highlighted == self.option_count - 1 and cases.row_count:
            cases.move_cursor(row=0)
            cases.focus()
            return
        super().action_cursor_down()


class CardCases(CaseTable):
    """The cases on the card: ↑ on the first goes back up to the checklists."""

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            checklists = self.screen.query_one(CardChecklists)
            checklists.focus()
            return
        super().action_cursor_up()


class TargetScreen(FieldScreen):
    #: Kept on the key bar however narrow the terminal (``fieldkit.ui.widgets.keybar``).
    MAIN_KEYS = ("enter",)
    KEYS = KeyTable(
        Key("enter", help="ui.keys.start", bar="ui.keys.start", by="widget", when=("rounds",)),
        # the cases here, once Tab has moved to them: Enter did nothing there (nc17)
        Key("enter", help="ui.keys.open_case", bar="ui.keys.open_case", by="widget",
            when=("cases",)),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip

    def key_states(self) -> tuple[str, ...]:
        tables = self.query(CaseTable)  # none yet while the screen is composed
        return ("cases",) if tables and tables.first().has_focus else ("rounds",)

    def on_descendant_focus(self) -> None:
        self.show_keys()

    def on_data_table_row_selected(self, event: CaseTable.RowSelected) -> None:
        from fieldkit.ui.screens.case_detail import CaseDetailScreen

        if event.row_key.value:
            self.app.push_screen(CaseDetailScreen(event.row_key.value))

    def __init__(self, target: Target) -> None:
        super().__init__(classes="target")
        self.target = target
        self.checklists: list = []
        self.standing: dict = {}  # checklist id -> DueRun: last done, late or from when
        self.in_progress: dict = {}  # checklist id -> Draft: the round open here
        self.cases: CasePage | None = None
        self.dates: Text | None = None  # an asset's service and scrap dates
        self.checked: Text | None = None  # an asset's latest check, from any round

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="target-head", classes="section-title")
        yield Static(id="target-dates")
        yield Static(id="checklists-title", classes="section-title")
        yield CardChecklists(id="checklists")
        yield Static(id="target-cases-title", classes="section-title")
        yield CardCases(id="target-cases")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.relabel()
        self.load_checklists(self.target)
        if self.target.kind == "asset":
            self.load_dates(self.target)
        self.load_cases(self.target)

    def on_screen_resume(self) -> None:
        """Back from a run: the cases its findings raised, and the run as last done."""
        if self.cases is not None:
            self.load_cases(self.target)
            self.load_checklists(self.target)
            if self.target.kind == "asset":
                self.load_dates(self.target)

    @in_thread(group="checklists")
    def load_checklists(self, target: Target) -> None:
        from fieldkit.services.schedules import standing_on

        ws = self.fk.workspace
        checklists = ws.checklists_for(target)
        standing = standing_on(ws, checklists, target, time.time())
        drafts = {d.checklist_id: d for d in ws.drafts() if d.target and d.target.id == target.id}
        self.post_message(ChecklistsFound(checklists, standing, drafts))

    @in_thread(group="dates")
    def load_dates(self, target: Target) -> None:
        ws = self.fk.workspace
        self.post_message(DatesLoaded(_dates(ws, target), _checked(ws, target)))

    @in_thread(group="cases")
    def load_cases(self, target: Target) -> None:
        flt = CaseFilter(status=UNFINISHED, target=target.id)
        self.post_message(TargetCasesLoaded(self.fk.workspace.cases_page(flt, 0, 20)))

    def on_checklists_found(self, message: ChecklistsFound) -> None:
        self.checklists = message.checklists
        self.standing = message.standing
        self.in_progress = message.in_progress
        self.relabel()
        self.query_one(OptionList).focus()

    def on_dates_loaded(self, message: DatesLoaded) -> None:
        self.dates, self.checked = message.dates, message.checked
        self.relabel()

    def on_target_cases_loaded(self, message: TargetCasesLoaded) -> None:
        self.cases = message.page
        self.query_one(CaseTable).show(message.page.rows)

    def relabel(self) -> None:
        target = self.target
        kind = t(f"ui.target.{target.kind}")
        self.query_one("#target-head", Static).update(f"{kind}  {target.label()}")
        dates = self.query_one("#target-dates", Static)
        said = [pick(text) for text in (self.dates, self.checked) if text is not None]
        dates.display = bool(said)
        dates.update("\n".join(said))
        self.query_one("#checklists-title", Static).update(t("ui.target.checklists"))
        self.query_one("#target-cases-title", Static).update(t("ui.target.open_cases"))
        self.query_one(CaseTable).relabel()
        self.query_one(KeyBar).relabel()
        options = self.query_one(OptionList)
        options.clear_options()
        for index, info in enumerate(self.checklists):
            options.add_option(Option(self._line(info), id=str(index)))
        if self.checklists:
            options.highlighted = 0
        else:
            options.add_option(Option(t("ui.target.no_checklists"), disabled=True))

    def _line(self, checklist) -> Text:
        """A checklist's title, then when it was last done here and where it stands now."""
        line = RichText(pick(checklist.title))
        draft = self.in_progress.get(checklist.id)
        if draft is not None:  # never "never done here" while a round of it is open here
            done = t("ui.target.in_progress", done=draft.answered, total=draft.total)
            line.append(f"    {done}", style="bold")
            return line
        row = self.standing.get(checklist.id)
        if row is None:
            return line
        if row.last_run is not None:
            last = t("ui.target.last_run", date=localtime.fmt(row.last_run, "minute"))
        else:  # a route's round may have checked it: the line above says so
            last = t("ui.target.never_run_alone" if self.checked else "ui.target.never_run")
        line.append(f"    {last}", style="dim")
        when = pick(row.when)
        if row.due > time.time():  # done for now: "下次 今天 24:00 起" (it read as a deadline)
            line.append(" · " + t("ui.target.next_run", when=when), style="dim")
        elif when != t("rules.due.never_run"):  # else it says the same as ``last``
            line.append(f" · {when}", style="bold red" if row.overdue else "dim")
        return line

    def on_draft_discarded(self, _message: DraftDiscarded) -> None:
        """An empty round set aside on leaving it (on disk now): the card read its rounds in
        progress while it was still there and said "in progress: 0 of 30"."""
        self.load_checklists(self.target)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        from fieldkit.ui.screens.runner import RunnerScreen

        info = self.checklists[int(event.option.id)]
        row = self.standing.get(info.id)

        def start(yes: bool | None = True) -> None:
            if yes:
                self.app.push_screen(RunnerScreen(checklist_id=info.id, target=self.target))

        resumes = info.id in self.in_progress  # a round of it open here: it goes on
        if resumes or row is None or row.last_run is None or row.due <= time.time():
            start()
            return
        from fieldkit.ui.dialogs.confirm import ConfirmDialog

        # done for now (just submitted, back on this card): Enter started it again (nc14)
        self.app.push_screen(
            ConfirmDialog("ui.target.ask_again", title=pick(info.title),
                          last=localtime.fmt(row.last_run, "minute"), next=pick(row.when)),
            start,
        )  # fmt: skip
