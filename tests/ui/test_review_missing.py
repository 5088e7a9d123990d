"""From the review, the round's missing items are reached in a key: ``m`` goes back to the
round at the next required item not answered, Enter on a missing line opens that item, and
Enter on a case opens the item it comes from; the key bar says so (round26)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.finish import FinishScreen
from fieldkit.ui.widgets.keybar import KeyBar
from tests.ui.helpers import open_runner, step_of
from tests.waits import shown


def missing_lines(app) -> list[str]:
    listing = app.screen.query_one("#finish-missing")
    return [listing.get_option_at_index(i).prompt.plain for i in range(listing.option_count)]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_review_goes_to_missing_items_and_to_a_cases_item(compound, lang):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            # the first extinguisher: its nameplate fails, the rest normal, no photo yet
            await pilot.press("1", "1", "p", "1", "p", "1", "enter", "f", "1", "p")
            await shown(pilot, lambda: runner.current == step_of(runner, "photo", 1).key)
            await pilot.press("s")
            await shown(pilot, lambda: isinstance(app.screen, FinishScreen))
            bar = str(app.screen.query_one(KeyBar).render())
            assert t("ui.keys.next_missing_bar", lang) in bar
            assert t("ui.keys.open_item_bar", lang) in bar
            photo = step_of(runner, "photo", 1).item.label.get(lang)
            in_place = step_of(runner, "in_place", 2).item.label.get(lang)
            lines = missing_lines(app)
            assert lines[:2] == [f"• [EXT-1-2-1] {photo}", f"• [EXT-1-2-2] {in_place}"]
            await pilot.press("m")  # where the guard was: the photo the failed nameplate needs
            await shown(pilot, lambda: app.screen is runner)
            assert runner.current == step_of(runner, "photo", 1).key
            await pilot.press("s")
            await shown(pilot, lambda: isinstance(app.screen, FinishScreen))
            await pilot.press("down", "enter")  # the second missing line
            await shown(pilot, lambda: app.screen is runner)
            assert runner.current == step_of(runner, "in_place", 2).key
            await pilot.press("s")
            await shown(pilot, lambda: isinstance(app.screen, FinishScreen))
            await pilot.press("tab", "enter")  # the case the nameplate raises
            await shown(pilot, lambda: app.screen is runner)
            assert runner.current == step_of(runner, "nameplate", 1).key
    finally:
        ws.close()
