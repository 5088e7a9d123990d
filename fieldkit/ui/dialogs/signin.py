"""Who is at the keyboard: the name of the person taking the device (at the first start, and
at every shift handover). Enter signs the name in; a name that cannot be used says why in
place and keeps what was typed. At the start nobody is signed in, so Esc does not skip it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from fieldkit.i18n import t
from fieldkit.services.signin import NAME_MAX
from fieldkit.ui.messages.dialogs import SignedIn, SignInRefused


class SignInDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    SignInDialog { align: center middle; }
    #signin-error { color: $error; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, *, required: bool, current: str = "") -> None:
        super().__init__(classes="dialog", id="signin")
        self.required = required
        self.current = current
        self.error = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(id="signin-question")
            yield Input(id="signin-name", max_length=NAME_MAX)
            yield Static(id="signin-error", classes="error")
            yield Static(id="signin-hint", classes="hint")

    def on_mount(self) -> None:
        self.relabel()
        self.query_one(Input).focus()

    def relabel(self) -> None:
        if self.current:
            question = t("signin.dialog.next", current=self.current)
        else:
            question = t("signin.dialog.first")
        self.query_one("#signin-question", Static).update(question)
        self.query_one("#signin-error", Static).update(self.error)
        hint = "signin.dialog.hint_required" if self.required else "signin.dialog.hint"
        self.query_one("#signin-hint", Static).update(t(hint))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value
        self.app.saves.put(  # type: ignore[attr-defined]
            self, lambda ws: SignedIn(ws.sign_in(name).name), SignInRefused
        )

    def on_sign_in_refused(self, message: SignInRefused) -> None:
        """Said in place; what was typed stays."""
        self.error = message.error
        self.relabel()
        self.query_one(Input).focus()

    def on_signed_in(self, message: SignedIn) -> None:
        self.dismiss(message.name)

    def on_unmount(self) -> None:
        self.app.saves.forget(self)  # type: ignore[attr-defined]

    def action_cancel(self) -> None:
        if not self.required:
            self.dismiss(None)
