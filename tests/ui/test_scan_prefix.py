"""A scanner set to send a prefix key (STX, read as ctrl+b): codes are recognised by the
prefix, and no key is held back, so an answer key reaches the screen at once."""

from __future__ import annotations

from textual import events
from textual._time import get_time
from textual.widgets import Input

from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.scan import PREFIX_TIMEOUT, ScanCapture
from fieldkit.ui.screens.start import StartRunScreen
from tests.keys import one_read
from tests.ui.test_scan import CODES
from tests.waits import shown

STX = "\x02"


def prefixed_burst(app, codes: list[str]) -> None:
    one_read(app, "".join(f"{STX}{code}\r" for code in codes))


async def test_thirty_prefixed_codes_in_one_burst_open_thirty_targets_in_order(workspace):
    app = FieldkitApp(workspace, scan_prefix="ctrl+b")
    async with app.run_test(size=(120, 40)) as pilot:
        start = StartRunScreen()
        app.push_screen(start)
        await pilot.pause()
        prefixed_burst(app, CODES)
        await shown(pilot, lambda: len(app.scanned) == 30 and len(app.screen_stack) >= 32)
        assert app.scanned == CODES
        assert start.query_one("#search", Input).value == ""
        assert [s.target.code for s in app.screen_stack if s.has_class("target")] == CODES


async def test_keys_without_the_prefix_are_not_held_back(workspace):
    """Even a fast run of keys ending in Enter is typing when no prefix came first."""
    app = FieldkitApp(workspace, scan_prefix="ctrl+b")
    async with app.run_test() as pilot:
        start = StartRunScreen()
        app.push_screen(start)
        await pilot.pause()
        one_read(app, "1-1-301")
        box = start.query_one("#search", Input)
        await shown(pilot, lambda: box.value == "1-1-301")
        assert box.value == "1-1-301" and app.scanned == [] and not app.scan.held


def taking(scanned: list[str]):
    """An owner that takes every code as a scan (a screen where scans mean something)."""

    def on_scan(code: str) -> bool:
        scanned.append(code)
        return True

    return on_scan


async def test_capture_holds_nothing_but_the_prefixed_code():
    delivered: list[str] = []
    scanned: list[str] = []
    armed: list[float] = []

    async def deliver(key: events.Key) -> None:
        delivered.append(key.key)

    capture = ScanCapture(deliver, taking(scanned), armed.append, prefix="ctrl+b")
    assert await capture.intercept(events.Key("p", "p")) is False  # straight through
    for key, char in (("ctrl+b", None), ("A", "A"), ("minus", "-"), ("1", "1")):
        assert await capture.intercept(events.Key(key, char)) is True
    assert await capture.intercept(events.Key("enter", "\r")) is True
    assert scanned == ["A-1"] and delivered == [] and armed == [PREFIX_TIMEOUT]
    assert await capture.intercept(events.Key("f", "f")) is False


async def test_a_prefix_with_no_enter_is_a_broken_scan_that_types_nothing():
    scanned: list[str] = []

    async def deliver(key: events.Key) -> None:
        raise AssertionError("nothing of a broken scan may reach the screen")

    capture = ScanCapture(deliver, taking(scanned), lambda _: None, prefix="ctrl+b")
    await capture.intercept(events.Key("ctrl+b", None))
    await capture.intercept(events.Key("p", "p"))
    await capture.flush_if_idle()  # too early: still waiting for the rest
    assert scanned == [] and capture.capturing
    capture.started = get_time() - PREFIX_TIMEOUT
    await capture.flush_if_idle()
    assert scanned == ["p"] and not capture.capturing
