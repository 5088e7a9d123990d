"""F4 offers the lift contractor (电梯维保单位), who releases people from a lift: 0 on the
list, after the nine kept where they were; the timeline says whom was called."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.ui.app import FieldkitApp
from tests.incidents.helpers import open_lift_entrapment, show_incident
from tests.incidents.test_ui import type_line
from tests.waits import shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_f4_0_calls_the_lift_contractor(ws, lang):
    set_language(lang)
    incident = open_lift_entrapment(ws)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await show_incident(app, pilot, incident.id)
        await pilot.press("f4")
        await shown(pilot, lambda: app.screen is not screen)
        choices = str(app.screen.query_one("#choices").render())
        assert f"0) {t('incidents.service.lift')}" in choices, choices
        assert f"9) {t('incidents.service.other')}" in choices  # where it was
        await pilot.press("0")
        await shown(pilot, lambda: app.screen.query("#answer"))
        asked = str(app.screen.query_one("#question").render())
        assert t("incidents.service_said.lift") in asked, asked
        await type_line(pilot, "Zhou")
        await shown(pilot, lambda: any(e.kind == "call" for e in screen.view.entries))
        timeline = screen.query_one("#timeline")
        lines = " ".join(str(timeline.get_option_at_index(n).prompt)
                         for n in range(timeline.option_count))  # fmt: skip
        said = {"zh": "已联系电梯维保单位，接听人：Zhou。",
                "en": "Called the lift contractor; answered by Zhou."}  # fmt: skip
        assert said[lang] in " ".join(lines.split()), lines
    call = next(e for e in ws.store.get_incident(incident.id).timeline if e.type == "call")
    assert call.data["service"] == "lift"
