"""The coordinator's flow in the app, by keys, in both languages, checked in the store:
F2, type, scan, severity, ten lines, a call, the plan, a resident checked, a notice, an
escalation, a follow-up, a handover, close."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.model.qr import encode
from fieldkit.services import incident_close
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident import IncidentScreen
from fieldkit.ui.screens.incident_close import IncidentCloseScreen
from fieldkit.ui.screens.incident_notice import IncidentNoticeScreen
from fieldkit.ui.screens.incident_open import IncidentOpenScreen
from fieldkit.ui.screens.incident_plan import IncidentPlanScreen
from tests.keys import one_read
from tests.waits import shown


def scan(app, code: str) -> None:
    """A scanner burst: the code and Enter in one terminal read."""
    one_read(app, code + "\r")


async def type_line(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause(0.05)  # a person's pause before Enter (not a scanner burst)
    await pilot.press("enter")


def timeline(ws, incident_id):
    return ws.store.get_incident(incident_id).timeline


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_coordinator_flow(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        keys = 0
        await pilot.press("f2")
        keys += 1
        await shown(pilot, lambda: isinstance(app.screen, IncidentOpenScreen))
        await pilot.press("2")
        keys += 1
        await shown(pilot, lambda: app.screen.step == "place")
        scan(app, "1-1-602")  # the scanner, not a keystroke
        await shown(pilot, lambda: app.screen.step == "severity")
        title = str(app.screen.query_one("#open-title").render())
        assert t("incidents.type.flooding") in title
        await pilot.press("enter")  # the default severity, major
        keys += 1
        await shown(pilot, lambda: isinstance(app.screen, IncidentScreen))
        screen = app.screen
        incident_id = screen.incident_id
        await pilot.press(*"water through the ceiling of 502")
        await pilot.pause(0.05)
        await pilot.press("enter")
        keys += 1
        await shown(pilot, lambda: len(timeline(ws, incident_id)) == 1)
        assert keys <= 5
        incident = ws.store.get_incident(incident_id)
        assert (incident.type, incident.severity, incident.place) == (
            "flooding",
            "major",
            "1-1-602",
        )
        for n in range(2, 11):
            await type_line(pilot, f"entry {n}")
        await shown(pilot, lambda: len(timeline(ws, incident_id)) == 10)
        assert [e.text for e in timeline(ws, incident_id)][-1] == "entry 10"
        await pilot.press("f3")
        await type_line(pilot, "valve shut")
        await shown(pilot, lambda: timeline(ws, incident_id)[-1].type == "action")
        head = str(screen.query_one("#incident-head").render())
        assert t("incidents.severity.major") in head

        await pilot.press("f4", "1")
        await type_line(pilot, "Zhang 0371")
        await shown(pilot, lambda: timeline(ws, incident_id)[-1].type == "call")
        assert timeline(ws, incident_id)[-1].data == {"service": "119", "answered_by": "Zhang 0371"}

        await pilot.press("f5")
        await shown(pilot, lambda: isinstance(app.screen, IncidentPlanScreen) and app.screen.run)
        runner = app.screen
        await pilot.press("p")
        await shown(pilot, lambda: runner.run.inspection.answers)
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is screen)
        await shown(pilot, lambda: screen.view and any(s.done for s in screen.view.plan))

        await pilot.press("f6")
        first = screen.view.people[0]
        assert first.below  # the flats below the burst pipe come first
        await pilot.press("enter")
        await type_line(pilot, "ok")
        await shown(pilot, lambda: screen.view.people[0].checked)

        await pilot.press("f7")
        await shown(pilot, lambda: isinstance(app.screen, IncidentNoticeScreen))
        notice = app.screen
        await shown(pilot, lambda: notice.query_one("#notice-text").text)
        assert "602" in notice.query_one("#notice-text").text
        await pilot.press(*"URGENT ")  # edited in place before it goes out
        await pilot.pause(0.05)
        await pilot.press("ctrl+s")
        await shown(pilot, lambda: app.screen is screen)
        sent = [e for e in timeline(ws, incident_id) if e.type == "notice"]
        assert len(sent) == 1 and sent[0].data["lang"] == lang
        assert sent[0].text.startswith("URGENT ")
        with open(sent[0].data["file"], encoding="utf-8") as file:
            assert file.read().strip() == sent[0].text

        await pilot.press("f8", "1")
        await type_line(pilot, "water in the electrical riser")
        await shown(pilot, lambda: ws.store.get_incident(incident_id).severity == "critical")

        await pilot.press("ctrl+o", "1")
        await type_line(pilot, "replace riser section")
        await shown(pilot, lambda: screen.view.followups)

        await pilot.press("f9")
        await type_line(pilot, "Wang")
        await shown(pilot, lambda: screen.view.coordinator == "Wang")

        await pilot.press("f10", "1")
        await type_line(pilot, "water off")
        await shown(pilot, lambda: ws.store.get_incident(incident_id).status == "contained")
        await pilot.press("f10", "3")  # points are open: each decided, then the rest as it
        await shown(pilot, lambda: isinstance(app.screen, IncidentCloseScreen))
        closing = app.screen
        for _ in range(4 * len(closing.points)):
            if all(p.key in closing.decisions for p in closing.points):
                break
            point = closing.current()
            if point is None or point.key in closing.decisions:
                await pilot.press("down")
                continue
            await pilot.press("1")
            if closing.rest() and closing.last not in incident_close.ONE_BY_ONE:
                await pilot.press("a")
                await shown(pilot, lambda: app.screen is not closing)
                await pilot.press("y")
                await shown(pilot, lambda: app.screen is closing)
        assert all(p.key in closing.decisions for p in closing.points)
        await pilot.press("ctrl+s")
        await type_line(pilot, "fixed, nobody hurt")
        await shown(pilot, lambda: ws.store.get_incident(incident_id).status == "closed")
        await shown(pilot, lambda: screen.view.status == "closed")
        head = str(screen.query_one("#incident-head").render())
        assert t("incidents.status.closed") in head
        app.action_switch_language()
        await pilot.pause()
        other = "en" if lang == "zh" else "zh"
        head = str(screen.query_one("#incident-head").render())
        assert t("incidents.status.closed", other) in head

    view = inc.view(ws, incident_id)
    kinds = [e.kind for e in view.entries]
    for kind in ("observation", "action", "call", "plan", "people_checked", "notice",
                 "escalation", "followup", "handover", "status"):  # fmt: skip
        assert kind in kinds, kind
    assert view.summary == "fixed, nobody hurt"


async def test_correction_and_open_list(ws):
    set_language("en")
    first = inc.open_incident(ws, "fire", None, place_text="bike shed")
    wrong = inc.add_entry(ws, first.id, "smoke at bike shed 2")
    app = FieldkitApp(ws, lang="en")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await shown(pilot, lambda: isinstance(app.screen, IncidentOpenScreen))
        await shown(pilot, lambda: app.screen.open_incidents)
        await pilot.press("enter")  # the open incident, highlighted first
        await shown(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen.view)
        screen = app.screen
        await pilot.press("ctrl+r")
        await pilot.press("enter")
        await pilot.press("ctrl+u")
        await type_line(pilot, "smoke at bike shed 3")
        await shown(pilot, lambda: screen.view.entries[0].corrected_by)
        assert screen.view.entries[0].corrected_text == "smoke at bike shed 3"
        assert screen.view.entries[0].id == wrong.id
        # at the door of a flat on the residents list, its label's scan ticks it (the line
        # has focus: a label is a scan there, any other text is typed)
        scan(app, encode("unit", "CH", "1-1-402"))
        await shown(pilot, lambda: app.screen is not screen)
        await type_line(pilot, "moved to neighbour")
        await shown(pilot, lambda: any(p.checked for p in screen.view.people))
        ticked = [p for p in screen.view.people if p.checked]
        assert [(p.code, p.checked_note) for p in ticked] == [("1-1-402", "moved to neighbour")]
