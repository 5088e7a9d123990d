"""A yes/no question for a step that cannot be undone from the screen (discarding a
round in progress): ``y`` confirms, Esc or ``n`` keeps things as they are."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen

from fieldkit.i18n import plural, t
from fieldkit.ui.widgets.phrases import PhraseText


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def __init__(
        self, question_key: str, hint_key: str = "rounds.confirm.hint", **params: object
    ) -> None:
        super().__init__(classes="dialog")
        self.question_key = question_key
        self.hint_key = hint_key  # what y and n do, said for this question
        self.params = params

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield PhraseText(id="question")
            yield PhraseText(id="confirm-hint", classes="hint")

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        count = self.params.get("count")
        question = (
            plural(self.question_key, count, **self.params)
            if isinstance(count, int)
            else t(self.question_key, **self.params)
        )  # "1 open violation", not "1 open violations"
        self.query_one("#question", PhraseText).set_text(question)
        self.query_one("#confirm-hint", PhraseText).set_text(t(self.hint_key))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
