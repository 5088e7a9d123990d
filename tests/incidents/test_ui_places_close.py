"""The screens for several places, closing with open points, notices in two languages and
an incident in progress on home — by keys in Textual Pilot, checked in the store."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.home import HomeScreen
from fieldkit.ui.screens.incident import IncidentScreen
from fieldkit.ui.screens.incident_close import IncidentCloseScreen
from fieldkit.ui.screens.incident_notice import IncidentNoticeScreen
from fieldkit.ui.screens.incident_open import IncidentOpenScreen
from tests.incidents.helpers import show_incident
from tests.incidents.test_ui import type_line
from tests.waits import shown


def said(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_places_typed_at_opening_and_one_added_later(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("f2")
        await shown(pilot, lambda: isinstance(app.screen, IncidentOpenScreen))
        opening = app.screen
        await pilot.press("6")
        await shown(pilot, lambda: opening.step == "place")
        await pilot.press(*"1号楼 3号楼")
        await shown(pilot, lambda: opening.unread is not None)  # said as it is typed
        assert "3" in str(opening.query_one("#open-help").render())
        await pilot.press("enter")
        known = "1、2" if lang == "zh" else "1, 2"
        await shown(pilot, lambda: t("incidents.places.error.no_building", value="3",
                                        known=known) in said(app))  # fmt: skip
        assert opening.step == "place"  # nothing was opened
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press(*"2号楼")
        await shown(pilot, lambda: len(opening.read) == 2)
        await pilot.press("enter")
        await shown(pilot, lambda: opening.step == "severity")
        title = str(opening.query_one("#open-title").render())
        assert places_.label(opening.places, lang) in title
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen.view)
        screen = app.screen
        incident_id = screen.incident_id
        assert [p.code for p in screen.view.places] == ["1", "2"]

        await pilot.press("ctrl+n")
        await type_line(pilot, "9")  # no such building: the question comes back with it
        await shown(pilot, lambda: app.screen is not screen and app.screen.query("#answer"))
        assert app.screen.query_one("#answer").value == "9"
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is screen)

        other = inc.open_incident(ws, "flooding", places=places_.parse("1-1", inc.compound_of(ws)))
        await pilot.press("escape")
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen))
        widened = await show_incident(app, pilot, other.id)
        before = len(widened.view.people)
        await pilot.press("ctrl+n")
        await type_line(pilot, "2号楼2单元")
        await shown(pilot, lambda: len(widened.view.places) == 2)
        assert len(widened.view.people) > before
        assert any(p.code.startswith("2-2-") for p in widened.view.people)
        head = str(widened.query_one("#incident-head").render())
        assert widened.view.where(lang) in head
    assert inc.view(ws, incident_id).where("zh") == "1号楼、2号楼"


async def goto(pilot, closing, kind: str, which=None) -> None:
    """From where the cursor is to the next point of ``kind`` below it (as a person moves
    with ↓), or to the point ``which``, up or down, one key at a time. (From the top each
    time, as it went, cost a hundred keys a point: most of this test's minute.)"""
    line = {closing.point_at(i).key: i for i in closing.point_lines()}  # as listed
    for _ in range(len(closing.points) + 10):
        point = closing.current()
        if point is not None and point.point == kind and which in (None, point):
            return
        above = which is not None and line[which.key] < line[point.key]
        await pilot.press("up" if above else "down")
    raise AssertionError(f"no {kind} point")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_close_decides_each_open_point_and_a_failed_step_becomes_a_case(ws, lang):
    set_language(lang)
    incident = inc.open_incident(ws, "typhoon", places=places_.parse("1", inc.compound_of(ws)))
    run = inc.plan_run(ws, incident.id)
    run.answer("flood_barriers", "fail")
    assert len(inc.people(ws, incident.id)) > 4
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await show_incident(app, pilot, incident.id)
        await pilot.press("f10", "3")
        await shown(pilot, lambda: isinstance(app.screen, IncidentCloseScreen))
        closing = app.screen
        people = [p for p in closing.points if p.point == "person"]
        await pilot.press("a")  # nothing decided yet: a says how it works, decides nothing
        await shown(pilot, lambda: t("incidents.close.all_first") in said(app))
        assert closing.decisions == {}
        await pilot.press("1")  # the first flat: phoned, safe
        assert closing.current() == people[1]  # the cursor moves on with the person
        await pilot.press("2")  # the second: not affected
        assert closing.current() == people[2]
        bar = str(closing.query_one("#close-choices").render())
        not_affected = t("incidents.decision.person.not_affected")
        assert plural_said("incidents.close.all_as_person", len(people) - 2,
                           not_affected) in bar  # fmt: skip
        await pilot.press("a")  # asks first, naming the count
        await shown(pilot, lambda: app.screen is not closing)
        question = str(app.screen.query_one("#question").render())
        assert str(len(people) - 2) in question and not_affected in question
        await pilot.press("n")  # not so: nothing is recorded
        await shown(pilot, lambda: app.screen is closing)
        assert len(closing.decisions) == 2
        await pilot.press("3")  # the third: a visit by the service desk
        await pilot.press("a", "y")  # the rest: as just decided (a visit each)
        await shown(pilot, lambda: all(p.key in closing.decisions for p in people))
        assert {closing.decisions[p.key] for p in people[2:]} == {"visit"}
        await pilot.press("ctrl+s")  # steps and the rest are still to decide
        left = sum(1 for p in closing.points if p.key not in closing.decisions)
        await shown(pilot, lambda: plural_said("incidents.close.left", left, "") in said(app))
        assert ws.store.get_incident(incident.id).status == "active"

        await goto(pilot, closing, "step")
        steps = [p for p in closing.points if p.point == "step"]
        await pilot.press("2")  # not done yet: a case, routed as the step's failure would be
        choices = str(closing.query_one("#close-choices").render())
        await pilot.press("3", "a", "y")  # the next did not apply, nor the rest
        await shown(pilot, lambda: all(p.key in closing.decisions for p in steps))
        assert closing.decisions[steps[0].key] == "not_done"
        assert {closing.decisions[p.key] for p in steps[1:]} == {"not_needed"}
        await goto(pilot, closing, "text")
        written = [p for p in closing.points if p.point == "text"]  # facts of the plan too
        lessons = closing.current()
        await pilot.press("2")  # written here
        await shown(pilot, lambda: app.screen is not closing)
        await type_line(pilot, "车库入口沙袋不够")
        await shown(pilot, lambda: closing.decisions.get(lessons.key) == "write")
        for fact in written:  # the rest did not apply
            if fact.key not in closing.decisions:
                await goto(pilot, closing, "text", fact)
                await pilot.press("1")
        await shown(pilot, lambda: all(p.key in closing.decisions for p in written))
        await goto(pilot, closing, "failed")
        choices = str(closing.query_one("#close-choices").render())
        assert t("words.department.engineering") in choices
        await pilot.press("1")  # one key: a case for engineering
        await goto(pilot, closing, "stand_down")
        await pilot.press("1")  # stood down with the close
        assert str(closing.query_one("#close-left").render()) == t("incidents.close.ready")
        await pilot.press("ctrl+s")
        await type_line(pilot, "雨停，车库已抽干。")
        await shown(pilot, lambda: ws.store.get_incident(incident.id).status == "closed")
        await shown(pilot, lambda: app.screen is screen and screen.view.status == "closed")
        for panel in ("#plan", "#people"):  # the decisions show: nothing left unticked
            listing = screen.query_one(panel)
            lines = [str(listing.get_option_at_index(i).prompt) for i in
                     range(listing.option_count)]  # fmt: skip
            assert lines and not any(line.startswith("☐") for line in lines), lines
    decisions = [e for e in ws.store.get_incident(incident.id).timeline if e.type == "decision"]
    by_point = {e.data["ref"]: e.data for e in decisions}
    assert by_point[people[0].ref]["decision"] == "phoned"
    assert by_point[people[1].ref]["decision"] == "not_affected"
    assert {by_point[p.ref]["decision"] for p in people[2:]} == {"visit"}
    case = ws.store.get_case(by_point["flood_barriers"]["case"])
    assert case.department == "engineering" and case.source_item == "flood_barriers"
    undone = ws.store.get_case(by_point[steps[0].ref]["case"])
    assert undone.source_item == steps[0].ref and undone.department == steps[0].route
    assert by_point[lessons.ref]["text"] == "车库入口沙袋不够"


def plural_said(key: str, count: int, decision: str) -> str:
    from fieldkit.i18n import plural

    return plural(key, count, decision=decision)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_notice_edits_survive_switching_languages(ws, lang):
    set_language(lang)
    incident = inc.open_incident(ws, "typhoon", places=places_.parse("1,2", inc.compound_of(ws)))
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await show_incident(app, pilot, incident.id)
        await pilot.press("f7")
        await shown(pilot, lambda: isinstance(app.screen, IncidentNoticeScreen))
        notice = app.screen
        area = notice.query_one("#notice-text")
        await shown(pilot, lambda: area.text)
        await pilot.press(*"ZH-EDIT ") if notice.lang == "zh" else await pilot.press(*"EN-EDIT ")
        first = notice.lang
        await pilot.press("f3")
        await shown(pilot, lambda: notice.lang != first and area.text and "EDIT" not in area.text)
        await pilot.press(*"OTHER-EDIT ")
        app.action_switch_language()  # ctrl+l: the screen's words change, not the notice
        await pilot.pause()
        assert area.text.startswith("OTHER-EDIT ")
        app.action_switch_language()
        await pilot.press("f3")
        await shown(pilot, lambda: notice.lang == first)
        assert area.text.startswith(("ZH-EDIT ", "EN-EDIT "))
        await pilot.press("escape")  # edits not sent: it asks
        await shown(pilot, lambda: app.screen is not notice)
        assert app.screen is not screen
        await pilot.press("n")
        await shown(pilot, lambda: app.screen is notice)
        await pilot.press("ctrl+s")  # this language goes; the other's edits are shown
        await shown(pilot, lambda: notice.lang != first)
        assert area.text.startswith("OTHER-EDIT ")
        await pilot.press("ctrl+s")
        await shown(pilot, lambda: app.screen is screen)
    sent = inc.view(ws, incident.id).notices
    assert [n.data["lang"] for n in sent] == [first, "en" if first == "zh" else "zh"]
    assert sent[0].text.startswith(("ZH-EDIT ", "EN-EDIT ")) and sent[1].text.startswith("OTHER")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_an_open_incident_is_on_home_after_a_restart(ws, lang):
    set_language(lang)
    incident = inc.open_incident(ws, "typhoon", places=places_.parse("1,2", inc.compound_of(ws)))
    closed = inc.open_incident(ws, "fire", place_text="车棚")
    inc.stand_down(ws, closed.id)
    from fieldkit.services import incident_close

    points = incident_close.open_points(ws, closed.id)
    incident_close.close(ws, closed.id, "误报", {p.key: p.choices[0] for p in points})
    app = FieldkitApp(ws, lang=lang)  # a new start of the app on the same data
    async with app.run_test(size=(140, 40)) as pilot:
        await shown(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.summary)
        home = app.screen
        listing = home.query_one("#incidents")
        assert listing.display and listing.option_count == 1
        line = str(listing.get_option_at_index(0).prompt)
        assert incident.id[-6:] in line and places_.label(
            inc.places_of(ws, incident), lang) in line  # fmt: skip
        assert listing.has_focus
        await pilot.press("enter")
        await shown(pilot, lambda: isinstance(app.screen, IncidentScreen))
        assert app.screen.incident_id == incident.id
