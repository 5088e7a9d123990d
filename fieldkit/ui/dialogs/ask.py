"""A one-line question (a reason, a note, a photo path): returns the text, or None on Esc.

``required`` keeps the dialog open on an empty line, and ``check`` (a service function that
raises a ``UserError`` for text it would refuse: too long, a follow-up without a score) is
asked before the dialog closes: either way the dialog says why in place (in its own hint, not
a popup over it) and keeps the text, so nothing typed is lost to a refusal after the dialog
has gone. ``counted`` shows the length against the limit while it is typed; ``preview``
(pure, no I/O) says under the box what the text is read as, while it is typed (the places a
ctrl+n on an incident would add). Esc with text typed in the box asks before dropping it."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from fieldkit.i18n import UserError, t
from fieldkit.ui.dialogs.typed import ask_to_drop, count_line
from fieldkit.ui.widgets.phrases import PhraseText


class AskDialog(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(
        self,
        question_key: str,
        value: str = "",
        *,
        required: bool = False,
        check: Callable[[str], object] | None = None,
        counted: bool = False,
        preview: Callable[[str], str] | None = None,
        key_answer: tuple[str, str] | None = None,
        **params: object,
    ) -> None:
        super().__init__(classes="dialog")
        self.question_key = question_key
        self.params = params
        self.value = value
        self.required = required
        self.check = check
        self.counted = counted
        self.preview = preview
        self.read = preview(value) if preview and value.strip() else ""
        self.refused: UserError | None = None  # why the last Enter was not taken
        #: (key, answer): the key answers at once, what was typed following as its words
        #: (ctrl+n: a call-back nobody answered); the question says the key.
        self.key_answer = key_answer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield PhraseText(id="question")
            yield Input(value=self.value, id="answer")
            yield Static(id="ask-count", classes="hint")
            yield Static(id="ask-hint", classes="hint")

    def on_mount(self) -> None:
        self.relabel()
        self.query_one(Input).focus()

    def relabel(self) -> None:
        self.query_one("#question", PhraseText).set_text(t(self.question_key, **self.params))
        hint = self.refused.message() if self.refused else t("ui.dialog.enter_esc")
        box = self.query_one("#ask-hint", Static)
        box.update(f"{self.read}\n{hint}" if self.read else hint)
        box.set_class(self.refused is not None, "refused")
        count = self.query_one("#ask-count", Static)
        count.display = self.counted
        if self.counted:
            count.update(count_line(self.query_one(Input).value))

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.counted:
            self.query_one("#ask-count", Static).update(count_line(event.value))
        if self.preview is not None:
            self.read = self.preview(event.value) if event.value.strip() else ""
            self.refused = None
            self.relabel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer(event.value)

    def on_key(self, event: events.Key) -> None:
        if self.key_answer is not None and event.key == self.key_answer[0]:
            event.stop()
            typed = self.query_one(Input).value.strip()
            self._answer(f"{self.key_answer[1]} {typed}".strip())

    def _answer(self, value: str) -> None:
        """Close with ``value``, or say in place why it is not taken."""
        try:
            if self.required and not value.strip():
                raise UserError("desk.ask.required")
            if self.check is not None and value.strip():
                self.check(value)
        except UserError as exc:
            self.refused = exc
            self.relabel()
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        """Esc: text typed here is asked about before it is dropped; the text the dialog
        opened with (a line being corrected, an answer handed back) is not, as Esc loses
        nothing of it."""
        typed = self.query_one(Input).value
        ask_to_drop(self, "" if typed == self.value else typed, lambda: self.dismiss(None))
