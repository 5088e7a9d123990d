"""Ticking the residents of a power cut's flats one after another (nc36): after a tick the
list is on the next flat still to check, not the one just ticked; Enter on a flat already
checked says when and what was noted before asking again; and a check corrected with ctrl+r
reads as corrected in the list and the report."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.services import incident_places as places_
from fieldkit.services import incident_report
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from tests.incidents.helpers import show_incident
from tests.waits import shown


def _power_cut(ws):
    return inc.open_incident(ws, "power_cut", places=places_.parse("1号楼", inc.compound_of(ws)))


def test_a_corrected_check_reads_as_corrected_in_the_list_and_the_report(ws):
    """nc36 corrected a check whose note was another flat's; the list and the report kept
    the mistaken note. The flat's last check reads as its correction says."""
    incident = _power_cut(ws)
    first, second = inc.people(ws, incident.id)[:2]
    inc.check_person(ws, incident.id, first.unit_id, "电话确认平安，家属在家")
    wrong = inc.check_person(ws, incident.id, first.unit_id, "已上门，独居老人状态良好")
    inc.correct(ws, incident.id, wrong.id, f"电话确认平安；上一条误记，是 {second.code} 的情况")
    inc.check_person(ws, incident.id, second.unit_id, "已上门，独居老人状态良好")
    notes = {p.unit_id: p.checked_note for p in inc.people(ws, incident.id)}
    assert notes[first.unit_id] == f"电话确认平安；上一条误记，是 {second.code} 的情况"
    assert notes[second.unit_id] == "已上门，独居老人状态良好"
    md = incident_report.render(ws, incident.id, "md", "zh").decode()
    row = next(line for line in md.splitlines() if line.startswith(f"| {first.code}"))
    assert "上一条误记" in row and "独居老人状态良好" not in row, row


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_after_a_tick_the_list_is_on_the_next_flat_and_a_recheck_says_so(ws, lang):
    set_language(lang)
    incident = _power_cut(ws)
    people = inc.people(ws, incident.id)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show_incident(app, pilot, incident.id)
        await pilot.press("f6")
        listed = screen.query_one("#people")
        await shown(pilot, lambda: app.focused is listed and listed.highlighted == 0)
        await pilot.press("enter")
        await shown(pilot, lambda: app.screen is not screen)
        await pilot.press(*"ok", "enter")
        await shown(pilot, lambda: app.screen is screen and screen.view.people[0].checked)
        await shown(pilot, lambda: listed.highlighted == 1)  # on to the next flat
        await pilot.press("up", "enter")  # back on the first: it says it was checked
        await shown(pilot, lambda: app.screen is not screen)
        said = str(app.screen.query_one("#question").render())
        checked = {"zh": f"{people[0].code} 已于", "en": f"{people[0].code} was checked at"}[lang]
        assert checked in said and ("（ok）" in said or "(ok)" in said), said
        await pilot.press("escape")  # nothing logged
        await shown(pilot, lambda: app.screen is screen)
    checks = [e for e in ws.store.get_incident(incident.id).timeline if e.type == "people_checked"]
    assert len(checks) == 1
