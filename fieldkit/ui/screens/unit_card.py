"""The unit card: what an inspector needs at a flat's door, opened by scanning its label.

Address; residents with personal values masked (``r`` on a highlighted resident reveals one
field, for a reason, where the device's role may: :mod:`fieldkit.ui.reveal`); special-care flags;
the renovation permit in force with today's permitted hours and whether now is inside them;
the rental registration; open violations with their deadlines; the last inspections; open
cases; open neighbour disputes this flat is on either side of. The applicable checklists
are listed last with the first highlighted, so Enter starts one on this unit (the
renovation site patrol comes first while a permit is in force).

Tab stops at each list that has something to act on (residents, open violations, the last
inspections, checklists), nothing else; with open violations the card opens on them, so ↑ ↓
move the ▶ mark that ``y`` / ``x`` act on, and Enter opens the marked violation. Enter on one
of the last inspections opens it to read (:mod:`fieldkit.ui.screens.inspection`), on a
re-inspection the violation's case; the list holds the flat's whole history, line by line.
``y`` and ``x`` ask first, with room for a note and a photo; the re-inspection then shows
under the last inspections. An acceptance started while violations are open is warned about first.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fieldkit.i18n import catalogue, get_language, known, plural, t
from fieldkit.model import localtime
from fieldkit.reports import dates
from fieldkit.services.lifecycle import status_label
from fieldkit.services.registry import UnitCard
from fieldkit.services.renovation import contractor_name, deadline_text
from fieldkit.services.types import CaseRow, Target, pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.target import ChecklistsFound
from fieldkit.ui.messages.unit_card import CardLoaded, DisputesLoaded, NoticeWritten, Reinspected
from fieldkit.ui.reveal import RevealingScreen
from fieldkit.ui.widgets.case_table import due_text
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread

# The renovation checklists first, in the order a renovation meets them on the job.
FIRST = ("renovation.site_patrol", "renovation.permit_check", "renovation.acceptance")
REFRESH_SECONDS = 60.0
#: Inspections the card lists at a time; the line after them lists the next ones.
INSPECTIONS_SHOWN = 50
MORE = "more"


def _day(epoch: float) -> str:
    return localtime.fmt(epoch)


def care_label(flag: str) -> str:
    """A special-care flag in the current language; a flag this release does not know
    (the office may add some) is shown as the office wrote it."""
    return catalogue(get_language()).get(f"registry.care.{flag}", flag)


#: Roles whose ``n`` on the card writes the rectification notice and whose ``y`` / ``x``
#: record a re-inspection: those the lifecycle file lets move a violation. On any other
#: device (the service desk's first) ``n`` takes a new repair, complaint or dispute for the
#: flat, and the card's keys are the desk's.
INSPECTING = ("renovation", "office")


if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace


class UnitCardScreen(RevealingScreen):
    #: An inspector's device (state ``inspecting``) records re-inspections and writes the
    #: notice (state ``violations``: once there are open ones); on any other (``intake``)
    #: ``n`` takes a new case for the flat and leads.
    KEYS = KeyTable(
        Key("n", help="registry.keys.new_case", bar="registry.keys.new_case_short",
            when=("intake",)),
        Key("r", help="reveals.keys.reveal", bar="registry.keys.reveal_short", when=("intake",)),
        Key("enter", help="registry.keys.start", by="widget"),
        Key("enter", bar="renovation.keys.start", by="widget", when=("starts",)),
        Key("enter", bar="registry.keys.open_inspection", by="widget", when=("opens",)),
        Key("tab", help="registry.keys.move", by="app"),
        key("r", "reveal", "reveals.keys.reveal", when=("inspecting",)),
        key("y", "reinspect(True)", "registry.keys.put_right", "renovation.keys.put_right",
            when=("violations",)),
        key("x", "reinspect(False)", "registry.keys.not_put_right",
            "renovation.keys.not_put_right", when=("violations",)),
        key("n", "n_key", "registry.keys.notice", "renovation.keys.notice",
            when=("violations",)),
        # what y / x / n do once a violation is open, said before there is one
        Key("y", help="renovation.help.put_right", when=("no_violations",)),
        Key("x", help="renovation.help.not_put_right", when=("no_violations",)),
        Key("n", help="renovation.help.notice", when=("no_violations",)),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
        Key("?", bar="ui.keys.help", by="app"),
    )  # fmt: skip

    @property
    def inspecting(self) -> bool:
        """The device's role acts on violations (until the card arrives: not yet known)."""
        return self.card is not None and self.card.role in INSPECTING

    def key_states(self) -> tuple[str, ...]:
        """``violations``: an inspector's card with open violations, where ``y`` ``x`` ``n``
        act (pressed on a card without any, they say there is none); ``opens``: Enter opens
        the earlier inspection chosen, ``starts`` anywhere else."""
        enter = ("opens",) if self._on_inspections() else ("starts",)
        if not self.inspecting:
            return ("intake", *enter)
        assert self.card is not None
        if self.card.violations:
            return ("inspecting", "violations", *enter)
        return ("inspecting", "no_violations", *enter)

    def _on_inspections(self) -> bool:
        found = self.query("#card-inspections")  # none yet while the screen is composed
        return bool(found) and found.first().has_focus

    def on_descendant_focus(self) -> None:
        self.show_keys()

    DEFAULT_CSS = """
    UnitCardScreen #card-body { height: 1fr; padding: 0 1; }
    UnitCardScreen OptionList:disabled { opacity: 100%; }
    UnitCardScreen .card-line { height: auto; padding: 0 1; }
    UnitCardScreen #card-care { color: $warning; text-style: bold; }
    UnitCardScreen #card-residents, UnitCardScreen #card-checklists,
    UnitCardScreen #card-violations, UnitCardScreen #card-inspections {
        height: auto; max-height: 8; border: none;
    }
    """

    def __init__(self, target: Target) -> None:
        super().__init__(classes="target unit-card")
        self.target = target
        self.card: UnitCard | None = None
        self.checklists: list[Any] = []
        self.disputes: tuple[CaseRow, ...] | None = None
        self.acting: str | None = None  # the violation y / x act on
        self.shown_violations: int | None = None  # how many the card showed last
        self.chosen_inspection: str | None = None  # the last inspection line chosen
        #: the round just submitted here (``chosen_inspection``) is not listed yet: a line
        #: highlighted on the list drawn before it (the older round) is not a choice (ren28)
        self.awaiting_round = False
        self.inspections_shown = INSPECTIONS_SHOWN
        self.refocus = False  # a round was just submitted: focus as when the card opened

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="card-head", classes="section-title")
        body = VerticalScroll(id="card-body")
        body.can_focus = False  # Tab stops only at the lists that act
        with body:
            yield Static(id="card-address", classes="card-line")
            yield Static(id="card-care", classes="card-line")
            yield Static(id="card-residents-title", classes="section-title")
            yield OptionList(id="card-residents")
            yield Static(id="card-permit-title", classes="section-title")
            yield Static(id="card-permit", classes="card-line")
            yield Static(id="card-rental", classes="card-line")
            yield Static(id="card-violations-title", classes="section-title")
            yield OptionList(id="card-violations")
            yield Static(id="card-inspections-title", classes="section-title")
            yield OptionList(id="card-inspections")
            yield Static(id="card-cases-title", classes="section-title")
            yield Static(id="card-cases", classes="card-line")
            yield Static(id="card-disputes-title", classes="section-title")
            yield Static(id="card-disputes", classes="card-line")
            yield Static(id="card-checklists-title", classes="section-title")
            yield OptionList(id="card-checklists")
        yield KeyBar(self.bar_keys())

    def on_mount(self) -> None:
        self.relabel()
        self.load()
        self.load_checklists()
        self.set_interval(REFRESH_SECONDS, self.load)

    def on_screen_resume(self) -> None:
        """Back from a run or a case: show what changed."""
        if self.card is not None:
            self.load()

    def load(self) -> None:
        self.load_card()
        self.load_disputes()

    @in_thread(group="card")
    def load_card(self) -> None:
        from fieldkit.services.registry import unit_card

        self.post_message(CardLoaded(unit_card(self.fk.workspace, self.target)))

    @in_thread(group="disputes")
    def load_disputes(self) -> None:
        from fieldkit.services.disputes import for_unit

        self.post_message(DisputesLoaded(for_unit(self.fk.workspace, self.target.id)))

    @in_thread(group="checklists")
    def load_checklists(self) -> None:
        self.post_message(ChecklistsFound(self.fk.workspace.checklists_for(self.target)))

    # -- data arriving -------------------------------------------------------------------

    def on_card_loaded(self, message: CardLoaded) -> None:
        self.card = message.card
        self.relabel()

    def on_disputes_loaded(self, message: DisputesLoaded) -> None:
        self.disputes = message.rows
        self.relabel()

    def on_checklists_found(self, message: ChecklistsFound) -> None:
        self.checklists = sorted(
            message.checklists,
            key=lambda c: (FIRST.index(c.id) if c.id in FIRST else len(FIRST), c.id),
        )
        self.relabel()
        try:
            checklists = self.query_one("#card-checklists", OptionList)
        except NoMatches:
            return
        if self.checklists:
            checklists.highlighted = 0
        if not (self.card is not None and self.card.violations):
            checklists.focus()  # with open violations the card opens on them (_draw)

    # -- drawing -------------------------------------------------------------------------

    def relabel(self) -> None:
        with suppress(NoMatches):  # a late result for a card being closed (popped, app exit)
            self._relabel()

    def _relabel(self) -> None:
        self.show_keys()
        target = self.target
        self.query_one("#card-head", Static).update(
            f"{t('ui.target.unit')}  {target.code}  {pick(target.name)}"
        )
        for name in (
            "residents",
            "permit",
            "violations",
            "inspections",
            "cases",
            "checklists",
        ):
            self.query_one(f"#card-{name}-title", Static).update(t(f"registry.card.{name}"))
        self.query_one("#card-disputes-title", Static).update(t("cases.card.disputes"))
        self.query_one(KeyBar).relabel()
        card = self.card
        if card is None:
            self.query_one("#card-address", Static).update(t("registry.card.loading"))
        else:
            self._draw(card)
        self._draw_checklists()

    def _draw(self, card: UnitCard) -> None:
        self.query_one("#card-address", Static).update(pick(card.address))
        care = "  ".join(f"⚑ {care_label(flag)}" for flag in card.special_care)
        self.query_one("#card-care", Static).update(care)
        self._draw_residents(card)
        self.query_one("#card-permit", Static).update(self._permit_text(card))
        self.query_one("#card-rental", Static).update(self._rental_text(card))
        self._draw_violations(card)
        others = tuple(row for row in card.cases if row.kind != "dispute")  # listed below
        self.query_one("#card-cases", Static).update(
            self._case_lines(others, card.at, "registry.card.no_cases")
        )
        disputes = self.query_one("#card-disputes", Static)
        if self.disputes is not None:
            disputes.update(self._dispute_lines(self.disputes, card.at))
        self._draw_inspections(card)

    def _draw_inspections(self, card: UnitCard) -> None:
        """The flat's inspections, newest first, one a line: ↑ ↓ choose, Enter opens. A long
        history is listed :data:`INSPECTIONS_SHOWN` at a time, its last line offering the
        next ones (a few thousand lines took the screen half a second to lay out). The line
        chosen stays chosen when the card is drawn again (back from one, a refresh)."""
        options = self.query_one("#card-inspections", OptionList)
        options.clear_options()
        rows = card.inspections[: self.inspections_shown]
        lines = [
            Option(
                f"{_day(row.submitted)}  {pick(row.said)}"
                if row.said
                else plural(
                    "registry.card.inspection",
                    row.cases,
                    when=_day(row.submitted),
                    title=pick(row.title) or row.checklist_id,
                    cases=row.cases,
                ),
                id=str(index),
            )
            for index, row in enumerate(rows)
        ]
        left = len(card.inspections) - len(rows)
        if left:
            more = (
                t("registry.card.more_inspections", count=left, next=INSPECTIONS_SHOWN)
                if left > INSPECTIONS_SHOWN
                else plural("registry.card.more_inspections_all", left)
            )
            lines.append(Option(Text(more, style="dim"), id=MORE))
        options.add_options(lines)
        options.can_focus = bool(card.inspections)
        if not card.inspections:
            options.add_option(Option(t("registry.card.no_inspections"), disabled=True))
            return
        ids = [self._inspection_key(row) for row in rows]
        if self.chosen_inspection in ids:
            self.awaiting_round = False
        chosen = self.chosen_inspection  # by what it is: a new round above moves it down
        options.highlighted = ids.index(chosen) if chosen in ids else 0

    def round_done(self, run: Any) -> None:
        """Back from a round submitted here: the card focuses as when it was opened (its
        open violations, else the checklists) and the round just done is the inspection
        chosen, the newest (the line chosen before would stay chosen, moved down)."""
        if run is not None and run.submitted:
            self.refocus = True
            self.chosen_inspection = f"{run.checklist.id}:{run.id}"
            self.awaiting_round = True

    @staticmethod
    def _inspection_key(row: Any) -> str:
        return f"{row.checklist_id}:{row.id}"

    def _draw_residents(self, card: UnitCard) -> None:
        residents = self.query_one("#card-residents", OptionList)
        highlighted = residents.highlighted
        residents.clear_options()
        for resident in card.residents:
            parts = [
                t(f"registry.role.{resident.role}"),
                self.shown(resident.id, "name", resident.name),
                self.shown(resident.id, "phone", resident.phone),
                self.shown(resident.id, "id_number", resident.id_number),
            ]
            line = Text("  ".join(p for p in parts if p))
            for flag in resident.special_care:
                line.append(f"  ⚑ {care_label(flag)}", style="bold")
            residents.add_option(Option(line, id=resident.id))
        residents.can_focus = bool(card.residents)
        if not card.residents:
            residents.add_option(Option(t("registry.card.no_residents"), disabled=True))
        elif highlighted is not None and highlighted < len(card.residents):
            residents.highlighted = highlighted

    def _violation_line(self, row: CaseRow, now: float, acting: bool) -> Text:
        """One violation; the one ``y`` / ``x`` act on is marked, focused or not."""
        line = Text("▶ " if acting else "  ", style="bold")
        line.append(f"#{row.ref}  {pick(row.title)}  ", style="bold" if acting else "")
        line.append(t("registry.card.deadline", due=deadline_text(row.due)) + "  ")
        line.append_text(due_text(row, now))
        return line

    def _draw_violations(self, card: UnitCard) -> None:
        options = self.query_one("#card-violations", OptionList)
        acting = self.acting
        options.clear_options()
        ids = [row.id for row in card.violations]
        if acting not in ids:
            acting = ids[0] if ids else None
        self.acting = acting
        for row in card.violations:
            options.add_option(
                Option(self._violation_line(row, card.at, row.id == acting), id=row.id)
            )
        if not card.violations:
            options.add_option(Option(t("registry.card.no_violations"), disabled=True))
        else:
            options.highlighted = ids.index(acting)
        new = not self.shown_violations or self.refocus  # first draw, none open till now
        last_closed = bool(self.shown_violations) and not card.violations
        was_here = options.has_focus
        options.can_focus = bool(card.violations)
        self.shown_violations = len(card.violations)
        if card.violations and (new or self.focused is None):
            options.focus()  # the open violations are the inspector's work here
        elif not card.violations and (
            last_closed or was_here or self.refocus or self.focused is None
        ):
            self.query_one("#card-checklists", OptionList).focus()  # Enter starts a round
        self.refocus = False

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving in the violations list moves the mark of the one ``y`` / ``x`` act on."""
        card = self.card
        if event.option_list.id == "card-inspections" and card is not None and event.option.id:
            if event.option.id == MORE or self.awaiting_round:
                return
            index = int(event.option.id)
            if index < len(card.inspections):
                self.chosen_inspection = self._inspection_key(card.inspections[index])
            return
        if event.option_list.id != "card-violations" or card is None or not event.option.id:
            return
        if event.option.id == self.acting:
            return
        self.acting = event.option.id
        for index, row in enumerate(card.violations):
            event.option_list.replace_option_prompt_at_index(
                index, self._violation_line(row, card.at, row.id == self.acting)
            )

    def _acceptance_text(self, card: UnitCard) -> Text | None:
        """The last acceptance as it came out: passed or not and why, and the deposit as
        the inspector decided it, with the reason they gave."""
        done = card.acceptance
        if done is None:
            return None
        from fieldkit.services.renovation import acceptance_line

        result = done.result
        line = acceptance_line(result, _day(done.submitted))
        return Text(line, style="bold green" if result.passed else "bold red")

    def _permit_text(self, card: UnitCard) -> Text:
        permit = card.permit
        accepted = self._acceptance_text(card)
        if permit is None:
            out = Text(t("registry.card.no_permit"))
            if accepted is not None:
                out.append("\n")
                out.append_text(accepted)
            return out
        out = Text(
            plural(
                "registry.card.permit_line",
                permit.workers,
                number=permit.number or "—",
                start=permit.start,
                end=permit.end,
                contractor=contractor_name(permit.contractor) or "—",
                workers=permit.workers,
            )
        )
        scope = t("checklists.words.list_sep").join(
            known(f"registry.scope.{s}", s) for s in permit.scope
        )
        out.append("\n" + t("registry.card.scope", scope=scope or "—"))
        if permit.hours_today:
            hours = t("registry.card.hours_today", hours=dates.time_ranges(permit.hours_today))
        else:
            hours = t("registry.card.no_work_today")
        out.append("\n" + hours)
        stopped = card.stopped
        if card.refused is not None:  # the work goes on against the inspector's word
            said = t("renovation.card.refused.now", ref=card.refused.ref,
                     since=localtime.fmt(card.refused.since, "short"))  # fmt: skip
            out.append("  " + said, style="bold red")
        elif stopped is not None:  # until put right, whatever the hours say
            since = localtime.fmt(stopped.since, "short")
            said = t("renovation.card.stop.now", ref=stopped.ref, title=pick(stopped.title),
                     since=since)  # fmt: skip
            out.append("  " + said, style="bold red")
        elif permit.inside_now:
            out.append("  " + t("registry.card.inside_now"), style="bold green")
        else:
            out.append("  " + t("registry.card.outside_now"), style="bold red")
        signed = permit.agreement_signed or t("registry.card.not_signed")
        out.append(
            "\n"
            + t(
                "registry.card.agreement",
                signed=signed,
                deposit=permit.deposit,
                state=(
                    t(f"registry.deposit.{permit.deposit_state}")
                    if permit.to_return is None
                    else t("registry.deposit.to_return", amount=f"{permit.to_return:g}")
                ),
            )
        )
        if accepted is not None:
            out.append("\n")
            out.append_text(accepted)
        return out

    def _rental_text(self, card: UnitCard) -> str:
        rental = card.rental
        if rental is None:
            return ""
        checked = (
            t(
                "registry.card.identity_checked",
                by=rental.identity_checked_by,
                at=rental.identity_checked_at,
            )
            if rental.identity_checked_by and rental.identity_checked_at
            else t("registry.card.identity_unchecked")
        )
        return t(
            "registry.card.rental",
            start=rental.start,
            end=rental.end or "—",
            tenants=rental.tenants,
            checked=checked,
            fee=t(f"registry.fee.{rental.fee_payer}"),
        )

    @staticmethod
    def _case_lines(rows: tuple[CaseRow, ...], now: float, empty: str) -> Text:
        if not rows:
            return Text(t(empty))
        out = Text()
        for n, row in enumerate(rows):
            if n:
                out.append("\n")
            out.append(f"#{row.ref}  {pick(row.title)}  ")
            out.append(t("desk.card.due", due=dates.deadline(row.due)) + "  ")  # not 整改: a case
            out.append_text(due_text(row, now))
        return out

    @staticmethod
    def _dispute_lines(rows: tuple[CaseRow, ...], now: float) -> Text:
        if not rows:
            return Text(t("cases.card.no_disputes"))
        out = Text()
        for n, row in enumerate(rows):
            if n:
                out.append("\n")
            out.append(f"#{row.ref}  {pick(row.title)}  {row.target}  ")
            out.append(status_label(row.kind, row.status) + "  ")
            out.append_text(due_text(row, now))
        return out

    def _draw_checklists(self) -> None:
        options = self.query_one("#card-checklists", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for index, info in enumerate(self.checklists):
            options.add_option(Option(pick(info.title), id=str(index)))
        if not self.checklists:
            options.add_option(Option(t("ui.target.no_checklists"), disabled=True))
        elif highlighted is not None and highlighted < len(self.checklists):
            options.highlighted = highlighted

    # -- keys ----------------------------------------------------------------------------

    def _violation(self) -> CaseRow | None:
        card = self.card
        if card is None or not card.violations:
            self.notify(t("registry.card.no_violations"), severity="warning")
            return None
        return next((r for r in card.violations if r.id == self.acting), card.violations[0])

    def action_reinspect(self, rectified: bool) -> None:
        """Record the re-inspection of the marked violation, once confirmed, with a note
        and a photo if the inspector gives them: put right (closes it) or not (escalates
        it once its deadline has passed; before then the owner still has time, and it says so)."""
        row = self._violation()
        if row is None:
            return
        from fieldkit.services.registry import RegistryError
        from fieldkit.services.renovation import (
            PHOTO_TO_CLOSE,
            check_may_escalate,
            check_put_right,
            photo_file,
            reinspect,
        )

        if not rectified:
            try:
                check_may_escalate(row.due)
            except RegistryError as refused:  # said before a note is written, not after
                self.notify(refused.message(), severity="warning")
                return
        from fieldkit.ui.dialogs.form import Field, FormDialog

        case_id = row.id
        added = self.card is not None and case_id in self.card.photographed

        def answered(values: dict[str, str] | None) -> None:
            if values is None:
                return
            note, photo = values.get("note", ""), values.get("photo", "")
            self.fk.saves.put(
                self,
                lambda ws: Reinspected(
                    reinspect(ws, case_id, rectified, note=note, photo=photo), row
                ),
            )

        def photo(text: str) -> None:
            photo_file(text)

        def rule(values: dict[str, str]) -> None:
            if rectified:  # the photo of a major one may already be on the case (p there)
                check_put_right(row.severity, values.get("note", ""),
                                bool(values.get("photo", "").strip()) or added)  # fmt: skip

        key = "put_right" if rectified else "not_put_right"
        wants_photo = rectified and row.severity in PHOTO_TO_CLOSE and not added
        fields = (
            Field("note", "renovation.reinspect.ask.note" if rectified
                  else "renovation.reinspect.note", required=False),
            Field("photo", "renovation.reinspect.ask.photo" if wants_photo
                  else "renovation.reinspect.photo", required=False, check=photo),
        )  # fmt: skip
        self.app.push_screen(
            FormDialog(f"renovation.reinspect.{key}", fields=fields, check=rule, ref=row.ref,
                       fault=pick(row.title)),
            answered,
        )  # fmt: skip

    def on_reinspected(self, message: Reinspected) -> None:
        result, row = message.result, message.row
        key = "renovation.card.closed" if result.status == "closed" else "renovation.card.escalated"
        self.notify(t(key, ref=row.ref, due=deadline_text(result.due), level=result.escalations))
        self.load()

    def action_n_key(self) -> None:
        """``n``: the rectification notice on an inspector's device, a new case for this
        flat on the others'."""
        if self.card is None:
            return
        if self.inspecting:
            self.action_notice()
            return
        from fieldkit.ui.screens.intake import IntakeScreen

        self.app.push_screen(IntakeScreen(unit=self.target))

    def action_notice(self) -> None:
        """Write the rectification notice for every open violation of this flat."""
        card = self.card
        if card is None or not card.violations:
            self.notify(t("registry.card.no_violations"), severity="warning")
            return
        ids = [row.id for row in card.violations]
        self.fk.saves.put(self, lambda ws: _notice(ws, ids))

    def on_notice_written(self, message: NoticeWritten) -> None:
        """Said with the notice's deadline, or its first and last where its faults have
        their own, and the card read again (nc17: it kept an old date until reopened)."""
        dues, path = message.dues, str(message.path)
        if len(dues) > 1:
            self.notify(t("registry.card.notice_sent_each", path=path, first=dues[0],
                          last=dues[-1]))  # fmt: skip
        else:
            self.notify(t("registry.card.notice_sent", path=path, due=dues[0] if dues else "—"))
        self.load_card()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "card-violations" and event.option.id:
            from fieldkit.ui.screens.case_detail import CaseDetailScreen

            self.app.push_screen(CaseDetailScreen(event.option.id))
            return
        if event.option_list.id == "card-inspections" and event.option.id == MORE:
            self._more_inspections()
            return
        if event.option_list.id == "card-inspections" and event.option.id:
            self._open_inspection(int(event.option.id))
            return
        if event.option_list.id != "card-checklists" or event.option.id is None:
            return
        from fieldkit.services.registry import ACCEPTANCE
        from fieldkit.ui.screens.runner import RunnerScreen

        info = self.checklists[int(event.option.id)]
        target = self.target

        def start(yes: bool | None = True) -> None:
            if yes:
                self.app.push_screen(RunnerScreen(checklist_id=info.id, target=target),
                                     self.round_done)  # fmt: skip

        open_now = self.card.violations if self.card is not None else ()
        if info.id == ACCEPTANCE and open_now:
            from fieldkit.ui.dialogs.confirm import ConfirmDialog

            refs = t("checklists.words.list_sep").join(f"#{row.ref}" for row in open_now)
            self.app.push_screen(
                ConfirmDialog("renovation.acceptance.warn", count=len(open_now), refs=refs), start
            )
            return
        start()

    def _more_inspections(self) -> None:
        """Enter on the last line of a long history: the next ones listed, the first of
        them chosen."""
        card = self.card
        if card is None:
            return
        first = self.inspections_shown
        self.inspections_shown += INSPECTIONS_SHOWN
        if first < len(card.inspections):
            self.chosen_inspection = self._inspection_key(card.inspections[first])
        self._draw_inspections(card)

    def _open_inspection(self, index: int) -> None:
        """Enter on one of the last inspections: the round, to read; a re-inspection (made
        with ``y`` / ``x``, no round of its own) opens the violation's case."""
        card = self.card
        if card is None or index >= len(card.inspections):
            return
        row = card.inspections[index]
        if row.case:
            from fieldkit.ui.screens.case_detail import CaseDetailScreen

            self.app.push_screen(CaseDetailScreen(row.case))
            return
        from fieldkit.ui.screens.inspection import InspectionScreen

        self.app.push_screen(InspectionScreen(row.id))

    def action_reveal(self) -> None:
        """Reveal one field of the highlighted resident, for a reason (recorded first)."""
        card = self.card
        if card is None or not card.residents:
            return
        residents = self.query_one("#card-residents", OptionList)
        index = residents.highlighted if residents.highlighted is not None else 0
        self.ask_reveal(card.residents[min(index, len(card.residents) - 1)].id)

    def redraw_revealed(self) -> None:
        if self.card is not None:
            with suppress(NoMatches):
                self._draw_residents(self.card)


def _notice(ws: Workspace, ids: list[str]) -> NoticeWritten:
    from fieldkit.services.cases import epoch
    from fieldkit.services.renovation import deadline_text, printable, send_notice

    path = send_notice(ws, ids)
    page = printable(path, get_language())
    path = page if page.exists() else path  # the page to print, where the fonts made it
    cases = [ws.store.get_case(i) for i in ids]
    dues = sorted({epoch(c.due) for c in cases if c is not None and c.due})
    return NoticeWritten(path, tuple(deadline_text(d) for d in dues))
