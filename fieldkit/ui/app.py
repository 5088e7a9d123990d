"""The fieldkit Textual app: the screen patrol staff live in for a whole shift.

The app owns three cross-cutting things and nothing else: the scan capture (every scanner
burst becomes one ``ScanReceived`` for the active screen, whatever has focus), the language
(switching re-labels every screen on the stack in place, so no state is lost), and the theme
(a high-contrast one for sunlight). Data comes from ``fieldkit.services`` through thread
workers, changes go through the saver (``fieldkit.ui.saves``, ``app.saves``); screens never
do I/O themselves. How the parts fit: ``docs/architecture.md``.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.keys import _character_to_key
from textual.notifications import Notify
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input

from fieldkit.i18n import get_language, set_language, t
from fieldkit.ui.messages.app import LanguageChanged, ScanFlush, ScanReceived
from fieldkit.ui.saves import Saves
from fieldkit.ui.scan import ScanCapture

if TYPE_CHECKING:
    from fieldkit.services.workspace import Workspace

HIGH_CONTRAST = Theme(
    name="fieldkit-sun",
    primary="#000000",
    secondary="#003a8c",
    accent="#b00000",
    warning="#8a5a00",
    error="#b00000",
    success="#006400",
    foreground="#000000",
    background="#ffffff",
    surface="#ffffff",
    panel="#e8e8e8",
    dark=False,
)
THEME_NAMES = {"default": "textual-dark", "high-contrast": HIGH_CONTRAST.name}
HANGUPS = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name))
HANGUP_PATIENCE = 10.0  # seconds a hang-up waits for a save under way before leaving


@dataclass(frozen=True)
class DemoRoles:
    """The app runs on one device of the demo: ``people`` names each role's person (in the
    picker's order); ``ask`` opens the role picker at the start."""

    current: str
    people: dict[str, str] = field(default_factory=dict)
    ask: bool = False


@dataclass(frozen=True)
class Who:
    """Who the title bar names: the person signed in ("" for nobody) and the device's role."""

    person: str
    role: str


def _commands() -> type:
    """The palette's commands, found by their words too (imported when it first opens)."""
    from fieldkit.ui.dialogs.palette import Commands

    return Commands


class FieldkitApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "fieldkit"
    COMMANDS: ClassVar[set] = {_commands}
    SYNC_TICK = 5.0  # seconds between asking whether a background sync round is due
    #: While the app runs, a thread waiting for the GIL gets it within this many seconds
    #: (CPython's default is 5 ms). The saver thread releases and retakes the GIL around
    #: every file call of a save (open, write, fsync, rename, fsync) while this thread is
    #: busy drawing the answer just given; at 5 ms a turn, one save waited 10-30 ms.
    SWITCH_INTERVAL = 0.001
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", show=False),
        Binding("f1", "help", show=False),
        Binding("ctrl+l", "switch_language", show=False),
        Binding("ctrl+t", "toggle_theme", show=False),
        Binding("ctrl+q", "quit", show=False, priority=True),
        Binding("f2", "incident", show=False, priority=True),
        Binding("ctrl+u", "sign_in_next", show=False),
        Binding("f12", "switch_role", show=False, priority=True),
        Binding("exclamation_mark", "attention", show=False),
        Binding("ctrl+e", "reveals", show=False),
    ]

    def __init__(
        self,
        workspace: Workspace | Path,
        *,
        lang: str | None = None,
        theme: str = "default",
        scan_gap: float | None = None,
        scan_prefix: str = "",
        watch_folder: Path | None = None,
        ask_sign_in: bool = False,
        demo: DemoRoles | None = None,
    ) -> None:
        """``ask_sign_in``: when nobody is signed in on the device, ask for a name first
        (``run_app`` always does; a test building the app says whether it wants the dialog).
        ``demo``: the device is one of the demo's, and F12 switches to another role's."""
        from fieldkit.ui.wide_chars import keep_wide_characters
        from fieldkit.ui.widgets.phrases import phrase_toasts

        keep_wide_characters()  # a toast over a list lost the 后 of 稍后 (nc21)
        phrase_toasts()
        super().__init__()
        self.ask_sign_in = ask_sign_in
        self.demo = demo
        self.who: Who | None = None
        self.switch_to: str | None = None
        self._workspace: Future[Workspace] = Future()
        if isinstance(workspace, Path):
            self._data_dir = workspace
        else:
            self._workspace.set_result(workspace)
            self._data_dir = workspace.data_dir
        if lang:
            set_language(lang)
        self.register_theme(HIGH_CONTRAST)
        self.theme = THEME_NAMES.get(theme, "textual-dark")
        self.scan = ScanCapture(
            deliver=self._deliver_key,
            on_scan=self._on_scan_code,
            arm=self._arm_scan_flush,
            starts=self._code_starts,
        )
        if scan_gap is not None:
            self.scan.max_gap = scan_gap
            self.scan.enabled = scan_gap > 0  # 0: no scanner on this device
        self.scan.prefix = scan_prefix
        self.scanned: list[str] = []
        self.reveals_period = ""  # the reveal log's period, kept while the app runs
        self.saves = Saves(self)
        self.watch_folder = watch_folder
        self._switch_interval: float | None = None

    # -- start -------------------------------------------------------------------------

    def on_mount(self) -> None:
        from fieldkit.ui.screens.home import HomeScreen

        if not self._workspace.done():
            self.run_worker(self._open_workspace, thread=True, group="open")
        else:
            self.run_worker(self._announce, thread=True, group="open")
        if self._switch_interval is None:
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(self.SWITCH_INTERVAL)
        self.saves.start()
        self.push_screen(HomeScreen())
        self.set_interval(self.SYNC_TICK, self._background_sync)

    def _open_workspace(self) -> None:
        """Opened in a thread: the store, the checklist language and the sync client are
        imported here, not before the first screen is drawn."""
        try:
            from fieldkit.services.workspace import Workspace

            self._workspace.set_result(Workspace.open(self._data_dir))
        except Exception as exc:  # shown on every screen that asks for data
            self._workspace.set_exception(exc)
            return
        self._announce()

    def _announce(self) -> None:
        ws = self._workspace.result()
        self.call_from_thread(self._workspace_ready, Who(ws.person.name, ws.role))

    def _workspace_ready(self, who: Who) -> None:
        """The workspace is open: name the person in every title, ask for a name if nobody
        is signed in, and in the demo offer the role picker first."""
        self.set_who(who)
        if self.demo is not None and self.demo.ask:
            self.action_switch_role()
        elif self.ask_sign_in and not who.person:
            self.action_sign_in_next(required=True)

    def set_who(self, who: Who) -> None:
        self.who = who
        for screen in self.screen_stack:
            for bar in screen.query("TitleBar"):
                bar.relabel()  # type: ignore[attr-defined]

    def action_sign_in_next(self, required: bool = False) -> None:
        """Shift handover: the next person signs in (at the start: the first one must)."""
        from fieldkit.ui.dialogs.signin import SignInDialog

        if isinstance(self.screen, SignInDialog) or not self._workspace.done():
            return
        current = self.who.person if self.who else ""

        def signed(name: str | None) -> None:
            if name and self.who is not None:
                self.set_who(Who(name, self.who.role))
                self.notify(t("signin.dialog.done", name=name))

        self.push_screen(SignInDialog(required=required, current=current), signed)

    def action_switch_role(self) -> None:
        """The demo only: reopen the app as another role's demo device."""
        from fieldkit.ui.dialogs.role_picker import RolePicker

        if self.demo is None or isinstance(self.screen, RolePicker):
            return

        def chosen(role: str | None) -> None:
            if role and self.demo is not None and role != self.demo.current:
                self.switch_to = role
                self.exit()
            elif self.ask_sign_in and self.who is not None and not self.who.person:
                self.action_sign_in_next(required=True)

        self.push_screen(RolePicker(self.demo.people, self.demo.current), chosen)

    @property
    def workspace(self) -> Workspace:
        """The open workspace; blocks until opened, so call it only from thread workers."""
        return self._workspace.result()

    async def saved(self) -> None:
        """Until every change asked for so far is on disk and its screen has taken in what
        became of it (``fieldkit.ui.saves``)."""
        await self.saves.wait()

    def finish_saves(self, patience: float | None = None) -> bool:
        """Take no more saves and wait for the queued ones to be on disk (at most
        ``patience`` seconds, if given); whether they are."""
        return self.saves.close(patience)

    # -- scanning ----------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and await self.scan.intercept(event)
        ):
            return
        await super().on_event(event)

    async def _deliver_key(self, key: events.Key) -> None:
        await super().on_event(key)

    def _code_starts(self) -> frozenset[str] | None:
        """The keys a code can begin with, once the workspace has read its registry."""
        opened = self._workspace
        if not opened.done() or opened.exception() is not None:
            return None
        return opened.result().code_starts()

    def knows_code(self, code: str) -> bool:
        """Whether ``code`` names a place or asset of this compound (False until the
        workspace has read its registry)."""
        opened = self._workspace
        if not opened.done() or opened.exception() is not None:
            return False
        return opened.result().knows_code(code)

    def _arm_scan_flush(self, delay: float) -> None:
        self.set_timer(delay, lambda: self.post_message(ScanFlush()))

    async def on_scan_flush(self, _: ScanFlush) -> None:
        await self.scan.flush_if_idle()

    def _on_scan_code(self, code: str) -> bool:
        """Take a burst as a scan, or say it is typing (False: its keys go to the focused
        widget as typed). In a text box it is a scan only where the screen says a code of
        that shape means something there (``fieldkit.ui.scan``, "Text is never a scan")."""
        typed = typing_into(self.focused)
        if typed:
            wants = getattr(self.screen, "scans_in_text", None)
            if wants is None or not wants(code):
                return False
        self.scanned.append(code)
        self.screen.post_message(ScanReceived(code, typed=typed))
        return True

    async def type_text(self, text: str) -> None:
        """Hand ``text`` and Enter to the focused widget as if typed: a code taken as a scan
        that named nothing was typing after all (``FieldScreen.scan_missed``)."""
        for char in text:
            await self._deliver_key(events.Key(_character_to_key(char), char))
        await self._deliver_key(events.Key("enter", "\r"))

    async def action_quit(self) -> None:
        self.quit_keeping_typed()

    def quit_keeping_typed(self) -> None:
        """Ctrl+Q: each open screen, top first, keeps what was typed there and not saved
        (``FieldScreen.before_leaving``: saved, or dropped only when the person says so;
        staying stops the quit), then the app closes."""
        screens = [s for s in reversed(self.screen_stack) if hasattr(s, "before_leaving")]

        def next_screen(index: int) -> None:
            if index == len(screens):
                self.exit()
            else:
                screens[index].before_leaving(lambda: next_screen(index + 1))

        next_screen(0)

    # -- language and theme ------------------------------------------------------------

    def on_notify(self, event: Notify) -> None:
        """The same words said again replace the toast still showing them, not stack on it:
        a guard pressing a key that does not answer an item, five times, read five equal
        toasts over the round. Runs before Textual's own handler adds the new one."""
        new = event.notification
        for old in list(self._notifications):
            if (old.message, old.title, old.severity) == (new.message, new.title, new.severity):
                self._unnotify(old, refresh=False)

    def action_switch_language(self) -> None:
        self.set_language("en" if get_language() == "zh" else "zh")

    def set_language(self, lang: str) -> None:
        set_language(lang)
        for screen in self.screen_stack:
            for bar in screen.query("TitleBar, KeyBar"):
                bar.relabel()  # type: ignore[attr-defined]
            relabel = getattr(screen, "relabel", None)
            if relabel is not None:
                relabel()
            screen.post_message(LanguageChanged(lang))

    def action_toggle_theme(self) -> None:
        sun = HIGH_CONTRAST.name
        self.theme = "textual-dark" if self.theme == sun else sun

    # -- help and commands -------------------------------------------------------------

    def action_help(self) -> None:
        from fieldkit.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_start_run(self) -> None:
        from fieldkit.ui.screens.start import StartRunScreen

        self.push_screen(StartRunScreen())

    def action_find_unit(self) -> None:
        from fieldkit.ui.screens.start import StartRunScreen

        self.push_screen(StartRunScreen(find_only=True))

    def action_incident(self) -> None:
        """F2 from anywhere: a new incident (its first step also lists the open ones)."""
        from fieldkit.ui.screens.incident_open import IncidentOpenScreen

        if not isinstance(self.screen, IncidentOpenScreen):
            self.push_screen(IncidentOpenScreen())

    def action_attention(self) -> None:
        """``!`` from anywhere: what sync refused and what was damaged, and what to do."""
        from fieldkit.ui.screens.attention import AttentionScreen

        if not isinstance(self.screen, AttentionScreen):
            self.push_screen(AttentionScreen())

    def action_reveals(self) -> None:
        """ctrl+e: the reveal log — the office's; another role is told who reads it."""
        from fieldkit.services.reveals import AUDITOR, RevealError
        from fieldkit.ui.screens.reveals import RevealsScreen

        if self.who is None or isinstance(self.screen, RevealsScreen):
            return
        if self.who.role != AUDITOR:
            refused = RevealError("reveals.error.list_office", role=self.who.role, office=AUDITOR)
            self.notify(refused.message(), severity="warning")
            return
        self.push_screen(RevealsScreen())

    def action_patrol(self) -> None:
        from fieldkit.ui.screens.patrol import PatrolScreen

        self.push_screen(PatrolScreen())

    def action_intake(self) -> None:
        from fieldkit.ui.screens.intake import IntakeScreen

        self.push_screen(IntakeScreen())

    def action_trends(self) -> None:
        from fieldkit.ui.screens.trends import TrendsScreen

        self.push_screen(TrendsScreen())

    def action_week(self) -> None:
        from fieldkit.ui.screens.trends import TrendsScreen

        self.push_screen(TrendsScreen("week"))

    def action_handover(self) -> None:
        """The shift handover, straight (h on the desk's home, or the palette)."""
        from fieldkit.ui.screens.trends import TrendsScreen

        self.push_screen(TrendsScreen("handover"))

    def action_cases(self) -> None:
        from fieldkit.ui.screens.cases import CasesScreen

        self.push_screen(CasesScreen())

    def _background_sync(self) -> None:
        """Ask the workspace for a round now and then; it decides whether one is due."""
        if not self._workspace.done() or len(self.screen_stack) < 2:
            return
        home = self.screen_stack[1]
        sync = getattr(home, "background_sync", None)
        if sync is not None:
            sync()

    def action_sync_now(self) -> None:
        home = self.screen_stack[1] if len(self.screen_stack) > 1 else None
        sync = getattr(home, "sync_now", None)
        if sync is not None:
            sync()

    def action_command_palette(self) -> None:
        from fieldkit.ui.dialogs.palette import Palette

        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(t("ui.cmd.start"), t("ui.cmd.start_help"), self.action_start_run)
        yield SystemCommand(t("ui.cmd.find"), t("ui.cmd.find_help"), self.action_find_unit)
        yield SystemCommand(t("ui.cmd.cases"), t("ui.cmd.cases_help"), self.action_cases)
        yield SystemCommand(t("lifecycle.ui.cmd"), t("lifecycle.ui.cmd_help"), self.action_intake)
        yield SystemCommand(
            t("lifecycle.ui.trends_cmd"), t("lifecycle.ui.trends_cmd_help"), self.action_trends
        )
        yield SystemCommand(t("week.cmd"), t("week.cmd_help"), self.action_week)
        yield SystemCommand(
            t("trends.handover.cmd"), t("trends.handover.cmd_help"), self.action_handover
        )
        yield SystemCommand(
            t("registry.cmd.patrol"), t("registry.cmd.patrol_help"), self.action_patrol
        )
        yield SystemCommand(t("incidents.ui.cmd"), t("incidents.ui.cmd_help"), self.action_incident)
        yield SystemCommand(t("ui.cmd.sync"), t("ui.cmd.sync_help"), self.action_sync_now)
        yield SystemCommand(
            t("signin.cmd.next"), t("signin.cmd.next_help"), self.action_sign_in_next
        )
        if self.demo is not None:
            yield SystemCommand(
                t("demo.cmd.switch"), t("demo.cmd.switch_help"), self.action_switch_role
            )
        yield SystemCommand(
            t("attention.cmd.title"), t("attention.cmd.help"), self.action_attention
        )
        from fieldkit.services.reveals import AUDITOR

        if self.who is not None and self.who.role == AUDITOR:  # the reveal log is theirs
            yield SystemCommand(t("reveals.cmd.title"), t("reveals.cmd.help"), self.action_reveals)
        yield SystemCommand(
            t("ui.cmd.language"), t("ui.cmd.language_help"), self.action_switch_language
        )
        yield SystemCommand(t("ui.cmd.theme"), t("ui.cmd.theme_help"), self.action_toggle_theme)
        yield SystemCommand(t("ui.cmd.help"), t("ui.cmd.help_help"), self.action_help)
        yield SystemCommand(t("ui.cmd.quit"), t("ui.cmd.quit_help"), self.quit_keeping_typed)

    def on_unmount(self) -> None:
        """Let every queued save finish before the store is closed."""
        self.finish_saves()
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
        if self._workspace.done() and self._workspace.exception() is None:
            self._workspace.result().close()


