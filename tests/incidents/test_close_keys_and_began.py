"""What newcomers tripped on as the coordinator (inc24): the close screen's bar offers only
the number keys the highlighted point has, and a number it has not says why; a plan step
done is never given to the other steps at once; and an incident begins when the call or the
alarm came in (接警时间), typed at opening or later, bounded, shown on the head, the
timeline, the report and the handover, its duration counted from it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from fieldkit.i18n import set_language, t
from fieldkit.model import localtime
from fieldkit.reports.dates import full_time, parse
from fieldkit.services import incident_began, incident_close
from fieldkit.services import incident_places as places_
from fieldkit.services import incidents as inc
from fieldkit.services.handover import build as build_handover
from fieldkit.services.handover import render as render_handover
from fieldkit.services.incident_report import render
from fieldkit.services.incidents import IncidentError
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident import IncidentScreen
from fieldkit.ui.screens.incident_close import IncidentCloseScreen
from fieldkit.ui.screens.incident_open import IncidentOpenScreen
from tests.incidents.test_ui import type_line
from tests.waits import shown


def said(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


def bar(screen) -> str:
    return str(screen.query_one("#keybar").render())


async def to_point(pilot, closing, kind: str) -> None:
    for _ in range(len(closing.points) + 10):
        point = closing.current()
        if point is not None and point.point == kind and point.key not in closing.decisions:
            return
        await pilot.press("down")
    raise AssertionError(f"no {kind} point left")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_bar_offers_the_keys_a_point_has_and_done_is_decided_step_by_step(ws, lang):
    set_language(lang)
    incident = inc.open_incident(
        ws, "lift_entrapment", places=places_.parse("1", inc.compound_of(ws))
    )
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(140, 40)) as pilot:
        app.push_screen(IncidentScreen(incident.id))
        await shown(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen.view)
        await pilot.press("f10", "3")
        await shown(pilot, lambda: isinstance(app.screen, IncidentCloseScreen))
        closing = app.screen
        await to_point(pilot, closing, "step")  # three decisions: 1 2 3
        await shown(pilot, lambda: " 1 2 3 " in bar(closing))
        steps = [p for p in closing.points if p.point == "step"]
        assert len(steps) > 2
        await pilot.press("1")  # this step was done
        assert closing.decisions[steps[0].key] == "done"
        choices = str(closing.query_one("#close-choices").render())
        assert t("incidents.close.step_by_step") in choices  # no "a: the other N done too"
        assert t("incidents.close.keys.all") not in bar(closing)  # a is not offered now
        await pilot.press("a")  # refused, saying why: done is confirmed step by step
        await shown(pilot, lambda: t("incidents.close.step_by_step") in said(app))
        assert app.screen is closing  # no confirm: nothing to say yes to
        assert [s for s in steps if s.key in closing.decisions] == [steps[0]]
        await pilot.press("3")  # did not apply: a is offered again
        assert t("incidents.close.keys.all") in bar(closing)
        await pilot.press("a")  # the rest too, after a confirm
        await shown(pilot, lambda: app.screen is not closing)
        question = str(app.screen.query_one("#question").render())
        assert str(len(steps) - 2) in question
        await pilot.press("y")
        await shown(pilot, lambda: all(s.key in closing.decisions for s in steps))
        assert [closing.decisions[s.key] for s in steps[1:]] == ["not_needed"] * (len(steps) - 1)

        await to_point(pilot, closing, "stand_down")  # two decisions: 1 2
        await shown(pilot, lambda: " 1 2 " in bar(closing) and " 1 2 3 " not in bar(closing))
        await pilot.press("3")  # no such key here: it says so, and decides nothing
        keys = t("incidents.close.keys_or").join(("1", "2"))
        await shown(pilot, lambda: t("incidents.close.no_such_key", key=3, keys=keys) in said(app))
        assert ("stand_down", "") not in closing.decisions


def test_a_time_is_read_as_a_coordinator_types_it():
    local = localtime.local(time.time())
    now = local.replace(hour=13, minute=30, second=0, microsecond=0).timestamp()

    def read(text: str) -> str:
        return localtime.fmt(incident_began.read(text, now), "minute")

    today = localtime.fmt(now, "date")
    yesterday = localtime.fmt(now - 86400, "date")
    assert read("13:05") == f"{today} 13:05"
    assert read("13：05") == f"{today} 13:05"
    assert read("23:40") == f"{yesterday} 23:40"  # today's 23:40 is still to come
    assert read("昨天 09:10") == read("yesterday 09:10") == f"{yesterday} 09:10"
    assert read("20分钟前") == read("20 min ago") == f"{today} 13:10"
    assert read(f"{yesterday} 08:00") == f"{yesterday} 08:00"
    for bad in ("25:00", "soon", "", "1" * 60):
        with pytest.raises(IncidentError) as refused:
            incident_began.read(bad, now)
        assert refused.value.key == "incidents.began.bad"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_alarm_time_is_bounded_and_said_in_both_languages(ws, lang):
    incident = inc.open_incident(ws, "lift_entrapment", place_text="1号楼电梯")
    before = ws.store.get_incident(incident.id).to_dict()
    for text, key in (("2099-01-01 08:00", "incidents.began.future"),
                      ("2020-01-01 08:00", "incidents.began.too_early"),
                      ("25:99", "incidents.began.bad")):  # fmt: skip
        with pytest.raises(IncidentError) as refused:
            incident_began.set_began(ws, incident.id, text)
        assert refused.value.key == key
        message = refused.value.message(lang)
        assert message and "{" not in message
        assert (
            ("接警" in message or "时间" in message)
            if lang == "zh"
            else "time" in message or ("call" in message)
        )
    assert ws.store.get_incident(incident.id).to_dict() == before  # nothing changed


def test_an_older_record_with_no_alarm_time_began_when_it_was_logged(ws):
    incident = inc.open_incident(ws, "fire", place_text="3号楼")
    stored = ws.store.get_incident(incident.id)
    assert not [e for e in stored.timeline if e.type == "began"]
    assert stored.began_at == stored.started_at
    assert inc.view(ws, incident.id).began_at == stored.started_at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_alarm_time_heads_the_report_and_the_handover_and_counts_the_duration(ws, lang):
    set_language(lang)
    now = time.time()
    began = now - 50 * 60  # trapped 50 minutes ago, logged after the rescue
    incident = incident_began.open_incident(
        ws, "lift_entrapment", places=places_.parse("1", inc.compound_of(ws)), began=began
    )
    stored = ws.store.get_incident(incident.id)
    assert stored.began_at == incident_began.iso(began)
    inc.add_entry(ws, incident.id, "电梯公司已到场")
    points = incident_close.open_points(ws, incident.id)
    decided = {p.key: "not_needed" if "not_needed" in p.choices else p.choices[0] for p in points}
    incident_close.close(ws, incident.id, "已救出，无人受伤", decided)
    report = render(ws, incident.id, "md", lang).decode()
    assert t("incidents.report.started", lang) in report
    assert t("incidents.report.logged", lang) in report  # the two times differ: both said
    duration = "50 分钟" if lang == "zh" else "50 min"
    assert duration in report, report[:1500]
    recorded = t("incidents.entry.began_recorded", lang, recorded=inc_local(now, lang))
    assert t("incidents.entry.began", lang, recorded=recorded) in report  # on the timeline

    # said again later (the first call came at 12:20, not 12:30): the latest holds
    moved = ws.store.get_incident(incident.id)
    assert moved.status == "closed"
    second = inc.open_incident(ws, "flooding", place_text="2号楼地下室")
    incident_began.set_began(ws, second.id, "30 min ago" if lang == "en" else "30分钟前")
    incident_began.set_began(ws, second.id, "40 min ago" if lang == "en" else "40分钟前")
    view = inc.view(ws, second.id)
    said_began = [e for e in view.entries if e.kind == "began"]
    assert len(said_began) == 2
    earlier = min(said_began, key=lambda e: e.at)
    assert view.began_at == earlier.at  # the later-said 40 min ago
    later_said = max(said_began, key=lambda e: e.at)
    assert later_said.corrected_by == earlier.id  # the first said reads as corrected

    end = datetime.now(UTC)
    handed = build_handover(ws.store.iter_records(["incident"]), end, 12, 12, lang,
                            runs=lambda _: None)  # fmt: skip
    for fmt in ("text", "md"):
        handover = render_handover(handed, fmt, lang)
        when = full_time(parse(view.began_at), lang, short=True)
        assert t("incidents.began.state", lang, status=t("incidents.status.active", lang),
                 time=when) in handover, handover  # fmt: skip


def inc_local(moment: float, lang: str) -> str:
    from fieldkit.services.notices import local_time

    return local_time(incident_began.iso(moment), lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_alarm_time_is_typed_at_opening_and_changed_later(ws, lang):
    set_language(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("f2")
        await shown(pilot, lambda: isinstance(app.screen, IncidentOpenScreen))
        opening = app.screen
        await pilot.press("5")
        await shown(pilot, lambda: opening.step == "place")
        await type_line(pilot, "1")
        await shown(pilot, lambda: opening.step == "severity")
        assert t("incidents.began.now") in str(opening.query_one("#open-help").render())
        assert t("incidents.ui.keys.began") in bar(opening)
        await pilot.press("t")
        await shown(pilot, lambda: app.screen is not opening)
        await type_line(pilot, "2099-01-01 08:00")  # still to come: refused, said
        await shown(
            pilot, lambda: t("incidents.began.future", value="2099-01-01 08:00") in said(app)
        )
        assert opening.began is None
        await pilot.press("t")
        await shown(pilot, lambda: app.screen is not opening)
        await type_line(pilot, "50分钟前" if lang == "zh" else "50 min ago")
        await shown(pilot, lambda: opening.began is not None)
        help_text = str(opening.query_one("#open-help").render())
        began = opening.began
        assert inc_local(began, lang) in help_text
        await pilot.press("1")
        await shown(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen.view)
        screen = app.screen
        head = str(screen.query_one("#incident-head").render())
        assert inc_local(began, lang) in head
        first = screen.view.entries[0]
        assert first.kind == "began"

        await pilot.press("ctrl+g")  # later: the first call came ten minutes earlier
        await shown(pilot, lambda: app.screen is not screen)
        await pilot.press(*["backspace"] * 20)  # the box holds the date and time
        earlier = localtime.local(began - 600).replace(second=0, microsecond=0)
        await type_line(pilot, f"{earlier:%Y-%m-%d %H:%M}")
        await shown(pilot, lambda: app.screen is screen and screen.view.began_at
                    == incident_began.iso(earlier.timestamp()))  # fmt: skip
        head = str(screen.query_one("#incident-head").render())
        assert inc_local(earlier.timestamp(), lang) in head
    stored = ws.store.get_incident(screen.incident_id)
    assert stored.began_at == incident_began.iso(earlier.timestamp())
    assert datetime.fromisoformat(stored.began_at.replace("Z", "+00:00")) < datetime.now(
        UTC
    ) - timedelta(minutes=55)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_visit_owed_at_close_is_a_visit_the_desk_reads_as_coming_from_the_incident(ws, lang):
    """A flat not checked on when a fire closed becomes a visit (回访) for the service desk,
    not a complaint: its kind reads 回访 / visit in the desk's list, its title names the flat
    and the incident, and the desk takes it through its own path (arranged, visited,
    closed)."""
    from fieldkit.services import lifecycle

    set_language(lang)
    fire = inc.open_incident(ws, "fire", places=places_.parse("1", inc.compound_of(ws)))
    points = incident_close.open_points(ws, fire.id)
    flats = [p for p in points if p.point == "person"]
    assert flats
    decided = {p.key: "visit" if p.point == "person" else p.choices[0] for p in points}
    decided.update({p.key: "not_needed" for p in points if p.point in ("step", "text")})
    incident_close.close(ws, fire.id, "楼道电动车电池冒烟，已扑灭", decided)
    visits = [f for f in inc.view(ws, fire.id).followups if f.kind == "visit"]
    assert len(visits) == len(flats)
    case = ws.store.get_case(visits[0].case_id)
    assert (case.kind, case.department) == ("visit", "customer_service")
    assert t("desk.kind.visit", lang) == ("回访" if lang == "zh" else "visit")
    assert t("ui.case_list.kind.visit", lang) in ("回访", "Visit")
    title = case.extra["titles"][lang]
    fire_words = t("incidents.type.fire", lang)
    assert fire_words in title and fire.id[-6:] in title and flats[0].what["zh"] in title
    assert case.extra["incident"] == fire.id
    desk = "desk"
    case = lifecycle.move(ws.store, case, "assigned", desk)
    case = lifecycle.follow_up(ws.store, case, lifecycle.FollowUp(5, "老人平安"), desk)
    assert case.status == "followed_up"
    assert lifecycle.status_label("visit", case.status, lang) == (
        "已回访" if lang == "zh" else "Visited"
    )
    case = lifecycle.move(ws.store, case, "closed", desk)
    assert case.status == "closed"


def test_a_time_no_call_came_at_is_refused_with_words_not_a_traceback():
    """Review: "0001-01-01 00:00" ended the app in a traceback (year 0 once shifted to UTC);
    a time more than the limit before the incident was logged passed the preview and was
    refused only at the save."""
    for text in ("0001-01-01 00:00", "0001年1月1日 10:00", "1000-01-01 10:00"):
        with pytest.raises(IncidentError) as refused:
            incident_began.read(text)
        assert refused.value.key == "incidents.began.bad"
        assert incident_began.preview(text)  # said under the box, as it is typed
    long_ago = localtime.local(time.time() - 9 * 86400).replace(second=0, microsecond=0)
    typed = f"{long_ago:%Y-%m-%d %H:%M}"
    refused = IncidentError("incidents.began.too_early", value=typed, days=7)
    assert incident_began.preview(typed) == refused.message()
    assert incident_began.preview("9999-01-01 10:00") == IncidentError(
        "incidents.began.future", value="9999-01-01 10:00").message()  # fmt: skip
