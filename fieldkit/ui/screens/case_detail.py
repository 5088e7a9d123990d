"""One case: its routing, its event history, and moves along its lifecycle.

A neighbour dispute also shows both flats (owners masked), each side's statements and any
referral to the residents' committee or the police station; ``s`` takes a statement and
``r`` logs a referral. ``f`` lists the case's photos to open or write out; ``d`` sends the
case to a department and a person (again: a reassignment).

What the owner said (description, urgency, how to contact them) is shown first; the history
reads as sentences (:mod:`fieldkit.services.history`) with the person who did each step. A
move key this role cannot use says why and what can be done, never nothing."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from fieldkit.i18n import t
from fieldkit.i18n.roles import role_name, role_names
from fieldkit.model import localtime
from fieldkit.services import disputes, history
from fieldkit.services.cases import DONE, check_text
from fieldkit.services.disputes import DisputeView
from fieldkit.services.findings import FindingView
from fieldkit.services.lifecycle import parse_follow_up, status_label
from fieldkit.services.types import CaseView, pick
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.titlebar import TitleBar

#: The key bar: short words, so it fits 80 columns; a dispute shows its statement and
#: referral keys instead of the photos key (``?`` lists every key with its full wording).
BAR = (("1-9", "desk.bar.move"), ("d", "desk.bar.dispatch"), ("a", "desk.bar.note"),
       ("f", "desk.bar.photos"), ("esc", "ui.keys.back"))  # fmt: skip
DISPUTE_BAR = (*BAR[:2], ("s", "desk.bar.statement"), ("r", "desk.bar.referral"), BAR[2], BAR[4])


def when(ts: float) -> str:
    if ts == float("inf"):  # no due time yet
        return "—"
    return localtime.fmt(ts)


class CaseDetailScreen(FieldScreen):
    HELP_KEYS = (
        ("1-9", "ui.keys.move_case"),
        ("d", "desk.keys.dispatch"),
        ("a", "ui.keys.add_note"),
        ("p", "ui.keys.add_photo"),
        ("f", "cases.keys.photos"),
        ("s", "cases.keys.statement"),
        ("r", "cases.keys.referral"),
        ("esc", "ui.keys.back"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", show=False),
        Binding("a", "note('note')", show=False),
        Binding("p", "note('photo')", show=False),
        Binding("f", "photos", show=False),
        Binding("s", "statement", show=False),
        Binding("r", "referral", show=False),
        Binding("d", "dispatch", show=False),
        *(Binding(str(n), f"move({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(self, case_id: str) -> None:
        super().__init__(name="case-detail")
        self.case_id = case_id
        self.case: CaseView | None = None
        self.dispute: DisputeView | None = None
        self.photo_count: int | None = None
        self.finding: FindingView | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="case-body"):
            yield Static(id="case-head")
            yield Static(id="case-moves")
            yield Static(id="case-dispute")
            yield Static(id="case-photos")
            yield Static(id="case-events")
        yield KeyBar(BAR)

    def on_mount(self) -> None:
        self.relabel()
        self.service("case", lambda ws, cid: ws.case(cid), self.case_id)

    def done_case(self, case: CaseView | None) -> None:
        if case is None:
            self.notify(t("services.case.not_found"), severity="error")
            return
        self.case = case
        self.relabel()
        self._load_extras()

    done_moved = done_case

    def _load_extras(self) -> None:
        """The dispute's sides and statements, and how many photos: read after the case."""
        from fieldkit.services import findings, photos

        if self.case is not None and self.case.kind == disputes.KIND:
            self.service("dispute", lambda ws, cid: disputes.view(ws, cid), self.case_id)
        self.service("photos", lambda ws, cid: len(photos.case_photos(ws.store, cid)), self.case_id)
        self.service("finding", lambda ws, cid: findings.view(ws.store, cid), self.case_id)

    def done_finding(self, finding: FindingView | None) -> None:
        self.finding = finding
        self.relabel()

    def done_dispute(self, dispute: DisputeView | None) -> None:
        self.dispute = dispute
        self.relabel()

    def done_photos(self, count: int) -> None:
        self.photo_count = count
        self.relabel()

    def relabel(self) -> None:
        bar = self.query_one(KeyBar)
        bar.set_keys(DISPUTE_BAR if self.case and self.case.kind == disputes.KIND else BAR)
        bar.relabel()
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
        if case.description and found is None:  # a round's: the note and remarks, shown above
            head.add_row(t("desk.detail.description"), case.description)
        if case.urgency:
            head.add_row(t("desk.detail.urgency"), t(f"desk.urgency.{case.urgency}"))
        if case.contact:
            head.add_row(t("desk.detail.contact"), t(f"lifecycle.ui.contact.{case.contact}"))
        department = t(f"ui.department.{row.department}") if row.department else "—"
        head.add_row(t("ui.case.department"), department)
        if row.department:
            head.add_row(t("desk.detail.assignee"), case.assignee or t("desk.detail.no_person"))
        head.add_row(t("ui.case.severity"), t(f"ui.severity.{row.severity}"))
        head.add_row(t("ui.case.status"), status_label(row.kind, row.status))
        due = localtime.fmt(row.due, "due") + ("  " + t("ui.case.overdue") if row.overdue else "")
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
        events.add_column(t("ui.case.what"), ratio=1)  # the sentence takes the width left
        for event, what in zip(case.events, history.sentences(row.kind, case.events), strict=True):
            events.add_row(when(event.at), event.by or "—", what)
        self.query_one("#case-events", Static).update(events)

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
            kind=t(f"desk.kind.{case.kind}"),
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
        grid.add_column()
        grid.add_row(f"[b]{t('cases.detail.sides')}[/b]")
        for side in dispute.sides:
            owners = "、".join(side.owners) or t("cases.detail.no_owners")
            grid.add_row(t("cases.detail.side_line", side=t(f"cases.side.{side.key}"),
                           where=side.where, name=pick(side.name), owners=owners))  # fmt: skip
        grid.add_row(f"[b]{t('cases.detail.statements')}[/b]")
        where = {side.key: side.where for side in dispute.sides}
        for side in dispute.sides:
            if not dispute.heard(side.key):
                grid.add_row(t("cases.detail.no_statement", side=t(f"cases.side.{side.key}")))
        for said in dispute.statements:
            grid.add_row(
                t("cases.detail.statement", when=when(said.at), side=t(f"cases.side.{said.side}"),
                  where=said.where or where.get(said.side, ""), who=said.who,
                  relation=t(f"cases.relation.{said.relation}"), text=said.text)
            )  # fmt: skip
        grid.add_row(f"[b]{t('cases.detail.referrals')}[/b]")
        for ref in dispute.referrals:
            grid.add_row(
                t("cases.detail.referral", when=when(ref.at), body=t(f"cases.body.{ref.body}"),
                  who=ref.who, reference=ref.reference or t("cases.detail.no_reference"),
                  outcome=ref.outcome or t("cases.detail.no_outcome"))
            )  # fmt: skip
        if not dispute.referrals:
            grid.add_row(t("cases.detail.no_referrals"))
        box.update(grid)

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
            self.service(
                "said",
                lambda ws, cid: disputes.add_statement(
                    ws.store, cid, values["side"], values["who"], values["text"],
                    relation=values["relation"], when=values["when"], by=ws.actor,
                ),
                self.case_id,
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
            self.service(
                "referred",
                lambda ws, cid: disputes.log_referral(
                    ws.store, cid, values["body"], values["who"], reference=values["reference"],
                    outcome=values["outcome"], when=values["when"], by=ws.actor,
                ),
                self.case_id,
                body=values["body"],
            )  # fmt: skip

        self.app.push_screen(FormDialog("cases.form.referral_title", (body,), fields), save)

    def done_said(self, _event: object) -> None:
        self.notify(t("cases.form.saved_statement"))
        self.service("case", lambda ws, cid: ws.case(cid), self.case_id)

    def done_referred(self, _event: object, body: str) -> None:
        self.notify(t("cases.form.saved_referral", body=t(f"cases.body.{body}")))
        self.service("case", lambda ws, cid: ws.case(cid), self.case_id)

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
        elif "followup" in needs:

            def with_score(answer: str | None) -> None:
                if answer is not None:
                    self._follow_up(answer)

            self.app.push_screen(AskDialog("ui.case.ask_score", check=parse_follow_up), with_score)
        elif "note" in needs:

            def with_note(note: str | None) -> None:
                if note is not None:
                    self._move(status, note)

            self.app.push_screen(
                AskDialog("ui.case.ask_move_note", required=True, check=check_text, to=label),
                with_note,
            )
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
        from fieldkit.services.cases import DEPARTMENTS
        from fieldkit.ui.dialogs.form import Choice, FormDialog

        options = tuple((d, f"ui.department.{d}") for d in DEPARTMENTS)
        choice = Choice("department", "cases.form.dispatch_department", options)

        def chosen(values: dict[str, str] | None) -> None:
            if not values:
                return
            from fieldkit.services.intake import assignees

            department = values["department"]
            self.service("names", lambda ws, d: assignees(ws.store, d), department,
                         department=department)  # fmt: skip

        self.app.push_screen(FormDialog("cases.form.dispatch_title", (choice,)), chosen)

    def done_names(self, names: list[str], department: str) -> None:
        from fieldkit.ui.dialogs.assignee import AssigneeDialog

        def send(person: str | None) -> None:
            if person is None:
                return
            self.service(
                "moved",
                lambda ws, cid: ws.dispatch_case(cid, department, person),
                self.case_id,
            )

        self.app.push_screen(AssigneeDialog(department, names), send)

    def _move(self, status: str, note: str) -> None:
        self.service("moved", lambda ws, cid: ws.move_case(cid, status, note), self.case_id)

    def _follow_up(self, answer: str) -> None:
        """``4 修得很快``: the score 1-5, then the owner's words (the dialog checked it)."""
        result = parse_follow_up(answer)
        self.service(
            "moved",
            lambda ws, cid: ws.follow_up_case(cid, result.score, result.comment),
            self.case_id,
        )

    def action_note(self, kind: str) -> None:
        from fieldkit.ui.dialogs.ask import AskDialog

        def add(text: str | None) -> None:
            if text:
                self.service(
                    "moved", lambda ws, cid: ws.add_case_note(cid, text, kind), self.case_id
                )

        self.app.push_screen(AskDialog(f"ui.case.ask_{kind}", check=check_text), add)
