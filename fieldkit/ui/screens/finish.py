"""Finish: the failures and what is still missing; the cases submit will raise, editable.

Changing a case's severity (``v``) brings its due time with it (:data:`SEVERITY_DUE`),
unless the due is an inspector's own date. An acceptance says why it cannot pass and
refuses a deposit decision that would contradict that (``renovation.deposit_refusal``)."""

from __future__ import annotations

import time

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.checklists.describe import duration_words
from fieldkit.checklists.durations import duration_parts
from fieldkit.checklists.wording import steps_of_work
from fieldkit.i18n import as_label, get_language, plural, t
from fieldkit.model import DEPARTMENTS, SEVERITIES
from fieldkit.services.acted import acted
from fieldkit.services.runs import ProposedCase, RunView
from fieldkit.services.types import ScanLookup, Target, pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.runs import AcceptanceRead, RunSubmitted
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread

DUES = ("4h", "24h", "3d", "1w")
#: The due time a severity brings when ``v`` changes it: as soon as the fault is serious.
SEVERITY_DUE = {"critical": "4h", "major": "24h", "minor": "3d"}


def due_words(due: str) -> str:
    """A proposed case's due time as the table shows it: "within 4 hours" / "4 小时内", or
    the inspector's own date as its deadline reads on the card and the case (24:00)."""
    if duration_parts(due) is None:
        from fieldkit.services.renovation import deadline_text, due_at

        try:
            return deadline_text(due_at(due, 0.0))
        except ValueError:
            return due
    return t("ui.finish.within", duration=duration_words(due))


def _cycle(values: tuple[str, ...], current: str) -> str:
    return values[(values.index(current) + 1) % len(values)] if current in values else values[0]


