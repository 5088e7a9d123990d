"""An entry line that takes one line at a time, in the order the lines were typed.

Textual's ``Input`` inserts printable keys as its own queue reaches them, but acts on Enter
only once the key has bubbled up to the app (a non-priority binding, see
``fieldkit.ui.scan``). Lines that arrive together — a paste, an input method committing a
phrase, a quick typist on a busy laptop — are by then already in the box: the lines ran
together into one entry, or the handler's "empty the box" wiped the next one. Here Enter is
handled in the box's own queue, in order with the characters: the line is handed over and
the box emptied at once. The screen's handler must not empty the box itself (the next line
may already be in it). A paste of several lines gives one entry per line.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input


class LineInput(Input):
    """Textual calls ``_on_key`` and ``_on_paste`` of every class along the MRO, this one
    first; ``prevent_default`` keeps ``Input``'s own from running after it.

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
