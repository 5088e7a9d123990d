"""Enter in a round is one rule (``ui.keys.enter``): it saves what was keyed and goes on to
the next item left to answer; with nothing keyed it passes an answered or optional item,
and a required one unanswered says how it is answered. An optional item already passed (a
photo skipped, with answers beyond it) is not left to answer: after going back to change an
answer, the guard went through every photo skipped since, one by one (round26)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import t
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from tests.ui.helpers import open_runner, question, step_of
from tests.waits import notices, settled, shown

#: One extinguisher answered all normal, as the keys are pressed: it ends on its photo.
ALL_NORMAL = ("1", "1", "p", "1", "p", "1", "enter", "p", "1", "p")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_enter_goes_on_to_what_is_left_never_back_through_skipped_photos(compound, lang):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            photo = step_of(runner, "photo", pass_no=1).item.label.get(lang)
            where = step_of(runner, "in_place").item.label.get(lang)
            for n in (1, 2):  # two extinguishers all normal, each photo skipped with Enter
                await pilot.press(*ALL_NORMAL)
                await shown(pilot, lambda n=n: f"[{n}/3] {photo}" in question(runner))
                await pilot.press("enter")
                await shown(pilot, lambda n=n: f"[{n + 1}/3] {where}" in question(runner))
            # back to the first one: it is wheeled after all, so its hose and wheels are asked
            runner.go_to(step_of(runner, "unit_type", pass_no=1).key)
            await pilot.press("2")
            hose = step_of(runner, "hose_wheels", pass_no=1)
            await shown(pilot, lambda: runner.current == hose.key)
            await pilot.press("p")  # on to the third extinguisher, past both skipped photos
            await shown(pilot, lambda: f"[3/3] {where}" in question(runner))
            assert runner.current == step_of(runner, "in_place", pass_no=3).key
            # Enter on an answered check passes it, to what is left: the third one again
            runner.go_to(step_of(runner, "nameplate", pass_no=1).key)
            await settled(pilot)
            await pilot.press("enter")
            await shown(pilot, lambda: f"[3/3] {where}" in question(runner))
            # on a required item unanswered it says how the item is answered, and stays
            await pilot.press("enter")
            await shown(pilot, lambda: t("ui.runner.how.choice", lang) in notices(app))
            assert f"[3/3] {where}" in question(runner)
    finally:
        ws.close()
