"""The list's highlight is drawn after the answer's move, and Textual tells the screen about
it later, as a message. A key answered in between has moved the round on; that late word of
an earlier draw must not take the round back to the item it names, or the next key answers
that item a second time (CI, under load: the review test found the round one item back)."""

from __future__ import annotations

from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from tests.ui.helpers import open_runner, step_of
from tests.waits import settled


async def test_a_late_highlight_of_an_earlier_draw_does_not_take_the_round_back(compound):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang="en")
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            await pilot.press("1", "1")  # in place; its type: on to "access visible"
            await settled(pilot)
            assert runner.current == step_of(runner, "access_visible", 1).key
            runner.action_check("pass")  # the round moves on to the gauge ...
            runner.draw_now()  # ... is drawn, and the list's word of it is on its way
            runner.action_option(1)  # the next key answers the gauge before it arrives
            await settled(pilot)
            assert runner.current == step_of(runner, "pin_seal", 1).key
            await pilot.press("p")
            await settled(pilot)
            assert runner.current == step_of(runner, "body_damage", 1).key
            assert runner.run.value(step_of(runner, "gauge", 1)) is not None
    finally:
        ws.close()


async def test_moving_in_the_list_by_hand_still_chooses_the_item(compound):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang="en")
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            await pilot.press("1", "1", "p")
            await settled(pilot)
            assert runner.current == step_of(runner, "gauge", 1).key
            await pilot.press("up", "up")
            await settled(pilot)
            assert runner.current == step_of(runner, "unit_type", 1).key
            await pilot.press("down")
            await settled(pilot)
            assert runner.current == step_of(runner, "access_visible", 1).key
    finally:
        ws.close()