class FinishScreen(FieldScreen):
    """Dismissed with the submitted run (escape goes back without one)."""

    KEYS = KeyTable(
        key("d", "edit('department')", "ui.keys.finish_department"),
        key("v", "edit('severity')", "ui.keys.finish_severity"),
        key("u", "edit('due')", "ui.keys.finish_due"),
        Key("d v u", bar="ui.keys.edit_case", when=("cases",)),
        key("ctrl+s", "submit", "ui.keys.submit", "ui.keys.submit", when=("round",)),
        Key(
            "ctrl+s",
            help="incidents.ui.keys.submit_plan",
            bar="incidents.ui.keys.submit_plan",
            when=("plan",),
        ),
        Key(
            "ctrl+s",
            help="renovation.keys.submit_acceptance",
            bar="renovation.keys.submit_acceptance",
            when=("acceptance",),
        ),
        key("m", "next_missing", "ui.keys.next_missing", "ui.keys.next_missing_bar",
            when=("missing",)),
        Key("enter", help="ui.keys.open_item", bar="ui.keys.open_item_bar", by="widget"),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip

    def __init__(self, run: RunView) -> None:
        super().__init__(name="finish")
        self.run = run
        self.cases: list[ProposedCase] = run.proposed_cases()
        self.missing = run.missing()
        self.refusal: dict[str, str] | None = None  # why the deposit decision cannot stand
        self.verdict: dict[str, str] | None = None  # why an acceptance cannot pass

    def key_states(self) -> tuple[str, ...]:
        """ctrl+s submits an acceptance or an incident's plan as what it is, not as a
        round."""
        from fieldkit.services.registry import ACCEPTANCE

        checklist = self.run.checklist
        what = (
            "acceptance" if checklist.id == ACCEPTANCE
            else "plan" if steps_of_work(checklist.applies_to)
            else "round"
        )  # fmt: skip
        states = ("cases", what) if self.cases else (what,)
        return (*states, "missing") if self.missing else states

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="finish-body")
        yield OptionList(id="finish-missing")
        yield Static(id="finish-notes")
        yield DataTable(id="finish-cases", cursor_type="row")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.relabel()
        if self.missing:
            self.query_one("#finish-missing", OptionList).focus()
        else:
            self.query_one(DataTable).focus()
        self.read_acceptance(self.run)

    @in_thread(group="acceptance")
    def read_acceptance(self, run: RunView) -> None:
        from fieldkit.services.renovation import cannot_pass, deposit_refusal

        ws = self.fk.workspace
        self.post_message(AcceptanceRead(cannot_pass(ws, run), deposit_refusal(ws, run)))

    def on_acceptance_read(self, message: AcceptanceRead) -> None:
        self.verdict, self.refusal = message.verdict, message.refusal
        self.relabel()
        if message.submitting and message.refusal:
            self.notify(pick(message.refusal), severity="warning")

    def relabel(self) -> None:
        self.query_one(TitleBar).relabel()
        self.query_one(KeyBar).relabel()
        lang = get_language()
        body = Text()
        body.append(t("ui.finish.title", title=self.run.checklist.title.get(lang)) + "\n", "bold")
        listing = self.query_one("#finish-missing", OptionList)
        listing.display = bool(self.missing)
        if self.missing:
            body.append(plural("ui.finish.missing", len(self.missing)), "bold yellow")
            at = listing.highlighted
            listing.clear_options()
            for step in self.missing:
                where = f"[{step.asset.code}] " if step.asset else ""
                line = Text(f"• {where}{step.item.label.get(lang)}")  # "[EXT-…]" is no markup
                listing.add_option(Option(line, id=step.key))
            listing.highlighted = min(at or 0, len(self.missing) - 1)
        else:
            body.append(t("ui.finish.complete"), "green")
        notes = Text()
        if self.verdict:
            notes.append(pick(self.verdict) + "\n", "bold yellow")
        if self.refusal:
            notes.append(pick(self.refusal) + "\n", "bold red")
        from fieldkit.services.renovation import again_words, deadline_note

        new = [case for case in self.cases if case.again is None]
        for case in self.cases:  # a fault already open on the flat is added to its case
            if case.again is not None:
                title = pick(case.evidence.get("wording") or case.title)
                notes.append(
                    f"{title}{t('reports.page.colon')}{again_words(case.again)}\n", "yellow"
                )
        said = deadline_note(self.run.checklist.id, self.run.inspection.answers, self.cases,
                             time.time())  # fmt: skip
        if said:
            notes.append(said + "\n", "yellow")
        for done in acted(self.run.checklist, self.run.inspection.answers):
            target = self.fk.workspace.target(done.asset) if done.asset else None
            where = f"[{target.code}] " if target is not None else ""
            said = t("ui.finish.acted", item=where + done.item.get(lang), done=done.done.get(lang))
            noted = t("ui.finish.acted_note", note=done.note) if done.note else ""
            notes.append(said + noted + "\n")
        if new:
            notes.append(plural("ui.finish.cases", len(new)), "bold")
        else:
            notes.append(t("ui.finish.no_cases"), "bold")
        self.query_one("#finish-notes", Static).update(notes)
        self.query_one("#finish-body", Static).update(body)
        table = self.query_one(DataTable)
        table.display = bool(self.cases)
        row = table.cursor_row
        table.clear(columns=True)
        # the finding as worded, without the unit's code its title begins with: the Where
        # column beside it gives the code
        rows = [
            (pick(case.evidence.get("wording") or case.title), _where(case.target),
             t(f"ui.department.{case.department}"), as_label(t(f"ui.severity.{case.severity}")),
             _due(case))
            for case in self.cases
        ]  # fmt: skip
        cols = ("title", "target", "department", "severity", "due")
        heads = [t(f"ui.finish.col_{col}") for col in cols]
        # measured here, and the title takes what the others leave: a redrawn table kept
        # the widths of its first rows, and a wide title pushed the due off the screen
        # ("within 24 hou" once v had changed it)
        widths = [max([cell_len(h), *(cell_len(r[n]) for r in rows)]) for n, h in enumerate(heads)]
        room = (self.size.width or 120) - sum(widths[1:]) - 2 * table.cell_padding * len(cols) - 2
        widths[0] = max(12, min(widths[0], room))
        for head, width in zip(heads, widths, strict=True):
            table.add_column(head, width=width)
        for title, *rest in rows:  # a finding cut to its column ends in "…", read as cut
            shown = Text(title)
            shown.truncate(widths[0], overflow="ellipsis")
            table.add_row(shown, *rest)
        if self.cases:
            table.move_cursor(row=min(max(row, 0), len(self.cases) - 1))

    def scanned(self, lookup: ScanLookup, typed: bool) -> None:
        """The review is part of the round: a scan of one of its extinguishers goes back to
        the round at that one's items; any other code opens as anywhere else."""
        target = lookup.target if lookup.status == "found" else None
        runner = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if (
            target is not None
            and isinstance(runner, FieldScreen)
            and any(s.asset is not None and s.asset.id == target.id for s in self.run.steps())
        ):
            self.dismiss(None)
            runner.scanned(lookup, typed)
            return
        super().scanned(lookup, typed)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a missing item opens it in the round."""
        if event.option.id:
            self.open_item(event.option.id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a case opens the item it comes from."""
        if 0 <= event.cursor_row < len(self.cases):
            self.open_item(self.cases[event.cursor_row].step_key)

    def action_next_missing(self) -> None:
        """``m``: back to the round at the next required item not answered, from where the
        patroller was in it."""
        runner = self.runner()
        if runner is not None:
            self.dismiss(None)
            runner.action_next_missing(here=True)

    def open_item(self, key: str) -> None:
        runner = self.runner()
        if runner is not None:
            self.dismiss(None)
            runner.go_to(key)

    def runner(self):
        """The round below the review (the runner), if it is one."""
        from fieldkit.ui.screens.runner import RunnerScreen

        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        return below if isinstance(below, RunnerScreen) else None

    def action_edit(self, what: str) -> None:
        table = self.query_one(DataTable)
        if not self.cases:
            return
        case = self.cases[table.cursor_row]
        if what == "department":
            case.department = _cycle(DEPARTMENTS, case.department)
        elif what == "severity":
            case.severity = _cycle(SEVERITIES, case.severity)
            if duration_parts(case.due) is not None:  # an inspector's own date stays
                case.due = SEVERITY_DUE[case.severity]
        else:
            case.due = _cycle(DUES, case.due)
        self.relabel()

    def action_submit(self) -> None:
        self.missing = self.run.missing()
        if self.missing:
            self.notify(plural("services.run.missing", len(self.missing)), severity="warning")
            return
        run, cases = self.run, list(self.cases)

        def submit(ws):
            from fieldkit.services.renovation import cannot_pass, deposit_refusal

            refusal = deposit_refusal(ws, run)  # read here too: ctrl+s may beat the review's
            if refusal:
                return AcceptanceRead(cannot_pass(ws, run), refusal, submitting=True)
            view = ws.submit_run(run.id, cases)
            return RunSubmitted(sum(1 for c in cases if c.again is None), view)

        self.fk.saves.put(self, submit)

    def on_run_submitted(self, message: RunSubmitted) -> None:
        from fieldkit.services.renovation import again_done, case_kind

        if message.cases:
            self.notify(plural("ui.finish.done", message.cases))
        else:
            self.notify(t("ui.finish.done_none"))
        for case in self.cases:
            if case.again is not None:
                self.notify(again_done(case.again))
        checklist = self.run.checklist.id
        if any(case_kind(checklist, c.evidence.get("item", "")) == "violation" for c in self.cases):
            here = self.back_on_the_card()
            self.notify(t("renovation.card.notice_here" if here else "renovation.card.notice_next"))
        self.dismiss(message.run)

    def back_on_the_card(self) -> bool:
        """Whether the submit returns to the card of the round's flat (the round was started
        from it), where ``n`` writes the notice: the toast then need not send them there."""
        from fieldkit.ui.screens.runner import RunnerScreen
        from fieldkit.ui.screens.unit_card import UnitCardScreen

        below = [s for s in self.app.screen_stack[:-1] if not isinstance(s, RunnerScreen)]
        target = self.run.target
        return (
            bool(below) and isinstance(below[-1], UnitCardScreen) and target is not None
            and below[-1].target.id == target.id
        )  # fmt: skip


def _due(case: ProposedCase) -> str:
    """The due column: the case's due, or the open violation a fault found again goes to."""
    from fieldkit.services.renovation import deadline_text, keeps

    if case.again is None:
        return due_words(case.due)
    kept = keeps(case.again, time.time())
    due = deadline_text(case.again.due) if kept else due_words(case.due)
    return t("renovation.again.due_cell", ref=case.again.ref, due=due)


def _where(target: Target) -> str:
    """A place as the case list names it (``fieldkit.services.cases.placed``): a building or
    the compound by its name ("2号楼", not "2"), anything else by its code ("EXT-2-1-3")."""
    if target.kind in ("building", "site") and target.name:
        return pick(target.name)
    return target.code
