"""A notice saved answers the plan step that asks for it (nc24): the step "how residents
were told" stayed open after the notice was saved — answered 还没有通知 / not yet before, its
close raised a case to tell residents already told. Saving the notice adds 公告栏 / notice
boards to it and the toast says so; the all-clear's own step (已通知住户来水) is done by the
notice saved once the incident is stood down, not by the first one."""

from __future__ import annotations

import pytest

from fieldkit.checklists.loader import load_text
from fieldkit.i18n import set_language, t
from fieldkit.services import incident_close, incident_places, notices
from fieldkit.services import incidents as inc
from fieldkit.ui.app import FieldkitApp
from fieldkit.ui.screens.incident_notice import IncidentNoticeScreen
from tests.incidents.helpers import show_incident
from tests.waits import notices as toasts
from tests.waits import shown


def opened(ws, kind: str):
    return inc.open_incident(ws, kind, places=incident_places.parse("1", inc.compound_of(ws)))


def step_of(ws, incident_id: str, key: str):
    return next(s for s in inc.view(ws, incident_id).plan if s.key == key)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_saving_the_notice_answers_how_residents_were_told(ws, lang):
    set_language(lang)
    incident = opened(ws, "water_cut")
    run = inc.plan_run(ws, incident.id)
    run.answer("owners_told", ["not_yet"])  # said before the notice was written
    assert ("failed", "owners_told") in {p.key for p in incident_close.open_points(ws, incident.id)}
    label = run.step("owners_told").item.label.get(lang)
    app = FieldkitApp(ws, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await show_incident(app, pilot, incident.id)
        await pilot.press("f7")
        await shown(pilot, lambda: isinstance(app.screen, IncidentNoticeScreen))
        await shown(pilot, lambda: app.screen.query_one("#notice-text").text)
        await pilot.press("ctrl+s")
        await shown(pilot, lambda: app.screen is screen)
        said = " ".join(toasts(app))
        assert t("incidents.ui.notice_ticked_one", lang, steps=f"“{label}”") in said, said
        await shown(pilot, lambda: any(
            label in str(o.prompt) and str(o.prompt).startswith("✔")
            for o in (screen.query_one("#plan").get_option_at_index(n)
                      for n in range(screen.query_one("#plan").option_count))))  # fmt: skip
    step = step_of(ws, incident.id, "owners_told")
    assert step.value == ["notice_board"] and not step.failed
    points = {p.ref for p in incident_close.open_points(ws, incident.id)}
    assert "owners_told" not in points and "restored_notice" in points


def test_the_all_clear_step_is_done_by_the_all_clear_notice_only(ws):
    incident = opened(ws, "water_cut")
    first = notices.send(ws, incident.id, notices.draft(ws, incident.id, "zh").text, "zh")
    assert [d["zh"] for d in first.ticked] == ["通知方式"]
    assert not step_of(ws, incident.id, "restored_notice").done
    inc.stand_down(ws, incident.id)
    again = notices.send(ws, incident.id, notices.draft(ws, incident.id, "zh").text, "zh")
    assert [d["zh"] for d in again.ticked] == ["已通知住户来水，提醒先放一会儿水"]
    assert step_of(ws, incident.id, "restored_notice").value == "pass"
    assert "restored_notice" not in {p.ref for p in incident_close.open_points(ws, incident.id)}


def test_a_notice_step_naming_no_option_is_refused():
    text = """id: emergency.x
version: 1
title: {zh: 测试, en: Test}
applies_to: incident:water_cut
every: on_demand
sections:
  - id: s
    title: {zh: 通知, en: Notify}
    items:
      - id: told
        type: multi
        notice: posters
        label: {zh: 通知方式, en: How residents were told}
        options:
          - {id: notice_board, label: {zh: 公告栏, en: Notice boards}}
          - {id: group_chat, label: {zh: 业主群, en: Group chat}}
"""
    result = load_text(text, "x.yaml")
    assert [d.code for d in result.diagnostics] == ["FK233"]
    assert "notice_board" in result.diagnostics[0].message("en")
