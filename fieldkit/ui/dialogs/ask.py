"""A one-line question (a reason, a note, a photo path): returns the text, or None on Esc.

``required`` keeps the dialog open on an empty line, and ``check`` (a service function that
raises a ``UserError`` for text it would refuse: too long, a follow-up without a score) is
asked before the dialog closes: either way the dialog says why in place and keeps the text,
so nothing typed is lost to a refusal after the dialog has gone. ``preview`` (pure, no
I/O) says under the box what the text is read as, while it is typed (the places a ctrl+n
on an incident would add)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from fieldkit.i18n import UserError, t


class AskDialog(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(
        self,
        question_key: str,
        value: str = "",
        *,
        required: bool = False,
        check: Callable[[str], object] | None = None,
        preview: Callable[[str], str] | None = None,
        **params: object,
    ) -> None:
        super().__init__(classes="dialog")
        self.question_key = question_key
        self.params = params
        self.value = value
        self.required = required
        self.check = check
        self.preview = preview
        self.read = preview(value) if preview and value.strip() else ""
        self.refused: UserError | None = None  # why the last Enter was not taken

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
        hint = self.refused.message() if self.refused else t("ui.dialog.enter_esc")
        self.query_one("#ask-hint", Static).update(f"{self.read}\n{hint}" if self.read else hint)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.preview is not None:
            self.read = self.preview(event.value) if event.value.strip() else ""
            self.refused = None
            self.relabel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            if self.required and not event.value.strip():
                raise UserError("desk.ask.required")
            if self.check is not None and event.value.strip():
                self.check(event.value)
        except UserError as exc:
            self.refused = exc
            self.relabel()
            self.notify(exc.message(), severity="warning")
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
