"""Moving round an equipment card and a round as a guard does at 80 columns (nc23): ↓ on
the card's last checklist goes on to the cases below (it wrapped round to the first), ↑ on
the first case goes back; the round's key bar keeps ``s`` (finish and review) and Enter
whatever the item, and the card's keeps Enter, in zh and in en."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from fieldkit.i18n import t
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.target import TargetScreen
from fieldkit.ui.widgets.case_table import CaseTable
from fieldkit.ui.widgets.keybar import KeyBar
from tests.ui.helpers import answered_floor_round, floor_round, open_runner, step_of
from tests.waits import settled, shown


def bar(screen) -> str:
    return str(screen.query_one(KeyBar).render())


def said(key: str, words: str, lang: str) -> str:
    return f" {key}  {t(words, lang)}"


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_down_goes_from_the_checklists_to_the_cases_and_back(compound, tmp_path, lang):
    ws = Workspace.open(compound)
    try:
        floor_round(ws, tmp_path, failing="EXT-1-2-2")  # a case on the extinguisher
        target = ws.lookup_scan("EXT-1-2-2").target
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await settled(pilot)
            card = TargetScreen(target)
            app.push_screen(card)
            await shown(pilot, lambda: card.is_current and card.cases is not None)
            checklists, cases = card.query_one(OptionList), card.query_one(CaseTable)
            await shown(pilot, lambda: checklists.has_focus and cases.row_count == 1)
            assert said("enter", "ui.keys.start", lang) in bar(card)
            for _ in range(checklists.option_count):
                await pilot.press("down")
            await shown(pilot, lambda: cases.has_focus)
            assert cases.cursor_row == 0
            assert said("enter", "ui.keys.open_case", lang) in bar(card)
            await pilot.press("up")
            await shown(pilot, lambda: checklists.has_focus)
            assert said("enter", "ui.keys.start", lang) in bar(card)
    finally:
        ws.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_rounds_main_keys_fit_80_columns(compound, tmp_path, lang):
    ws = Workspace.open(compound)
    try:
        answered_floor_round(ws, tmp_path, failing="EXT-1-2-2")  # its photo is taken
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            runner = await open_runner(app, pilot, ws)
            finish = said("s", "ui.keys.finish", lang)
            items = {  # an item of each kind, and the Enter its bar offers
                "access_visible": None,  # a check
                "in_place": None,  # a choice
                "body_damage": said("enter", "ui.keys.save", lang),  # a multi
                "photo": said("enter", "ui.runner.bar.next", lang),  # a photo taken
            }
            for item, enter in items.items():
                runner.go_to(step_of(runner, item, 2).key)
                await settled(pilot)
                shown_bar = bar(runner)
                assert finish in shown_bar, (item, shown_bar)
                assert enter is None or enter in shown_bar, (item, shown_bar)
            runner.go_to(step_of(runner, "patroller_sign").key)  # typed: Enter saves
            await shown(pilot, lambda: said("enter", "ui.keys.save", lang) in bar(runner))
    finally:
        ws.close()
