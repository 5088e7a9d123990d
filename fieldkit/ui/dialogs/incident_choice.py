"""Pick one of a few options with one key (1-9, then 0 for a tenth, as on the number row,
then a, b …: :data:`fieldkit.ui.keys.CHOICE_KEYS`); returns its id, or None on Esc."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from fieldkit.i18n import t
from fieldkit.ui.keys import CHOICE_KEYS
from fieldkit.ui.widgets.phrases import PhraseText


class ChoiceDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        *(Binding(k, f"pick({n})", show=False) for n, k in enumerate(CHOICE_KEYS[:12], 1)),
    ]

    def __init__(self, question_key: str, options: list[tuple[str, str]]) -> None:
        """``options`` are (id, i18n key of its label), shown as 1) ..., 2) ..., 0) for a
        tenth, a) for an eleventh (at most twelve)."""
        super().__init__(classes="dialog")
        self.question_key = question_key
        self.options = options[:12]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield PhraseText(id="question")
            yield Static(id="choices")
            yield Static(id="choice-hint", classes="hint")

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        self.query_one("#question", PhraseText).set_text(t(self.question_key))
        keys = CHOICE_KEYS[: len(self.options)]
        lines = [f"{k}) {t(label)}" for k, (_, label) in zip(keys, self.options, strict=True)]
        self.query_one("#choices", Static).update("\n".join(lines))
        letters = "_letters" if len(self.options) > 10 else ""
        self.query_one("#choice-hint", Static).update(t(f"incidents.ui.choose_hint{letters}"))

    def action_pick(self, n: int) -> None:
        if 1 <= n <= len(self.options):
            self.dismiss(self.options[n - 1][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
