"""A fault found and put right on the spot is said, not lost (nc27): a fire-door round whose
guard found a door propped open and shut it read 提交后不会生成工单 on its review and
全部正常 / all normal on the home. An option the checklist marks ``acted`` (发现常开，已关闭)
raises no case, but the review lists it with the guard's note, the home counts it, and a
checklist marking a failing option ``acted`` is refused (FK235); zh and en."""

from __future__ import annotations

import time

import pytest

from fieldkit.i18n import plural, t
from fieldkit.services import schedules
from fieldkit.services.acted import acted
from fieldkit.services.workspace import Workspace
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.finish import FinishScreen
from tests.ui.helpers import building_of, open_runner, step_of
from tests.waits import settled, shown

DOORS = "fire.doors_evacuation.daily"


def answered(ws, building, note: str):
    """The building's door round, all as it should be but one door found open and shut."""
    run = ws.start_run(DOORS, building)
    for _ in range(200):
        missing = run.missing()
        if not missing:
            break
        step = missing[0]
        item = step.item
        if item.id == "doors_shut":
            run.answer(step.key, "closed_it")
            run.note(step.key, note)
        elif item.type == "check":
            run.answer(step.key, "pass")
        elif item.type in ("choice", "multi"):
            first = item.options[0].id
            run.answer(step.key, first if item.type == "choice" else [first])
        else:
            run.answer(step.key, "5层东侧楼梯间")
    return run


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_door_shut_on_the_spot_is_on_the_review_and_the_home(compound, lang):
    ws = Workspace.open(compound)
    try:
        building = building_of(ws, "1")
        run = answered(ws, building, "5层东侧")
        check = ws.checklist(DOORS)
        (found,) = acted(check, run.inspection.answers)
        item = check.item("doors_shut")
        review = t("ui.finish.acted", lang, item=item.label.get(lang),
                   done=item.options[1].label.get(lang)) + t("ui.finish.acted_note", lang,
                                                             note="5层东侧")  # fmt: skip
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            runner = await open_runner(app, pilot, ws, DOORS, building)
            shut = step_of(runner, "doors_shut")
            runner.go_to(shut.key)
            await pilot.pause()
            line = str(runner.query_one("#items").get_option(shut.key).prompt)
            assert line.startswith("! "), line  # found and put right: not ✔ "passed"
            await pilot.press("s")
            await shown(pilot, lambda: isinstance(app.screen, FinishScreen))
            notes = str(app.screen.query_one("#finish-notes").render())
            assert review in notes and t("ui.finish.no_cases", lang) in notes, notes
        ws.close()  # the app closes what it was given: open the folder again, as a restart
        ws = Workspace.open(compound)
        run = ws.start_run(DOORS, building)  # the draft, its answers kept
        view = ws.submit_run(run.id, run.proposed_cases())
        assert not view.inspection.cases
        (done,) = [d for d in schedules.done_today(ws, time.time()) if d.checklist_id == DOORS]
        assert (done.cases, done.again, done.acted) == (0, 0, 1)
        app = FieldkitApp(ws, lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot)
            said = plural("ui.home.done_acted", 1, lang)
            await shown(pilot, lambda: said in str(app.screen.query_one("#done").render()))
            listed = str(app.screen.query_one("#done").render())
            assert t("ui.home.done_normal", lang) not in listed
        assert found.note == "5层东侧"
    finally:
        ws.close()
