"""The round as a patroller reads it (nc14): the question is always on screen with its box
or options, whatever the terminal's size; a scan from the review goes back to that
extinguisher's items; the review names a building as the case list does; a card says a
round of a checklist is in progress there, never "never done here"."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, OptionList

from fieldkit.i18n import t
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.finish import FinishScreen
from fieldkit.ui.screens.target import TargetScreen
from tests.keys import one_read
from tests.ui.helpers import building_of, open_runner, question, step_of
from tests.waits import notices, settled, shown


def on_screen(app, widget) -> bool:
    region = widget.region
    return region.height >= 1 and region.bottom <= app.size.height


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_question_is_on_screen_with_its_input(compound, lang, size):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=size) as pilot:
            runner = await open_runner(app, pilot, ws)
            one_read(app, "EXT-1-2-3\r")  # a scan to the third extinguisher of the floor
            first = step_of(runner, "in_place", pass_no=3)
            await shown(pilot, lambda: runner.current == first.key)
            await settled(pilot)
            label = first.item.label.get(lang)
            await shown(pilot, lambda: f"[3/3] {label}" in question(runner))
            assert on_screen(app, runner.query_one("#question"))
            sign = step_of(runner, "patroller_sign")  # a box under the list
            runner.go_to(sign.key)
            await shown(pilot, lambda: sign.item.label.get(lang) in question(runner))
            await settled(pilot)
            entry = runner.query_one("#entry")
            assert on_screen(app, runner.query_one("#question")) and on_screen(app, entry)
            assert runner.query_one("#question").region.bottom <= entry.region.y
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_scan_on_the_review_goes_back_to_that_item(compound, lang):
    ws = Workspace.open(compound)
    try:
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws)
            await pilot.press("s")
            await shown(pilot, lambda: isinstance(app.screen, FinishScreen))
            one_read(app, "EXT-1-2-2\r")
            second = step_of(runner, "in_place", pass_no=2)
            await shown(pilot, lambda: app.screen is runner and runner.current == second.key)
            assert t("ui.runner.scanned", lang, asset="EXT-1-2-2") in notices(app)
            assert not isinstance(app.screen, TargetScreen)
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_review_names_a_building_as_the_case_list_does(compound, lang):
    ws = Workspace.open(compound)
    try:
        building = building_of(ws, "2")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws, "fire.doors_evacuation.daily", building)
            runner.go_to(step_of(runner, "stair_lighting").key)
            await pilot.pause()
            await pilot.press("f")
            await settled(pilot)
            await pilot.press("s")
            await shown(pilot, lambda: isinstance(app.screen, FinishScreen))
            table = app.screen.query_one(DataTable)
            where = str(table.get_cell_at((0, 1)))
            assert where == {"zh": "2号楼", "en": "Building 2"}[lang], where
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_card_says_a_round_is_in_progress_there(compound, lang):
    ws = Workspace.open(compound)
    try:
        extinguisher = ws.lookup_scan("EXT-1-2-2").target
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws, "fire.extinguisher.monthly", extinguisher)
            await pilot.press("1")  # in its place
            await settled(pilot)
            done, total = runner.run.progress()
            app.pop_screen()
            card = TargetScreen(extinguisher)
            app.push_screen(card)
            await shown(pilot, lambda: card.checklists)
            await settled(pilot)
            options = card.query_one(OptionList)
            lines = [
                str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
            ]
            line = next(
                x for x in lines if t("ui.target.in_progress", lang, done=done, total=total) in x
            )
            assert t("ui.target.never_run", lang) not in line
    finally:
        ws.close()
