"""A fire door the guard found open and shut reads as what they found and did (nc20): the
daily round's door items are choices — 都关着 / 发现常开，已关闭 / 没能关上 — so the record of
a door closed on the spot no longer says "all shut"; it raises no case and asks which door.
A round answered before, when the item was a pass/fail check, still reads as it was."""

from __future__ import annotations

import pytest

from fieldkit.checklists.wording import answer_words
from fieldkit.i18n import t
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from tests.ui.helpers import building_of, line_of, open_runner, step_of
from tests.waits import shown

DOORS = "fire.doors_evacuation.daily"
SAID = {
    "zh": ("常闭防火门  → 发现常开，已关闭", "门关着没有  → 发现常开，已关闭"),
    "en": ("Normally-closed fire doors  → Found open, closed it",
           "Is the door shut  → Found open, closed it"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_door_found_open_and_closed_reads_as_such(compound, lang):
    ws = Workspace.open(compound)
    try:
        building = building_of(ws, "1")
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws, DOORS, building)
            shut = step_of(runner, "doors_shut")
            runner.go_to(shut.key)
            await pilot.pause()
            await pilot.press("2")  # 发现常开，已关闭 / Found open, closed it
            await shown(pilot, lambda: runner.run.value(runner.run.step(shut.key)) == "closed_it")
            building_wide, one_door = SAID[lang]
            await shown(pilot, lambda: building_wide in line_of(runner, "doors_shut"))
            assert not line_of(runner, "doors_shut").startswith("✘")
            # which door it was is asked, not required: nothing is wrong now
            where = step_of(runner, "doors_where")
            assert not runner.run.required(where)
            assert not runner.run.proposed_cases()
        door = ws.checklist(DOORS).item("door_closed")  # each registered door, the same way
        assert f"{door.label.get(lang)}  → {answer_words(door, 'closed_it', lang)}" == one_door
    finally:
        ws.close()


def test_a_round_from_when_the_door_item_was_a_check_still_reads(compound):
    ws = Workspace.open(compound)
    try:
        item = ws.checklist(DOORS).item("doors_shut")
        assert answer_words(item, "pass", "zh") == "都关着"
        assert answer_words(item, "fail", "en") == "Could not close it"
        assert answer_words(item, "na", "zh") == t("checklists.words.answer.na", "zh")
    finally:
        ws.close()
