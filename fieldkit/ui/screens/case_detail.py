"""One case: its routing, its event history, and moves along its lifecycle.

A neighbour dispute also shows both flats (owners masked), each side's statements (who gave
them masked, as the contact rows are) and any referral to the residents' committee or the
police station; ``s`` takes a statement, ``r`` logs a referral and ``n`` reveals one
person's name, for a reason, recorded first, on this screen only. ``f`` lists the case's
photos to open or write out; ``d`` sends the case to a department and a person (again: a
reassignment).

What the owner said (description, urgency, how to contact them) is shown first; the history
reads as sentences (:mod:`fieldkit.services.history`) with the person who did each step. A
move key this role cannot use says why and what can be done, never nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from fieldkit.i18n import as_label, known, t
from fieldkit.i18n.roles import role_name, role_names
from fieldkit.model import localtime
from fieldkit.model.personal import REVEAL_RULES
from fieldkit.reports import dates
from fieldkit.services import callback, disputes, history, intake
from fieldkit.services.callback import Contact
from fieldkit.services.cases import DONE, WAITING, check_text, due_words, kind_word
from fieldkit.services.disputes import DisputeView
from fieldkit.services.findings import FindingView
from fieldkit.services.lifecycle import NOT_ANSWERED, parse_follow_up, status_label
from fieldkit.services.types import CaseView, pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.case_detail import (
    AssigneesFound,
    CaseLoaded,
    ContactsFound,
    DisputeLoaded,
    FindingLoaded,
    PhotosCounted,
    ReferralSaved,
    StatementSaved,
)
from fieldkit.ui.reveal import RevealingScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace


def when(ts: float) -> str:
    if ts == float("inf"):  # no due time yet
        return "—"
    return localtime.fmt(ts)


#: The call-back dialog's key for a call nobody answered (its question says it).
NO_ANSWER_KEY = ("ctrl+n", NOT_ANSWERED)


def followed_up_said(results: list, case: CaseView) -> str:
    """What a saved call-back says: each score as the history words it, and where the case
    now is (已回访, or back to be handled again, by its new deadline, when the owner was not
    satisfied)."""
    scores = t("desk.history.sep").join(
        t(
            "desk.followup.score_side" if r.side else "desk.followup.score",
            verdict=t(f"desk.history.{'satisfied' if r.satisfied else 'dissatisfied'}"),
            score=r.score,
            side=t(f"desk.history.side_{r.side}") if r.side else "",
        )
        for r in results
    )
    status = status_label(case.kind, case.row.status)
    back = not all(r.satisfied for r in results)
    return t("desk.followup.saved_back" if back else "desk.followup.saved",
             scores=scores, status=status, due=dates.deadline(case.row.due))  # fmt: skip


def reopened_said(case: CaseView) -> str:
    """What a reopening says once saved: where the case went back to, and by when it is now
    due (the deadline starts again from now, by its urgency)."""
    status = status_label(case.kind, case.row.status)
    return t("desk.moves.reopened_said", status=status, due=dates.deadline(case.row.due))


class CaseDetailScreen(RevealingScreen):
    #: The bar and help list only the keys that act on the case shown (``key_states``); the
    #: others still answer, saying why not. The case's main actions come first, so a bar
    #: too narrow for all (80 columns in English) keeps them and gives up the rest to "…";
    #: while the history is below the screen, the bar says PgDn reaches it (nc21: the bar
    #: ended "a note …" and nothing said the history was there). An open dispute's
    #: statement and referral keys take the photos key's place, the name key before them
    #: (nc28: in English the bar ended "s statement …" and n, the key the task needed,
    #: was not on it).
    KEYS = KeyTable(
        Key("1-9", help="ui.keys.move_case", bar="desk.bar.move", when=("moves",),
            binds=tuple((str(n), f"move({n})") for n in range(1, 10))),
        key("d", "dispatch", "desk.keys.dispatch", "desk.bar.dispatch", when=("open",)),
        key("a", "note('note')", "ui.keys.add_note", "desk.bar.note", when=("shown",)),
        key("p", "note('photo')", "ui.keys.add_photo", when=("shown",)),
        Key("p", bar="desk.bar.add_photo", when=("roomy",)),
        key("c", "call", "desk.keys.call", "desk.bar.call", when=("call",)),
        key("n", "name", "cases.keys.reveal_name", "desk.bar.name", when=("names",)),
        key("s", "statement", "cases.keys.statement", "desk.bar.statement",
            when=("open_dispute",)),
        key("r", "referral", "cases.keys.referral", "desk.bar.referral",
            when=("open_dispute",)),
        key("f", "photos", "cases.keys.photos", when=("shown",)),
        Key("f", bar="desk.bar.photos", when=("roomy",)),
        Key("pgdn / pgup", help="desk.keys.history", by="widget", when=("shown",)),
        Key("pgdn", bar="desk.bar.history", by="widget", when=("below",)),
        key("esc", "app.pop_screen", "ui.keys.back", "ui.keys.back", bind="escape"),
    )  # fmt: skip

    def __init__(self, case_id: str) -> None:
        super().__init__(name="case-detail")
        self.case_id = case_id
        self.case: CaseView | None = None
        self.dispute: DisputeView | None = None
        self.photo_count: int | None = None
        self.finding: FindingView | None = None
        self.contacts: tuple[Contact, ...] = ()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="case-body"):
            yield Static(id="case-head")
            yield Static(id="case-moves")
            yield Static(id="case-dispute")
            yield Static(id="case-photos")
            yield Static(id="case-events")
        yield KeyBar(self.bar_keys())

    def key_states(self) -> tuple[str, ...]:
        """Which keys act on the case shown: moves only while there is one this role may
        make, dispatch only while the case is not finished, statements and referrals only
        on a dispute still open, the call-back only where an owner is on record and this
        role may reveal a phone number, a name's reveal while a dispute names someone; only
        Esc while the case is read."""
        case = self.case
        if case is None:
            return ()
        done = case.row.status in DONE
        open_dispute = case.kind == disputes.KIND and not done
        body = self.query_one("#case-body")
        held = {"shown": True, "moves": bool(case.next_statuses), "open": not done,
                "open_dispute": open_dispute, "call": bool(self.contacts) and self.may_call,
                "names": bool(self.named()), "roomy": not open_dispute,
                "below": body.scroll_y < body.max_scroll_y}  # fmt: skip
        return tuple(state for state, holds in held.items() if holds)

    def choice_count(self) -> int:
        """The move key named as many as there are: 1 for one move, 1-3 for three."""
        return len(self.case.next_statuses) if self.case is not None else 0

    @property
    def may_call(self) -> bool:
        return "phone" in REVEAL_RULES.get(self.case.role if self.case else "", {})

    def on_mount(self) -> None:
        body = self.query_one("#case-body")
        for laid_out in ("scroll_y", "virtual_size", "size"):  # scrolled, grown, resized
            self.watch(body, laid_out, self._scrolled, init=False)
        self.relabel()
        self.load_case()

    def _scrolled(self, _value: object) -> None:
        """The history below the screen or read to its end: the bar points at it, or not."""
        self.show_keys()

    @in_thread(group="case")
    def load_case(self) -> None:
        self.post_message(CaseLoaded(self.fk.workspace.case(self.case_id)))

    def on_case_loaded(self, message: CaseLoaded) -> None:
        """The case read, or as a change left it (a move, a dispatch, a note)."""
        if message.case is None:
            self.notify(t("services.case.not_found"), severity="error")
            return
        self.case = message.case
        self.relabel()
        self._load_extras()
        if message.said is not None:
            self.notify(message.said(message.case))

    def _load_extras(self) -> None:
        """The dispute's sides and statements, how many photos, what a round found and
        whom to phone back: read after the case."""
        if self.case is not None and self.case.kind == disputes.KIND:
            self.load_dispute()
        self.count_photos()
        self.load_finding()
        self.load_contacts()

    @in_thread(group="contacts")
    def load_contacts(self) -> None:
        self.post_message(ContactsFound(callback.contacts(self.fk.workspace, self.case_id)))

    def on_contacts_found(self, message: ContactsFound) -> None:
        self.contacts = message.contacts
        self.relabel()

    def redraw_revealed(self) -> None:
        self.relabel()

    @in_thread(group="dispute")
    def load_dispute(self) -> None:
        self.post_message(DisputeLoaded(disputes.view(self.fk.workspace, self.case_id)))

    @in_thread(group="photos")
    def count_photos(self) -> None:
        from fieldkit.services import photos

        count = len(photos.case_photos(self.fk.workspace.store, self.case_id))
        self.post_message(PhotosCounted(count))

    @in_thread(group="finding")
    def load_finding(self) -> None:
        from fieldkit.services import findings

        self.post_message(FindingLoaded(findings.view(self.fk.workspace.store, self.case_id)))

    def on_finding_loaded(self, message: FindingLoaded) -> None:
        self.finding = message.finding
        self.relabel()

    def on_dispute_loaded(self, message: DisputeLoaded) -> None:
        self.dispute = message.dispute
        self.relabel()

    def on_photos_counted(self, message: PhotosCounted) -> None:
        self.photo_count = message.count
        self.relabel()

    def change(
        self,
        fn: Callable[[Workspace, str], CaseView],
        said: Callable[[CaseView], str] | None = None,
    ) -> None:
        """A change to the case (``fn(ws, case_id)``, which returns it changed) on the saver;
        ``said``: what the person is told once it is saved, from the case as it left it."""
        case_id = self.case_id
        self.fk.saves.put(self, lambda ws: CaseLoaded(fn(ws, case_id), said))

    def relabel(self) -> None:
        self.show_keys()
        self.query_one(KeyBar).relabel()
        case = self.case
        if case is None:
            self.query_one("#case-head", Static).update(t("ui.home.loading"))
            return
        row = case.row
        head = Table.grid(padding=(0, 2))
        head.add_column(style="bold")
        head.add_column()
        head.add_row(t("ui.case.number"), f"#{row.ref}  {pick(row.title)}")
        found = self.finding if self.finding is not None and self.finding.inspection else None
        self._evidence(head)
        if found is None or not found.place:
            head.add_row(t("ui.case.target"), pick(row.target))
        if case.category:
            head.add_row(t("desk.detail.category"), pick(case.category))
        if case.description and found is None:  # a round's: the note and remarks, shown above
            said = "caller_said" if any(p.caller for p in self.contacts) else "description"
            head.add_row(t(f"desk.detail.{said}"), Text(pick(case.description), overflow="fold"))
        if case.urgency:
            urgency = intake.case_urgency_words(case.kind, case.urgency, row.due)
            head.add_row(t("desk.detail.urgency"), urgency)
        if case.contact:
            contact = as_label(t(f"lifecycle.ui.contact.{case.contact}"))  # Phone call, WeChat
            head.add_row(t("desk.detail.contact"), contact)
        for person in self.contacts:
            head.add_row(*self._contact_row(person))
        department = t(f"ui.department.{row.department}") if row.department else "—"
        head.add_row(t("ui.case.department"), department)
        if case.assignee:
            head.add_row(t("desk.detail.assignee"), case.assignee)
        elif row.department and row.status not in DONE:
            head.add_row(t("desk.detail.assignee"), t("desk.detail.no_person"))
        head.add_row(t("ui.case.severity"), as_label(t(f"ui.severity.{row.severity}")))
        head.add_row(t("ui.case.status"), status_label(row.kind, row.status))
        due = dates.deadline(row.due)
        if row.overdue:
            due += "  " + t("ui.case.overdue")
        elif row.due != float("inf") and row.status not in WAITING:
            due += "  " + due_words(row.due, time.time())  # as the case list says it
        head.add_row(t("ui.case.due"), due)
        head.add_row(t("ui.case.created"), when(case.created))
        if case.created_by and found is None:  # a round's finder is shown above
            head.add_row(t("desk.detail.raised_by"), case.created_by)
        self.query_one("#case-head", Static).update(head)
        moves = "   ".join(
            f"[reverse] {n} [/] {self._move_label(status)}"
            for n, status in enumerate(case.next_statuses, 1)
        )
        self.query_one("#case-moves", Static).update(moves or self._why_no_move())
        self._draw_dispute()
        photos = self.query_one("#case-photos", Static)
        photos.display = self.photo_count is not None
        if self.photo_count:
            photos.update(t("cases.detail.photos", count=self.photo_count))
        else:
            photos.update(t("cases.detail.no_photos"))
        events = Table(title=t("ui.case.history"), expand=True, show_edge=False)
        events.add_column(t("ui.case.when"), no_wrap=True)
        events.add_column(t("desk.detail.who"), no_wrap=True)
        # the sentence takes the width left and wraps, whole: a long note is read to its end
        events.add_column(t("ui.case.what"), ratio=1, overflow="fold")
        names = {found["name"] for found in self.revealed.values() if found.get("name")}
        said = history.sentences(row.kind, case.events, names=names)
        for event, what in zip(case.events, said, strict=True):
            events.add_row(when(event.at), event.by or "—", what)
        self.query_one("#case-events", Static).update(events)

    def _contact_row(self, person: Contact) -> tuple[str, str]:
        """``业主  甲方 3-2-502 杨**  138****5678`` (the phone in full while revealed); the
        caller kept on the case reads ``来电人  2-1-1502  王**  139****5678``."""
        side = t(f"cases.side.{person.side}") + " " if person.side else ""
        phone = self.shown(person.resident_id, "phone", person.phone) or "—"
        name = self.shown(person.resident_id, "name", person.name)
        label = t("desk.detail.caller" if person.caller else "desk.detail.owner")
        return label, f"{side}{person.where}  {name}  {phone}"

    def _move_label(self, status: str) -> str:
        """``→ 已派工`` for a step on; a step back (rework, reopening) says it goes back."""
        assert self.case is not None
        label = status_label(self.case.kind, status)
        if status in self.case.reopens:
            return t("desk.moves.back", status=label)
        return f"→ {label}"

    def _evidence(self, head: Table) -> None:
        """What a round found and who found it: the answer, what was expected, the note,
        the round, the place and the asset (a case no round raised has none of these)."""
        found = self.finding
        if found is None or not found.inspection:
            return
        if found.has_answer and pick(found.answer):
            head.add_row(t("findings.detail.answer"), pick(found.answer))
        if pick(found.expected):
            head.add_row(t("findings.detail.expected"), pick(found.expected))
        if found.note:
            head.add_row(t("findings.detail.note"), found.note)
        for label, text in found.remarks:
            head.add_row(pick(label), pick(text))
        head.add_row(t("findings.detail.by"), found.by or t("findings.detail.nobody"))
        if found.inspection:
            title = pick(found.checklist)
            head.add_row(t("findings.detail.round"), f"{title}  #{found.inspection[-6:]}".strip())
        if found.place:
            head.add_row(t("findings.detail.place"), found.place)
        if found.asset:
            head.add_row(t("findings.detail.asset"), found.asset)

    def _why_no_move(self) -> str:
        """No move for this role: the case is finished, or it waits on another role."""
        case = self.case
        assert case is not None
        status = status_label(case.kind, case.row.status)
        if not case.movers:
            return t("desk.moves.final", status=status)
        return t(
            "desk.moves.blocked",
            role=role_name(case.role),
            kind=t(f"desk.kind.{kind_word(case.kind, case.row.category)}"),
            status=status,
            roles=role_names(case.movers),
        )

    def _draw_dispute(self) -> None:
        box = self.query_one("#case-dispute", Static)
        dispute = self.dispute
        box.display = dispute is not None
        if dispute is None:
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(overflow="fold")  # a long statement wraps, whole, in either language
        grid.add_row(Text(t("cases.detail.sides"), style="bold"))
        for side in dispute.sides:
            ids = side.owner_ids or ("",) * len(side.owners)
            owners = t("checklists.words.list_sep").join(
                self.shown(rid, "name", name) for rid, name in zip(ids, side.owners, strict=True)
            ) or t("cases.detail.no_owners")
            grid.add_row(t("cases.detail.side_line", side=t(f"cases.side.{side.key}"),
                           where=side.where, name=pick(side.name), owners=owners))  # fmt: skip
        if self.named():  # n is said here: a dispute's bar at 80 columns has no room for it
            grid.add_row(Text(t("cases.detail.names_hint"), style="dim"))
        grid.add_row(Text(t("cases.detail.statements"), style="bold"))
        where = {side.key: side.where for side in dispute.sides}
        for said in dispute.statements:  # in the order they were given; who has not, after
            line = t("cases.detail.statement", when=when(said.at),
                     side=t(f"cases.side.{said.side}"),
                     where=said.where or where.get(said.side, ""),
                     who=self.shown(said.person, "name", said.who),
                     relation=t(f"cases.relation.{said.relation}"), text=said.text)  # fmt: skip
            grid.add_row(Text(line + self._late(said.at, said.recorded)))
        for side in dispute.sides:
            if not dispute.heard(side.key):
                grid.add_row(t("cases.detail.no_statement", side=t(f"cases.side.{side.key}")))
        grid.add_row(Text(t("cases.detail.referrals"), style="bold"))
        for ref in dispute.referrals:
            line = t("cases.detail.referral", when=when(ref.at), body=t(f"cases.body.{ref.body}"),
                     who=ref.who, reference=ref.reference or t("cases.detail.no_reference"),
                     outcome=ref.outcome or t("cases.detail.no_outcome"))  # fmt: skip
            grid.add_row(Text(line + self._late(ref.at, ref.recorded)))
        if not dispute.referrals:
            grid.add_row(t("cases.detail.no_referrals"))
        box.update(grid)

    @staticmethod
    def _late(at: float, recorded: float) -> str:
        """`` （补记，12-06 15:20 录入）`` for a statement typed after the time it names."""
        if recorded and recorded > at + disputes.LATE_AFTER:
            return t("desk.history.late", when=localtime.fmt(recorded, "short"))
        return ""

    def action_call(self) -> None:
        """Phone an owner back (回访, a question): reveal the phone number of the flat's
        owner here, for a reason, as the unit card would — one owner straight away, else
        the owner picked by number."""
        if self.case is None:
            return
        if not self.may_call:
            from fieldkit.services.reveals import who_may

            self.notify(t("desk.callback.not_role", role=role_name(self.case.role),
                          who=who_may("phone")), severity="warning")  # fmt: skip
            return
        if not self.contacts:
            self.notify(t("desk.callback.none"), severity="warning")
            return
        if len(self.contacts) == 1:
            self.ask_reveal(self.contacts[0].resident_id, items=callback.NEEDS)
            return
        from fieldkit.ui.dialogs.form import Choice, FormDialog

        people = self.contacts
        labels = tuple(
            (
                p.resident_id,
                "desk.detail.caller"
                if p.caller
                else f"cases.side.{p.side}"
                if p.side
                else "desk.detail.owner",
            )
            for p in people
        )
        pick_one = Choice("who", "desk.callback.which", labels,
                          tuple(f"{p.where} {p.name}" for p in people))  # fmt: skip

        def chosen(values: dict[str, str] | None) -> None:
            if values:
                self.ask_reveal(values["who"], items=callback.NEEDS)

        self.app.push_screen(FormDialog("desk.callback.title", (pick_one,)), chosen)

    def named(self) -> tuple[tuple[str, str, str], ...]:
        """Whose name a dispute shows masked, once each: (id to reveal, catalogue key of
        who they are, flat and masked name) — the caller and the owners of the contact
        rows, then who gave a statement."""
        if self.dispute is None:
            return ()
        people: dict[str, tuple[str, str, str]] = {}
        for p in self.contacts:
            label = "desk.detail.caller" if p.caller else "desk.detail.owner"
            side = t(f"cases.side.{p.side}") if p.side else ""
            people[p.resident_id] = (p.resident_id, label, f"{side} {p.where} {p.name}".strip())
        for said in self.dispute.statements:
            if said.person and said.person not in people:
                detail = t("cases.reveal_name.said", side=t(f"cases.side.{said.side}"),
                           where=said.where, who=said.who,
                           relation=t(f"cases.relation.{said.relation}"))  # fmt: skip
                people[said.person] = (said.person, "cases.reveal_name.speaker", detail)
        return tuple(people.values())

    def action_name(self) -> None:
        """Reveal one name a dispute shows masked (who gave a statement, an owner, the
        caller), for a reason, recorded first, as the call-back reveals a phone number."""
        people = self.named()
        if not people:
            self._not_dispute()
            return
        if len(people) == 1:
            self.ask_reveal(people[0][0], items=("name",))
            return
        from fieldkit.ui.dialogs.form import Choice, FormDialog

        pick_one = Choice("who", "cases.reveal_name.which",
                          tuple((rid, label) for rid, label, _ in people),
                          tuple(detail for _, _, detail in people))  # fmt: skip

        def chosen(values: dict[str, str] | None) -> None:
            if values:
                self.ask_reveal(values["who"], items=("name",))

        self.app.push_screen(FormDialog("cases.reveal_name.title", (pick_one,)), chosen)

    def _not_dispute(self) -> None:
        if self.case is not None and self.case.kind != disputes.KIND:
            self.notify(t("cases.dispute.not_dispute"), severity="warning")

    def action_photos(self) -> None:
        from fieldkit.ui.dialogs.photos import PhotosDialog

        if self.case is not None:
            self.app.push_screen(PhotosDialog(self.case_id, self.case.row.ref))

    def action_statement(self) -> None:
        """Take one side's statement: side and relation by key, who, what, when."""
        dispute = self.dispute
        if dispute is None:
            self._not_dispute()
            return
        from fieldkit.ui.dialogs.form import Choice, Field, FormDialog

        sides = Choice("side", "cases.form.statement_side",
                       tuple((s.key, f"cases.side.{s.key}") for s in dispute.sides),
                       tuple(s.where for s in dispute.sides))  # fmt: skip
        relations = tuple((r, f"cases.relation.{r}") for r in disputes.RELATIONS)
        relation = Choice("relation", "cases.form.statement_relation", relations)
        fields = (
            Field("who", "cases.form.statement_who"),
            Field("text", "cases.form.statement_text"),
            Field("when", "cases.form.when", required=False, check=disputes.parse_when),
        )

        def save(values: dict[str, str] | None) -> None:
            if values is None:
                return
            case_id = self.case_id
            self.fk.saves.put(
                self,
                lambda ws: StatementSaved(disputes.add_statement(
                    ws.store, case_id, values["side"], values["who"], values["text"],
                    relation=values["relation"], when=values["when"], by=ws.actor,
                )),
            )  # fmt: skip

        self.app.push_screen(
            FormDialog("cases.form.statement_title", (sides, relation), fields), save
        )

    def action_referral(self) -> None:
        """Log that the residents' committee or the police station was brought in."""
        if self.dispute is None:
            self._not_dispute()
            return
        from fieldkit.ui.dialogs.form import Choice, Field, FormDialog

        body = Choice("body", "cases.form.referral_body",
                      tuple((b, f"cases.body.{b}") for b in disputes.BODIES))  # fmt: skip
        fields = (
            Field("who", "cases.form.referral_who"),
            Field("reference", "cases.form.referral_reference", required=False),
            Field("outcome", "cases.form.referral_outcome", required=False),
            Field("when", "cases.form.when", required=False, check=disputes.parse_when),
        )

        def save(values: dict[str, str] | None) -> None:
            if values is None:
                return
            case_id = self.case_id
            self.fk.saves.put(
                self,
                lambda ws: ReferralSaved(disputes.log_referral(
                    ws.store, case_id, values["body"], values["who"], reference=values["reference"],
                    outcome=values["outcome"], when=values["when"], by=ws.actor,
                ), values["body"]),
            )  # fmt: skip

        self.app.push_screen(FormDialog("cases.form.referral_title", (body,), fields), save)

    def on_statement_saved(self, _message: StatementSaved) -> None:
        self.notify(t("cases.form.saved_statement"))
        self.load_case()

    def on_referral_saved(self, message: ReferralSaved) -> None:
        self.notify(t("cases.form.saved_referral", body=t(f"cases.body.{message.body}")))
        self.load_case()

    def action_move(self, n: int) -> None:
        """Make the n-th move; ask first for what the lifecycle file says it needs."""
        if self.case is None:
            return
        if n > len(self.case.next_statuses):
            self._refuse_move(n)
            return
        from fieldkit.ui.dialogs.ask import AskDialog

        status = self.case.next_statuses[n - 1]
        needs = self.case.move_needs.get(status, ())
        label = status_label(self.case.kind, status)
        if "department" in needs and not self.case.row.department:
            self._dispatch()
        elif "followup" in needs and self.dispute is not None and len(self.dispute.sides) > 1:
            self._follow_up_sides([s.key for s in self.dispute.sides], {})
        elif "followup" in needs:

            def with_score(answer: str | None) -> None:
                if answer is not None:
                    self._follow_up(answer)

            caller = next((p for p in self.contacts if p.caller), None)
            example = known(f"desk.followup.example.{self.case.kind}", "") or t(
                "desk.followup.example.other"
            )
            if caller is not None:  # the person who called is the one to ring back
                phone = self.shown(caller.resident_id, "phone", caller.phone)  # revealed?
                who = "  ".join(part for part in (caller.name, phone) if part)
                asked = AskDialog("desk.callback.ask_score_caller", check=parse_follow_up,
                                  counted=True, key_answer=NO_ANSWER_KEY, caller=who,
                                  example=example)  # fmt: skip
            else:
                asked = AskDialog("ui.case.ask_score", check=parse_follow_up, counted=True,
                                  key_answer=NO_ANSWER_KEY, example=example)  # fmt: skip
            self.app.push_screen(asked, with_score)
        elif "note" in needs:
            if self.case.kind == "violation" and status == "resolved":
                from fieldkit.i18n import UserError
                from fieldkit.services.renovation import check_put_right_photo

                added = any(e.kind == "photo" for e in self.case.events)
                try:  # said before the note is typed, not after
                    check_put_right_photo(self.case.row.severity, added, on_case=True)
                except UserError as refused:
                    self.notify(refused.message(), severity="warning")
                    return

            def with_note(note: str | None) -> None:
                if note is not None:
                    self._move(status, note)

            asked = f"ui.case.move_note.{self.case.kind}.{status}"  # what this move records
            asked = asked if known(asked, "") else "ui.case.ask_move_note"
            self.app.push_screen(
                AskDialog(asked, required=True, check=check_text, counted=True, to=label),
                with_note,
            )
        elif status in DONE:  # nothing asked, and it cannot be undone: one more key first
            from fieldkit.ui.dialogs.confirm import ConfirmDialog

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._move(status, "")

            ref = self.case_id[-6:]
            self.app.push_screen(ConfirmDialog("desk.moves.ask_final", ref=ref, to=label),
                                 confirmed)  # fmt: skip
        else:
            self._move(status, "")

    def _refuse_move(self, n: int) -> None:
        """A move key with no move behind it: say why, and what can be done instead."""
        case = self.case
        assert case is not None
        if not case.next_statuses:
            self.notify(self._why_no_move(), severity="warning")
            return
        sep = t("checklists.words.list_sep")
        allowed = sep.join(
            f"{k} {self._move_label(s)}" for k, s in enumerate(case.next_statuses, 1)
        )
        self.notify(t("desk.moves.no_such", n=n, allowed=allowed), severity="warning")

    def action_dispatch(self) -> None:
        if self.case is None:
            return
        if self.case.row.status in DONE:
            status = status_label(self.case.kind, self.case.row.status)
            self.notify(t("desk.dispatch.finished", status=status), severity="warning")
            return
        self._dispatch()

    def _dispatch(self) -> None:
        """Choose a department, then the person in it, then dispatch (the due time follows
        the urgency; the move is the one dispatching makes). On a case already dispatched
        this is a reassignment, and the history names who had it before."""
        from fieldkit.model import DEPARTMENTS
        from fieldkit.ui.dialogs.form import Choice, FormDialog

        options = tuple((d, f"ui.department.{d}") for d in DEPARTMENTS)
        choice = Choice("department", "cases.form.dispatch_department", options)

        def chosen(values: dict[str, str] | None) -> None:
            if not values:
                return

            self.find_assignees(values["department"])

        self.app.push_screen(FormDialog("cases.form.dispatch_title", (choice,)), chosen)

    @in_thread(group="names")
    def find_assignees(self, department: str) -> None:
        from fieldkit.services.intake import assignees

        names = assignees(self.fk.workspace.store, department)
        self.post_message(AssigneesFound(department, names))

    def on_assignees_found(self, message: AssigneesFound) -> None:
        from fieldkit.ui.dialogs.assignee import AssigneeDialog

        department, names = message.department, message.names

        def send(person: str | None) -> None:
            if person is not None:
                self.change(lambda ws, cid: ws.dispatch_case(cid, department, person))

        self.app.push_screen(AssigneeDialog(department, names), send)

    def _move(self, status: str, note: str) -> None:
        back = self.case is not None and status in self.case.reopens
        self.change(lambda ws, cid: ws.move_case(cid, status, note),
                    reopened_said if back else None)  # fmt: skip

    def _follow_up(self, answer: str) -> None:
        """``4 修得很快``: the score 1-5, then the owner's words (the dialog checked it)."""
        result = parse_follow_up(answer)
        if not result.answered:
            self._unanswered([result])
            return
        self.change(
            lambda ws, cid: ws.follow_up_case(cid, result.score, result.comment),
            lambda case: followed_up_said([result], case),
        )

    def _unanswered(self, results: list) -> None:
        """Nobody picked up: the try is noted on the case's history, the case stays where it
        is for the next call (nc15: a call nobody answered had nowhere to go)."""
        self.change(
            lambda ws, cid: ws.note_unanswered(cid, results),
            lambda case: t("desk.followup.unanswered_said"),
        )

    def _follow_up_sides(self, left: list[str], answers: dict[str, str]) -> None:
        """A dispute's call-back: each side's score and words in turn (甲方, then 乙方);
        Esc at either drops both, and nothing is recorded."""
        from fieldkit.ui.dialogs.ask import AskDialog

        if not left:
            results = [replace(parse_follow_up(text), side=side) for side, text in answers.items()]
            if not all(r.answered for r in results):
                self._unanswered([r for r in results if not r.answered])
                return
            self.change(
                lambda ws, cid: ws.follow_up_sides(cid, results),
                lambda case: followed_up_said(results, case),
            )
            return
        side = left[0]
        sides = self.dispute.sides if self.dispute else ()
        where = next((s.where for s in sides if s.key == side), "")

        def with_score(answer: str | None) -> None:
            if answer is not None:
                self._follow_up_sides(left[1:], {**answers, side: answer})

        self.app.push_screen(
            AskDialog("desk.followup.ask_side", check=parse_follow_up, counted=True,
                      key_answer=NO_ANSWER_KEY, side=t(f"desk.history.side_{side}"),
                      where=where),
            with_score,
        )  # fmt: skip

    def action_note(self, kind: str) -> None:
        from fieldkit.ui.dialogs.ask import AskDialog

        def add(text: str | None) -> None:
            if text:
                self.change(lambda ws, cid: ws.add_case_note(cid, text, kind))

        counted = kind == "note"  # a photo's is a file path
        asked = AskDialog(f"ui.case.ask_{kind}", check=check_text, counted=counted)
        self.app.push_screen(asked, add)
