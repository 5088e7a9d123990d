"""Closing with follow-up cases still open: the close screen, and the summary question when
nothing needs deciding, say they are open (they do not stop the close) — not "nothing left
open"; the stand-down point says what it asks."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident_close import IncidentCloseScreen
from tests.incidents.helpers import answer_all, open_lift_entrapment, show_incident
from tests.waits import shown

OPEN = {"zh": ("另有 1 个后续工单还没办完，不影响结案", "更换 2 号梯门机（已受理）"),
        "en": ("Follow-up cases still open: 1. They do not stop the close",
               "replace the door motor of lift 2 (Received)")}  # fmt: skip
TITLE = {"zh": "更换 2 号梯门机", "en": "replace the door motor of lift 2"}


def text_of(screen, selector: str) -> str:
    return " ".join(str(screen.query_one(selector).render()).split())


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_open_follow_ups_are_said_at_close(ws, lang):
    set_language(lang)
    incident = open_lift_entrapment(ws)
    inc.raise_followup(ws, incident.id, "repair", TITLE[lang])
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show_incident(app, pilot, incident.id)
        await pilot.press("f10", "3")
        await shown(pilot, lambda: isinstance(app.screen, IncidentCloseScreen) and app.screen.view)
        close = app.screen
        await shown(pilot, lambda: OPEN[lang][0] in text_of(close, "#close-followups"))
        assert OPEN[lang][1] in text_of(close, "#close-followups")
        points = close.query_one("#points")
        lines = [str(points.get_option_at_index(n).prompt) for n in range(points.option_count)]
        asked = t("incidents.close.never_stood_down")
        assert any(asked in line for line in lines), lines
        assert not any("Never stood down" in line or "未解除应急" in line for line in lines)
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is screen)

        answer_all(inc.plan_run(ws, incident.id), fail_first_check=False)
        inc.stand_down(ws, incident.id)  # nothing left to decide: only the summary is asked
        await pilot.press("f10", "3")
        await shown(pilot, lambda: app.screen is not screen and app.screen.query("#question"))
        question = text_of(app.screen, "#question")
        assert OPEN[lang][0] in question and OPEN[lang][1] in question, question
        assert t("incidents.ui.ask.summary_nothing_open").split("。")[0][:12] not in question
