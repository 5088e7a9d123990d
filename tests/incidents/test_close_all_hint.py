"""The close screen's ``a`` hint says what ``a`` will really record: the steps left go to
the departments their own plan steps name, not the department of the step decided first
(it said 剩下的一项也记为"未完成，转为工单派给客服中心" while that step went to 工程部)."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import incident_close
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident_close import IncidentCloseScreen
from tests.incidents.helpers import open_lift_entrapment, show_incident
from tests.waits import shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_a_hint_names_each_departments_the_rest_go_to(ws, lang):
    set_language(lang)
    incident = open_lift_entrapment(ws)
    steps = [p for p in incident_close.open_points(ws, incident.id) if p.point == "step"]
    first = steps[0]
    rest = {t(f"words.department.{p.route}") for p in steps[1:] if p.route}
    others = rest - {t(f"words.department.{first.route}")}
    assert others, "the steps go to more than one department"
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_incident(app, pilot, incident.id)
        await pilot.press("f10", "3")
        await shown(pilot, lambda: isinstance(app.screen, IncidentCloseScreen) and app.screen.view)
        close = app.screen
        close.query_one("#points").highlighted = next(
            n for n in range(close.query_one("#points").option_count)
            if close.query_one("#points").get_option_at_index(n).id == f"step|{first.ref}"
        )  # fmt: skip
        await pilot.press(str(first.choices.index("not_done") + 1))
        await shown(pilot, lambda: first.key in close.decisions)

        def hint() -> str:
            return " ".join(str(close.query_one("#close-choices").render()).split())

        await shown(pilot, lambda: "a" in hint())
        for department in rest:
            assert department in hint(), hint()
        await pilot.press("a")
        await shown(pilot, lambda: app.screen is not close)
        question = " ".join(str(app.screen.query_one("#question").render()).split())
        for department in rest:
            assert department in question, question
