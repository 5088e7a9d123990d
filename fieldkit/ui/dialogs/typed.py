"""What a dialog holding typed text shares: Esc asks before dropping what was typed (a clerk
who typed a long note loses nothing to one key), a counter says how long the text is against
its limit while it is typed, and keys a choice cannot take are said, not swallowed."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.screen import ModalScreen

from fieldkit.i18n import t
from fieldkit.services.cases import TEXT_MAX


def count_line(text: str, limit: int = TEXT_MAX) -> str:
    """``128 / 2000 字``: how long the text is, against the most a case's text may be."""
    key = "ui.dialog.count_over" if len(text.strip()) > limit else "ui.dialog.count"
    return t(key, count=len(text.strip()), limit=limit)


def ask_to_drop(screen: ModalScreen, typed: str, drop: Callable[[], None]) -> None:
    """Esc on a dialog: with nothing typed, ``drop`` at once; else ask first (y drops it, n or
    Esc goes back to the text, as it was)."""
    if not typed.strip():
        drop()
        return
    from fieldkit.ui.dialogs.confirm import ConfirmDialog

    def answered(yes: bool | None) -> None:
        if yes:
            drop()

    count = len(typed.strip())
    question = ConfirmDialog("ui.dialog.drop_typed", "ui.dialog.drop_hint", count=count)
    screen.app.push_screen(question, answered)


#: Characters a choice step leaves alone: "-" picks the eleventh choice, "?" opens help and
#: "!" the needs-attention list from anywhere.
KEPT = frozenset("-?!")


class ChoiceKeys:
    """For a screen or dialog whose step is a choice by number: a printable key that is not
    a number says so once (typing a name into a list of departments does nothing else)."""

    told = False

    def say_choose(self, event: events.Key, count: int) -> bool:
        """True (and the key consumed) when ``event`` is a character a choice cannot take."""
        char = event.character or ""
        if not char or not char.isprintable() or char.isdigit() or char in KEPT:
            return False
        event.stop()
        event.prevent_default()
        if not self.told:
            self.told = True
            self.notify(t("ui.dialog.choose_by_number", count=count),  # type: ignore[attr-defined]
                        severity="warning")  # fmt: skip
        return True
