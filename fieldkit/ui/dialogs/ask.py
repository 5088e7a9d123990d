"""A one-line question (a reason, a note, a photo path): returns the text, or None on Esc."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from fieldkit.i18n import t


class AskDialog(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, question_key: str, value: str = "", **params: object) -> None:
        super().__init__(classes="dialog")
        self.question_key = question_key
        self.params = params
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(id="question")
            yield Input(value=self.value, id="answer")
            yield Static(id="ask-hint", classes="hint")

    def on_mount(self) -> None:
        self.relabel()
        self.query_one(Input).focus()

    def relabel(self) -> None:
        self.query_one("#question", Static).update(t(self.question_key, **self.params))
        self.query_one("#ask-hint", Static).update(t("ui.dialog.enter_esc"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
