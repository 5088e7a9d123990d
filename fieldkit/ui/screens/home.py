"""Home: incidents in progress (listed only while there are some: after a restart the
coordinator is one Enter from the incident), the flats under renovation (the renovation
inspector's: permit, today's hours, open violations and the next deadline; Enter opens the
flat's card), what is due and overdue (the patrol's rounds), drafts to resume, open cases,
and sync state. On the service desk's device the open cases lead (most urgent first) and
its keys fill the bar.

The first screen drawn, so it imports little: the case table (which brings the lifecycle
file's loader, ~70 ms of imports before the first paint) is mounted when the first cases
arrive from the thread worker — by then that worker has imported most of it.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text as RichText
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import get_language, plural, t
from fieldkit.model import localtime
from fieldkit.reports import dates
from fieldkit.services.cases import EVERY_CASE_HOME
from fieldkit.services.round_result import found_words
from fieldkit.services.types import SyncState, pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.home import (
    BackgroundSynced,
    DraftDiscarded,
    DueLoaded,
    HomeLoaded,
    Synced,
    SyncStep,
)
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread

#: Rounds done today listed by name on the home; more are counted.
DONE_SHOWN = 5

if TYPE_CHECKING:
    from fieldkit.services.types import CaseRow, HomeSummary
    from fieldkit.services.workspace import Workspace
    from fieldkit.ui.screens.start import StartRunScreen
    from fieldkit.ui.widgets.case_table import CaseTable


def sync_line(state: SyncState) -> str:
    if not state.available:
        return t("ui.sync.not_set_up")
    when = localtime.fmt(state.last_sync, "short") if state.last_sync else t("ui.sync.never")
    if state.refused:  # said on every redraw until the device is enrolled again
        key = "ui.sync.revoked" if state.refused == "device_revoked" else "ui.sync.unknown"
        return t(key, last=when, pending=state.pending)
    key = {None: "ui.sync.connecting", True: "ui.sync.online"}.get(state.online, "ui.sync.offline")
    line = t(key, last=when, pending=state.pending, attention=state.attention)
    if state.held:
        line += f" · {t('attachments.sync.held_line', count=state.held)}"
    return line + (f" · {t('attention.sync.hint')}" if state.attention else "")


def _keep_highlight(options: OptionList, was: int | None) -> None:
    """Highlight the same row again after a redraw, else the first one that can be
    picked, so Enter always opens something that is visibly chosen."""
    enabled = [
        i for i in range(options.option_count) if not options.get_option_at_index(i).disabled
    ]
    if not enabled:
        return
    options.highlighted = was if was in enabled else enabled[0]


class HomeScreen(FieldScreen):
    #: On the service desk's device (state ``desk``) its own keys lead help and fill the bar:
    #: a new case, opening one, the case list, the shift handover; the patrol rounds are not
    #: its work. Elsewhere
    #: (``rounds``) starting a round leads, except on the emergency coordinator's, whose bar
    #: leads with a new incident (F2, from any screen) instead.
    KEYS = KeyTable(
        Key("n", help="desk.keys.new", bar="desk.bar.new", when=("desk",)),
        Key("enter", help="ui.keys.open_case", by="widget", when=("desk",)),
        Key("c", help="ui.keys.cases", bar="rounds.bar.cases", when=("desk",)),
        key("h", "app.handover", "desk.keys.handover", "desk.bar.handover", when=("desk",)),
        Key("F2", bar="rounds.bar.incident", by="app", when=("coordinator",)),
        key("s", "app.start_run", "ui.keys.start", when=("rounds",)),
        Key("s", bar="rounds.bar.start", when=("walks",)),
        key("/", "app.find_unit", "ui.keys.find", "rounds.bar.find", bind="slash"),
        key("c", "app.cases", "ui.keys.cases", "rounds.bar.cases", when=("rounds",)),
        key("n", "app.intake", "desk.keys.new", when=("rounds",)),
        Key("!", help="attention.keys.open", by="app"),
        Key("enter", help="ui.keys.open", by="widget", when=("rounds",)),
        key("w", "app.week", "week.keys.open", "week.bar.open", when=("office",)),
        key("t", "app.trends", "week.keys.trends", "week.bar.trends", when=("office",)),
        key("h", "app.handover", "ui.keys.handover", "desk.bar.handover", when=("walks",)),
        key("r", "refresh", "ui.keys.refresh"),
        # discard: listed only while a round is in progress (it has nothing to act on else)
        key("d", "discard", "rounds.drafts.discard_key", "rounds.keys.discard", when=("drafts",)),
        Key("ctrl+l", help="ui.keys.language", by="app"),
        Key("ctrl+p", help="ui.keys.palette", by="app"),
        Key("?", help="ui.keys.help", bar="ui.keys.help", by="app"),
        Key("ctrl+q", help="ui.keys.quit", bar="ui.keys.quit", by="app"),
    )

    #: Home puts the focus itself, on the list that leads once its data is in (Textual's
    #: own would pick the first list at mount, before it is known which one leads).
    AUTO_FOCUS = ""

    def __init__(self) -> None:
        super().__init__(id="home")
        self.summary: HomeSummary | None = None
        self.due: tuple | None = None
        self.done: tuple = ()  # services.types.DoneRun: the rounds submitted today
        self.auto_focus: Widget | None = None  # where the home put the focus itself
        self.finding: StartRunScreen | None = None  # the search typing on the home opened

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="sync")
        yield Static(id="damage")
        with Vertical(id="home-body"):
            yield Static(id="incidents-title", classes="section-title")
            yield OptionList(id="incidents")
            yield Static(id="closed-incidents-title", classes="section-title")
            yield OptionList(id="closed-incidents")
            yield Static(id="renovations-title", classes="section-title")
            yield OptionList(id="renovations")
            yield Static(id="due-title", classes="section-title")
            yield OptionList(id="due")
            yield Static(id="drafts-title", classes="section-title")
            yield OptionList(id="drafts")
            yield Static(id="done-title", classes="section-title")
            yield Static(id="done")
            yield Static(id="cases-title", classes="section-title")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.relabel()
        self.action_refresh()

    def on_key(self, event: events.Key) -> None:
        """Typing on the home finds: a letter, digit or 汉字 that is no key here opens the
        search with it typed. nc29 typed a flat's code on the renovation home, nothing
        showed it, and Enter then opened the flat highlighted in the list."""
        char = event.character or ""
        printable = event.is_printable and len(char) == 1
        if printable and self.finding is not None and self.app.screen is self.finding:
            event.stop()  # typed fast: the keys after the first were already queued here
            event.prevent_default()
            self.finding.take(char)
            return
        if not (printable and char.isalnum()) or event.key in self.active_bindings:
            return
        from fieldkit.ui.screens.start import StartRunScreen

        event.stop()
        event.prevent_default()
        self.finding = StartRunScreen(find_only=True, typed=char)
        self.app.push_screen(self.finding)

    @property
    def desk(self) -> bool:
        return self.summary is not None and self.summary.role == "desk"

    def key_states(self) -> tuple[str, ...]:
        drafts = self.summary is not None and bool(self.summary.drafts)
        if self.desk:
            role_states: tuple[str, ...] = ("desk",)
        else:
            coordinator = self.summary is not None and self.summary.role == "emergency"
            role_states = ("rounds", "coordinator" if coordinator else "walks")
            if self.summary is not None and self.summary.role == "office":
                role_states += ("office",)
        return (*role_states, *(("drafts",) if drafts else ()))

    def _desk_first(self) -> None:
        """On the desk's device: the cases lead, right under any incident in progress (the
        rounds due are not its work, left out as for every role that walks none); a round
        in progress is still shown."""
        body = self.query_one("#home-body")
        table = self.query("#home-cases")
        if not table:
            return
        body.move_child(self.query_one("#cases-title"), before=self.query_one("#due-title"))
        body.move_child(table.first(), after=self.query_one("#cases-title"))
        has_drafts = self.summary is not None and bool(self.summary.drafts)
        for name in ("#drafts-title", "#drafts"):
            self.query_one(name).display = has_drafts

    def mount_cases(self, rows: tuple[CaseRow, ...]) -> None:
        """The case table, mounted with the first cases: it draws them when mounted and again
        at its first size (the columns' widths), not also from the home's relabel."""
        from fieldkit.ui.widgets.case_table import CaseTable

        if not self.query("#home-cases"):
            table = CaseTable(id="home-cases")
            table.rows_shown = rows
            self.query_one("#home-body").mount(table, after="#cases-title")

    def on_screen_resume(self) -> None:
        if self.summary is not None:
            self.action_refresh()

    def action_refresh(self) -> None:
        """Open cases, drafts and sync state first; the due rounds only after those are on
        screen: they come from the store's last-run index, but a folder from before the
        index rebuilds it once from the whole history, and that must not hold them up."""
        self.load_home()

    @in_thread(group="home")
    def load_home(self) -> None:
        self.post_message(HomeLoaded(self.fk.workspace.home(with_due=False)))

    @in_thread(group="checklists")
    def warm_checklists(self) -> None:
        """Parse the checklists once the home's due rounds are drawn (~0.5 s of YAML), so
        the first flat scanned lists its checklists with its card, not after it (a scan
        reads its flat from the store's indexes and is drawn at once). A round device's due
        rounds have parsed them already."""
        self.fk.workspace.checklists()

    @in_thread(group="due", exclusive=True)
    def load_due(self) -> None:
        """The due rounds, after the home. Drawing them notes missed runs and equipment
        dates as cases, which wait in the outbox: the sync line is read again after, or it
        said the count from before them ("0 to send") and the next round sent them."""
        ws, now = self.fk.workspace, time.time()
        due = ws.due(now, note_missed=True)
        self.post_message(DueLoaded(due, ws.done_today(now), ws.sync_state()))

    def sync_now(self) -> None:
        self.notify(t("ui.sync.started"))
        self.sync_round()

    @in_thread(group="sync", exclusive=True)
    def sync_round(self) -> None:
        self.post_message(Synced(self.fk.workspace.sync_now(self.say_step)))

    @in_thread(group="background-sync")
    def background_sync(self) -> None:
        """Asked by the app now and then; the workspace decides whether a round is due."""
        state = self.fk.workspace.background_sync(say=self.say_step)
        self.post_message(BackgroundSynced(state))

    def say_step(self, text: str) -> None:
        """From the sync thread: how far the round has come (a first round on a new laptop
        takes in a compound's whole history, page by page)."""
        self.post_message(SyncStep(text))

    def on_sync_step(self, message: SyncStep) -> None:
        self.query_one("#sync", Static).update(message.text)

    def on_background_synced(self, message: BackgroundSynced) -> None:
        """A background round ran (state is None when none was due): show the sync line."""
        if message.state is not None and self.is_current:
            self.action_refresh()

    def on_synced(self, _message: Synced) -> None:
        self.notify(t("ui.sync.done"))
        self.action_refresh()

    def on_home_loaded(self, message: HomeLoaded) -> None:
        summary = message.summary
        self.mount_cases(summary.cases)
        self.summary = replace(summary, due=self.due) if self.due is not None else summary
        self.relabel()
        # Each after the frame before it is drawn: a thread started with a draw takes turns
        # at the GIL with it (the checklists' YAML is ~0.5 s), and the due rounds of a round
        # device parse the same checklists, so two at once parsed them twice (issue 17).
        self.call_after_refresh(self.load_due)

    def on_due_loaded(self, message: DueLoaded) -> None:
        self.due = tuple(message.due)
        self.done = tuple(message.done)
        if self.summary is not None:
            sync = message.sync if message.sync is not None else self.summary.sync
            self.summary = replace(self.summary, due=self.due, sync=sync)
            self.relabel()
        self.call_after_refresh(self.warm_checklists)

    def relabel(self) -> None:
        self.query_one("#due-title", Static).update(t("ui.home.due"))
        self.query_one("#drafts-title", Static).update(t("ui.home.drafts"))
        shown = self.summary.cases if self.summary is not None else ()
        total = self.summary.cases_total if self.summary is not None else 0
        role = self.summary.role if self.summary is not None else ""
        # a post's own cases (services.cases.on_home) say so, and where the others are
        which = "cases" if not role or role in EVERY_CASE_HOME else "cases_mine"
        if which == "cases_mine" and self.summary is not None and not total:
            which = "no_cases_mine"  # an empty table under a title reads as still loading
        self.query_one("#cases-title", Static).update(
            t(f"ui.home.more.{which}", shown=len(shown), total=total)
            if total > len(shown)
            else t(f"ui.home.{which}")
        )  # a list cut short says so, and where the rest is
        self.show_keys()
        self.query_one(KeyBar).relabel()
        summary = self.summary
        if summary is None:
            self.query_one("#sync", Static).update(t("ui.home.loading"))
            return
        self.query_one("#sync", Static).update(sync_line(summary.sync))
        self.draw_incidents(summary.incidents)
        self.draw_closed_incidents(summary.closed_incidents)
        self.draw_renovations(summary.renovations)
        damage = self.query_one("#damage", Static)
        damage.display = bool(summary.damage)
        if summary.damage:
            lines = [t("damage.home.title"), *(f"• {item.said()}" for item in summary.damage)]
            damage.update("\n".join(lines))
        due = self.query_one("#due", OptionList)
        was = due.highlighted
        due.clear_options()
        open_rounds = {(d.checklist_id, d.target.id): d for d in summary.drafts if d.target}
        for index, item in enumerate(summary.due):
            mark = t("ui.home.overdue") if item.overdue else t("ui.home.due_today")
            if item.later:  # done for now (nc29 read a round just submitted as still due)
                mark = t("ui.home.due_later")
            line = f"{mark}  {pick(item.title)} — {item.target.label()}"
            if pick(item.when):
                line += f"  · {pick(item.when)}"
            draft = open_rounds.get((item.checklist_id, item.target.id))
            if draft is not None:
                line += t("rounds.drafts.in_progress", done=draft.answered, total=draft.total)
            due.add_option(Option(line, id=f"due-{index}"))
        if self.due is None:
            due.add_option(Option(t("ui.home.loading"), disabled=True))
        elif not summary.due:
            due.add_option(Option(t("ui.home.nothing_due"), disabled=True))
        _keep_highlight(due, was)
        drafts = self.query_one("#drafts", OptionList)
        was = drafts.highlighted
        drafts.clear_options()
        for draft in summary.drafts:
            where = draft.target.label() if draft.target else ""
            drafts.add_option(
                Option(
                    t("ui.home.draft_line", title=pick(draft.title), target=where,
                      done=draft.answered, total=draft.total),
                    id=draft.inspection_id,
                )
            )  # fmt: skip
        if not summary.drafts:
            drafts.add_option(Option(t("ui.home.no_drafts"), disabled=True))
        _keep_highlight(drafts, was)
        self.draw_done()
        from fieldkit.services.device_role import ROUND_ROLES

        # the role the summary was read for (the app's ``who`` may not be known yet)
        rounds = not summary.role or summary.role in ROUND_ROLES or bool(summary.due)
        due.display = self.query_one("#due-title").display = rounds  # not this role's work
        if self.desk:
            self._desk_first()
        # the list that leads takes the focus, and takes it again when what leads changes
        # (the due rounds arrive after the first draw): unless the person moved it
        if self.focused is None or self.focused is self.auto_focus:
            if summary.incidents:
                lead: Widget = self.query_one("#incidents", OptionList)
            elif self.desk and self.query("#home-cases"):
                lead = self.query_one("#home-cases")
            elif summary.renovations:
                lead = self.query_one("#renovations", OptionList)
            elif summary.closed_incidents and not summary.drafts:
                lead = self.query_one("#closed-incidents", OptionList)
            else:  # a round left half done leads: it is what the person came back to
                lead = drafts if summary.drafts or not summary.due else due
            if lead is not self.focused:
                lead.focus()
            self.auto_focus = lead
        for table in self.query("#home-cases"):
            if table.is_mounted:  # else it draws its rows when mounted (mount_cases)
                table.relabel(summary.cases)  # type: ignore[attr-defined]

    def draw_done(self) -> None:
        """What was submitted today, newest first: a round done drops off the due list, and
        the person saw nowhere that it was taken (nc14)."""
        title, listing = self.query_one("#done-title", Static), self.query_one("#done", Static)
        title.display = listing.display = bool(self.done)
        if not self.done:
            return
        title.update(t("ui.home.done_today", count=len(self.done)))
        lines = [
            t("ui.home.done_line", at=localtime.fmt(d.at, "clock"), title=pick(d.title),
              target=d.target.label(), result=found_words(d))
            for d in self.done[:DONE_SHOWN]
        ]  # fmt: skip
        if len(self.done) > DONE_SHOWN:
            lines.append(t("ui.home.done_more", count=len(self.done) - DONE_SHOWN))
        listing.update(RichText("\n".join(lines), style="dim"))

    def draw_incidents(self, rows: tuple) -> None:
        from fieldkit.services.notices import local_time

        lang = get_language()
        self._draw_listing("incidents", "incidents.ui.home_title", [
            (row.id, t("incidents.ui.home_line", ref=row.ref, type=pick(row.type, lang),
                       place=pick(row.where, lang),
                       severity=t(f"incidents.severity.{row.severity}"),
                       status=t(f"incidents.status.{row.status}"),
                       started=local_time(row.started_at, lang)))
            for row in rows
        ])  # fmt: skip

    def draw_closed_incidents(self, rows: tuple) -> None:
        """The coordinator's last incidents closed, to read again (nothing else opened a
        closed incident: nc24, nc20)."""
        from fieldkit.services.notices import local_time

        lang = get_language()
        self._draw_listing("closed-incidents", "incidents.ui.home_closed_title", [
            (row.id, t("incidents.ui.home_closed_line", ref=row.ref, type=pick(row.type, lang),
                       place=pick(row.where, lang), started=local_time(row.started_at, lang),
                       closed=local_time(row.closed_at, lang) if row.closed_at else "—"))
            for row in rows
        ])  # fmt: skip

    def _draw_listing(self, name: str, title_key: str, lines: list[tuple[str, str]]) -> None:
        """A titled list of the home (``#name-title`` over ``#name``), shown only when it
        has lines, its highlight kept on the row it was on."""
        title = self.query_one(f"#{name}-title", Static)
        listing = self.query_one(f"#{name}", OptionList)
        title.display = listing.display = bool(lines)
        title.update(t(title_key))
        was = listing.highlighted
        listing.clear_options()
        for row_id, line in lines:
            listing.add_option(Option(line, id=row_id))
        _keep_highlight(listing, was)

    def draw_renovations(self, rows: tuple) -> None:
        title = self.query_one("#renovations-title", Static)
        listing = self.query_one("#renovations", OptionList)
        title.display = listing.display = bool(rows)
        title.update(t("renovation.home.title"))
        was = listing.highlighted
        listing.clear_options()
        for index, row in enumerate(rows):
            hours = (
                t("renovation.home.accepted", date=localtime.fmt(row.accepted, "date"))
                if row.accepted
                else t("renovation.home.stop.line")
                if row.stopped
                else t("renovation.home.hours", hours=dates.time_ranges(row.hours_today))
                if row.hours_today
                else t("renovation.home.no_hours")
            )
            line = t("renovation.home.line", code=row.target.code, name=pick(row.target.name),
                     permit=row.permit, ends=row.ends, hours=hours)  # fmt: skip
            if row.open_violations:  # the renovation service imported for them alone
                from fieldkit.services.renovation import deadline_text

                late = "_late" if row.next_due < time.time() else ""  # nc33: no 超期 said
                line += plural(f"renovation.home.violations{late}", row.open_violations,
                               due=deadline_text(row.next_due))  # fmt: skip
            listing.add_option(Option(line, id=f"renovation-{index}"))
        _keep_highlight(listing, was)

    def action_discard(self) -> None:
        """Discard the highlighted round in progress, once confirmed (kept as discarded)."""
        from fieldkit.ui.dialogs.confirm import ConfirmDialog

        drafts = self.query_one("#drafts", OptionList)
        summary = self.summary
        if summary is None or not summary.drafts:
            self.notify(t("ui.home.no_drafts"), severity="warning")
            return
        if not drafts.has_focus or drafts.highlighted is None:
            drafts.focus()
            if drafts.highlighted is None:
                drafts.highlighted = 0
        draft = summary.drafts[min(drafts.highlighted or 0, len(summary.drafts) - 1)]
        words = {
            "title": pick(draft.title),
            "target": draft.target.label() if draft.target else "",
        }

        def answered(yes: bool | None) -> None:
            if yes:
                self.fk.saves.put(self, lambda ws: discard(ws, draft.inspection_id, words))

        self.app.push_screen(
            ConfirmDialog(
                "rounds.drafts.ask_discard", done=draft.answered, total=draft.total, **words
            ),
            answered,
        )

    def on_draft_discarded(self, message: DraftDiscarded) -> None:
        if message.words:  # else a round left with nothing answered, set aside unsaid
            self.notify(t("rounds.drafts.discarded", **message.words))
        self.action_refresh()

    def on_data_table_row_selected(self, event: CaseTable.RowSelected) -> None:
        from fieldkit.ui.screens.case_detail import CaseDetailScreen

        if event.row_key.value:
            self.app.push_screen(CaseDetailScreen(event.row_key.value))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id in ("incidents", "closed-incidents") and event.option.id:
            from fieldkit.ui.screens.incident import IncidentScreen

            self.app.push_screen(IncidentScreen(event.option.id))
        elif event.option_list.id == "renovations" and event.option.id and self.summary:
            row = self.summary.renovations[int(event.option.id.removeprefix("renovation-"))]
            self.open_target(row.target)
        elif event.option_list.id == "drafts" and event.option.id:
            from fieldkit.ui.screens.runner import RunnerScreen

            self.app.push_screen(RunnerScreen(inspection_id=event.option.id))
        elif event.option_list.id == "due" and event.option.id and self.summary:
            from fieldkit.ui.screens.runner import RunnerScreen

            item = self.summary.due[int(event.option.id.removeprefix("due-"))]
            self.app.push_screen(RunnerScreen(checklist_id=item.checklist_id, target=item.target))


def discard(ws: Workspace, inspection_id: str, words: dict[str, str]) -> DraftDiscarded:
    ws.discard_draft(inspection_id)
    return DraftDiscarded(words)
