"""What a screen that lists residents masked does to reveal one value: ``r`` on a resident
asks the service what may be revealed, opens :class:`~fieldkit.ui.dialogs.reveal.RevealDialog`,
and shows the value the service returns (after recording the reveal) for this view only —
masked again after :attr:`RevealingScreen.REVEAL_SECONDS` seconds, or as soon as another
screen covers this one or it is closed, whichever comes first.

A screen derives from :class:`RevealingScreen`, calls :meth:`~RevealingScreen.ask_reveal`
from its ``r``, draws a resident's value with :meth:`~RevealingScreen.shown`, and redraws
them in :meth:`~RevealingScreen.redraw_revealed`.
"""

from __future__ import annotations

from typing import Any

from textual.screen import ModalScreen

from fieldkit.i18n import t
from fieldkit.i18n.roles import role_name
from fieldkit.services import reveals
from fieldkit.ui.messages.unit_card import RevealChoices, Revealed
from fieldkit.ui.screens.base import FieldScreen
from fieldkit.ui.workers import in_thread


def capitalised(text: str) -> str:
    """A line that starts with a word used inside sentences (name, phone number): its first
    letter upper-cased (zh is unchanged)."""
    return text[:1].upper() + text[1:]


class RevealingScreen(FieldScreen):
    #: How long a revealed value stays on screen (seconds).
    REVEAL_SECONDS: float = 60.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.revealed: dict[str, dict[str, str]] = {}  # resident id -> field -> full value
        self._reveals = 0  # how many so far: each timer masks only its own reveal
        self._latest: dict[tuple[str, str], int] = {}

    def shown(self, resident_id: str, item: str, masked: str) -> str:
        """The value to draw: the revealed one while it is shown, else the mask."""
        return self.revealed.get(resident_id, {}).get(item, masked)

    def redraw_revealed(self) -> None:
        """Draw the residents again (a value was revealed or masked again)."""

    @in_thread(group="reveal-choices")
    def ask_reveal(
        self, resident_id: str, incident_id: str = "", items: tuple[str, ...] | None = None
    ) -> None:
        """What this role may reveal of the resident (of ``items`` only, when the purpose
        needs no more), and why not the rest."""
        wanted = {"items": items} if items else {}
        choices = reveals.choices(self.fk.workspace, resident_id, incident_id, **wanted)
        self.post_message(RevealChoices(choices))

    def on_reveal_choices(self, message: RevealChoices) -> None:
        from fieldkit.ui.dialogs.reveal import RevealAsk, RevealDialog

        choices = message.choices
        if not choices.any_allowed:
            later = any(c.obstacle and c.obstacle.key == "reveals.error.no_incident"
                        for c in choices.fields)  # fmt: skip
            lines = [t("reveals.dialog.none_now" if later else "reveals.dialog.none",
                       role=role_name(choices.role))]  # fmt: skip
            lines += [
                capitalised(t("reveals.dialog.field_who", item=reveals.item_label(c.item),
                              who=reveals.who_may(c.item)))
                for c in choices.fields
            ]  # fmt: skip
            self.notify("\n".join(lines), severity="warning", timeout=12)
            return

        def asked(answer: RevealAsk | None) -> None:
            if answer is None:
                return

            def reveal(ws: Any) -> Revealed:
                value = reveals.reveal(
                    ws,
                    choices.resident_id,
                    answer.item,
                    reason_code=answer.reason_code,
                    reason=answer.reason,
                    incident_id=choices.incident_id,
                )
                return Revealed(choices.resident_id, answer.item, value, choices.name)

            # on the saver: the reveal is recorded (durably) before the value is shown
            self.fk.saves.put(self, reveal)

        self.app.push_screen(RevealDialog(choices), asked)

    def on_revealed(self, message: Revealed) -> None:
        resident, item, value = message.resident, message.item, message.value
        self.revealed.setdefault(resident, {})[item] = value
        self._reveals += 1
        self._latest[(resident, item)] = number = self._reveals
        seconds = self.REVEAL_SECONDS
        label = reveals.item_label(item)
        key = "reveals.dialog.shown_of" if message.name else "reveals.dialog.shown"
        self.notify(t(key, item=label, name=message.name, seconds=f"{seconds:g}"))
        self.set_timer(seconds, lambda: self._mask_again(resident, item, number))
        self.redraw_revealed()

    def _mask_again(self, resident: str, item: str, number: int) -> None:
        """One reveal's time is up: mask it again, unless it was revealed again since."""
        fields = self.revealed.get(resident, {})
        if self._latest.get((resident, item)) == number and item in fields:
            del fields[item]
            self.redraw_revealed()

    def on_screen_suspend(self, _event: Any) -> None:
        """Another screen covers this one (a dialog or help does not count): mask again."""
        if self.revealed and not isinstance(self.app.screen, ModalScreen):
            self.revealed.clear()
            self.redraw_revealed()
