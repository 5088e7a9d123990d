"""Entry lines that act on every key in the order the keys were typed.

Textual's ``Input`` inserts printable keys as its own queue reaches them, but acts on Enter,
Backspace, Delete and the arrows only once the key has bubbled up to the app (non-priority
bindings, see ``fieldkit.ui.scan``). Keys that arrive together — a scanner's burst, a paste,
an input method committing a phrase, a quick typist on a busy laptop — are by then already
in the box: ``E X ⌫ Q`` became ``E X Q`` then a deletion of the Q, and lines ran together
into one entry. ``EntryInput`` handles those keys in the box's own queue, in order with the
characters. ``LineInput`` also empties the box as it hands a line over: the screen's handler
must not empty the box itself (the next line may already be in it). A paste of several
lines gives one entry per line.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input

#: keys ``Input`` binds (acted on after bubbling) that edit or move in the line: done at once
IN_ORDER = {
    "backspace": "delete_left",
    "ctrl+h": "delete_left",
    "delete": "delete_right",
    "ctrl+d": "delete_right",
    "left": "cursor_left",
    "right": "cursor_right",
}


class EntryInput(Input):
    """Textual calls ``_on_key`` of every class along the MRO, this one first;
    ``prevent_default`` keeps ``Input``'s own from running after it. Enter hands the line
    over (``Submitted``) in order and leaves it in the box: the screen decides whether it
    was taken (a refused reading stays, to be corrected)."""

    def _on_key(self, event: events.Key) -> None:
        action = IN_ORDER.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            self._restart_blink()
            getattr(self, f"action_{action}")()
        elif event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.value))


class LineInput(EntryInput):
    """Enter hands the line over and empties the box at once (see the module docstring).

    Coming back to the line never selects what is in it (``select_on_focus`` off): the next
    key would replace a half-written line, or the first key typed elsewhere and handed to
    the line with the focus."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self._hand_over(self.value)

    def _on_paste(self, event: events.Paste) -> None:
        """The first pasted line joins what is typed at the cursor; every line but the last
        is handed over; the last stays in the box to go on with."""
        event.stop()
        event.prevent_default()
        *whole, last = event.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        at = self.cursor_position
        before, after = self.value[:at], self.value[at:]
        for line in whole:
            self._hand_over(before + line + after)
            before = after = ""
        self.value = before + last + after
        self.cursor_position = len(before + last)

    def _hand_over(self, text: str) -> None:
        self.value = ""
        self.cursor_position = 0
        self.post_message(self.Submitted(self, text))
