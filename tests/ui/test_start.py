"""Finding a target by search opens the same card as scanning its label."""

from __future__ import annotations

import time

import pytest

from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.start import StartRunScreen
from fieldkit.ui.screens.target import TargetScreen
from fieldkit.ui.screens.unit_card import UnitCardScreen
from tests.waits import shown


async def search_and_open(pilot, app, query: str) -> None:
    await pilot.pause()
    await pilot.press("s")
    await shown(pilot, lambda: isinstance(app.screen, StartRunScreen))
    await pilot.press(*query)
    await shown(pilot, lambda: app.screen.shown_query == query and len(app.screen.results) == 1)
    await pilot.press("enter")


async def test_a_flat_found_by_search_opens_its_unit_card(workspace):
    app = FieldkitApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await search_and_open(pilot, app, "1-1-301")
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        card = app.screen
        await shown(pilot, lambda: card.checklists)
        assert card.target.code == "1-1-301"
        assert "renovation.site_patrol" in [c.id for c in card.checklists]


async def test_a_route_found_by_search_opens_the_target_card(workspace):
    app = FieldkitApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await search_and_open(pilot, app, "R-1-1")
        await shown(pilot, lambda: isinstance(app.screen, TargetScreen) and app.screen.checklists)
        assert app.screen.target.code == "R-1-1"


async def test_enter_typed_before_the_results_came_opens_the_flat(workspace, monkeypatch):
    """A code typed fast and Enter at once, on a laptop slow to search: Enter waits for the
    results of the whole code (it acted on those of the text before, a list of several,
    and opened nothing)."""
    search = workspace.search

    def slow_search(*args, **kwargs):
        time.sleep(0.2)  # a busy laptop: the real search, late
        return search(*args, **kwargs)

    monkeypatch.setattr(workspace, "search", slow_search)
    app = FieldkitApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await shown(pilot, lambda: isinstance(app.screen, StartRunScreen))
        await pilot.press(*"1-1-301", "enter")  # no pause: the search is still running
        await shown(pilot, lambda: isinstance(app.screen, UnitCardScreen))
        assert app.screen.target.code == "1-1-301"


async def test_down_after_typing_highlights_the_first_result_and_enter_opens_it(workspace):
    """nc14: after typing "2号楼", ↓ then Enter opened R-2-1, the second result, not the
    first (the key went on to the list once it had the focus and moved it one further)."""
    app = FieldkitApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await shown(pilot, lambda: isinstance(app.screen, StartRunScreen))
        screen = app.screen
        await pilot.press(*"R-1")
        await shown(pilot, lambda: screen.shown_query == "R-1" and len(screen.results) > 1)
        first = screen.results[0]
        await pilot.press("down")
        await shown(pilot, lambda: screen.query_one("#results").highlighted == 0)
        await pilot.press("enter")
        await shown(pilot, lambda: getattr(app.screen, "target", None) == first)


async def test_enter_with_several_results_says_how_to_choose(workspace):
    app = FieldkitApp(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await shown(pilot, lambda: isinstance(app.screen, StartRunScreen))
        screen = app.screen
        await pilot.press(*"R-1")
        await shown(pilot, lambda: screen.shown_query == "R-1" and len(screen.results) > 1)
        await pilot.press("enter")
        count = len(screen.results)
        await shown(
            pilot,
            lambda: any(f"{count} found" in str(n.message) for n in app._notifications),
            "the count of results and how to choose",
        )
        assert screen.query_one("#results").has_focus
        assert screen.query_one("#results").highlighted == 0


@pytest.mark.parametrize(("lang", "typed"), [("zh", "3号楼"), ("en", "Building 3")])
async def test_a_buildings_whole_name_and_enter_opens_it(workspace, lang, typed):
    """nc23, nc27: "2号楼" and Enter listed 50 places (the building's stairwells, flats…) and
    said to choose, and ↓ then skipped the building; its whole name opens it. A part of a
    name still lists what it finds."""
    from fieldkit.i18n import set_language

    set_language(lang)
    app = FieldkitApp(workspace, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await shown(pilot, lambda: isinstance(app.screen, StartRunScreen))
        start = app.screen
        await pilot.press(*typed)
        await shown(pilot, lambda: start.shown_query == typed and len(start.results) > 1)
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, TargetScreen) and app.screen.checklists)
        assert (app.screen.target.kind, app.screen.target.code) == ("building", "3")
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is start)
        await pilot.press(*("backspace" for _ in typed), *typed[:-1], "enter")
        await shown(
            pilot,
            lambda: start.shown_query == typed[:-1] and start.query_one("OptionList").has_focus,
        )
        assert app.screen is start  # a part of the name: the list, to choose from
    set_language("en")
