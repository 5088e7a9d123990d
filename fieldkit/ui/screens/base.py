"""What every fieldkit screen shares: its key table, re-labelling on a language switch,
saying a failed piece of work, and what a scan does when the screen has nothing better to
do with it (open the target)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from fieldkit.i18n import t
from fieldkit.ui.keys import KeyTable, bar_numbers
from fieldkit.ui.messages.app import SaveFailed, ScanLooked, ScanReceived
from fieldkit.ui.workers import said

if TYPE_CHECKING:
    from fieldkit.services.types import ScanLookup
    from fieldkit.ui.app import FieldkitApp


class FieldScreen(Screen):
    """A screen whose text comes from the catalogue; ``relabel`` re-reads it in place."""

    #: The screen's keys: its bindings, help lines and key bar (``fieldkit.ui.keys``).
    KEYS: ClassVar[KeyTable] = KeyTable()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "KEYS" in cls.__dict__:  # before Textual merges the class's bindings
            cls.BINDINGS = cls.KEYS.bindings()
        super().__init_subclass__(**kwargs)

    @property
    def fk(self) -> FieldkitApp:
        return self.app  # type: ignore[return-value]

    # -- keys ------------------------------------------------------------------------------

    def key_states(self) -> tuple[str, ...]:
        """The states that hold now, for the keys listed only in some (``Key.when``)."""
        return ()

    @property
    def HELP_KEYS(self) -> tuple[tuple[str, str], ...]:
        """Help's lines for this screen as it is now."""
        return self.KEYS.help(self.key_states())

    def choice_count(self) -> int:
        """How many numbered choices the screen offers now (0: none), so the bar names its
        "1-9" key as many as there are (``fieldkit.ui.keys.bar_numbers``)."""
        return 0

    def bar_keys(self) -> tuple[tuple[str, str], ...]:
        """The key bar for this screen as it is now."""
        return bar_numbers(self.KEYS.bar(self.key_states()), self.choice_count())

    def show_keys(self) -> None:
        """Redraw the key bar after the states changed."""
        from fieldkit.ui.widgets.keybar import KeyBar

        for bar in self.query(KeyBar):
            bar.set_keys(self.bar_keys())

    def relabel(self) -> None:
        """Re-read every visible string after a language switch; state stays as it is."""

    def scans_in_text(self, code: str) -> bool:
        """Whether ``code``, arriving as a burst while a text box of this screen has focus,
        is a scan (a search or place box takes any code; a box of free text only what a
        reader produces); if not, it is typed there (``fieldkit.ui.scan``)."""
        return False

    def before_leaving(self, leave: Callable[[], None]) -> None:
        """Call ``leave`` once what the person typed here is safe (saved, or dropped when
        they said so); a screen holding unsaved typing overrides this (Ctrl+Q asks every
        open screen, top first)."""
        leave()

    # -- work ------------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this screen failed: say why, once (``fieldkit.ui.workers``)."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(said(event.worker.error), severity="error")

    def on_save_failed(self, message: SaveFailed) -> None:
        self.notify(message.error, severity="error")

    def on_unmount(self) -> None:
        self.fk.saves.forget(self)

    # -- scans -----------------------------------------------------------------------------

    def on_scan_received(self, message: ScanReceived) -> None:
        """Looked up on the saver, in turn: a burst of codes opens its targets in order."""
        code, typed = message.code, message.typed
        self.fk.saves.put(self, lambda ws: ScanLooked(ws.lookup_scan(code), typed))

    def on_scan_looked(self, message: ScanLooked) -> None:
        self.scanned(message.lookup, message.typed)

    def scanned(self, lookup: ScanLookup, typed: bool) -> None:
        """What a scan does here: open what it names (a screen that uses scans otherwise
        overrides this, and hands the others back here)."""
        if lookup.status != "found":
            self.scan_missed(lookup, typed)
            return
        self.open_target(lookup.target, code=lookup.code)

    def scan_missed(self, lookup: ScanLookup, typed: bool) -> None:
        """A scan that names nothing here. Read in a text box, it was typing after all and
        goes into the box as typed; otherwise the person is told, and nothing changes."""
        if typed:
            self.run_worker(self.fk.type_text(lookup.code), group="typed")
            return
        message = lookup.message or t(f"ui.scan.{lookup.status}", code=lookup.code)
        self.notify(message, severity="warning")

    def open_target(self, target: Any, code: str = "") -> None:
        """Open what a target's card is, the same way whether it was scanned or searched:
        a flat's unit card, a patrol round at a checkpoint, or the generic target card."""
        if target.kind == "unit":
            from fieldkit.ui.screens.unit_card import UnitCardScreen

            self.app.push_screen(UnitCardScreen(target))
            return
        if target.kind == "checkpoint":  # a patrol checkpoint: begin a round there
            from fieldkit.ui.screens.patrol import PatrolScreen

            self.app.push_screen(PatrolScreen(first=code or target.code))
            return
        from fieldkit.ui.screens.target import TargetScreen

        self.app.push_screen(TargetScreen(target))
