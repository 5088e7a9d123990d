"""A short form: a choice or two by number key, then a few lines of text, Enter moving to
the next line and submitting on the last. Returns {key: value} for every choice and field,
or None on Esc. A statement for a dispute and a referral to the committee or the police use
it; the fields' questions come from the catalogue, so it relabels on a language switch.

A field may carry a ``check`` (a service function that raises a ``UserError`` for a value
it would refuse, e.g. a time written ``2026-13-01``), and every field is held to the length
a case's text may have (:func:`fieldkit.services.cases.check_text`): the form then stays
open with every value as typed, says which field is wrong and why, and puts the cursor in
it — said in the form's own hint, never a popup over it. A ``check`` of the whole form
(a rule across fields) is held the same way, its refusal naming the field (``field``).
A number key with no choice behind it says which keys there are, and so does typing text
while a choice is asked; Esc with text typed asks before dropping it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from fieldkit.i18n import UserError, t
from fieldkit.services.cases import check_text
from fieldkit.ui.dialogs.typed import ChoiceKeys, ask_to_drop, count_line
from fieldkit.ui.widgets.phrases import lines as phrase_lines

#: The cells a line of choices may take: the dialog box is 70 wide, less border and padding.
CHOICE_WIDTH = 62
#: An option longer than a line (its case's title and status after it) wraps at phrases,
#: under its words, not under its number: Rich split 5 天前 across two lines.
OPTION_WIDTH = CHOICE_WIDTH - 4


@dataclass(frozen=True)
class Choice:
    key: str
    question: str  # catalogue key
    options: tuple[tuple[str, str], ...]  # (value, catalogue key of its label)
    details: tuple[str, ...] = ()  # shown after each option's label (a flat's number)


@dataclass(frozen=True)
class Field:
    key: str
    question: str  # catalogue key
    value: str = ""
    required: bool = True
    check: Callable[[str], object] | None = None  # raises UserError for a value it refuses


class FormDialog(ChoiceKeys, ModalScreen[dict[str, str] | None]):
    DEFAULT_CSS = """
    FormDialog #form-choices { height: auto; margin-bottom: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(
        self,
        title: str,
        choices: tuple[Choice, ...] = (),
        fields: tuple[Field, ...] = (),
        check: Callable[[dict[str, str]], object] | None = None,
        **params: object,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_key = title
        self.params = params
        self.choices = choices
        self.fields = fields
        self.check = check  # the whole form's rule: a UserError naming its ``field``
        self.picked: dict[str, str] = {}
        self.bad_field = ""  # the field a check refused last, until the form is sent again
        self.refused = ""  # why the form was not taken, said in its own hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(id="form-title", classes="section-title")
            yield Static(id="form-choices")
            for field in self.fields:
                yield Static(id=f"label-{field.key}", classes="form-label")
                # a form with nothing to pick first takes typing at once (focused as it is
                # composed: Enter pressed as the dialog appears is not lost)
                yield Input(value=field.value, id=f"field-{field.key}", disabled=bool(self.choices))
            yield Static(id="form-count", classes="hint")
            yield Static(id="form-hint", classes="hint")

    def on_mount(self) -> None:
        self.relabel()
        self._next_step()

    @property
    def pending(self) -> Choice | None:
        return next((c for c in self.choices if c.key not in self.picked), None)

    def relabel(self) -> None:
        self.query_one("#form-title", Static).update(t(self.title_key, **self.params))
        lines = Text()
        for choice in self.choices:
            if lines:
                lines.append("\n")
            lines.append(t(choice.question) + "\n", style="bold")
            used = 0
            for n, (value, label) in enumerate(choice.options, 1):
                chosen = self.picked.get(choice.key) == value
                detail = choice.details[n - 1] if n <= len(choice.details) else ""
                said = phrase_lines(f"{t(label)}{' ' + detail if detail else ''}", OPTION_WIDTH)
                shown = f" {n} " + "\n   ".join(said) + " "
                if used and (used + cell_len(shown) > CHOICE_WIDTH or len(said) > 1):
                    lines.append("\n")  # never split an option
                    used = 0
                lines.append(shown, style="reverse" if chosen else "")
                lines.append("  ")
                used = CHOICE_WIDTH if len(said) > 1 else used + cell_len(shown) + 2
        self.query_one("#form-choices", Static).update(lines)
        self.query_one("#form-choices", Static).display = bool(self.choices)
        for field in self.fields:
            self.query_one(f"#label-{field.key}", Static).update(t(field.question))
        pending = self.pending
        hint = (
            t("cases.form.choose", count=len(pending.options)) if pending else t("cases.form.enter")
        )
        if self.refused and not pending:
            hint = self.refused
        box = self.query_one("#form-hint", Static)
        box.update(hint)
        box.set_class(bool(self.refused) and not pending, "refused")
        self._count()

    def _count(self) -> None:
        """The length of the free text being typed against the limit, under the form (not
        for a field of a set shape, such as a time)."""
        count = self.query_one("#form-count", Static)
        focused = self.focused
        field = next((f for f in self.fields if isinstance(focused, Input)
                      and focused.id == f"field-{f.key}"), None)  # fmt: skip
        count.display = field is not None and field.check is None
        if count.display and isinstance(focused, Input):
            count.update(count_line(focused.value))

    def on_input_changed(self, _event: Input.Changed) -> None:
        self._count()

    def on_descendant_focus(self, _event: object) -> None:
        self._count()

    def on_key(self, event: events.Key) -> None:
        """While a choice is asked, a character that is not a number says so."""
        pending = self.pending
        if pending is not None:
            self.say_choose(event, len(pending.options))

    def _next_step(self) -> None:
        if self.pending is not None:
            self.set_focus(None)
            return
        if not self.fields:
            self.dismiss(dict(self.picked))
            return
        for field in self.fields:
            box = self.query_one(f"#field-{field.key}", Input)
            box.disabled = False
        if self.fields:
            self.query_one(f"#field-{self.fields[0].key}", Input).focus()

    def action_pick(self, n: int) -> None:
        choice = self.pending
        if choice is None:
            return
        if n > len(choice.options):
            self.notify(t("desk.intake.no_choice", key=n, last=len(choice.options)),
                        severity="warning")  # fmt: skip
            return
        self.picked[choice.key] = choice.options[n - 1][0]
        self.told = False
        self.relabel()
        self._next_step()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        keys = [f.key for f in self.fields]
        here = (event.input.id or "").removeprefix("field-")
        at = keys.index(here) if here in keys else len(keys) - 1
        if at + 1 < len(keys):
            self.query_one(f"#field-{keys[at + 1]}", Input).focus()
            return
        values = {f.key: self.query_one(f"#field-{f.key}", Input).value for f in self.fields}
        missing = next((f for f in self.fields if f.required and not values[f.key].strip()), None)
        if missing is not None:
            self.refused = t("cases.form.missing", field=t(missing.question))
            self.relabel()
            self.query_one(f"#field-{missing.key}", Input).focus()
            return
        for field in self.fields:
            if not values[field.key].strip():
                continue
            try:
                check_text(values[field.key])
                if field.check is not None:
                    field.check(values[field.key])
            except UserError as exc:
                self.bad_field = field.key
                self.refused = exc.message()  # it names the value; the cursor goes to it
                self.relabel()
                self.query_one(f"#field-{field.key}", Input).focus()
                return
        if self.check is not None:
            try:
                self.check({**self.picked, **values})
            except UserError as exc:
                keys = [f.key for f in self.fields]
                named = str(exc.params.get("field") or "")
                self.bad_field = named if named in keys else keys[-1]
                self.refused = exc.message()
                self.relabel()
                self.query_one(f"#field-{self.bad_field}", Input).focus()
                return
        self.dismiss({**self.picked, **values})

    def action_cancel(self) -> None:
        """Esc: asks first when a field holds text typed here (not the value it opened with)."""
        values = ((f, self.query_one(f"#field-{f.key}", Input).value) for f in self.fields)
        typed = "".join(value for f, value in values if value != f.value)
        ask_to_drop(self, typed, lambda: self.dismiss(None))
