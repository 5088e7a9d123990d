"""Running a checklist against a target: steps, live logic, durable answers, submit.

What is shown, required and failed comes from ``fieldkit.checklists.runtime`` (the same
functions the office server uses), recomputed after every answer. A repeated section has
one pass per matching asset ("extinguisher 3 of 18"); its answers are stored under the
model's ``item@asset`` keys. Every answer, note and photo goes through
``Store.save_answer``, which returns only once the answer is on disk.

Resuming: the store keeps no cursor for a draft, so a resumed run opens at the step after
the most recently saved answer (by its HLC) — the step that was in focus when the app was
killed, in the normal answer-and-advance flow.

Threads: a :class:`Run` (which writes) is used by one thread at a time — the app's saver,
which opens, answers and submits runs in the order asked. The screens read a
:class:`RunView`, the run as it stood after a save, which never changes. An answer is read
once (:meth:`RunView.read`: the key pressed or the text typed, checked against the item)
and the :class:`Answer` it gives is what is saved.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit.checklists.definition import Checklist, Item, OnFail, Section
from fieldkit.checklists.diagnostics import render_param
from fieldkit.checklists.runtime import (
    AnswerProblem,
    Outcome,
    Pass,
    RunState,
    check_answer,
    evaluate_run,
    expand,
    pass_key,
    read_date,
    read_number,
)
from fieldkit.checklists.wording import steps_of_work
from fieldkit.i18n import UserError
from fieldkit.model import Inspection, answer_key, split_answer_key
from fieldkit.model import Target as ModelTarget
from fieldkit.services.cases import iso
from fieldkit.services.types import Target

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".webp")
#: A photo step of an incident's plan with nothing to photograph (n: 不适用 / does not
#: apply, as on the plan's other steps); stored as the check's "na".
NOT_APPLICABLE = "na"


class RunError(UserError, ValueError):
    """An answer that is refused; ``key`` is the i18n message."""


@dataclass(frozen=True)
class Step:
    key: str  # the answer key: item id, or item@asset in a repeated pass
    item: Item
    section: Section
    pass_key: str
    asset: Target | None = None
    pass_no: int = 0  # 1-based within a repeated section, 0 otherwise
    pass_count: int = 0


@dataclass
class ProposedCase:
    """A case the submit will raise; the patroller may change the routing first.

    ``title`` is the finding in both languages (the fault and the failing answer, see
    ``fieldkit.checklists.wording``); ``evidence`` is what the case keeps of the round
    (:func:`fieldkit.services.findings.evidence`); ``photos`` are attached to it.
    """

    step_key: str
    title: dict[str, str]
    target: Target
    department: str
    severity: str
    due: str
    evidence: dict[str, Any] = field(default_factory=dict)
    photos: tuple[Any, ...] = ()
    description: str = ""
    #: The open case this one is (the flat's violation, or the finding on the same item
    #: of the same equipment, ``findings.OpenCase``): the submit adds the finding to it
    #: (``renovation.found_again``) rather than raising a second case.
    again: Any = None


@dataclass(frozen=True)
class Answer:
    """What the person gave for one step, read and checked (:meth:`RunView.read`): the
    value to store, or for a photo item the picture's path."""

    run_id: str
    key: str
    value: Any
    photo: bool = False


def _steps(passes: tuple[Pass, ...], assets: list[tuple[Target, dict[str, Any]]]) -> list[Step]:
    by_asset = {attrs["id"]: t for t, attrs in assets}
    counts: dict[str, int] = {}
    for p in passes:
        counts[p.section.id] = counts.get(p.section.id, 0) + 1
    steps: list[Step] = []
    seen: dict[str, int] = {}
    for p in passes:
        asset_id = None if p.asset is None else str(p.asset["id"])
        n = seen[p.section.id] = seen.get(p.section.id, 0) + 1
        for item in p.section.items:
            steps.append(
                Step(
                    key=answer_key(item.id, asset_id),
                    item=item,
                    section=p.section,
                    pass_key=p.key,
                    asset=by_asset.get(asset_id) if asset_id else None,
                    pass_no=n if asset_id else 0,
                    pass_count=counts[p.section.id] if asset_id else 0,
                )
            )
    return steps