def typing_into(widget: object) -> bool:
    """Whether ``widget`` is a text box: an Input, or a TextArea once a screen has imported
    that class (until then no widget can be one; its module and the document classes it
    brings cost ~15 ms before the first frame, measured, and the home has none)."""
    if isinstance(widget, Input):
        return True
    text_area = sys.modules.get("textual.widgets._text_area")
    return text_area is not None and isinstance(widget, text_area.TextArea)


def run_app(
    data_dir: Path,
    *,
    lang: str | None = None,
    theme: str = "default",
    watch_folder: Path | None = None,
    scan_gap_ms: int = 25,
    scan_prefix: str = "",
    demo: DemoRoles | None = None,
    on_hangup: Callable[[], None] | None = None,
) -> str | None:
    """Run the app; the scanner settings are the config's ``scan_gap_ms`` and
    ``scan_prefix``. On a demo device, the role the person switched to (None on quit).

    A closed terminal (SIGHUP) or a kill (SIGTERM) ends the process once the saves already
    asked for are on disk, after ``on_hangup`` (the demo stops its office server). Nothing
    is drawn any more, so Textual's shut-down is skipped: it writes to the dead terminal,
    and a SystemExit raised inside it left its input thread reading that terminal at full
    speed, for ever."""
    app = FieldkitApp(
        data_dir,
        lang=lang,
        theme=theme,
        watch_folder=watch_folder,
        scan_gap=scan_gap_ms / 1000,
        scan_prefix=scan_prefix,
        ask_sign_in=True,
        demo=demo,
    )

    def hung_up(signum: int, _frame: object) -> None:
        if not app.finish_saves(HANGUP_PATIENCE):
            logging.getLogger("fieldkit").error("hang-up: a save did not finish; leaving")
        if on_hangup is not None:
            on_hangup()
        os._exit(128 + signum)

    before = {signum: signal.signal(signum, hung_up) for signum in HANGUPS}
    try:
        app.run()
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
    error = getattr(app, "_exception", None)  # Textual keeps the one that ended the app
    if error is not None:  # printed on the terminal as the app closed; kept in the log too
        logging.getLogger("fieldkit").error("the app ended on an error", exc_info=error)
    return app.switch_to
