"""Close does not raise a second visit where ctrl+o already raised one (nc20): a flat never
checked on, decided "a visit by the service desk" at close, got a new visit case beside the
one the coordinator had raised for it with ctrl+o. The close now links that one, and its
choice says so before it is pressed."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import incident_close, incident_places
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident_close import IncidentCloseScreen
from tests.incidents.helpers import show_incident
from tests.waits import shown


def visits(ws) -> list:
    return [c for _, c in ws.store.iter_records(["case"]) if c["kind"] == "visit"]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_visit_raised_with_ctrl_o_is_the_visit_at_close(ws, lang):
    set_language(lang)
    places = incident_places.parse("1-1-602", inc.compound_of(ws))
    incident = inc.open_incident(ws, "flooding", places=places)
    flats = [p for p in inc.people(ws, incident.id) if p.confirm]
    assert len(flats) >= 2, flats  # the flagged flats below 602
    first = flats[0]
    raised = inc.raise_followup(ws, incident.id, "visit", f"回访 {first.code} 的老人")
    points = incident_close.open_points(ws, incident.id)
    linked = {p.ref: p.case for p in points if p.point == "person"}
    assert linked[first.unit_id] == raised and not linked[flats[1].unit_id]
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_incident(app, pilot, incident.id)
        await pilot.press("f10", "3")
        await shown(pilot, lambda: isinstance(app.screen, IncidentCloseScreen))
        closing = app.screen
        said = t("incidents.close.visit_existing", lang, ref=raised[-6:])
        choices = closing.query_one("#close-choices")
        await shown(pilot, lambda: closing.current() is not None
                    and closing.current().ref == first.unit_id)  # fmt: skip
        assert said in str(choices.render())
        decisions = {p.key: ("stand_down" if p.point == "stand_down" else
                             "visit" if p.point == "person" else p.choices[-1])
                     for p in points}  # fmt: skip
        incident_close.close(ws, incident.id, "漏水已止", decisions,
                             texts={p.ref: "无" for p in points})  # fmt: skip
        assert len(visits(ws)) == len(flats)  # one each: the one raised before, not a second
        decided = [e for e in ws.store.get_incident(incident.id).timeline
                   if e.type == "decision" and e.data.get("ref") == first.unit_id]  # fmt: skip
        assert decided[0].data["case"] == raised
