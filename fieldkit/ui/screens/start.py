"""Start a run: find the target by scanning its label or searching code, name or pinyin
initials (``xfs`` finds 消防栓), then pick the checklist on the target's card. Opened to
find only (the home's ``/``), it finds a case by its number too, and opens it."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import t
from fieldkit.services.scan_shape import looks_like_code
from fieldkit.services.types import CaseRow, Target, pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.search import SearchFound
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread, still_wanted


class StartRunScreen(FieldScreen):
    KEYS = KeyTable(
        Key("scan", help="ui.keys.scan", by="app"),
        Key("type", help="ui.keys.search", by="widget"),
        Key("↓ enter", help="ui.keys.choose", by="widget"),
        Key("↓", bar="ui.keys.choose", by="widget"),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )

    def __init__(self, find_only: bool = False, typed: str = "") -> None:
        super().__init__(name="start")
        self.find_only = find_only
        self.typed = typed  # what was typed on the screen below, before this one opened
        self.results: list[Target] = []
        self.cases: tuple[CaseRow, ...] = ()  # the cases the text names by number (find only)
        self.shown_query: str | None = None
        self.submitted: str | None = None  # Enter pressed before its results came

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="start-title", classes="section-title")
        yield Input(id="search")
        yield OptionList(id="results")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.relabel()
        box = self.query_one(Input)
        box.focus()
        if self.typed:
            box.value = self.typed  # Input.Changed searches it
            box.cursor_position = len(self.typed)
        else:
            self.search("")

    def take(self, char: str) -> None:
        """A character typed on the screen below after the one that opened this search."""
        if self.is_mounted:
            self.query_one(Input).insert_text_at_cursor(char)
        else:
            self.typed += char

    def relabel(self) -> None:
        key = "ui.start.find_title" if self.find_only else "ui.start.title"
        self.query_one("#start-title", Static).update(t(key))
        self.query_one(Input).placeholder = t("ui.start.placeholder")
        self.query_one(KeyBar).relabel()
        self.show(self.results)

    def scans_in_text(self, code: str) -> bool:
        return looks_like_code(code)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit(event.value)

    def submit(self, value: str) -> None:
        """Enter opens the one target found, or moves to the list of several. Typed fast
        ("3-2-202" then Enter), the results of the whole text may not be in yet: Enter
        then waits for them, rather than acting on those of "3-2-20"."""
        if self.shown_query != value:
            self.submitted = value
            return
        self.submitted = None
        found = len(self.results) + len(self.cases)
        named = _named_exactly(self.results, value)
        if found == 1 and self.cases:
            self.open_case(self.cases[0])
        elif found == 1:
            self.open(self.results[0])
        elif named is not None and not self.cases:  # "3号楼": that building, not 50 places
            self.open(named)
        elif found:
            self.to_list()
            self.notify(t("ui.start.several", count=found))

    def to_list(self) -> None:
        results = self.query_one(OptionList)
        results.focus()
        results.highlighted = 0

    def key_down(self, event: events.Key) -> None:
        """↓ from the typed text: the first result highlighted. The key stops here; going on
        to the app, it reached the list once it had the focus and moved one further."""
        if self.query_one(Input).has_focus and (self.results or self.cases):
            event.stop()
            self.to_list()

    @in_thread(group="search", exclusive=True)
    def search(self, query: str) -> None:
        found = self.fk.workspace.search(query)
        cases = tuple(self.fk.workspace.cases_numbered(query)) if self.find_only else ()
        if still_wanted():
            self.post_message(SearchFound(query, found, cases=cases))

    def on_search_found(self, message: SearchFound) -> None:
        query = message.query
        self.results = message.results
        self.cases = message.cases
        self.shown_query = query
        self.show(self.results)
        if self.submitted is not None and self.submitted == query:
            self.submit(query)

    def show(self, results: list[Target]) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        for index, target in enumerate(results):
            kind = t(f"ui.target.{target.kind}")
            options.add_option(Option(f"{kind}  {target.label()}", id=str(index)))
        for index, row in enumerate(self.cases):
            line = t("ui.start.case_line", ref=row.ref, title=pick(row.title),
                     where=pick(row.target))  # fmt: skip
            options.add_option(Option(line, id=f"case:{index}"))
        if not results and not self.cases:
            options.add_option(Option(t("ui.start.no_match"), disabled=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        if chosen is not None and chosen.startswith("case:"):
            self.open_case(self.cases[int(chosen.removeprefix("case:"))])
        elif chosen is not None:
            self.open(self.results[int(chosen)])

    def open(self, target: Target) -> None:
        """Open what was found. Found with ``/`` (find only), the card takes the search's
        place: Esc from it goes back where the person came from, not into a search box that
        would take the next keys as text."""
        if self.find_only:
            self.dismiss()
        self.open_target(target)

    def open_case(self, row: CaseRow) -> None:
        """Open the case found by its number in the search's place (as :meth:`open`)."""
        from fieldkit.ui.screens.case_detail import CaseDetailScreen

        self.dismiss()
        self.app.push_screen(CaseDetailScreen(row.id))


def _named_exactly(results: tuple, typed: str) -> Any:
    """The one result whose code or name, in either language, is what was typed (spaces and
    case aside), else None: a guard typing a building's whole name meant that building
    (nc23, nc27: Enter on "2号楼" listed 50 places, and ↓ then skipped the building)."""
    from fieldkit.config import LANGUAGES

    def plain(text: str) -> str:
        return "".join(text.split()).casefold()

    wanted = plain(typed)

    def names(target: Any) -> set[str]:
        return {plain(target.code), *(plain(target.label(lang)) for lang in LANGUAGES)}

    exact = [r for r in results if wanted in names(r)]
    return exact[0] if wanted and len(exact) == 1 else None
