"""Typing on the home finds: nc29 typed a flat's code on the renovation home without ``/``,
nothing on screen showed it, and Enter then opened the flat highlighted in the list. A
letter, digit or 汉字 that is no key of the home opens the search with it typed; keys typed
fast (queued on the home before the search opened) all reach that one search; a key of the
home (``c``: the cases) still does what it says."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from fieldkit.services.demo import generate
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.home import HomeScreen
from fieldkit.ui.screens.start import StartRunScreen
from fieldkit.ui.screens.unit_card import UnitCardScreen
from tests.waits import settled, shown

FLAT = "1-1-201"


@pytest.fixture
def ws(tmp_path):
    generate(tmp_path / "c", cases=0, floors=2)
    opened = Workspace.open(tmp_path / "c")
    yield opened
    opened.close()


def _searches(app) -> list[StartRunScreen]:
    return [s for s in app.screen_stack if isinstance(s, StartRunScreen)]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_code_typed_on_the_home_is_found_and_enter_opens_it(ws, lang):
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.due)
        for char in FLAT:
            await pilot.press(char)
        await shown(pilot, lambda: app.screen.query_one(Input).value == FLAT)
        assert len(_searches(app)) == 1
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        assert app.screen.target.code == FLAT
        await pilot.press("escape")
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_keys_typed_fast_all_reach_one_search(ws):
    app = FieldkitApp(ws, lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.due)
        home = app.screen
        for char in "3-2-202":  # all queued on the home before the first is handled
            home.post_message(events.Key(char if char != "-" else "minus", char))
        await shown(pilot, lambda: _searches(app) and app.screen.query_one(Input).value)
        await pilot.pause(0.2)
        assert len(_searches(app)) == 1
        assert app.screen.query_one(Input).value == "3-2-202"


async def test_a_key_of_the_home_still_does_what_it_says(ws):
    from fieldkit.ui.screens.cases import CasesScreen

    app = FieldkitApp(ws, lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.due)
        await pilot.press("c")
        await shown(pilot, lambda: isinstance(app.screen, CasesScreen))
        assert not _searches(app)
