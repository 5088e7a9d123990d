"""The hold-back only where a code could start: a key no code of this device begins with is
applied at once, and nothing of a burst is lost, cut or reordered by it (``fieldkit.ui.scan``,
``fieldkit.services.scan_shape.code_starts``)."""

from __future__ import annotations

from textual import events
from textual._time import get_time
from textual.widgets import Input

from fieldkit.services.scan_shape import FORMAT_STARTS, code_starts
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.scan import ScanCapture
from fieldkit.ui.screens.start import StartRunScreen
from tests.keys import one_read
from tests.ui.test_scan import CODES
from tests.waits import shown

STARTS = code_starts(["u-3-2-1502", "pump", "gate-n"])


def key(char: str, at: float) -> events.Key:
    event = events.Key("enter" if char == "\r" else char, char)
    event.time = at
    return event


def capture(delivered: list[str], scanned: list[str], starts=STARTS) -> ScanCapture:
    async def deliver(event: events.Key) -> None:
        delivered.append(event.character or event.key)

    def on_scan(code: str) -> bool:
        scanned.append(code)
        return True

    return ScanCapture(deliver, on_scan, lambda _delay: None, starts=lambda: starts)


def test_the_keys_that_could_begin_a_code_come_from_its_formats_and_the_registry():
    assert {"f", "0", "9", "a", "e"} <= FORMAT_STARTS  # FK1:…, tag ids in hex or decimal
    assert {"u", "p", "g"} <= STARTS and {"n", "s", "t", " ", "水"}.isdisjoint(STARTS)
    assert code_starts([]) == FORMAT_STARTS


async def test_a_key_no_code_begins_with_is_applied_at_once_and_one_that_could_is_held():
    delivered: list[str] = []
    scan = capture(delivered, [])
    assert await scan.intercept(key("n", get_time())) is False  # straight on to the screen
    assert await scan.intercept(key("水", get_time())) is False
    assert scan.held == []
    assert await scan.intercept(key("P", get_time())) is True  # PUMP, typed with Caps Lock
    assert [k.character for k in scan.held] == ["P"] and delivered == []


async def test_until_the_registry_is_read_every_key_is_held():
    scan = capture([], [], starts=None)
    assert await scan.intercept(key("n", get_time())) is True


async def test_keys_that_pass_straight_through_while_a_burst_is_under_way_keep_its_order():
    """One terminal read: an answer key, a code whose middle holds keys no code begins
    with, another answer key, another code. The keys between the codes are applied at
    once; the ones inside a code stay in it."""
    delivered: list[str] = []
    scanned: list[str] = []
    scan = capture(delivered, scanned)
    now = get_time()
    passed = []
    for char in "nU-3-2-1502\rsGATE-N\rt":
        if not await scan.intercept(key(char, now)):
            passed.append(char)
    assert scanned == ["U-3-2-1502", "GATE-N"]
    assert passed == ["n", "s", "t"] and delivered == []
    assert scan.held == []


async def test_typing_that_meets_a_held_key_is_replayed_in_order():
    """``n`` right after a held ``p`` joins it (a burst may be under way); a pause ends the
    run and both reach the screen in the order typed, before the next key."""
    delivered: list[str] = []
    scan = capture(delivered, [])
    now = get_time()
    assert await scan.intercept(key("p", now)) is True
    assert await scan.intercept(key("n", now + 0.005)) is True  # joins the held run
    assert await scan.intercept(key("s", now + 0.5)) is False  # after a pause: first the run
    assert delivered == ["p", "n"]


async def test_thirty_codes_in_one_burst_between_answer_keys_open_thirty_targets(workspace):
    """The 30-code burst with a key no code begins with before each code and at the end:
    every code opens its target in order, and every other key reaches the search box."""
    assert workspace.places and "x" not in workspace.code_starts()
    app = FieldkitApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        start = StartRunScreen()
        app.push_screen(start)
        await pilot.pause()
        box = start.query_one("#search", Input)
        assert app.focused is box
        one_read(app, "x" + "".join(f"{code}\r" for code in CODES))
        await shown(pilot, lambda: len(app.scanned) == 30 and len(app.screen_stack) >= 32)
        assert app.scanned == CODES
        assert [s.target.code for s in app.screen_stack if s.has_class("target")] == CODES
        assert box.value == "x"  # applied at once, before the first code was recognised