class RunView:
    """A run as it stood after its last save: what is shown, answered, required and failed.
    Reading only; a new view comes with every save (:meth:`Run.view`)."""

    def __init__(
        self,
        checklist: Checklist,
        target: Target,
        inspection: Inspection,
        passes: tuple[Pass, ...],
        all_steps: list[Step],
        actor: str,
    ) -> None:
        self.checklist = checklist
        self.target = target
        self.inspection = inspection
        self.passes = passes
        self.all_steps = all_steps
        self._actor = actor
        self._by_key = {s.key: s for s in all_steps}
        self._position = {s.key: i for i, s in enumerate(all_steps)}
        self._state: RunState | None = None
        #: The approved work of the permit in force on the target, read once when the run
        #: opens (``renovation.beyond_scope`` judges today's work against it); () for none.
        self.approved_scope: tuple[str, ...] = ()
        #: The last day of that permit on a violation round: the latest put-right date.
        self.permit_end: date | None = None
        #: The flat's open violations by the item that raised each, read when the run
        #: opens: a fault found again is added to its case (``renovation.open_by_item``).
        self.open_violations: dict[str, Any] = {}
        #: The place's open patrol findings by the answer key that raised each (the same
        #: item on the same equipment), read when the run opens (``findings.open_by_step``).
        self.open_findings: dict[str, Any] = {}

    # -- state ---------------------------------------------------------------------------

    @property
    def actor(self) -> str:
        """Who answers (the person signed in): a case's evidence names them."""
        return self._actor

    @property
    def id(self) -> str:
        return self.inspection.id

    @property
    def submitted(self) -> bool:
        return self.inspection.submitted

    def step(self, key: str) -> Step:
        return self._by_key[key]

    def position(self, key: str) -> int:
        """Where a step stands in the round's order (hidden steps counted)."""
        return self._position.get(key, -1)

    def by_pass(self) -> dict[str, dict[str, Any]]:
        """The answers as the runtime wants them: ``{pass key: {item id: value}}``."""
        sections = {i.id: i.section_id for i in self.checklist.items()}
        out: dict[str, dict[str, Any]] = {}
        for key, answer in self.inspection.answers.items():
            item_id, asset_id = split_answer_key(key)
            section = sections.get(item_id)
            if section is not None:
                out.setdefault(pass_key(section, asset_id), {})[item_id] = answer.value
        return out

    def state(self) -> RunState:
        if self._state is None:
            self._state = evaluate_run(self.checklist, self.by_pass(), passes=self.passes)
            self._state = self._relieved(self._state)  # reads the faults from the above
        return self._state

    def _relieved(self, state: RunState) -> RunState:
        """``state`` with a violation round's "put right by" not required when the round
        keeps the open violations' deadlines (:meth:`kept_deadlines`): the form would ask
        for a date the submit does not use."""
        from fieldkit.services.renovation import DEADLINE_ITEM

        if not self.open_violations or not self.kept_deadlines():
            return state
        items = tuple(replace(s, required=False) if s.item.id == DEADLINE_ITEM else s
                      for s in state.items)  # fmt: skip
        return replace(state, items=items, _index={(s.pass_key, s.item.id): s for s in items})

    def kept_deadlines(self) -> list[Any]:
        """The open violations whose deadlines this round keeps, when every fault it found
        for the owner is one of them (``renovation.kept_deadlines``); [] otherwise."""
        from fieldkit.services.renovation import kept_deadlines

        return kept_deadlines(self.checklist.id, self.proposed_cases(), time.time())

    def _item_state(self, step: Step):
        return self.state().get(step.pass_key, step.item.id)

    def steps(self) -> list[Step]:
        """The steps to ask now (hidden ones left out), in order."""
        state = self.state()
        return [s for s in self.all_steps if state.get(s.pass_key, s.item.id).visible]

    def value(self, step: Step) -> Any:
        answer = self.inspection.answers.get(step.key)
        return None if answer is None else answer.value

    def answered(self, step: Step) -> bool:
        return self._item_state(step).answered

    def signer(self, step: Step, person: str) -> str:
        """The name offered in an unsigned signature item the checklist says the person
        signed in signs (``signer: self``), unless they have already signed another item
        of this run; an owner's or the next shift's signature is left for them to type."""
        if step.item.signer != "self" or not person or self.value(step) is not None:
            return ""
        signed = (self.value(s) for s in self.all_steps if s.item.type == "signature")
        return "" if person in signed else person

    def progress(
        self, steps: list[Step] | None = None, pending: frozenset[str] | set[str] = frozenset()
    ) -> tuple[int, int]:
        """(answered, to answer) as the round's head and the home screen count them: every
        required item, and an optional one once answered; so a complete round is 100%
        (an optional note or photo left empty is not "still to do"). ``pending``: keys
        answered on screen whose saves are still running."""
        shown = self.steps() if steps is None else steps
        done = total = 0
        for s in shown:
            answered = s.key in pending or self.answered(s)
            if answered or self.required(s):
                total += 1
                done += answered
        return done, total

    def attachments_of(self, step: Step) -> tuple[Any, ...]:
        answer = self.inspection.answers.get(step.key)
        return tuple(answer.attachments) if answer else ()

    def note_of(self, step: Step) -> str:
        answer = self.inspection.answers.get(step.key)
        return answer.note if answer else ""

    def required(self, step: Step) -> bool:
        return self._item_state(step).required

    def outcome(self, step: Step) -> Outcome:
        return self._item_state(step).outcome

    def missing(self) -> list[Step]:
        return [self.step(answer_key(s.item.id, _asset_id(s))) for s in self.state().missing]

    def failures(self) -> list[Step]:
        return [self.step(answer_key(s.item.id, _asset_id(s))) for s in self.state().failures]

    def deadline_limits(self, step: Step) -> Any:
        """For a violation round's "put right by" step: the dates its faults and the permit
        allow (:func:`fieldkit.services.renovation.deadline_limits`); None for any other."""
        from fieldkit.model import localtime
        from fieldkit.services.renovation import (
            DEADLINE_ITEM,
            VIOLATION_CHECKLISTS,
            deadline_limits,
        )

        if step.item.id != DEADLINE_ITEM or self.checklist.id not in VIOLATION_CHECKLISTS:
            return None
        failed = [s.item.id for s in self.failures()]
        return deadline_limits(failed, localtime.today(), self.permit_end)

    def deadline_range(self, step: Step) -> tuple[str, str, str] | None:
        """The first and last dates :meth:`deadline_limits` allows, and the one offered in
        the box (YYYY-MM-DD); None for any other step."""
        limits = self.deadline_limits(step)
        if limits is None:
            return None
        return tuple(d.isoformat() for d in (limits.first, limits.last, limits.offered))

    def next_after(self, key: str, value: Any, reached: str | None = None) -> str | None:
        """The step to move to once ``key`` is answered with ``value`` (not yet saved):
        :meth:`next_left` as the run will stand with that answer. Pure: no I/O, so the UI
        can move on at once while the save runs."""
        step = self.step(key)
        answers = self.by_pass()
        answers.setdefault(step.pass_key, {})[step.item.id] = value
        state = self._relieved(evaluate_run(self.checklist, answers, passes=self.passes))
        return _left_after(self.all_steps, state, key, reached)

    def next_left(self, key: str, reached: str | None = None) -> str | None:
        """Where Enter goes from ``key`` without answering it (an optional item skipped, an
        answered one passed): the same rule as after an answer (:func:`_left_after`).
        ``reached``: the furthest step the patroller has been at in this round."""
        return _left_after(self.all_steps, self.state(), key, reached)

    def left_of(self, asset_id: str, reached: str | None = None) -> list[str]:
        """The steps of one asset's pass still left to answer (:func:`_left`), in order."""
        return _left(self.all_steps, self.state(), reached,
                     lambda s: s.asset is not None and s.asset.id == asset_id)  # fmt: skip

    def resume_key(self) -> str | None:
        """The step to open on: after the latest answer, else the first unanswered."""
        steps = self.steps()
        if not steps:
            return None
        answers = self.inspection.answers
        if answers:
            latest = max(answers, key=lambda k: answers[k].hlc)
            keys = [s.key for s in steps]
            if latest in keys:
                i = keys.index(latest)
                after = [s for s in steps[i + 1 :] if not self.answered(s)]
                if after:
                    return after[0].key
        first = next((s for s in steps if not self.answered(s)), steps[-1])
        return first.key

    def proposed_cases(self) -> list[ProposedCase]:
        """The cases a submit would raise; a violation round's deadline is the inspector's
        own "put right by" date where given (no later than its kind allows:
        ``fault_deadline``), else each item's ``on_fail`` due."""
        from fieldkit.model import localtime
        from fieldkit.services import findings
        from fieldkit.services.renovation import (
            DEPOSIT_ITEM,
            beyond_scope,
            case_kind,
            fault_deadline,
            held_until,
            inspector_deadline,
        )

        deadline = inspector_deadline(self.checklist.id, self.inspection.answers)
        held = held_until(self.checklist.id, self.inspection.answers)
        today = localtime.today()
        out = []
        for step in self.failures():
            route: OnFail | None = self.outcome(step).on_fail
            found = findings.evidence(self, step)
            owners = case_kind(self.checklist.id, step.item.id) == "violation"
            out.append(
                ProposedCase(
                    step_key=step.key,
                    title=findings.title(found),
                    target=step.asset or self.target,
                    department=route.department if route else "engineering",
                    severity=route.severity if route else "major",
                    due=(
                        fault_deadline(step.item.id, deadline, today, self.permit_end)
                        if owners
                        else None
                    )
                    or (held if step.item.id == DEPOSIT_ITEM else None)
                    or (route.due_text if route else "24h"),
                    evidence=found,
                    photos=findings.photos(self, step),
                    description=findings.description(found),
                    again=self.open_violations.get(step.item.id)
                    if owners
                    else self.open_findings.get(step.key),
                )
            )
        scope = beyond_scope(self, deadline)  # work today beyond the permit's approved scope
        if scope is not None:
            scope.again = self.open_violations.get(scope.evidence.get("item"))
        return [*out, scope] if scope is not None else out

    # -- reading an answer ----------------------------------------------------------------

    def read(self, key: str, raw: Any) -> Answer:
        """The answer ``raw`` gives step ``key`` (a key's value, the text typed, a photo's
        path), or RunError saying why it is refused. Pure: the screen moves on at once."""
        if self.submitted:
            raise RunError("services.run.submitted")
        step = self.step(key)
        if step.item.type == "photo" and raw == NOT_APPLICABLE and self.steps_of_work:
            return Answer(self.id, key, NOT_APPLICABLE)  # a plan's photos: none to take
        if step.item.type == "photo":
            return Answer(self.id, key, str(raw), photo=True)
        return Answer(self.id, key, self.parse(step, raw))

    @property
    def steps_of_work(self) -> bool:
        """Whether the run is an incident's plan, whose items are steps of work."""
        return steps_of_work(self.checklist.applies_to)

    def parse(self, step: Step, raw: Any) -> Any:
        """The stored value for ``raw`` input, or RunError saying why it is refused."""
        item = step.item
        if item.type == "number":
            value, problem = read_number(item, str(raw))
            if problem is not None:
                raise _refused(problem)
            if value is None:
                raise RunError("services.run.empty")
            return value
        if item.type in ("text", "signature", "date"):
            raw = str(raw).strip()
            if not raw:
                raise RunError("services.run.empty")
        if item.type == "date":
            from fieldkit.model import localtime

            raw = read_date(raw, localtime.today())  # 今天 is the compound's, not the laptop's
        problem = check_answer(item, raw)
        if problem is not None:
            raise _refused(problem)
        if item.type == "date":
            from fieldkit.model import localtime
            from fieldkit.services.renovation import DEADLINE_ITEM, check_deadline

            if item.id == DEADLINE_ITEM and self.kept_deadlines():
                raise RunError("renovation.deadline.kept_refused")
            try:
                failed = [s.item.id for s in self.failures()]
                check_deadline(self.checklist.id, item.id, raw, localtime.today(), failed,
                               self.permit_end)  # fmt: skip
            except UserError as exc:
                raise RunError(exc.key, **exc.params) from None
        return raw


