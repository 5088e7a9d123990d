"""F4 with no one named (nc20): Enter on an empty "who answered" saved 接听人：— on the
timeline. It is asked again, with why, and the service refuses a call with no one named."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.dialogs.ask import AskDialog
from tests.incidents.helpers import open_lift_entrapment, show_incident
from tests.waits import notices, shown


def calls(ws, incident_id):
    return [e for e in ws.store.get_incident(incident_id).timeline if e.type == "call"]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_call_with_no_one_named_is_asked_again(ws, lang):
    set_language(lang)
    incident = open_lift_entrapment(ws)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_incident(app, pilot, incident.id)
        await pilot.press("f4", "1")  # 119
        await shown(pilot, lambda: isinstance(app.screen, AskDialog))
        await pilot.press("enter")  # nothing typed
        said = t("incidents.error.need_answered_by", lang)
        await shown(pilot, lambda: said in notices(app))
        await shown(pilot, lambda: isinstance(app.screen, AskDialog))  # asked again
        assert calls(ws, incident.id) == []
        await pilot.press(*"Zhang")
        await pilot.press("enter")
        await shown(pilot, lambda: len(calls(ws, incident.id)) == 1)
    assert calls(ws, incident.id)[0].data["answered_by"] == "Zhang"
    with pytest.raises(inc.IncidentError) as refused:
        inc.log_call(ws, incident.id, "119", "  ")
    assert refused.value.key == "incidents.error.need_answered_by"
