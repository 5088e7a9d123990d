"""Scanning an extinguisher of the round goes to its first item not yet answered — the
guard comes back to one to finish it — or, when all of its items are answered, to its first
item, and says so (it went to the first item always: round26)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from tests.keys import one_read
from tests.ui.helpers import open_runner, question, step_of
from tests.waits import notices, shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_scan_goes_to_the_places_first_item_left(compound, lang):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            await pilot.press("1", "1", "p")  # the first three items of the first one
            gauge = step_of(runner, "gauge", pass_no=1)
            await shown(pilot, lambda: runner.current == gauge.key)
            one_read(app, "EXT-1-2-2\r")
            await shown(pilot, lambda: runner.current == step_of(runner, "in_place", 2).key)
            one_read(app, "EXT-1-2-1\r")  # back to the first: where it was left
            label = gauge.item.label.get(lang)
            await shown(pilot, lambda: f"[1/3] {label}" in question(runner))
            assert t("ui.runner.scanned", lang, asset="EXT-1-2-1") in notices(app)
            await pilot.press("1", "p", "1", "enter", "p", "1", "p")  # the rest of it
            # on to the second one, where the guard had been: its photo, optional, passed
            await shown(pilot, lambda: runner.current == step_of(runner, "in_place", 2).key)
            one_read(app, "EXT-1-2-1\r")  # all answered: its first item, and it says so
            first = step_of(runner, "in_place", 1)
            await shown(pilot, lambda: runner.current == first.key)
            assert f"[1/3] {first.item.label.get(lang)}" in question(runner)
            assert t("ui.runner.scanned_done", lang, asset="EXT-1-2-1") in notices(app)
    finally:
        ws.close()
