"""One count of a plan's steps on every screen: nc24 read 已答 0/13 on the plan's runner
(its required steps) beside 共 16 项 on the incident and 15 points on the close. The runner
now counts every step as the incident's panel, the close and the report do."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import incident_close, incident_places, incident_report
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident_plan import IncidentPlanScreen
from tests.incidents.helpers import screen_lines, show_incident
from tests.waits import shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_runner_counts_the_plan_as_the_incident_and_the_close_do(ws, lang):
    set_language(lang)
    where = incident_places.parse("1-1-602", inc.compound_of(ws))
    incident = inc.open_incident(ws, "flooding", places=where)
    run = inc.plan_run(ws, incident.id)
    run.answer("confirmed_on_site", "pass")
    run.answer("slip_signs", "fail")
    view = inc.view(ws, incident.id)
    total = len(view.plan)
    optional = [s for s in run.steps() if not run.required(s)]
    assert optional, "the burst-pipe plan has optional steps (a photo, a note)"
    counts = inc.plan_tally(view.plan)
    assert total - counts["open"] == 2
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_incident(app, pilot, incident.id)
        panel = " ".join(str(app.screen.query_one("#plan-title").render()).split())
        assert incident_report.plan_counts(view, lang) in panel
        await pilot.press("f5")
        await shown(pilot, lambda: isinstance(app.screen, IncidentPlanScreen) and app.screen.run)
        head = screen_lines(app)[1]
        assert t("ui.runner.head", lang, title=run.checklist.title.get(lang),
                 target=app.screen.run.target.label(), done=2, total=total) in head  # fmt: skip
        resumed = t("incidents.plan.resumed", lang, done=2, total=total)  # its toast too
        await shown(pilot, lambda: resumed in " ".join(n.message for n in app._notifications))
    points = incident_close.open_points(ws, incident.id)
    on_the_plan = [p for p in points if p.point in ("step", "text", "failed")]
    assert len(on_the_plan) == counts["open"] + counts["not_done"]  # each open step, once
