"""Recognising barcode/QR scanner bursts in the key stream, whatever has focus.

Why Textual's stock ``Input`` merges back-to-back scans (read in textual 8.2.8):

* The driver does not merge anything. ``XTermParser.feed`` turns a burst such as
  ``"U-3-2-1502\\rU-3-2-1503\\r"`` into one ``events.Key`` per character, ``"\\r"`` becoming
  ``Key("enter")``, and the driver posts them all to the App's queue at once.
* ``App.on_event`` checks *priority* bindings and forwards each key to the focused widget's
  own queue (``_forward_event``) straight away, so the whole burst lands in the Input's queue
  before the Input has handled the first key.
* ``Input._on_key`` inserts printable characters immediately, but Enter is not handled there:
  it is a *non-priority* binding (``Binding("enter", "submit")``). Non-priority bindings are
  checked only when the unhandled Key has bubbled back up (Input → containers → Screen → App,
  one queue hop each) and reaches ``App._on_key``, which then runs ``Input.action_submit``.
* By then the Input has already drained the following characters of the next code from its
  queue, so ``Submitted.value`` holds code 1 plus the head of code 2, and the handler that
  clears the Input runs later still, cutting code 2 in two. Which codes merge depends on
  scheduling, so the loss looks random.

The fix cannot be "a faster handler": the ordering is inherent to bubbling. Instead the App
looks at every key *before* it is forwarded (``ScanCapture.intercept`` from ``App.on_event``).
Printable keys are held back for a moment; a run of at least ``min_length`` characters, each
arriving within ``max_gap`` seconds of the last, closed by Enter within ``max_gap`` is a scan:
it is delivered whole as one message and none of its keys reach the focused widget. Anything
else — a pause longer than ``max_gap``, a non-printable key, a short run — is replayed to the
normal path in its original order, so typing by hand works as before, only ``max_gap`` later.
Human typing does not keep key gaps under 25 ms for five keys in a row; scanners send a whole
code in a few milliseconds and a burst in one terminal read.

How long a key is held, and why not less. A printable key that could begin a code (below)
waits ``max_gap`` before it reaches the screen, so such a one-key answer in the runner is
``max_gap`` (+ ~0.5 ms of timer) later than it would be; ``bench/app.py`` prints that part
apart from the rest of the path.
``max_gap`` comes from the device's ``scan_gap_ms`` setting (``fieldkit.config``: config.toml,
``FIELDKIT_SCAN_GAP_MS`` overrides it), 25 ms by default:

* Lower is not safe by default. Keyboard-wedge scanners pace their characters themselves:
  USB ones typically 1-8 ms apart, Bluetooth ones ~8 ms with gaps of 16 ms now and then, and
  some let a site set an extra delay per character. A gap longer than ``max_gap`` splits a
  code, and its head is replayed as typed keys — in the runner ``p``/``f``/``n`` and digits
  are answers. A site whose scanners are measured faster may set a lower value.
* ``0`` means no scanner on this device: the capture is off and no key is held. Codes
  typed by a scanner would then reach the focused widget like typing.
* Keys that cannot begin a code are not held. A key is held only when a code this
  device acts on could start with it (``fieldkit.services.scan_shape.code_starts``: a
  fieldkit label's ``FK``, a tag id's hex digits, a prefix such as ``unit:``, and the first
  character of every code in the compound's registry, any case); any other key — in the
  demo compound ``n``, ``s`` or ``t``, a space, Chinese text — is applied at once. While
  keys are held (a burst may be under way) every printable key joins them whatever it is, so
  the order of keys never changes. Until the registry has been read (the first moments
  after start) every key may start a code and is held as before.
* The price, and why it is the right one. A code this device knows is never cut: its first
  key is always held. A *foreign* code whose first key no code here begins with (say a
  maker's serial ``SN2024…`` on an extinguisher) has that key, and those after it up to
  one that could begin a code, applied as typed before the rest is recognised as a code;
  the rest then gets the unknown-code message. Digits always count as a possible start
  (tag ids), so a product barcode (EAN-13, ``69…`` in China) is still held whole and
  changes nothing, and a choice item's option keys are never taken from one. Holding every
  key to protect foreign codes cost every answer key 25 ms.

Text is never a scan. A burst of text and Enter also comes from a paste without bracketed
paste, an input method committing a phrase, or a fast typist's macro. So when a text box has
focus, the owner (``FieldkitApp._on_scan_code``) takes a burst as a scan only where the screen
says a code of that shape means something in that box (``FieldScreen.scans_in_text``: a
search or place box takes any code, ``fieldkit.services.scan_shape.looks_like_code``; a box of
free text, such as the incident's line at a flat's door, only what a reader produces,
``looks_like_label``; a round's answer box also a code of this compound,
``Workspace.knows_code``, so an extinguisher's label scanned at the signature goes back to
it); otherwise ``on_scan`` answers False and the keys go to the box as
typed. A code taken as a scan there that names nothing is typed into the box after all
(``FieldScreen.scan_missed``): what is not acted on as a scan is never dropped. Lines typed
together into an entry line stay apart: ``fieldkit.ui.widgets.line_input``.

A scanner set to send a prefix key needs no hold-back at all. Most scanners can be told to
send a key before each code (a control character such as STX, which a terminal reads as
``ctrl+b``, or a function key). With ``scan_prefix`` set (config.toml), the capture holds
nothing: every key goes straight to the screen, except the prefix, which starts a code;
the printable keys after it are the code and Enter ends it. A prefix followed by no Enter
within ``PREFIX_TIMEOUT`` is a broken scan: what came is handed over as the code, so it
gets the unknown-code message and changes nothing. Timing is not used in this mode, so a
slow Bluetooth scanner is as safe as a fast one, and an answer key costs no wait.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from textual import events
from textual._time import get_time

DEFAULT_MAX_GAP = 0.025
PREFIX_TIMEOUT = 1.0  # seconds from the prefix key to Enter before a scan counts as broken
DEFAULT_MIN_LENGTH = 4
MAX_LENGTH = 256


@dataclass
class ScanCapture:
    """Holds printable keys until it knows whether they are a scan or typing.

    ``deliver`` replays a held key to the normal path; ``on_scan`` receives a whole code
    and says whether it took it as a scan (False: the burst is typing, and its keys and the
    Enter are replayed as they came — see "Text is never a scan" above); ``arm`` asks the
    owner to call :meth:`flush_if_idle` after ``delay`` seconds (the owner posts a message
    so the flush runs in the same queue as the keys, never concurrently).
    """

    deliver: Callable[[events.Key], Awaitable[None]]
    on_scan: Callable[[str], bool]
    arm: Callable[[float], None]
    #: the keys a code can begin with (lower case), None while unknown: see the docstring
    starts: Callable[[], frozenset[str] | None] = lambda: None
    max_gap: float = DEFAULT_MAX_GAP
    min_length: int = DEFAULT_MIN_LENGTH
    enabled: bool = True
    prefix: str = ""  # a key name ("ctrl+b", "f9"): prefix mode, see the module docstring
    held: list[events.Key] = field(default_factory=list)
    scans: int = 0
    capturing: bool = False
    started: float = 0.0

    async def intercept(self, event: events.Key) -> bool:
        """True when the key was held or consumed; False to let the caller process it now."""
        if self.prefix:
            return await self._intercept_prefixed(event)
        if not self.enabled:
            return False
        if self._printable(event):
            if self.held and event.time - self.held[-1].time > self.max_gap:
                await self.flush()
            if len(self.held) >= MAX_LENGTH:
                await self.flush()
            if not self.held:
                if not self._could_start(event):
                    return False  # no code begins with it: applied at once
                self.arm(self.max_gap)
            self.held.append(event)
            return True
        if (
            event.key == "enter"
            and len(self.held) >= self.min_length
            and event.time - self.held[-1].time <= self.max_gap
        ):
            code = "".join(key.character or "" for key in self.held)
            if self.on_scan(code):
                self.held.clear()
                self.scans += 1
                return True
        await self.flush()  # typing after all: the keys, then this one, as they came
        return False

    async def _intercept_prefixed(self, event: events.Key) -> bool:
        if event.key == self.prefix:
            if self.capturing:
                await self._end_capture()  # a prefix with no Enter before it: a broken one
            self.capturing = True
            self.started = event.time
            self.arm(PREFIX_TIMEOUT)
            return True
        if not self.capturing:
            return False
        if self._printable(event) and len(self.held) < MAX_LENGTH:
            self.held.append(event)
            return True
        await self._end_capture(event)  # Enter, or a suffix such as Tab: the code ends here
        return True

    async def _end_capture(self, end: events.Key | None = None) -> None:
        """The code is whole; the owner takes it as a scan, or it is typed, end key too."""
        code = "".join(key.character or "" for key in self.held)
        self.capturing = False
        if self.on_scan(code):
            self.held.clear()
            self.scans += 1
            return
        await self.flush()
        if end is not None:
            await self.deliver(end)

    async def flush_if_idle(self) -> None:
        """Replay held keys once no key has come for ``max_gap``; else wait a little more.
        In prefix mode: end a capture that has had no Enter for ``PREFIX_TIMEOUT``."""
        if self.prefix:
            if self.capturing:
                idle = get_time() - self.started
                if idle >= PREFIX_TIMEOUT:
                    await self._end_capture()
                else:
                    self.arm(PREFIX_TIMEOUT - idle)
            return
        if not self.held:
            return
        idle = get_time() - self.held[-1].time
        if idle >= self.max_gap:
            await self.flush()
        else:
            self.arm(self.max_gap - idle)

    async def flush(self) -> None:
        held, self.held = self.held, []
        for key in held:
            await self.deliver(key)

    def _could_start(self, event: events.Key) -> bool:
        starts = self.starts()
        return starts is None or (event.character or "").lower() in starts

    @staticmethod
    def _printable(event: events.Key) -> bool:
        char = event.character
        return bool(char) and len(char) == 1 and char.isprintable() and event.is_printable
