"""Reveal one personal value of a resident: pick the field (the masked ones are listed, with
who may see those this device may not), then give a reason — one key for a common one, or
type one and Enter. Esc at any step closes it and nothing is revealed.

Returns a :class:`RevealAsk`, or None. The reveal itself (recorded first) is the service's
(:func:`fieldkit.services.reveals.reveal`); this dialog only asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from fieldkit.i18n import t
from fieldkit.model.reveal import REASON_MAX, REVEAL_REASONS
from fieldkit.reports.reveals import item_label, reason_label
from fieldkit.services.reveals import Choice, Choices, who_may
from fieldkit.ui.reveal import capitalised

#: The obstacles with a short note of their own in the dialog.
NOTES = ("no_incident", "empty", "masked_by_office")


@dataclass(frozen=True)
class RevealAsk:
    item: str
    reason_code: str = ""
    reason: str = ""


class RevealDialog(ModalScreen[RevealAsk | None]):
    DEFAULT_CSS = """
    RevealDialog { align: center middle; }
    RevealDialog #reveal-lines { margin: 1 0; }
    RevealDialog #reveal-other { display: none; }
    RevealDialog.reason #reveal-other { display: block; }
    """
    AUTO_FOCUS = ""  # nothing: digits pick; typing anything else goes to the reason line
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, choices: Choices) -> None:
        super().__init__(classes="dialog")
        self.choices = choices
        self.item: str | None = None  # picked: now asking why
        (only, *more) = choices.fields or (None,)
        if only is not None and not more and only.allowed:
            self.item = only.item  # one field offered (a call back: the phone): ask why

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="reveal-box"):
            yield Static(id="reveal-title", classes="section-title")
            yield Static(id="reveal-question")
            yield Static(id="reveal-lines")
            yield Input(id="reveal-other", max_length=REASON_MAX, select_on_focus=False)
            yield Static(id="reveal-hint", classes="hint")

    def on_mount(self) -> None:
        if self.item is not None:
            self.add_class("reason")
        self.relabel()

    def relabel(self) -> None:
        choices = self.choices
        self.query_one("#reveal-title", Static).update(
            t("reveals.dialog.title", unit=choices.unit_code, name=choices.name)
        )
        self.query_one("#reveal-hint", Static).update(t("reveals.dialog.recorded"))
        self.query_one("#reveal-other", Input).placeholder = t("reveals.dialog.other")
        lines = Text()
        if self.item is None:
            self.query_one("#reveal-question", Static).update(t("reveals.dialog.pick_field"))
            for n, choice in enumerate(choices.fields, 1):
                if n > 1:
                    lines.append("\n")
                style = "" if choice.allowed else "dim"
                lines.append(f"{n}  ", style="bold" if choice.allowed else "dim")
                label = capitalised(item_label(choice.item))
                lines.append(f"{label}  {choice.masked or '—'}", style=style)
                if choice.obstacle is not None:
                    lines.append(f"  {self._note(choice)}", style="dim italic")
        else:
            question = t("reveals.dialog.pick_reason", item=item_label(self.item))
            if choices.name:  # what is revealed, and of whom: this one item, nothing more
                question += "\n" + t("reveals.dialog.only", item=item_label(self.item),
                                     name=choices.name)  # fmt: skip
            self.query_one("#reveal-question", Static).update(question)
            for n, code in enumerate(REVEAL_REASONS, 1):
                if n > 1:
                    lines.append("\n")
                lines.append(f"{n}  ", style="bold")
                lines.append(reason_label(code))
        self.query_one("#reveal-lines", Static).update(lines)

    @staticmethod
    def _note(choice: Choice) -> str:
        """Why a field cannot be revealed, short enough for its line (pressing its number
        says it in full)."""
        obstacle = choice.obstacle
        key = obstacle.key.rsplit(".", 1)[-1] if obstacle is not None else ""
        if key == "not_allowed":
            return t("reveals.dialog.who", who=who_may(choice.item))
        return t(f"reveals.dialog.{key}") if key in NOTES else ""

    def on_key(self, event: events.Key) -> None:
        other = self.query_one("#reveal-other", Input)
        if other.has_focus or event.key in ("escape", "tab", "shift+tab"):
            return
        char = event.character or ""
        if event.key == "enter" and self.item is not None:  # nothing picked, nothing typed
            event.stop()
            self.notify(t("reveals.error.no_reason"), severity="warning")
        elif char.isdigit():
            event.stop()
            event.prevent_default()
            self._pick(int(char))
        elif self.item is not None and char.isprintable() and (char.strip() or other.value):
            # keys typed in one burst all reach here before the line takes the focus
            event.stop()
            event.prevent_default()
            other.focus()
            other.insert_text_at_cursor(char)

    def on_paste(self, event: events.Paste) -> None:
        other = self.query_one("#reveal-other", Input)
        if self.item is not None and not other.has_focus:
            event.stop()
            other.focus()
            other.insert_text_at_cursor(" ".join(event.text.split()))

    def _pick(self, n: int) -> None:
        if self.item is None:
            if not 1 <= n <= len(self.choices.fields):
                return
            choice = self.choices.fields[n - 1]
            if choice.obstacle is not None:
                self.notify(choice.obstacle.message(), severity="warning")
                return
            self.item = choice.item
            self.add_class("reason")
            self.relabel()
        elif 1 <= n <= len(REVEAL_REASONS):
            self.dismiss(RevealAsk(self.item, reason_code=REVEAL_REASONS[n - 1]))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = " ".join(event.value.split())
        if self.item is None:
            return
        if not text:
            self.notify(t("reveals.error.no_reason"), severity="warning")
            return
        self.dismiss(RevealAsk(self.item, reason=text))

    def action_cancel(self) -> None:
        self.dismiss(None)