class Run(RunView):
    """The run being answered: it saves (``Store.save_answer`` returns once the answer is on
    disk) and submits. Used by one thread at a time (the app's saver); screens read
    :meth:`view`."""

    def __init__(
        self,
        ws: Workspace,
        inspection: Inspection,
        checklist: Checklist,
        target: Target,
        assets: list[tuple[Target, dict[str, Any]]],
    ) -> None:
        super().__init__(checklist, target, inspection, *_walked(checklist, assets), "")
        self.ws = ws
        from fieldkit.services.findings import open_by_step
        from fieldkit.services.renovation import (
            approved_scope,
            case_kind,
            open_by_item,
            permit_last_day,
        )

        self.approved_scope = approved_scope(ws, checklist.id, target)
        self.permit_end = permit_last_day(ws, checklist.id, target)
        self.open_violations = open_by_item(ws, checklist.id, target)
        if case_kind(checklist.id) == "finding":
            self.open_findings = open_by_step(ws, checklist.id, target, assets)

    @property
    def actor(self) -> str:
        return self.ws.actor

    def view(self) -> RunView:
        """The run as it stands now, for the screens (shares what never changes)."""
        view = RunView(self.checklist, self.target, self.inspection, self.passes,
                       self.all_steps, self.actor)  # fmt: skip
        view._state = self._state
        view.approved_scope = self.approved_scope
        view.permit_end = self.permit_end
        view.open_violations = self.open_violations
        view.open_findings = self.open_findings
        return view

    # -- answering -----------------------------------------------------------------------

    def answer(self, key: str, raw: Any) -> Any:
        """Read and save one answer durably; return the stored value."""
        return self.save(self.read(key, raw))

    def save(self, answer: Answer) -> Any:
        """Save an answer read by :meth:`RunView.read`; return the stored value."""
        self._check_open()
        if answer.photo:
            return self.attach(answer.key, Path(str(answer.value)))
        from fieldkit.services.renovation import check_deduction

        item_id = self.step(answer.key).item.id
        try:  # against the deposit held: read from the store, so here and not in read
            check_deduction(self.ws, self.checklist.id, item_id, answer.value, self.target.id)
        except UserError as exc:
            raise RunError(exc.key, **exc.params) from None
        self._save(answer.key, answer.value)
        return answer.value

    def attach(self, key: str, path: Path) -> str:
        """Store the photo as a blob (durably, before the answer names it): a photo item is
        answered with it; any other item keeps its answer and carries the photo as evidence
        (the case its failure raises gets it)."""
        self._check_open()
        path = path.expanduser()
        if not path.is_file():
            raise RunError("services.run.no_photo", path=str(path))
        ref = self.ws.store.put_blob(path, name=path.name, media_type=_media_type(path))
        old = self.inspection.answers.get(key)
        refs = [*(old.attachments if old else []), ref]
        if self.step(key).item.type == "photo":
            self._save(key, [r.sha256 for r in refs], attachments=refs)
        else:
            self._save(key, old.value if old else None, attachments=refs)
        return ref.sha256

    def note(self, key: str, text: str) -> None:
        self._check_open()
        old = self.inspection.answers.get(key)
        self._save(key, old.value if old else None, note=text.strip())

    def clear(self, key: str) -> None:
        self._check_open()
        self.ws.store.clear_answer(self.id, key)
        self._reload()

    def _save(self, key: str, value: Any, *, note: str | None = None, attachments=None) -> None:
        old = self.inspection.answers.get(key)
        self.ws.store.save_answer(
            self.id,
            key,
            value,
            note=(old.note if old else "") if note is None else note,
            attachments=attachments
            if attachments is not None
            else (old.attachments if old else ()),
        )
        self._reload()

    def _reload(self) -> None:
        self.inspection = self.ws.store.get_inspection(self.id)
        self._state = None

    def _check_open(self) -> None:
        if self.submitted:
            raise RunError("services.run.submitted")

    # -- submit --------------------------------------------------------------------------

    def _check_deadlines(self, cases: list[ProposedCase], now: float) -> None:
        """Refuse, before anything is saved, a violation whose deadline its kind does not
        allow: a date given before a fault was changed, or a due changed on the review. Each
        by its own kind (a wall's days are not debris's: ``fault_deadline``)."""
        from fieldkit.model import localtime
        from fieldkit.services.renovation import (
            DEADLINE_ITEM,
            case_kind,
            check_deadline,
            keeps,
            rectify_bounds,
        )
        from fieldkit.services.renovation import deadline_day as day_of

        if rectify_bounds([s.item.id for s in self.failures()]) is None:
            return  # no owner's fault asked for a "put right by" date: the checklist's dues
        for case in cases:
            item = str(case.evidence.get("item") or "")
            if case_kind(self.checklist.id, item) != "violation" or keeps(case.again, now):
                continue  # a fault found again keeps its open case's deadline
            day = day_of(self.ws.due_at(case.due, now))
            try:
                check_deadline(self.checklist.id, DEADLINE_ITEM, day.isoformat(),
                               localtime.today(), [item], self.permit_end)  # fmt: skip
            except UserError as exc:
                raise RunError(exc.key, **exc.params) from None

    def submit(self, cases: list[ProposedCase]) -> list[str]:
        """Raise the cases and lock the inspection, in one atomic write of the store."""
        self._check_open()
        missing = self.missing()
        if missing:
            raise RunError("services.run.missing", count=len(missing))
        store = self.ws.store
        now = time.time()
        self._check_deadlines(cases, now)
        target = self.target
        before = self.ws.last_runs().get((self.checklist.id, target.id)) if target else None
        with store.transaction():
            made = [self.raise_case(c, now) for c in cases]
            store.submit_inspection(self.id)
        self._reload()
        if target is not None:  # a gap before this run would leave the last-run index now
            from fieldkit.services.schedules import note_missed_for

            note_missed_for(self.ws, self.checklist, target, before, now)
        return [c.id for c in made]

    def raise_case(self, c: ProposedCase, now: float) -> Any:
        """One proposed case, created and linked to this draft, in one write (or in the
        caller's transaction: a submit, an incident's close)."""
        from fieldkit.services.renovation import case_kind, found_again

        store = self.ws.store
        by = self.ws.actor
        item_id = split_answer_key(c.step_key)[0]
        due = self.ws.due_at(c.due, now)
        with store.transaction():
            if c.again is not None:
                case = found_again(self.ws, c.again, c, self.id, due, now)
                if case is not None:
                    store.link_case(self.id, case.id)
                    return case
            case = store.create_case(
                case_kind(self.checklist.id, item_id),
                ModelTarget(c.target.kind, c.target.id),
                by=by,
                title=c.title.get("zh") or c.title.get("en", ""),
                description=c.description,
                department=c.department,
                severity=c.severity,
                due=iso(due),
                category=self.checklist.id,
                source_inspection=self.id,
                source_item=c.step_key,
                extra={
                    "titles": c.title,
                    "where": c.target.code,
                    "building": c.target.building,
                    "finding": c.evidence,
                },
            )
            if c.photos:
                store.add_case_event(
                    case.id, "photo", photo_names(c.photos), by=by, attachments=list(c.photos)
                )
                case = store.get_case(case.id)
            store.link_case(self.id, case.id)
        return case


