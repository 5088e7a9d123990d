"""Pick one of a few numbered options with one key (1-9, then 0 for a tenth, as on the
number row); returns its id, or None on Esc."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from fieldkit.i18n import t
from fieldkit.ui.widgets.phrases import PhraseText


class ChoiceDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)),
        Binding("0", "pick(10)", show=False),
    ]

    def __init__(self, question_key: str, options: list[tuple[str, str]]) -> None:
        """``options`` are (id, i18n key of its label), shown as 1) ..., 2) ..., 0) for a
        tenth."""
        super().__init__(classes="dialog")
        self.question_key = question_key
        self.options = options[:10]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield PhraseText(id="question")
            yield Static(id="choices")
            yield Static(id="choice-hint", classes="hint")

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        self.query_one("#question", PhraseText).set_text(t(self.question_key))
        lines = [f"{n % 10}) {t(label)}" for n, (_, label) in enumerate(self.options, 1)]
        self.query_one("#choices", Static).update("\n".join(lines))
        self.query_one("#choice-hint", Static).update(t("incidents.ui.choose_hint"))

    def action_pick(self, n: int) -> None:
        if 1 <= n <= len(self.options):
            self.dismiss(self.options[n - 1][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
