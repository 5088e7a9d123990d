"""SVG snapshots of the main screens in English and Chinese (CJK double width included).

The compound has no cases, so nothing on screen depends on record ids; it is made at a
fixed moment and the home screen reads that moment as now (its due list says "by 10:00"),
so nothing depends on the clock either.
Update after an intended change with ``pytest tests/ui/test_snapshots.py --snapshot-update``
and look at the new SVGs before committing them.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.runner import RunnerScreen
from fieldkit.ui.screens.start import StartRunScreen
from tests.waits import shown

SIZE = (110, 34)
NOW = 1772414400.0  # 2026-03-02 09:20 in the compound (UTC+8)


@pytest.fixture
def quiet_ws(tmp_path):
    generate(tmp_path / "c", cases=0, floors=2, now=NOW)
    ws = Workspace.open(tmp_path / "c")
    yield ws
    ws.close()


async def settle(pilot, cond) -> None:
    """The app settled and ``cond`` on screen; then a beat for the cursor's blink state."""
    await shown(pilot, cond)
    await pilot.pause(0.1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_home(snap_compare, quiet_ws, lang, monkeypatch):
    from fieldkit.ui.screens import home

    clock = SimpleNamespace(time=lambda: NOW, strftime=time.strftime, localtime=time.localtime)
    monkeypatch.setattr(home, "time", clock)
    app = FieldkitApp(quiet_ws, lang=lang)

    async def ready(pilot):
        await settle(
            pilot,
            lambda: getattr(app.screen, "summary", None) is not None and app.screen.due is not None,
        )

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_search_by_pinyin_initials(snap_compare, quiet_ws, lang):
    app = FieldkitApp(quiet_ws, lang=lang)

    async def ready(pilot):
        await pilot.pause()
        app.push_screen(StartRunScreen())
        await pilot.pause()
        await pilot.press("x", "f", "s")
        await settle(pilot, lambda: app.screen.shown_query == "xfs")
        assert {t.asset_kind for t in app.screen.results} == {"hydrant_cabinet"}

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_runner_floor_round(snap_compare, quiet_ws, lang):
    app = FieldkitApp(quiet_ws, lang=lang)
    route = quiet_ws.lookup_scan("R-1-1").target

    async def ready(pilot):
        await pilot.pause()
        app.push_screen(RunnerScreen(checklist_id="fire.extinguisher.floor_round", target=route))
        await settle(pilot, lambda: app.screen.run is not None)
        await pilot.press("3")  # missing: its other checks are left out, a spare is asked
        await settle(pilot, lambda: not app.screen.pending)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_over_runner(snap_compare, quiet_ws, lang):
    app = FieldkitApp(quiet_ws, lang=lang)
    route = quiet_ws.lookup_scan("R-1-1").target

    async def ready(pilot):
        await pilot.pause()
        app.push_screen(RunnerScreen(checklist_id="fire.extinguisher.floor_round", target=route))
        await settle(pilot, lambda: app.screen.run is not None)
        await pilot.press("question_mark")
        await settle(pilot, lambda: getattr(app.screen, "rows", None))

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)
