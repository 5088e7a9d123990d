"""An incident's plan is said as a plan where it is run — its toasts, its key bar, the case
a failed step raises as the handover and the case list word it — never as a patrol round
(newcomers read 巡检 / "round" and "New patrol finding" there)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import handover
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.finish import FinishScreen
from fieldkit.ui.screens.incident_plan import IncidentPlanScreen
from tests.incidents.helpers import answer_all, show_incident
from tests.waits import notices, shown

ROUND_WORDS = {"zh": ("巡检", "巡查"), "en": ("round", "patrol")}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_plan_runner_says_plan_not_round(ws, lang):
    set_language(lang)
    incident = inc.open_incident(ws, "lift_entrapment", None, "major")
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        incident_screen = await show_incident(app, pilot, incident.id)
        await pilot.press("f5")
        await shown(pilot, lambda: isinstance(app.screen, IncidentPlanScreen) and app.screen.run)
        runner = app.screen
        await pilot.press(*"lift 2, floor 5")
        await pilot.press("enter")
        await shown(pilot, lambda: runner.run.inspection.answers)
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is incident_screen)

        await pilot.press("f5")  # back to the plan: it goes on where it was left
        resumed = t("incidents.plan.resumed", done=1, total=15)
        await shown(pilot, lambda: resumed in notices(app), resumed)
        said = " ".join(notices(app))
        assert not any(word in said for word in ROUND_WORDS[lang]), said

        runner = app.screen
        await shown(pilot, lambda: isinstance(runner, IncidentPlanScreen) and runner.run)
        await pilot.press("down")
        await pilot.press("s")
        await shown(pilot, lambda: isinstance(app.screen, FinishScreen))
        bar = str(app.screen.query_one("KeyBar").render())
        assert t("incidents.ui.keys.submit_plan") in bar, bar
        assert t("ui.keys.submit") not in bar


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_failed_plan_step_reads_as_the_plans_follow_up_in_the_handover(ws, lang):
    incident = inc.open_incident(ws, "lift_entrapment", None, "major")
    run = inc.plan_run(ws, incident.id)
    answer_all(run)
    proposed = run.proposed_cases()
    assert proposed
    ws.submit_run(run.id, proposed)

    text = handover.render(handover.handover(ws.store, lang=lang), "text", lang)
    raised = t("desk.history.raised", lang, kind=t("desk.kind.plan_finding", lang), title="")
    assert raised.rstrip("：: ") in text, text
    assert t("desk.kind.finding", lang) not in text
    assert ("预案整改单" if lang == "zh" else "New plan follow-up") in text