def read_only(
    ws: Workspace, inspection: Inspection, checklist: Checklist, target: Target
) -> RunView:
    """An inspection as a view to read — a submitted round reopened from a flat's card: the
    same steps, answers and failures a run shows, with nothing opened for writing."""
    walked = _walked(checklist, ws.places.assets_on(target))
    return RunView(checklist, target, inspection, *walked, inspection.inspector)


def _walked(
    checklist: Checklist, assets: list[tuple[Target, dict[str, Any]]]
) -> tuple[tuple[Pass, ...], list[Step]]:
    """A round's passes over the place's equipment and its steps, in order: the same for a
    run being answered and one reopened to read."""
    passes = expand(checklist, [attrs for _, attrs in assets])
    return passes, _steps(passes, assets)


def photo_names(refs: Any) -> str:
    """Photos as a case's history and an inspection name them: each file's name."""
    return ", ".join(r.name or r.sha256[:12] for r in refs)


def _left_after(steps: list[Step], state: RunState, key: str, reached: str | None) -> str | None:
    """The next step after ``key`` still left to answer (:func:`_left`); None when nothing
    is left after it: the review comes next, and lists any required item missing before."""
    order = {s.key: i for i, s in enumerate(steps)}
    if key not in order:
        return None
    return next(iter(_left(steps, state, reached, lambda s: order[s.key] > order[key])), None)


