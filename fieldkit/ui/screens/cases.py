"""Cases: one page at a time, filtered by status, kind, department, building and overdue. The
status filter offers the states of the lifecycle file in use, named as it names them.

A search (``/``) looks at every status: the filter line says so, and the status chosen
before comes back when the search is emptied. When the filters hide every case, the list
says which ones do, and ``c`` clears them all (back to the list as it opens)."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.widgets import Static

from fieldkit.i18n import as_label, get_language, t
from fieldkit.model import DEPARTMENTS
from fieldkit.services.cases import DONE, LISTED_KINDS, status_names
from fieldkit.services.types import CALL_BACK, UNFINISHED, CaseFilter, CasePage
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.cases import CasePageLoaded
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.case_table import CaseTable
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread, said, still_wanted

PAGE = 50
LOADING_AFTER = 0.25  # seconds a page may take before the table shows it is loading
FIRST = (UNFINISHED, "")  # any unfinished, any at all; then each state of the lifecycle in use
#: The list as it opens, and as ``c`` leaves it: every unfinished case.
OPENED = CaseFilter(status=UNFINISHED)


def _next(values: tuple[str, ...], current: str) -> str:
    return values[(values.index(current) + 1) % len(values)] if current in values else values[0]


class CasesScreen(FieldScreen):
    DEFAULT_CSS = "CasesScreen #case-empty { padding: 1 1; height: auto; text-style: bold; }"
    KEYS = KeyTable(
        Key("enter", help="ui.keys.open_case", by="widget"),
        # while a filter is on, the way back to every case first; then the desk's filters,
        # the one it uses most first: a bar too narrow for them all (80 columns in English)
        # gives up the last with "…", and help lists them all
        Key("c", bar="desk.cases.clear_bar", when=("filtered",)),
        key("b", "ask_building", "ui.keys.filter_building", "rounds.bar.building"),
        key("o", "pick_status", "ui.keys.filter_status", "rounds.bar.status"),
        key("k", "pick_kind", "ui.case_list.kind_key", "ui.case_list.kind_bar"),
        key("d", "cycle_department", "ui.keys.filter_department", "rounds.bar.department"),
        key("x", "toggle_overdue", "ui.keys.filter_overdue", "rounds.bar.overdue"),
        key("c", "clear_filters", "desk.cases.clear_key"),
        # / and the page keys in help only
        key("/", "find", "desk.cases.find_key", bind="slash"),
        key("n", "app.intake", "desk.keys.new"),
        Key("] / [", help="ui.keys.page",
            binds=(("right_square_bracket", "page(1)"), ("left_square_bracket", "page(-1)"))),
        # before the table's own: PgDn on a page's last row went nowhere (nc14)
        Key("pgdn / pgup", help="ui.keys.page_scroll", priority=True,
            binds=(("pagedown", "page_or_scroll(1)"), ("pageup", "page_or_scroll(-1)"))),
        Key("?", bar="rounds.bar.help", by="app"),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip

    def __init__(self, flt: CaseFilter | None = None) -> None:
        super().__init__(name="cases")
        self.filter = flt or OPENED
        self.before_search: str | None = None  # the status a search widened, given back after
        self.page_offset = 0
        self.page: CasePage | None = None
        self.waiting = False
        self.moved = False  # another filter or page: its rows start at the top

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="case-filters")
        yield Static(id="case-empty")
        yield CaseTable(id="case-table")
        yield KeyBar(self.bar_keys())

    def key_states(self) -> tuple[str, ...]:
        return ("filtered",) if self.filter != OPENED else ("unfiltered",)

    def on_mount(self) -> None:
        self.query_one("#case-empty", Static).display = False
        self.relabel()
        self.load()
        self.query_one(CaseTable).focus()

    def on_screen_resume(self) -> None:
        if self.page is not None:
            self.load()

    def load(self) -> None:
        flt, offset = self.filter, self.page_offset
        self.waiting = True
        self.set_timer(LOADING_AFTER, self._show_loading)
        self.load_page(flt, offset)

    @in_thread(group="page", exclusive=True)
    def load_page(self, flt: CaseFilter, offset: int) -> None:
        """A failure is said here, so the loading indicator goes whatever happened."""

        def progress(done: int, total: int, month: str) -> None:
            self.app.call_from_thread(self.show_indexing, done, total, month)

        try:
            page = self.fk.workspace.cases_page(flt, offset, PAGE, progress=progress)
        except Exception as exc:
            self.post_message(CasePageLoaded(None, said(exc)))
            return
        if still_wanted():
            self.post_message(CasePageLoaded(page))

    def show_indexing(self, done: int, total: int, month: str) -> None:
        """The one-time index of a history from before it: which month it is at."""
        line = t("ui.cases.indexing", done=done + 1, total=total, month=month)
        self.query_one("#case-filters", Static).update(line)

    def _show_loading(self) -> None:
        """A page that takes a while (the first view of every case reads all history) shows
        the loading indicator; a quick one never flickers it."""
        if self.waiting:
            self.query_one(CaseTable).loading = True

    def _done_waiting(self) -> None:
        self.waiting = False
        self.query_one(CaseTable).loading = False

    def on_case_page_loaded(self, message: CasePageLoaded) -> None:
        self._done_waiting()
        if message.page is None:
            self.notify(message.error, severity="error")
            return
        self.page = message.page
        self.query_one(CaseTable).show(message.page.rows, keep=not self.moved)
        self.moved = False
        self.relabel_filters()

    def relabel(self) -> None:
        self.query_one(CaseTable).relabel()
        self.show_keys()
        self.query_one(KeyBar).relabel()
        self.relabel_filters()

    def _status_word(self) -> str:
        """The status filter in words; a search that widened it says so (查找不限状态)."""
        f = self.filter
        if f.status == CALL_BACK:
            status = t("ui.cases.call_back")
        elif f.status in FIRST:
            status = t("ui.cases.unfinished") if f.status else t("ui.cases.any")
        else:
            status = status_names(get_language(), whose=("open",)).get(f.status, f.status)
        if f.text and not f.status and self.before_search:
            return t("desk.cases.widened", status=status)
        return status

    def _building_word(self) -> str:
        """The building filtered on, as people say it (3号楼 / Building 3), not its code."""
        from fieldkit.services.case_building import building_said

        return building_said(self.fk.workspace, self.filter.building)

    def hiding(self) -> list[str]:
        """The filters in use, each as the filter line names it (状态：未完结、只看超期)."""
        f = self.filter
        found = []
        if f.status:
            found.append(t("ui.cases.filter_status", value=self._status_word()))
        if f.kind:
            found.append(t("ui.case_list.filter_kind", value=as_label(t(f"desk.kind.{f.kind}"))))
        if f.department:
            found.append(t("ui.cases.filter_department", value=t(f"ui.department.{f.department}")))
        if f.building:
            found.append(self._building_word())
        if f.overdue:
            found.append(t("ui.cases.only_overdue"))
        if f.text:
            found.append(t("desk.cases.finding", text=f.text))
        return found

    def relabel_empty(self) -> None:
        """Nothing to show: which filters hide the cases, and the key that clears them."""
        box = self.query_one("#case-empty", Static)
        box.display = self.page is not None and not self.page.total
        if not box.display:
            return
        if self.filter == OPENED:  # only the list's own "unfinished" hides anything
            box.update(t("desk.cases.none_unfinished"))
            return
        sep = t("desk.cases.filter_sep")
        box.update(t("desk.cases.none_filtered", filters=sep.join(self.hiding())))

    def relabel_filters(self) -> None:
        f = self.filter
        status = self._status_word()
        self.relabel_empty()
        parts = [
            t("ui.cases.filter_status", value=status),
            t("ui.case_list.filter_kind",
              value=as_label(t(f"desk.kind.{f.kind}")) if f.kind else t("ui.cases.any")),
            t("ui.cases.filter_department",
              value=t(f"ui.department.{f.department}") if f.department else t("ui.cases.any")),
            self._building_word() if f.building
            else t("ui.cases.filter_building", value=t("ui.cases.any")),
        ]  # fmt: skip
        if f.overdue:
            parts.append(t("ui.cases.only_overdue"))
        if f.text:
            parts.append(t("desk.cases.finding", text=f.text))
        if self.page is not None and self.page.total:  # none: the line under it says why
            last = min(self.page.offset + PAGE, self.page.total)
            key = "ui.cases.showing_pages" if self.page.total > last else "ui.cases.showing"
            parts.append(t(key, first=self.page.offset + 1, last=last, total=self.page.total))
        self.query_one("#case-filters", Static).update("   ".join(parts))

    def _refilter(self, flt: CaseFilter) -> None:
        self.filter = flt
        self.show_keys()
        self.page_offset = 0
        self.moved = True
        self.load()

    def action_pick_status(self) -> None:
        """Unfinished, any, the cases awaiting the desk's call-back (whatever their kind
        calls the state: 已完工, 已答复业主, 已达成调解), then each status that has cases
        (under the other filters) in the lifecycle's order with how many: one that would
        show nothing is not offered."""
        from fieldkit.ui.dialogs.picker import Picker

        held = self.page.statuses if self.page is not None else {}
        # the findings' own "open" says whose it is: it is not "every case still open"
        names = status_names(get_language(), whose=("open",))
        options = [(UNFINISHED, as_label(t("ui.cases.unfinished"))),
                   ("", as_label(t("ui.cases.any")))]  # fmt: skip
        # finished states last: the history is counted only when "any" is shown, and the
        # states still to do keep their numbers either way. Findings nobody has picked up
        # yet (open) come first: what the desk asks about most, under a number key.
        shown = [s for s in names if s not in FIRST and held.get(s)]
        shown.sort(key=lambda s: (s in DONE, s != "open"))
        options += [(s, t("ui.cases.state_count", state=names[s], count=held[s])) for s in shown]
        owed = self.page.call_backs if self.page is not None else 0
        if owed or self.filter.status == CALL_BACK:  # after the findings' open, keys kept
            at = 3 if "open" in shown else 2
            words = t("ui.cases.state_count", state=as_label(t("ui.cases.call_back")), count=owed)
            options.insert(at, (CALL_BACK, words))

        def chosen(status: str | None) -> None:
            if status is not None and status != self.filter.status:
                self.before_search = None  # chosen by the person: a search keeps it
                self._refilter(replace(self.filter, status=status))

        self.app.push_screen(Picker("ui.cases.pick_status", options, self.filter.status), chosen)

    def action_pick_kind(self) -> None:
        """Any kind, then each kind of case in the same order every time (a number key is
        always the same kind)."""
        from fieldkit.ui.dialogs.picker import Picker

        options = [("", as_label(t("ui.cases.any")))]
        options += [(kind, as_label(t(f"desk.kind.{kind}"))) for kind in LISTED_KINDS]

        def chosen(kind: str | None) -> None:
            if kind is not None and kind != self.filter.kind:
                self._refilter(replace(self.filter, kind=kind))

        self.app.push_screen(Picker("ui.case_list.pick_kind", options, self.filter.kind), chosen)

    def action_cycle_department(self) -> None:
        self._refilter(
            replace(self.filter, department=_next(("", *DEPARTMENTS), self.filter.department))
        )

    def action_toggle_overdue(self) -> None:
        self._refilter(replace(self.filter, overdue=not self.filter.overdue))

    def action_ask_building(self) -> None:
        """A building as people type it (3号楼, Building 3, 三栋): the dialog refuses one
        the compound does not have, naming those it has, and the filter keeps its code,
        read once: the dialog's check keeps the code it found (a blank line is every one)."""
        from fieldkit.services.case_building import building_typed
        from fieldkit.ui.dialogs.ask import AskDialog

        ws = self.fk.workspace
        codes: dict[str, str] = {}

        def check(text: str) -> None:
            codes[text] = building_typed(ws, text)

        def chosen(value: str | None) -> None:
            if value is not None:
                self._refilter(replace(self.filter, building=codes.get(value, "")))

        asked = AskDialog("desk.cases.ask_building", self.filter.building, check=check)
        self.app.push_screen(asked, chosen)

    def action_find(self) -> None:
        """A case asked about by its number or its flat: found whatever its status."""
        from fieldkit.ui.dialogs.ask import AskDialog

        def chosen(value: str | None) -> None:
            if value is None:
                return
            text, status = value.strip()[:40], self.filter.status
            if text and not self.filter.text:  # a search begins: it looks at every status
                self.before_search, status = status, ""
            elif not text and self.before_search is not None:  # over: the status comes back
                status, self.before_search = self.before_search, None
            self._refilter(replace(self.filter, text=text, status=status))

        self.app.push_screen(AskDialog("desk.cases.ask_find", self.filter.text), chosen)

    def action_clear_filters(self) -> None:
        """Every filter off at once: the list as it opens (every unfinished case)."""
        if self.filter == OPENED:
            self.notify(t("desk.cases.nothing_to_clear"))
            return
        self.before_search = None
        self._refilter(OPENED)
        self.notify(t("desk.cases.cleared"))

    def action_page_or_scroll(self, step: int) -> None:
        """PgDn / PgUp move the table a screen, and from its last (first) row to the next
        (previous) page of cases."""
        table = self.query_one(CaseTable)
        row, rows = table.cursor_row, table.row_count
        if table.has_focus and rows and (row < rows - 1 if step > 0 else row > 0):
            (table.action_page_down if step > 0 else table.action_page_up)()
        else:
            self.action_page(step)

    def action_page(self, step: int) -> None:
        total = self.page.total if self.page else 0
        offset = self.page_offset + step * PAGE
        if 0 <= offset < max(total, 1):
            self.page_offset = offset
            self.moved = True
            self.load()

    def on_data_table_row_selected(self, event: CaseTable.RowSelected) -> None:
        from fieldkit.ui.screens.case_detail import CaseDetailScreen

        if event.row_key.value:
            self.app.push_screen(CaseDetailScreen(event.row_key.value))
