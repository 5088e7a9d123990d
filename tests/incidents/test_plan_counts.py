"""The plan's count, on the incident's screen and in the report, counts each step once and
truly: done, not done (✘), not applicable (–), decided at close, still to do. It said
"已完成 15/17" with ✘ and – steps among the 15, and after closing "结案时决定 2 项" when three
were decided."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import incident_close, incident_report
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident import IncidentScreen
from tests.incidents.helpers import open_lift_entrapment, show_incident
from tests.waits import shown


def said(lang: str, total: int, **counts: int) -> str:
    parts = [t(f"incidents.plan_counts.{k}", lang, count=n) for k, n in counts.items()]
    return t("incidents.plan_counts.said", lang, parts=t("incidents.plan_counts.sep", lang)
             .join(parts), total=total)  # fmt: skip


def title_of(screen) -> str:
    return " ".join(str(screen.query_one("#plan-title").render()).split())


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_plan_counts_are_true_on_screen_and_in_the_report(ws, lang):
    set_language(lang)
    incident = open_lift_entrapment(ws)
    run = inc.plan_run(ws, incident.id)
    run.answer("reassured", "pass")
    run.answer("contractor_called", "fail")
    run.answer("family_told", "na")
    total = len(inc.view(ws, incident.id).plan)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(140, 40)) as pilot:
        await show_incident(app, pilot, incident.id)
        open_counts = said(lang, total, done=1, not_done=1, na=1, open=total - 3)
        await shown(pilot, lambda: open_counts in title_of(app.screen), title_of(app.screen))
        points = incident_close.open_points(ws, incident.id)
        decided = {p.key: "not_needed" if "not_needed" in p.choices else p.choices[0]
                   for p in points}  # fmt: skip
        incident_close.close(ws, incident.id, "all out", decided,
                             texts={p.ref: "noted" for p in points})  # fmt: skip
        app.pop_screen()
        app.push_screen(IncidentScreen(incident.id))  # the closed incident, opened again
        await shown(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen.closed)
        closed = said(lang, total, done=1, na=1, decided=total - 2)  # the ✘ step: decided
        await shown(pilot, lambda: closed in title_of(app.screen), title_of(app.screen))
        assert "F5" not in title_of(app.screen)  # nothing to run once closed
    md = incident_report.render(ws, incident.id, "md", lang).decode()
    assert closed in " ".join(md.split())
