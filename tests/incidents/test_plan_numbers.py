"""A number item takes the number as people type it with its unit — 2人, ２人, 30分钟,
30 min — and refuses any other word after it with a message saying which word and what to
type; a label that says its unit already is not followed by it again (多少分钟（分钟）)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import incidents as inc
from fieldkit.services.runs import RunError
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident_plan import IncidentPlanScreen
from tests.incidents.helpers import open_lift_entrapment, show_incident
from tests.waits import notices, shown


def item_lines(runner) -> list[str]:
    items = runner.query_one("#items")
    return [str(items.get_option_at_index(n).prompt) for n in range(items.option_count)]


async def answer(pilot, runner, text: str) -> None:
    entry = runner.query_one("#entry")
    await shown(pilot, lambda: entry.has_focus)
    entry.value = ""
    await pilot.press(*text)
    await pilot.pause(0.05)
    await pilot.press("enter")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_numbers_typed_with_their_unit(ws, lang):
    set_language(lang)
    incident = open_lift_entrapment(ws)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_incident(app, pilot, incident.id)
        await pilot.press("f5")
        await shown(pilot, lambda: isinstance(app.screen, IncidentPlanScreen) and app.screen.run)
        runner = app.screen
        minutes = next(line for line in item_lines(runner)
                       if ("分钟" if lang == "zh" else "Minutes") in line)  # fmt: skip
        said = "分钟" if lang == "zh" else "minutes"
        assert minutes.lower().count(said) == 1, minutes

        await pilot.press("down")  # 被困人数 / People inside
        await shown(pilot, lambda: runner.current == "people_inside")
        await answer(pilot, runner, "2斤")
        refused = t("checklists.answer.not_count_word", word="斤")
        await shown(pilot, lambda: refused in notices(app), refused)
        assert runner.run.value(runner.run.step("people_inside")) is None
        await answer(pilot, runner, "２人")  # full-width, with its counting word
        await shown(pilot, lambda: runner.run.value(runner.run.step("people_inside")) == 2)
        # a count is answered, not passed: its value, no ✔
        assert any(line.startswith("  ") and "→ 2" in line for line in item_lines(runner))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_minutes_take_their_own_words_and_refuse_others(ws, lang):
    set_language(lang)
    run = inc.plan_run(ws, open_lift_entrapment(ws).id)
    for typed in ("30分钟", "30 min", "30分", "３０ minutes"):
        assert run.read("minutes_to_release", typed).value == 30, typed
    with pytest.raises(RunError) as refused:
        run.read("minutes_to_release", "30人")
    said = {"zh": "“人”不是这一项的单位：请只写数字，如 2，或带上单位，如 2 分钟。",
            "en": "“人” is not this item's unit: enter just the number, e.g. 2, or with its "
                  "unit, e.g. 2 minutes."}  # fmt: skip
    assert refused.value.message(lang) == said[lang]
