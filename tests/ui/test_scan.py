"""Scanner bursts: every code+Enter is recognised on its own, whatever has focus."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.start import StartRunScreen
from tests.keys import one_read
from tests.waits import shown

CODES = [
    f"{b}-{e}-{f}{n:02d}"
    for b in (1, 2, 3)
    for e in (1, 2)
    for f, n in ((3, 1), (7, 2), (12, 4), (15, 2), (18, 3))
]


def burst(app: App, codes: list[str]) -> None:
    """Deliver codes the way a scanner does: one terminal read, parsed, all posted at once."""
    one_read(app, "".join(f"{code}\r" for code in codes))


class StockInputApp(App[None]):
    """The naive design: an Input that clears itself on submit."""

    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submitted.append(event.value)
        event.input.clear()


async def test_stock_input_merges_a_burst():
    """Why the app has its own capture: the stock Input loses the code boundaries."""
    app = StockInputApp()
    async with app.run_test() as pilot:
        app.query_one(Input).focus()
        burst(app, CODES)
        await pilot.pause()  # every key of the burst handled
    assert len(CODES) == 30
    assert app.submitted != CODES


async def test_thirty_codes_in_one_burst_open_thirty_targets_in_order(workspace):
    app = FieldkitApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start = StartRunScreen()
        app.push_screen(start)
        await pilot.pause()
        assert isinstance(app.focused, Input)
        burst(app, CODES)
        await shown(pilot, lambda: len(app.scanned) == 30 and len(app.screen_stack) >= 32)
        assert app.scanned == CODES
        assert start.query_one("#search", Input).value == ""
        opened = [s.target.code for s in app.screen_stack if s.has_class("target")]
        assert opened == CODES


async def test_typing_by_hand_still_reaches_the_focused_input(workspace):
    app = FieldkitApp(workspace)
    async with app.run_test() as pilot:
        start = StartRunScreen()
        app.push_screen(start)
        await pilot.pause()
        await pilot.press("x", "f", "s")
        box = start.query_one("#search", Input)
        await shown(pilot, lambda: box.value == "xfs")
        assert box.value == "xfs"
        await shown(pilot, lambda: start.results and start.results[0].code.startswith("HYD"))
        assert all(r.asset_kind == "hydrant_cabinet" for r in start.results)
        assert app.scanned == []


async def test_unknown_and_malformed_codes_change_nothing(workspace):
    app = FieldkitApp(workspace)
    async with app.run_test() as pilot:
        await pilot.pause()
        before = len(app.screen_stack)
        burst(app, ["9-9-9999", "3-2-15%2"])  # a code this compound lacks; a garbled read
        await shown(pilot, lambda: len(app.scanned) == 2)
        await pilot.pause(0.1)
        assert app.scanned == ["9-9-9999", "3-2-15%2"]
        assert len(app.screen_stack) == before
        said = [n.message for n in app._notifications]
        assert any("9-9-9999" in m and "not a known" in m for m in said)
        assert any("not a fieldkit label" in m for m in said)


async def test_scanning_an_asset_of_the_round_jumps_to_it(tmp_path):
    from fieldkit.services.demo import generate
    from fieldkit.services.workspace import Workspace
    from fieldkit.ui.screens.runner import RunnerScreen

    generate(tmp_path / "c", cases=0, floors=4)
    ws = Workspace.open(tmp_path / "c")
    app = FieldkitApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        route = ws.lookup_scan("R-2-1").target
        runner = RunnerScreen(checklist_id="fire.extinguisher.floor_round", target=route)
        app.push_screen(runner)
        await shown(pilot, lambda: runner.run is not None)
        burst(app, ["EXT-2-1-3"])
        await shown(pilot, lambda: runner.step().asset and runner.step().asset.code == "EXT-2-1-3")
        step = runner.step()
        assert (step.pass_no, step.item.id) == (3, "in_place")
        assert app.screen is runner
    ws.close()


async def test_scan_gap_zero_means_no_scanner_and_no_hold_back(workspace):
    """``scan_gap_ms = 0`` (a device with no scanner): every key goes straight through."""
    app = FieldkitApp(workspace, scan_gap=0.0)
    async with app.run_test() as pilot:
        start = StartRunScreen()
        app.push_screen(start)
        await pilot.pause()
        assert not app.scan.enabled
        box = start.query_one("#search", Input)
        burst(app, ["3-2-1502"])
        await shown(pilot, lambda: box.value == "3-2-1502")
        assert box.value == "3-2-1502" and app.scanned == []
        assert app.scan.held == []
