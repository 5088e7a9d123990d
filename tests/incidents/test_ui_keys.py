"""The incident screen's keys as the newcomer pressed them, in Textual Pilot: text typed on
the residents list reaches the line, Esc and F6 go back to it, ctrl+r and six ↑ in one read
move the pick, ctrl+n says what it reads, F4 calls municipal drainage or anyone typed, the
plan's checks are steps of work and its date takes 明天 — checked on screen and in the store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.model import localtime
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident_plan import IncidentPlanScreen
from tests.incidents.helpers import show_incident
from tests.incidents.test_ui import type_line
from tests.keys import one_read
from tests.waits import shown


def rendered(widget) -> str:
    return str(widget.render())


async def _open(pilot, app, ws, places: str = "1"):
    incident = inc.open_incident(ws, "typhoon", places=places_.parse(places, inc.compound_of(ws)))
    return await show_incident(app, pilot, incident.id), incident.id


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_typing_on_the_residents_list_goes_to_the_line(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, incident_id = await _open(pilot, app, ws)
        line, people = screen.query_one("#line"), screen.query_one("#people")
        await pilot.press("f6")
        await shown(pilot, lambda: people.has_focus)
        assert t("incidents.ui.people_focus") in rendered(screen.query_one("#entry-kind"))
        assert t("incidents.ui.keys.back_to_line") in rendered(screen.query_one("#keybar"))
        text = "移动水泵已在2号楼车库抽水" if lang == "zh" else "pump running in garage"
        await pilot.press(*text)  # the r of "running" too: typed, not a reveal
        await shown(pilot, lambda: line.has_focus and line.value == text)
        await pilot.pause(0.05)
        await pilot.press("enter")
        await shown(pilot, lambda: any(e.text == text for e in screen.view.entries))
        assert not any(e.kind == "people_checked" for e in screen.view.entries)  # no tick

        await pilot.press("f6")
        await shown(pilot, lambda: people.has_focus)
        await pilot.press("escape")  # back to the line, not off the incident
        await shown(pilot, lambda: line.has_focus)
        assert app.screen is screen
        await pilot.press("f6")
        await shown(pilot, lambda: people.has_focus)
        await pilot.press("f6")
        await shown(pilot, lambda: line.has_focus)
        await pilot.press("f3")
        assert line.placeholder == t("incidents.ui.placeholder.action")
    texts = [e.text for e in ws.store.get_incident(incident_id).timeline]
    assert texts.count(text) == 1


async def test_six_quick_ups_after_ctrl_r_move_the_pick(ws):
    set_language("en")
    app = FieldkitApp(ws, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen, incident_id = await _open(pilot, app, ws)
        for n in range(6):
            inc.add_entry(ws, incident_id, f"line {n}")
        screen.reload()
        await shown(pilot, lambda: len(screen.view.entries) == 6)
        # ctrl+r and six ↑ over six entries, as fast as a terminal sends them: the pick goes
        # up at once (not after the keys, to the line) and stops at the first (no wrapping)
        one_read(app, "\x12" + "\x1b[A" * 6)
        await pilot.pause(0.1)
        await pilot.press("enter")
        await shown(pilot, lambda: app.screen is not screen and app.screen.query("#answer"))
        assert app.screen.query_one("#answer").value == "line 0"
        await pilot.press("escape")
        await shown(pilot, lambda: app.screen is screen)
        one_read(app, "\x12" + "\x1b[A" * 3 + "\x1b[B")  # three up, one down
        await pilot.pause(0.1)
        await pilot.press("enter")
        await shown(pilot, lambda: app.screen is not screen and app.screen.query("#answer"))
        assert app.screen.query_one("#answer").value == "line 3"


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_ctrl_n_says_what_it_reads_and_the_new_entry_is_in_view(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 30)) as pilot:
        screen, incident_id = await _open(pilot, app, ws, "1号楼地下室")
        for n in range(40):  # more than the timeline shows
            inc.add_entry(ws, incident_id, f"{n} " + "水位还在上涨，" * 12)  # lines that wrap
        screen.reload()
        await shown(pilot, lambda: len(screen.view.entries) == 40)
        await pilot.press("ctrl+n")
        await shown(pilot, lambda: app.screen is not screen and app.screen.query("#answer"))
        dialog = app.screen
        await pilot.press(*"2号楼车库")
        said = places_.label(places_.parse("2号楼车库", inc.compound_of(ws)), lang)
        await shown(pilot, lambda: t("incidents.places.understood", places=said)
                       in rendered(dialog.query_one("#ask-hint")))  # fmt: skip
        await pilot.press("enter")
        await shown(pilot, lambda: screen.view.entries[-1].kind == "place")
        timeline = screen.query_one("#timeline")
        await shown(pilot, lambda: timeline.scroll_y == timeline.max_scroll_y > 0)
        assert timeline.highlighted == timeline.option_count - 1
        head = rendered(screen.query_one("#incident-head"))
        assert screen.view.where(lang) in head and "\n" in head  # two lines, never cut
    assert inc.view(ws, incident_id).where("zh") == "1号楼地下室、2号楼车库"


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_f4_calls_drainage_or_anyone_typed(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, incident_id = await _open(pilot, app, ws)
        await pilot.press("f4")
        await shown(pilot, lambda: app.screen is not screen)
        choices = rendered(app.screen.query_one("#choices"))
        for service in ("drainage", "other"):
            assert t(f"incidents.service.{service}") in choices
        await pilot.press("8")  # municipal drainage
        await shown(pilot, lambda: app.screen.query("#answer"))
        await type_line(pilot, "值班室")
        await shown(pilot, lambda: any(e.kind == "call" for e in screen.view.entries))
        saved = rendered(screen.query_one("#entry-kind"))
        assert t("incidents.ui.saved", time="")[:3] in saved  # the last save, shown
        await pilot.press("f4", "9")  # someone not on the list: who is typed
        await shown(pilot, lambda: app.screen.query("#answer"))
        await type_line(pilot, "街道办")
        await shown(pilot, lambda: t("incidents.ui.ask.answered_by", service="街道办")
                       in rendered(app.screen.query_one("#question")))  # fmt: skip
        await type_line(pilot, "李主任")
        await shown(pilot, lambda: sum(e.kind == "call" for e in screen.view.entries) == 2)
    calls = [e.data for e in ws.store.get_incident(incident_id).timeline if e.type == "call"]
    assert [c["service"] for c in calls] == ["drainage", "other"]
    assert calls[1]["name"] == "街道办" and calls[1]["answered_by"] == "李主任"


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_plan_is_answered_as_steps_and_its_date_takes_tomorrow(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        _, incident_id = await _open(pilot, app, ws)
        await pilot.press("f5")
        await shown(pilot, lambda: isinstance(app.screen, IncidentPlanScreen) and app.screen.run)
        runner = app.screen
        await pilot.press("2", "3")  # rainstorm, orange
        await shown(pilot, lambda: runner.current == "arrival_date")
        await type_line(pilot, "tomorrow" if lang == "en" else "明天")
        await shown(pilot, lambda: runner.current == "standby_team")
        bar = rendered(runner.query_one("#keybar"))
        assert t("checklists.words.step.pass") in bar and t("ui.keys.pass") not in bar
        await pilot.press("p")
        await shown(pilot, lambda: runner.current == "high_objects")
        rows = [str(runner.query_one("#items").get_option_at_index(i).prompt) for i in range(4)]
        assert t("checklists.words.step.pass") in rows[3]
    answers = inc.plan_answers(ws, ws.store.get_incident(incident_id))
    assert answers["arrival_date"] == (localtime.today() + timedelta(days=1)).isoformat()
    assert answers["standby_team"] == "pass"
