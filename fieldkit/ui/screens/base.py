"""What every fieldkit screen shares: re-labelling on a language switch, service calls,
and what a scan does when the screen has nothing better to do with it (open the target)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from fieldkit.i18n import t
from fieldkit.ui.messages import ScanReceived, WorkDone

if TYPE_CHECKING:
    from fieldkit.ui.app import FieldkitApp


class FieldScreen(Screen):
    """A screen whose text comes from the catalogue; ``relabel`` re-reads it in place."""

    HELP_KEYS: tuple[tuple[str, str], ...] = ()

    @property
    def fk(self) -> FieldkitApp:
        return self.app  # type: ignore[return-value]

    def relabel(self) -> None:
        """Re-read every visible string after a language switch; state stays as it is."""

    def service(self, what: str, fn: Any, *args: Any, **context: Any) -> None:
        self.fk.call_service(self, what, fn, *args, context=context)

    def scans_in_text(self, code: str) -> bool:
        """Whether ``code``, arriving as a burst while a text box of this screen has focus,
        is a scan (a search or place box takes any code; a box of free text only what a
        reader produces); if not, it is typed there (``fieldkit.ui.scan``)."""
        return False

    def on_scan_received(self, message: ScanReceived) -> None:
        self.service(
            "scan", lambda ws, code: ws.lookup_scan(code), message.code, typed=message.typed
        )

    def on_work_done(self, message: WorkDone) -> None:
        """Say a failure, or hand a result to ``done_<what>``. Textual calls every class's
        ``on_work_done`` along the MRO, this one last: a screen's own handler adds to it and
        must not call ``super()`` (that would hand each result over twice)."""
        message.stop()  # handled here: the app's own handler is for work posted to the app
        if message.error:
            self.notify(message.error, severity="error")
            return
        handler = getattr(self, f"done_{message.what}", None)
        if handler is not None:
            handler(message.result, **message.context)

    def done_scan(self, lookup: Any, typed: bool = False) -> None:
        if lookup.status != "found":
            self.scan_missed(lookup, typed)
            return
        self.open_target(lookup.target, code=lookup.code)

    def scan_missed(self, lookup: Any, typed: bool) -> None:
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
