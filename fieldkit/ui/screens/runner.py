"""The runner: one item in focus, the rest visible; one key per answer.

``p`` / ``f`` / ``n`` answer a check and move on; a choice is its option's number; numbers,
text and dates are typed in the entry line with the unit shown and the range enforced by the
service (a refused value is explained and nothing is saved).

An answer goes: key → ``RunView.read`` (the service reads it, once: refused here, or the
``Answer`` to save) → ``app.saves`` (the saver worker, in order) → ``Workspace.answer`` →
``Run.save`` → ``Store.save_answer`` (on disk) → ``AnswerSaved`` with the run as it now
stands → ``on_answer_saved``. The run itself lives on the saver; this screen reads only
the ``RunView`` each save hands back. The next key already acts on the next item; the
screen shows the move once the save returned (or after ``DRAW_WAIT`` if the disk is slow).
Drawing first made the save wait: the saver thread gives up the GIL around each of its
file calls, and while this thread re-laid out the list it got it back only every few ms —
15-60 ms per save against ~1 ms with the UI thread idle.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, OptionList, ProgressBar, Static
from textual.widgets.input import Selection
from textual.widgets.option_list import Option

from fieldkit.checklists.wording import (
    amount,
    answer_words,
    check_words_key,
    reading_help,
    reading_placeholder,
    steps_of_work,
    unit_after,
)
from fieldkit.i18n import get_language, plural, t
from fieldkit.services.acted import acted_options
from fieldkit.services.renovation import case_kind, deadline_hint, kept_words
from fieldkit.services.runs import (
    NOT_APPLICABLE,
    Answer,
    Run,
    RunError,
    RunView,
    Step,
    newest_photo,
)
from fieldkit.services.scan_shape import looks_like_label
from fieldkit.services.types import ScanLookup, Target, pick
from fieldkit.ui.keys import Key, KeyTable, key
from fieldkit.ui.messages.runs import (
    AnswerRefused,
    AnswerSaved,
    ItemPhotoAttached,
    NewestPhotoFound,
    NoteSaved,
    RunNotOpened,
    RunOpened,
)
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.widgets.keybar import KeyBar
from fieldkit.ui.widgets.line_input import EntryInput
from fieldkit.ui.widgets.titlebar import TitleBar
from fieldkit.ui.workers import in_thread

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace

TYPED = ("number", "text", "date", "signature")
#: Longest wait (s) for an answer's save before the screen shows the move anyway.
DRAW_WAIT = 0.03
#: ``!``: found and put right on the spot (an ``acted`` option) — not "passed" (nc27)
MARKS = {"pass": "✔", "fail": "✘", "na": "–", "acted": "!"}
#: A photo item's answer when no photo is added: none yet, or a plan's "does not apply".
NO_PHOTO = (None, NOT_APPLICABLE)


#: How an item of each type is answered: its keys and their words, for the key bar and
#: for the message a key that does not answer this type gives.
ANSWER_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "check": (("p", "ui.keys.pass"), ("f", "ui.keys.fail"), ("n", "ui.runner.bar.na")),
    "choice": (("1-9", "ui.runner.bar.option"),),
    "multi": (("1-9", "ui.runner.bar.toggle"), ("enter", "ui.keys.save")),
    "photo": (("a", "ui.keys.photo"), ("c", "ui.runner.newest_photo_bar")),
}
#: Number, text, date and signature items are typed into the entry box.
TYPED_KEYS = (("enter", "ui.keys.save"),)
#: A check that is a step of work (an incident's plan): done / not done / does not apply.
STEP_KEYS = tuple((key, check_words_key(value, steps=True))
                  for key, value in (("p", "pass"), ("f", "fail"), ("n", "na")))  # fmt: skip


class RunnerScreen(FieldScreen):
    #: Kept on the key bar however narrow the terminal (``fieldkit.ui.widgets.keybar``).
    MAIN_KEYS = ("s", "enter")
    KEYS = KeyTable(
        key("p", "check('pass')", "ui.keys.pass"),
        key("f", "check('fail')", "ui.keys.fail"),
        key("n", "check('na')", "ui.keys.na"),
        Key("1-9", help="ui.keys.option",
            binds=tuple((str(n), f"option({n})") for n in range(1, 10))),
        Key("enter", help="ui.keys.enter", by="widget"),
        Key("↑ ↓", help="ui.keys.next", by="widget"),
        Key("pgup pgdn", help="ui.keys.page_items", by="widget"),
        Key("home end", help="ui.keys.first_last", by="widget"),
        key("t", "note", "ui.keys.note"),
        key("a", "photo", "ui.keys.photo_any"),
        key("c", "newest_photo", "ui.keys.newest_photo"),
        key("s", "finish", "ui.keys.finish"),
        # in a text box s is typed: ctrl+s reviews from there (nc32 typed "s" into 备注)
        key("ctrl+s", "finish_typed", "ui.keys.finish_typed", priority=True),
        key("m", "next_missing", "ui.keys.next_missing"),
        key("esc", "leave", "ui.keys.back", bind="escape"),
        # The key bar lists only the keys that act on the item shown. While the entry box
        # has the keys (a typed item), letters such as t and s go into the box, so the bar
        # lists moving on instead.
        *(Key(k, bar=words, when=(kind,)) for kind, keys in ANSWER_KEYS.items()
          for k, words in keys),
        *(Key(k, bar=words, when=("step",)) for k, words in STEP_KEYS),
        # a plan's photo step: nothing to photograph does not apply, as on its other steps
        Key("n", bar=check_words_key("na", steps=True), when=("photo_step",)),
        *(Key(k, bar=words, when=("typed",)) for k, words in TYPED_KEYS),
        Key("↑ ↓", bar="ui.keys.next", when=("typed",)),
        Key("esc", bar="ui.keys.back", when=("typed",)),
        Key("ctrl+s", bar="ui.keys.finish", when=("typed",)),
        # ? goes into the box there: help is F1 (nc30 typed ? on the duty log's first item)
        Key("F1", bar="ui.keys.help", when=("typed",), by="app"),
        Key("t", bar="ui.runner.bar.note", when=("keyed",)),
        Key("s", bar="ui.keys.finish", when=("keyed",)),
        Key("enter", bar="ui.runner.bar.next", when=("photo_taken",)),
        Key("?", bar="ui.keys.help", when=("keyed",), by="app"),
    )  # fmt: skip

    def __init__(
        self,
        *,
        checklist_id: str | None = None,
        target: Target | None = None,
        inspection_id: str | None = None,
    ) -> None:
        super().__init__(name="runner")
        self.checklist_id = checklist_id
        self.target_arg = target
        self.inspection_id = inspection_id
        self.run: RunView | None = None  # the run as its last save left it
        self.shown_steps: list[Step] = []
        self._current: str | None = None
        self.reached: str | None = None  # the furthest step shown: optional ones before are passed
        self._moving: tuple[RunView, str, Any] | None = None  # an answer's move, not worked out
        self.picked: list[str] = []
        self.fresh_entry = True
        self.pending: dict[str, Any] = {}
        self.drawn: dict[str, str] = {}
        self.finish_after: str | None = None
        self.undrawn: set[str] = set()  # rows answered but not yet redrawn
        self.entry_set = ""  # what the screen put in the entry box (not typed by the person)
        self.own_highlights: list[str] = []  # highlights this screen made, not yet reported

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="runner-head")
        yield ProgressBar(id="progress", show_eta=False)
        yield OptionList(id="items")
        yield Static(id="question")
        yield EntryInput(id="entry")
        yield Static(id="item-help")
        yield KeyBar(self.bar_keys())

    def choice_count(self) -> int:
        """The bar names the number keys the item's options use: "1-8" for eight."""
        step = self.step()
        listed = step is not None and step.item.type in ("choice", "multi")
        return len(step.item.options) if listed else 0

    def key_states(self) -> tuple[str, ...]:
        step = self.step()
        kind = step.item.type if step is not None else None
        if kind in TYPED:
            return ("typed",)
        if kind == "check" and self.steps():
            return ("step", "keyed")
        plan = ("photo_step",) if step is not None and self.plan_photo(step) else ()
        if kind == "photo" and self.run is not None and self.run.value(step) is not None:
            return (kind, *plan, "photo_taken", "keyed")  # as its message says: Enter moves on
        if plan:
            return (kind, *plan, "keyed")
        return (kind, "keyed") if kind in ANSWER_KEYS else ("keyed",)

    def on_mount(self) -> None:
        """The run is opened on the saver, behind any answer to it still being saved."""
        self.fk.saves.put(self, lambda ws: RunOpened(self.open_run(ws).view()), RunNotOpened)

    def open_run(self, ws: Workspace) -> Run:
        """The run to answer (on the saver thread): the draft asked for, else the open
        round of this checklist on this target, else a new one."""
        if self.inspection_id:
            return ws.resume_run(self.inspection_id)
        assert self.checklist_id is not None and self.target_arg is not None
        return ws.start_run(self.checklist_id, self.target_arg)

    def on_run_not_opened(self, message: RunNotOpened) -> None:
        self.notify(message.error, severity="error")

    # -- loading and drawing -------------------------------------------------------------

    def on_run_opened(self, message: RunOpened) -> None:
        run = message.run
        resumed = self.inspection_id is None and bool(run.inspection.answers)
        self.run = run
        self.inspection_id = run.id
        self.current = run.resume_key()
        self.redraw()
        if resumed:  # picked as a new round, but one was in progress: it goes on
            done, total = self.counted(run)
            resumed_key = "incidents.plan.resumed" if self.steps() else "rounds.drafts.resumed"
            self.notify(t(resumed_key, done=done, total=total))

    def redraw(self) -> None:
        run = self.run
        if run is None:
            return
        old = [s.key for s in self.shown_steps]
        self.shown_steps = run.steps()
        keys = [s.key for s in self.shown_steps]
        if self.current not in keys:
            self.current = keys[0] if keys else None
        items = self.query_one("#items", OptionList)
        if keys != old or items.option_count != len(keys):
            self.drawn = {}
            items.clear_options()
            for step in self.shown_steps:
                line = self.line(step)
                self.drawn[step.key] = line.plain
                items.add_option(Option(line, id=step.key))
        if self.current:
            self.highlight(keys.index(self.current))
        self.relabel(lines=False)

    def line(self, step: Step) -> Text:
        run = self.run
        assert run is not None
        if step.key in self.pending:
            value = self.pending[step.key]
            failed = value == "fail"
        else:
            value = run.value(step) if run.answered(step) else None
            failed = run.outcome(step).failed
        # a text, a reading with no band, a photo is answered, not passed: its value alone
        mark = " "
        if failed:
            mark = "✘"
        elif value is not None and acted_options(step.item, value):
            mark = MARKS["acted"]
        elif value is not None and step.item.type == "check":
            mark = MARKS.get(str(value), "✔")
        elif value is not None and step.item.can_fail:
            mark = MARKS["pass"]  # a reading within its band, a choice that does not fail
        label = step.item.label.get(get_language())
        out = Text(f"{mark} ")
        if step.asset:
            out.append(f"[{step.pass_no}/{step.pass_count}] ", style="dim")
        out.append(label)
        unit = unit_after(label, step.item.unit) if step.item.type == "number" else ""
        if unit:
            out.append(t("findings.entry.unit", unit=unit), style="dim")
        if value is not None:
            out.append("  → " + self.shown_value(step, value), style="bold")
        attached = run.attachments_of(step)
        if attached and step.item.type != "photo":
            out.append("  📷 " + plural("ui.runner.photos", len(attached)), style="dim")
        note = run.note_of(step)
        if note:
            out.append(f"  ✎ {note}", style="italic")
        if failed:
            out.stylize("bold red")
        elif run.required(step) and value is None:
            out.append(" *", style="yellow")
        return out

    def shown_value(self, step: Step, value: Any) -> str:
        item = step.item
        if item.type == "check":
            key = check_words_key(str(value), steps=True) if self.steps() else None
            return t(key or f"ui.runner.check_{value}")
        if item.type in ("choice", "multi"):
            return answer_words(item, value, get_language())
        if item.type == "number":
            return amount(value, item.unit)
        if value == NOT_APPLICABLE and self.plan_photo(step):
            return t(check_words_key(NOT_APPLICABLE, steps=True))
        if item.type == "photo":
            return plural("ui.runner.photos", len(value) if isinstance(value, list) else 1)
        return str(value)

    def steps(self) -> bool:
        """Whether this run's checks are steps of work (an incident's plan)."""
        return self.run is not None and steps_of_work(self.run.checklist.applies_to)

    def plan_photo(self, step: Step) -> bool:
        """A photo step of an incident's plan: ``n`` says it does not apply, as on the
        plan's other steps (nc24: n did nothing there)."""
        return step.item.type == "photo" and self.steps()

    def step(self) -> Step | None:
        if self.run is None or self.current is None:
            return None
        return self.run.step(self.current)

    def counted(self, run: Run) -> tuple[int, int]:
        """(answered, to answer) for the head and its bar: the round's own count."""
        return run.progress(self.shown_steps, set(self.pending))

    def relabel(self, lines: bool | set[str] = True) -> None:
        """Re-read the text; ``lines=False`` redraws only the rows whose text changed (an
        answer changes one or two rows of a round that can have hundreds)."""
        self.query_one(TitleBar).relabel()
        self.query_one(KeyBar).relabel()
        run = self.run
        if run is None:
            self.query_one("#runner-head", Static).update(t("ui.home.loading"))
            return
        lang = get_language()
        done, total = self.counted(run)
        head = t("ui.runner.head", title=run.checklist.title.get(lang),
                 target=run.target.label(), done=done, total=total)  # fmt: skip
        step = self.step()
        if step is not None and step.asset:
            head += "\n" + t("ui.runner.pass", n=step.pass_no, count=step.pass_count,
                             asset=f"{step.asset.code} {pick(step.asset.name)}")  # fmt: skip
        self.query_one("#runner-head", Static).update(head)
        bar = self.query_one(ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        items = self.query_one("#items", OptionList)
        for index, s in enumerate(self.shown_steps):
            if isinstance(lines, set) and s.key not in lines:
                continue
            line = self.line(s)
            if lines is True or self.drawn.get(s.key) != line.plain:
                self.drawn[s.key] = line.plain
                items.replace_option_prompt_at_index(index, line)
        self.show_entry(step)

    def show_entry(self, step: Step | None) -> None:
        entry = self.query_one("#entry", Input)
        help_line = self.query_one("#item-help", Static)
        question = self.query_one("#question", Static)
        if step is None:
            entry.remove_class("visible")
            help_line.update("")
            question.update("")
            return
        # The question sits right above its box or options: the list may be scrolled
        # elsewhere, or squeezed to a line or two on a small terminal by the box and help.
        question.update(self.line(step))
        items = self.query_one("#items", OptionList)
        self.call_after_refresh(items.scroll_to_highlight)
        item = step.item
        self.show_keys()
        lang = get_language()
        lines = []  # what the key bar does not say: the item's hint, its options, its band
        limits = self.run.deadline_limits(step) if self.run else None
        kept = self.run.kept_deadlines() if limits is not None else []
        if kept:  # the faults are all open already: their deadlines stand, none is asked
            lines.append(kept_words(kept))
        elif item.hint:
            lines.append(item.hint.get(lang))
        if item.type in ("choice", "multi"):
            picked = self.picked if item.type == "multi" else []
            options = [
                f"{n}{'*' if o.id in picked else ''}) {o.label.get(lang)}"
                for n, o in enumerate(item.options, 1)
            ]
            lines.append(_packed(options, self.size.width - 4))
        elif item.type == "number":
            lines.append(reading_help(item))
        elif item.type == "text":
            lines.append(t("ui.keys.text"))
        who = getattr(self.app, "who", None)
        offered = self.run.signer(step, who.person if who else "") if self.run else ""
        if kept:
            offered = ""
        elif limits is not None:  # a violation's deadline: the faults' own default, and bounds
            offered = limits.offered.isoformat()
            owners = {s.item.id: s.item.label.get(lang) for s in self.run.failures()
                      if case_kind(self.run.checklist.id, s.item.id) == "violation"}  # fmt: skip
            lines.append(deadline_hint(limits, labels=owners))
        elif offered:
            lines.append(t("ui.runner.signer_offered", name=offered))
        elif item.type == "photo" and self.run and self.run.value(step) not in NO_PHOTO:
            lines.append(t("ui.runner.photo_added"))  # under the item, not a pop-up over it
        elif item.type == "photo" and self.run is not None and not self.run.required(step):
            lines.append(t("ui.runner.photo_optional_step" if self.steps() else
                           "ui.runner.photo_optional"))  # fmt: skip
        if item.type in TYPED:
            entry.add_class("visible")
            entry.placeholder = (
                reading_placeholder(item)
                if item.type == "number"
                else t(f"ui.runner.entry_{item.type}", unit=item.unit or "")
            )
            if self.fresh_entry or not entry.has_focus:
                self.fresh_entry = False
                value = self.run.value(step) if self.run else None
                if value is None:
                    entry.value = offered  # a suggestion: selected, the first key replaces it
                    entry.selection = Selection(0, len(offered))
                else:
                    entry.value = f"{value:g}" if item.type == "number" else str(value)
                    entry.cursor_position = len(entry.value)  # nc33: not before the text
                self.entry_set = entry.value
                entry.focus()
        else:
            entry.remove_class("visible")
            if entry.has_focus or self.focused is None:
                self.query_one("#items", OptionList).focus()
        help_line.update("\n".join(lines))

    # -- moving --------------------------------------------------------------------------

    def highlight(self, index: int) -> None:
        """Move the list's highlight to the step in focus. Textual reports the move later,
        as a message; by then a key may have answered that step and moved the round on, so
        the report of a highlight this screen made is not a move by the patroller, nor is
        the report of a highlight the list has left since."""
        items = self.query_one("#items", OptionList)
        if items.highlighted != index:
            items.highlighted = index
            option_id = items.get_option_at_index(index).id
            if option_id and items.is_mounted:
                self.own_highlights = [*self.own_highlights[-7:], option_id]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        key = event.option.id
        if key in self.own_highlights:
            del self.own_highlights[: self.own_highlights.index(key) + 1]
            return
        now = event.option_list.highlighted_option
        if now is None or now.id != key:
            return  # the list has moved on since (or was rebuilt)
        if key and key != self.current:
            self.current = key
            self.picked = []
            self.fresh_entry = True
            self.relabel(lines=set())

    def advance(self) -> None:
        """On to the next item left to answer (``RunView.next_left``), else the review."""
        run, current = self.run, self.current
        if run is None or current is None:
            return
        target = run.next_left(current, self.reached)
        keys = [s.key for s in self.shown_steps]
        if target is None or target not in keys:
            if self.pending:
                self.finish_after = next(reversed(self.pending))
            else:
                self.action_finish()
            return
        # the list's move is the patroller's: its report moves the round (and the focus,
        # after this key is done: moved now, the entry box would take this Enter too)
        self.query_one("#items", OptionList).highlighted = keys.index(target)

    def on_key(self, event) -> None:
        """↑ ↓ PgUp PgDn move through the items even while the entry box has the keys. Home
        and End stay the box's, empty or not: ctrl+u, End, then a date typed went to the
        round's last item, its note, when End on an empty box jumped there (nc33)."""
        self.draw_now()  # keys that move the cursor start from the item shown
        entry = self.query_one("#entry", Input)
        moves = {"up": "cursor_up", "down": "cursor_down", "pageup": "page_up",
                 "pagedown": "page_down"}  # fmt: skip
        if not entry.has_focus or event.key not in moves:
            return
        getattr(self.query_one("#items", OptionList), f"action_{moves[event.key]}")()
        event.stop()

    # -- answering -----------------------------------------------------------------------

    def save(self, key: str, raw: Any) -> None:
        """Have the service read the answer (refused: said here, nothing saved), move on at
        once, and save it on the saver."""
        run = self.run
        if run is None:
            return
        try:
            answer = run.read(key, raw)
        except RunError as exc:
            self.notify(exc.message(), severity="warning")
            return
        self.pending[key] = answer.value
        self.fk.saves.put(self, lambda ws: save_answer(ws, answer),
                          lambda error: AnswerRefused(key, error))  # fmt: skip
        if not answer.photo:
            self._moving = (run, key, answer.value)
            if not self.undrawn:
                self.set_timer(DRAW_WAIT, self.draw_now)
            self.undrawn.add(key)

    @property
    def current(self) -> str | None:
        """The key of the step in focus, once the move an answer asked for is worked out."""
        self._move()
        return self._current

    @current.setter
    def current(self, key: str | None) -> None:
        self._moving = None  # a step chosen (or an answer refused) overrides a move not made
        self._current = key
        self._reach(key)

    def _reach(self, key: str | None) -> None:
        run = self.run
        if run is None or key is None:
            return
        if self.reached is None or run.position(key) > run.position(self.reached):
            self.reached = key

    def _move(self) -> None:
        """Work out where the last answer moves to (``RunView.next_after``: the whole run's
        conditions evaluated, several ms on a long round) when it is first needed — the next
        key, the draw, the save's reply — not while its save starts: on the UI thread then,
        it took turns at the GIL with the saver's write and held the answer's save up
        (issue 17). Whatever reads the step in focus reads it through here."""
        if self._moving is None:
            return
        run, key, value = self._moving
        self._moving = None
        nxt = run.next_after(key, value, self.reached)
        if nxt is None:
            self.finish_after = key
            self.undrawn.discard(key)
        else:
            self._current = nxt
            self._reach(nxt)
            self.picked = []
            self.fresh_entry = True

    def draw_now(self) -> None:
        """Show the moves made since the last draw (see the module docstring)."""
        self._move()
        if self.undrawn and self.current is not None:
            changed, self.undrawn = self.undrawn, set()
            self.show_step(self.current, changed=changed)

    def go_to(self, key: str, changed: str | set[str] | None = None) -> None:
        self.current = key
        self.picked = []
        self.fresh_entry = True
        self.query_one("#entry", Input).value = ""
        self.show_step(key, changed)

    def show_step(self, key: str, changed: str | set[str] | None = None) -> None:
        """Highlight the step in focus and redraw the rows that changed. What was keyed on
        it before the draw (a multi's ticks, typed text) stays: the move reset them when
        it was made (``_move``), and a tick given since must not be lost."""
        keys = [s.key for s in self.shown_steps]
        if key in keys:
            self.highlight(keys.index(key))
        lines = {changed} if isinstance(changed, str) else changed
        self.relabel(lines=lines or False)

    def on_answer_saved(self, message: AnswerSaved) -> None:
        self._move()
        key = message.key
        self.run = message.run
        self.pending.pop(key, None)
        self.draw_now()
        self.redraw()
        if self.finish_after == key and not self.pending:
            self.finish_after = None
            self.action_finish()
            return

    def on_note_saved(self, message: NoteSaved) -> None:
        self.run = message.run
        self.redraw()

    def on_answer_refused(self, message: AnswerRefused) -> None:
        """A refused answer sends the patroller back to its item."""
        self.pending.pop(message.key, None)
        self.notify(message.error, severity="warning")
        self.go_to(message.key)

    def action_check(self, value: str) -> None:
        step = self.step()
        if step is not None and step.item.type == "check":
            self.save(step.key, value)
        elif step is not None and value == NOT_APPLICABLE and self.plan_photo(step):
            self.save(step.key, NOT_APPLICABLE)  # nc24: n did nothing on the plan's photos
        elif step is not None:
            self.not_here(step)

    def not_here(self, step: Step) -> None:
        """A key that does not answer this item: say, as a sentence, which keys do (for a
        step of an incident's plan: done, not done, does not apply)."""
        kind = step.item.type if step.item.type in ANSWER_KEYS else "typed"
        if kind == "check" and self.steps():
            kind = "step"
        elif self.plan_photo(step):
            kind = "photo_step"
        elif kind == "photo" and self.run is not None and not self.run.required(step):
            kind = "photo_optional"  # a problem's photo with no problem found: Enter skips it
        self.notify(t(f"ui.runner.how.{kind}"), severity="warning")

    def action_option(self, n: int) -> None:
        step = self.step()
        if step is not None and step.item.type not in ("choice", "multi"):
            self.not_here(step)
        if step is None or step.item.type not in ("choice", "multi"):
            return
        if n > len(step.item.options):
            return
        option = step.item.options[n - 1].id
        if step.item.type == "choice":
            self.save(step.key, option)
            return
        if option in self.picked:
            self.picked.remove(option)
        else:
            self.picked.append(option)
        self.show_entry(step)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        step = self.step()
        if step is None:
            return
        if step.item.type not in TYPED:
            return
        if event.value.strip():
            self.save(step.key, event.value)
        else:
            self.key_enter()

    def key_enter(self) -> None:
        """Enter is one rule on every item (``ui.keys.enter``): what was keyed (ticks, typed
        text) is saved and the round goes on; with nothing keyed, an item answered or
        optional is passed for the next one left to answer, and a required one unanswered
        says how it is answered."""
        step, run = self.step(), self.run
        if step is None or run is None:
            return
        if step.item.type == "multi" and self.picked:
            self.save(step.key, list(self.picked))
        elif step.key in self.pending or run.answered(step) or not run.required(step):
            self.advance()
        elif step.item.type == "multi":
            self.notify(t("ui.runner.pick_first"), severity="warning")
        elif step.item.type == "photo":
            self.notify(t("ui.runner.photo_needed"), severity="warning")
        elif step.item.type in TYPED:
            self.notify(t("ui.runner.required_empty"), severity="warning")
        else:
            self.not_here(step)

    def action_next_missing(self, here: bool = False) -> None:
        """``m``: the next required item not answered, after the one in focus (``here``,
        from the review: at it or after) and round to the start; said when there is none."""
        run = self.run
        if run is None:
            return
        missing = [s.key for s in run.missing() if s.key not in self.pending]
        if not missing:
            self.notify(t("ui.runner.none_missing"))
            return
        at = run.position(self.current or "") - here
        after = [k for k in missing if run.position(k) > at]
        self.go_to((after or missing)[0])

    def action_note(self) -> None:
        from fieldkit.ui.dialogs.ask import AskDialog

        step, run = self.step(), self.run
        if step is None or run is None:
            return
        old = run.note_of(step)

        def done(text: str | None) -> None:
            if text is not None:
                self.fk.saves.put(self, lambda ws: NoteSaved(ws.note(run.id, step.key, text)))

        item = step.item.label.get(get_language())
        if step.asset:
            item = f"{step.asset.code} {item}"
        self.app.push_screen(AskDialog("ui.runner.ask_note", old, item=item), done)

    def action_photo(self) -> None:
        """A photo for the item in focus: a photo item's answer, or evidence attached to
        any other item (its case carries it). The path is typed into a dialog, never read
        as a scan."""
        from fieldkit.ui.dialogs.ask import AskDialog

        step = self.step()
        if step is None:
            return

        def done(path: str | None) -> None:
            if path and path.strip():
                self.photo_for(step.key, path.strip())

        if step.item.type == "photo":
            self.app.push_screen(AskDialog("ui.case.ask_photo"), done)
            return
        item = step.item.label.get(get_language())
        if step.asset:
            item = f"{step.asset.code} {item}"
        self.app.push_screen(AskDialog("ui.runner.ask_item_photo", item=item), done)

    def photo_for(self, key: str, path: str) -> None:
        run = self.run
        if run is None:
            return
        if run.step(key).item.type == "photo":
            self.save(key, path)
            return
        self.fk.saves.put(
            self, lambda ws: ItemPhotoAttached(key, ws.attach(run.id, key, Path(path)))
        )

    def on_item_photo_attached(self, message: ItemPhotoAttached) -> None:
        self.run = message.run
        self.notify(t("ui.runner.item_photo_added"))
        self.relabel(lines={message.key})

    def action_newest_photo(self) -> None:
        step = self.step()
        if step is None:
            return
        folder = self.fk.watch_folder
        if folder is None:
            self.notify(t("services.run.no_camera_folder"), severity="warning")
            return
        self.find_newest_photo(step.key, folder)

    @in_thread(group="newest-photo")
    def find_newest_photo(self, key: str, folder: Path) -> None:
        self.post_message(NewestPhotoFound(key, newest_photo(folder)))

    def on_newest_photo_found(self, message: NewestPhotoFound) -> None:
        if message.path is None:
            self.notify(t("services.run.no_new_photo", path=str(self.fk.watch_folder)))
            return
        self.photo_for(message.key, str(message.path))

    def action_finish_typed(self) -> None:
        """ctrl+s: the review, from a text box too; what was typed there and not yet saved
        is saved first, as Enter would (refused: said, and the round stays)."""
        self.draw_now()  # a priority key: the move an answer asked for is not drawn yet
        step, text = self.step(), self.unconfirmed()
        if step is not None and text:
            self.save(step.key, text)
            if step.key not in self.pending:
                return
        self.action_finish()

    def action_finish(self) -> None:
        if self.run is None:
            return
        if self.pending:  # review the round once every answer given is in it
            self.finish_after = next(reversed(self.pending))
            return
        from fieldkit.ui.screens.finish import FinishScreen

        self.app.push_screen(FinishScreen(self.run), self.finished)

    def finished(self, run: RunView | None) -> None:
        """Back from the review: submitted (``run``), the round is done here too."""
        if run is not None:
            self.run = run
            if run.submitted and self.is_current:
                self.dismiss(run)  # the screen it was started from hears it was submitted

    def scans_in_text(self, code: str) -> bool:
        """A burst in the entry box is a scan when only a reader makes it, or when it is a
        code of this compound (an extinguisher's ``EXT-1-2-1`` scanned to go back to it);
        any other burst is typed into the box, and so is a known code typed at a person's
        pace, which never arrives as a burst (``fieldkit.ui.scan``)."""
        return looks_like_label(code) or self.fk.knows_code(code)

    def scanned(self, lookup: ScanLookup, typed: bool) -> None:
        """Scanning an asset of this round jumps to its first item left to answer (the guard
        comes back to an extinguisher to finish it; ``RunView.left_of``), or to its first
        item when none is, saying so; any other code opens as it would anywhere else."""
        target = lookup.target if lookup.status == "found" else None
        run = self.run
        if target is not None and run is not None:
            its = [s for s in self.shown_steps if s.asset and s.asset.id == target.id]
            todo = [k for k in run.left_of(target.id, self.reached) if k not in self.pending]
            if its:
                self.go_to(todo[0] if todo else its[0].key)
                said = "ui.runner.scanned" if todo else "ui.runner.scanned_done"
                self.notify(t(said, asset=target.code))
                return
        super().scanned(lookup, typed)

    def action_leave(self) -> None:
        self.before_leaving(self.back)

    def back(self) -> None:
        """Back to the screen below. A round left with nothing answered is not kept in
        progress: it stood on the home as "0/165 answered" beside the round due (nc14)."""
        run, stack = self.run, self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        self.app.pop_screen()
        empty = run is not None and not run.submitted and not run.inspection.answers
        if empty and not self.pending and below is not None:
            from fieldkit.ui.screens.home import discard  # nothing answered: nothing said

            self.fk.saves.put(below, lambda ws: discard(ws, run.id, {}))

    def unconfirmed(self) -> str:
        """Text the person typed into the entry box and has not saved with Enter yet."""
        step = self.step()
        if step is None or step.item.type not in TYPED or step.key in self.pending:
            return ""
        text = self.query_one("#entry", EntryInput).value
        return text if text.strip() and text != self.entry_set else ""

    def before_leaving(self, leave: Callable[[], None]) -> None:
        """Esc, Ctrl+Q: text typed and not yet confirmed with Enter is never dropped
        silently. A valid answer is saved (the saver finishes it before the app closes);
        one the item refuses is said, and the person chooses to drop it or stay."""
        self.draw_now()
        text, step, run = self.unconfirmed(), self.step(), self.run
        if not text or step is None or run is None:
            leave()
            return
        try:
            run.read(step.key, text)
        except RunError as exc:
            from fieldkit.ui.dialogs.confirm import ConfirmDialog

            def answered(drop: bool | None) -> None:
                if drop:
                    leave()
                else:
                    self.query_one("#entry", EntryInput).focus()

            item = step.item.label.get(get_language())
            if step.asset:
                item = f"{step.asset.code} {item}"
            ask = ConfirmDialog("ui.runner.drop_typed", "ui.runner.drop_typed_hint",
                                item=item, text=text.strip(), reason=exc.message())  # fmt: skip
            self.app.push_screen(ask, answered)
            return
        self.save(step.key, text)
        leave()

    def on_screen_resume(self) -> None:
        if self.run is not None and not self.run.submitted:
            self.redraw()


def _packed(options: list[str], width: int) -> str:
    """Options side by side, as many to a line as fit: an option that would not fit starts
    the next line, so a wrapped line never parts a number from its words ("8)" alone)."""
    lines: list[str] = []
    for option in options:
        if lines and cell_len(lines[-1]) + 3 + cell_len(option) <= max(width, 20):
            lines[-1] += "   " + option
        else:
            lines.append(option)
    return "\n".join(lines)


def save_answer(ws: Workspace, answer: Answer) -> AnswerSaved:
    """On the saver: the answer on disk, and the run as it now stands."""
    return AnswerSaved(answer.key, ws.answer(answer))
