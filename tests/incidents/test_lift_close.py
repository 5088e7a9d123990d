"""A lift entrapment from opening to close, as the coordinator reads it (the newcomers of
inc22): ↓ after typing a place highlights the first match; closing asks about what the kind
and place call for, not every flagged flat of the building; the decisions about the flats
are one line on the timeline; the residents' counter follows the decisions; a closed
incident's key bar offers only what still works."""

from __future__ import annotations

import pytest

from fieldkit.i18n import plural, set_language, t
from fieldkit.services import incident_close
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.services.incident_report import entry_text, grouped, render
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident import IncidentScreen
from fieldkit.ui.screens.incident_close import IncidentCloseScreen
from fieldkit.ui.screens.incident_open import IncidentOpenScreen
from tests.incidents.helpers import show_incident
from tests.waits import settled, shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_down_after_typing_highlights_the_first_match(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await shown(pilot, lambda: isinstance(app.screen, IncidentOpenScreen))
        opening = app.screen
        await pilot.press("5")
        await shown(pilot, lambda: opening.step == "place")
        hint = opening.query_one("#open-place").placeholder  # a place, not a renovation search
        assert "装修" not in hint and "renovation" not in hint and "3-2-1502" in hint
        await pilot.press(*"1-1-")
        await shown(pilot, lambda: len(opening.results) > 1)
        await settled(pilot)
        listing = opening.query_one("#open-list")
        await pilot.press("down")
        await shown(pilot, lambda: listing.has_focus)
        await settled(pilot)
        assert listing.highlighted == 0
        first = opening.results[0]
        assert first.label() in str(listing.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await shown(pilot, lambda: opening.step == "severity")
        assert opening.place == first


def said(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


def lines_of(listing) -> list[str]:
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


def test_what_is_confirmed_at_close_follows_the_kind_and_the_place(ws):
    compound = inc.compound_of(ws)
    lift = inc.open_incident(ws, "lift_entrapment", places=places_.parse("1", compound))
    listed = inc.people(ws, lift.id)
    assert len(listed) > 4  # the building's flagged flats: there to call on
    assert not any(p.confirm for p in listed)
    assert not [p for p in incident_close.open_points(ws, lift.id) if p.point == "person"]
    report = render(ws, lift.id, "md", "zh").decode()
    assert f"楼内需要帮助的住户共 {len(listed)} 户，列出供需要时联系，不要求逐户确认" in report
    assert "尚未确认" not in report and "未确认" not in report

    fire = inc.open_incident(ws, "fire", places=places_.parse("1", compound))
    people = [p for p in incident_close.open_points(ws, fire.id) if p.point == "person"]
    assert len(people) == len(inc.people(ws, fire.id)) > 4  # smoke: every flat checked on

    pipe = inc.open_incident(ws, "flooding", places=places_.parse("1-1-602", compound))
    asked = {p.ref for p in incident_close.open_points(ws, pipe.id) if p.point == "person"}
    listed = inc.people(ws, pipe.id)
    below = {p.unit_id for p in listed if p.below}
    itself = {p.unit_id for p in listed if p.code == "1-1-602"}
    assert below and len(listed) > len(below) + len(itself)
    assert asked == below | itself  # the water comes down: the flat, those below, no others


def test_the_flats_decided_at_close_are_one_line_in_the_timeline_and_the_handover(ws):
    from fieldkit.services.handover import handover

    fire = inc.open_incident(ws, "fire", places=places_.parse("1", inc.compound_of(ws)))
    points = incident_close.open_points(ws, fire.id)
    flats = [p for p in points if p.point == "person"]
    decisions = {p.key: p.choices[-1] if p.point == "step" else p.choices[0] for p in points}
    for p in flats[:2]:
        decisions[p.key] = "visit"
    incident_close.close(ws, fire.id, "油锅起火，已扑灭。", decisions)
    shown = grouped(inc.view(ws, fire.id).entries)
    flat_lines = [e for e in shown if e.kind == "decision" and e.data.get("point") == "people"]
    assert len(flat_lines) == 1
    assert not [e for e in shown if e.data.get("point") == "person"]
    n = len(flats)
    assert entry_text(flat_lines[0], "zh") == (
        f"结案时确认了 {n} 户住户的情况：电话确认平安 {n - 2} 户，转客服上门回访 2 户。"
    )
    assert entry_text(flat_lines[0], "en") == (
        f"At close, {n} flats accounted for: {n - 2} phoned, safe, "
        "2 passed to the service desk for a visit."
    )
    steps = [p for p in points if p.point == "step"]
    step_lines = [e for e in shown if e.data.get("point") == "steps"]
    assert len(step_lines) == 1 and not [e for e in shown if e.data.get("point") == "step"]
    assert entry_text(step_lines[0], "zh") == (
        f"结案时补记预案步骤 {len(steps)} 项：不适用 {len(steps)} 项。"
    )
    for lang in ("zh", "en"):
        done = [d.text for d in handover(ws.store, lang=lang).done if d.kind == "incident"]
        assert entry_text(flat_lines[0], lang) in " ".join(done)
        assert not any(f.what["zh"] in line for f in flats for line in done)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_closed_lift_entrapment_reads_right_and_offers_only_what_works(ws, lang):
    set_language(lang)
    lift = inc.open_incident(ws, "lift_entrapment", places=places_.parse("1", inc.compound_of(ws)))
    listed = inc.people(ws, lift.id)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show_incident(app, pilot, lift.id)
        title = str(screen.query_one("#people-title").render())
        assert plural("incidents.people.title_reference", len(listed)) == title
        await pilot.press("f10", "3")
        await shown(pilot, lambda: isinstance(app.screen, IncidentCloseScreen))
        closing = app.screen
        assert "person" not in {p.point for p in closing.points}  # the plan's steps, no flats
        assert "stand_down" in {p.point for p in closing.points}
        await pilot.press(*"1" * len(closing.points))  # each decided, the cursor going on
        await shown(pilot, lambda: t("incidents.close.ready") in str(
            closing.query_one("#close-left").render()))  # fmt: skip
        await pilot.press("ctrl+s")
        await shown(pilot, lambda: app.screen is not closing)
        await pilot.press(*"summary")
        await pilot.press("enter")
        await shown(pilot, lambda: app.screen is screen and screen.view.status == "closed")
        await settled(pilot)
        bar = [shown_key for shown_key, _ in screen.bar_keys()]
        assert bar == ["F6", "ctrl+o", "F1", "esc", "F7"]  # F7: its report, to read
        for key in ("f3", "f4", "f5", "f8", "f9", "f10", "ctrl+n"):
            app.clear_notifications()
            await pilot.press(key)
            await shown(pilot, lambda: t("incidents.closed_keys.said") in said(app))
            assert app.screen is screen, key
        await pilot.press(*"late line")
        app.clear_notifications()
        await pilot.press("enter")
        await shown(pilot, lambda: t("incidents.closed_keys.said") in said(app))
        assert screen.query_one("#line").value == "late line"  # kept, not lost
        people = lines_of(screen.query_one("#people"))
        assert not any(line.startswith("☐") for line in people), people


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_residents_counter_follows_the_decisions_at_close(ws, lang):
    set_language(lang)
    fire = inc.open_incident(ws, "fire", places=places_.parse("1", inc.compound_of(ws)))
    listed = inc.people(ws, fire.id)
    inc.check_person(ws, fire.id, listed[0].unit_id, "在家")
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show_incident(app, pilot, fire.id)
        head = screen.query_one("#people-title")
        counted = t("incidents.ui.people_title", checked=1, total=len(listed))
        assert str(head.render()) == counted
        await pilot.press("f10", "3")
        await shown(pilot, lambda: isinstance(app.screen, IncidentCloseScreen))
        closing = app.screen
        await pilot.press("1", "a", "y")  # every flat phoned: a, as a coordinator would
        flats = [p for p in closing.points if p.point == "person"]
        await shown(pilot, lambda: all(p.key in closing.decisions for p in flats))
        for point in closing.points:
            closing.decisions.setdefault(point.key, point.choices[0])
        await pilot.press("ctrl+s")
        await shown(pilot, lambda: app.screen is not closing)
        await pilot.press(*"summary")
        await pilot.press("enter")
        await shown(pilot, lambda: app.screen is screen and screen.view.status == "closed")
        await settled(pilot)
        done = t("incidents.ui.people_title", checked=len(listed), total=len(listed))
        assert str(head.render()) == done
        timeline = lines_of(screen.query_one("#timeline"))
        grouped_line = plural("incidents.people.decided", len(flats),
                              parts=plural("incidents.people.phoned", len(flats)))  # fmt: skip
        assert sum(grouped_line in line for line in timeline) == 1
        assert not any(flats[0].what[lang] in line for line in timeline[1:])


PAUSES = "，。、；：？！）》」』”’"


def _reads_whole(widget) -> list[str]:
    """The lines a dialog's sentence shows: each ends where a reader pauses (a phrase is
    never split across lines), and the terminal shows them as they are (none folded)."""
    shown_lines = [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]
    for line in shown_lines[:-1]:
        assert line[-1] in PAUSES, shown_lines
    assert "".join(shown_lines).replace(" ", "") == widget.text.replace(" ", ""), shown_lines
    return shown_lines


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_zh_dialogs_break_lines_between_phrases(ws, size):
    from fieldkit.ui.dialogs.ask import AskDialog
    from fieldkit.ui.dialogs.confirm import ConfirmDialog

    set_language("zh")
    fire = inc.open_incident(ws, "fire", places=places_.parse("1", inc.compound_of(ws)))
    app = FieldkitApp(ws, lang="zh")
    async with app.run_test(size=size) as pilot:
        await show_incident(app, pilot, fire.id)
        await pilot.press("f10")  # 事件进展到哪一步了？ and its three choices
        await shown(pilot, lambda: not isinstance(app.screen, IncidentScreen))
        await settled(pilot)
        _reads_whole(app.screen.query_one("#question"))
        await pilot.press("3")
        await shown(pilot, lambda: isinstance(app.screen, IncidentCloseScreen))
        closing = app.screen
        await settled(pilot)
        assert len(_reads_whole(closing.query_one("#close-intro"))) > 1
        await pilot.press("3", "a")  # a visit; the rest too? asks, with the count
        await shown(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await settled(pilot)
        assert len(_reads_whole(app.screen.query_one("#question"))) > 1
        _reads_whole(app.screen.query_one("#confirm-hint"))
        await pilot.press("n")
        await shown(pilot, lambda: app.screen is closing)
        app.push_screen(AskDialog("incidents.ui.ask.summary_nothing_open"))
        await shown(pilot, lambda: isinstance(app.screen, AskDialog))
        await settled(pilot)
        _reads_whole(app.screen.query_one("#question"))


def test_phrase_lines_never_split_a_number_from_its_word_or_start_with_a_mark():
    from fieldkit.ui.widgets.phrases import lines

    text = (
        "把其余 14 户未确认情况的住户都记为“转客服上门回访”？"
        "只在确实如此时这样记：它会写进时间线和报告。"
    )
    for width in range(12, 70):
        wrapped = lines(text, width)
        assert "".join(wrapped) == text.replace("\n", "")
        assert not any(line[:1] in PAUSES for line in wrapped), (width, wrapped)
        assert not any(line.endswith(("14", "其余")) for line in wrapped), (width, wrapped)
    assert lines("The other 14 flats not checked on: record", 20) == [
        "The other 14 flats", "not checked on:", "record"
    ]  # fmt: skip


def test_the_lift_entrapment_plan_routes_the_lift_to_engineering_and_the_calls_to_security():
    """REFERENCE.md: engineering keeps the equipment (the lift and its contractor), security
    the fire control room (the intercom, 119 and 120)."""
    from pathlib import Path

    from fieldkit.checklists.loader import load_file

    plan = load_file(Path(__file__).parents[2] / "checklists/emergency/lift-entrapment.yaml")
    routes = {item.id: item.on_fail.department for item in plan.checklist.items() if item.on_fail}
    lift = ("contractor_called", "staff_at_lift", "released_by_cert", "minutes_to_release",
            "lift_out_of_service", "cause_found", "repeat_fault")  # fmt: skip
    assert {routes[step] for step in lift} == {"engineering"}
    assert {routes[step] for step in ("reassured", "called_120", "called_119")} == {"security"}


def test_the_demo_opens_as_the_coordinator_by_that_name():
    from fieldkit.cli.app import DEMO_ROLES, demo_role

    assert demo_role("coordinator") == demo_role("Emergency") == "emergency"
    assert {demo_role(r) for r in DEMO_ROLES} == set(DEMO_ROLES)
