"""n on a plan's photo step (nc24): 各户损失照片 ignored p/f/n, the keys of every other step
of the plan, and with no damage to photograph it stayed open until the close. In a plan it
now takes n — 不适用 / does not apply — as its bar says; p and f say how it is answered."""

from __future__ import annotations

import pytest

from fieldkit.checklists.wording import check_words_key
from fieldkit.i18n import set_language, t
from fieldkit.services import incident_close, incident_places
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident_plan import IncidentPlanScreen
from tests.incidents.helpers import screen_lines
from tests.waits import notices, shown


def _flooding(ws, lang: str) -> tuple:
    """A flooding incident at 1-1-602, and the app in ``lang`` to open its plan in."""
    set_language(lang)
    places = incident_places.parse("1-1-602", inc.compound_of(ws))
    return inc.open_incident(ws, "flooding", places=places), FieldkitApp(ws, lang=lang)


async def _to_the_photo_step(pilot, app, incident_id: str) -> IncidentPlanScreen:
    """The flooding plan open on its damage photos (各户损失照片)."""
    app.push_screen(IncidentPlanScreen(incident_id))
    await shown(pilot, lambda: isinstance(app.screen, IncidentPlanScreen) and app.screen.run)
    runner = app.screen
    for _ in range(30):
        if runner.step() is not None and runner.step().item.type == "photo":
            break
        await pilot.press("down")
    await shown(pilot, lambda: runner.step().item.id == "damage_photos")
    return runner


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_n_on_a_plans_photo_step_records_it_does_not_apply(ws, lang):
    incident, app = _flooding(ws, lang)
    na = t(check_words_key("na", steps=True), lang)
    async with app.run_test(size=(120, 40)) as pilot:
        runner = await _to_the_photo_step(pilot, app, incident.id)
        await shown(pilot, lambda: f"n  {na}" in screen_lines(app)[-1])
        assert any(t("ui.runner.photo_optional_step", lang) in line for line in screen_lines(app))
        await pilot.press("p")  # not an answer here: it says how
        await shown(pilot, lambda: t("ui.runner.how.photo_step", lang) in notices(app))
        await pilot.press("n")
        await shown(pilot, lambda: inc.view(ws, incident.id).answers.get("damage_photos") == "na")
        label = runner.run.step("damage_photos").item.label.get(lang)
        await shown(
            pilot, lambda: any(label in line and na in line for line in screen_lines(app))
        )  # its row reads 不适用
        view = inc.view(ws, incident.id)
        assert inc.plan_tally(view.plan)["na"] == 1
        points = {p.ref for p in incident_close.open_points(ws, incident.id)}
        assert "damage_photos" not in points


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_photo_steps_bar_keeps_n_at_80_columns(ws, lang):
    """At 80 columns the English bar gave up n for "…" (help lists every key): the key
    the step was changed for was the one a coordinator could not see."""
    incident, app = _flooding(ws, lang)
    na = t(check_words_key("na", steps=True), lang)
    async with app.run_test(size=(80, 30)) as pilot:
        await _to_the_photo_step(pilot, app, incident.id)
        await shown(pilot, lambda: f"n  {na}" in screen_lines(app)[-1])
        bar = screen_lines(app)[-1]
        assert f"a  {t('ui.keys.photo', lang)}" in bar and f"s  {t('ui.keys.finish', lang)}" in bar