def _left(steps: list[Step], state: RunState, reached: str | None, among) -> list[str]:
    """The steps ``among`` those given still left to answer, in order: each required one
    unanswered, and each optional one unanswered that the patroller has not yet passed — no
    answer lies beyond it and it is not before ``reached``, the furthest step they have been
    at. (After going back to change an answer, Enter went through every photo skipped since,
    one by one.)"""
    order = {s.key: i for i, s in enumerate(steps)}
    passed = order.get(reached or "", -1)
    ahead = []
    for s in steps:
        st = state.get(s.pass_key, s.item.id)
        if not st.visible:
            continue
        if st.answered:
            passed = max(passed, order[s.key])
        elif among(s):
            ahead.append((order[s.key], s.key, st.required))
    return [k for i, k, required in ahead if required or i > passed]


def _refused(problem: AnswerProblem) -> RunError:
    return RunError(problem.key, **{k: render_param(v) for k, v in problem.params})


def _asset_id(state: Any) -> str | None:
    asset = state.asset
    return None if not isinstance(asset, Mapping) else str(asset.get("id"))


def _media_type(path: Path) -> str:
    return {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}.get(
        path.suffix.lower(), "application/octet-stream"
    )


def newest_photo(folder: Path) -> Path | None:
    """The most recently modified picture in ``folder`` (a camera app's save folder)."""
    try:
        pictures = [
            p for p in folder.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES and p.is_file()
        ]
    except OSError:
        return None
    return max(pictures, key=lambda p: p.stat().st_mtime, default=None)
